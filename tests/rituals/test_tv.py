"""The TV's board as plain data (rituals/tv.py): the team's numbers as `/scorecard team` has
them, names from the stored profiles and never an ID, and under `managers` visibility totals
only; the links' tokens."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bench import data
from bot import messages
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


def test_every_figure_is_shown_as_slack_prints_it(seeded):
    """Expected by now has no more decimals than its goal (a goal of 12: 4, not 3.75), as
    `/scorecard team` prints it; the JSON carries whole numbers as integers."""
    engine, team_id, _ = seeded
    got = board(engine, team_id)
    with unit_of_work(engine) as session:
        process = default_process()
        cards = {}
        for kind in ("week", "month"):
            period = period_for(process, kind, NOW)
            members = team_members(session, team_id, period.start, period.end, period.start)
            team = people_queries.get_team(session, team_id)
            cards[kind] = build_team_scorecard(
                session, team.workspace_id, team_id, process, members, period, NOW
            )
    pairs = [
        (bar, line.pacing)
        for key, kind in (("bars", "leading"), ("lagging", "lagging"))
        for bar, line in zip(
            got[key],
            [ln for g in cards["week" if key == "bars" else "month"].groups for ln in g.lines
             if ln.kind == kind],
            strict=True,
        )
    ]  # fmt: skip
    assert any(p.expected != round(p.expected) for _, p in pairs)  # the case in question
    for bar, p in pairs:
        assert p.decimals == 0 and p.goal == round(p.goal)  # the default goals are whole
        for key, value in (("goal", p.goal), ("expected", p.expected)):
            assert type(bar[key]) is int, bar
            assert str(bar[key]) == messages.figure(value, p.decimals).replace(",", ""), bar
        assert type(bar["actual"]) is int and bar["actual"] == p.actual


def test_one_place_shows_the_figures():
    assert tv.figure(4.6875, 0) == 5 and type(tv.figure(4.6875, 0)) is int  # goal 15, 31% gone
    assert tv.figure(2.5, 0) == 3  # half up, as Slack rounds a goal
    assert tv.figure(3.125, 1) == 3.1  # a goal stated as 12.5 a week
    assert tv.figure(0.3, 0) == 0.3  # a small goal never shows as 0
    assert tv.figure(243.0) == 243 and type(tv.figure(243.0)) is int
    assert tv.figure(4.6667) == 4.67 and tv.figure(183.44) == 183.4  # a count, as Slack's
    assert tv.figure(None) is None and tv.figure(None, 0) is None


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
