"""Refusals: requests Pacer understood but will not carry out. Each is raised before anything
is stored (and the request's unit of work is rolled back), so a refused request changes nothing.

A refusal carries data (which KPI, which limit, which role was needed), never text for a
particular screen: whoever shows it to a person (a Slack reply: bot/replies.py; the command
line) says it in their own words, with their own hints. ``str(refusal)`` is a plain-English
fallback for logs and the command line.

Declare each as a frozen-free dataclass so its fields are its data::

    @dataclass(eq=False)
    class NotAllowed(Refusal):
        action: str  # "change goals"
        needed: str = "manager"

        def plain(self) -> str:
            return f"only a {self.needed} can {self.action}"
"""

from dataclasses import dataclass, fields
from datetime import date, datetime

from rituals import dates


class Refusal(Exception):
    """The base of every refusal."""

    def plain(self) -> str:
        """A plain-English sentence, no markup (logs, the command line)."""
        if self.args:
            return str(self.args[0])
        data = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))  # type: ignore[arg-type]
        return f"{type(self).__name__}({data})"

    def __str__(self) -> str:
        return self.plain()


# -- people and teams ---------------------------------------------------------------------------


@dataclass(eq=False)
class NotAllowed(Refusal):
    """Only the team's managers (and Pacer admins) may do this."""

    action: str  # "change the team's settings"
    needed: str = "manager"

    def plain(self) -> str:
        return f"Only the team's managers and Pacer admins can {self.action}."


@dataclass(eq=False)
class InvalidProcessChange(Refusal):
    """The change would leave the team's process invalid; ``problems`` says why, line by line."""

    problems: str

    def plain(self) -> str:
        return f"That change would make the process invalid, so nothing changed:\n{self.problems}"


@dataclass(eq=False)
class ProcessChangeRaced(Refusal):
    """Other changes kept landing first, every time this one was re-applied on top of them."""

    def plain(self) -> str:
        return "The process was changed several times at this very moment; nothing changed."


@dataclass(eq=False)
class NotOnTeam(Refusal):
    """Whoever a log is for is on no team (or has no role): there is no scorecard to log to."""

    user_id: str
    is_self: bool
    roles: tuple[str, ...] = ()  # the roles the process offers
    starts: date | None = None  # a new hire who starts on this day
    left: date | None = None  # their last day, over

    def plain(self) -> str:
        who = "You're not" if self.is_self else f"{self.user_id} isn't"
        if self.starts:
            return f"{who} on the team until {self.starts}, so there's no scorecard to log to yet."
        return f"{who} a rep on a Pacer team, so there's no scorecard to log to."


@dataclass(eq=False)
class NoOwnScorecard(Refusal):
    """A manager without a role logs for themselves."""

    def plain(self) -> str:
        return "You're on the team as a manager without a scorecard of your own."


@dataclass(eq=False)
class RoleDropped(Refusal):
    """Someone's role is no longer in the team's process."""

    user_id: str
    is_self: bool
    role: str
    roles: tuple[str, ...]  # the roles the process has now

    def plain(self) -> str:
        who = "Your" if self.is_self else f"{self.user_id}'s"
        return f"{who} role {self.role} is no longer in the team's process."


@dataclass(eq=False)
class NoLongerRep(Refusal):
    """A log credited to someone who has since left the team: only a manager may change it."""

    rep_id: str
    verb: str  # undo, void, edit

    def plain(self) -> str:
        return f"{self.rep_id} is no longer a rep on the team; ask a manager to {self.verb} it."


# -- logging activity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TypedLog:
    """A log as the person typed it, without its date: what a refusal can show as an example."""

    items: tuple[tuple[str, int], ...]  # (KPI key, count)
    rep_id: str | None = None  # the rep credited; None for one's own log


@dataclass(eq=False)
class NothingToLog(Refusal):
    def plain(self) -> str:
        return "Nothing to log: name a KPI and a count."


@dataclass(eq=False)
class KpiNotOnScorecard(Refusal):
    kpi_name: str
    rep_id: str
    is_self: bool
    role_name: str
    scorecard: tuple[str, ...]  # KPI names on the role's scorecard
    example_kpi: str  # the key of its first KPI

    def plain(self) -> str:
        whose = "your" if self.is_self else f"{self.rep_id}'s"
        return f"{self.kpi_name} isn't on {whose} scorecard ({self.role_name})."


@dataclass(eq=False)
class RecordedByOther(Refusal):
    """A KPI another role records for the rep (an AE accepts an SDR's opportunity)."""

    kpi_name: str
    kpi_key: str
    recorder: str  # the recording role's name
    rep_id: str

    def plain(self) -> str:
        return (
            f"{self.kpi_name} is recorded for you by the {self.recorder} who accepts it "
            "or by your manager, not by yourself."
        )


@dataclass(eq=False)
class NotAllowedToCredit(Refusal):
    """Someone who isn't a manager logs for someone else."""

    kpi_name: str
    kpi_key: str
    recorder: str | None = None  # the role that may also credit this KPI, if any

    def plain(self) -> str:
        return "Only managers can log for someone else."


@dataclass(eq=False)
class FutureDate(Refusal):
    day: date
    typed: TypedLog | None = None

    def plain(self) -> str:
        return (
            f"{dates.long(self.day)} is in the future; activity is logged on or after it happens."
        )


@dataclass(eq=False)
class TooFarBack(Refusal):
    day: date
    oldest: date
    backdate_days: int
    typed: TypedLog | None = None

    def plain(self) -> str:
        return (
            f"{dates.long(self.day)} is more than {self.backdate_days} days ago, outside the "
            f"backdating window (oldest: {dates.short(self.oldest)})."
        )


@dataclass(eq=False)
class CountBelowOne(Refusal):
    count: int

    def plain(self) -> str:
        return f"{self.count} isn't a count Pacer can log: counts are whole numbers from 1 up."


@dataclass(eq=False)
class CountAboveLimit(Refusal):
    count: int
    kpi_key: str
    kpi_name: str
    limit: int

    def plain(self) -> str:
        return (
            f"{self.count} {self.kpi_name} in one log looks like a typo: the most one log can "
            f"record is {self.limit}."
        )


@dataclass(eq=False)
class NothingToUndo(Refusal):
    def plain(self) -> str:
        return "There's nothing you logged left to undo."


@dataclass(eq=False)
class UndoneMeanwhile(Refusal):
    def plain(self) -> str:
        return "That log was just undone by another request; nothing else changed."


@dataclass(eq=False)
class LogNotFound(Refusal):
    log_id: int

    def plain(self) -> str:
        return "Pacer can't find that log, so nothing changed."


@dataclass(eq=False)
class NotYourLog(Refusal):
    verb: str  # void, edit

    def plain(self) -> str:
        return (
            f"Only the person who entered a log, or a manager, can {self.verb} it; nothing changed."
        )


@dataclass(eq=False)
class AlreadyVoided(Refusal):
    count: int
    kpi_name: str
    occurred_on: date
    voided_at: datetime | None  # in the team's timezone
    voided_by: str | None
    by_you: bool
    tried: str  # void, edit

    def plain(self) -> str:
        return (
            f"That log ({self.count} {self.kpi_name} on {dates.short(self.occurred_on)}) was "
            f"already voided, so there was nothing left to {self.tried}; nothing changed."
        )


@dataclass(eq=False)
class KpiDropped(Refusal):
    """A log of a KPI the process no longer has can be voided, not corrected."""

    kpi_key: str

    def plain(self) -> str:
        return f"{self.kpi_key} is no longer a KPI in the team's process."


@dataclass(eq=False)
class SameCount(Refusal):
    count: int

    def plain(self) -> str:
        return f"That log already says {self.count}; nothing changed."


# -- days off (/pacer holiday) ------------------------------------------------------------------


@dataclass(eq=False)
class NotAWorkingDay(Refusal):
    """A day off asked for a day the team doesn't work anyway (a Saturday): it would change
    nothing, so it is more likely a wrong date."""

    day: date
    working_days: tuple[int, ...]  # date.weekday() numbers

    def plain(self) -> str:
        return f"{dates.long(self.day)} is not a working day anyway; nothing changed."


@dataclass(eq=False)
class AlreadyADayOff(Refusal):
    day: date
    name: str
    source: str  # rituals.holiday_rules.PUBLIC or COMPANY

    def plain(self) -> str:
        return f"{dates.long(self.day)} is already a day off ({self.name}); nothing changed."


@dataclass(eq=False)
class NotADayOff(Refusal):
    """Nothing to remove: the day is no holiday nor company day off (``worked``: the name of
    the public holiday the team already works that day)."""

    day: date
    worked: str | None = None

    def plain(self) -> str:
        return f"{dates.long(self.day)} is not a day off; nothing changed."


@dataclass(eq=False)
class DayOffOutOfRange(Refusal):
    day: date
    earliest: date
    latest: date

    def plain(self) -> str:
        return (
            f"{dates.long(self.day)} is too far off: days off go from {dates.long(self.earliest)} "
            f"to {dates.long(self.latest)}."
        )


@dataclass(eq=False)
class DayOffNameRefused(Refusal):
    """A day off's name that can't be shown: too long, or with < or > (Slack markup)."""

    name: str
    limit: int

    def plain(self) -> str:
        return f"A day off's name is at most {self.limit} characters, without < or >."


# -- contests and the lag check -----------------------------------------------------------------


@dataclass(eq=False)
class ContestNotStarted(Refusal):
    """A contest spec with problems: rituals.contests.problems.SpecProblem, each naming its
    field (a form shows each under its field)."""

    problems: tuple  # of SpecProblem (not imported here: rituals.contests imports this module)

    def plain(self) -> str:
        return "No contest started: " + "; ".join(dict.fromkeys(p.plain() for p in self.problems))


@dataclass(eq=False)
class SuggestionUnavailable(Refusal):
    """A lag suggestion that can no longer be launched, so no contest was started."""

    def plain(self) -> str:
        return "that suggestion can no longer be launched, so nothing was started"


@dataclass(eq=False)
class SuggestionGone(SuggestionUnavailable):
    def plain(self) -> str:
        return "that suggestion no longer exists, so nothing was started"


@dataclass(eq=False)
class SuggestionOfAnotherTeam(SuggestionUnavailable):
    def plain(self) -> str:
        return "that suggestion belongs to another team, so nothing was started"


@dataclass(eq=False)
class SuggestionDecided(SuggestionUnavailable):
    """Launched or dismissed already: by whom (None: Pacer itself), when (team-local; None if
    unknown) and, once launched, the contest it started."""

    status: str  # launched | dismissed
    decided_by: str | None
    decided_at: datetime | None
    contest_name: str | None = None

    def plain(self) -> str:
        return f"this suggestion was already {self.status}, so nothing was started"


@dataclass(eq=False)
class ContestNotStored(Refusal):
    """The contest's start key was taken but its contest could not be read: nothing stored."""

    def plain(self) -> str:
        return "that contest could not be stored just now; nothing changed"


# -- coaching -----------------------------------------------------------------------------------


# -- ritual runs --------------------------------------------------------------------------------


__all__ = ["Refusal", "dataclass"]
