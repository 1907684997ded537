"""/pacer api: the workspace's API tokens, masked (admins), and the queue of ingested activity
held until its owner is known (`/pacer api review`, `/pacer api map OWNER @user`, managers)."""

import re

from bot import messages
from bot.admin.team import done, one_person
from bot.context import Command
from bot.parsing import ParseError
from bot.replies import Problem
from rituals.api_access import list_tokens
from rituals.ingest import MappingRefused, held_queue, map_owner
from rituals.teams import require_manager

USAGE = (
    "`/pacer api` lists the API tokens (admins) · `/pacer api review` shows activity held for an "
    "unknown owner · `/pacer api map jane@acme.com @jane` says who that owner is and applies it"
)
# Slack links what looks like an email or a URL: <mailto:a@b.c|a@b.c>, <http://x|x>.
_LINKED = re.compile(r"^<(?:mailto:)?([^|>]+)(?:\|[^>]*)?>$")


def api(cmd: Command, args: list[str]) -> dict:
    action = args[0].lower() if args else "tokens"
    if action in ("tokens", "token", "list"):
        return tokens(cmd)
    if action in ("review", "queue", "held"):
        return review(cmd)
    if action == "map":
        return map_(cmd, args[1:])
    raise ParseError(f"`/pacer api {messages.escape(args[0])}` isn't one of these: {USAGE}.")


def tokens(cmd: Command) -> dict:
    if not cmd.actor.is_admin:
        raise Problem("Only Pacer admins see the API tokens. Ask an admin, or see `/pacer admin`.")
    rows = list_tokens(cmd.session, cmd.actor.workspace_id)
    if not rows:
        return done(
            "No API tokens yet. An operator creates one with "
            "`pacer api token create --name hubspot-sync --scopes activities:write`."
        )
    lines = [
        f"• *{messages.escape(t.name)}* `{t.masked}` — {', '.join(t.scopes)} · created "
        f"{t.created_at:%Y-%m-%d} by {messages.escape(t.created_by)}"
        for t in rows
    ]
    return done(
        "*API tokens* (the full token is shown once, when created):\n"
        + "\n".join(lines)
        + "\nRevoke one with `pacer api token revoke NAME`."
    )


def review(cmd: Command) -> dict:
    require_manager(cmd.actor, "review the activity held for unknown owners")
    queue = held_queue(cmd.session, cmd.actor.workspace_id)
    if not queue:
        return done("Nothing is held: every ingested item's owner was matched to someone.")
    shown = queue[:20]  # the message stays well inside Slack's limits
    lines = [
        f"• `{messages.escape(line.owner)}` — {line.items} item{'s' if line.items != 1 else ''} "
        f"({line.total} in all) from {messages.escape(', '.join(line.sources))}"
        for line in shown
    ]
    more = f"\n…and {len(queue) - len(shown)} more owners." if len(queue) > len(shown) else ""
    example = messages.escape(shown[0].owner)
    return done(
        "*Held until their owner is known:*\n"
        + "\n".join(lines)
        + more
        + f"\nSay who one is: `/pacer api map {example} @rep`. Their held items count at once, "
        "and later ones directly."
    )


def map_(cmd: Command, args: list[str]) -> dict:
    require_manager(cmd.actor, "map owners of ingested activity")
    if len(args) != 2:
        raise ParseError(
            "Name the owner and the person, e.g. `/pacer api map jane@acme.com @jane`."
        )
    linked = _LINKED.match(args[0])
    owner = linked.group(1) if linked else args[0]
    user_id, _ = one_person(cmd, args[1:], "/pacer api map jane@acme.com @jane")
    try:
        mapped = map_owner(
            cmd.session,
            cmd.actor.workspace_id,
            owner,
            user_id,
            cmd.user_id,
            cmd.now,
            cmd.actor.today(),
        )
    except MappingRefused as refused:
        raise Problem(f"Nothing changed: {messages.escape(str(refused))}.") from None
    counts = mapped.counts()
    applied = (
        ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none were waiting"
    )
    rejected = [r for r in mapped.results if r.status == "rejected"][:5]
    notes = "".join(
        f"\n• `{messages.escape(r.external_id)}` not counted: {messages.escape(r.reason or '')}"
        for r in rejected
    )
    return done(
        f"`{messages.escape(mapped.owner)}` is {messages.mention(user_id)} from now on. "
        f"Held items: {applied}.{notes}"
    )
