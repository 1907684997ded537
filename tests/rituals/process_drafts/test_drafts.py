"""A team's draft: copied from the version in force with the goals in force today, read back,
edited once per submission (SQLite always, PostgreSQL when TEST_DATABASE_URL is set)."""

from datetime import date, timedelta

from rituals.process import default_process, parse_goal
from rituals.process.goal_history import with_goal_change
from rituals.process_drafts import apply_suggestion, diff
from rituals.process_drafts.drafts import draft_process, flattened, open_team_draft, record_edit
from rituals.teams import store_process
from storage import draft_queries
from tests.storage.conftest import database, engine, pg_admin, session, team, ws
from tests.storage.support import NOW, TODAY, fresh

__all__ = ["database", "engine", "pg_admin", "session", "team", "ws"]


def test_a_draft_shows_todays_goals_without_the_dated_history():
    process = with_goal_change(
        default_process(), "sdr", "calls", None, date(2026, 11, 2), by="U1", at=NOW
    )
    process = with_goal_change(
        process, "sdr", "conversations", None, date(2026, 12, 10), by="U1", at=NOW
    )
    process = with_goal_change(
        process, "sdr", "calls", parse_goal("70/day"), date(2026, 11, 9), by="U1", at=NOW
    )
    flat = flattened(process, TODAY)
    assert flat.goal_changes == ()
    assert str(flat.goal_for("sdr", "calls")) == "70/day"
    # a change still to come is not in force today: the draft shows today's goal
    assert str(flat.goal_for("sdr", "conversations")) == "12/day"


def test_open_a_draft_then_edit_it_once_per_submission(engine, session, ws, team):
    store_process(session, default_process(), team=team, loaded_by="cli", change="x", now=NOW)
    draft, created = open_team_draft(session, team, "U_MGR", "trigger-1", NOW, TODAY)
    assert created and draft.base_version == 1 and draft.author_id == "U_MGR"
    same, created = open_team_draft(session, team, "U_MGR", "trigger-1", NOW, TODAY)
    assert same.id == draft.id and not created
    before = draft_process(draft)
    assert diff(default_process(), before) == []
    edited, summary = apply_suggestion(before, "goal:sdr:calls", "80/day")
    later = NOW + timedelta(minutes=1)
    assert record_edit(session, draft, edited, summary, "U_MGR", "view-1", later)
    assert not record_edit(session, draft, edited, summary, "U_MGR", "view-1", later)
    session.commit()
    with fresh(engine) as s:
        row = draft_queries.open_draft(s, team.id)
        assert diff(default_process(), draft_process(row)) == ["goal sdr calls 60/day → 80/day"]
        assert "calls: 80/day" in row.source_text
        assert [e.summary for e in draft_queries.edits_of(s, row.id)] == [summary]
