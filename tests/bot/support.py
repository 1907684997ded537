"""What the Slack-side tests share: the Rig (the real Bolt app on an SQLite file, its Web API
calls going to the local Slack stand-in, after-ack work done inline), its people, and the check
that a message stays inside Slack's limits."""

import json
from datetime import datetime

from slack_bolt.request import BoltRequest
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.models.blocks import Block

from bot import messages
from bot.app import build_app
from bot.ritual_deliveries import DELIVERIES
from bot.services import Services, make_client
from bot.settings import load_settings
from simulator.signed_requests import command_body, responses_to, signed_headers
from simulator.slack_standin import SlackStandin
from storage.db import make_engine
from storage.migrate import upgrade

ADMIN, SDR, AE, MGR = "U0ADMIN01", "U0SDR0001", "U0AE00001", "U0MGR0001"
TUESDAY_11 = datetime.fromisoformat("2026-11-24T11:00:00-05:00")


class Inline:
    """After-ack work done before dispatch returns: a test reads what it did, with no race."""

    def submit(self, job) -> None:
        job()

    def shutdown(self, wait: bool = True) -> None:
        pass


class Rig:
    def __init__(self, tmp_path, slack: SlackStandin):
        self.slack = slack
        self.now = TUESDAY_11
        settings = load_settings(
            {
                "SLACK_BOT_TOKEN": "xoxb-rig",
                "SLACK_SIGNING_SECRET": "rig-secret",
                "SLACK_API_URL": slack.url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'rig.db'}",
                "PACER_ADMINS": ADMIN,
            }
        )
        self.engine = make_engine(settings.database_url)
        upgrade(self.engine)
        self.services = Services(
            settings,
            self.engine,
            make_client(settings),
            clock=lambda: self.now,
            background=Inline(),
            deliveries=DELIVERIES,
        )
        self.app = build_app(self.services)

    def run(self, command: str, text: str, user: str) -> dict:
        """The acknowledgement (after-ack work is done inline before this returns: what it
        posted to the command's response_url is in ``self.responses``)."""
        self.response_url = self.slack.new_response_url()
        body = command_body(
            command, text, user, team_id="T0RIG0001", response_url=self.response_url
        )
        self.last_body = body
        return self._dispatch(body)

    def again(self) -> dict:
        """The last command delivered once more, as it was (same trigger_id and response_url)."""
        return self._dispatch(self.last_body)

    def _dispatch(self, body: str) -> dict:
        response = self.app.dispatch(
            BoltRequest(body=body, headers=signed_headers("rig-secret", body))
        )
        assert response.status == 200
        return json.loads(response.body)

    @property
    def responses(self) -> list[dict]:
        """What the last command posted to its response_url after the acknowledgement."""
        return responses_to(self.slack, self.response_url)

    def seen(self, command: str, text: str, user: str) -> dict:
        """What the person sees once the replies are in: the acknowledgement, or what replaced
        it through the response_url (/log's standings follow its confirmation that way)."""
        message = self.run(command, text, user)
        replacing = [r for r in self.responses if r.get("replace_original")]
        return replacing[-1] if replacing else message

    def text(self, command: str, text: str, user: str) -> str:
        """The text of ``seen``: the reply as the person reads it in the end."""
        message = self.seen(command, text, user)
        assert_within_slack_limits(message)
        return text_of_blocks(message)

    def ack_text(self, command: str, text: str, user: str) -> str:
        """The acknowledgement's text alone."""
        message = self.run(command, text, user)
        assert_within_slack_limits(message)
        return text_of_blocks(message)

    def team(self):
        self.text("/pacer", f"team add <@{SDR}> sdr", ADMIN)
        self.text("/pacer", f"team add <@{AE}> ae", ADMIN)
        self.text("/pacer", f"manager <@{MGR}>", ADMIN)


def text_of_blocks(message: dict) -> str:
    return "\n".join(b["text"]["text"] for b in message["blocks"] if b.get("text"))


def assert_within_slack_limits(message: dict) -> None:
    blocks = message["blocks"]
    assert len(blocks) <= 50
    total = len(message["text"]) + sum(messages.block_chars(b) for b in blocks)
    assert total <= 12_000, total
    for block in blocks:
        model = Block.parse(block)  # slack_sdk's own validation (raises on bad shapes/lengths)
        model.validate_json()
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150


def no_waiting(client) -> None:
    """Retries without backoff sleeps: no test waits on the wall clock."""
    for handler in client.retry_handlers:
        handler.interval_calculator = FixedValueRetryIntervalCalculator(0)
