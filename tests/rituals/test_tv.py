"""The TV's board as plain data (rituals/tv.py): the team's numbers as `/scorecard team` has
them, names from the stored profiles and never an ID, and under `managers` visibility totals
only; the links' tokens."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bench import data
from rituals import tv
from rituals.process import default_process
from rituals.scorecard import period_for
from rituals.team_scorecard import build_team_scorecard
from rituals.teams import team_members
from storage import people_queries
from storage.models import UserProfile
from storage.unit_of_work import unit_of_work

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # Tue 11:00 in New York


@pytest.fixture
def seeded(tmp_path):
    with data.sqlite_engine(str(tmp_path / "tv.db")) as engine:
        ws, team_id = data.add_team(engine)
        roles = data.rep_roles(3)  # two SDRs, an AE
        data.add_reps(engine, ws, team_id, roles)
        data.insert_rows(
            engine, data.log_rows(default_process(), ws, team_id, roles, NOW.date(), 5)
        )
        with unit_of_work(engine) as session:
            for user, name in ((roles[0][0], "Maria <Lopez>"), (roles[1][0], "Dev Patel")):
                session.add(
                    UserProfile(workspace_id=ws, user_id=user, display_name=name, fetched_at=NOW)
                )
        yield engine, team_id, roles  # fmt: skip


def board(engine, team_id, **changes):
    with unit_of_work(engine) as session:
        ctx = tv.context(session, team_id, NOW)
        ctx = dataclasses.replace(ctx, process=dataclasses.replace(ctx.process, **changes))
        return tv.board(session, ctx, NOW)


def test_the_board_has_the_team_scorecards_numbers_and_names(seeded):
    engine, team_id, roles = seeded
    got = board(engine, team_id)
    with unit_of_work(engine) as session:
        process = default_process()
        week = period_for(process, "week", NOW)
        members = team_members(session, team_id, week.start, week.end, week.start)
        team = people_queries.get_team(session, team_id)
        card = build_team_scorecard(
            session, team.workspace_id, team_id, process, members, week, NOW
        )
    lines = [(g.role.key.upper(), line) for g in card.groups for line in g.lines]
    leading = [(r, ln) for r, ln in lines if ln.kind == "leading"]
    assert [(b["role"], b["actual"], b["goal"]) for b in got["bars"]] == [
        (r, ln.pacing.actual, ln.pacing.goal) for r, ln in leading
    ]
    names = [r["name"] for r in got["week"]]
    assert sorted(names) == ["Dev Patel", "Maria <Lopez>", "a teammate"]  # no profile: no ID
    assert not any(user in str(got) for user, _ in roles)
    assert got["names"] is True and got["team"] == "Sales"


def test_managers_visibility_gives_totals_and_no_names(seeded):
    engine, team_id, roles = seeded
    got = board(engine, team_id, visibility="managers")
    assert got["names"] is False and got["today"] == [] and got["week"] == []
    assert got["bars"] and got["lagging"]
    text = str(got)
    assert "Maria" not in text and "Dev Patel" not in text
    assert not any(user in text for user, _ in roles)


def test_time_left_in_words():
    assert tv._left(timedelta(days=3, hours=8, minutes=5)) == "3 d 8 h left"
    assert tv._left(timedelta(hours=2, minutes=30)) == "2 h 30 min left"
    assert tv._left(timedelta(minutes=4)) == "4 min left"
    assert tv._left(timedelta(seconds=-5)) == "0 min left"


def test_tokens_are_random_and_only_their_hash_is_kept():
    assert tv.hash_token("abc") == tv.hash_token("abc") != tv.hash_token("abd")
    assert tv.path_for("tok") == "/tv/tok"
