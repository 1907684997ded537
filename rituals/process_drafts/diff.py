"""What changed between two processes, in words people read: "+ stage Evaluates ROI",
"stage Has Conversation renamed → Talks", "goal sdr calls 60/day → 80/day"."""

from __future__ import annotations

from rituals.process import Process

# Sections compared one by one below; any other section that differs is named as a whole.
_DETAILED = {"name", "journey", "activities", "kpis", "roles", "overrides", "goal_changes"}


def diff(before: Process, after: Process) -> list[str]:
    """Every difference, journey first, then activities, KPIs, scorecards and goals, settings."""
    out: list[str] = []
    if before.name != after.name:
        out.append(f"name {before.name} → {after.name}")
    out += _stages(before, after)
    out += _activities(before, after)
    out += _kpis(before, after)
    out += _roles(before, after)
    out += _overrides(before, after)
    old, new = before.to_dict(), after.to_dict()
    for section in sorted((set(old) | set(new)) - _DETAILED):
        if old.get(section) != new.get(section):
            a, b = old.get(section), new.get(section)
            if isinstance(a, str | int | float) and isinstance(b, str | int | float):
                out.append(f"{section} {a} → {b}")
            else:
                out.append(f"{section} changed")
    return out


def _stages(before: Process, after: Process) -> list[str]:
    old = {s.key: s for s in before.stages}
    new = {s.key: s for s in after.stages}
    out = [f"- stage {s.name}" for s in before.stages if s.key not in new]
    out += [f"+ stage {s.name}" for s in after.stages if s.key not in old]
    out += [
        f"stage {old[s.key].name} renamed → {s.name}"
        for s in after.stages
        if s.key in old and old[s.key].name != s.name
    ]
    kept_old = [k for k in old if k in new]
    kept_new = [k for k in new if k in old]
    if kept_old != kept_new:
        out.append("journey order: " + " → ".join(new[k].name for k in kept_new))
    return out


def _activities(before: Process, after: Process) -> list[str]:
    old = {a.key: a for a in before.activities}
    new = {a.key: a for a in after.activities}
    stage_name = {s.key: s.name for s in (*before.stages, *after.stages)}
    out = [f"- activity {a.name}" for a in before.activities if a.key not in new]
    out += [
        f"+ activity {a.name} (stage {stage_name.get(a.stage, a.stage)})"
        for a in after.activities
        if a.key not in old
    ]
    for a in after.activities:
        was = old.get(a.key)
        if was is None:
            continue
        if was.name != a.name:
            out.append(f"activity {was.name} renamed → {a.name}")
        if was.stage != a.stage:
            out.append(f"activity {a.name} moved to stage {stage_name.get(a.stage, a.stage)}")
    return out


def _kpis(before: Process, after: Process) -> list[str]:
    old = {k.key: k for k in before.kpis}
    new = {k.key: k for k in after.kpis}
    activity_name = {a.key: a.name for a in (*before.activities, *after.activities)}
    # The words as written (a KPI's name and key are words of their own, not worth a line).
    old_words = {k["key"]: k["aliases"] for k in before.to_dict()["kpis"]}
    new_words = {k["key"]: k["aliases"] for k in after.to_dict()["kpis"]}
    out = [f"- KPI {k.name}" for k in before.kpis if k.key not in new]
    out += [f"+ KPI {k.name} ({k.kind})" for k in after.kpis if k.key not in old]
    for k in after.kpis:
        was = old.get(k.key)
        if was is None:
            continue
        if was.name != k.name:
            out.append(f"KPI {was.name} renamed → {k.name}")
        if was.archived != k.archived:
            out.append(f"KPI {k.name} {'archived' if k.archived else 'back in use'}")
        if was.kind != k.kind:
            out.append(f"KPI {k.name} {was.kind} → {k.kind}")
        added = [a for a in new_words[k.key] if a not in old_words[k.key]]
        dropped = [a for a in old_words[k.key] if a not in new_words[k.key]]
        if added or dropped:
            words = [f"+{a}" for a in added] + [f"-{a}" for a in dropped]
            out.append(f"KPI {k.name} words {' '.join(words)}")
        if was.activity != k.activity:
            target = activity_name.get(k.activity or "", "no activity")
            out.append(f"KPI {k.name} counts {target}")
    return out


def _goal_text(process: Process, role: str, kpi: str) -> str | None:
    goal = process.goal_for(role, kpi)
    return str(goal) if goal is not None else None


def _roles(before: Process, after: Process) -> list[str]:
    old = {r.key: r for r in before.roles}
    out = [f"- role {r.name}" for r in before.roles if not after.has_role(r.key)]
    for role in after.roles:
        was = old.get(role.key)
        if was is None:
            out.append(f"+ role {role.name}: {', '.join(role.scorecard)}")
            continue
        if was.name != role.name:
            out.append(f"role {was.name} renamed → {role.name}")
        added = [k for k in role.scorecard if k not in was.scorecard]
        dropped = [k for k in was.scorecard if k not in role.scorecard]
        if added or dropped:
            words = [f"+ {k}" for k in added] + [f"- {k}" for k in dropped]
            out.append(f"scorecard {role.key}: {', '.join(words)}")
        elif list(was.scorecard) != list(role.scorecard):
            out.append(f"scorecard {role.key} order: {', '.join(role.scorecard)}")
        for kpi in role.scorecard:
            new_goal = _goal_text(after, role.key, kpi)
            old_goal = _goal_text(before, role.key, kpi) if kpi in was.scorecard else None
            if old_goal == new_goal:
                continue
            if old_goal is None:
                out.append(f"+ goal {role.key} {kpi} {new_goal}")
            elif new_goal is None:
                out.append(f"- goal {role.key} {kpi} {old_goal}")
            else:
                out.append(f"goal {role.key} {kpi} {old_goal} → {new_goal}")
    return out


def _own_goal(process: Process, user: str, kpi: str) -> str | None:
    goal = process.overrides.get(user, {}).get(kpi)
    return str(goal) if goal is not None else None


def _overrides(before: Process, after: Process) -> list[str]:
    out = []
    users = sorted(set(before.overrides) | set(after.overrides))
    kpis = [k.key for k in after.kpis]
    for user in users:
        for kpi in kpis:
            a, b = _own_goal(before, user, kpi), _own_goal(after, user, kpi)
            if a != b:
                out.append(f"goal <@{user}> {kpi} {a or 'role goal'} → {b or 'role goal'}")
    return out
