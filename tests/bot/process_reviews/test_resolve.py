"""Accept and Dismiss through the app: an accepted suggestion becomes an edit credited to the
reviewer; one that no longer applies is refused and stays open; a dismissal tells the reason."""

from storage import draft_queries
from storage.unit_of_work import unit_of_work
from tests.bot.process_reviews.support import (
    MGR,
    SDR,
    SDR2,
    answers,
    asked,
    dms,
    press,
    submit,
    suggestion,
)


def _edits(rig):
    with unit_of_work(rig.engine) as session:
        return [(e.summary, e.credited_to) for e in draft_queries.edits_of(session, 1)]


def test_accept_edits_the_draft_once_credited_to_the_reviewer(rig):
    review_id = asked(rig)
    submit(rig, SDR, "review_suggest_form", suggestion("stage:purchase", "Signs"), str(review_id))
    (answer,) = answers(rig, review_id)
    said = press(rig, MGR, "review_accept", str(answer.id), times=2)
    assert "Accepted by" in said[0]["text"] and "already accepted" in said[1]["text"]
    assert [credit for _, credit in _edits(rig)] == [SDR]
    assert dms(rig, SDR, "accepted your suggestion")


def test_a_suggestion_that_no_longer_applies_is_refused_and_stays_open(rig):
    review_id = asked(rig)
    meta = str(review_id)
    submit(rig, SDR, "review_suggest_form", suggestion("stage:purchase", "Signs"), meta)
    submit(
        rig, SDR2, "review_suggest_form", suggestion("stage:purchase", "remove"), meta, "V0OTHER01"
    )
    first, second = answers(rig, review_id)
    press(rig, MGR, "review_accept", str(second.id))  # Purchase is gone from the draft
    said = press(rig, MGR, "review_accept", str(first.id))
    assert "can't be applied to the draft as it is now" in said[0]["text"]
    assert [a.status for a in answers(rig, review_id)] == ["open", "accepted"]


def test_dismiss_tells_the_reviewer_the_reason(rig):
    review_id = asked(rig)
    submit(rig, SDR, "review_suggest_form", suggestion("stage:purchase", "Signs"), str(review_id))
    (answer,) = answers(rig, review_id)
    press(rig, MGR, "review_dismiss", str(answer.id))
    (opened,) = rig.slack.calls_to("views.open")
    view = opened.params["view"]
    meta = view["private_metadata"] if isinstance(view, dict) else None
    meta = meta or f"{answer.id}|D0REVIEW01:1700000000.000100"
    reason = {"reason": {"value": {"type": "plain_text_input", "value": "Purchase <is> it"}}}
    submit(rig, MGR, "review_dismiss_form", reason, meta)
    submit(rig, MGR, "review_dismiss_form", reason, meta)  # delivered twice: dismissed once
    (row,) = answers(rig, review_id)
    assert (row.status, row.reason, row.resolved_by) == ("dismissed", "Purchase <is> it", MGR)
    assert dms(rig, SDR, "Purchase &lt;is&gt; it")
    updated = rig.slack.calls_to("chat.update")
    assert updated and "Dismissed by" in str(updated[-1].params)
