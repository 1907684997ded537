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
from sqlmodel import Session

from bot.app import Services, build_app, make_client
from bot.delivery import ChannelPacer
from bot.ritual_runner import run_ritual
from bot.settings import load_settings
from bot.simulate import command_body, signed_headers
from bot.slack_standin import SlackStandin
from bot.textview import mrkdwn_to_text, render_message
from rituals.schedule import first_working_day, occurrence_at
from rituals.teams import team_process
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
    """Types commands as people, through the app, and prints what they see."""

    def __init__(self, app, standin: SlackStandin, engine, clock: DemoClock, stream):
        self.app, self.standin, self.engine, self.clock = app, standin, engine, clock
        self.out = stream
        self.names = {p.user_id: p.name for p in (MANAGER, OUTSIDER, *REPS)}
        self.channels = {CHANNEL_ID: CHANNEL_NAME}
        self.played = 0
        self.typed: list[str] = []  # generated commands, for a sample
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
            return queries.count_logs(session)

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


def play_day(demo: Demo, rng, day, prev, pending, credits, stop_at) -> None:
    """Every rep's logs for one day, in time order: a morning catch-up of what they didn't log
    yesterday, then 1–3 logs at realistic times; AEs credit yesterday's accepted leads."""
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
                    if kpi == "meetings_scheduled" and rng.random() < 0.18:
                        credits.append((rep, company))  # an AE accepts it tomorrow
            if batch:
                events.append((slot, len(events), rep, phrase(rng, batch)))
        rest = {k: totals[k] - done[k] for k in totals if totals[k] > done[k]}
        if rest and stop_at > "16:45":  # forgot to log the afternoon: logged tomorrow morning
            pending.setdefault(rep.user_id, []).append(rest)
    for slot, _, rep, text in sorted(events, key=lambda e: (e[0], e[1])):
        demo.clock.set(day, slot)
        demo.log(rep, text)


def play(demo: Demo, weeks: int, today: date) -> None:
    days = working_days(today, weeks)
    first, prev, last = days[0], days[-2], days[-1]
    sdr1, sdr2, sdr3, sdr4 = SDRS
    demo.print(
        f"Pacer demo · {weeks} week{'s' * (weeks > 1)} of a sales team, {first:%a %-d %b} – "
        f"{last:%a %-d %b %Y} (America/New_York)",
        "Every line below went through Pacer's real slash-command path (signed requests, the same",
        "parser and handlers as in Slack) against a local stand-in for Slack and an SQLite file.",
    )

    demo.heading(f"1. {MANAGER.name}, the sales manager, sets up the team")
    demo.clock.set(first, "08:45")
    for i, rep in enumerate(REPS):
        demo.show(MANAGER, "/pacer", f"team add <@{rep.user_id}> {rep.role}", brief=i > 0)
    demo.show(MANAGER, "/pacer", f"manager <@{MANAGER.user_id}>", brief=True)
    demo.show(MANAGER, "/pacer", f"channel <#{CHANNEL_ID}|{CHANNEL_NAME}>")

    demo.heading(f"2. {len(days)} working days of activity")
    rng, pending, credits, start = random.Random(SEED), {}, [], demo.played
    for i, day in enumerate(days):
        stop_at = SHOWCASE_AT if day == last else "24:00"
        play_day(demo, rng, day, days[i - 1] if i else day, pending, credits, stop_at)
    samples = demo.typed[:: max(1, len(demo.typed) // 8)][:8]
    demo.print(
        f"The team typed {demo.played - start} commands, at 09:40 (yesterday's forgotten logs),",
        "10:30, 11:15 (AEs accept leads), 13:00 and 16:45, each rep 1–3 times a day; "
        f"{last:%a} stops at {SHOWCASE_AT}.",
        f"{demo.logs()} logs stored. A sample of what they typed:",
        *(f"    {mrkdwn_to_text(t, demo.names)}" for t in samples),
    )

    demo.heading(f"3. What reps see when they log ({last:%a %-d %b}, from {SHOWCASE_AT})")
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

    demo.heading("4. Mistakes, and what Pacer answers (none of them stores anything)")
    before = demo.logs()
    demo.show(sdr2, "/log", "conversatons 3")
    demo.show(sdr1, "/log", "calls 0")
    demo.show(sdr4, "/log", f"calls 10 {last + timedelta(days=1)}")
    demo.show(OUTSIDER, "/log", "calls 5")
    demo.show(sdr3, "/log", "sao 1")
    demo.print(f"Logs stored before these mistakes: {before}; after: {demo.logs()}.")

    demo.heading("5. Taking a log back, and a request Slack delivered twice")
    demo.clock.set(last, "13:45")
    demo.show(sdr2, "/log", "calls 150")
    demo.show(sdr2, "/log", "undo")
    demo.show(sdr2, "/log", "calls 15")
    body = command_body("/log", "held 1 roi 1", AES[1].user_id)  # one trigger_id, sent twice
    demo.show(AES[1], "/log", "held 1 roi 1", body)
    once = demo.logs()
    demo.show(AES[1], "/log", "held 1 roi 1", body)
    demo.print(f"Logs stored after the first delivery: {once}; after the second: {demo.logs()}.")

    demo.heading(f"6. The manager's view ({last:%a %-d %b} {NOW_AT})")
    demo.clock.set(last, NOW_AT)
    demo.show(MANAGER, "/pacer", "team")
    demo.show(MANAGER, "/pacer", "process")
    for rep in REPS:
        demo.show(MANAGER, "/scorecard", f"<@{rep.user_id}>")
    demo.show(MANAGER, "/scorecard", f"<@{sdr4.user_id}> month")
    demo.show(MANAGER, "/scorecard", f"<@{sdr2.user_id}> calls")


def rituals(demo: Demo, services: Services, today: date, folder: Path) -> None:
    """Every ritual, run through the same path as the clock, as of the moment it would post."""
    with Session(demo.engine) as session:
        team = queries.teams(session)[0]
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
        demo.heading(f"{what.capitalize()} ({day:%a %-d %b} {hhmm}, #{CHANNEL_NAME}): {outcome}")
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
        play(demo, weeks, today)
        rituals(demo, services, today, folder)
        demo.problems += errors.seen
        seconds = wallclock.perf_counter() - started
        demo.heading("Summary")
        demo.print(
            f"{demo.played} commands played, {demo.logs()} logs stored, in {seconds:.1f} s "
            f"(wall time). The database is {db}; look inside with:",
            f"    DATABASE_URL=sqlite:///{db} pacer process show",
        )
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


class ErrorLog(logging.Handler):
    """Errors Pacer logs during the demo (a failed command or after-ack job) count as problems."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(f"{record.name}: {record.getMessage()}")
