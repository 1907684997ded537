"""The forms that edit a draft, one per part: the journey, the activity of each stage, the KPIs,
and each role's scorecard and goals.

Each field holds one item as the draft has it when the form opens. On submission only the
fields the person changed are applied (the private metadata keeps a short hash of each shown
value), one after the other, each through the domain's edit (rituals/process_drafts/edits.py),
which checks the whole process as the loader checks a file: a mistake is answered under the
field that caused it, and nothing is stored. Someone else's edit made meanwhile stays unless
this form changed the same field."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable

from bot import messages
from bot.ids import INPUT, View
from rituals.process import Process, ProcessError
from rituals.process_drafts import edits

PARTS = ("journey", "activities", "kpis", "scorecards")
TITLES = {
    "journey": "Draft: journey",
    "activities": "Draft: activities",
    "kpis": "Draft: KPIs",
    "scorecards": "Draft: scorecards",
}
MAX_BLOCKS = 100
METADATA_LIMIT = 3000
MAX_ERROR = 500
_NAME_KIND = re.compile(r"^(?P<name>.+?)\s*\((?P<kind>[A-Za-z]+)\)$")
_FOR = re.compile(r"^(?P<head>.+?\))\s+for\s+(?P<stage>.+)$", re.IGNORECASE)
_REMOVE = ("remove", "delete", "drop")


class TooBig(Exception):
    """The part has more items than a form can hold."""


def _hash(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()[:8]  # noqa: S324 - a change marker, not security


def _text_input(initial: str, *, multiline: bool = False, max_length: int = 300) -> dict:
    element = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial
    return element


def shown_fields(process: Process, part: str) -> list[tuple[str, str, str, str | None]]:
    """(block id, label, value as shown, hint) of every field of a part's form."""
    if part == "journey":
        out = [
            (
                f"stage:{s.key}",
                f"Stage {i}",
                s.name,
                "Clear a name to remove its stage." if i == 1 else None,
            )
            for i, s in enumerate(process.stages, 1)
        ]
        out.append(
            (
                "new",
                "New stages",
                "",
                "One per line: a name, optionally 'after <stage>' or 'before <stage>' (else last).",
            )
        )
        out.append(
            (
                "order",
                "New order",
                "",
                "The stages' numbers above in their new order, e.g. 1 2 4 3 5 6.",
            )
        )
        return out
    if part == "activities":
        return [
            (
                f"activity:{s.key}",
                f"{i}. {s.name}",
                "; ".join(a.name for a in process.activities if a.stage == s.key),
                "What the seller does to move a prospect to this stage (several: separate with ;)."
                if i == 1
                else None,
            )
            for i, s in enumerate(process.stages, 1)
        ]
    if part == "kpis":
        out = []
        for i, k in enumerate(process.kpis):
            value = "archived" if k.archived else f"{k.name} ({k.kind})"
            hint = (
                "'Name (leading)' or 'Name (lagging)'; 'archive' takes it off every scorecard and "
                "keeps its logs; clear it to remove a KPI no log uses."
                if i == 0
                else None
            )
            out.append((f"kpi:{k.key}", f"{k.name} [{k.key}]", value, hint))
            words = ", ".join(
                next(x for x in process.to_dict()["kpis"] if x["key"] == k.key)["aliases"]
            )
            out.append(
                (
                    f"words:{k.key}",
                    f"Words reps log {k.name} with",
                    words,
                    "Separate with commas." if i == 0 else None,
                )
            )
        out.append(
            (
                "new",
                "New KPIs",
                "",
                "One per line: 'Name (leading)' or 'Name (lagging)', optionally 'for <stage>'.",
            )
        )
        return out
    if part == "scorecards":
        out = []
        for role in process.roles:
            out.append(
                (
                    f"scorecard:{role.key}",
                    f"{role.name} scorecard",
                    ", ".join(role.scorecard),
                    "KPI keys or words, separated by commas: 3 leading + 1 lagging.",
                )
            )
            for key in role.scorecard:
                goal = process.goal_for(role.key, key)
                out.append(
                    (
                        f"goal:{role.key}:{key}",
                        f"{role.name} goal for {process.kpi(key).name}",
                        str(goal) if goal else "",
                        None,
                    )
                )
        return out
    raise ValueError(part)


def build_view(process: Process, part: str, draft_id: int) -> dict:
    fields = shown_fields(process, part)
    blocks = [
        messages.section(
            "Change what should change and submit: each change is checked as a process file "
            "would be. Nobody sees the draft until it is published."
        )[0]
    ]
    for block_id, label, value, hint in fields:
        multiline = block_id in ("new",)
        blocks.append(
            messages.input_block(
                block_id,
                label,
                _text_input(value, multiline=multiline, max_length=3000 if multiline else 300),
                optional=True,
                hint=hint,
            )
        )
    if len(blocks) > MAX_BLOCKS:
        raise TooBig(part)
    hashes = {block_id: _hash(value) for block_id, _, value, _ in fields}
    metadata = json.dumps({"d": draft_id, "p": part, "h": hashes}, separators=(",", ":"))
    if len(metadata) > METADATA_LIMIT:  # compare with the draft as it is at submission instead
        metadata = json.dumps({"d": draft_id, "p": part}, separators=(",", ":"))
    return {
        "type": "modal",
        "callback_id": View.DRAFT_EDIT,
        "title": messages.plain_text(TITLES[part], messages.MODAL_TITLE_LIMIT),
        "submit": messages.plain_text("Save to draft", messages.MODAL_TITLE_LIMIT),
        "close": messages.plain_text("Cancel", messages.MODAL_TITLE_LIMIT),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def read_metadata(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def submitted(view: dict) -> dict[str, str]:
    values = (view.get("state") or {}).get("values") or {}
    return {
        block: " ".join(str((fields.get(INPUT) or {}).get("value") or "").split())
        if block != "new"
        else str((fields.get(INPUT) or {}).get("value") or "")
        for block, fields in values.items()
    }


def _error_text(error: ProcessError) -> str:
    text = "; ".join(str(p) for p in error.problems[:2]) or "invalid"
    return text if len(text) <= MAX_ERROR else text[: MAX_ERROR - 1] + "…"


class Submission:
    """Applies the changed fields of a part's form to the draft as it is now."""

    def __init__(self, process: Process, part: str, values: dict[str, str], hashes: dict | None):
        self.process = process
        self.part = part
        self.values = values
        self.errors: dict[str, str] = {}
        shown = {b: v for b, _, v, _ in shown_fields(process, part)}

        def changed(block: str, value: str) -> bool:
            if block in ("new", "order"):
                return bool(value.strip())
            if hashes and block in hashes:  # against what the form showed
                return hashes[block] != _hash(value)
            return shown.get(block, "") != value  # against what the draft says now

        # Only the form's own fields: what it showed, or what the draft has now.
        known = set(shown) | set(hashes or {}) | {"new", "order"}
        self.changed = [b for b, value in values.items() if b in known and changed(b, value)]

    def apply(self, block: str, edit: Callable[[Process], Process]) -> None:
        try:
            self.process = edit(self.process)
        except ProcessError as error:
            self.errors[block] = _error_text(error)

    def run(self, in_use: set[str]) -> Process:
        handler = {
            "journey": self._journey,
            "activities": self._activities,
            "kpis": self._kpis,
            "scorecards": self._scorecards,
        }[self.part]
        handler(in_use)
        return self.process

    # -- journey: renames and removals, then the new order, then new stages ----------------------

    def _journey(self, _in_use: set[str]) -> None:
        numbered = {str(i): s.key for i, s in enumerate(self.process.stages, 1)}
        for block in self.changed:
            if not block.startswith("stage:"):
                continue
            key, value = block.split(":", 1)[1], self.values[block]
            if key not in {s.key for s in self.process.stages}:
                self.errors[block] = "This stage is no longer in the draft; reopen the form."
            elif not value:
                self.apply(block, lambda p, k=key: edits.remove_stage(p, k))
            else:
                self.apply(block, lambda p, k=key, v=value: edits.rename_stage(p, k, v))
        if "order" in self.changed:
            words = self.values["order"].replace(",", " ").split()
            unknown = [w for w in words if w not in numbered]
            if unknown:
                self.errors["order"] = (
                    f"{unknown[0][:20]} is not a stage number: use the numbers 1 to {len(numbered)}."
                )
            else:
                keys = [numbered[w] for w in words]
                present = [k for k in keys if k in {s.key for s in self.process.stages}]
                self.apply("order", lambda p: _reorder(p, present))
        if "new" in self.changed:
            for line in [x.strip() for x in self.values["new"].splitlines() if x.strip()]:
                self.apply("new", lambda p, ln=line: _add_stage_line(p, ln))
                if "new" in self.errors:
                    break

    def _activities(self, _in_use: set[str]) -> None:
        for block in self.changed:
            key, value = block.split(":", 1)[1], self.values[block]
            self.apply(
                block, lambda p, k=key, v=value: edits.set_activities(p, k, v, allow_none=True)
            )

    def _kpis(self, in_use: set[str]) -> None:
        for block in self.changed:
            if block.startswith("words:"):
                key = block.split(":", 1)[1]
                self.apply(
                    block, lambda p, k=key, v=self.values[block]: edits.edit_kpi(p, k, aliases=v)
                )
        for block in self.changed:
            if block.startswith("kpi:"):
                key, value = block.split(":", 1)[1], self.values[block]
                self.apply(block, lambda p, k=key, v=value: _kpi_line(p, k, v, in_use))
        if "new" in self.changed:
            for line in [x.strip() for x in self.values["new"].splitlines() if x.strip()]:
                self.apply("new", lambda p, ln=line: _new_kpi_line(p, ln))
                if "new" in self.errors:
                    break

    def _scorecards(self, _in_use: set[str]) -> None:
        for block in self.changed:
            if block.startswith("scorecard:"):
                role = block.split(":", 1)[1]
                self.apply(
                    block, lambda p, r=role, v=self.values[block]: edits.set_scorecard(p, r, v)
                )
        for block in self.changed:
            if block.startswith("goal:"):
                _, role, kpi = block.split(":", 2)
                if not self.process.has_role(role) or kpi not in self.process.role(role).scorecard:
                    continue  # taken off the scorecard in this same form
                self.apply(
                    block, lambda p, r=role, k=kpi, v=self.values[block]: edits.set_goal(p, r, k, v)
                )


def _reorder(process: Process, keys: list[str]) -> Process:
    return edits.reorder_stages(process, keys)


def _add_stage_line(process: Process, line: str) -> Process:
    match = re.match(
        r"^(?P<name>.+?)\s+(?P<where>after|before)\s+(?P<stage>.+)$", line, re.IGNORECASE
    )
    if match:
        try:
            anchor = edits.find_stage(process, match["stage"], "new")
        except ProcessError:
            anchor = None
        if anchor is not None:
            index = next(i for i, s in enumerate(process.stages, 1) if s.key == anchor)
            where = index + 1 if match["where"].lower() == "after" else index
            return edits.add_stage(process, match["name"], where)
    return edits.add_stage(process, line)


def _kpi_line(process: Process, key: str, value: str, in_use: set[str]) -> Process:
    if not value or value.lower() in _REMOVE:
        return edits.remove_kpi(process, key, in_use)
    if value.lower() in ("archive", "archived"):
        return edits.archive_kpi(process, key)
    named = _NAME_KIND.match(value)
    if not named:
        raise edits.refuse(
            "kpi",
            f"{value[:40]!r} names no kind",
            "write it as 'Name (leading)' or 'Name (lagging)', or 'archive'",
        )
    return edits.edit_kpi(process, key, name=named["name"], kind=named["kind"], archived=False)


def _new_kpi_line(process: Process, line: str) -> Process:
    stage = None
    placed = _FOR.match(line)
    if placed:
        line, stage = placed["head"], placed["stage"]
    named = _NAME_KIND.match(line)
    if not named:
        raise edits.refuse(
            "new",
            f"{line[:40]!r} names no kind",
            "write each new KPI as 'Name (leading)' or 'Name (lagging)'",
        )
    activity = None
    if stage:
        key = edits.find_stage(process, stage, "new")
        found = [a.key for a in process.activities if a.stage == key]
        if not found:
            raise edits.refuse(
                "new",
                f"stage {stage[:40]!r} has no activity yet",
                "give it one under activities first",
            )
        activity = found[0]
    return edits.add_kpi(process, named["name"], named["kind"], activity=activity)
