"""Who the bot is in Slack (auth.test), asked once when Pacer starts, before gunicorn forks its
workers, and kept for the life of the process.

Left to itself, Bolt calls auth.test on each worker's first request, before the
acknowledgement: with Slack slow, rate-limiting or unreachable, that request fails or misses
Slack's 3 seconds. Here Bolt's ``authorize`` answers from memory instead, with the request's own
workspace and Grid org (a Grid org's workspaces share one bot). A start without an answer still
serves everything (Pacer needs only Bolt's check that an event isn't the bot's own); the
question is asked again in the background, at most once a minute, until Slack answers."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_sdk import WebClient

from bot.slack_failures import describe

log = logging.getLogger("pacer")

ASK_AGAIN_SECONDS = 60.0


@dataclass(frozen=True)
class Answer:
    """auth.test's answer: the bot's user and bot ids, and where its token was issued."""

    bot_user_id: str | None
    bot_id: str | None
    team_id: str | None
    enterprise_id: str | None


class BotIdentity:
    """The bot's ids once Slack told them (``known``); until then, whether and when to ask."""

    def __init__(self) -> None:
        self.known: Answer | None = None
        self._asked_at_start = False  # only a server asks (tests and the console never do)
        self._last_asked = float("-inf")
        self._asking = False
        self._lock = threading.Lock()

    def ask(self, client: WebClient) -> BaseException | None:
        """auth.test now, through a client that doesn't retry; the error when it failed."""
        try:
            answer = client.auth_test()
        except Exception as error:  # Slack refused, limited, timed out or was not there
            return error
        self.known = Answer(
            bot_user_id=answer.get("user_id"),
            bot_id=answer.get("bot_id"),
            team_id=answer.get("team_id"),
            enterprise_id=answer.get("enterprise_id") or None,
        )
        return None

    def asked_at_start(self, now: float) -> None:
        self._asked_at_start, self._last_asked = True, now

    def claim_retry(self, now: float) -> bool:
        """True (once) when asking again is due: the start's question went unanswered, no
        other thread is asking, and the last try is a minute old."""
        if self.known is not None or not self._asked_at_start:
            return False
        with self._lock:
            if self._asking or now - self._last_asked < ASK_AGAIN_SECONDS:
                return False
            self._asking, self._last_asked = True, now
            return True

    def retry(self, client: WebClient) -> None:
        try:
            error = self.ask(client)
        finally:
            self._asking = False
        if error is None:
            log.info("Slack answered auth.test: bot user %s", self.known.bot_user_id)
        else:
            log.info("Slack still unanswered (auth.test: %s)", describe(error).detail)


def identify_at_start(identity: BotIdentity, client: WebClient) -> None:
    """auth.test once, before the workers fork (they inherit the answer). Whatever Slack does,
    Pacer starts: one warning line says what happened. Without SLACK_BOT_TOKEN (installs
    through OAuth), nothing is asked: each workspace's bot ids come with its installation."""
    if not client.token:
        return
    identity.asked_at_start(time.monotonic())
    error = identity.ask(client)
    if error is None:
        known = identity.known
        log.info("Slack: bot user %s in workspace %s", known.bot_user_id, known.team_id)
        return
    failure = describe(error)
    if failure.unreachable or failure.kind == "other":
        log.warning(
            "Slack unreachable at start (auth.test: %s): serving anyway; commands are "
            "acknowledged as usual, and Pacer asks Slack again after the next request",
            failure.detail,
        )
    else:
        log.warning(
            "Slack refused the bot token at start (auth.test: %s): serving anyway; check "
            "SLACK_BOT_TOKEN, as every message Pacer sends will be refused the same way",
            failure.detail,
        )


class CachedAuthorize(Authorize):
    """Bolt's ``authorize``: the bot token of the request's own workspace (``tokens``,
    bot/tokens.py) and the bot's ids from memory, the workspace and Grid org from the request
    itself. No network call on the request path.

    The ids auth.test gave belong to the token it was asked with (``token``, SLACK_BOT_TOKEN):
    a request whose workspace has another token gets no bot ids here (the bot user differs per
    workspace). Pacer's own listeners need none: they skip any message with a ``bot_id``."""

    def __init__(self, identity: BotIdentity, token: str | None, ask_later, tokens=None) -> None:
        self.identity, self.token, self.ask_later = identity, token, ask_later
        self.tokens = tokens  # None: ``token`` for every workspace

    def __call__(self, *, context, enterprise_id, team_id, user_id, **_actor) -> AuthorizeResult:
        token = self.token if self.tokens is None else self.tokens.bot_token(team_id, enterprise_id)
        ours = token is not None and token == self.token  # the token auth.test was asked with
        known = self.identity.known if ours else None
        if ours and known is None and self.identity.claim_retry(time.monotonic()):
            self.ask_later()
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=token,
            bot_user_id=known.bot_user_id if known else None,
            bot_id=known.bot_id if known else None,
        )
