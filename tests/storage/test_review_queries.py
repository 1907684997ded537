"""storage/review_queries.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set): a round opened once per request, the last answer counts, an answer delivered twice is one,
a suggestion resolved once, the "4 of 6 answered" counts, and reminders owed and claimed once."""

from datetime import date, timedelta

from storage import draft_queries
from storage import review_queries as rq
from storage.models import ProcessDraft, ProcessReview, ReviewAnswer
from storage.unit_of_work import unit_of_work
from tests.storage.support import NOW, run_at_once

A, B, C = "UREV_A", "UREV_B", "UREV_C"


def draft(session, ws, team, *, status="open", key="D1") -> ProcessDraft:
    row = ProcessDraft(
        workspace_id=ws.id,
        team_id=team.id,
        name="Next",
        definition="{}",
        source_text="",
        author_id="UAUTHOR",
        status=status,
        created_at=NOW,
        updated_at=NOW,
        open_key=key,
    )
    session.add(row)
    session.flush()
    return row


def review(ws, d, key="R1", due=None) -> ProcessReview:
    return ProcessReview(
        workspace_id=ws.id,
        draft_id=d.id,
        part="journey",
        requested_by="UAUTHOR",
        due_on=due,
        opened_at=NOW,
        request_key=key,
    )


def answer(r, who, key, verdict="approve", item="", at=NOW) -> ReviewAnswer:
    return ReviewAnswer(
        review_id=r.id,
        reviewer_id=who,
        verdict=verdict,
        item=item,
        instead="x" if verdict == "suggest" else "",
        answered_at=at,
        answer_key=key,
    )


def test_the_same_request_opens_one_round(session, ws, team):
    d = draft(session, ws, team)
    first, created = rq.open_review(session, review(ws, d), [(A, "rep"), (B, "rep")])
    again, created_again = rq.open_review(session, review(ws, d), [(C, "rep")])
    assert (created, created_again) == (True, False) and again.id == first.id
    assert [r.user_id for r in rq.reviewers_of(session, first.id)] == [A, B]
    assert [r.id for r in rq.open_reviews_of_team(session, team.id)] == [first.id]


def test_the_last_answer_counts_and_a_repeat_is_one(session, ws, team):
    d = draft(session, ws, team)
    r, _ = rq.open_review(session, review(ws, d), [(A, "rep"), (B, "rep"), (C, "manager")])
    first, new = rq.record_answer(session, answer(r, A, "k1", "suggest", "stage:x"))
    assert new
    _, new_again = rq.record_answer(session, answer(r, A, "k1", "suggest", "stage:y"))
    assert not new_again
    second, _ = rq.record_answer(session, answer(r, A, "k2"))
    rq.record_answer(session, answer(r, B, "k3"))
    session.expire_all()
    statuses = {a.id: a.status for a in rq.answers_of(session, [r.id])}
    assert statuses == {first.id: "superseded", second.id: "open", second.id + 1: "open"}
    assert [a.id for a in rq.answers_of(session, [r.id], current_only=True)] == [
        second.id,
        second.id + 1,
    ]
    counts = rq.answer_counts(session, [r.id])
    assert counts[r.id].text() == "2 of 3 answered"


def test_a_suggestion_is_resolved_once(session, ws, team):
    d = draft(session, ws, team)
    r, _ = rq.open_review(session, review(ws, d), [(A, "rep")])
    s, _ = rq.record_answer(session, answer(r, A, "k1", "suggest", "stage:x"))
    assert rq.resolve_suggestion(session, s.id, "dismissed", "UAUTHOR", NOW, "not now")
    assert not rq.resolve_suggestion(session, s.id, "accepted", "UAUTHOR", NOW)
    session.expire_all()
    stored = rq.get_answer(session, s.id)
    assert (stored.status, stored.reason) == ("dismissed", "not now")
    # an accepted suggestion stays accepted when the reviewer answers again
    s2, _ = rq.record_answer(session, answer(r, A, "k2", "suggest", "stage:y"))
    assert rq.resolve_suggestion(session, s2.id, "accepted", "UAUTHOR", NOW)
    rq.record_answer(session, answer(r, A, "k3"))
    session.expire_all()
    assert rq.get_answer(session, s2.id).status == "accepted"


def test_reminders_owed_and_claimed_once(session, ws, team):
    d = draft(session, ws, team)
    due = date(2026, 11, 24)
    r, _ = rq.open_review(session, review(ws, d, due=due), [(A, "rep"), (B, "rep"), (C, "rep")])
    later, _ = rq.open_review(session, review(ws, d, "R2", due=due + timedelta(days=1)), [(A, "")])
    rq.record_answer(session, answer(r, B, "k1"))
    owed = rq.reminders_owed(session, due)
    assert [(o.review.id, o.reviewer.user_id, o.team.id) for o in owed] == [
        (r.id, A, team.id),
        (r.id, C, team.id),
    ]
    assert rq.claim_reminder(session, owed[0].reviewer.id, NOW)
    assert not rq.claim_reminder(session, owed[0].reviewer.id, NOW)
    session.expire_all()
    assert [o.reviewer.user_id for o in rq.reminders_owed(session, due)] == [C]
    assert later.id not in {o.review.id for o in rq.reminders_owed(session, due)}
    draft_queries.close_reviews(session, d.id, NOW)
    assert rq.reminders_owed(session, due + timedelta(days=3)) == []


def test_answers_of_one_person_racing_leave_one_current(database, engine, ws, team, session):
    d = draft(session, ws, team)
    r, _ = rq.open_review(session, review(ws, d), [(A, "rep")])
    session.commit()
    other = database.make_engine()

    def deliver(i):
        with unit_of_work(engine if i % 2 else other) as s:
            rq.record_answer(s, answer(r, A, f"race{i}", at=NOW + timedelta(seconds=i)))

    run_at_once(4, deliver)
    session.expire_all()
    current = rq.answers_of(session, [r.id], current_only=True)
    assert len(current) == 1 and len(rq.answers_of(session, [r.id])) == 4


def test_counts_of_a_round_nobody_answered_and_reminders_of_one_team(session, ws, team):
    d = draft(session, ws, team)
    due = date(2026, 11, 24)
    r, _ = rq.open_review(session, review(ws, d, due=due), [(A, "rep"), (B, "")])
    assert rq.answer_counts(session, [r.id])[r.id].text() == "0 of 2 answered"
    assert rq.answer_counts(session, []) == {}
    assert len(rq.reminders_owed(session, due, team.id)) == 2
    assert rq.reminders_owed(session, due, team.id + 1) == []
