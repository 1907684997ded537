"""Contests: a time-boxed competition on one KPI, started by a manager or suggested by the lag
check (issue 4). Plain data and the storage it needs: no Slack, no SQL.

Kinds: ``race`` (most of the KPI in the window wins; the top 3 are shown), ``target`` (everyone
who reaches ``target`` wins), ``teams`` (two or more groups of reps; each group's score is the
sum of its reps' counts, or the average per rep).

A contest counts whole team-local days ``start_day``..``end_day`` (a log counts on the day it
happened, so a log backdated into the window counts) and ends at ``ends_at``, the end of the
last day's working hours. Its standings are frozen into ``Contest.result`` at ``settles_at``.

Decisions:

- **Settling** (issue 12): reps type the day's calls a little after the working day, so the
  result waits: ``settles_at`` = ``ends_at`` + the process's ``contests: {settle: 2h}`` (default
  2 hours; 0 for none), and never before that day's daily digest when it is on (``timing.
  settles_at_for``). It is fixed when the contest starts, so a later edit of the process file
  does not move a result already announced for a time. Between ``ends_at`` and ``settles_at``
  the contest is *settling* (``is_settling``): still listed as running, its standings say when
  the result is settled, and logs of its days typed then still count.
- **Counting as of an instant T** (storage/contest_queries.py): a log counts when it was stored
  by T and not voided by T. Live standings use T = now (capped at the close); the result uses
  T = the close (``closes_at``: when it settles), so it is the same whenever it is computed (a
  clock down past the settle time still counts exactly the logs stored by then), and the first
  run that computes it freezes it (compare-and-set; first freeze wins). A log voided or
  backdated into the window after that is reported by ``changes_since_result`` but does not
  change the result.
- **Ended early** (``/contest end``, before it ends or while it settles): ``ended_at``/
  ``ended_by`` are set and the contest closes then (``closes_at``); its result is due at that
  moment and no later post is.
- **Posts** (``contest_occurrences``), all of ritual kind "standings" with ``contest_id`` set:
  ``c{id}:start`` at ``starts_at``; ``c{id}:{YYYY-MM-DD}T{HH:MM}`` at each of the process's
  standings times on working days inside the window (not within 30 minutes of another post);
  ``c{id}:mid`` at the midpoint of ``starts_at``..``ends_at`` counted in **working time** (so a
  week-long contest is never "half way" on a Saturday; plain time when the window has no
  working time); ``c{id}:last-hour`` at ``ends_at`` − 1 h; ``c{id}:result`` when it closes
  (settles, or was ended).
- **Late posts** (``due_occurrences``): a standings, midpoint or last-hour post more than
  ``STANDINGS_GRACE`` (90 min) late is skipped, and so is one superseded by a later post of the
  same contest also due; a start or a result is never too late (posted late rather than lost),
  except that a start still unposted when the result is due is superseded by the result, which
  says everything the start would have.

Modules: ``spec`` (what a contest will be, its limits), ``timing`` (when it starts, ends,
settles and closes), ``problems`` (what can be wrong with a spec, as data), ``plan`` (a spec checked against
the team), ``listing`` (running and recent contests), ``lifecycle`` (starting and ending),
``standings`` (counting and the frozen result), ``posts`` (its posts and which are due). The
names below are the package's: import them from ``rituals.contests``.
"""

from rituals.contests.lifecycle import end_contest, start_contest
from rituals.contests.listing import recent_contests, running, running_contests
from rituals.contests.plan import Plan, plan_contest
from rituals.contests.posts import (
    APART,
    LAST_HOUR,
    MID,
    RESULT,
    STANDINGS,
    STANDINGS_GRACE,
    START,
    contest_occurrences,
    due_occurrences,
    phase_of,
    result_occurrence,
    standings_occurrence,
    start_occurrence,
)
from rituals.contests.problems import SpecProblem
from rituals.contests.spec import (
    KINDS,
    MAX_DAYS,
    MAX_GROUP_NAME,
    MAX_NAME,
    MAX_PRIZE,
    MAX_TARGET,
    RECENT,
    SCORINGS,
    SOURCES,
    TOP,
    ContestSpec,
)
from rituals.contests.standings import (
    GroupScore,
    Place,
    Standings,
    build_standings,
    changes_since_result,
    final_result,
    standings_at,
)
from rituals.contests.timing import (
    after_weeks,
    after_working_days,
    closes_at,
    digest_at,
    ends_at_for,
    first_working_day,
    is_over,
    is_settling,
    settles_at,
    settles_at_for,
    start_day_for,
    working_midpoint,
)

__all__ = [
    "APART",
    "KINDS",
    "LAST_HOUR",
    "MAX_DAYS",
    "MAX_GROUP_NAME",
    "MAX_NAME",
    "MAX_PRIZE",
    "MAX_TARGET",
    "MID",
    "RECENT",
    "RESULT",
    "SCORINGS",
    "SOURCES",
    "STANDINGS",
    "STANDINGS_GRACE",
    "START",
    "TOP",
    "ContestSpec",
    "GroupScore",
    "Place",
    "Plan",
    "SpecProblem",
    "Standings",
    "after_weeks",
    "after_working_days",
    "build_standings",
    "changes_since_result",
    "closes_at",
    "contest_occurrences",
    "digest_at",
    "due_occurrences",
    "end_contest",
    "ends_at_for",
    "final_result",
    "first_working_day",
    "is_over",
    "is_settling",
    "phase_of",
    "plan_contest",
    "recent_contests",
    "result_occurrence",
    "running",
    "running_contests",
    "settles_at",
    "settles_at_for",
    "standings_at",
    "standings_occurrence",
    "start_contest",
    "start_day_for",
    "start_occurrence",
    "working_midpoint",
]
