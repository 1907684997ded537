"""The pages a person sees while installing Pacer: "Add to Slack" (what Pacer will be able to do,
in plain words, and the button), "installed" (the first steps), and "not installed" (why, and
what to do). One template (templates/install_page.html.j2), HTML-escaped; nothing is loaded from
outside the page, so its security policy allows only its own inline style."""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation

from bot.messages import TEMPLATES

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

# What the bot scopes let Pacer do, in the words of the person installing it; the scopes that
# serve one purpose share a line.
_PURPOSES = (
    (("commands",), "Add the commands /log, /scorecard, /leaderboard and /pacer."),
    (
        ("chat:write",),
        "Post daily, weekly and monthly digests, leaderboards and contest standings in the "
        "channels your managers choose, and answer people privately.",
    ),
    (("chat:write.public", "channels:join"), "Join the public channels it is asked to post in."),
    (("im:write", "mpim:write"), "Message people directly: nudges, reminders, coaching threads."),
    (("users:read",), "See people's names and timezones, so every rep's day is their own."),
    (
        ("users:read.email",),
        "See people's email addresses, to match activity from your CRM or dialer to them.",
    ),
    (("channels:read", "groups:read"), "See the channels it posts in."),
    (
        ("channels:history", "groups:history", "im:history", "mpim:history"),
        "Read the messages of conversations it takes part in: replies to coaching threads, "
        "and its own posts, so a digest is never posted twice.",
    ),
    (("files:write",), "Share the charts of its digests."),
    (("files:read",), "Read the CSV and process files you send it in a direct message."),
    (("reactions:write",), "Mark a coaching reply saved as an action item with a tick."),
)
ABILITIES = {scope: words for scopes, words in _PURPOSES for scope in scopes}

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def abilities(scopes: Iterable[str]) -> list[str]:
    """One line per thing Pacer may do, in the scopes' order; a scope without words is named."""
    lines = [ABILITIES.get(scope, f"Use the Slack permission {scope}.") for scope in scopes]
    return list(dict.fromkeys(lines))


def _render(title: str, **values) -> str:
    return _env.get_template("install_page.html.j2").render(title=title, **values)


def install_page(url: str, scopes: Iterable[str]) -> str:
    return _render("Add Pacer to Slack", page="install", url=url, abilities=abilities(scopes))


def installed_page(installation: Installation) -> str:
    """Where to go next: the workspace's first steps, or for an org-wide install the org's page
    where its admins add Pacer to workspaces (as Slack's own default page does)."""
    team, app = installation.team_id, installation.app_id
    org_wide = bool(installation.is_enterprise_install)
    if org_wide and installation.enterprise_url and app:
        open_url = (
            f"{installation.enterprise_url}manage/organization/apps/profile/{app}/workspaces/add"
        )
    elif team and app:
        open_url = f"slack://app?team={team}&id={app}"
    else:
        open_url = "slack://open"
    where = (
        installation.enterprise_name if org_wide else installation.team_name
    ) or "your workspace"
    return _render(
        f"Pacer is in {where}",
        page="installed",
        where=where,
        org_wide=org_wide,
        open_url=open_url,
        browser_url=f"https://app.slack.com/client/{team or ''}",
    )


def not_installed_page(told: str, reason: str, install_path: str) -> str:
    return _render(
        "Pacer was not installed",
        page="failed",
        told=told,
        reason=reason,
        install_path=install_path,
    )


def as_page(response: BoltResponse, body: str, status: int | None = None) -> BoltResponse:
    """Bolt's response (its cookie header: the state's deletion or issue) with Pacer's page."""
    response.body = body
    if status is not None:
        response.status = status
    response.headers["content-type"] = ["text/html; charset=utf-8"]
    for name, value in SECURITY_HEADERS.items():
        response.headers[name.lower()] = [value]
    return response
