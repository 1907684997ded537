"""The author's buttons on a suggestion in the round's thread: **Accept** applies it to the
draft (an edit credited to the reviewer; the suggestion becomes ``accepted``) and **Dismiss**
asks for a reason (a form) that the reviewer is told. Each happens once: a second press, or a
press after the reviewer answered again, is answered with what happened and changes nothing."""

from __future__ import annotations

from bot import messages
from bot.context import Interaction
from bot.ids import INPUT
from bot.modals import open_modal
from bot.process_reviews import delivery, views
from bot.process_reviews.common import already, answer_of, as_answer
from bot.process_reviews.drafts import apply_suggestion, draft_process, part_items, record_edit
from bot.replies import Problem
from rituals.process import ProcessError
from storage import review_queries


def _label(draft, review, ref: str) -> tuple[str, str]:
    for item in part_items(draft_process(draft), review.part):
        if item.ref == ref:
            return item.label, item.value
    return ref, ""


def accept_pressed(ix: Interaction) -> None:
    answer, review, draft = answer_of(ix.session, ix, ix.action.get("value"))
    label, value = _label(draft, review, answer.item)
    shown = views.suggestion_text(as_answer(answer), label, value)
    if not review_queries.resolve_suggestion(ix.session, answer.id, "accepted", ix.user_id, ix.now):
        raise Problem(already(review_queries.get_answer(ix.session, answer.id, fresh=True)))
    try:
        edited, summary = apply_suggestion(draft_process(draft), answer.item, answer.instead)
    except ProcessError as error:
        first = error.problems[0] if error.problems else error
        raise Problem(
            f"This suggestion can't be applied to the draft as it is now ({messages.escape(first)}), "
            "so nothing changed. Dismiss it with a reason, or edit the draft yourself."
        ) from None
    record_edit(
        ix.session,
        draft,
        edited,
        summary=summary,
        edited_by=ix.user_id,
        edit_key=f"accept:{answer.id}",
        credited_to=answer.reviewer_id,
        answer_id=answer.id,
        now=ix.now,
    )
    ix.outcome = "accepted"
    outcome = (
        f":heavy_check_mark: Accepted by {messages.mention(ix.user_id)}: "
        f"{messages.escape(summary)} (credited to {messages.mention(answer.reviewer_id)})."
    )
    replaced = views.resolved_message(shown, outcome)
    respond, services, reviewer = ix.respond, ix.services, answer.reviewer_id
    workspace_id = ix.actor.workspace_id
    if respond is not None:
        ix.follow_ups.append(
            lambda: respond(text=replaced["text"], blocks=replaced["blocks"], replace_original=True)
        )
    told = (
        f":tada: {messages.mention(ix.user_id)} accepted your suggestion on "
        f"*{messages.escape(label)}*: “{messages.escape(answer.instead)}” is in the draft now."
    )
    note = messages.message(told, messages.section(told))
    ix.follow_ups.append(lambda: delivery.tell(services, workspace_id, reviewer, note))
    return None


def dismiss_pressed(ix: Interaction) -> None:
    answer, review, draft = answer_of(ix.session, ix, ix.action.get("value"))
    label, _ = _label(draft, review, answer.item)
    container = ix.body.get("container") or {}
    where = f"{container.get('channel_id') or ''}:{container.get('message_ts') or ''}"
    open_modal(
        ix,
        views.dismiss_view(answer.id, where, label),
        what="the form",
        instead="Try the button again in a moment.",
    )
    ix.outcome = "modal"
    return None


def dismiss_submitted(ix: Interaction) -> dict | None:
    view = ix.view
    raw_id, _, where = str(view.get("private_metadata") or "").partition("|")
    answer, review, draft = answer_of(ix.session, ix, raw_id)
    values = ((view.get("state") or {}).get("values") or {}).get(views.REASON) or {}
    reason = " ".join(str((values.get(INPUT) or {}).get("value") or "").split())
    if not reason:
        ix.outcome = "invalid"
        return {
            "response_action": "errors",
            "errors": {views.REASON: "Say why, in a few words: the reviewer is told."},
        }
    if len(reason) > views.REASON_LIMIT:
        ix.outcome = "invalid"
        return {
            "response_action": "errors",
            "errors": {
                views.REASON: f"Keep it under {views.REASON_LIMIT} characters "
                f"(this has {len(reason)})."
            },
        }
    label, value = _label(draft, review, answer.item)
    shown = views.suggestion_text(as_answer(answer), label, value)
    if not review_queries.resolve_suggestion(
        ix.session, answer.id, "dismissed", ix.user_id, ix.now, reason
    ):  # a double submission: the first one dismissed it
        ix.outcome = "duplicate"
        return None
    ix.outcome = "dismissed"
    services, reviewer, workspace_id = ix.services, answer.reviewer_id, ix.actor.workspace_id
    told = (
        f"{messages.mention(ix.user_id)} dismissed your suggestion on *{messages.escape(label)}* "
        f"(“{messages.escape(answer.instead)}”): {messages.escape(reason)}"
    )
    note = messages.message(told, messages.section(told))
    ix.follow_ups.append(lambda: delivery.tell(services, workspace_id, reviewer, note))
    channel, _, ts = where.partition(":")
    if channel and ts:
        outcome = f":no_entry_sign: Dismissed by {messages.mention(ix.user_id)}: {messages.escape(reason)}"
        replaced = views.resolved_message(shown, outcome)
        ix.follow_ups.append(lambda: delivery.update(services, workspace_id, channel, ts, replaced))
    return None
