"""People: turning mentions into user IDs, and display names and timezones from Slack, cached."""

import logging
import re
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.context import Command
from bot.messages import escape
from bot.parsing import Mention, ParseError
from bot.services import Services
from storage import ingest_queries, people_queries
from storage.models import UserProfile

log = logging.getLogger("pacer.people")
PROFILE_MAX_AGE = timedelta(days=1)


def resolve_user(cmd: Command, mention: Mention) -> str:
    """A user ID from `<@U123|sam>`, `<@U123>` or a plain `@sam` (looked up among cached names)."""
    if mention.user_id:
        return mention.user_id
    found = people_queries.find_profiles_by_name(
        cmd.session, cmd.actor.workspace_id, mention.name or ""
    )
    if len(found) == 1:
        return found[0].user_id
    if not found:
        raise ParseError(
            f"I don't know who @{mention.name} is. Pick them from Slack's list as you type @ "
            "so the name becomes a mention."
        )
    raise ParseError(
        f"More than one person is called @{mention.name}; pick the right one from Slack's list as you type @."
    )


def known_profiles(cmd: Command, *user_ids: str) -> dict[str, UserProfile]:
    """The cached profiles of these people, in one query; the missing or stale ones (older than a
    day) are fetched from Slack after the acknowledgement."""
    workspace_id = cmd.actor.workspace_id
    cached = people_queries.profiles(cmd.session, workspace_id, user_ids)
    stale = [
        u
        for u in dict.fromkeys(user_ids)
        if u not in cached or cmd.now - cached[u].fetched_at > PROFILE_MAX_AGE
    ]
    if stale:
        services, now = cmd.services, cmd.now
        cmd.follow_ups.append(lambda: fetch_profiles(services, workspace_id, stale, now))
    return cached


refresh_later = known_profiles  # when only the fetching matters


BULK = 10  # more stale people than this: one users.list walk beats one users.info each


def fetch_profiles(services: Services, workspace_id: int, user_ids: list[str], now) -> None:
    """Ask Slack about these people, then cache what it says in one short unit of work: no
    write transaction is held open while Slack answers."""
    with services.unit_of_work() as session:
        clients = services.clients_of(session, workspace_id)  # that workspace's own token
    if clients is None:
        return
    client = clients.client
    wanted = set(user_ids)
    found: list[dict] = []
    if len(wanted) > BULK:
        for user in _all_users(client):
            if user.get("id") in wanted:
                found.append(user)
                wanted.discard(user["id"])
    for user_id in sorted(wanted):
        try:
            found.append(client.users_info(user=user_id)["user"])
        except SlackApiError as error:
            log.warning("users.info %s failed: %s", user_id, error.response.get("error"))
    if not found:
        return
    with services.unit_of_work() as session:
        for user in found:
            _save(session, workspace_id, user, now)


def _all_users(client: WebClient):
    """Every member of the workspace, 200 a page (Slack's users.list)."""
    cursor = None
    while True:
        try:
            page = client.users_list(limit=200, cursor=cursor)
        except SlackApiError as error:
            log.warning("users.list failed: %s", error.response.get("error"))
            return
        yield from page.get("members", [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return


def _save(session, workspace_id: int, user: dict, now) -> None:
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or user["id"]
    )
    people_queries.save_profile(session, workspace_id, user["id"], name[:200], user.get("tz"), now)
    if profile.get("email"):  # with users:read.email: ingested activity may name people by it
        ingest_queries.set_email(session, workspace_id, user["id"], str(profile["email"])[:254])


def fresh_profiles(
    services: Services, workspace_id: int, user_ids: list[str], now
) -> dict[str, UserProfile]:
    """These people's profiles, the missing or stale ones (a day old) fetched from Slack first
    (so: after an acknowledgement); whoever Slack can't tell us about is left out."""
    with services.unit_of_work() as session:
        cached = people_queries.profiles(session, workspace_id, user_ids)
    stale = [
        u
        for u in dict.fromkeys(user_ids)
        if u not in cached or now - cached[u].fetched_at > PROFILE_MAX_AGE
    ]
    if stale:
        fetch_profiles(services, workspace_id, stale, now)
        with services.unit_of_work() as session:
            cached = people_queries.profiles(session, workspace_id, user_ids)
    return cached


def display_names(
    services: Services, workspace_id: int, user_ids: list[str], now
) -> dict[str, str]:
    """Names to show in a digest or leaderboard (names, not mentions: nobody is pinged); whoever
    Slack can't tell us about keeps their ID."""
    cached = fresh_profiles(services, workspace_id, user_ids, now)
    return {u: cached[u].display_name if u in cached else u for u in user_ids}


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")


def name_mentions(session, workspace_id: int, text: str) -> str:
    """A message's plain text with each ``<@U123>`` whose name is cached turned into
    ``@Maria Lopez`` (notifications and screen readers read a name, not an ID); mentions of
    people Pacer knows no name for are left for Slack to show."""
    ids = set(_MENTION.findall(text or ""))
    if not ids:
        return text
    known = people_queries.profiles(session, workspace_id, ids)
    return _MENTION.sub(
        lambda m: (
            f"@{escape(known[m.group(1)].display_name)}" if m.group(1) in known else m.group(0)
        ),
        text,
    )
