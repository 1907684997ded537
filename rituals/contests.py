"""Contests: a time-boxed competition on one KPI, started by a manager or suggested by the lag
check (issue 4). Plain data and the storage it needs: no Slack.

Kinds: ``race`` (most of the KPI in the window wins; the top 3 are shown), ``target`` (everyone
who reaches ``target`` wins), ``teams`` (two or more groups of reps; each group's score is the
sum of its reps' counts, or the average per rep).

A contest counts whole team-local days ``start_day``..``end_day`` (a log counts on the day it
happened, so a log backdated into the window counts) and ends at ``ends_at``, the end of the
last day's working hours, when its standings are frozen into ``Contest.result``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

KINDS = ("race", "target", "teams")
SCORINGS = ("sum", "average")


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
