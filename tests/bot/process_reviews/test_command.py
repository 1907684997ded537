"""`/pacer process review` and `/pacer process feedback` through the app: who may ask, every
mistake answered with nothing stored, the same request twice asking once, and the feedback."""

import pytest

from simulator.signed_requests import new_trigger_id
from storage import review_queries
from storage.unit_of_work import unit_of_work
from tests.bot.process_reviews.support import (
    AE,
    SDR,
    SDR2,
    answers,
    asked,
    command,
    dms,
    press,
    reviews,
    submit,
    suggestion,
    thread,
)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("process review", "Name who should review the draft with @"),
        ("process review @nobody_known", "I don't know who @nobody_known is"),
        (f"process review <@{SDR}> part journey part activities", "Give `part` once"),
        (f"process review <@{SDR}> due tomorrow due friday", "Give `due` once"),
        (f"process review <@{SDR}> part scorecard", "did you mean 'scorecards'"),
        (f"process review <@{SDR}> due 2026-02-30", "isn't a real date"),
        (f"process review <@{SDR}> due", "Say which after `due`"),
        ("process review " + " ".join(f"<@U0R{i:06d}>" for i in range(26)), "at most 25"),
    ],
)
def test_mistakes_are_answered_and_nothing_is_asked(rig, text, says):
    assert says in command(rig, text)
    assert reviews(rig) == [] and not dms(rig, SDR, "Review")


def test_a_rep_may_not_ask_for_a_review(rig):
    assert "Only the team's managers" in command(rig, f"process review <@{SDR2}>", SDR)
    assert reviews(rig) == []


def test_the_same_request_twice_asks_each_reviewer_once_and_parts_and_names_work(rig):
    trigger = new_trigger_id()
    text = f"process review <@{SDR}> <@{SDR}> <@{AE}|alex> all due friday"
    first = command(rig, text, trigger=trigger)
    again = command(rig, text, trigger=trigger)
    assert first == again and "the whole process" in first and "due Fri 27 Nov" in first
    assert len(reviews(rig)) == 1
    assert len(dms(rig, SDR, "Review: the whole process")) == 1
    assert len(dms(rig, AE, "Review: the whole process")) == 1
    with unit_of_work(rig.engine) as session:
        roles = [(r.user_id, r.role) for r in review_queries.reviewers_of(session, 1)]
    assert roles == [(SDR, "rep"), (AE, "rep")]


def test_feedback_lists_items_approvals_and_open_suggestions(rig):
    review_id = asked(rig)
    press(rig, SDR2, "review_approve", str(review_id))
    submit(
        rig,
        SDR,
        "review_suggest_form",
        suggestion("stage:evaluates_roi", "Builds & Case", "<!channel> clearer"),
        str(review_id),
    )
    assert [a.verdict for a in answers(rig, review_id)] == ["approve", "suggest"]
    text = command(rig, "process feedback")
    assert "2 of 2 answered, 1 looks right, 1 open suggestions" in text
    assert f"Looks right: <@{SDR2}>" in text
    assert "Evaluates ROI: 1 ✓, open: <@U0SDR0001> “Builds &amp; Case”" in text
    assert "takes nothing after it" in command(rig, "process feedback now")
    assert "Only the draft's author" in command(rig, "process feedback", SDR)
    (posted,) = thread(rig, "Builds &amp; Case")
    assert "&lt;!channel&gt; clearer" in str(posted) and "<!channel>" not in str(posted)
