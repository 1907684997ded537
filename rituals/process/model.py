"""The process: buyer's journey -> seller activities -> KPIs -> role scorecards with goals.

Process is immutable. It answers the questions the rest of Pacer asks of it (which KPI does the
word "dials" mean for an SDR, what is this rep's goal for calls, what does the cascade look like)
and makes edited copies (with_goal, with_settings, with_ritual), each validated like a file.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rituals.kinds import kind_for
from rituals.pacing import WEEKDAY_NAMES, Thresholds, WorkCalendar
from rituals.process.contest_rules import ContestRules
from rituals.process.goals import Goal, GoalChange, GoalTimeline, parse_goal
from rituals.process.problems import Problem, ProcessError
from rituals.process.ritual_checks import RITUALS, ritual_name
from rituals.process.ritual_schedule import RitualSchedule
from rituals.process.scoring import DEFAULT_SCORING, Scoring
from rituals.process.sources import SourceMapping
from rituals.process.values import parse_clock, percent_text
from rituals.process.words import did_you_mean, display_word, normalize_word, one_of, quote

SLACK_ID_RE = re.compile(r"^[UW][A-Z0-9]{2,}$")
MENTION_RE = re.compile(r"^<@([A-Za-z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class Stage:
    key: str
    name: str


@dataclass(frozen=True)
class Activity:
    key: str
    name: str
    stage: str


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str
    kind: str  # "leading" | "lagging"
    activity: str | None
    aliases: tuple[str, ...]  # lowercase; includes the key, the name and simple plural forms
    recorded_by: str | None  # a role whose members record it for the rep (e.g. an AE for SAOs)
    description: str = ""
    # The aliases as written in the file (what to_dict() writes back); not part of equality.
    declared_aliases: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # Kept only so its logs stay readable: on no scorecard, nobody logs it any more.
    archived: bool = False

    @property
    def leading(self) -> bool:
        return self.kind == "leading"


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    scorecard: tuple[str, ...]
    goals: Mapping[str, Goal] = field(default_factory=dict, hash=False)
    aliases: Mapping[str, str] = field(default_factory=dict, hash=False)  # word -> KPI key
    scoring: Scoring = field(default=DEFAULT_SCORING, hash=False)  # the overall score
    # A new hire's share of the goal in their 1st, 2nd… month of tenure (0.25 = 25%); () none.
    ramp: tuple[float, ...] = ()


@dataclass(frozen=True)
class Process:
    name: str
    stages: tuple[Stage, ...]
    activities: tuple[Activity, ...]
    kpis: tuple[Kpi, ...]
    roles: tuple[Role, ...]
    overrides: Mapping[str, Mapping[str, Goal]] = field(hash=False)
    calendar: WorkCalendar = field(hash=False)
    timezone: str = "UTC"
    visibility: str = "public"
    thresholds: Thresholds = field(default_factory=Thresholds, hash=False)
    max_count: int = 500
    backdate_days: int = 14
    rituals: RitualSchedule = field(default_factory=RitualSchedule)
    contests: ContestRules = field(default_factory=ContestRules)
    warnings: tuple[str, ...] = ()
    # Dated goal changes, in the order they were made (the roles' goals and the overrides are the
    # goals before any of them). ``goal_history_stated``: the file had a goal_changes: section
    # (`pacer process load` keeps the team's history for a file without one).
    goal_changes: tuple[GoalChange, ...] = ()
    goal_history_stated: bool = field(default=False, compare=False)
    # How many reviewers must approve a draft before it is published without `confirm`.
    review_min_approvals: int = 0
    # Connected systems (the `sources:` section): source name -> its record-to-KPI mapping.
    sources: Mapping[str, SourceMapping] = field(default_factory=dict, hash=False)

    # -- lookups ------------------------------------------------------------------------------

    @functools.cached_property
    def _kpi_index(self) -> dict[str, Kpi]:
        return {k.key: k for k in self.kpis}

    @functools.cached_property
    def _role_index(self) -> dict[str, Role]:
        return {r.key: r for r in self.roles}

    @functools.cached_property
    def _global_words(self) -> dict[str, str]:
        """normalized word -> KPI key, plus the display form of each word in order."""
        index: dict[str, str] = {}
        for kpi in self.kpis:
            for word in kpi.aliases:
                index.setdefault(normalize_word(word), kpi.key)
        return index

    @functools.cached_property
    def _role_words(self) -> dict[str, dict[str, str]]:
        return {
            r.key: {normalize_word(w): k for w, k in r.aliases.items() if k in self._kpi_index}
            for r in self.roles
        }

    def kpi(self, key: str) -> Kpi:
        """The KPI with this key (case-insensitive); KeyError if there is none."""
        if not isinstance(key, str):
            raise KeyError(key)
        found = self._kpi_index.get(key) or self._kpi_index.get(key.strip().lower())
        if found is None:
            raise KeyError(key)
        return found

    def role(self, key: str) -> Role:
        """The role with this key (case-insensitive); KeyError if there is none."""
        if not isinstance(key, str):
            raise KeyError(key)
        found = self._role_index.get(key) or self._role_index.get(key.strip().lower())
        if found is None:
            raise KeyError(key)
        return found

    def has_role(self, key: str | None) -> bool:
        try:
            self.role(key)  # type: ignore[arg-type]
        except KeyError:
            return False
        return True

    def has_kpi(self, key: str | None) -> bool:
        try:
            self.kpi(key)  # type: ignore[arg-type]
        except KeyError:
            return False
        return True

    def goal_for(
        self, role_key: str, kpi_key: str, user_id: str | None = None, on: date | None = None
    ) -> Goal | None:
        """The goal in force on ``on`` for a KPI on a role's scorecard: the rep's own goal where
        one is in force that day, else the role's. Without ``on``: the newest goal stated, after
        every dated change (a coming one included); pass the day wherever a day is meant. None
        when the KPI has no goal or is not on the role's scorecard."""
        timeline = self.goal_timeline(role_key, kpi_key, user_id)
        return timeline.latest if on is None else timeline.on(on)

    def goal_timeline(
        self, role_key: str, kpi_key: str, user_id: str | None = None
    ) -> GoalTimeline:
        """The goal of a KPI for a rep (or a role) over time: each day takes the rep's own goal
        where one is in force that day, else the role's goal that day."""
        role = self.role(role_key)
        kpi = self.kpi(kpi_key).key if self.has_kpi(kpi_key) else None
        if kpi is None or kpi not in role.scorecard:
            return GoalTimeline.constant(None)
        role_first = role.goals.get(kpi)
        role_changes = self._goal_changes_of.get((role.key, kpi), ())
        own_first = self.overrides.get(user_id, {}).get(kpi) if user_id is not None else None
        own_changes = self._goal_changes_of.get((user_id, kpi), ()) if user_id else ()
        first = own_first if own_first is not None else role_first
        if not role_changes and not own_changes:
            return GoalTimeline.constant(first)
        role_line = GoalTimeline(role_first, role_changes)
        own_line = GoalTimeline(own_first, own_changes)
        changes: list[tuple[date, Goal | None]] = []
        before = first
        for day in sorted({d for d, _ in role_changes + own_changes}):
            goal = own_line.on(day)
            goal = goal if goal is not None else role_line.on(day)
            if goal != before:
                changes.append((day, goal))
                before = goal
        return GoalTimeline(first, tuple(changes))

    @functools.cached_property
    def _goal_changes_of(
        self,
    ) -> dict[tuple[str | None, str], tuple[tuple[date, Goal | None], ...]]:
        """(role key or rep ID, KPI key) -> its dated changes, in the order they were made."""
        out: dict[tuple[str | None, str], tuple[tuple[date, Goal | None], ...]] = {}
        for change in self.goal_changes:
            key = (change.target, change.kpi)
            out[key] = (*out.get(key, ()), (change.effective, change.goal))
        return out

    @property
    def reps_with_own_goals(self) -> frozenset[str]:
        """Reps with a goal of their own at some time: in overrides or a dated change."""
        return frozenset(self.overrides) | {c.user for c in self.goal_changes if c.user}

    def resolve_word(self, word: str, role_key: str | None = None) -> list[Kpi]:
        """The KPIs a word a rep typed can mean.

        With a role: that role's own words first (``meeting`` is a scheduled meeting for an SDR and
        a held one for an AE), then the process-wide words. Without a role: the process-wide words,
        else every role's meaning of the word (possibly several: ask the user which). ``[]`` when
        the word means nothing.
        """
        if not isinstance(word, str):
            return []
        w = normalize_word(word)
        if not w:
            return []
        role_words = self._role_words
        if role_key is not None and self.has_role(role_key):
            key = role_words[self.role(role_key).key].get(w)
            if key is not None:
                return [self._kpi_index[key]]
        key = self._global_words.get(w)
        if key is not None:
            return [self._kpi_index[key]]
        if role_key is None or not self.has_role(role_key):
            found: list[Kpi] = []
            for role in self.roles:
                k = role_words[role.key].get(w)
                if k is not None and self._kpi_index[k] not in found:
                    found.append(self._kpi_index[k])
            return found
        return []

    def all_words(self, role_key: str | None = None) -> list[str]:
        """Every word that resolves (for "did you mean"), the role's own words first."""
        words: list[str] = []
        seen: set[str] = set()
        roles = [self.role(role_key)] if role_key is not None and self.has_role(role_key) else []
        if not roles:
            roles = list(self.roles)
        for role in roles:
            for w in role.aliases:
                if normalize_word(w) not in seen:
                    seen.add(normalize_word(w))
                    words.append(w)
        # A rep is offered their own scorecard's words, not another role's KPIs.
        on_card = set(roles[0].scorecard) if len(roles) == 1 else {k.key for k in self.kpis}
        for kpi in self.kpis:
            if kpi.key not in on_card:
                continue
            for w in kpi.aliases:
                if normalize_word(w) not in seen:
                    seen.add(normalize_word(w))
                    words.append(w)
        return words

    def suggest(
        self, word: str, role_key: str | None = None, n: int = 3, cutoff: float = 0.6
    ) -> list[str]:
        """Close matches for a mistyped word, at most one word per KPI, best first."""
        if not isinstance(word, str):
            return []
        w = normalize_word(word)
        if not w or len(w) > 64:
            return []
        words = self.all_words(role_key)
        by_norm: dict[str, str] = {}
        for candidate in words:
            by_norm.setdefault(normalize_word(candidate), candidate)
        matches = difflib.get_close_matches(w, list(by_norm), n=len(by_norm), cutoff=cutoff)
        out: list[str] = []
        kpis_seen: set[str] = set()
        for m in matches:
            kpis = self.resolve_word(m, role_key)
            ident = ",".join(sorted(k.key for k in kpis)) or m
            if ident in kpis_seen:
                continue
            kpis_seen.add(ident)
            out.append(by_norm[m])
            if len(out) >= n:
                break
        return out

    def cascade(self) -> list[tuple[Stage, Activity | None, list[Kpi]]]:
        """The journey in order: each stage with its activity and that activity's KPIs (a stage
        with several activities appears once per activity; one with none, once with None)."""
        out: list[tuple[Stage, Activity | None, list[Kpi]]] = []
        for stage in self.stages:
            acts = [a for a in self.activities if a.stage == stage.key]
            if not acts:
                out.append((stage, None, []))
            for act in acts:
                out.append((stage, act, [k for k in self.kpis if k.activity == act.key]))
        return out

    # -- plain data and edits -----------------------------------------------------------------

    def to_dict(self) -> dict:
        """Plain (JSON- and YAML-safe) data that load_process_dict() turns back into this."""
        kpis = []
        for k in self.kpis:
            item: dict[str, Any] = {"key": k.key, "name": k.name, "kind": k.kind}
            if k.activity is not None:
                item["activity"] = k.activity
            if k.declared_aliases:
                declared = list(k.declared_aliases)
            else:
                declared = [a for a in k.aliases if a not in (k.key, display_word(k.name))]
            item["aliases"] = declared
            if k.recorded_by is not None:
                item["recorded_by"] = k.recorded_by
            if k.description:
                item["description"] = k.description
            if k.archived:
                item["archived"] = True
            kpis.append(item)
        return {
            "name": self.name,
            "timezone": self.timezone,
            "working_days": [WEEKDAY_NAMES[d] for d in sorted(self.calendar.working_days)],
            "working_hours": {
                "start": self.calendar.day_start.strftime("%H:%M"),
                "end": self.calendar.day_end.strftime("%H:%M"),
            },
            "holidays": self.calendar.holidays.to_dict(),
            "scorecard_visibility": self.visibility,
            "pace_thresholds": {
                "on_pace": float(self.thresholds.on_pace),
                "at_risk": float(self.thresholds.at_risk),
            },
            "limits": {"max_count": self.max_count, "backdate_days": self.backdate_days},
            "contests": self.contests.to_dict(),
            "journey": [{"key": s.key, "name": s.name} for s in self.stages],
            "activities": [
                {"key": a.key, "name": a.name, "stage": a.stage} for a in self.activities
            ],
            "kpis": kpis,
            "roles": [
                {
                    "key": r.key,
                    "name": r.name,
                    "scorecard": list(r.scorecard),
                    "aliases": dict(r.aliases),
                    "goals": {k: str(g) for k, g in r.goals.items()},
                    # Written only when set, so a stored file reads as it was written.
                    **({} if r.scoring.is_default else {"scoring": r.scoring.to_dict()}),
                    **({"ramp": [percent_text(share) for share in r.ramp]} if r.ramp else {}),
                }
                for r in self.roles
            ],
            "overrides": {
                user: {k: str(g) for k, g in goals.items()}
                for user, goals in self.overrides.items()
                if goals
            },
            "rituals": self.rituals.to_dict(),
            **(
                {"review": {"min_approvals": self.review_min_approvals}}
                if self.review_min_approvals
                else {}
            ),
            # Written only when there are some, so a file without them reads as written.
            **(
                {"sources": {name: m.to_dict() for name, m in self.sources.items()}}
                if self.sources
                else {}
            ),
            # Written only when there are some, so a file without dated goals reads as written.
            **(
                {"goal_changes": [c.to_dict() for c in self.goal_changes]}
                if self.goal_changes
                else {}
            ),
        }

    def with_goal(self, target: str, kpi_key: str, goal: Goal | str | Mapping | None) -> Process:
        """A new Process with one goal changed.

        ``target`` is a role key (the role's goal) or a Slack user ID / mention (that rep's own
        goal, an override). ``goal`` is a Goal or anything parse_goal() reads; None removes it.
        ``kpi_key`` may be any word that names the KPI. Raises ProcessError.
        """
        if goal is not None and not isinstance(goal, Goal):
            try:
                goal = parse_goal(goal)
            except ValueError as exc:
                raise ProcessError(
                    [Problem("goal", str(exc), "write it like '60/day', '8/week' or '6/month'")]
                ) from None
        if not isinstance(target, str) or not target.strip():
            raise ProcessError(
                [
                    Problem(
                        "target",
                        f"{quote(target)} is not a role or a Slack user",
                        f"name a role ({one_of(r.key for r in self.roles)}) or a user ID like U0123ABCD",
                    )
                ]
            )
        raw = target.strip()
        mention = MENTION_RE.match(raw)
        user = mention.group(1) if mention else raw
        data = self.to_dict()
        if self.has_role(raw):
            role = self.role(raw)
            key = self._kpi_key_for(kpi_key, role.key)
            entry = next(r for r in data["roles"] if r["key"] == role.key)
            if goal is None:
                entry["goals"].pop(key, None)
            else:
                entry["goals"][key] = str(goal)
        elif SLACK_ID_RE.match(user):
            key = self._kpi_key_for(kpi_key, None)
            mine = data["overrides"].setdefault(user, {})
            if goal is None:
                mine.pop(key, None)
                if not mine:
                    del data["overrides"][user]
            else:
                mine[key] = str(goal)
        else:
            raise ProcessError(
                [
                    Problem(
                        "target",
                        f"{quote(raw)} is neither a role nor a Slack user ID",
                        f"name a role ({one_of(r.key for r in self.roles)}) or a user like U0123ABCD"
                        + did_you_mean(raw, [r.key for r in self.roles]),
                    )
                ]
            )
        return _validated(data)

    def _kpi_key_for(self, word: str, role_key: str | None) -> str:
        if not isinstance(word, str):
            return str(word)
        if self.has_kpi(word):
            return self.kpi(word).key
        found = self.resolve_word(word, role_key)
        if len(found) == 1:
            return found[0].key
        # Let validation report it with the usual suggestions.
        return word.strip().lower()

    _SETTINGS = {
        "name": "name",
        "timezone": "timezone",
        "working_days": "working_days",
        "working_hours": "working_hours",
        "holidays": "holidays",
        "visibility": "scorecard_visibility",
        "scorecard_visibility": "scorecard_visibility",
        "thresholds": "pace_thresholds",
        "pace_thresholds": "pace_thresholds",
        "limits": "limits",
        "max_count": ("limits", "max_count"),
        "backdate_days": ("limits", "backdate_days"),
        "on_pace": ("pace_thresholds", "on_pace"),
        "at_risk": ("pace_thresholds", "at_risk"),
        "rituals": "rituals",
        "contests": "contests",
        "settle": ("contests", "settle"),
    }

    def with_settings(self, **changes: Any) -> Process:
        """A new Process with settings changed: ``timezone``, ``working_days``,
        ``working_hours``, ``holidays`` (the whole section), ``visibility``, ``pace_thresholds``, ``limits`` (or ``max_count``,
        ``backdate_days``, ``on_pace``, ``at_risk``), ``name``, ``rituals`` (the whole section;
        see with_ritual() for one ritual), ``contests`` (or ``settle``). Re-validated; raises ProcessError."""
        data = self.to_dict()
        problems = []
        for setting, value in changes.items():
            where = self._SETTINGS.get(setting)
            if where is None:
                problems.append(
                    Problem(
                        setting,
                        "is not a setting",
                        f"use one of {one_of(self._SETTINGS)}"
                        + did_you_mean(setting, self._SETTINGS),
                    )
                )
            elif isinstance(where, tuple):
                section, item = where
                data[section] = {**data[section], item: value}
            else:
                data[where] = value
        if problems:
            raise ProcessError(problems)
        return _validated(data)

    def with_ritual(self, kind: str, value: object) -> Process:
        """A new Process with one ritual changed, for commands like `/pacer ritual daily 17:00`,
        `/pacer ritual weekly fri 16:00` or `/pacer ritual nudges off`.

        ``kind`` is any word that names a ritual (rituals/kinds.py: its field, its name or an
        alias: "leaderboards", "leaderboard", "lag-check", "Daily Digest"…).
        ``value`` is anything the `rituals:` section accepts for it: "off" (or False), "on" (or
        True: the default time), a time ("17:00", "5:30pm", a datetime.time), a mapping
        ({at: "17:00"}, {day: fri, at: "16:00"}, {enabled: false}); for weekly also "fri" or
        "fri 16:00" (a time alone keeps the current day); for leaderboards the whole list, of
        {at, kpis} mappings or "12:00 calls conversations" strings. Re-validated; raises
        ProcessError, with problems under rituals.<kind>."""
        name = ritual_name(kind)
        if name is None:
            raise ProcessError(
                [
                    Problem(
                        "ritual",
                        f"{quote(kind)} is not a ritual",
                        f"use one of {', '.join(RITUALS)}" + did_you_mean(kind, RITUALS),
                    )
                ]
            )
        data = self.to_dict()
        current = data["rituals"].get(name)
        # A time alone keeps the rest: the weekly day, the lag check's threshold, …
        keeps_rest = bool(kind_for(name).options) and isinstance(current, dict)
        if keeps_rest and isinstance(value, str) and parse_clock(value):
            value = {**current, "at": value}
        data["rituals"] = {**data["rituals"], name: value}
        return _validated(data)


# How an edited process is checked: the loader's own load_process_dict, which registers itself
# here when rituals/process/loader.py is imported (the package imports it before anyone can hold
# a Process). The loader builds Process objects, so this module cannot import it.
_loaders: list[Callable[[dict], Process]] = []


def check_edits_with(load: Callable[[dict], Process]) -> None:
    _loaders[:] = [load]


def _validated(data: dict) -> Process:
    """An edited process's plain data, checked like a file (raises ProcessError)."""
    return _loaders[0](data)
