"""The addressable items of a draft, part by part, and suggestions on them.

A reviewer points at one item (a stage, the activity of a stage, a KPI, a role's scorecard, a
goal) by its ref, a stable string, and says what instead in the same words the edit modals take:

- ``stage:<stage key>``: a new name; "remove"; "move 3" (its new position).
- ``stage:new``: the name of a stage to add, optionally "… after <stage>" / "… before <stage>".
- ``activity:<stage key>``: the activity that moves a prospect to that stage (several: "A; B").
- ``kpi:<kpi key>``: a new display name; "leading" / "lagging"; "Name (lagging)";
  "words: dial, ring" (the words reps log it with); "archive"; "remove".
- ``scorecard:<role key>``: the KPIs on the role's scorecard ("calls, conversations, meetings").
- ``goal:<role key>:<kpi key>``: the goal ("80/day", "8/week"; "none" removes it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rituals.process import Process, ProcessError
from rituals.process.problems import Problem
from rituals.process_drafts.diff import diff
from rituals.process_drafts.edits import (
    KINDS,
    add_stage,
    archive_kpi,
    edit_kpi,
    find_stage,
    move_stage,
    remove_kpi,
    remove_stage,
    rename_stage,
    set_activities,
    set_goal,
    set_scorecard,
)

PARTS = ("journey", "activities", "scorecards")
NEW_STAGE = "stage:new"
MAX_LABEL = 75  # a Slack select option's text


@dataclass(frozen=True)
class DraftItem:
    ref: str  # e.g. "stage:evaluates_roi", "goal:sdr:calls"; under 120 characters
    kind: str  # stage | new stage | activity | kpi | scorecard | goal
    label: str  # what a person sees in a list ("3. Attends Discovery Meeting")
    value: str  # what the draft says now ("60/day"); "" for nothing yet


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def items(process: Process, part: str) -> list[DraftItem]:
    """The items of a part, in the order people read them. ValueError for an unknown part."""
    if part == "journey":
        out = [
            DraftItem(f"stage:{s.key}", "stage", _label(f"{i}. {s.name}"), s.name)
            for i, s in enumerate(process.stages, 1)
        ]
        return [*out, DraftItem(NEW_STAGE, "new stage", "A new stage", "")]
    if part == "activities":
        return [
            DraftItem(
                f"activity:{s.key}",
                "activity",
                _label(f"{i}. {s.name}"),
                "; ".join(a.name for a in process.activities if a.stage == s.key),
            )
            for i, s in enumerate(process.stages, 1)
        ]
    if part == "scorecards":
        out = [
            DraftItem(f"kpi:{k.key}", "kpi", _label(f"KPI {k.name}"), f"{k.name} ({k.kind})")
            for k in process.kpis
        ]
        for role in process.roles:
            out.append(
                DraftItem(
                    f"scorecard:{role.key}",
                    "scorecard",
                    _label(f"{role.name} scorecard"),
                    ", ".join(role.scorecard),
                )
            )
            for kpi in role.scorecard:
                goal = process.goal_for(role.key, kpi)
                out.append(
                    DraftItem(
                        f"goal:{role.key}:{kpi}",
                        "goal",
                        _label(f"{role.name} goal for {process.kpi(kpi).name}"),
                        str(goal) if goal is not None else "",
                    )
                )
        return out
    raise ValueError(f"unknown part {part!r}; use one of {', '.join(PARTS)}")


_REMOVE = ("remove", "delete", "drop")
_MOVE = re.compile(r"^(?:move(?:\s+to)?|position)\s+(\d+)$", re.IGNORECASE)
_NAME_KIND = re.compile(r"^(?P<name>.+?)\s*\((?P<kind>leading|lagging)\)$", re.IGNORECASE)
_WORDS = re.compile(r"^(?:words?|aliases?)\s*:\s*(?P<words>.*)$", re.IGNORECASE)
_PLACE = re.compile(r"^(?P<name>.+?)\s+(?P<where>after|before)\s+(?P<stage>.+)$", re.IGNORECASE)


def _bad_ref(ref: str) -> ProcessError:
    return ProcessError(
        [Problem("item", f"{ref!r} is not an item of the draft", "choose an item from the list")]
    )


def _new_stage(process: Process, text: str) -> Process:
    place = _PLACE.match(text)
    if place:
        try:
            anchor = find_stage(process, place["stage"], "instead")
        except ProcessError:
            anchor = None  # "after" is part of the name
        if anchor is not None:
            index = next(i for i, s in enumerate(process.stages, 1) if s.key == anchor)
            position = index + 1 if place["where"].lower() == "after" else index
            return add_stage(process, place["name"], position)
    return add_stage(process, text)


def _stage(process: Process, key: str, text: str) -> Process:
    if text.lower() in _REMOVE:
        return remove_stage(process, key)
    move = _MOVE.match(text)
    if move:
        return move_stage(process, key, move.group(1))
    return rename_stage(process, key, text)


def _kpi(process: Process, key: str, text: str) -> Process:
    if text.lower() in _REMOVE:
        return remove_kpi(process, key)
    if text.lower() in ("archive", "archived"):
        return archive_kpi(process, key)
    if text.lower() in KINDS:
        return edit_kpi(process, key, kind=text)
    words = _WORDS.match(text)
    if words:
        return edit_kpi(process, key, aliases=words["words"])
    named = _NAME_KIND.match(text)
    if named:
        return edit_kpi(process, key, name=named["name"], kind=named["kind"])
    return edit_kpi(process, key, name=text)


def _edited(process: Process, ref: str, instead: str) -> Process:
    text = " ".join(str(instead or "").split())
    kind, _, rest = ref.partition(":")
    if not rest:
        raise _bad_ref(ref)
    if kind == "goal":
        role, _, kpi = rest.partition(":")
        if not process.has_role(role) or kpi not in process.role(role).scorecard:
            raise _bad_ref(ref)
        return set_goal(process, role, kpi, text)
    if not text:
        raise ProcessError(
            [Problem("instead", "nothing was suggested", "write what the draft should say")]
        )
    if ref == NEW_STAGE:
        return _new_stage(process, text)
    if kind == "stage" and rest in {s.key for s in process.stages}:
        return _stage(process, rest, text)
    if kind == "activity" and rest in {s.key for s in process.stages}:
        return set_activities(process, rest, text)
    if kind == "kpi" and rest in {k.key for k in process.kpis}:
        return _kpi(process, rest, text)
    if kind == "scorecard" and process.has_role(rest):
        return set_scorecard(process, rest, text)
    raise _bad_ref(ref)


def summary_of(before: Process, after: Process) -> str:
    """The change in words, for DraftEdit.summary (300 characters at most)."""
    text = "; ".join(diff(before, after)) or "no change"
    return text if len(text) <= 300 else text[:299] + "…"


def apply_suggestion(process: Process, ref: str, instead: str) -> tuple[Process, str]:
    """The draft with the suggestion applied, and the change in words. Raises ProcessError
    (a suggestion that changes nothing is refused too)."""
    edited = _edited(process, ref, instead)
    changes = diff(process, edited)
    if not changes:
        raise ProcessError(
            [Problem("instead", "that is what the draft already says", "suggest something else")]
        )
    return edited, summary_of(process, edited)


def check_suggestion(process: Process, ref: str, instead: str) -> str | None:
    """None when ``instead`` can be applied to the item ``ref``, else the problem in one line."""
    try:
        apply_suggestion(process, ref, instead)
    except ProcessError as error:
        first = str(error.problems[0]) if error.problems else "invalid"
        more = len(error.problems) - 1
        return first + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
    return None
