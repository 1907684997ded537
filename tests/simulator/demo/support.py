"""Reading the demo's printed story: the reply under a typed command, a printed message; and an
app that records what the demo types."""

import json
from datetime import date
from urllib.parse import parse_qs

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

TODAY = date(2026, 11, 19)  # a Thursday


def replies(output: str) -> dict[str, str]:
    """`Who › /command text` → the reply printed under it (the last one, for repeats)."""
    found, typed, lines = {}, None, []
    for line in output.splitlines():
        if " › " in line and not line.startswith(" "):
            if typed:
                found[typed] = "\n".join(lines)
            typed, lines = line, []
        elif typed and lines and line.startswith("      ") and line[6] != "·":
            lines[-1] += " " + line.strip()  # a long line the renderer wrapped
        elif typed and line.startswith("    "):
            lines.append(line.strip())
        elif typed and not line.strip() and lines:
            found[typed], typed = "\n".join(lines), None
    if typed:
        found[typed] = "\n".join(lines)
    return found


def printed(output: str, key: str) -> str:
    found = replies(output)
    assert key in found, f"{key!r} not in the output"
    return found[key]


def reply_to(output: str, who, command: str) -> str:
    return printed(output, f"{who.name} › {command}")


class RecordingApp:
    """Stands in for the Bolt app: checks each request's signature with ``secret``, records what
    was typed, and answers with the next of ``replies`` ((status, JSON body) pairs)."""

    def __init__(self, secret: str, *replies: tuple[int, dict]):
        self.verifier = SignatureVerifier(secret)
        self.replies = list(replies)
        self.typed: list[dict[str, str]] = []

    def dispatch(self, request: BoltRequest) -> BoltResponse:
        headers = {k: v[0] for k, v in request.headers.items()}
        expected = self.verifier.generate_signature(
            timestamp=headers["x-slack-request-timestamp"], body=request.raw_body
        )
        assert headers["x-slack-signature"] == expected, "signed with another secret"
        self.typed.append({k: v[0] for k, v in parse_qs(request.raw_body).items()})
        status, body = self.replies.pop(0)
        return BoltResponse(status=status, body=json.dumps(body))
