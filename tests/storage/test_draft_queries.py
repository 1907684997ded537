"""storage/draft_queries.py on SQLite and PostgreSQL: one open draft per team, edits keyed on
the submission, closing once."""

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage import db, draft_queries
from storage.models import ProcessDraft
from tests.storage.support import NOW, fresh, make_log


def _draft(ws, team, key="T1", author="U_MGR"):
    return ProcessDraft(
        workspace_id=ws.id,
        team_id=team.id,
        name="Inside sales",
        definition="{}",
        source_text="name: Inside sales\n",
        author_id=author,
        created_at=NOW,
        updated_at=NOW,
        open_key=key,
    )


def test_one_open_draft_per_team_and_the_same_request_opens_one(engine, session, ws, team):
    assert draft_queries.open_draft(session, team.id) is None
    first, created = draft_queries.create_draft(session, _draft(ws, team))
    assert created
    again, created = draft_queries.create_draft(session, _draft(ws, team))
    assert (again.id, created) == (first.id, False)
    other, created = draft_queries.create_draft(session, _draft(ws, team, key="T2"))
    assert (other.id, created) == (first.id, False)
    session.commit()
    with fresh(engine) as s:
        assert draft_queries.open_draft(s, team.id, for_update=True).id == first.id


def test_an_edit_applies_once_per_edit_key(engine, session, ws, team):
    draft, _ = draft_queries.create_draft(session, _draft(ws, team))
    later = NOW + timedelta(minutes=5)
    args = ('{"a": 1}', "a: 1\n", "+ stage Signs NDA", "U_MGR", "V1:sub")
    assert draft_queries.save_edit(session, draft, *args, at=later, name="Renamed")
    assert not draft_queries.save_edit(session, draft, '{"a": 2}', *args[1:], at=later)
    session.commit()
    with fresh(engine) as s:
        row = draft_queries.open_draft(s, team.id)
        assert (row.definition, row.name, row.updated_at.replace(tzinfo=None)) == (
            '{"a": 1}',
            "Renamed",
            later.replace(tzinfo=None),
        )
        edits = draft_queries.edits_of(s, row.id)
        assert [(e.summary, e.edited_by, e.credited_to) for e in edits] == [
            ("+ stage Signs NDA", "U_MGR", None)
        ]


def test_closing_happens_once_and_a_closed_draft_takes_no_edit(engine, session, ws, team):
    draft, _ = draft_queries.create_draft(session, _draft(ws, team))
    assert draft_queries.close_draft(
        session, draft, "published", by="U_MGR", at=NOW, published_version=2
    )
    assert not draft_queries.close_draft(session, draft, "discarded", by="U_MGR", at=NOW)
    assert (draft.status, draft.published_version) == ("published", 2)
    assert not draft_queries.save_edit(session, draft, "{}", "", "x", "U_MGR", "k", at=NOW)
    assert draft_queries.open_draft(session, team.id) is None
    new, created = draft_queries.create_draft(session, _draft(ws, team, key="T3"))
    assert created and new.id != draft.id
    session.commit()
    assert draft_queries.drafts_of(session, [draft.id, new.id]).keys() == {draft.id, new.id}


def test_kpis_in_use_are_those_the_team_logged(session, ws, team):
    session.add(make_log(ws, team, kpi="calls"))
    session.add(make_log(ws, team, kpi="deals"))
    session.commit()
    assert draft_queries.kpis_in_use(session, team.id, ["calls", "sao", "deals"]) == {
        "calls",
        "deals",
    }
    assert draft_queries.kpis_in_use(session, team.id, []) == set()


def test_two_edits_at_once_both_land(engine, ws, team):
    """Each reads the draft for update, appends to it and writes it back: neither is lost."""
    with db.session(engine) as s:
        draft_queries.create_draft(s, _draft(ws, team))
        s.commit()
    barrier = threading.Barrier(2)

    def edit(i: int) -> None:
        with db.session(engine) as s:
            barrier.wait()
            row = draft_queries.open_draft(s, team.id, for_update=True)
            items = json.loads(row.definition or "{}").get("items", [])
            items.append(i)
            draft_queries.save_edit(
                s, row, json.dumps({"items": items}), "", f"edit {i}", "U1", f"k{i}", at=NOW
            )
            s.commit()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with fresh(engine) as s:
        row = draft_queries.open_draft(s, team.id)
        assert sorted(json.loads(row.definition)["items"]) == [0, 1]


def test_a_scheduled_draft_is_the_one_pending_draft_and_is_published_once(
    engine, session, ws, team
):
    draft, _ = draft_queries.create_draft(session, _draft(ws, team))
    day = (NOW + timedelta(days=7)).date()
    assert draft_queries.schedule_draft(session, draft, day, by="U_MGR", at=NOW)
    assert not draft_queries.schedule_draft(session, draft, day, by="U_MGR", at=NOW)
    assert draft_queries.open_draft(session, team.id) is None  # locked: no edits take it
    assert not draft_queries.save_edit(session, draft, "{}", "", "x", "U_MGR", "k", at=NOW)
    # still the team's one pending draft: a new one can't be opened beside it
    again, created = draft_queries.create_draft(session, _draft(ws, team, key="T2"))
    assert (again.id, created) == (draft.id, False)
    assert draft_queries.last_closed_draft(session, team.id) is None
    assert draft_queries.scheduled_due(session, day - timedelta(days=1)) == []
    assert [d.id for d in draft_queries.scheduled_due(session, day, team.id)] == [draft.id]
    session.commit()
    with fresh(engine) as s:
        row = draft_queries.scheduled_draft(s, team.id, for_update=True)
        assert (row.status, row.publish_on, row.closed_by) == ("scheduled", day, "U_MGR")
        claim = dict(by="U_MGR", at=NOW, was=draft_queries.SCHEDULED)
        assert draft_queries.close_draft(s, row, draft_queries.PUBLISHED, **claim)
        assert not draft_queries.close_draft(s, row, draft_queries.PUBLISHED, **claim)
        s.commit()
    with fresh(engine) as s:
        assert draft_queries.scheduled_draft(s, team.id) is None
        assert draft_queries.scheduled_due(s, day) == []
        assert draft_queries.last_closed_draft(s, team.id).status == "published"


def test_the_index_itself_refuses_an_open_draft_beside_a_scheduled_one(engine, session, ws, team):
    draft, _ = draft_queries.create_draft(session, _draft(ws, team))
    draft_queries.schedule_draft(session, draft, NOW.date(), by="U_MGR", at=NOW)
    session.commit()
    with fresh(engine) as s, pytest.raises(IntegrityError):
        s.add(_draft(ws, team, key="T3"))
        s.flush()


def test_a_scheduled_draft_reopens_once_and_only_from_scheduled(engine, session, ws, team):
    draft, _ = draft_queries.create_draft(session, _draft(ws, team))
    assert not draft_queries.reopen_scheduled(session, draft, at=NOW)  # open: nothing to undo
    day = (NOW + timedelta(days=7)).date()
    draft_queries.schedule_draft(session, draft, day, by="U_MGR", at=NOW)
    later = NOW + timedelta(days=7)
    assert draft_queries.reopen_scheduled(session, draft, at=later)
    assert not draft_queries.reopen_scheduled(session, draft, at=later)  # the other clock
    session.commit()
    with fresh(engine) as s:
        row = draft_queries.open_draft(s, team.id)
        assert (row.id, row.publish_on, row.closed_by) == (draft.id, None, None)
        assert draft_queries.scheduled_due(s, day) == []
        assert draft_queries.save_edit(s, row, "{}", "", "x", "U_MGR", "k", at=later)
