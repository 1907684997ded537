"""The demo's hands and screen: it types commands as people, through the app, and prints what
they see; the clock it moves through the weeks."""

import json
import textwrap
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from urllib.parse import parse_qs

from slack_bolt.request import BoltRequest

from simulator.demo.cast import (
    CHANNEL_ID,
    CHANNEL_NAME,
    DIRECTOR,
    MANAGER,
    NEW_HIRE,
    OUTSIDER,
    REPS,
    TZ,
    Person,
)
from simulator.signed_requests import command_body, responses_to, signed_headers
from simulator.slack_standin import SlackStandin
from simulator.textview import WIDTH, mrkdwn_to_text, render_message
from storage import log_queries
from storage.unit_of_work import unit_of_work

SECRET = "pacer-demo-signing-secret"


class DemoClock:
    """The app's clock (Services.clock); the demo moves it through the weeks."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, day: date, hhmm: str) -> None:
        self.now = datetime.combine(day, time.fromisoformat(hhmm), TZ).astimezone(UTC)


class Demo:
    """Types commands as people, through the app, and prints what they see."""

    def __init__(self, app, standin: SlackStandin, engine, clock: DemoClock, stream):
        self.app, self.standin, self.engine, self.clock = app, standin, engine, clock
        self.out = stream
        self.names = {p.user_id: p.name for p in (MANAGER, DIRECTOR, OUTSIDER, *REPS, NEW_HIRE)}
        self.channels = {CHANNEL_ID: CHANNEL_NAME}
        self.played = 0
        self.sections = 0
        self.typed: list[str] = []  # generated commands, for a sample
        self.problems: list[str] = []  # replies that show the product misbehaving
        # Moments that happen while the days are played (the lag check, a button press, a
        # contest's posts): day -> [(team-local "HH:MM[:SS]", order, what to do)].
        self.agenda: dict[date, list[tuple[str, int, Callable[[], None]]]] = {}

    def at(self, day: date, hhmm: str, job: Callable[[], None]) -> None:
        """Do ``job`` on ``day`` at ``hhmm`` (team-local), between the logs typed around it."""
        moments = self.agenda.setdefault(day, [])
        moments.append((hhmm, len(moments), job))
        moments.sort(key=lambda m: (m[0], m[1]))

    def run_moments(self, day: date, before: str) -> None:
        """Everything on the agenda for ``day`` earlier than ``before``, in time order (a
        moment may add later ones: a launched contest schedules its posts)."""
        moments = self.agenda.get(day, [])
        while moments and moments[0][0] < before:
            _, _, job = moments.pop(0)
            job()

    def send(self, who: Person, command: str, text: str, body: str | None = None) -> str:
        """Type one slash command as Slack would deliver it; returns the reply as text: what the
        person sees in the end (/log's confirmation is replaced by its standings reply, which
        the app sent through the response_url after acknowledging)."""
        url = self.standin.new_response_url()
        body = body or command_body(command, text, who.user_id, response_url=url)
        response = self.app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
        self.played += 1
        message = json.loads(response.body or "{}")
        for posted in responses_to(self.standin, parse_qs(body)["response_url"][0]):
            if posted.get("replace_original"):
                message = posted
        reply = "\n".join(self.render(message))
        if response.status != 200 or "unexpected error" in reply:
            self.problems.append(f"{who.name} › {command} {text} → [{response.status}] {reply}")
        return reply

    def show(self, who: Person, command: str, text: str, body: str | None = None, brief=False):
        reply = self.send(who, command, text, body)
        typed = mrkdwn_to_text(f"{command} {text}".strip(), self.names, self.channels)
        # brief: the first sentence, for replies that repeat (seven `team add`s)
        lines = [reply.split(". ")[0].rstrip(".") + "."] if brief else reply.splitlines()
        self.print(f"{who.name} › {typed}", *("    " + line for line in lines), "")
        return reply

    def log(self, who: Person, text: str) -> None:
        """A generated log: it must be accepted, or the product broke."""
        reply = self.send(who, "/log", text)
        self.typed.append(f"{who.name} › /log {text}")
        if "Logged" not in reply:
            self.problems.append(f"{who.name} › /log {text} → {reply}")

    def logs(self) -> int:
        with unit_of_work(self.engine) as session:
            return log_queries.count_logs(session)

    def print(self, *lines: str) -> None:
        print(*lines, sep="\n", file=self.out)

    def say(self, *paragraphs: str) -> None:
        """Narration, wrapped to the width of Pacer's messages."""
        for text in paragraphs:
            self.print(*(textwrap.wrap(text, WIDTH) or [""]))

    def heading(self, title: str) -> None:
        self.print("", title, "═" * len(title), "")

    def section(self, title: str) -> None:
        """A numbered heading: 1., 2., … in the order they are printed."""
        self.sections += 1
        self.heading(f"{self.sections}. {title}")

    def render(self, message: dict) -> list[str]:
        """A message as Slack shows it, one string per line (emoji Slack would draw, drawn)."""
        lines = render_message(message, self.names, self.channels).splitlines()
        for i, line in enumerate(lines[1:], 1):  # a header's rule, as long as the drawn header
            if line and set(line) == {"═"}:
                lines[i] = "═" * min(len(lines[i - 1]), WIDTH)
        return lines

    def post(self, who: str, message: dict, indent: str = "    ") -> None:
        """Print a message Pacer posted, under ``who`` ("Pacer › #sales")."""
        self.print(who, *(indent + line for line in self.render(message)), "")
