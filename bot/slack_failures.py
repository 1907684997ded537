"""What went wrong with one Web API call that is not retried (a modal opened before the
acknowledgement, auth.test at start): a refusal from Slack, a rate limit, a timeout or no
connection at all, in a few words for a log line or a reply."""

from __future__ import annotations

import http.client
import logging
from dataclasses import dataclass
from urllib.error import URLError

from slack_sdk.errors import SlackApiError

# slack_sdk logs every failed request at ERROR, with the URL; a call that is never retried has
# its failure reported once, by its caller, in words an operator can act on.
QUIET = logging.getLogger("pacer.slack_unretried")
QUIET.setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Failure:
    kind: str  # "refused", "ratelimited", "slack_error" (5xx), "timeout", "unreachable", "other"
    detail: str  # for the log: Slack's error code, or what the connection did

    @property
    def unreachable(self) -> bool:
        """Slack did not answer usefully (the call may work a moment later)."""
        return self.kind in ("ratelimited", "slack_error", "timeout", "unreachable")


def describe(error: BaseException) -> Failure:
    if isinstance(error, SlackApiError):
        status = getattr(error.response, "status_code", 200)
        code = str(error.response.get("error") or f"HTTP {status}")
        if status == 429 or code == "ratelimited":
            return Failure("ratelimited", f"HTTP {status} {code}")
        if status >= 500:
            return Failure("slack_error", f"HTTP {status} {code}")
        return Failure("refused", code)
    reason = error.reason if isinstance(error, URLError) else error
    if isinstance(reason, TimeoutError):
        return Failure("timeout", "no answer in time")
    if isinstance(error, OSError | http.client.HTTPException):  # URLError is an OSError
        return Failure(
            "unreachable", _words(reason) if isinstance(reason, BaseException) else str(reason)
        )
    return Failure("other", _words(error))


def _words(error: BaseException) -> str:
    text = str(error)
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
    return f"{type(error).__name__}: {text}"[:200] if text else type(error).__name__
