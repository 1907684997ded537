"""`pacer demo`: the whole product offline. A sample team from the method's example plays a few
weeks of activity through the real app (signed slash commands, the same parser and handlers as
Slack's), against a local stand-in for Slack's Web API and an SQLite file, and the replies are
printed as readable text. Nothing is written to the database except by commands."""

import json
import logging
import random
import sys
import time as wallclock
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_bolt.request import BoltRequest

from bot.app import Services, build_app, make_client
from bot.settings import load_settings
from bot.simulate import command_body, signed_headers
from bot.slack_standin import SlackStandin
from bot.textview import mrkdwn_to_text, render_message
from storage import queries
from storage.db import make_engine
from storage.migrate import upgrade

TZ = ZoneInfo("America/New_York")  # the default process's team timezone
SECRET = "pacer-demo-signing-secret"
CHANNEL_ID, CHANNEL_NAME = "C0SALES01", "sales"  # bot.simulate's default channel
SEED = 2026
COMPANIES = ["Acme Corp", "Globex", "Initech", "Hooli", "Umbrella Health", "Stark Logistics"]
LOG_SLOTS = {"10:30": 1.5 / 8, "13:00": 4 / 8, "16:45": 1.0}  # share of the day's work done by then
SHOWCASE_AT, NOW_AT = "13:30", "14:00"  # the last day stops here, so pace is mid-day


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    role: str | None = None  # sdr / ae; None for the manager and the outsider
    form: float = 1.0  # activity relative to goal: >1 ahead, <1 behind


MANAGER = Person("U0MGR0001", "Dana Whitfield")
OUTSIDER = Person("U0MKT0001", "Olivia Grant")  # marketing, not on the sales team
SDRS = (
    Person("U0SDR0001", "Maria Lopez", "sdr", 1.25),
    Person("U0SDR0002", "Sam Okafor", "sdr", 1.1),
    Person("U0SDR0003", "Jenna Park", "sdr", 0.92),
    Person("U0SDR0004", "Tyler Brooks", "sdr", 0.6),
)
AES = (
    Person("U0AE00001", "Alex Chen", "ae", 1.15),
    Person("U0AE00002", "Rachel Greene", "ae", 0.95),
    Person("U0AE00003", "Marcus Bell", "ae", 0.6),
)
REPS = SDRS + AES
# The default process's goals per working day (8/week = 1.6/day, 4/month ≈ 0.2/day).
DAILY = {
    "sdr": {"calls": 60, "conversations": 12, "meetings_scheduled": 1.6},
    "ae": {"meetings_held": 3, "roi_discussions": 1.6, "proposals": 1.0, "deals": 0.2},
}
# Words reps type for each KPI: the parser must understand every one of them.
WORDS = {
    "calls": ["calls", "dials", "call", "emails"],
    "conversations": ["conversations", "convos", "conv", "talks"],
    "meetings_scheduled": ["meetings", "sets", "meeting"],
    "meetings_held": ["held", "meetings", "meeting"],
    "roi_discussions": ["roi", "rois", "roi discussions"],
    "proposals": ["proposals", "props", "proposal"],
    "deals": ["deals", "wins", "deal"],
}
NOTED = {"meetings_scheduled": "meeting", "deals": "deal"}  # logged one by one, with the company


class DemoClock:
    """The app's clock (Services.clock); the demo moves it through the weeks."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, day: date, hhmm: str) -> None:
        self.now = datetime.combine(day, time.fromisoformat(hhmm), TZ).astimezone(UTC)


class InlineExecutor:
    """Runs after-ack jobs (profile refresh, DMs) at once, so the replay is deterministic and a
    DM has been sent before the next command is typed."""

    def submit(self, job) -> None:
        job()


class Demo:
    def __init__(self, app, standin: SlackStandin, engine, clock: DemoClock, stream):
        self.app, self.standin, self.engine, self.clock, self.out = (
            app,
            standin,
            engine,
            clock,
            stream,
        )
        self.names = {p.user_id: p.name for p in (MANAGER, OUTSIDER, *REPS)}
        self.channels = {CHANNEL_ID: CHANNEL_NAME}
        self.played = 0
        self.problems: list[str] = []  # replies that show the product misbehaving

    def send(self, who: Person, command: str, text: str, body: str | None = None) -> str:
        """Type one slash command as Slack would deliver it; returns the reply as text."""
        body = body or command_body(command, text, who.user_id)
        response = self.app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
        self.played += 1
        reply = render_message(json.loads(response.body or "{}"), self.names, self.channels)
        if response.status != 200 or "unexpected error" in reply:
            self.problems.append(f"{who.name} › {command} {text} → [{response.status}] {reply}")
        return reply

    def show(self, who: Person, command: str, text: str, body: str | None = None, brief=False):
        reply = self.send(who, command, text, body)
        typed = mrkdwn_to_text(f"{command} {text}".strip(), self.names, self.channels)
        lines = reply.splitlines()[:1] if brief else reply.splitlines()
        self.print(f"{who.name} › {typed}", *("    " + line for line in lines), "")
        return reply

    def log(self, who: Person, text: str) -> None:
        """A generated log: it must be accepted, or the product broke."""
        reply = self.send(who, "/log", text)
        if "Logged" not in reply:
            self.problems.append(f"{who.name} › /log {text} → {reply}")

    def print(self, *lines: str) -> None:
        print(*lines, sep="\n", file=self.out)

    def heading(self, title: str) -> None:
        self.print("", title, "═" * len(title), "")


def working_days(today: date, weeks: int) -> list[date]:
    days, day = [], today
    while len(days) < weeks * 5:
        if day.weekday() < 5:  # the default process works Mon–Fri
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def draw(rng: random.Random, rate: float) -> int:
    """A day's count around `rate`, with day-to-day noise, rounded at random (1.6 → 1 or 2)."""
    x = rate * rng.uniform(0.75, 1.25)
    return int(x) + (rng.random() < x - int(x))


def phrase(rng: random.Random, counts: dict[str, int]) -> str:
    """One multi-KPI log in a varied form: `calls 24 conversations 5`, `18 dials 4 convos`."""
    number_first = rng.random() < 0.4
    parts = []
    for kpi, n in counts.items():
        word = rng.choice(WORDS[kpi])
        parts.append(f"{n} {word}" if number_first else f"{word} {n}")
    return " ".join(parts)


def day_label(day: date, today: date) -> str:
    """How a rep names a past day: `yesterday`, `friday` or an ISO date."""
    if (today - day).days == 1:
        return "yesterday"
    return f"{day:%A}".lower() if (today - day).days < 7 else day.isoformat()


def play_day(demo: Demo, rng, day, prev, last, credits, stop_at) -> None:
    """Every rep's logs for one day, in time order: a morning catch-up of what they didn't log
    yesterday, then 1–3 logs at realistic times; AEs credit yesterday's accepted leads."""
    events: list[tuple[str, int, Person, str]] = []
    accepted, credits[:] = credits[:], []  # leads scheduled before today, accepted today
    if "11:15" < stop_at:
        for sdr, company in accepted:
            ae = rng.choice(AES)
            events.append(("11:15", len(events), ae, f"<@{sdr.user_id}> sao 1 {company}"))
    for rep in REPS:
        for kpi_counts in last.pop(rep.user_id, []):
            events.append(("09:40", len(events), rep, f"{phrase(rng, kpi_counts)} {day_label(prev, day)}"))
        totals = {k: draw(rng, rate * rep.form) for k, rate in DAILY[rep.role].items()}
        slots = sorted(rng.sample(list(LOG_SLOTS), rng.choice([1, 2, 2, 3, 3])))
        slots = [s for s in slots if s < stop_at]
        done = dict.fromkeys(totals, 0)
        for slot in slots:
            share = LOG_SLOTS[slot]
            now = {k: round(t * share) for k, t in totals.items()}
            batch = {k: now[k] - done[k] for k in totals if now[k] > done[k]}
            done.update(now)
            for kpi in [k for k in batch if k in NOTED]:
                for _ in range(batch.pop(kpi)):
                    company = rng.choice(COMPANIES)
                    events.append((slot, len(events), rep, f"{NOTED[kpi]} 1 {company}"))
                    if kpi == "meetings_scheduled" and rng.random() < 0.3:
                        credits.append((rep, company))  # an AE accepts it tomorrow
            if batch:
                events.append((slot, len(events), rep, phrase(rng, batch)))
        rest = {k: totals[k] - done[k] for k in totals if totals[k] > done[k]}
        if rest and stop_at > "16:45":  # forgot to log the afternoon: logged tomorrow morning
            last.setdefault(rep.user_id, []).append(rest)
    for slot, _, rep, text in sorted(events, key=lambda e: (e[0], e[1])):
        demo.clock.set(day, slot)
        demo.log(rep, text)
