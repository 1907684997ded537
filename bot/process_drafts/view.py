"""How a draft reads in Slack: the cascade as the draft has it, what changed from the version in
force, the method's advice, and the buttons that open each part's form."""

from __future__ import annotations

from bot import messages
from bot.ids import Action
from rituals.process import Process

PART_BUTTONS = (
    ("journey", "Edit journey"),
    ("activities", "Edit activities"),
    ("kpis", "Edit KPIs"),
    ("scorecards", "Edit scorecards & goals"),
)
MAX_DIFF_LINES = 40


def edit_buttons() -> dict:
    return messages.actions(
        *(messages.button(text, Action.DRAFT_EDIT, part) for part, text in PART_BUTTONS),
        block_id="draft_edit",
    )


def cascade_text(process: Process) -> str:
    """The journey as a numbered list, each stage with its activity and KPIs; then each role's
    scorecard with its goals."""
    lines = []
    for i, stage in enumerate(process.stages, 1):
        acts = [a for a in process.activities if a.stage == stage.key]
        kpis = [k for a in acts for k in process.kpis if k.activity == a.key and not k.archived]
        what = " · ".join(messages.escape(a.name) for a in acts) or "_no activity yet_"
        counted = ", ".join(f"{messages.escape(k.name)} ({k.kind})" for k in kpis)
        lines.append(
            f"{i}. *{messages.escape(stage.name)}* ← {what}" + (f" → {counted}" if counted else "")
        )
    for role in process.roles:
        goals = []
        for key in role.scorecard:
            goal = process.goal_for(role.key, key)
            goals.append(f"{messages.escape(process.kpi(key).name)} {goal or 'no goal'}")
        lines.append(f"*{messages.escape(role.name)}*: " + " · ".join(goals))
    archived = [k.name for k in process.kpis if k.archived]
    if archived:
        lines.append("Archived (kept for their history): " + messages.escape(", ".join(archived)))
    return "\n".join(lines)


def changes_text(changes: list[str], base: str) -> str:
    if not changes:
        return f"*What changed from {base}:* nothing yet."
    shown = changes[:MAX_DIFF_LINES]
    more = len(changes) - len(shown)
    body = "\n".join(f"• {messages.escape(line)}" for line in shown)
    tail = f"\n…and {more} more" if more else ""
    return f"*What changed from {base}:*\n{body}{tail}"


def advice_text(process: Process, limit: int = 6) -> str:
    if not process.warnings:
        return ""
    shown = [f"• {messages.escape(w)}" for w in process.warnings[:limit]]
    more = len(process.warnings) - limit
    return "*The method says:*\n" + "\n".join(shown) + (f"\n…and {more} more" if more > 0 else "")


def base_words(base_version: int | None) -> str:
    return f"version {base_version} (in force)" if base_version else "the process in force"


def draft_message(
    heading: str, process: Process, changes: list[str], base_version: int | None, editable: bool
) -> dict:
    text = "\n\n".join(
        part
        for part in (
            heading,
            cascade_text(process),
            changes_text(changes, base_words(base_version)),
            advice_text(process),
            "_Nobody else sees the draft until it is published (`/pacer process publish`)._",
        )
        if part
    )
    blocks = messages.section(text)
    if editable:
        blocks.append(edit_buttons())
    return messages.message(heading, blocks)
