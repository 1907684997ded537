"""The cascade as plain text, for `pacer process show`."""

from __future__ import annotations

from rituals.pacing import WEEKDAY_NAMES
from rituals.process.model import Process
from rituals.process.values import percent_text


def render_cascade(p: Process) -> str:
    """Plain text for `pacer process show`: the journey, then per role stage → activity → KPI."""
    days = [WEEKDAY_NAMES[d].capitalize() for d in sorted(p.calendar.working_days)]
    lines = [
        p.name,
        f"Timezone {p.timezone} · working days {' '.join(days)} · "
        f"{p.calendar.day_start:%H:%M}–{p.calendar.day_end:%H:%M} · scorecards {p.visibility}",
        f"Days off: {_days_off(p)}",
        f"Pace: on pace from {p.thresholds.on_pace:.0%} of expected, at risk from {p.thresholds.at_risk:.0%}",
        f"Rituals ({p.timezone}): {p.rituals.describe()}",
        "",
        "Buyer's journey → seller activity → KPIs:",
    ]
    stage_number = {s.key: i for i, s in enumerate(p.stages, 1)}
    for stage, act, kpis in p.cascade():
        kpi_text = ", ".join(f"{k.name} ({k.kind})" for k in kpis) or "no KPI"
        act_text = act.name if act else "no activity"
        lines.append(f"  {stage_number[stage.key]}. {stage.name} ← {act_text} → {kpi_text}")

    act_by_key = {a.key: a for a in p.activities}
    stage_by_key = {s.key: s for s in p.stages}
    for role in p.roles:
        kinds = [p.kpi(k).kind for k in role.scorecard]
        lines += [
            "",
            f"{role.name} ({role.key}): {kinds.count('leading')} leading + {kinds.count('lagging')} lagging",
        ]
        for key in role.scorecard:
            kpi = p.kpi(key)
            act = act_by_key.get(kpi.activity) if kpi.activity else None
            if act is not None:
                stage = stage_by_key[act.stage]
                chain = f"{stage_number[stage.key]}. {stage.name} → {act.name} → "
            else:
                chain = "   (no activity) → "
            goal = role.goals.get(key)
            extra = f"goal {goal}" if goal else "no goal"
            if kpi.recorded_by and p.has_role(kpi.recorded_by):
                extra += f"; recorded by {p.role(kpi.recorded_by).name}"
            lines.append(f"  {chain}{kpi.name} [{kpi.key}, {kpi.kind}] · {extra}")
        if role.aliases:
            words = ", ".join(f"{w} = {k}" for w, k in role.aliases.items())
            lines.append(f"  Words for this role: {words}")
        if role.ramp:
            lines.append(f"  New hires ramp: {ramp_text(role.ramp)}")

    if any(p.overrides.values()):
        lines += ["", "Per-rep goals:"]
        for user, goals in p.overrides.items():
            if goals:
                lines.append(f"  {user}: " + ", ".join(f"{k} {g}" for k, g in goals.items()))
    if p.goal_changes:
        lines += [
            "",
            "Goal changes (each applies from its date; the goals above are the ones before):",
        ]
        for c in p.goal_changes:
            who = f"{c.role} role" if c.role is not None else c.target
            by = f" · set by {c.by}" if c.by else ""
            at = f" on {c.at:%Y-%m-%d %H:%M} UTC" if c.at is not None else ""
            lines.append(f"  from {c.effective.isoformat()}: {who} {c.kpi} {c.goal_word()}{by}{at}")

    for name, mapping in p.sources.items():
        account = f" (account {mapping.portal})" if mapping.portal is not None else ""
        lines += ["", f"Counted from {name}{account}:"]
        for record, by_role in mapping.records.items():
            kpis = ", ".join(k if r == "*" else f"{r}: {k}" for r, k in by_role.items())
            lines.append(f"  {record} → {kpis}")

    lines += ["", "Words reps can type:"]
    for kpi in p.kpis:
        lines.append(f"  {kpi.key}: {', '.join(kpi.aliases)}")
    if p.warnings:
        lines += ["", "Warnings:"]
        lines += [f"  - {w}" for w in p.warnings]
    return "\n".join(lines) + "\n"


def ramp_text(ramp: tuple[float, ...]) -> str:
    """ "25% → 50% → 75% of the goal in their first 3 months" (a role's ramp, in words)."""
    months = len(ramp)
    shares = " → ".join(percent_text(share) for share in ramp)
    first = "first month" if months == 1 else f"first {months} months"
    return f"{shares} of the goal in their {first}"


def _days_off(p: Process) -> str:
    """ "public holidays of US (NY) · 1 company day off · 1 public holiday worked" (see them all
    with `pacer calendar show`)."""
    rules = p.calendar.holidays
    parts = [f"public holidays of {rules.where()}" if rules.country else "no public holidays"]
    if rules.added:
        parts.append(f"{len(rules.added)} company day{'s' * (len(rules.added) > 1)} off")
    if rules.removed:
        parts.append(f"{len(rules.removed)} public holiday{'s' * (len(rules.removed) > 1)} worked")
    return " · ".join(parts) + " (`pacer calendar show` lists them)"
