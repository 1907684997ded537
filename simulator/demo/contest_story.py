"""The contest week: a metric falls behind, the lag check suggests a contest, the manager
launches it, and it runs to its result while the week is played."""

from datetime import date, datetime, timedelta

from slack_bolt.request import BoltRequest

from bot.contests.messages import duration_words
from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from bot.services import Services
from rituals import contests, dates
from rituals.pacing import elapsed_share, period_containing
from rituals.schedule import occurrence_at
from rituals.teams import team_process
from simulator.demo.activity import USUAL, DayPlan
from simulator.demo.cast import CHANNEL_ID, CHANNEL_NAME, MANAGER, TZ
from simulator.demo.player import SECRET, Demo
from simulator.signed_requests import block_action_payload, interaction_body, signed_headers
from simulator.slack_standin import SlackStandin
from storage import contest_queries, people_queries
from storage.unit_of_work import Session, unit_of_work

# The contest week: the SDRs' calls on Monday–Tuesday (a trade show), then while the contest runs.
SLUMP, RALLY = 0.55, 1.3
LAG_CHECK_AT, LAUNCH_AT = "11:00", "11:05"


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
        with unit_of_work(self.demo.engine) as session:
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
        week = period_containing("week", self.monday)
        gone = elapsed_share(week, now, process.calendar)
        off = process.calendar.days_off(week.start, week.end)
        holiday = (
            f" (a {process.calendar.working_days_in(week.start, week.end)}-day week: "
            + ", ".join(f"{dates.short(o.day)} is {o.name}" for o in off)
            + ")"
            if off
            else ""
        )
        demo.say(
            f"{self.monday:%a} and {self.tuesday:%a}: the SDRs work a trade-show booth half the "
            "day, so their calls drop to about half.",
            f"{dates.short(self.tuesday)} {LAG_CHECK_AT}: {gone:.0%} of the week's working time is "
            f"gone{holiday}, and Pacer's daily lag check runs. It finds calls behind and tells the "
            "manager, privately:",
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
        values = [
            next((b["value"] for b in action_buttons(dm) if b["action_id"] == "lag_launch"), "")
            for dm in dms
        ]
        with unit_of_work(demo.engine) as session:
            found = [suggested(session, team.id, value) for value in values]
        for dm, value, (kpi, pace) in zip(dms, values, found, strict=True):
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
        with unit_of_work(demo.engine) as session:
            row = contest_queries.get_suggestion(session, int(self.suggestion["id"]))
            contest = contest_queries.get_contest(session, row.contest_id) if row else None
        if contest is None:
            demo.problems.append("Launch contest stored no contest")
            return
        self.contest_id = contest.id
        _, process = self.team()
        settled = contests.settles_at(contest) - contest.ends_at
        minutes = int(settled.total_seconds() // 60)
        settle = f"{duration_words(minutes)} after its working day" if minutes else "at its end"
        demo.section(
            f"The contest runs ({dates.weekday_day(contest.start_day)} – {dates.short(contest.end_day)})"
        )
        demo.say(
            "With a target to chase, the SDRs' calls rise by about a third from "
            f"{contests.first_working_day(process.calendar, contest.start_day + timedelta(days=1)):%a}"
            " on, and they log each day in full. "
            "Pacer posts the standings on its schedule, at the half-way mark, in the last hour, "
            f"and the result once the last day's late logs are in ({settle}):",
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
        with unit_of_work(self.demo.engine) as session:
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
        with unit_of_work(self.demo.engine) as session:
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


def suggested(session: Session, team_id: int, value: str) -> tuple[str, float]:
    """(KPI, share of pace) of the team's lag suggestion a Launch button's value names; ("",
    0.0) when it names none."""
    row = contest_queries.get_suggestion(session, int(value)) if value.isdigit() else None
    if row is None or row.team_id != team_id:
        return "", 0.0
    return row.kpi, row.pace


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
