"""What the process-draft tests share: the rig with its team, a draft's form opened by typing
`/pacer process draft PART`, a form submitted, and review rows written as the reviews would."""

import json
from datetime import timedelta

from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot.ids import View
from simulator.signed_requests import command_body, new_trigger_id, signed_headers
from storage.models import ProcessDraft, ProcessReview, ReviewAnswer, ReviewReviewer
from tests.bot.form_support import TEAM, checked_view, state_of, submit, team

FORM = View.DRAFT_EDIT


def open_part(rig, user: str, part: str) -> dict:
    trigger = new_trigger_id()
    body = command_body("/pacer", f"process draft {part}", user, team_id=TEAM, trigger_id=trigger)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200 and response.body == "", response.body
    (call,) = [c for c in rig.slack.calls_to("views.open") if c.params["trigger_id"] == trigger]
    return checked_view(call.params["view"])


def send(rig, user: str, form: dict, changes: dict, view_id: str = "V0DRAFT01") -> dict:
    values = state_of(form)
    for block, value in changes.items():
        values[block]["value"]["value"] = value
    return submit(rig, user, FORM, values, metadata=form["private_metadata"], view_id=view_id)


def drafts(rig) -> list[ProcessDraft]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(ProcessDraft).order_by(ProcessDraft.id)))


def add_review(rig, reviewers: dict[str, str | None], requested_by: str) -> int:
    """A review round of the open draft: reviewer -> their answer (approve | suggest | None)."""
    (draft,) = [d for d in drafts(rig) if d.status == "open"]
    with rig.services.unit_of_work() as session:
        review = ProcessReview(
            workspace_id=draft.workspace_id,
            draft_id=draft.id,
            part="journey",
            requested_by=requested_by,
            opened_at=rig.now,
            request_key=f"r{draft.id}-{len(reviewers)}",
        )
        session.add(review)
        session.flush()
        for i, (user, verdict) in enumerate(reviewers.items()):
            session.add(ReviewReviewer(review_id=review.id, user_id=user))
            if verdict:
                session.add(
                    ReviewAnswer(
                        review_id=review.id,
                        reviewer_id=user,
                        verdict=verdict,
                        item="stage:purchase" if verdict == "suggest" else "",
                        instead="Buys" if verdict == "suggest" else "",
                        answered_at=rig.now + timedelta(minutes=i),
                        answer_key=f"a{review.id}-{i}",
                    )
                )
        return review.id


__all__ = ["FORM", "add_review", "drafts", "json", "open_part", "send", "state_of", "team"]
