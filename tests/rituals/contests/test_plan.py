"""rituals/contests/plan.py: a contest spec checked against the team, every problem on its field
(worded as the reply says it: bot/replies.py), and a refused spec stores nothing."""

from datetime import date, timedelta

import pytest

from bot.replies import contest_problem_text
from rituals import contests
from rituals.contests import ContestSpec
from rituals.refusals import Refusal
from storage.models import Contest, ContestEntrant
from tests.rituals.contests.support import (
    AE,
    NOW,
    PROCESS,
    THU,
    TODAY,
    A,
    B,
    C,
    add_member,
    count_rows,
    ny,
    start,
)


@pytest.mark.parametrize(
    ("spec", "field", "words"),
    [
        (ContestSpec("X" * 81, "race", "calls", TODAY, THU), "name", "81 characters"),
        (ContestSpec("Blitz", "race", "dials_x", TODAY, THU), "kpi", "I don't know the KPI"),
        (ContestSpec("Blitz", "race", "calls", TODAY, date(2026, 11, 23)), "end", "before it"),
        (
            ContestSpec("Blitz", "race", "calls", date(2026, 11, 20), date(2026, 11, 23)),
            "start",
            "past",
        ),
        (ContestSpec("Blitz", "target", "calls", TODAY, THU), "target", "needs the number"),
        (
            ContestSpec("Blitz", "teams", "calls", TODAY, THU, groups=(("East", (A, B)),)),
            "groups",
            "two or more groups",
        ),
        (
            ContestSpec(
                "Blitz", "teams", "calls", TODAY, THU, groups=(("East", (A, B)), ("West", (B, C)))
            ),
            "group2",
            "is in two groups",
        ),
        (
            ContestSpec("Blitz", "race", "calls", TODAY, THU, entrants=(A, "U0STRANGER")),
            "entrants",
            "isn't on the team",
        ),
        (
            ContestSpec("Blitz", "race", "calls", TODAY, THU, entrants=(A, AE)),
            "entrants",
            "without Calls / Emails on their scorecard",
        ),
        (ContestSpec("Blitz", "race", "calls", TODAY, TODAY + timedelta(days=100)), "end", "92"),
    ],
)
def test_every_mistake_is_refused_with_its_field_and_nothing_is_stored(
    session, team, reps, spec, field, words
):
    plan = contests.plan_contest(session, team.id, PROCESS, spec, NOW)
    assert any(p.field == field and words in contest_problem_text(p) for p in plan.problems), (
        plan.problems
    )
    with pytest.raises(Refusal, match="No contest started"):
        start(session, team, spec)
    assert count_rows(session, Contest) == 0 and count_rows(session, ContestEntrant) == 0


def test_a_kpi_nobody_on_the_team_tracks_is_refused(session, ws, team):
    add_member(session, ws, team, AE, "ae")
    plan = contests.plan_contest(
        session, team.id, PROCESS, ContestSpec("Blitz", "race", "calls", TODAY, THU), NOW
    )
    assert [p.field for p in plan.problems] == ["kpi"]
    assert "Nobody on the team tracks Calls / Emails" in contest_problem_text(plan.problems[0])


def test_today_after_working_hours_is_refused(session, team, reps):
    evening = ny("2026-11-24T17:30:00")
    plan = contests.plan_contest(
        session, team.id, PROCESS, ContestSpec("Blitz", "race", "calls", TODAY, TODAY), evening
    )
    assert [p.field for p in plan.problems] == ["end"]
    assert "17:00, which is past" in contest_problem_text(plan.problems[0])
