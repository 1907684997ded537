"""What can be wrong with a contest spec, as data: each problem names the field it is about (so a
form shows it under that field) and carries what the wording needs (bot/replies.py says it in
Slack; ``plain()`` is a plain-English fallback for logs).

Fields: name | kpi | kind | start | end | target | entrants | groups | group1, group2… |
scoring | prize."""

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class SpecProblem:
    """One thing wrong with a contest spec."""

    field: str

    def plain(self) -> str:
        return f"the {self.field} is not right"

    def __str__(self) -> str:
        return self.plain()


@dataclass(frozen=True)
class NoName(SpecProblem):
    def plain(self) -> str:
        return "the contest needs a name"


@dataclass(frozen=True)
class NameTooLong(SpecProblem):
    length: int
    limit: int

    def plain(self) -> str:
        return f"the name is {self.length} characters long; {self.limit} at most"


@dataclass(frozen=True)
class UnknownKind(SpecProblem):
    kind: str

    def plain(self) -> str:
        return f"a contest is a race, a target or teams, not {self.kind!r}"


@dataclass(frozen=True)
class UnknownKpi(SpecProblem):
    word: str
    suggestions: tuple[str, ...]  # KPI keys close to the word
    kpis: tuple[str, ...]  # every KPI key of the process

    def plain(self) -> str:
        return f"no KPI {self.word!r} (KPIs: {', '.join(self.kpis)})"


@dataclass(frozen=True)
class StartsInThePast(SpecProblem):
    start_day: date
    today: date

    def plain(self) -> str:
        return f"it would start on {self.start_day}, which is past"


@dataclass(frozen=True)
class EndsBeforeStart(SpecProblem):
    end_day: date
    start_day: date

    def plain(self) -> str:
        return f"it would end on {self.end_day}, before it starts ({self.start_day})"


@dataclass(frozen=True)
class EndIsPast(SpecProblem):
    end_day: date

    def plain(self) -> str:
        return f"{self.end_day} is past"


@dataclass(frozen=True)
class OverBeforeItBegins(SpecProblem):
    """Today's working hours, its last day's, are over already."""

    end_day: date
    day_end: time

    def plain(self) -> str:
        return f"working hours on {self.end_day} end at {self.day_end:%H:%M}, which is past"


@dataclass(frozen=True)
class TooManyDays(SpecProblem):
    days: int
    limit: int

    def plain(self) -> str:
        return f"{self.days} days; a contest runs {self.limit} days at most"


@dataclass(frozen=True)
class NoTarget(SpecProblem):
    def plain(self) -> str:
        return "a target contest needs the number to reach"


@dataclass(frozen=True)
class TargetOutOfRange(SpecProblem):
    target: int
    limit: int

    def plain(self) -> str:
        return f"the target must be a whole number from 1 to {self.limit}, not {self.target}"


@dataclass(frozen=True)
class UnknownScoring(SpecProblem):
    scoring: str

    def plain(self) -> str:
        return f"teams score by sum or average, not {self.scoring!r}"


@dataclass(frozen=True)
class PrizeTooLong(SpecProblem):
    length: int
    limit: int

    def plain(self) -> str:
        return f"the prize is {self.length} characters; {self.limit} at most"


@dataclass(frozen=True)
class NameTaken(SpecProblem):
    """A contest of that name is running until ``until`` (team-local)."""

    name: str
    until: datetime

    def plain(self) -> str:
        return (
            f"a contest called {self.name!r} is already running (until {self.until:%Y-%m-%d %H:%M})"
        )


@dataclass(frozen=True)
class EntrantNotOnTeam(SpecProblem):
    user_id: str

    def plain(self) -> str:
        return f"{self.user_id} isn't on the team"


@dataclass(frozen=True)
class EntrantDoesNotTrack(SpecProblem):
    """Someone named whose role (``role_name``; None: not a rep) doesn't have the KPI;
    ``roles_with``: the roles whose scorecard has it."""

    user_id: str
    role_name: str | None
    kpi_name: str
    roles_with: tuple[str, ...]

    def plain(self) -> str:
        return f"{self.user_id} doesn't have {self.kpi_name} on their scorecard"


@dataclass(frozen=True)
class TooFewGroups(SpecProblem):
    def plain(self) -> str:
        return "teams need two or more groups of reps"


@dataclass(frozen=True)
class GroupNameTooLong(SpecProblem):
    limit: int

    def plain(self) -> str:
        return f"group names are {self.limit} characters at most"


@dataclass(frozen=True)
class GroupNamesClash(SpecProblem):
    name: str

    def plain(self) -> str:
        return f"two groups are called {self.name!r}"


@dataclass(frozen=True)
class EmptyGroup(SpecProblem):
    name: str

    def plain(self) -> str:
        return f"the group {self.name!r} has nobody in it"


@dataclass(frozen=True)
class InTwoGroups(SpecProblem):
    user_id: str
    first: str
    second: str

    def plain(self) -> str:
        return f"{self.user_id} is in two groups ({self.first!r} and {self.second!r})"


@dataclass(frozen=True)
class NobodyTakesPart(SpecProblem):
    def plain(self) -> str:
        return "nobody would take part"


@dataclass(frozen=True)
class NobodyTracks(SpecProblem):
    """No active rep on the team has the KPI; ``roles_with``: the roles whose scorecard has it."""

    kpi_name: str
    roles_with: tuple[str, ...]

    def plain(self) -> str:
        return f"nobody on the team tracks {self.kpi_name}"
