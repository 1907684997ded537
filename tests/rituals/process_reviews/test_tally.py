"""rituals/process_reviews/tally.py: the last answer of each person counts."""

from rituals.process_reviews import Answer, tally


def test_tally_counts_the_last_answer_of_each_person():
    answers = [
        Answer(1, "A", "suggest", "stage:x", "New name", "clearer"),
        Answer(2, "A", "approve", status="open"),
        Answer(3, "B", "suggest", "stage:x", "Other", ""),
        Answer(4, "C", "suggest", "stage:gone", "Y", ""),
        Answer(5, "D", "suggest", "stage:y", "Z", "", status="dismissed"),
    ]
    # answer 1 was superseded in storage; the tally also keeps only the newest per person
    t = tally(["A", "B", "C", "D", "E", "F"], answers, [("stage:x", "X"), ("stage:y", "Y")])
    assert t.answered_text() == "4 of 6 answered"
    assert t.owing == ("E", "F") and t.approved_by == ("A",)
    assert [(i.ref, i.approvals, [a.reviewer for a in i.suggestions]) for i in t.items] == [
        ("stage:x", 1, ["B"]),
        ("stage:y", 1, []),
        ("stage:gone", 1, ["C"]),
    ]
    assert {a.id for a in t.open_suggestions} == {3, 4}


def test_an_answer_of_someone_not_asked_is_not_counted():
    t = tally(["A"], [Answer(1, "Z", "approve")])
    assert t.answered_text() == "0 of 1 answered" and t.owing == ("A",)
