"""What OAuth mode needs, built from the settings once per process: the stores, the token
rotator, the token source. Off (None) in single-workspace mode (SLACK_BOT_TOKEN)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.oauth.tokens import InstallationTokenSource, Rotation, StoredTokenSource
from bot.settings import Settings
from bot.tokens import EnvTokenSource, TokenSource

if TYPE_CHECKING:
    from storage.installations import EncryptedInstallationStore, StateStore

# The manifest's bot scopes (manifest.yml, oauth_config.scopes.bot): SLACK_SCOPES's default.
# tests/bot/oauth/test_setup.py keeps the two equal.
DEFAULT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "channels:join",
    "im:write",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
    "files:write",
    "files:read",
    "channels:history",
    "groups:history",
    "mpim:write",
    "mpim:history",
    "im:history",
    "reactions:write",
)
# Bolt's default: a token expiring within 2 hours is refreshed before it is used.
ROTATE_MINUTES_BEFORE_EXPIRY = 120


@dataclass
class OAuth:
    settings: Settings
    installations: EncryptedInstallationStore
    states: StateStore
    rotator: TokenRotator
    rotate_minutes: int = ROTATE_MINUTES_BEFORE_EXPIRY
    # One per process: requests (bot/oauth/authorize.py) and calls outside them share what it
    # keeps in memory and its refresh lock.
    rotation: Rotation = field(init=False)

    def __post_init__(self) -> None:
        self.rotation = Rotation(self.installations, self.rotator, self.rotate_minutes)

    @property
    def scopes(self) -> tuple[str, ...]:
        return self.settings.scopes or DEFAULT_SCOPES


def oauth_client(settings: Settings) -> WebClient:
    """oauth.v2.access (installs and rotation) goes to SLACK_API_URL like every other call."""
    return WebClient(base_url=settings.api_url, timeout=10)


def make_oauth(settings: Settings, engine) -> OAuth | None:
    """The OAuth parts, or None in single-workspace mode. A bad PACER_SECRET_KEY stops the start
    with a message saying how to make one."""
    if not settings.oauth:
        return None
    # Imported here: single-workspace mode never loads the OAuth stores.
    from storage.installations import BadSecretKey, EncryptedInstallationStore, StateStore

    settings.require(
        "OAuth installs (SLACK_CLIENT_ID is set)", "SLACK_CLIENT_SECRET", "PACER_SECRET_KEY"
    )
    try:
        installations = EncryptedInstallationStore(
            settings.client_id, engine, settings.secret_key or ""
        )
    except BadSecretKey as error:
        raise SystemExit(f"pacer: {error}") from None
    rotator = TokenRotator(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        client=oauth_client(settings),
    )
    return OAuth(settings, installations, StateStore(engine), rotator)


def token_source(
    settings: Settings, engine, oauth: OAuth | None = None, *, refresh: bool = True
) -> TokenSource:
    """Whose token a call outside a request uses: the installation's in OAuth mode, else
    SLACK_BOT_TOKEN. ``refresh=False``: the stored token, never rotated (nothing written)."""
    oauth = oauth or make_oauth(settings, engine)
    if oauth is None:
        return EnvTokenSource(settings.bot_token)
    if not refresh:
        return StoredTokenSource(oauth.installations)
    return InstallationTokenSource(oauth.rotation)
