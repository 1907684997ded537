"""storage/coaching_queries.py on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL
is set): sessions keyed on Slack's trigger_id, notes unique on the message, the thread lookup,
the cadence in one statement, and writes that leave committing to the unit of work."""

from datetime import timedelta

from storage import coaching_queries, people_queries
from storage.unit_of_work import unit_of_work
from tests.storage.coaching_support import A, B, C, coaching_session, note
from tests.storage.support import NOW, Statements, run_at_once


def test_the_same_open_key_opens_one_session(session, ws, team):
    first, created = coaching_queries.open_session(session, coaching_session(ws, team, key="T1"))
    again, created_again = coaching_queries.open_session(
        session, coaching_session(ws, team, B, key="T1")
    )
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.rep_id == A
    assert coaching_queries.count_sessions_for_rep(session, ws.id, A) == 1
    assert coaching_queries.count_sessions_for_rep(session, ws.id, B) == 0


def test_find_by_thread_and_the_last_posted_session(session, ws, team):
    old, _ = coaching_queries.open_session(
        session, coaching_session(ws, team, at=NOW - timedelta(days=20), ts="1700000000.000100")
    )
    newer, _ = coaching_queries.open_session(
        session, coaching_session(ws, team, at=NOW - timedelta(days=5), ts="1700000500.000100")
    )
    unposted, _ = coaching_queries.open_session(
        session, coaching_session(ws, team, at=NOW - timedelta(days=1))
    )
    assert coaching_queries.find_by_thread(session, "C0COACH", "1700000000.000100").id == old.id
    assert coaching_queries.find_by_thread(session, "C0OTHER", "1700000000.000100") is None
    assert coaching_queries.find_by_thread(session, "C0COACH", "1700000000.000200") is None
    assert coaching_queries.last_session(session, ws.id, A).id == newer.id  # not the unposted
    assert coaching_queries.last_session(session, ws.id, A, before=newer.opened_at).id == old.id
    assert coaching_queries.last_session(session, ws.id, B) is None
    newest_first = coaching_queries.sessions_for_rep(session, ws.id, A)
    assert [r.id for r in newest_first] == [unposted.id, newer.id, old.id]
    assert [r.id for r in coaching_queries.sessions_for_rep(session, ws.id, A, 1)] == [unposted.id]


def test_a_note_delivered_twice_is_stored_once(session, ws, team):
    row, _ = coaching_queries.open_session(session, coaching_session(ws, team, ts="1.000100"))
    assert coaching_queries.insert_note(session, note(row, "2.000100", "call Acme", action=True))
    assert not coaching_queries.insert_note(session, note(row, "2.000100", "call Acme"))
    assert coaching_queries.insert_note(session, note(row, "2.000200", "second"))
    notes = coaching_queries.notes_for_sessions(session, [row.id])[row.id]
    assert [(n.message_ts, n.text, n.is_action) for n in notes] == [
        ("2.000100", "call Acme", True),
        ("2.000200", "second", False),
    ]


def test_two_deliveries_racing_store_one_note(database, engine, ws, team, session):
    row, _ = coaching_queries.open_session(session, coaching_session(ws, team, ts="1.000100"))
    session.commit()  # the thread is posted and recorded before any reply arrives
    other = database.make_engine()

    def deliver(i):  # each delivery in its own unit of work, as the event listener runs it
        with unit_of_work(engine if i % 2 else other) as s:
            return coaching_queries.insert_note(s, note(row, "3.000100", f"delivery {i}"))

    assert sorted(run_at_once(4, deliver)) == [False, False, False, True]
    assert len(coaching_queries.notes_for_sessions(session, [row.id])[row.id]) == 1


def test_edits_and_deletions_follow_the_thread(session, ws, team):
    row, _ = coaching_queries.open_session(session, coaching_session(ws, team, ts="1.000100"))
    coaching_queries.insert_note(session, note(row, "2.000100", "typo"))
    assert coaching_queries.update_note(session, row.id, "2.000100", "fixed", True)
    assert not coaching_queries.update_note(session, row.id, "9.000100", "nothing", False)
    [edited] = coaching_queries.notes_for_sessions(session, [row.id])[row.id]
    assert (edited.text, edited.is_action) == ("fixed", True)
    assert coaching_queries.delete_note(session, row.id, "2.000100")
    assert not coaching_queries.delete_note(session, row.id, "2.000100")
    assert coaching_queries.notes_for_sessions(session, [row.id]) == {row.id: []}


def test_notes_for_many_sessions_in_one_statement(session, ws, team, engine):
    rows = [
        coaching_queries.open_session(session, coaching_session(ws, team, rep, ts=f"1.{i:06d}"))[0]
        for i, rep in enumerate([A, B, C])
    ]
    for i, row in enumerate(rows):
        for j in range(i):
            coaching_queries.insert_note(session, note(row, f"5.{j:06d}"))
    with Statements(engine) as statements:
        found = coaching_queries.notes_for_sessions(session, [r.id for r in rows])
    assert len(statements) == 1
    assert [len(found[r.id]) for r in rows] == [0, 1, 2]


def test_cadence_counts_posted_sessions_in_one_statement(session, ws, team, engine):
    days = [40, 27, 10, 2]  # A: one before the 4-week window, three inside it
    for d in days:
        coaching_queries.open_session(
            session, coaching_session(ws, team, at=NOW - timedelta(days=d), ts=f"{d}.000100")
        )
    coaching_queries.open_session(session, coaching_session(ws, team, at=NOW))  # never posted
    coaching_queries.open_session(  # after "until": not yet
        session, coaching_session(ws, team, B, at=NOW + timedelta(days=1), ts="7.000100")
    )
    with Statements(engine) as statements:
        found = coaching_queries.cadence(session, ws.id, [A, B, C], NOW - timedelta(weeks=4), NOW)
    assert len(statements) == 1
    assert found == {A: coaching_queries.Cadence(3, NOW - timedelta(days=2))}


def test_two_requests_racing_open_one_session(database, engine, ws, team, session):
    session.commit()  # the workspace and team, for every connection
    other = database.make_engine()

    def open_once(i):  # the same /coach delivered four times at once, each in its own request
        with unit_of_work(engine if i % 2 else other) as s:
            row, created = coaching_queries.open_session(s, coaching_session(ws, team, key="T9"))
            return row.id, created

    opened = run_at_once(4, open_once)
    assert sorted(created for _, created in opened) == [False, False, False, True]
    assert len({row_id for row_id, _ in opened}) == 1
    with unit_of_work(engine) as s:
        assert coaching_queries.count_sessions_for_rep(s, ws.id, A) == 1


def test_writes_wait_for_the_unit_of_work_and_a_duplicate_ends_nothing(engine, ws, team, session):
    session.commit()  # the workspace and team, for every connection
    with unit_of_work(engine) as s:
        row, _ = coaching_queries.open_session(s, coaching_session(ws, team, key="T1"))
        _, again = coaching_queries.open_session(s, coaching_session(ws, team, key="T1"))
        assert coaching_queries.insert_note(s, note(row, "2.000100"))
        assert not coaching_queries.insert_note(s, note(row, "2.000100"))
        assert coaching_queries.insert_note(s, note(row, "2.000200"))  # the transaction goes on
        row.thread_ts = "1.000100"
        coaching_queries.save_session(s, row)
        coaching_queries.set_coaching_channel(s, people_queries.get_team(s, team.id), "C0COACH")
        s.rollback()  # what a refused request's unit of work does: nothing above was committed
    assert not again
    with unit_of_work(engine) as s:
        assert coaching_queries.count_sessions_for_rep(s, ws.id, A) == 0
        assert coaching_queries.totals(s) == coaching_queries.Totals(0, 0, 0)
        assert people_queries.get_team(s, team.id).coaching_channel_id is None
    with unit_of_work(engine) as s:
        row, _ = coaching_queries.open_session(s, coaching_session(ws, team, key="T1"))
        coaching_queries.insert_note(s, note(row, "2.000100"))
        coaching_queries.insert_note(s, note(row, "2.000100"))
        coaching_queries.insert_note(s, note(row, "2.000200", action=True))
        coaching_queries.update_note(s, row.id, "2.000100", "edited", False)
    with unit_of_work(engine) as s:  # committed once, when the unit of work ended
        assert coaching_queries.totals(s) == coaching_queries.Totals(1, 2, 1)
        texts = [n.text for n in coaching_queries.notes_for_sessions(s, [row.id])[row.id]]
        assert texts == ["edited", "a note"]


def test_totals_count_sessions_notes_and_action_items_in_one_statement(session, ws, team, engine):
    assert coaching_queries.totals(session) == coaching_queries.Totals(0, 0, 0)
    posted, _ = coaching_queries.open_session(session, coaching_session(ws, team, ts="1.000100"))
    coaching_queries.open_session(session, coaching_session(ws, team, B))  # never posted
    coaching_queries.insert_note(session, note(posted, "2.000100"))
    coaching_queries.insert_note(session, note(posted, "2.000200", action=True))
    with Statements(engine) as statements:
        found = coaching_queries.totals(session)
    assert len(statements) == 1
    assert found == coaching_queries.Totals(sessions=2, notes=2, actions=1)


def test_an_action_item_is_marked_done_once_even_pressed_twice_at_once(
    database, engine, ws, team, session
):
    row, _ = coaching_queries.open_session(session, coaching_session(ws, team, ts="1.000100"))
    coaching_queries.insert_note(session, note(row, "2.000100", "call Acme", action=True))
    coaching_queries.insert_note(session, note(row, "2.000200", "just a note"))
    session.commit()
    item = coaching_queries.note_by_message(session, row.id, "2.000100")
    plain = coaching_queries.note_by_message(session, row.id, "2.000200")
    assert not coaching_queries.mark_done(session, plain.id, A, NOW)  # not an action item
    session.commit()
    engines = [engine, database.make_engine()]

    def press(i):
        with unit_of_work(engines[i]) as s:
            return coaching_queries.mark_done(s, item.id, [A, B][i], NOW + timedelta(minutes=i))

    assert sorted(run_at_once(2, press)) == [False, True]
    with unit_of_work(engine) as s:
        done = coaching_queries.get_note(s, item.id)
        assert done.done_at is not None and done.done_by in (A, B)
        assert coaching_queries.get_note(s, plain.id).done_at is None
