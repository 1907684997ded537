"""Loading a process: from YAML text, plain data or a file, and the method's default.

Validation never stops at the first mistake: every problem is collected, each names its place in
the file and how to fix it, and the loaders raise ProcessError and nothing else, whatever the
input. Checker reads the top level here; each part of the file has its own mixin.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import yaml

from rituals.pacing import WorkCalendar
from rituals.process.cascade_checks import CascadeChecks
from rituals.process.contest_rules import ContestChecks
from rituals.process.goal_change_checks import GoalChangeChecks
from rituals.process.holiday_checks import HolidayChecks
from rituals.process.model import Process, check_edits_with
from rituals.process.problems import Problem, ProcessError
from rituals.process.ritual_checks import RitualChecks, default_leaderboards_for, never_sent
from rituals.process.ritual_schedule import RitualSchedule
from rituals.process.role_checks import RoleChecks
from rituals.process.source_checks import SourceChecks
from rituals.process.team_checks import DEFAULTS, TeamChecks
from rituals.process.words import did_you_mean, kind_of, normalize_word, quote

# The method's own example, beside this package; it doubles as the format's documentation.
DEFAULT_PROCESS_PATH = Path(__file__).parent.with_name("default_process.yml")

MAX_PROCESS_NAME_LEN = 150  # Slack header text
MAX_APPROVALS = 50  # review: {min_approvals: N}

# Top-level sections in the order they are written out.
SECTIONS = (
    "name",
    "timezone",
    "working_days",
    "working_hours",
    "holidays",
    "scorecard_visibility",
    "pace_thresholds",
    "limits",
    "contests",
    "journey",
    "activities",
    "kpis",
    "roles",
    "overrides",
    "goal_changes",  # dated goal changes; the goals above are the ones before any of them
    "sources",  # which KPI a record from a connected system (HubSpot) counts on
    "rituals",  # last: it refers to the KPIs above
    "review",  # how a draft of the next version is reviewed before it is published
)
REQUIRED_SECTIONS = ("name", "journey", "activities", "kpis", "roles")
# Words people plausibly write for a section; used only to suggest the right name.
_SECTION_HINTS = {
    "stages": "journey",
    "buyers_journey": "journey",
    "visibility": "scorecard_visibility",
    "thresholds": "pace_thresholds",
    "pace": "pace_thresholds",
    "tz": "timezone",
    "time_zone": "timezone",
    "days": "working_days",
    "hours": "working_hours",
    "holiday": "holidays",
    "public_holidays": "holidays",
    "days_off": "holidays",
    "metrics": "kpis",
    "kpi": "kpis",
    "teams": "roles",
    "goals": "roles",
    "reps": "overrides",
    "goal_history": "goal_changes",
    "goal_change": "goal_changes",
    "changes": "goal_changes",
    "ritual": "rituals",
    "schedule": "rituals",
    "digests": "rituals",
    "daily": "rituals",
    "weekly": "rituals",
    "monthly": "rituals",
    "leaderboards": "rituals",
    "leaderboard": "rituals",
    "nudges": "rituals",
    "contest": "contests",
    "settle": "contests",
    "reviews": "review",
    "min_approvals": "review",
    "source": "sources",
    "hubspot": "sources",
    "crm": "sources",
    "integrations": "sources",
}

# How to add each required section when it is missing.
_MISSING_FIX = {
    "name": "add a line like 'name: Inside sales'",
    "journey": "list the buyer's journey stages in order, e.g. '- {key: receives_call, name: Receives Call/Email}'",
    "activities": "list the seller activity for each stage, e.g. '- {key: call_lead, name: Call Lead, stage: receives_call}'",
    "kpis": "list the KPIs, e.g. '- {key: calls, name: Calls, kind: leading, activity: call_lead}'",
    "roles": "list the roles with their scorecards, e.g. '- {key: sdr, name: SDR, scorecard: [calls]}'",
}


# --------------------------------------------------------------------------------------------
# YAML reading: YAML 1.2-style scalars, so `17:00` stays text (YAML 1.1 reads it as 1020),
# `no`/`on` stay words and dates stay text; duplicate keys in a mapping are reported, not
# silently collapsed to the last one.

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Problem] = []

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                if (
                    not isinstance(key_node, yaml.ScalarNode)
                    or key_node.tag == "tag:yaml.org,2002:merge"
                ):
                    continue
                ident = (key_node.tag, key_node.value)
                line = key_node.start_mark.line + 1
                if ident in seen:
                    self.duplicates.append(
                        Problem(
                            f"line {line}",
                            f"{key_node.value!r} appears twice in the same mapping (first on line {seen[ident]})",
                            "keep one of them; YAML would silently use only the last one",
                        )
                    )
                else:
                    seen[ident] = line
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in (_BOOL_TAG, _INT_TAG, _FLOAT_TAG, _TIMESTAMP_TAG)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    _INT_TAG, re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*))$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    _FLOAT_TAG,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?"
        r"|\.[0-9_]+(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)"
        r"|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _parse_yaml(text: str) -> tuple[object, list[Problem]]:
    loader = _Loader(text)
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


# --------------------------------------------------------------------------------------------
# The entry points


def load_process_text(text: str, *, source: str | None = None) -> Process:
    """Parse and validate a process from YAML text. Raises ProcessError, never anything else."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ProcessError(
                [Problem("(file)", "is not UTF-8 text", "save the file as UTF-8")], source
            ) from None
    if not isinstance(text, str):
        raise ProcessError(
            [Problem("(file)", f"expected YAML text, got {kind_of(text)}", "pass the file's text")],
            source,
        )
    try:
        data, duplicates = _parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        what = exc.problem or exc.context or "invalid YAML"
        raise ProcessError(
            [Problem(where, f"YAML syntax error: {what}", _YAML_FIX)], source
        ) from None
    except yaml.YAMLError as exc:
        raise ProcessError([Problem("(file)", f"YAML error: {exc}", _YAML_FIX)], source) from None
    except RecursionError:
        raise ProcessError(
            [Problem("(file)", "the YAML is nested too deeply", _YAML_FIX)], source
        ) from None
    except Exception as exc:  # e.g. a value an explicit !!tag can't build
        raise ProcessError(
            [Problem("(file)", f"unreadable YAML: {quote(str(exc))}", _YAML_FIX)], source
        ) from None
    if data is None:
        raise ProcessError(
            [
                Problem(
                    "(file)", "the process file is empty", "start from rituals/default_process.yml"
                )
            ],
            source,
        )
    return _load(data, duplicates, source)


_YAML_FIX = (
    "check the indentation and quoting near that line: indent with spaces, and put text that "
    "contains ': ', '#' or starts with a symbol in quotes"
)


def load_process_dict(data: object, *, source: str | None = None) -> Process:
    """Validate plain data (as from YAML or JSON) into a Process. Raises ProcessError only."""
    return _load(data, [], source)


def load_edited_process(data: object) -> Process:
    """An edit (a Slack command, the settings form): checked like a file, and refused where the
    file would only be warned: a ritual that would never be sent (rituals.process.ritual_checks.
    never_sent). A stored version or a file with one still loads, so nothing already saved breaks."""
    process = load_process_dict(data)
    problems = never_sent(process.rituals, process.calendar)
    if problems:
        raise ProcessError(problems)
    return process


def load_process_file(path: str | Path) -> Process:
    """Read and validate a process file; every problem names the file."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ProcessError(
            [Problem("(file)", f"there is no file {name!r}", "check the path")], name
        ) from None
    except IsADirectoryError:
        raise ProcessError(
            [Problem("(file)", f"{name!r} is a directory", "give the path of the YAML file")], name
        ) from None
    except OSError as exc:
        raise ProcessError(
            [
                Problem(
                    "(file)",
                    f"can't read {name!r}: {exc.strerror or exc}",
                    "check the path and its permissions",
                )
            ],
            name,
        ) from None
    return load_process_text(raw, source=name)


def _load(data: object, early: list[Problem], source: str | None) -> Process:
    checker = Checker()
    checker.problems.extend(early)
    try:
        process = checker.check(data)
    except ProcessError:
        raise
    except RecursionError:
        checker.problems.append(
            Problem("(file)", "the data is nested too deeply", "simplify the file")
        )
        process = None
    except Exception as exc:  # a bug in the checker must not escape as something else
        checker.problems.append(
            Problem(
                "(file)",
                f"internal error while checking the process: {exc!r}",
                "report this to the Pacer maintainers",
            )
        )
        process = None
    if checker.problems or process is None:
        raise ProcessError(checker.problems or [Problem("(file)", "invalid process", "")], source)
    return process


# --------------------------------------------------------------------------------------------
# The whole file


class Checker(
    TeamChecks,
    HolidayChecks,
    RitualChecks,
    CascadeChecks,
    RoleChecks,
    GoalChangeChecks,
    ContestChecks,
    SourceChecks,
):
    """Checks a whole process: the top level here, each part of the file in its own mixin."""

    def check(self, data: object) -> Process | None:
        if not isinstance(data, Mapping):
            self.add(
                "(top level)",
                f"a process must be a mapping of sections (name:, journey:, kpis:, ...), got {kind_of(data)}",
                "start from rituals/default_process.yml and edit it",
            )
            return None
        for k in data:
            if k not in SECTIONS:
                hint = _SECTION_HINTS.get(k) if isinstance(k, str) else None
                mean = f" (did you mean '{hint}'?)" if hint else did_you_mean(k, SECTIONS)
                self.add(
                    str(k) if isinstance(k, str) else "(top level)",
                    f"unknown section {quote(k)}",
                    f"remove it or rename it; the sections are {', '.join(SECTIONS)}{mean}",
                )
        for section in REQUIRED_SECTIONS:
            if section not in data or data[section] is None:
                self.add(section, "required section is missing", _MISSING_FIX[section])

        name = None
        if data.get("name") is not None:
            name = self.text(
                data["name"], "name", what="the process name", max_len=MAX_PROCESS_NAME_LEN
            )
        timezone, tz = self.timezone(data.get("timezone", DEFAULTS["timezone"]))
        days = self.working_days(data.get("working_days", DEFAULTS["working_days"]))
        hours = self.working_hours(data.get("working_hours", DEFAULTS["working_hours"]))
        holidays = self.holidays(data.get("holidays"), days)
        visibility = self.visibility(
            data.get("scorecard_visibility", DEFAULTS["scorecard_visibility"])
        )
        thresholds = self.thresholds(data.get("pace_thresholds", DEFAULTS["pace_thresholds"]))
        limits = self.limits(data.get("limits", DEFAULTS["limits"]))
        contest_rules = self.contest_rules(data.get("contests"))
        min_approvals = self.review(data.get("review"))

        stages = self.stages(data.get("journey"))
        stage_keys = self.defined.get("journey", [])
        activities = self.activities(data.get("activities"), stage_keys)
        activity_keys = self.defined.get("activities", [])
        role_keys = self.peek_role_keys(data.get("roles"))
        kpis = self.kpis(data.get("kpis"), activity_keys, role_keys)
        kpi_keys = self.defined.get("kpis", [])
        words = {normalize_word(k): k for k in kpi_keys}
        words.update({normalize_word(w): k.key for k in kpis for w in k.aliases})
        roles = self.roles(data.get("roles"), kpis, kpi_keys, words)
        overrides = self.overrides(data.get("overrides"), kpi_keys, words)
        goal_changes = self.goal_changes(
            data.get("goal_changes"), roles, role_keys, kpi_keys, words
        )
        sources = self.sources(data.get("sources"), kpi_keys, words, roles)
        rituals = self.rituals(
            data.get("rituals"), kpi_keys, words, default_leaderboards_for(roles, kpis)
        )

        calendar = None
        if tz is not None and days is not None and hours is not None and holidays is not None:
            try:
                calendar = WorkCalendar(
                    tz=tz,
                    working_days=days,
                    day_start=hours[0],
                    day_end=hours[1],
                    holidays=holidays,
                )
            except Exception as exc:
                self.add(
                    "working_hours",
                    f"can't build the work calendar: {exc}",
                    "check working_days and working_hours",
                )

        if self.problems:
            return None
        assert name is not None and timezone is not None and visibility is not None
        assert thresholds is not None and limits is not None and calendar is not None
        assert isinstance(rituals, RitualSchedule) and contest_rules is not None
        self.advise(stages, activities, kpis, roles)
        self.advise_rituals(rituals, calendar)
        return Process(
            name=name,
            stages=tuple(stages),
            activities=tuple(activities),
            kpis=tuple(kpis),
            roles=tuple(roles),
            overrides=MappingProxyType(overrides),
            calendar=calendar,
            timezone=timezone,
            visibility=visibility,
            thresholds=thresholds,
            max_count=limits[0],
            backdate_days=limits[1],
            rituals=rituals,
            contests=contest_rules,
            warnings=tuple(self.warnings),
            goal_changes=tuple(goal_changes),
            goal_history_stated="goal_changes" in data,
            review_min_approvals=min_approvals,
            sources=MappingProxyType(sources),
        )

    def review(self, value: object) -> int:
        """review: {min_approvals: N}: approvals a draft needs before it is published without
        `confirm` (0, the default: reviews advise, they don't block)."""
        if value is None:
            return 0
        section = self.mapping(value, "review", what="review", example="{min_approvals: 2}")
        if section is None:
            return 0
        self.unknown_fields(section, ("min_approvals",), "review")
        raw = section.get("min_approvals", 0)
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_APPROVALS:
            self.add(
                "review.min_approvals",
                f"{quote(raw)} is not a number of approvals",
                f"use a whole number from 0 to {MAX_APPROVALS}, e.g. 2 (0: reviews don't block publishing)",
            )
            return 0
        return raw


@functools.cache
def default_process() -> Process:
    """The method's own example (rituals/default_process.yml), loaded once."""
    return load_process_file(DEFAULT_PROCESS_PATH)


check_edits_with(load_edited_process)  # Process.with_goal & co. check what they make
