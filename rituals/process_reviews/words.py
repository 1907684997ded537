"""A part of a process in plain words, as a reviewer reads it in their private message.

The journey is a numbered list of stages, each with the activity that moves a prospect there and
that activity's KPIs; the activities part is the same list seen from the seller's side; the
scorecards part is each role's KPIs with their goals. Plain text lines with no markup: bot/ turns
them into Slack blocks and escapes them."""

from __future__ import annotations

from rituals.process import Kpi, Process

PARTS = ("journey", "activities", "scorecards")
ALL = "all"  # a review of the whole draft (ProcessReview.part)
PART_TITLES = {
    "journey": "the buyer's journey",
    "activities": "the seller activities",
    "scorecards": "the scorecards and goals",
    ALL: "the whole process",
}


def part_title(part: str) -> str:
    """ "the buyer's journey" for ``journey``; the word itself for an unknown part."""
    return PART_TITLES.get(part, part)


def _kpi_words(kpi: Kpi) -> str:
    return f"{kpi.name} ({kpi.kind})"


def journey_lines(process: Process) -> list[str]:
    """ "1. Receives Call/Email — Call Lead, counted by Calls (leading)", one per stage, in order."""
    lines = []
    for number, stage in enumerate(process.stages, start=1):
        acts = [a for a in process.activities if a.stage == stage.key]
        if not acts:
            lines.append(f"{number}. {stage.name} — no activity yet")
            continue
        parts = []
        for act in acts:
            kpis = [k for k in process.kpis if k.activity == act.key]
            counted = ", ".join(_kpi_words(k) for k in kpis) if kpis else "no KPI"
            parts.append(f"{act.name}, counted by {counted}")
        lines.append(f"{number}. {stage.name} — {'; '.join(parts)}")
    return lines


def activity_lines(process: Process) -> list[str]:
    """ "1. Call Lead → moves a prospect to Receives Call/Email; KPIs: Calls (leading)"."""
    stages = {s.key: s.name for s in process.stages}
    order = {s.key: i for i, s in enumerate(process.stages)}
    acts = sorted(process.activities, key=lambda a: order.get(a.stage, len(order)))
    lines = []
    for number, act in enumerate(acts, start=1):
        kpis = [k for k in process.kpis if k.activity == act.key]
        counted = ", ".join(_kpi_words(k) for k in kpis) if kpis else "no KPI"
        lines.append(
            f"{number}. {act.name} → moves a prospect to {stages.get(act.stage, act.stage)};"
            f" counted by {counted}"
        )
    return lines


def scorecard_lines(process: Process) -> list[str]:
    """One line per role: "SDR: Calls 60/day, Conversations 12/day, … (3 leading + 1 lagging)"."""
    lines = []
    for role in process.roles:
        shown = []
        leading = lagging = 0
        for key in role.scorecard:
            kpi = process.kpi(key) if process.has_kpi(key) else None
            name = kpi.name if kpi else key
            if kpi is not None:
                leading += kpi.leading
                lagging += not kpi.leading
            goal = role.goals.get(key)
            shown.append(f"{name} {goal}" if goal is not None else f"{name} (no goal)")
        lines.append(
            f"{role.name}: {', '.join(shown) or 'no KPIs'} ({leading} leading + {lagging} lagging)"
        )
    return lines


def part_lines(process: Process, part: str) -> list[str]:
    """The part in plain words; ``all``: the three parts, each under its title."""
    if part == "journey":
        return journey_lines(process)
    if part == "activities":
        return activity_lines(process)
    if part == "scorecards":
        return scorecard_lines(process)
    if part == ALL:
        out: list[str] = []
        for each in PARTS:
            out += [f"{part_title(each).capitalize()}:", *part_lines(process, each)]
        return out
    raise ValueError(f"unknown part {part!r}: use one of {', '.join(PARTS)}")
