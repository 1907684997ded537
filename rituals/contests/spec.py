"""What a contest will be before it starts (a ContestSpec), and the limits it is checked against."""

from dataclasses import dataclass, field
from datetime import date, timedelta

KINDS = ("race", "target", "teams")
SCORINGS = ("sum", "average")
SOURCES = ("command", "modal", "suggestion", "auto")
MAX_NAME = 80
MAX_PRIZE = 300
MAX_GROUP_NAME = 80
MAX_DAYS = 92  # a contest is a sprint: at most about a quarter
MAX_TARGET = 1_000_000
RECENT = timedelta(days=30)
TOP = 3  # a race shows its top 3


@dataclass(frozen=True)
class ContestSpec:
    """What a contest will be, before it is started: from the quick form, the modal or the lag
    check's proposal. ``entrants`` empty: every rep whose scorecard has the KPI. ``groups``
    (teams only): (group name, user ids) pairs, two or more."""

    name: str
    kind: str  # one of KINDS
    kpi: str  # a KPI key of the team's process
    start_day: date
    end_day: date  # inclusive, team-local
    target: int | None = None  # target: required; teams: optional
    entrants: tuple[str, ...] = ()
    groups: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    scoring: str = "sum"  # teams: one of SCORINGS
    prize: str = ""
