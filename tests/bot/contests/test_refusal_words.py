"""The Slack words of the contest refusals and of a contest spec's problems (bot/replies.py's
contests section): every problem has its words, which name people as mentions or as the form's
cached names; the suggestion refusals say who decided and when; the plain fallbacks have no
Slack markup."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.replies import contest_problem_text, explain
from rituals.contests import problems as p
from rituals.refusals import (
    ContestNotStarted,
    ContestNotStored,
    SuggestionDecided,
    SuggestionGone,
    SuggestionOfAnotherTeam,
)

NY = ZoneInfo("America/New_York")
TUE, THU = date(2026, 11, 24), date(2026, 11, 26)
ONE_OF_EACH = [
    p.NoName("name"),
    p.NameTooLong("name", 81, 80),
    p.UnknownKind("kind", "sprint"),
    p.UnknownKpi("kpi", "cals", ("calls",), ("calls", "deals")),
    p.StartsInThePast("start", date(2026, 11, 20), TUE),
    p.EndsBeforeStart("end", date(2026, 11, 23), TUE),
    p.EndIsPast("end", date(2026, 11, 23)),
    p.OverBeforeItBegins("end", TUE, time(17, 0)),
    p.TooManyDays("end", 101, 92),
    p.NoTarget("target"),
    p.TargetOutOfRange("target", 0, 1_000_000),
    p.UnknownScoring("scoring", "median"),
    p.PrizeTooLong("prize", 301, 300),
    p.NameTaken("name", "R&D Push", datetime(2026, 11, 26, 17, 0, tzinfo=NY)),
    p.EntrantNotOnTeam("entrants", "U0NOBODY1"),
    p.EntrantDoesNotTrack("entrants", "U0AE00001", "Account Executive", "Calls", ("SDR",)),
    p.TooFewGroups("groups"),
    p.GroupNameTooLong("groups", 80),
    p.GroupNamesClash("groups", "East"),
    p.EmptyGroup("group2", "West"),
    p.InTwoGroups("group2", "U0SDR0002", "East", "West"),
    p.NobodyTakesPart("entrants"),
    p.NobodyTracks("kpi", "Calls", ()),
]


def test_every_spec_problem_has_its_words_and_a_plain_fallback():
    kinds = set(p.SpecProblem.__subclasses__())
    assert {type(problem) for problem in ONE_OF_EACH} == kinds
    for problem in ONE_OF_EACH:
        assert contest_problem_text(problem).strip(), problem
        assert not any(mark in problem.plain() for mark in ("`", "<@", "*")), problem
    with pytest.raises(TypeError):
        contest_problem_text(p.SpecProblem("name"))


def test_the_words_of_a_few_problems():
    assert contest_problem_text(ONE_OF_EACH[3]) == (
        "I don't know the KPI `cals`. Did you mean `calls`? KPIs: `calls`, `deals`."
    )
    assert contest_problem_text(ONE_OF_EACH[13]) == (
        "A contest called “R&amp;D Push” is already running (until Thu 26 Nov 17:00). Pick "
        "another name, or end it first with `/contest end R&amp;D Push`."
    )
    assert contest_problem_text(ONE_OF_EACH[15]) == (
        "<@U0AE00001> is an Account Executive without Calls on their scorecard, so they "
        "couldn't log it. Calls is on the SDR scorecard; leave them out or pick a KPI they track."
    )
    named = contest_problem_text(ONE_OF_EACH[20], lambda user_id: "Sam Ray")
    assert named == "Sam Ray is in two groups (“East” and “West”): a rep plays for one group."
    assert contest_problem_text(ONE_OF_EACH[22]).startswith(
        "Nobody on the team tracks Calls: No role has Calls on its scorecard, and no rep"
    )


def test_a_refused_contest_lists_each_problem_once():
    one = ContestNotStarted((p.NoName("name"),))
    assert explain(one) == 'No contest started: Give the contest a name, e.g. "Call Blitz".'
    two = ContestNotStarted((p.NoName("name"), p.NobodyTakesPart("entrants"), p.NoName("name")))
    assert explain(two) == (
        'No contest started:\n• Give the contest a name, e.g. "Call Blitz".\n'
        "• Nobody would take part."
    )
    assert str(two).startswith("No contest started: ") and "`" not in str(two)


def test_a_suggestion_that_cannot_be_launched_says_why():
    at = datetime(2026, 11, 24, 11, 0, tzinfo=NY)
    assert explain(SuggestionGone()) == "That suggestion no longer exists, so nothing was started."
    assert explain(SuggestionOfAnotherTeam()) == (
        "That suggestion belongs to another team, so nothing was started."
    )
    assert explain(SuggestionDecided("launched", "U0MGR0001", at, "Calls catch-up")) == (
        "This suggestion was already launched by <@U0MGR0001> on Tue 24 Nov 11:00 (“Calls "
        "catch-up”), so nothing new was started. See it with `/contest standings`."
    )
    assert explain(SuggestionDecided("dismissed", None, None)) == (
        "This suggestion was dismissed by Pacer on earlier, so nothing was started. Start one "
        "yourself with `/contest start`."
    )
    assert explain(ContestNotStored(), "/contest") == (
        "That contest could not be stored just now; nothing changed. Try again. "
        "`/contest help` shows every form."
    )
