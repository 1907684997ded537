"""bot/process_reviews/listeners.py: every button and form of a review reaches its handler (a
press naming nothing is answered by the reviews' own words, not ignored)."""

from tests.bot.process_reviews.support import SDR, press, submit


def test_every_button_and_form_is_routed(rig):
    for action in ("review_approve", "review_suggest"):
        assert "can't find this review" in press(rig, SDR, action, "0")[0]["text"]
    for action in ("review_accept", "review_dismiss"):
        assert "can't find this suggestion" in press(rig, SDR, action, "0")[0]["text"]
    body = submit(rig, SDR, "review_suggest_form", {}, "0")
    assert "can't find this review" in str(body)
    body = submit(rig, SDR, "review_dismiss_form", {}, "0|")
    assert "can't find this suggestion" in str(body)
