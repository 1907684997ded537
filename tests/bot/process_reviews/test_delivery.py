"""bot/process_reviews/delivery.py: a message Slack refuses is logged and the rest go on; the
round stands either way, and an answer without a thread goes to the author directly."""

from tests.bot.process_reviews.support import MGR, SDR, SDR2, asked, dms, press, reviews


def test_a_refused_request_does_not_stop_the_others(rig):
    rig.slack.fail_next("chat.postMessage", status=200, body={"ok": False, "error": "not_authed"})
    review_id = asked(rig)  # the author's thread is refused: no thread
    (row,) = reviews(rig)
    assert row.id == review_id and row.thread_ts is None
    assert dms(rig, SDR, "Review:") and dms(rig, SDR2, "Review:")
    press(rig, SDR, "review_approve", str(review_id))
    (answer,) = dms(rig, MGR, "looks right.")
    assert "thread_ts" not in answer
