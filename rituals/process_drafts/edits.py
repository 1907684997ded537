"""Edits to a draft process, part by part: the journey, the activity per stage, the KPIs, each
role's scorecard and goals.

Every edit works on the plain data (Process.to_dict()) and hands the result to the loader's own
check for edits (rituals.process.load_edited_process), so an edit is refused exactly where a file
with the same content would be, and the method's warnings come back in Process.warnings. Each
refusal is a ProcessError whose first problem's path names the field the person typed into
(``name``, ``position``, ``kind``, ``aliases``, ``kpis``, ``goal``, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rituals.process import Process, ProcessError, load_edited_process, parse_goal
from rituals.process.problems import Problem
from rituals.process.words import did_you_mean, normalize_word, one_of, quote

KINDS = ("leading", "lagging")
_KEY_CHARS = re.compile(r"[^a-z0-9]+")
MAX_KEY_LEN = 40


def refuse(field: str, message: str, fix: str) -> ProcessError:
    return ProcessError([Problem(field, message, fix)])


def key_for(name: str, taken: Iterable[str], prefix: str = "x") -> str:
    """A key for a new stage, activity or KPI from its name ("Evaluates ROI" -> evaluates_roi),
    not one of ``taken`` (a number is added)."""
    base = _KEY_CHARS.sub("_", name.lower()).strip("_")[:MAX_KEY_LEN].strip("_")
    if not base or not base[0].isalpha():
        base = f"{prefix}_{base}".strip("_")
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def checked(data: dict) -> Process:
    """The edited data, checked like a file (raises ProcessError)."""
    return load_edited_process(data)


def _text(value: object, field: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise refuse(field, f"{what} is empty", f"write {what}")
    return " ".join(value.split())


# -- the journey ---------------------------------------------------------------------------------


def find_stage(process: Process, word: str, field: str = "stage") -> str:
    """The key of the stage a person named (its key, its name or its position 1..n)."""
    text = normalize_word(str(word or ""))
    for i, stage in enumerate(process.stages, 1):
        if text in (normalize_word(stage.key), normalize_word(stage.name), str(i)):
            return stage.key
    names = [s.name for s in process.stages]
    raise refuse(
        field,
        f"there is no stage {quote(word)}",
        f"name one of {one_of(names)}" + did_you_mean(str(word), names),
    )


def add_stage(process: Process, name: str, position: int | None = None) -> Process:
    """A new stage at ``position`` (1 = first; None = last), with no activity yet."""
    name = _text(name, "name", "the stage's name")
    data = process.to_dict()
    journey = data["journey"]
    if any(normalize_word(s["name"]) == normalize_word(name) for s in journey):
        raise refuse("name", f"there is already a stage {quote(name)}", "give it another name")
    index = _position(position, len(journey) + 1) - 1
    key = key_for(name, [s["key"] for s in journey], "stage")
    journey.insert(index, {"key": key, "name": name})
    return checked(data)


def _position(position: object, count: int) -> int:
    try:
        number = count if position in (None, "") else int(str(position).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= count:
        raise refuse(
            "position",
            f"{quote(position)} is not a position in the journey",
            f"write a number from 1 to {count}",
        )
    return number


def rename_stage(process: Process, stage: str, name: str) -> Process:
    key = find_stage(process, stage)
    name = _text(name, "name", "the stage's name")
    data = process.to_dict()
    for entry in data["journey"]:
        if entry["key"] == key:
            entry["name"] = name
        elif normalize_word(entry["name"]) == normalize_word(name):
            raise refuse("name", f"there is already a stage {quote(name)}", "give it another name")
    return checked(data)


def move_stage(process: Process, stage: str, position: object) -> Process:
    key = find_stage(process, stage)
    data = process.to_dict()
    journey = data["journey"]
    index = _position(position, len(journey)) - 1
    entry = next(s for s in journey if s["key"] == key)
    journey.remove(entry)
    journey.insert(index, entry)
    return checked(data)


def reorder_stages(process: Process, order: list[str]) -> Process:
    """The journey in a new order: every stage named once (keys, names or old positions)."""
    keys = [find_stage(process, word, "order") for word in order]
    if sorted(keys) != sorted(s.key for s in process.stages) or len(set(keys)) != len(keys):
        raise refuse(
            "order",
            f"the new order names {len(set(keys))} of the {len(process.stages)} stages",
            "name every stage once, e.g. '2 1 3 4 5 6'",
        )
    data = process.to_dict()
    by_key = {s["key"]: s for s in data["journey"]}
    data["journey"] = [by_key[k] for k in keys]
    return checked(data)


def remove_stage(process: Process, stage: str) -> Process:
    """The stage goes, with its activities; KPIs that counted those activities stay, unlinked."""
    key = find_stage(process, stage)
    if len(process.stages) == 1:
        raise refuse("stage", "the journey needs at least one stage", "rename it instead")
    data = process.to_dict()
    data["journey"] = [s for s in data["journey"] if s["key"] != key]
    gone = {a["key"] for a in data["activities"] if a["stage"] == key}
    data["activities"] = [a for a in data["activities"] if a["stage"] != key]
    for kpi in data["kpis"]:
        if kpi.get("activity") in gone:
            del kpi["activity"]
    return checked(data)


# -- the activities ------------------------------------------------------------------------------


def set_activities(
    process: Process, stage: str, names: list[str] | str, *, allow_none: bool = False
) -> Process:
    """The activities that move a prospect to a stage, by name, in order (usually one). The
    stage's existing activities keep their keys in order (so their KPIs stay linked); extra names
    are new activities; an activity left out goes, and its KPIs are unlinked."""
    key = find_stage(process, stage)
    if isinstance(names, str):
        names = names.split(";")
    names = [" ".join(n.split()) for n in names if n and n.strip()]
    if not names and not allow_none:
        raise refuse(
            "activity",
            "no activity named",
            "write what the seller does to move a prospect to this stage, e.g. 'Call Lead'",
        )
    data = process.to_dict()
    mine = [a for a in data["activities"] if a["stage"] == key]
    others = [a for a in data["activities"] if a["stage"] != key]
    taken = [a["key"] for a in others] + [a["key"] for a in mine]
    kept = []
    for i, name in enumerate(names):
        if i < len(mine):
            kept.append({**mine[i], "name": name})
        else:
            new_key = key_for(name, taken, "activity")
            taken.append(new_key)
            kept.append({"key": new_key, "name": name, "stage": key})
    gone = {a["key"] for a in mine[len(names) :]}
    for kpi in data["kpis"]:
        if kpi.get("activity") in gone:
            del kpi["activity"]
    # Keep the activities in journey order: this stage's where its first one was, else by stage.
    order = {s["key"]: i for i, s in enumerate(data["journey"])}
    data["activities"] = sorted(others + kept, key=lambda a: order.get(a["stage"], len(order)))
    return checked(data)


# -- the KPIs ------------------------------------------------------------------------------------


def find_kpi(process: Process, word: str, field: str = "kpi") -> str:
    text = str(word or "").strip()
    if process.has_kpi(text):
        return process.kpi(text).key
    found = process.resolve_word(text)
    if len(found) == 1:
        return found[0].key
    keys = [k.key for k in process.kpis]
    raise refuse(
        field,
        f"there is no KPI {quote(word)}",
        f"use one of {one_of(keys)}" + did_you_mean(text, keys),
    )


def _kind(kind: object) -> str:
    word = str(kind or "").strip().lower()
    if word not in KINDS:
        raise refuse(
            "kind",
            f"{quote(kind)} is not leading or lagging",
            "choose leading (an activity the rep controls now) or lagging (a result)",
        )
    return word


def _aliases(aliases: object) -> list[str]:
    if aliases is None:
        return []
    if isinstance(aliases, str):
        aliases = re.split(r"[,\n]", aliases)
    return [" ".join(a.lower().split()) for a in aliases if a and a.strip()]


def add_kpi(
    process: Process,
    name: str,
    kind: str,
    *,
    aliases: object = None,
    activity: str | None = None,
    key: str | None = None,
) -> Process:
    name = _text(name, "name", "the KPI's name")
    data = process.to_dict()
    key = key or key_for(name, [k["key"] for k in data["kpis"]], "kpi")
    entry: dict = {"key": key, "name": name, "kind": _kind(kind), "aliases": _aliases(aliases)}
    if activity:
        entry["activity"] = activity
    data["kpis"].append(entry)
    return checked(data)


def edit_kpi(
    process: Process,
    kpi: str,
    *,
    name: str | None = None,
    kind: str | None = None,
    aliases: object = None,
    activity: str | None = "",
    archived: bool | None = None,
) -> Process:
    """Change a KPI's display name, kind, aliases, activity or archived state; its key (what
    logs refer to) never changes. ``activity`` "" keeps it, None unlinks it."""
    key = find_kpi(process, kpi)
    data = process.to_dict()
    entry = next(k for k in data["kpis"] if k["key"] == key)
    if name is not None:
        entry["name"] = _text(name, "name", "the KPI's name")
    if kind is not None:
        entry["kind"] = _kind(kind)
    if aliases is not None:
        entry["aliases"] = _aliases(aliases)
    if activity is None:
        entry.pop("activity", None)
    elif activity:
        entry["activity"] = activity
    if archived is not None:
        entry.pop("archived", None)
        if archived:
            entry["archived"] = True
    return checked(data)


def remove_kpi(process: Process, kpi: str, in_use: Iterable[str] = ()) -> Process:
    """A KPI goes from the process, and from every scorecard, goal and leaderboard that named it.
    Refused while logs refer to it (``in_use``: the KPI keys with logs): archive it instead, so
    its history stays readable."""
    key = find_kpi(process, kpi)
    if key in set(in_use):
        raise refuse(
            "kpi",
            f"{process.kpi(key).name} can't be removed: logs refer to it",
            "archive it instead (type 'archive'): it leaves every scorecard and its history stays readable",
        )
    data = _off_every_card(process.to_dict(), key)
    data["kpis"] = [k for k in data["kpis"] if k["key"] != key]
    return checked(data)


def archive_kpi(process: Process, kpi: str) -> Process:
    """A KPI nobody logs any more, kept so its logs stay readable: off every scorecard, goal,
    rep goal and leaderboard."""
    key = find_kpi(process, kpi)
    data = _off_every_card(process.to_dict(), key)
    next(k for k in data["kpis"] if k["key"] == key)["archived"] = True
    return checked(data)


def _off_every_card(data: dict, key: str) -> dict:
    for role in data["roles"]:
        role["scorecard"] = [k for k in role["scorecard"] if k != key]
        role["goals"].pop(key, None)
        role["aliases"] = {w: k for w, k in role["aliases"].items() if k != key}
    for goals in data["overrides"].values():
        goals.pop(key, None)
    data["overrides"] = {u: g for u, g in data["overrides"].items() if g}
    if "goal_changes" in data:
        data["goal_changes"] = [c for c in data["goal_changes"] if c.get("kpi") != key]
    return _without_kpi_in_rituals(data, key)


def _without_kpi_in_rituals(data: dict, key: str) -> dict:
    boards = data.get("rituals", {}).get("leaderboards")
    if isinstance(boards, list):
        kept = []
        for board in boards:
            if isinstance(board, dict) and isinstance(board.get("kpis"), list):
                board = {**board, "kpis": [k for k in board["kpis"] if k != key]}
                if not board["kpis"]:
                    continue
            kept.append(board)
        data["rituals"] = {**data["rituals"], "leaderboards": kept}
    return data


# -- scorecards and goals ------------------------------------------------------------------------


def find_role(process: Process, word: str, field: str = "role") -> str:
    if process.has_role(str(word or "")):
        return process.role(word).key
    keys = [r.key for r in process.roles]
    raise refuse(
        field,
        f"there is no role {quote(word)}",
        f"use one of {one_of(keys)}" + did_you_mean(str(word), keys),
    )


def set_scorecard(process: Process, role: str, kpis: list[str] | str) -> Process:
    """A role's scorecard: the KPIs it shows, in order. Goals of KPIs taken off it go."""
    key = find_role(process, role)
    if isinstance(kpis, str):
        kpis = [w for w in re.split(r"[,\s]+", kpis) if w]
    keys: list[str] = []
    for word in kpis:
        found = find_kpi(process, word, "kpis")
        if found not in keys:
            keys.append(found)
    if not keys:
        raise refuse("kpis", "the scorecard is empty", "choose the KPIs this role is measured on")
    data = process.to_dict()
    entry = next(r for r in data["roles"] if r["key"] == key)
    entry["scorecard"] = keys
    entry["goals"] = {k: g for k, g in entry["goals"].items() if k in keys}
    # The role's own words for KPIs it no longer has go with them.
    entry["aliases"] = {w: k for w, k in entry["aliases"].items() if k in keys}
    return checked(data)


NO_GOAL = ("none", "no goal", "remove", "-", "off")


def set_goal(process: Process, role: str, kpi: str, goal: str | None) -> Process:
    """A role's goal for a KPI on its scorecard ("80/day"; None or "none" removes it)."""
    role_key = find_role(process, role)
    kpi_key = find_kpi(process, kpi, "goal")
    if kpi_key not in process.role(role_key).scorecard:
        raise refuse(
            "goal",
            f"{process.kpi(kpi_key).name} is not on the {process.role(role_key).name} scorecard",
            "add it to the scorecard first",
        )
    text = (goal or "").strip()
    if text.lower() in NO_GOAL or not text:
        parsed = None
    else:
        try:
            parsed = parse_goal(text)
        except ValueError as exc:
            raise refuse(
                "goal", str(exc).split(";")[0], "write it like '60/day', '8/week' or '6/month'"
            ) from None
    data = process.to_dict()
    goals = next(r for r in data["roles"] if r["key"] == role_key)["goals"]
    if parsed is None:
        goals.pop(kpi_key, None)
    else:
        goals[kpi_key] = str(parsed)
    return checked(data)
