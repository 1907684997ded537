"""A reviewer's answers: **Looks right** (stored at once) and **Suggest a change** (a form: which
item, what instead, why; checked as the draft's edit forms check it). Each answer is stored once
per press or submission, the newest counts, and it reaches the author in the round's thread.
Someone who was not asked is refused and nothing is stored."""

from __future__ import annotations

import hashlib

from bot import messages
from bot.context import Interaction
from bot.ids import INPUT
from bot.modals import open_modal
from bot.process_reviews import delivery, views
from bot.process_reviews.common import as_answer, round_of, thread_owner
from bot.process_reviews.drafts import check_suggestion, draft_process, part_items
from rituals.process_reviews import part_title
from storage import review_queries
from storage.models import ReviewAnswer

AGAIN = "You can answer again until the review closes; your last answer counts."


def _standing(ix: Interaction, review_id: int) -> str:
    """ "2 of 3 answered", for the author, under each answer in the thread."""
    counts = review_queries.answer_counts(ix.session, [review_id]).get(review_id)
    return counts.text() if counts else ""


def _press_key(ix: Interaction) -> str:
    """One press, however often Slack delivers it: the action's own timestamp."""
    raw = f"{ix.action.get('action_ts') or ix.trigger_id}:{ix.action.get('block_id')}"
    return "press:" + hashlib.sha1(raw.encode()).hexdigest()[:30]


def _form_key(ix: Interaction) -> str:
    view = ix.view
    return "form:" + hashlib.sha1(f"{view.get('id')}:{view.get('hash')}".encode()).hexdigest()[:30]


def approve_pressed(ix: Interaction) -> None:
    review, draft = round_of(ix.session, ix, ix.action.get("value"))
    row = ReviewAnswer(
        review_id=review.id,
        reviewer_id=ix.user_id,
        verdict="approve",
        answered_at=ix.now,
        answer_key=_press_key(ix),
    )
    stored, created = review_queries.record_answer(ix.session, row)
    ix.outcome = "approve" if created else "duplicate"
    said = f":white_check_mark: Recorded: {part_title(review.part)} looks right to you. {AGAIN}"
    respond = ix.respond
    if respond is not None:
        ix.follow_ups.append(
            lambda: respond(
                text=messages.plain(said), response_type="ephemeral", replace_original=False
            )
        )
    if created:
        services, owner = ix.services, thread_owner(draft, review)
        text = views.approval_text(ix.user_id)
        standing = _standing(ix, review.id)
        message = messages.message(text, [*messages.section(text), messages.context(standing)])
        ix.follow_ups.append(lambda: delivery.tell_author(services, review.id, owner, message))
    return None


def suggest_pressed(ix: Interaction) -> None:
    review, draft = round_of(ix.session, ix, ix.action.get("value"))
    options = [(i.ref, i.label) for i in part_items(draft_process(draft), review.part)]
    mine = [
        a
        for a in review_queries.answers_of(ix.session, [review.id], current_only=True)
        if a.reviewer_id == ix.user_id and a.verdict == "suggest" and a.status == "open"
    ]
    current = as_answer(mine[-1]) if mine else None
    open_modal(
        ix,
        views.suggest_view(review.id, review.part, options, current),
        what="the suggestion form",
        instead="Try the button again in a moment.",
    )
    ix.outcome = "modal"
    return None


def _value(view: dict, block_id: str) -> dict:
    values = ((view.get("state") or {}).get("values") or {}).get(block_id) or {}
    return values.get(INPUT) or {}


def _errors(errors: dict[str, str]) -> dict:
    return {"response_action": "errors", "errors": errors}


def suggestion_submitted(ix: Interaction) -> dict | None:
    view = ix.view
    review, draft = round_of(ix.session, ix, view.get("private_metadata"))
    process = draft_process(draft)
    items = {i.ref: i for i in part_items(process, review.part)}
    ref = str((_value(view, views.ITEM).get("selected_option") or {}).get("value") or "")
    instead = " ".join(str(_value(view, views.INSTEAD).get("value") or "").split())
    why = str(_value(view, views.WHY).get("value") or "").strip()
    errors: dict[str, str] = {}
    if not ref:
        errors[views.ITEM] = "Choose the item your suggestion is about."
    elif ref not in items:
        errors[views.ITEM] = (
            "That item isn't in the draft any more (it was edited meanwhile); choose another."
        )
    if not instead:
        errors[views.INSTEAD] = (
            "Write what the draft should say instead, e.g. a new name or 80/day."
        )
    elif len(instead) > views.INSTEAD_LIMIT:
        errors[views.INSTEAD] = (
            f"Keep it under {views.INSTEAD_LIMIT} characters (this has {len(instead)})."
        )
    elif ref in items:
        problem = check_suggestion(process, ref, instead)
        if problem:
            errors[views.INSTEAD] = problem[:2000]
    if len(why) > views.WHY_LIMIT:
        errors[views.WHY] = f"Keep it under {views.WHY_LIMIT} characters (this has {len(why)})."
    if errors:
        ix.outcome = "invalid"
        return _errors(errors)
    row = ReviewAnswer(
        review_id=review.id,
        reviewer_id=ix.user_id,
        verdict="suggest",
        item=ref,
        instead=instead,
        why=why,
        answered_at=ix.now,
        answer_key=_form_key(ix),
    )
    stored, created = review_queries.record_answer(ix.session, row)
    ix.outcome = "suggest" if created else "duplicate"
    item = items[ref]
    if created:
        services, owner = ix.services, thread_owner(draft, review)
        message = views.suggestion_message(
            as_answer(stored), item.label, item.value, _standing(ix, review.id)
        )
        ix.follow_ups.append(lambda: delivery.tell_author(services, review.id, owner, message))
    thanks = (
        f"Thanks: your suggestion on *{messages.escape(item.label)}* went to "
        f"{messages.mention(thread_owner(draft, review))}. {AGAIN}"
    )
    return {"response_action": "update", "view": _thanks_view(thanks)}


def _thanks_view(text: str) -> dict:
    return {
        "type": "modal",
        "title": messages.plain_text("Suggestion sent", messages.MODAL_TITLE_LIMIT),
        "close": messages.plain_text("Close", messages.MODAL_TITLE_LIMIT),
        "blocks": messages.section(text),
    }
