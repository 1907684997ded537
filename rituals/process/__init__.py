"""The sales process: buyer's journey -> seller activities -> KPIs -> role scorecards with goals.

A sales leader writes the process down in one YAML file (see ``rituals/default_process.yml``,
which is the method's own example and doubles as the format's documentation). This package
parses and validates such a file into an immutable :class:`Process`, and answers the questions the
rest of Pacer asks of it: which KPI does the word "dials" mean for an SDR, what is this rep's goal
for calls, what does the cascade look like.

Validation never stops at the first mistake: every problem is collected, each names its place in
the file and how to fix it, and the loaders raise :class:`ProcessError` and nothing else, whatever
the input. Advice that is not an error (the method's "3 leading + 1 lagging" formula, a KPI nobody
has) ends up in :attr:`Process.warnings`.

Where things are:

- ``model``: Process and its parts (Stage, Activity, Kpi, Role); ``goals``: Goal and parse_goal;
  ``ritual_schedule``: RitualSchedule and LeaderboardSlot; ``problems``: Problem, ProcessError;
  ``words`` and ``values``: quoting, "did you mean", reading times, days and shares.
- ``loader``: load_process_text/dict/file, the YAML reader, default_process and the Checker,
  composed of ``base_checks`` + ``team_checks``, ``ritual_checks``, ``cascade_checks`` and
  ``role_checks`` (one mixin per part of the file).
- ``dump``: dump_process (YAML out); ``cascade_text``: render_cascade (`pacer process show`).
- ``goal_history``: goals over time (a dated change, a file that keeps the team's history, the
  size check behind `confirm`); ``goal_change_checks``: the file's goal_changes: section.
"""

from rituals.process.cascade_text import render_cascade
from rituals.process.dump import dump_process
from rituals.process.goals import MAX_GOAL, PERIODS, Goal, GoalChange, GoalTimeline, parse_goal
from rituals.process.loader import (
    DEFAULT_PROCESS_PATH,
    default_process,
    load_edited_process,
    load_process_dict,
    load_process_file,
    load_process_text,
)
from rituals.process.model import Activity, Kpi, Process, Role, Stage
from rituals.process.problems import Problem, ProcessError
from rituals.process.ritual_checks import RITUALS
from rituals.process.ritual_schedule import RITUAL_DEFAULT_TIMES, LeaderboardSlot, RitualSchedule
from rituals.process.role_checks import METHOD_QUOTE

__all__ = [
    "DEFAULT_PROCESS_PATH",
    "MAX_GOAL",
    "METHOD_QUOTE",
    "PERIODS",
    "RITUALS",
    "RITUAL_DEFAULT_TIMES",
    "Activity",
    "Goal",
    "GoalChange",
    "GoalTimeline",
    "Kpi",
    "LeaderboardSlot",
    "Problem",
    "Process",
    "ProcessError",
    "RitualSchedule",
    "Role",
    "Stage",
    "default_process",
    "dump_process",
    "load_edited_process",
    "load_process_dict",
    "load_process_file",
    "load_process_text",
    "parse_goal",
    "render_cascade",
]
