"""What every listener, follow-up and ritual needs, built once per process: the settings, the
database engine, the Slack clients, the clock and the pool that runs work after an ack.

Every Web API call Pacer makes goes through ``clients_for(team_id, enterprise_id)``: the clients
of the workspace it works for, with that workspace's bot token (bot/tokens.py). A workspace with
no token (not installed, uninstalled) has no clients, and nothing is sent for it: never with
another workspace's token."""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.after_ack import MAX_WAIT, Coalescer, InFlight, QuietLane
from bot.debounce import Debouncer
from bot.identity import BotIdentity
from bot.settings import Settings
from bot.slack_failures import QUIET
from bot.tokens import EnvTokenSource, TokenSource
from storage import people_queries
from storage.unit_of_work import Session, unit_of_work

log = logging.getLogger("pacer")

# Clients kept for this many distinct tokens (a rotated token leaves its old clients behind).
CLIENTS_KEPT = 512


class NotInstalled(Exception):
    """A workspace with no bot token: Pacer is not installed there (or was uninstalled)."""


@dataclass(frozen=True)
class WorkspaceClients:
    """One workspace's Web API clients, configured like Services' own (retries, timeouts) but
    holding that workspace's bot token."""

    client: WebClient
    ritual_client: WebClient
    modal_client: WebClient


@dataclass
class Services:
    settings: Settings
    engine: object  # an SQLAlchemy engine, made by storage.db.make_engine
    client: WebClient
    clock: Callable[[], datetime]
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(8, "pacer-after-ack")
    )
    # Posts rituals: retries only what Slack surely did not post (429); an ambiguous failure
    # (5xx, a timeout) ends the attempt, and the next one looks for the post before posting again.
    ritual_client: WebClient | None = None
    # Each ritual kind's delivery, by kind name: bot.ritual_deliveries.DELIVERIES, handed in by the
    # composition root (bot.server.make_services …) so that the ritual runner imports no feature.
    deliveries: Mapping[str, Any] = field(default_factory=dict)
    # The hash of each person's Home tab as this process last published or saw it, by (Slack
    # team, enterprise, user): views.publish sends it, so an older view never replaces a newer
    # one (bot/home/listeners.py).
    home_hashes: dict[tuple, str] = field(default_factory=dict)
    # Ritual channels this process joined, or learned it can't join (bot.delivery.posting
    # join_once): each channel is joined once, not before every post. By (Slack team,
    # enterprise), then channel: a channel ID is only unique within its workspace.
    channels_joined: dict[tuple, dict[str, str]] = field(default_factory=dict)
    # Seconds a Home tab refresh after a log waits for more logs to join it (bot/debounce.py):
    # `pacer serve` waits a second; 0 (tests in one process) refreshes at once.
    home_refresh_delay: float = 0.0
    home_refreshes: Debouncer | None = None
    # Opens modals before the acknowledgement (bot/modals.py): no retries, 2.5 s at most, so a
    # slow or rate-limiting Slack still leaves time to answer within Slack's 3 seconds.
    modal_client: WebClient | None = None
    # Who the bot is (auth.test), asked once at start, before the workers fork (bot/identity.py).
    identity: BotIdentity = field(default_factory=BotIdentity)

    # Requests this process is answering (bot/server.py counts them): the quiet lane's work
    # waits for a moment with none (bot/after_ack.py).
    in_flight: InFlight = field(default_factory=InFlight)
    # Work after the ack that may wait for a quiet moment: standings replies, Home refreshes.
    # None: a QuietLane, or, when ``background`` is not a thread pool (a test's or the demo's
    # inline executor), ``background`` itself, so that everything still runs at once, in order.
    quiet: Any = None
    quiet_wait: float = MAX_WAIT  # seconds a quiet job waits at most (PACER_AFTER_ACK_WAIT)
    # Standings replies after /log, one computation per rep for the logs waiting (bot/log/reply.py)
    log_replies: Coalescer | None = None
    # Whose bot token each workspace's calls use (bot/tokens.py). None: SLACK_BOT_TOKEN for all.
    # OAuth installs (bot/oauth) give an installation-backed source.
    tokens: TokenSource | None = None
    # OAuth installs: the installation store (an uninstall deletes its tokens). None otherwise.
    installations: Any = None
    oauth: Any = None  # bot.oauth.setup.OAuth in OAuth mode
    _clients: OrderedDict = field(default_factory=OrderedDict, repr=False, init=False)
    _clients_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, init=False)

    def __post_init__(self) -> None:
        if self.ritual_client is None:
            self.ritual_client = make_ritual_client(self.client)
        if self.quiet is None:
            pool = isinstance(self.background, ThreadPoolExecutor)
            self.quiet = QuietLane(self.in_flight, self.quiet_wait) if pool else self.background
        if self.home_refreshes is None:
            self.home_refreshes = Debouncer(self.after_ack_quietly, self.home_refresh_delay)
        if self.log_replies is None:
            self.log_replies = Coalescer(self.after_ack_quietly)
        if self.modal_client is None:
            self.modal_client = make_modal_client(self.client)
        if self.tokens is None:
            self.tokens = EnvTokenSource(self.settings.bot_token)

    def clients_for(
        self, team_id: str | None, enterprise_id: str | None
    ) -> WorkspaceClients | None:
        """The clients of Slack workspace ``team_id`` (in Grid org ``enterprise_id``), with its
        own bot token; None when it has none (not installed, uninstalled): the caller sends
        nothing (this logs why, once per call). The process's own clients when the token is
        theirs (single-workspace mode), so that they stay the ones every call uses."""
        token = self.tokens.bot_token(team_id or None, enterprise_id or None)
        if not token:
            log.info(
                "no bot token for workspace %s%s (not installed, or uninstalled): nothing sent",
                team_id,
                f" in {enterprise_id}" if enterprise_id else "",
            )
            return None
        if token == self.client.token:
            return WorkspaceClients(self.client, self.ritual_client, self.modal_client)
        with self._clients_lock:
            clients = self._clients.get(token)
            if clients is None:
                client = _with_token(self.client, token)
                clients = WorkspaceClients(
                    client,
                    _with_token(self.ritual_client, token),
                    _with_token(self.modal_client, token),
                )
                self._clients[token] = clients
                while len(self._clients) > CLIENTS_KEPT:
                    self._clients.popitem(last=False)
            else:
                self._clients.move_to_end(token)
            return clients

    def clients_of(self, session: Session, workspace_id: int) -> WorkspaceClients | None:
        """The clients of Pacer's workspace row ``workspace_id`` (a team's, a person's)."""
        slack = self.slack_ids(session, workspace_id)
        return self.clients_for(*slack) if slack else None

    def sending_clients(self, session: Session, workspace_id: int) -> WorkspaceClients:
        """``clients_of`` for a ritual's messages: raises NotInstalled when there are none, so
        the run is recorded as failed, never sent with another workspace's token."""
        clients = self.clients_of(session, workspace_id)
        if clients is None:
            raise NotInstalled(f"no bot token for workspace {workspace_id}: not installed there")
        return clients

    def slack_ids(self, session: Session, workspace_id: int) -> tuple[str, str | None] | None:
        """(Slack team ID, enterprise ID) of a workspace row: what ``clients_for`` takes."""
        workspace = people_queries.get_workspace(session, workspace_id)
        if workspace is None:
            return None
        return workspace.slack_team_id, workspace.enterprise_id or None

    def joined_in(self, team_id: str | None, enterprise_id: str | None) -> dict[str, str]:
        """This process's memory of the channels it joined in one workspace."""
        return self.channels_joined.setdefault((team_id or "", enterprise_id or ""), {})

    def unit_of_work(self) -> AbstractContextManager[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        return unit_of_work(self.engine)

    def after_ack(self, job: Callable[[], None]) -> None:
        self.background.submit(_logged(job))

    def after_ack_quietly(self, job: Callable[[], None]) -> bool:
        """``job`` after the ack, in a quiet moment (bot/after_ack.py); False if refused."""
        return self.quiet.submit(_logged(job)) is not False


def _logged(job: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:  # a failed follow-up must not vanish silently
            logging.getLogger("pacer.background").exception("background job failed")

    return run


def make_client(settings: Settings) -> WebClient:
    """A Web API client that retries 429s (honouring Retry-After), 5xx and dropped connections."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=10,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def _with_token(model: WebClient, token: str) -> WebClient:
    """A client configured like ``model`` (base URL, timeout, retries, logger), with ``token``."""
    return WebClient(
        token=token,
        base_url=model.base_url,
        timeout=model.timeout,
        retry_handlers=list(model.retry_handlers),
        # slack_sdk before 3.34 keeps it as ``_logger`` (the floor of pyproject.toml is 3.33.1)
        logger=getattr(model, "logger", None) or getattr(model, "_logger", None),
    )


def make_ritual_client(client: WebClient) -> WebClient:
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=30,
        # Only 429s: Slack did not act on them. A 5xx or a timeout may have posted, so the attempt
        # ends and the next one looks in the channel before posting again.
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=5)],
    )


MODAL_TIMEOUT = 2.5  # seconds: Slack waits 3 for the acknowledgement


def make_modal_client(client: WebClient) -> WebClient:
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=MODAL_TIMEOUT,
        retry_handlers=[],  # None would mean slack_sdk's default: retry a dropped connection
        logger=QUIET,  # the caller says what failed, once
    )
