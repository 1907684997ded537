"""The demo's last week, where a real sales floor shows: the default process's US public holidays
(Thanksgiving, when the demo ends in its week), a day off booked ahead with `/away`, a new hire
starting on its second day with the ramp new SDRs get, and a goal raised from its Monday. Each
goes through the real command path; the manager's view then shows what each did to the numbers
(and `/scorecard … why` says how)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from rituals import dates
from rituals.teams import store_process, team_process
from simulator.demo.cast import AES, MANAGER, NEW_HIRE, REPS, SDRS, Person
from simulator.demo.player import Demo
from storage import people_queries
from storage.unit_of_work import unit_of_work

RAMP = (0.25, 0.5, 0.75)  # a new SDR's share of the goal in their 1st, 2nd and 3rd month
AWAY_REP = SDRS[1]  # Sam Okafor takes the week's first day off
OUT_TODAY = AES[2]  # Marcus Bell is out on the demo's last day: "away" in its rankings
RAISED = ("conversations", "14/day")  # the SDRs' conversations goal from the week's first day


def give_new_sdrs_a_ramp(demo: Demo, services) -> None:
    """The company's process file ramps new SDRs: stored as `pacer process load` stores it."""
    with unit_of_work(demo.engine) as session:
        team = people_queries.teams(session)[0]
        process, _ = team_process(session, team.id)
        roles = tuple(replace(r, ramp=RAMP) if r.key == "sdr" else r for r in process.roles)
        store_process(
            session,
            replace(process, roles=roles),
            team=team,
            loaded_by="cli",
            change="ramp for new SDRs",
            now=demo.clock(),
        )
    demo.say(
        "The company's process file (`pacer process load`) ramps new SDRs: `ramp: [25%, 50%, "
        "75%]`, their share of the goal in their first three months. Dana adds the SDR who starts "
        "next week:"
    )
    demo.print("")


@dataclass
class FinalWeek:
    """The days that matter in the last week played."""

    first: date  # its first working day played: Sam's day off, the raised goal's first day
    booking: date  # when the days off and the goal change are typed: the working day before
    hire_starts: date  # the new hire's first day: the week's second working day played
    last: date  # the demo's last day: Marcus is out
    typed: list[tuple[date, str, Person, str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, days: list[date]) -> FinalWeek:
        last = days[-1]
        monday = last - timedelta(days=last.weekday())
        final = [d for d in days if d >= monday]
        earlier = [d for d in days if d < monday]
        return cls(
            final[0],
            earlier[-1] if earlier else final[0],
            final[1] if len(final) > 1 else final[0],
            last,
        )

    def reps_on(self, day: date) -> tuple[Person, ...]:
        """Who is at work on ``day``: not Sam on his day off; the new hire from her start."""
        away = {AWAY_REP.user_id: self.first, OUT_TODAY.user_id: self.last}
        reps = tuple(r for r in REPS if away.get(r.user_id) != day)
        return reps + ((NEW_HIRE,) if day >= self.hire_starts else ())

    def plan_ahead(self, demo: Demo, day: date) -> None:
        """08:30 on the booking day: Sam books his day off, Dana raises a goal from the week's
        first day (typed now, shown in the manager's view)."""
        demo.clock.set(day, "08:30")
        for who, command, text in (
            (AWAY_REP, "/away", f"{self.first.isoformat()} Family visit"),
            (OUT_TODAY, "/away", f"{self.last.isoformat()} Dentist"),
            (MANAGER, "/pacer", f"goal sdr {RAISED[0]} {RAISED[1]} from {self.first.isoformat()}"),
        ):
            reply = demo.send(who, command, text)
            self.typed.append((day, "08:30", who, f"{command} {text}", reply))
            if "refus" in reply.lower() or "⚠" in reply:
                demo.problems.append(f"{who.name} › {command} {text} → {reply}")

    def show_what_changed(self, demo: Demo, last: date) -> None:
        """What the week's days off, new hire and goal change did to the numbers."""
        demo.section(
            f"A real week: a holiday, a day off, a new hire and a goal change ({dates.short(last)})"
        )
        demo.say(
            f"Typed on {dates.short(self.booking)} at 08:30, ahead of the week "
            f"(the days' goals follow each of them):"
        )
        demo.print("")
        for _, _, who, typed, reply in self.typed:
            demo.print(f"{who.name} › {typed}", *("    " + line for line in reply.splitlines()), "")
        demo.show(MANAGER, "/away", f"list <@{AWAY_REP.user_id}>")
        demo.show(MANAGER, "/away", "list team")
        demo.show(MANAGER, "/pacer", "goal")
        for who, text in (
            (AWAY_REP, "calls why"),
            (NEW_HIRE, ""),
            (NEW_HIRE, "calls why"),
            (SDRS[0], "conversations why"),
        ):
            demo.show(MANAGER, "/scorecard", f"<@{who.user_id}> {text}".strip())
