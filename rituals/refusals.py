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
from datetime import datetime


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


# -- logging activity ---------------------------------------------------------------------------


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
