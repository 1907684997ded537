"""Settings from the environment, or from a .env file in the working directory."""

import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from dotenv import load_dotenv

from storage.db import DEFAULT_URL

DEFAULT_API_URL = "https://slack.com/api/"


class MissingSetting(SystemExit):
    """A required setting is absent: a clear message and a non-zero exit."""

    def __init__(self, names: list[str], purpose: str):
        lines = [f"pacer: {purpose} needs these settings, which are not set:"]
        lines += [f"  {name} — {DESCRIPTIONS.get(name, '')}" for name in names]
        lines.append(
            "Set them in the environment or in a .env file in this directory (see README.md)."
        )
        super().__init__("\n".join(lines))


DESCRIPTIONS = {
    "SLACK_BOT_TOKEN": "the app's Bot User OAuth Token (xoxb-…), from OAuth & Permissions",
    "SLACK_SIGNING_SECRET": "the app's Signing Secret, from Basic Information",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, for Socket Mode",
    "SLACK_CLIENT_SECRET": "the app's Client Secret, from Basic Information (OAuth installs)",
    "PACER_SECRET_KEY": (
        "a Fernet key that encrypts stored tokens (OAuth installs); make one with: python -c "
        "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    ),
}


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_url: str
    database_url: str
    admins: frozenset[str]
    clock: str | None  # a fixed ISO instant, for tests and demos only
    # Seconds a Home tab refresh after a log waits for more logs to join it (bot/debounce.py)
    home_refresh_delay: float = 1.0
    # Seconds work after an ack may wait for a pause in the traffic (bot/after_ack.py)
    after_ack_wait: float = 2.0
    # Where people reach the app (PACER_PUBLIC_URL): the base of the TV links /pacer tv gives.
    public_url: str = "http://localhost:3000"
    # OAuth installs in many workspaces ("Add to Slack"): on when SLACK_CLIENT_ID is set
    # (bot/oauth). SLACK_SCOPES: comma-separated; empty means the manifest's bot scopes.
    client_id: str | None = None
    client_secret: str | None = None
    scopes: tuple[str, ...] = ()
    secret_key: str | None = None

    @property
    def oauth(self) -> bool:
        """Many workspaces, each with its own installation (SLACK_CLIENT_ID set)."""
        return bool(self.client_id)

    def require(self, purpose: str, *names: str) -> None:
        if self.oauth and "SLACK_BOT_TOKEN" in names:
            # OAuth installs: each workspace's token comes from its installation, kept encrypted
            i = names.index("SLACK_BOT_TOKEN")
            names = (*names[:i], "SLACK_CLIENT_SECRET", "PACER_SECRET_KEY", *names[i + 1 :])
            purpose += " (OAuth installs: SLACK_CLIENT_ID is set)"
        values = {
            "SLACK_BOT_TOKEN": self.bot_token,
            "SLACK_SIGNING_SECRET": self.signing_secret,
            "SLACK_APP_TOKEN": self.app_token,
            "SLACK_CLIENT_SECRET": self.client_secret,
            "PACER_SECRET_KEY": self.secret_key,
        }
        missing = [n for n in names if not values.get(n)]
        if missing:
            raise MissingSetting(missing, purpose)

    def now(self) -> datetime:
        """The current instant; PACER_CLOCK pins it so tests never depend on today's date."""
        if self.clock:
            return parse_instant(self.clock)
        return datetime.now(UTC)


def parse_instant(text: str) -> datetime:
    instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        raise ValueError(f"{text!r} needs a UTC offset, e.g. 2026-11-19T15:00:00-05:00")
    return instant


def load_settings(env: dict | None = None, dotenv_dir: Path | None = None) -> Settings:
    if env is None:
        load_dotenv((dotenv_dir or Path.cwd()) / ".env", override=False)
        env = dict(os.environ)
    admins = frozenset(a.strip() for a in env.get("PACER_ADMINS", "").split(",") if a.strip())
    api_url = env.get("SLACK_API_URL") or DEFAULT_API_URL
    if not api_url.endswith("/"):
        api_url += "/"
    return Settings(
        bot_token=env.get("SLACK_BOT_TOKEN") or None,
        signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        app_token=env.get("SLACK_APP_TOKEN") or None,
        api_url=api_url,
        database_url=env.get("DATABASE_URL") or DEFAULT_URL,
        admins=admins,
        clock=env.get("PACER_CLOCK") or None,
        home_refresh_delay=_seconds(env, "PACER_HOME_REFRESH_DELAY", 1.0),
        after_ack_wait=_seconds(env, "PACER_AFTER_ACK_WAIT", 2.0),
        public_url=(
            env.get("PACER_PUBLIC_URL") or f"http://localhost:{env.get('PORT') or 3000}"
        ).rstrip("/"),
        client_id=env.get("SLACK_CLIENT_ID") or None,
        client_secret=env.get("SLACK_CLIENT_SECRET") or None,
        scopes=tuple(s.strip() for s in (env.get("SLACK_SCOPES") or "").split(",") if s.strip()),
        secret_key=env.get("PACER_SECRET_KEY") or None,
    )


def serving_on(settings: Settings, port: int, env: dict | None = None) -> Settings:
    """`pacer serve --port N`: without PACER_PUBLIC_URL, the TV links point at localhost:N (the
    port the server listens on, which --port may set apart from $PORT)."""
    env = os.environ if env is None else env
    if env.get("PACER_PUBLIC_URL"):
        return settings
    return replace(settings, public_url=f"http://localhost:{port}")


def _seconds(env: dict, name: str, default: float) -> float:
    text = env.get(name) or ""
    try:
        value = float(text) if text else default
    except ValueError:
        raise SystemExit(f"{name}={text!r} is not a number of seconds (e.g. {name}=0.5)") from None
    if not 0 <= value <= 60:
        raise SystemExit(f"{name}={text!r}: give 0 to 60 seconds")
    return value
