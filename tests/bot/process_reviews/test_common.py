"""bot/process_reviews/common.py: a button naming a review or a suggestion of another workspace,
or none at all, finds nothing; only the asked may answer."""

from tests.bot.process_reviews.support import MGR, NOBODY, SDR, asked, press


def test_unknown_and_foreign_ids_find_nothing(rig):
    review_id = asked(rig)
    for value in ("", "abc", "9" * 13, str(review_id + 100)):
        said = press(rig, SDR, "review_approve", value)
        assert "can't find this review" in said[0]["text"]
    said = press(rig, MGR, "review_accept", "12345")
    assert "can't find this suggestion" in said[0]["text"]
    said = press(rig, NOBODY, "review_suggest", str(review_id))
    assert "You weren't asked" in said[0]["text"]
