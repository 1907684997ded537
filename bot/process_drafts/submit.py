"""A draft form's submission: the changed fields applied to the draft as it is now, every
mistake under its field (nothing stored then), and a good one stored as one edit, once per
form (the same submission delivered twice is one edit)."""

from __future__ import annotations

from bot import messages
from bot.context import Interaction
from bot.process_drafts import forms
from bot.process_drafts.view import advice_text
from rituals.process_drafts import diff
from rituals.process_drafts.drafts import draft_process, record_edit
from rituals.teams import require_manager
from storage import draft_queries


def _done_view(title: str, text: str) -> dict:
    return {
        "type": "modal",
        "title": messages.plain_text(title, messages.MODAL_TITLE_LIMIT),
        "close": messages.plain_text("Close", messages.MODAL_TITLE_LIMIT),
        "blocks": messages.section(text),
    }


def submit(ix: Interaction) -> dict:
    require_manager(ix.actor, "edit the draft of the process")
    meta = forms.read_metadata(ix.view)
    part = meta.get("p")
    row = draft_queries.open_draft(ix.session, ix.actor.team_id, for_update=True)
    if row is None or row.id != meta.get("d") or part not in forms.PARTS:
        ix.outcome = "draft closed"
        return {
            "response_action": "update",
            "view": messages.notice_view(
                "This form was for a draft that is no longer open (published or discarded), so "
                "nothing changed. `/pacer process draft` opens a new one.",
                "Draft",
            ),
        }
    before = draft_process(row)
    submission = forms.Submission(before, part, forms.submitted(ix.view), meta.get("h"))
    in_use = draft_queries.kpis_in_use(ix.session, row.team_id, [k.key for k in before.kpis])
    after = submission.run(in_use)
    if submission.errors:
        ix.outcome = "invalid"
        return {"response_action": "errors", "errors": submission.errors}
    changes = diff(before, after)
    if not changes:
        ix.outcome = "unchanged"
        return {
            "response_action": "update",
            "view": _done_view(forms.TITLES[part], "Nothing changed: the draft already says that."),
        }
    summary = "; ".join(changes)
    key = f"view:{ix.view.get('id') or ix.trigger_id}"
    stored = record_edit(ix.session, row, after, summary, ix.user_id, key, ix.now)
    ix.outcome = "saved" if stored else "duplicate"
    lines = "\n".join(f"• {messages.escape(c)}" for c in changes[:30])
    text = "\n\n".join(
        part
        for part in (
            f"*Saved to the draft:*\n{lines}",
            advice_text(after),
            "`/pacer process draft show` shows the whole draft; nobody else sees it until "
            "`/pacer process publish`.",
        )
        if part
    )
    return {"response_action": "update", "view": _done_view(forms.TITLES[part], text)}
