"""rituals/contests/problems.py: what can be wrong with a contest spec, as data: each problem
names its field and carries what its wording needs (bot/replies.py words them in Slack; the
plain-English fallback is checked here), and plan_contest fills that data in."""

import dataclasses
import inspect
from datetime import UTC, date, datetime, time

import pytest

import rituals.contests.problems as p
from rituals import contests
from rituals.contests import ContestSpec
from tests.rituals.contests.support import AE, NOW, PROCESS, THU, TODAY, A, B, start

DAY = date(2026, 11, 20)
EVERY_PROBLEM = [
    (p.NoName("name"), "the contest needs a name"),
    (p.NameTooLong("name", 81, 80), "the name is 81 characters long; 80 at most"),
    (p.UnknownKind("kind", "relay"), "a contest is a race, a target or teams, not 'relay'"),
    (
        p.UnknownKpi("kpi", "dials", ("deals",), ("calls", "deals")),
        "no KPI 'dials' (KPIs: calls, deals)",
    ),
    (p.StartsInThePast("start", DAY, TODAY), "it would start on 2026-11-20, which is past"),
    (
        p.EndsBeforeStart("end", DAY, TODAY),
        "it would end on 2026-11-20, before it starts (2026-11-24)",
    ),
    (p.EndIsPast("end", DAY), "2026-11-20 is past"),
    (
        p.OverBeforeItBegins("end", TODAY, time(17)),
        "working hours on 2026-11-24 end at 17:00, which is past",
    ),
    (p.TooManyDays("end", 101, 92), "101 days; a contest runs 92 days at most"),
    (p.NoTarget("target"), "a target contest needs the number to reach"),
    (
        p.TargetOutOfRange("target", 0, 1_000_000),
        "the target must be a whole number from 1 to 1000000, not 0",
    ),
    (p.UnknownScoring("scoring", "median"), "teams score by sum or average, not 'median'"),
    (p.PrizeTooLong("prize", 301, 300), "the prize is 301 characters; 300 at most"),
    (
        p.NameTaken("name", "Call Blitz", datetime(2026, 11, 26, 17, 0)),
        "a contest called 'Call Blitz' is already running (until 2026-11-26 17:00)",
    ),
    (p.EntrantNotOnTeam("entrants", "U0STRANGER"), "U0STRANGER isn't on the team"),
    (
        p.EntrantDoesNotTrack("entrants", AE, "Account Executive", "Calls / Emails", ("SDR",)),
        f"{AE} doesn't have Calls / Emails on their scorecard",
    ),
    (p.TooFewGroups("groups"), "teams need two or more groups of reps"),
    (p.GroupNameTooLong("groups", 80), "group names are 80 characters at most"),
    (p.GroupNamesClash("groups", "East"), "two groups are called 'East'"),
    (p.EmptyGroup("group2", "West"), "the group 'West' has nobody in it"),
    (p.InTwoGroups("group2", A, "East", "West"), f"{A} is in two groups ('East' and 'West')"),
    (p.NobodyTakesPart("entrants"), "nobody would take part"),
    (p.NobodyTracks("kpi", "Calls / Emails", ("SDR",)), "nobody on the team tracks Calls / Emails"),
]


def test_every_kind_of_problem_is_listed_here():
    kinds = {
        cls
        for _, cls in inspect.getmembers(p, inspect.isclass)
        if issubclass(cls, p.SpecProblem) and cls is not p.SpecProblem
    }
    assert kinds == {type(problem) for problem, _ in EVERY_PROBLEM}


@pytest.mark.parametrize(("problem", "plain"), EVERY_PROBLEM, ids=lambda x: type(x).__name__)
def test_each_problem_is_plain_data_with_a_plain_english_fallback(problem, plain):
    assert isinstance(problem, p.SpecProblem)
    assert problem.plain() == plain and str(problem) == plain
    # Data: equal by value and hashable (so a form can compare and dedupe them), immutable.
    twin = dataclasses.replace(problem)
    assert twin == problem and hash(twin) == hash(problem)
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.field = "other"  # type: ignore[misc]


def test_a_problem_the_wording_does_not_know_still_reads_plainly():
    assert str(p.SpecProblem("prize")) == "the prize is not right"


def test_plan_contest_fills_in_each_problems_data(session, team, reps):
    spec = ContestSpec(
        "X" * 81,
        "race",
        "cals",
        date(2026, 11, 20),
        date(2026, 11, 19),
        target=0,
        prize="P" * 301,
        scoring="median",
    )
    plan = contests.plan_contest(session, team.id, PROCESS, spec, NOW)
    kpis = tuple(k.key for k in PROCESS.kpis)
    assert plan.problems == (
        p.NameTooLong("name", 81, 80),
        p.UnknownKpi("kpi", "cals", ("calls", "talks", "deals"), kpis),
        p.StartsInThePast("start", date(2026, 11, 20), TODAY),
        p.EndsBeforeStart("end", date(2026, 11, 19), date(2026, 11, 20)),
        p.TargetOutOfRange("target", 0, 1_000_000),
        p.UnknownScoring("scoring", "median"),
        p.PrizeTooLong("prize", 301, 300),
    )
    assert not plan.ok and plan.entrants == () and plan.ends_at is None


def test_plan_contest_names_who_cannot_take_part_and_why(session, team, reps):
    spec = ContestSpec("Blitz", "race", "calls", TODAY, THU, entrants=(A, AE, "U0STRANGER"))
    plan = contests.plan_contest(session, team.id, PROCESS, spec, NOW)
    assert plan.problems == (
        p.EntrantDoesNotTrack(
            "entrants", AE, "Account Executive", "Calls / Emails", ("Sales Development Rep",)
        ),
        p.EntrantNotOnTeam("entrants", "U0STRANGER"),
    )
    groups = (("East", (A, B)), ("east", ()), ("West", (B,)))
    spec = ContestSpec("Blitz", "teams", "calls", TODAY, THU, groups=groups)
    plan = contests.plan_contest(session, team.id, PROCESS, spec, NOW)
    assert plan.problems == (
        p.GroupNamesClash("groups", "east"),
        p.EmptyGroup("group2", "east"),
        p.InTwoGroups("group3", B, "East", "West"),
    )


def test_a_name_taken_says_until_when_in_team_time(session, team, reps):
    start(session, team)
    spec = ContestSpec("CALL BLITZ", "race", "calls", TODAY, THU)
    [problem] = contests.plan_contest(session, team.id, PROCESS, spec, NOW).problems
    assert problem == p.NameTaken("name", "Call Blitz", problem.until)
    # Running until its result is settled: Thursday 19:00 in New York (00:00 UTC on Friday).
    assert problem.until == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    assert problem.until.utcoffset().total_seconds() == -5 * 3600  # New York's 19:00
