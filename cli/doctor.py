"""`pacer doctor`: checks what an operator gets wrong, one line each, with what to fix.

Each check is a small function of a :class:`Context` returning its :class:`Line`\\ s; ``CHECKS``
lists them in the order they print. Adding a check is writing one more function and listing it.
A check that needs something an earlier one found broken (the database, the token) says it was
skipped instead of failing twice. Doctor reads only: it never migrates, joins or writes."""

from __future__ import annotations

import base64
import binascii
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property

import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.oauth.setup import token_source
from bot.settings import Settings
from bot.tokens import TokenSource
from cli.manifest import ManifestError, read_template
from storage import db, heartbeat_queries, people_queries
from storage.migrate import current_revision, head_revision
from storage.unit_of_work import unit_of_work

# The clock beats every minute: three minutes without a beat is a stopped (or stuck) clock.
HEARTBEAT_STALE = timedelta(minutes=3)


@dataclass(frozen=True)
class Line:
    ok: bool
    name: str
    text: str  # what was found and, when not ok, what to do

    def __str__(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name}: {self.text}"


@dataclass
class Context:
    """What the checks share: the settings and environment, plus what earlier checks learned."""

    settings: Settings
    env: dict
    now: datetime
    auth: dict | None = None  # auth.test's answer, when the token works
    scopes: set[str] | None = None  # the token's scopes (x-oauth-scopes), when Slack said
    database_ok: bool = False  # reachable and migrated to head
    oauth_ready: bool = False  # OAuth mode with a client secret and a usable PACER_SECRET_KEY
    # OAuth mode: each installation's token -> its scopes (None: Slack didn't say), when
    # auth.test accepted it; and the tokens Slack refused.
    token_scopes: dict[str, set[str] | None] = field(default_factory=dict)
    refused_tokens: set[str] = field(default_factory=set)
    notes: dict = field(default_factory=dict)

    @property
    def oauth(self) -> bool:
        return bool(self.env.get("SLACK_CLIENT_ID"))

    @cached_property
    def client(self) -> WebClient:
        return WebClient(token=self.settings.bot_token, base_url=self.settings.api_url, timeout=10)

    @cached_property
    def engine(self):
        return db.make_engine(self.settings.database_url)

    @cached_property
    def tokens(self) -> TokenSource:
        """Each workspace's token as the app finds it (bot/oauth/setup.py), never refreshed:
        SLACK_BOT_TOKEN for every team, or each installation's own."""
        return token_source(self.settings, self.engine, refresh=False)

    def client_for(self, token: str) -> WebClient:
        if token == self.settings.bot_token:
            return self.client
        clients = self.notes.setdefault("clients", {})
        if token not in clients:
            clients[token] = WebClient(token=token, base_url=self.settings.api_url, timeout=10)
        return clients[token]


# -- the checks --------------------------------------------------------------------------------


def signing_secret(ctx: Context) -> list[Line]:
    if ctx.settings.signing_secret:
        return [Line(True, "signing secret", "SLACK_SIGNING_SECRET is set")]
    return [
        Line(
            False,
            "signing secret",
            "SLACK_SIGNING_SECRET is not set: every request from Slack would be refused. Copy "
            "the Signing Secret from your app's Basic Information page into it.",
        )
    ]


def bot_token(ctx: Context) -> list[Line]:
    token = ctx.settings.bot_token
    if ctx.oauth:
        # As the app does (bot/oauth/setup.py token_source, bot/app.py): SLACK_CLIENT_ID set,
        # every call uses its workspace's installation token and none uses SLACK_BOT_TOKEN.
        text = (
            "per installation (OAuth mode, SLACK_CLIENT_ID is set): checked per installation below"
        )
        if token:
            text += (
                ". SLACK_BOT_TOKEN is set too, but Pacer never uses it in OAuth mode (each "
                "workspace's installation token instead): unset it to avoid confusion"
            )
        return [Line(True, "bot token", text)]
    if not token:
        return [
            Line(
                False,
                "bot token",
                "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from your "
                "app's OAuth & Permissions page (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
                "for Add to Slack installs).",
            )
        ]
    try:
        answer = ctx.client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error", "unknown error")
        return [
            Line(
                False,
                "bot token",
                f"Slack refused SLACK_BOT_TOKEN ({code}): copy the current Bot User OAuth Token "
                "(xoxb-…) from OAuth & Permissions; reinstall the app if it was revoked.",
            )
        ]
    except OSError as error:  # connection refused, DNS, TLS, timeout
        return [
            Line(
                False,
                "bot token",
                f"can't reach Slack at {ctx.settings.api_url} ({type(error).__name__}: {error}): "
                "check the network, a proxy, or SLACK_API_URL.",
            )
        ]
    ctx.auth = answer.data if isinstance(answer.data, dict) else {}
    ctx.scopes = _granted(answer)
    return [
        Line(
            True,
            "bot token",
            f"valid: @{ctx.auth.get('user', '?')} in {ctx.auth.get('team', '?')} "
            f"({ctx.auth.get('team_id', '?')})",
        )
    ]


def scopes(ctx: Context) -> list[Line]:
    if ctx.oauth:
        return []  # each installation's scopes are checked with it (installations)
    if ctx.auth is None:
        if not ctx.settings.bot_token:
            return []  # told above
        return [Line(False, "scopes", "not checked: the bot token doesn't work (see above)")]
    try:
        wanted = manifest_bot_scopes()
    except ManifestError as error:
        return [Line(False, "scopes", str(error))]
    if ctx.scopes is None:
        return [
            Line(
                False,
                "scopes",
                "Slack did not say which scopes the token has (no x-oauth-scopes header): is "
                "SLACK_API_URL Slack's Web API?",
            )
        ]
    missing = sorted(wanted - ctx.scopes)
    if missing:
        return [Line(False, "scopes", f"the token lacks {_lacking(missing)}")]
    return [Line(True, "scopes", f"all {len(wanted)} bot scopes of the manifest are granted")]


def _lacking(missing: list[str]) -> str:
    return (
        f"{', '.join(missing)}: add them under OAuth & Permissions → Bot Token Scopes (or paste "
        "`pacer manifest --url https://your.host` into the app's manifest), then reinstall the "
        "app to the workspace."
    )


def database(ctx: Context) -> list[Line]:
    url = ctx.settings.database_url
    shown = db.make_url_safe(url)
    path = db.sqlite_path(url)
    if path is not None and not path.exists():
        # Opening it would create an empty file: doctor changes nothing.
        return [
            Line(
                False,
                "database",
                f"no database at {path}: run `pacer migrate` (or set DATABASE_URL to yours).",
            )
        ]
    try:
        db.ping(ctx.engine)
        current = current_revision(ctx.engine)
    except Exception as error:  # noqa: BLE001 - any driver error is told, not raised
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return [
            Line(
                False,
                "database",
                f"can't reach {shown} ({type(error).__name__}: {reason}): check DATABASE_URL "
                "and that the database server is up.",
            )
        ]
    head = head_revision()
    if current != head:
        found = "an empty database" if current is None else f"revision {current}"
        return [
            Line(
                False,
                "database",
                f"{shown} is at {found}, this Pacer needs {head}: run `pacer migrate`.",
            )
        ]
    ctx.database_ok = True
    return [Line(True, "database", f"{shown} reachable, migrated to {head}")]


def clock_heartbeat(ctx: Context) -> list[Line]:
    if not ctx.database_ok:
        return [Line(False, "clock", "not checked: the database isn't ready (see above)")]
    with unit_of_work(ctx.engine) as session:
        beats = heartbeat_queries.beats(session)
    fresh = [b for b in beats if ctx.now - b.beat_at <= HEARTBEAT_STALE]
    start = "start `pacer clock` (exactly one process; Procfile `clock:`, compose service `clock`)"
    if not beats:
        return [Line(False, "clock", f"no clock has ever run on this database: {start}.")]
    if not fresh:
        ago = _minutes(ctx.now - beats[0].beat_at)
        return [
            Line(
                False,
                "clock",
                f"the last heartbeat is {ago} old (from {beats[0].owner}): rituals are not "
                f"running; {start}.",
            )
        ]
    if len(fresh) > 1:
        owners = ", ".join(b.owner for b in fresh)
        return [
            Line(
                False,
                "clock",
                f"{len(fresh)} clocks are running ({owners}): keep exactly one `pacer clock` "
                "(rituals still post once, but every clock does the work).",
            )
        ]
    return [
        Line(
            True,
            "clock",
            f"{fresh[0].owner} beat {_minutes(ctx.now - fresh[0].beat_at)} ago",
        )
    ]


def channels(ctx: Context) -> list[Line]:
    """Each team's ritual channel, asked with its own workspace's token (as the rituals post)."""
    if not ctx.database_ok:
        return [Line(False, "channels", "not checked: the database isn't ready (see above)")]
    if ctx.oauth:  # each installation's token, whatever SLACK_BOT_TOKEN holds
        if not ctx.oauth_ready:
            return [Line(False, "channels", "not checked: the OAuth settings aren't (see above)")]
    elif ctx.auth is None:
        return [Line(False, "channels", "not checked: the bot token doesn't work (see above)")]
    with unit_of_work(ctx.engine) as session:
        paused = people_queries.paused_workspaces(session)
        teams = [
            (t, people_queries.get_workspace(session, t.workspace_id))
            for t in people_queries.teams(session)
            if t.workspace_id not in paused
        ]
    if not teams:
        return [Line(True, "channels", "no teams yet (they appear when someone uses Pacer)")]
    return [_team_channel(ctx, team, workspace) for team, workspace in teams]


def _team_channel(ctx: Context, team, workspace) -> Line:
    name = f"channel of {team.name}"
    slack_team = workspace.slack_team_id if workspace else None
    token = ctx.tokens.bot_token(
        slack_team, (workspace.enterprise_id or None) if workspace else None
    )
    if not token:
        return Line(
            False,
            name,
            f"no bot token for workspace {slack_team} (not installed, or its token doesn't "
            f"decrypt: see above): install Pacer there at {_install_url(ctx)}",
        )
    if token in ctx.refused_tokens:
        return Line(
            False, name, f"not checked: workspace {slack_team}'s token doesn't work (see above)"
        )
    if not team.channel_id:
        return Line(
            False,
            name,
            "no ritual channel: the rituals have nowhere to post. In Slack: /pacer channel #sales",
        )
    try:
        info = ctx.client_for(token).conversations_info(channel=team.channel_id).data["channel"]
    except SlackApiError as error:
        code = error.response.get("error", "unknown error")
        if code == "channel_not_found":
            return Line(
                False,
                name,
                f"{team.channel_id} is private without Pacer, or deleted: type `/invite @Pacer` "
                "in it, or choose another with /pacer channel #channel.",
            )
        return Line(False, name, f"conversations.info {team.channel_id} failed: {code}")
    except OSError as error:
        return Line(False, name, f"can't reach Slack ({type(error).__name__}: {error})")
    shown = f"#{info.get('name', team.channel_id)} ({team.channel_id})"
    if info.get("is_member"):
        return Line(True, name, f"{shown}: Pacer is a member")
    if info.get("is_private"):
        return Line(False, name, f"{shown} is private and Pacer is not in it: `/invite @Pacer`.")
    granted = ctx.token_scopes.get(token) if ctx.oauth else ctx.scopes
    if granted is not None and "channels:join" not in granted:
        return Line(
            False,
            name,
            f"{shown}: Pacer is not in it and can't join (no channels:join scope): "
            "`/invite @Pacer` there, or grant channels:join.",
        )
    return Line(True, name, f"{shown}: public, Pacer joins it when it posts (channels:join)")


def installations(ctx: Context) -> list[Line]:
    """OAuth mode: every installation's token works (auth.test) and has the manifest's scopes."""
    if not ctx.oauth:
        return []
    if not ctx.database_ok or not ctx.oauth_ready:
        what = "the database isn't ready" if not ctx.database_ok else "the OAuth settings aren't"
        return [Line(False, "installations", f"not checked: {what} (see above)")]
    store = ctx.tokens.store
    found = store.installed_teams()
    if not found:
        return [
            Line(
                False,
                "installations",
                f"Pacer is installed in no workspace yet: open {_install_url(ctx)} in a browser "
                "and press Allow (each workspace installs it once).",
            )
        ]
    try:
        wanted = manifest_bot_scopes()
    except ManifestError as error:
        return [Line(False, "scopes", str(error))]
    return [_installation(ctx, store, *key, wanted) for key in sorted(found, key=str)]


def _installation(ctx: Context, store, enterprise_id, team_id, org_wide, wanted) -> Line:
    name = f"install {team_id}" if not org_wide else f"install org {enterprise_id}"
    bot = store.find_bot(
        enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
    )
    if bot is None or not bot.bot_token:
        installed = bot.installed_at if bot else None
        when = f" (installed {datetime.fromtimestamp(installed, UTC):%Y-%m-%d %H:%M} UTC)"
        return Line(
            False,
            name,
            "its token doesn't decrypt with PACER_SECRET_KEY: it was encrypted with the key "
            f"Pacer had when it was installed{when if installed else ''}. Set PACER_SECRET_KEY "
            "to that key (or add it after the new one, comma-separated, to rotate), or "
            f"reinstall at {_install_url(ctx)}.",
        )
    try:
        answer = ctx.client_for(bot.bot_token).auth_test()
    except SlackApiError as error:
        ctx.refused_tokens.add(bot.bot_token)
        code = error.response.get("error", "unknown error")
        return Line(
            False,
            name,
            f"Slack refused its token ({code}): the app was removed or the token revoked; "
            f"install Pacer again in that workspace at {_install_url(ctx)}.",
        )
    except OSError as error:
        ctx.refused_tokens.add(bot.bot_token)
        return Line(
            False,
            name,
            f"can't reach Slack at {ctx.settings.api_url} ({type(error).__name__}: {error}): "
            "check the network, a proxy, or SLACK_API_URL.",
        )
    granted = ctx.token_scopes[bot.bot_token] = _granted(answer)
    data = answer.data if isinstance(answer.data, dict) else {}
    where = data.get("team_id") or data.get("enterprise_id") or team_id or enterprise_id
    team = f"{data['team']} ({where})" if data.get("team") else where
    who = f"@{data.get('user') or data.get('user_id') or '?'} in {team}"
    if granted is None:
        return Line(False, name, f"{who}: Slack did not say which scopes the token has")
    missing = sorted(wanted - granted)
    if missing:
        return Line(False, name, f"{who}: its token lacks {_lacking(missing)}")
    return Line(True, name, f"{who}: token valid, all {len(wanted)} bot scopes granted")


def oauth_settings(ctx: Context) -> list[Line]:
    if not ctx.oauth:
        return []
    lines = []
    if ctx.env.get("SLACK_CLIENT_SECRET"):
        lines.append(Line(True, "oauth", "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set"))
    else:
        lines.append(
            Line(
                False,
                "oauth",
                "SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: copy the Client Secret "
                "from your app's Basic Information page.",
            )
        )
    key = ctx.env.get("PACER_SECRET_KEY") or ""
    make = (
        'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
    )
    if not key:
        lines.append(
            Line(
                False,
                "secret key",
                f"PACER_SECRET_KEY is not set: tokens are encrypted with it. Make one with {make} "
                "and keep it safe (losing it means reinstalling in every workspace).",
            )
        )
    elif not all(is_fernet_key(k.strip()) for k in key.split(",")):  # newest first
        lines.append(
            Line(
                False,
                "secret key",
                "PACER_SECRET_KEY is not a Fernet key (32 bytes, url-safe base64, 44 characters):"
                f" make one with {make}",
            )
        )
    else:
        lines.append(Line(True, "secret key", "PACER_SECRET_KEY is a valid Fernet key"))
    ctx.oauth_ready = all(line.ok for line in lines)
    return lines


CHECKS: list[Callable[[Context], list[Line]]] = [
    signing_secret,
    bot_token,
    scopes,
    oauth_settings,
    database,
    installations,
    clock_heartbeat,
    channels,
]


# -- helpers -----------------------------------------------------------------------------------


def manifest_bot_scopes() -> set[str]:
    manifest = yaml.safe_load(read_template()) or {}
    found = ((manifest.get("oauth_config") or {}).get("scopes") or {}).get("bot") or []
    return {str(s) for s in found}


def _granted(answer) -> set[str] | None:
    """The scopes of auth.test's x-oauth-scopes header; None when Slack didn't say."""
    header = {k.lower(): v for k, v in (answer.headers or {}).items()}.get("x-oauth-scopes")
    if isinstance(header, list):
        header = ",".join(header)
    if header is None:
        return None
    return {s.strip() for s in header.split(",") if s.strip()}


def _install_url(ctx: Context) -> str:
    return ctx.settings.public_url.rstrip("/") + "/slack/install"


def is_fernet_key(key: str) -> bool:
    """What cryptography's Fernet accepts: 32 bytes in url-safe base64."""
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


def _minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes // 60} hours"


def run(settings: Settings, env: dict, out=None, checks=None) -> int:
    out = out or sys.stdout
    ctx = Context(settings=settings, env=env, now=settings.now())
    failed = 0
    try:
        for check in checks or CHECKS:
            for line in check(ctx):
                print(line, file=out, flush=True)
                failed += not line.ok
    finally:
        if "engine" in ctx.__dict__:
            ctx.engine.dispose()
    if failed:
        print(f"{failed} problem{'s' if failed != 1 else ''} found.", file=out)
        return 1
    print("All checks passed.", file=out)
    return 0
