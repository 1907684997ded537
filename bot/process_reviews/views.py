"""The Slack side of a review, as data: the request a reviewer gets (the part in plain words,
what changed, Looks right / Suggest a change), the Suggest and Dismiss forms, the author's thread
(each answer; a suggestion with Accept / Dismiss), the reminder and `/pacer process feedback`.
Pure functions of plain data; people's text is escaped (bot.messages.escape) so nobody can ping
the channel through a suggestion."""

from __future__ import annotations

from datetime import date

from bot import messages
from bot.ids import Action, View
from bot.messages import escape, mention, plain_text
from rituals import dates
from rituals.process_reviews import Answer, Tally, part_title

ITEM, INSTEAD, WHY, REASON = "item", "instead", "why", "reason"
INSTEAD_LIMIT = 300  # what instead: a name, a goal, a list of KPIs
WHY_LIMIT = 1000
REASON_LIMIT = 300  # review_answer.reason
TITLE = messages.MODAL_TITLE_LIMIT
# A request's part and its changes are capped so its buttons always fit in the message (Slack
# takes about 12,000 characters; bot.messages.message cuts what is beyond, buttons included).
PART_BUDGET, CHANGES_BUDGET = 6000, 3000


def _capped(lines: list[str], budget: int, rest: str) -> str:
    out, used = [], 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > budget:
            out.append(f"…and {len(lines) - index} more lines: {rest}")
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)


def due_words(due_on: date | None) -> str:
    return f"due {dates.short(due_on)}" if due_on else "no due date"


def request_message(
    *,
    review_id: int,
    author_id: str,
    draft_name: str,
    part: str,
    lines: list[str],
    changes: list[str],
    due_on: date | None,
    reminder: bool = False,
) -> dict:
    """The private message a reviewer gets (and, with ``reminder``, the reminder)."""
    title = part_title(part)
    lead = (
        f":alarm_clock: Reminder: {mention(author_id)} is waiting for your review of {title}"
        if reminder
        else f"{mention(author_id)} asks you to review {title}"
    )
    more = "`/pacer process draft show` shows the whole draft."
    body = _capped([escape(line) for line in lines], PART_BUDGET, more)
    changed = (
        _capped([f"• {escape(c)}" for c in changes], CHANGES_BUDGET, more)
        if changes
        else "Nothing yet."
    )
    blocks = [
        messages.header(f"Review: {title}"),
        *messages.section(
            f"{lead} of the draft process *{escape(draft_name)}* ({due_words(due_on)})."
        ),
        *messages.section(f"*{title.capitalize()}*\n{body}"),
        *messages.section(f"*What changed since the version in force*\n{changed}"),
        messages.context(
            "Answer with a button; you can answer again until the review closes, and your last "
            "answer counts."
        ),
        messages.actions(
            messages.button("Looks right", Action.REVIEW_APPROVE, str(review_id), "primary"),
            messages.button("Suggest a change", Action.REVIEW_SUGGEST, str(review_id)),
            block_id=f"review:{review_id}",
        ),
    ]
    fallback = f"{'Reminder: ' if reminder else ''}review {title} of the draft process"
    return messages.message(fallback, blocks)


def suggest_view(
    review_id: int, part: str, options: list[tuple[str, str]], current: Answer | None = None
) -> dict:
    """The Suggest a change form: which item (a select), what instead, why; filled in with the
    reviewer's open suggestion (``current``) when they have one, to answer again from it."""
    choices = [{"text": plain_text(label, 75), "value": ref} for ref, label in options]
    item: dict = {
        "type": "static_select",
        "placeholder": plain_text("Choose an item"),
        "options": choices,
    }
    instead: dict = {
        "type": "plain_text_input",
        "max_length": INSTEAD_LIMIT,
        "placeholder": plain_text("e.g. a new name, 80/day, remove"),
    }
    why: dict = {"type": "plain_text_input", "multiline": True, "max_length": WHY_LIMIT}
    if current is not None:
        chosen = [c for c in choices if c["value"] == current.item]
        if chosen:
            item["initial_option"] = chosen[0]
        if current.instead:
            instead["initial_value"] = current.instead[:INSTEAD_LIMIT]
        if current.why:
            why["initial_value"] = current.why[:WHY_LIMIT]
    return {
        "type": "modal",
        "callback_id": View.REVIEW_SUGGEST,
        "title": plain_text("Suggest a change", TITLE),
        "submit": plain_text("Send", TITLE),
        "close": plain_text("Cancel", TITLE),
        "private_metadata": str(review_id),
        "blocks": [
            messages.context(f"Your suggestion on {part_title(part)} goes to the draft's author."),
            messages.input_block(ITEM, "Which item", item),
            messages.input_block(INSTEAD, "What instead", instead),
            messages.input_block(WHY, "Why", why, optional=True),
        ],
    }


def dismiss_view(answer_id: int, where: str, label: str) -> dict:
    """The Dismiss form: the reason the reviewer is told. ``where``: "channel:ts" of the
    suggestion's message, updated once it is dismissed."""
    return {
        "type": "modal",
        "callback_id": View.REVIEW_DISMISS,
        "title": plain_text("Dismiss suggestion", TITLE),
        "submit": plain_text("Dismiss", TITLE),
        "close": plain_text("Cancel", TITLE),
        "private_metadata": f"{answer_id}|{where}",
        "blocks": [
            messages.context(f"The suggestion on {escape(label)}: its author is told your reason."),
            messages.input_block(
                REASON,
                "Reason",
                {"type": "plain_text_input", "multiline": True, "max_length": REASON_LIMIT},
            ),
        ],
    }


def thread_opening(part: str, draft_name: str, reviewers: list[str], due_on) -> dict:
    names = ", ".join(mention(r) for r in reviewers)
    text = (
        f":mag: *Review of {part_title(part)}* of the draft *{escape(draft_name)}*: asked "
        f"{names} ({due_words(due_on)}). Their answers arrive in this thread."
    )
    return messages.message(text, messages.section(text))


def reminded_message(users: list[str], due_on: date | None) -> dict:
    names = ", ".join(mention(u) for u in users)
    text = f":alarm_clock: Reminded {names}, who haven't answered yet ({due_words(due_on)})."
    return messages.message(text, messages.section(text))


def approval_text(reviewer: str) -> str:
    return f":white_check_mark: {mention(reviewer)}: looks right."


def suggestion_text(answer: Answer, label: str, now_says: str) -> str:
    was = f" (the draft says “{escape(now_says)}”)" if now_says else ""
    why = f"\n_Why:_ {escape(answer.why)}" if answer.why else ""
    return (
        f":bulb: {mention(answer.reviewer)} suggests, on *{escape(label)}*{was}: "
        f"“{escape(answer.instead)}”{why}"
    )


def suggestion_message(answer: Answer, label: str, now_says: str, standing: str = "") -> dict:
    text = suggestion_text(answer, label, now_says)
    return messages.message(
        text,
        [
            *messages.section(text),
            *([messages.context(standing)] if standing else []),
            messages.actions(
                messages.button("Accept", Action.REVIEW_ACCEPT, str(answer.id), "primary"),
                messages.button("Dismiss", Action.REVIEW_DISMISS, str(answer.id)),
                block_id=f"suggestion:{answer.id}",
            ),
        ],
    )


def resolved_message(text: str, outcome: str) -> dict:
    """The suggestion's message once accepted or dismissed: no buttons any more."""
    shown = f"{text}\n{outcome}"
    return messages.message(shown, messages.section(shown))


def feedback_text(rounds: list[tuple[str, Tally, date | None]]) -> str:
    """`/pacer process feedback`: per round, "4 of 6 answered", who still owes an answer, then
    per item the approvals and the suggestions still open."""
    out: list[str] = []
    for title, tally, due_on in rounds:
        out.append(
            f"*Review of {title}* ({due_words(due_on)}): {tally.answered_text()}, "
            f"{tally.approvals} looks right, {len(tally.open_suggestions)} open suggestions."
        )
        if tally.owing:
            out.append("Still to answer: " + ", ".join(mention(r) for r in tally.owing))
        if tally.approved_by:
            out.append("Looks right: " + ", ".join(mention(r) for r in tally.approved_by))
        for item in tally.items:
            if not item.suggestions:
                out.append(f"• {escape(item.label)}: {item.approvals} ✓")
                continue
            said = "; ".join(
                f"{mention(s.reviewer)} “{escape(s.instead)}”" for s in item.suggestions
            )
            out.append(f"• {escape(item.label)}: {item.approvals} ✓, open: {said}")
        out.append("")
    return "\n".join(out).strip()
