"""A reviewer's answers through the app: the newest counts (an older open suggestion becomes
superseded and can't be accepted any more), Suggest opens the form with the part's items, and a
closed review takes no answers."""

import json

from tests.bot.process_reviews.support import (
    MGR,
    SDR,
    SDR2,
    answers,
    asked,
    command,
    press,
    submit,
    suggestion,
    thread,
)


def test_answering_again_supersedes_the_older_answer(rig):
    review_id = asked(rig)
    submit(rig, SDR, "review_suggest_form", suggestion("stage:purchase", "Signs"), str(review_id))
    said = press(rig, SDR, "review_approve", str(review_id), times=2)  # delivered twice
    assert "looks right to you" in said[0]["text"] and len(said) == 2
    rows = answers(rig, review_id)
    assert [(a.verdict, a.status) for a in rows] == [("suggest", "superseded"), ("approve", "open")]
    refused = press(rig, MGR, "review_accept", str(rows[0].id))
    assert "has answered again since" in refused[0]["text"]
    (posted,) = thread(rig, "looks right.")
    assert "1 of 2 answered" in str(posted)
    assert "1 of 2 answered" in command(rig, "process feedback")


def test_suggest_opens_the_form_with_the_parts_items(rig):
    review_id = asked(rig, f"process review <@{SDR}> part scorecards")
    press(rig, SDR, "review_suggest", str(review_id))
    (opened,) = rig.slack.calls_to("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    refs = [o["value"] for o in view["blocks"][1]["element"]["options"]]
    assert "goal:sdr:calls" in refs and "kpi:calls" in refs
    assert view["private_metadata"] == str(review_id)
    # a goal the loader refuses is answered on the field
    body = submit(
        rig, SDR, "review_suggest_form", suggestion("goal:sdr:calls", "lots"), str(review_id)
    )
    assert body["response_action"] == "errors" and "instead" in body["errors"]
    body = submit(
        rig,
        SDR,
        "review_suggest_form",
        suggestion("goal:sdr:calls", "80/day", "ramp"),
        str(review_id),
    )
    assert body["response_action"] == "update"
    # answering again starts from the open suggestion
    press(rig, SDR, "review_suggest", str(review_id))
    view = rig.slack.calls_to("views.open")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    item, instead, why = (b["element"] for b in view["blocks"][1:4])
    assert item["initial_option"]["value"] == "goal:sdr:calls"
    assert (instead["initial_value"], why["initial_value"]) == ("80/day", "ramp")


def test_a_closed_review_takes_no_answer(rig):
    review_id = asked(rig)
    assert "is discarded" in command(rig, "process discard")
    said = press(rig, SDR2, "review_approve", str(review_id))
    assert "This review closed" in said[0]["text"]
    assert answers(rig, review_id) == []
