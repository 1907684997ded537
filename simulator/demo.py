"""`pacer demo`: the whole product offline. A sample team from the method's example plays a few
weeks of activity through the real app (signed slash commands, the same parser and handlers as
Slack's), against a local stand-in for Slack's Web API and an SQLite file, and the replies are
printed as readable text. Nothing is written to the database except by commands."""

import io
import json
import logging
import random
import sys
import textwrap
import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_bolt.request import BoltRequest
from sqlmodel import Session, select

from bot.app import build_app
from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from bot.services import Services, make_client
from bot.settings import load_settings
from rituals import contests, dates
from rituals.schedule import first_working_day, occurrence_at
from rituals.teams import team_process
from simulator.signed_requests import (
    block_action_payload,
    command_body,
    event_body,
    interaction_body,
    json_headers,
    signed_headers,
)
from simulator.slack_standin import SlackStandin
from simulator.textview import WIDTH, mrkdwn_to_text, render_message
from storage import contest_queries, log_queries, people_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import CoachingNote, CoachingSession, LagSuggestion

TZ = ZoneInfo("America/New_York")  # the default process's team timezone
SECRET = "pacer-demo-signing-secret"
CHANNEL_ID, CHANNEL_NAME = "C0SALES01", "sales"  # simulator.signed_requests's default channel
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
    skew: tuple[tuple[str, float], ...] = ()  # (KPI, × form): a weaker stage of the journey


MANAGER = Person("U0MGR0001", "Dana Whitfield")
OUTSIDER = Person("U0MKT0001", "Olivia Grant")  # marketing, not on the sales team
SDRS = (
    Person("U0SDR0001", "Maria Lopez", "sdr", 1.25),
    Person("U0SDR0002", "Sam Okafor", "sdr", 1.1),
    Person("U0SDR0003", "Jenna Park", "sdr", 0.92),
    # Fewer calls, and fewer of them turn into conversations: what his coaching is about.
    Person("U0SDR0004", "Tyler Brooks", "sdr", 0.6, (("conversations", 0.6),)),
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
# The contest week: the SDRs' calls on Monday–Tuesday (a trade show), then while the contest runs.
SLUMP, RALLY = 0.55, 1.3
LAG_CHECK_AT, LAUNCH_AT, COACH_AT = "11:00", "11:05", "14:30"


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
    """Types commands as people, through the app, and prints what they see."""

    def __init__(self, app, standin: SlackStandin, engine, clock: DemoClock, stream):
        self.app, self.standin, self.engine, self.clock = app, standin, engine, clock
        self.out = stream
        self.names = {p.user_id: p.name for p in (MANAGER, OUTSIDER, *REPS)}
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
        """Type one slash command as Slack would deliver it; returns the reply as text."""
        body = body or command_body(command, text, who.user_id)
        response = self.app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
        self.played += 1
        reply = "\n".join(self.render(json.loads(response.body or "{}")))
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
        with Session(self.engine) as session:
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


def working_days(today: date, weeks: int) -> list[date]:
    days, day = [], today
    while len(days) < weeks * 5:
        if day.weekday() < 5:  # the default process works Mon–Fri
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def contest_week(days: list[date]) -> date | None:
    """The Monday of the contest week: the last full Mon–Fri week before the final day's week,
    when every day of it is played (not with one week of play)."""
    last = days[-1]
    monday = last - timedelta(days=last.weekday() + 7)
    week = [monday + timedelta(days=i) for i in range(5)]
    return monday if set(week) <= set(days) else None


def draw(rng: random.Random, rate: float) -> int:
    """A day's count around `rate`, with day-to-day noise, rounded at random (1.6 → 1 or 2)."""
    x = rate * rng.uniform(0.75, 1.25)
    return int(x) + (rng.random() < x - int(x))


def phrase(rng: random.Random, counts: dict[str, int]) -> str:
    """One multi-KPI log in a varied form: `calls 24 conversations 5`, `18 dials 4 convos`."""
    number_first = rng.random() < 0.4
    parts = []
    for kpi, n in counts.items():
        words = WORDS[kpi]
        if number_first and n > 1:  # "46 calls", never "46 call"
            words = [w for w in words if w.endswith(("s", "held"))]
        word = rng.choice(words)
        parts.append(f"{n} {word}" if number_first else f"{word} {n}")
    return " ".join(parts)


def day_label(day: date, today: date) -> str:
    """How a rep names a past day: `yesterday`, `friday` or an ISO date."""
    if (today - day).days == 1:
        return "yesterday"
    return f"{day:%A}".lower() if (today - day).days < 7 else day.isoformat()


@dataclass(frozen=True)
class DayPlan:
    """How a day differs from the team's usual form (the contest week)."""

    sdr_calls: float = 1.0  # the SDRs' calls, relative to their usual form
    log_all: bool = False  # the SDRs log their whole day that day (a contest is on)


USUAL = DayPlan()


def play_day(demo: Demo, rng, day, prev, pending, credits, stop_at, plan: DayPlan = USUAL) -> None:
    """Every rep's logs for one day, in time order: a morning catch-up of what they didn't log
    yesterday, then 1–3 logs at realistic times; AEs credit yesterday's accepted leads. Moments
    on the demo's agenda for the day (the lag check, a contest's posts) run at their time."""
    events: list[tuple[str, int, Person, str]] = []
    accepted, credits[:] = credits[:], []  # leads scheduled before today, accepted today
    if stop_at > "11:15":
        for sdr, company in accepted:
            ae = rng.choice(AES)
            events.append(("11:15", len(events), ae, f"<@{sdr.user_id}> sao 1 {company}"))
    for rep in REPS:
        for kpi_counts in pending.pop(rep.user_id, []):
            events.append(
                ("09:40", len(events), rep, f"{phrase(rng, kpi_counts)} {day_label(prev, day)}")
            )
        factor = dict(rep.skew)
        if rep.role == "sdr":
            factor["calls"] = factor.get("calls", 1.0) * plan.sdr_calls
        totals = {
            k: draw(rng, rate * rep.form * factor.get(k, 1.0))
            for k, rate in DAILY[rep.role].items()
        }
        slots = sorted(rng.sample(list(LOG_SLOTS), rng.choice([1, 2, 2, 3, 3])))
        if plan.log_all and rep.role == "sdr" and "16:45" not in slots:
            slots.append("16:45")  # nothing left for tomorrow morning while a contest counts
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
                    if kpi == "meetings_scheduled" and rng.random() < 0.18:
                        credits.append((rep, company))  # an AE accepts it tomorrow
            if batch:
                events.append((slot, len(events), rep, phrase(rng, batch)))
        rest = {k: totals[k] - done[k] for k in totals if totals[k] > done[k]}
        if rest and stop_at > "16:45":  # forgot to log the afternoon: logged tomorrow morning
            pending.setdefault(rep.user_id, []).append(rest)
    for slot, _, rep, text in sorted(events, key=lambda e: (e[0], e[1])):
        demo.run_moments(day, before=slot)
        demo.clock.set(day, slot)
        demo.log(rep, text)
    demo.run_moments(day, before=stop_at)


def day_time(instant: datetime) -> str:
    """ "Tue 10 Nov 15:30", team-local."""
    local = instant.astimezone(TZ)
    return f"{dates.short_time(local)}"


class ContestStory:
    """A metric falls behind, the lag check suggests a contest, the manager launches it, and it
    runs to its result, all while the contest week is played (its moments are on the demo's
    agenda). The contest week is the last full week before the final one: on Monday–Tuesday the
    SDRs' calls slump; Tuesday 11:00 (a quarter of the week) the lag check runs; at 11:05 the
    manager presses Launch contest; the contest's posts run at their times until Friday 17:00."""

    def __init__(self, demo: Demo, services: Services, monday: date):
        self.demo, self.services = demo, services
        self.monday, self.tuesday = monday, monday + timedelta(days=1)
        self.friday = monday + timedelta(days=4)
        self.suggestion: dict | None = None  # the calls suggestion: id, DM channel and ts
        self.contest_id: int | None = None
        self.others: list[str] = []  # other KPIs the lag check flagged
        self.posts: list[str] = []  # the phase of each contest post run so far
        self.winners = ""
        demo.at(self.tuesday, LAG_CHECK_AT, self.lag_check)
        demo.at(self.tuesday, LAUNCH_AT, self.launch)

    def plan(self, day: date) -> DayPlan:
        if day == self.monday:
            return DayPlan(sdr_calls=SLUMP)
        if day == self.tuesday:  # still at the trade show; the contest starts at 11:05
            return DayPlan(sdr_calls=SLUMP, log_all=True)
        if self.tuesday < day <= self.friday:
            return DayPlan(sdr_calls=RALLY, log_all=True)
        return USUAL

    def team(self):
        with Session(self.demo.engine) as session:
            team = people_queries.teams(session)[0]
            process, _ = team_process(session, team.id)
        return team, process

    def lag_check(self) -> None:
        demo = self.demo
        demo.clock.set(self.tuesday, LAG_CHECK_AT)
        now = demo.clock()
        team, process = self.team()
        demo.section(
            f"A metric falls behind ({dates.weekday_day(self.monday)} – {dates.short(self.tuesday)})"
        )
        demo.say(
            f"{self.monday:%a} and {self.tuesday:%a}: the SDRs work a trade-show booth half the "
            "day, so their calls drop to about half.",
            f"{dates.short(self.tuesday)} {LAG_CHECK_AT}: a quarter of the week's working time is "
            "gone, and Pacer's daily lag check runs. It finds calls behind and tells the manager, "
            "privately:",
            "",
        )
        first = len(demo.standin.calls)
        outcome = run_ritual(
            self.services,
            team.id,
            occurrence_at(process, "lag-check", now),
            now,
            pacer=ChannelPacer(0),
            owner="demo",
        )
        if outcome.status != "posted":
            demo.problems.append(f"lag-check: {outcome}")
        dms = [
            c.params
            for c in demo.standin.calls[first:]
            if c.method == "chat.postMessage" and c.params.get("channel") == MANAGER.user_id
        ]
        with Session(demo.engine) as session:
            rows = session.exec(select(LagSuggestion).where(LagSuggestion.team_id == team.id))
            found = {str(row.id): (row.kpi, row.pace) for row in rows}
        for dm in dms:
            value = next(
                (b["value"] for b in action_buttons(dm) if b["action_id"] == "lag_launch"), ""
            )
            kpi, pace = found.get(value, ("", 0.0))
            if kpi == "calls" and self.suggestion is None:
                self.suggestion = {"id": value, "lines": demo.render(dm)}
                self.suggestion |= message_place(demo.standin, dm)
                demo.post(f"Pacer › direct message to {MANAGER.name}", dm)
            else:
                name = process.kpi(kpi).name if process.has_kpi(kpi) else dm.get("text", "?")
                self.others.append(f"{name} ({pace:.0%} of pace)")
        if self.suggestion is None:
            demo.problems.append(
                f"the lag check at {day_time(now)} suggested no contest on calls ({outcome}); "
                "the SDRs' calls were slumped to make it"
            )
            return
        if self.others:  # the smaller KPIs: a few logs a week, so a quiet Monday shows
            demo.say(
                f"Pacer flagged {len(self.others)} more KPI{'s' * (len(self.others) > 1)} the "
                f"same way, each in its own message: {', '.join(self.others)}. "
                f"{MANAGER.name.split()[0]} starts with calls and leaves those open.",
                "",
            )

    def launch(self) -> None:
        demo = self.demo
        if self.suggestion is None:
            return
        demo.clock.set(self.tuesday, LAUNCH_AT)
        first, url = len(demo.standin.calls), demo.standin.new_response_url()
        payload = block_action_payload(
            MANAGER.user_id,
            "lag_launch",
            self.suggestion["id"],
            channel_id=self.suggestion["channel"],
            message_ts=self.suggestion["ts"],
            response_url=url,
            block_id=f"lag_suggestion_{self.suggestion['id']}",
        )
        body = interaction_body(payload)
        response = demo.app.dispatch(BoltRequest(body=body, headers=signed_headers(SECRET, body)))
        replaced = demo.standin.responses.get(url.rsplit("/", 1)[1], [])
        demo.print(f"{MANAGER.name} › presses [ Launch contest ] ({self.tuesday:%a} {LAUNCH_AT})")
        if response.status != 200 or len(replaced) != 1:
            demo.problems.append(
                f"Launch contest → [{response.status}] {response.body!r}; "
                f"{len(replaced)} replies to the button"
            )
        for message in replaced:  # the same text; the buttons give way to what became of it
            changed = [
                line for line in demo.render(message) if line not in self.suggestion["lines"]
            ]
            demo.print(
                "    Pacer updates the message: the same text, its buttons replaced by",
                *("    " + line.lstrip(" ·") for line in changed),
                "",
            )
        announced = [
            c.params
            for c in demo.standin.calls[first:]
            if c.method == "chat.postMessage" and c.params.get("channel") == CHANNEL_ID
        ]
        if len(announced) != 1:
            demo.problems.append(f"launching the contest posted {len(announced)} announcements")
        for message in announced:
            demo.post(f"Pacer › #{CHANNEL_NAME} (the announcement)", message)
        with Session(demo.engine) as session:
            row = contest_queries.get_suggestion(session, int(self.suggestion["id"]))
            contest = contest_queries.get_contest(session, row.contest_id) if row else None
        if contest is None:
            demo.problems.append("Launch contest stored no contest")
            return
        self.contest_id = contest.id
        _, process = self.team()
        demo.section(
            f"The contest runs ({dates.weekday_day(contest.start_day)} – {dates.short(contest.end_day)})"
        )
        demo.say(
            "With a target to chase, the SDRs' calls rise by about a third from "
            f"{contest.start_day + timedelta(days=1):%a} on, and they log each day in full. "
            "Pacer posts the standings on its schedule, at the half-way mark, in the last hour, "
            "and the result:",
            "",
        )
        for occurrence in contests.contest_occurrences(contest, process):
            if contests.phase_of(occurrence.period_key)[1] == contests.START:
                continue  # announced already, just now
            local = occurrence.due_at.astimezone(TZ)
            demo.at(local.date(), f"{local:%H:%M:%S}", lambda o=occurrence: self.contest_post(o))

    def contest_post(self, occurrence) -> None:
        demo = self.demo
        demo.clock.now = occurrence.due_at
        team, _ = self.team()
        first = len(demo.standin.calls)
        outcome = run_ritual(
            self.services,
            team.id,
            occurrence,
            occurrence.due_at,
            pacer=ChannelPacer(0),
            owner="demo",
        )
        posted = [c.params for c in demo.standin.calls[first:] if c.method == "chat.postMessage"]
        phase = contests.phase_of(occurrence.period_key)[1]
        when = day_time(occurrence.due_at)
        if outcome.status != "posted" or not posted:
            demo.problems.append(f"contest post {occurrence.period_key}: {outcome}")
            return
        in_full = phase in (contests.MID, contests.RESULT)
        if in_full and self.posts and self.posts[-1] not in (contests.MID, contests.RESULT):
            demo.print("")  # after the one-line standings
        self.posts.append(phase)
        if phase == contests.MID:
            demo.post(f"Pacer › #{CHANNEL_NAME} ({when}, half way)", posted[0])
        elif phase == contests.RESULT:
            demo.post(f"Pacer › #{CHANNEL_NAME} ({when}, the result)", posted[0])
            for reply in posted[1:]:
                demo.post("  ↳ in the thread:", reply)
            self.winners = self.outcome()
        else:
            what = "last-hour reminder" if phase == contests.LAST_HOUR else "standings"
            demo.print(f"{when} · {what} posted in #{CHANNEL_NAME} · {self.gist(occurrence)}")

    def outcome(self) -> str:
        """The frozen result in a few words, for the Summary."""
        with Session(self.demo.engine) as session:
            contest = contest_queries.get_contest(session, self.contest_id)
        if contest is None or contest.result is None:
            return "no result"
        s = contests.Standings.from_json(contest.result)
        won = [self.demo.names.get(u, u) for u in s.winners]
        return (
            f"{len(won)} of {len(s.places)} SDRs reached {s.target} calls and won "
            f"({', '.join(won) or 'nobody'})"
        )

    def gist(self, occurrence) -> str:
        """Where the contest stood when a post was due, in a few words."""
        with Session(self.demo.engine) as session:
            contest = contest_queries.get_contest(session, self.contest_id)
            s = contests.standings_at(session, contest, occurrence.due_at)
        name = self.demo.names.get
        reached = [name(p.user_id, p.user_id) for p in s.reached()]
        if reached:
            return f"reached {s.target}: {', '.join(reached)}"
        closest = s.chasing()[0] if s.chasing() else None
        if closest is None or closest.count == 0:
            return "no calls logged yet"
        return f"nobody at {s.target} yet; closest {name(closest.user_id)} with {closest.count}"


def action_buttons(message: dict) -> list[dict]:
    return [
        element
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]


def message_place(standin: SlackStandin, params: dict) -> dict:
    """Where the stand-in stored a posted message (a DM's D-channel and its ts)."""
    for channel, posted in standin.history.items():
        for message in posted:
            if message.get("blocks") == params.get("blocks"):
                return {"channel": channel, "ts": message["ts"]}
    return {"channel": params.get("channel", ""), "ts": ""}


def play(demo: Demo, services: Services, weeks: int, today: date) -> ContestStory | None:
    days = working_days(today, weeks)
    first, prev, last = days[0], days[-2], days[-1]
    sdr1, sdr2, sdr3, sdr4 = SDRS
    demo.print(
        f"Pacer demo · {weeks} week{'s' * (weeks > 1)} of a sales team, {dates.short(first)} – "
        f"{dates.long(last)} (America/New_York)",
        "Every line below went through Pacer's real slash-command path (signed requests, the same",
        "parser and handlers as in Slack) against a local stand-in for Slack and an SQLite file.",
    )

    demo.section(f"{MANAGER.name}, the sales manager, sets up the team")
    demo.clock.set(first, "08:45")
    for i, rep in enumerate(REPS):
        demo.show(MANAGER, "/pacer", f"team add <@{rep.user_id}> {rep.role}", brief=i > 0)
    demo.show(MANAGER, "/pacer", f"manager <@{MANAGER.user_id}>", brief=True)
    demo.show(MANAGER, "/pacer", f"channel <#{CHANNEL_ID}|{CHANNEL_NAME}>")

    demo.section(f"{len(days)} working days of activity")
    monday = contest_week(days)
    story = ContestStory(demo, services, monday) if monday else None
    rng, pending, credits, start = random.Random(SEED), {}, [], demo.played
    screen, demo.out = demo.out, io.StringIO()  # the contest's story prints after this section
    try:
        for i, day in enumerate(days):
            stop_at = SHOWCASE_AT if day == last else "24:00"
            plan = story.plan(day) if story else USUAL
            play_day(demo, rng, day, days[i - 1] if i else day, pending, credits, stop_at, plan)
    finally:
        told, demo.out = demo.out.getvalue(), screen
    samples = demo.typed[:: max(1, len(demo.typed) // 8)][:8]
    demo.print(
        f"The team typed {demo.played - start} commands, at 09:40 (yesterday's forgotten logs),",
        "10:30, 11:15 (AEs accept leads), 13:00 and 16:45, each rep 1–3 times a day; "
        f"{last:%a} stops at {SHOWCASE_AT}.",
        f"{demo.logs()} logs stored. A sample of what they typed:",
        *(f"    {mrkdwn_to_text(t, demo.names)}" for t in samples),
    )
    if story is None:
        demo.print("")
        demo.say(
            "(A contest suggested by a lagging metric needs a full week before the final one: "
            "run with --weeks 2 or more to see it.)"
        )
    else:
        demo.out.write(told.rstrip("\n") + "\n")

    demo.section(f"What reps see when they log ({dates.short(last)}, from {SHOWCASE_AT})")
    demo.clock.set(last, SHOWCASE_AT)
    demo.show(sdr1, "/log", "calls 24 conversations 5")
    demo.show(sdr2, "/log", "18 dials")
    demo.show(sdr3, "/log", "meeting 1 Acme Corp")
    demo.show(AES[0], "/log", f"<@{sdr3.user_id}> sao 1 Acme Corp")
    posts = demo.standin.calls_to("chat.postMessage")
    dms = [c.params for c in posts if c.params.get("channel") == sdr3.user_id]
    if not dms:
        demo.problems.append(f"{sdr3.name} was credited with an SAO but got no direct message")
    for dm in dms[-1:]:
        demo.print(
            f"Pacer › direct message to {sdr3.name}", "    " + render_message(dm, demo.names), ""
        )
    demo.show(sdr4, "/log", f"call 12 {day_label(prev, last)}")

    demo.section("Mistakes, and what Pacer answers (none of them stores anything)")
    before = demo.logs()
    demo.show(sdr2, "/log", "conversatons 3")
    demo.show(sdr1, "/log", "calls 0")
    demo.show(sdr4, "/log", f"calls 10 {last + timedelta(days=1)}")
    demo.show(OUTSIDER, "/log", "calls 5")
    demo.show(sdr3, "/log", "sao 1")
    demo.print(f"Logs stored before these mistakes: {before}; after: {demo.logs()}.")

    demo.section("Taking a log back, and a request Slack delivered twice")
    demo.clock.set(last, "13:45")
    demo.show(sdr2, "/log", "calls 150")
    demo.show(sdr2, "/log", "undo")
    demo.show(sdr2, "/log", "calls 15")
    body = command_body("/log", "held 1 roi 1", AES[1].user_id)  # one trigger_id, sent twice
    demo.show(AES[1], "/log", "held 1 roi 1", body)
    once = demo.logs()
    demo.show(AES[1], "/log", "held 1 roi 1", body)
    demo.print(f"Logs stored after the first delivery: {once}; after the second: {demo.logs()}.")

    demo.section(f"The manager's view ({dates.short(last)} {NOW_AT})")
    demo.clock.set(last, NOW_AT)
    demo.show(MANAGER, "/pacer", "team")
    demo.show(MANAGER, "/pacer", "process")
    for rep in REPS:
        demo.show(MANAGER, "/scorecard", f"<@{rep.user_id}>")
    demo.show(MANAGER, "/scorecard", f"<@{sdr4.user_id}> month")
    demo.show(MANAGER, "/scorecard", f"<@{sdr2.user_id}> calls")

    coach(demo, last)
    return story


REP_NOTE = "Listened to two calls with Dana: my opener runs 40 seconds."
ACTION_NOTE = "action: Tyler tries the two-line opener on his next 20 calls"


def coach(demo: Demo, last: date) -> None:
    """The manager opens a coaching thread with the weakest SDR, two replies in it are saved
    (one an action item), and the rep's coaching history shows the action."""
    rep = min(SDRS, key=lambda p: p.form)  # Tyler Brooks
    demo.section(f"Coaching {rep.name} from the numbers ({dates.short(last)} {COACH_AT})")
    demo.clock.set(last, COACH_AT)
    first = len(demo.standin.calls)
    demo.show(MANAGER, "/coach", f"<@{rep.user_id}>")
    openings = [
        c.params
        for c in demo.standin.calls[first:]
        if c.method == "chat.postMessage" and "Coaching session" in c.params.get("text", "")
    ]
    with Session(demo.engine) as session:
        row = session.exec(
            select(CoachingSession)
            .where(CoachingSession.rep_id == rep.user_id)
            .order_by(CoachingSession.id.desc())
        ).first()
    if not openings or row is None or not row.thread_ts:
        demo.problems.append(f"/coach @{rep.name} opened no coaching thread")
        return
    demo.post(
        f"Pacer › the coaching thread, in a private conversation of {MANAGER.name} and {rep.name}",
        openings[-1],
    )
    base = int(row.thread_ts.split(".")[0])
    for minutes, who, text in ((4, rep, REP_NOTE), (7, MANAGER, ACTION_NOTE)):
        demo.clock.set(last, COACH_AT)
        demo.clock.now += timedelta(minutes=minutes)
        ts = f"{base + minutes * 60}.000200"
        event = {
            "type": "message",
            "channel": row.channel_id,
            "user": who.user_id,
            "text": text,
            "ts": ts,
            "thread_ts": row.thread_ts,
            "event_ts": ts,
            "channel_type": "mpim",  # the manager, the rep and Pacer
        }
        body = event_body(event)
        response = demo.app.dispatch(BoltRequest(body=body, headers=json_headers(SECRET, body)))
        if response.status != 200:
            demo.problems.append(f"a reply in the coaching thread → [{response.status}]")
        demo.print(f"  ↳ in the thread, {who.name}: {text}")
    with Session(demo.engine) as session:
        notes = list(
            session.exec(
                select(CoachingNote)
                .where(CoachingNote.session_id == row.id)
                .order_by(CoachingNote.message_ts)
            )
        )
    pins = [
        c
        for c in demo.standin.calls[first:]
        if c.method == "reactions.add" and c.params.get("name") == "pushpin"
    ]
    actions = [n for n in notes if n.is_action]
    demo.print("")
    demo.say(
        f"Pacer saved {len(notes)} notes from the thread, {len(actions)} of them an action item"
        + (" (it reacts 📌 on it, so the thread shows it was captured):" if pins else ":")
    )
    demo.print(
        *(f"    {'📌 action item' if n.is_action else 'note'} · {n.text}" for n in notes), ""
    )
    if len(notes) != 2 or len(actions) != 1 or len(pins) != 1:
        demo.problems.append(
            f"coaching thread replies: {len(notes)} notes, {len(actions)} action items, "
            f"{len(pins)} 📌 reactions (expected 2, 1, 1)"
        )
    demo.clock.set(last, COACH_AT)
    demo.clock.now += timedelta(minutes=15)
    history = demo.show(MANAGER, "/coach", f"<@{rep.user_id}> history")
    if "two-line opener" not in history:
        demo.problems.append(f"/coach @{rep.name} history does not show the action item")


def rituals(demo: Demo, services: Services, today: date, folder: Path) -> None:
    """Every ritual, run through the same path as the clock, as of the moment it would post."""
    with Session(demo.engine) as session:
        team = people_queries.teams(session)[0]
        process, _ = team_process(session, team.id)
    monday = today - timedelta(days=today.weekday())
    first = first_working_day(today.year, today.month, process.calendar.working_days)
    moments = [
        ("leaderboard", today, "12:00", "the 12:00 leaderboard"),
        ("daily", today, "17:30", "the daily digest"),
        ("weekly", monday, "09:00", "Monday's weekly digest"),
    ]
    if team.created_at.astimezone(TZ).date() < today.replace(day=1):
        # Only when the demo team already worked last month: a monthly digest reports last month.
        moments.append(
            ("monthly", first, "09:00", "the monthly digest, on the month's first working day")
        )
    for kind, day, hhmm, what in moments:
        demo.standin.reset()
        demo.clock.set(day, hhmm)
        now = demo.clock()
        outcome = run_ritual(
            services,
            team.id,
            occurrence_at(process, kind, now),
            now,
            pacer=ChannelPacer(0),
            owner="demo",
        )
        demo.heading(f"{what.capitalize()} ({dates.short(day)} {hhmm}, #{CHANNEL_NAME}): {outcome}")
        if outcome.status not in ("posted", "done-already"):
            demo.problems.append(f"{kind}: {outcome}")
        for call in demo.standin.calls_to("chat.postMessage"):
            where = "  ↳ in the thread:" if call.params.get("thread_ts") else "Pacer ›"
            demo.print(
                where,
                *("    " + line for line in render_message(call.params, demo.names).splitlines()),
                "",
            )
        for index, (complete, png) in enumerate(
            zip(
                demo.standin.calls_to("files.completeUploadExternal"),
                demo.standin.uploads.values(),
                strict=False,
            )
        ):
            path = folder / f"{kind}-chart{'' if index == 0 else index + 1}.png"
            path.write_bytes(png)
            title = complete.params["files"][0].get("title", "chart")
            demo.print(
                f"  ↳ in the thread: the chart “{title}”, saved as {path.name} beside the database",
                "",
            )


def run_demo(
    weeks: int = 6, out: str = "pacer-demo", today: date | None = None, stream=sys.stdout
) -> int:
    started = wallclock.perf_counter()
    if weeks < 1:
        print("pacer demo: --weeks must be 1 or more", file=sys.stderr)
        return 2
    today = today or datetime.now(TZ).date()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "pacer-demo.db"
    for stale in (db, folder / "pacer-demo.db-wal", folder / "pacer-demo.db-shm"):
        stale.unlink(missing_ok=True)  # a fresh team every run

    standin = SlackStandin().start()
    for person in (MANAGER, OUTSIDER, *REPS):
        standin.add_user(person.user_id, person.name, tz="America/New_York")
    standin.add_channel(CHANNEL_ID, CHANNEL_NAME)
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-demo",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": standin.url,
            "DATABASE_URL": f"sqlite:///{db.resolve()}",  # absolute: any working directory
            "PACER_ADMINS": MANAGER.user_id,
        }
    )
    engine = make_engine(settings.database_url)
    errors, requests_log = ErrorLog(), logging.getLogger("pacer.requests")
    rituals_log = logging.getLogger("pacer.rituals")
    levels = requests_log.level, rituals_log.level
    requests_log.setLevel(logging.WARNING)  # one line per command would drown the demo
    rituals_log.setLevel(logging.WARNING)
    logging.getLogger("pacer").addHandler(errors)
    try:
        upgrade(engine)
        clock = DemoClock()
        client = make_client(settings)
        services = Services(settings, engine, client, clock, background=InlineExecutor())
        demo = Demo(build_app(services), standin, engine, clock, stream)
        story = play(demo, services, weeks, today)
        # As of the last day played (a Saturday's `today` has no leaderboard or daily digest).
        rituals(demo, services, working_days(today, 1)[-1], folder)
        demo.problems += errors.seen
        seconds = wallclock.perf_counter() - started
        demo.heading("Summary")
        demo.print(
            f"{demo.played} commands played, {demo.logs()} logs stored, in {seconds:.1f} s "
            f"(wall time). The database is {db}; look inside with:",
            f"    DATABASE_URL=sqlite:///{db} pacer process show",
        )
        demo.say(*story_summary(demo, story))
        if demo.problems:
            demo.heading(f"Problems ({len(demo.problems)}): the product misbehaved")
            demo.print(*demo.problems)
            return 1
        return 0
    finally:
        logging.getLogger("pacer").removeHandler(errors)
        requests_log.setLevel(levels[0])
        rituals_log.setLevel(levels[1])
        standin.stop()
        engine.dispose()


def story_summary(demo: Demo, story: ContestStory | None) -> list[str]:
    """What the Summary says about the contest and the coaching session."""
    lines = []
    if story is not None and story.contest_id is not None:
        lines.append(
            f"A contest suggested by the lag check ({dates.short(story.tuesday)} {LAG_CHECK_AT}, "
            f"calls behind pace) ran to its result in {len(story.posts) + 1} posts in #sales: "
            f"{story.winners or 'no result'}."
        )
    with Session(demo.engine) as session:
        sessions = list(session.exec(select(CoachingSession)))
        notes = list(session.exec(select(CoachingNote)))
    if sessions:
        actions = sum(n.is_action for n in notes)
        lines.append(
            f"{len(sessions)} coaching session opened from the numbers, with {len(notes)} notes "
            f"saved from its thread ({actions} action item)."
        )
    return lines


class ErrorLog(logging.Handler):
    """Errors Pacer logs during the demo (a failed command or after-ack job) count as problems."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(f"{record.name}: {record.getMessage()}")
