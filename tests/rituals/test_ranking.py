"""Stack rankings, overall attainment and movers as pure data (no database, no clock); then team
results on a real database, against the team's numbers computed by hand
(tests/storage/team_numbers_support.py), in two queries (the logs, the days away)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rituals import scorecard
from rituals.digests import goal_hits, movers, team_lines
from rituals.pacing import STATUS_NO_GOAL, Period, compute_pacing
from rituals.process import default_process, load_process_dict
from rituals.process.scoring import Scoring
from rituals.ranking import (
    GoalScaler,
    Ranked,
    RepResult,
    by_name,
    rank,
    results_from_totals,
    team_reps,
    team_results,
    windows,
)
from storage.models import Member
from tests.storage.support import NOW, Statements
from tests.storage.team_numbers_support import (
    AE1,
    AE2,
    LAST_WEEK,
    PROCESS,
    SDR1,
    SDR2,
    SDR3,
    THIS_WEEK,
    add_data,
    add_members,
    add_other_workspace,
)


def result(rep_id: str, role: str = "sdr", **lines: tuple[float, float | None]) -> RepResult:
    """RepResult("U1", calls=(actual, goal), ...) with the period over (elapsed 1.0)."""
    return RepResult(rep_id, role, {k: compute_pacing(a, g, 1.0) for k, (a, g) in lines.items()})


def table(ranking: list[Ranked]) -> list[tuple[int, str, float | None]]:
    return [(r.rank, r.rep_id, r.value) for r in ranking]


def test_ties_share_a_rank_and_the_next_rank_skips():
    results = [
        result("U_D", calls=(30, 60)),
        result("U_A", calls=(90, 60)),
        result("U_C", calls=(45, 60)),
        result("U_B", calls=(45, 60)),
    ]
    assert table(rank(results, "calls")) == [
        (1, "U_A", 1.5),
        (2, "U_B", 0.75),  # a tie is listed by rep ID
        (2, "U_C", 0.75),
        (4, "U_D", 0.5),
    ]


def test_every_rep_tied_shares_first_place():
    results = [result(f"U_{c}", calls=(10, 20)) for c in "CBA"]
    assert [(r.rank, r.rep_id) for r in rank(results, "calls")] == [
        (1, "U_A"),
        (1, "U_B"),
        (1, "U_C"),
    ]


def test_ties_are_decided_on_the_figure_as_shown():
    # Issue 12: 299 of 300 and 2 of 3 were ranked apart though both read "99%" and "66%".
    results = [
        result("U_A", calls=(2, 3)),  # 66.67%: shown 66%
        result("U_B", calls=(0.665, 1)),  # 66.5%: shown 66%
        result("U_C", calls=(0.67, 1)),  # 67%
        result("U_D", calls=(299, 300)),  # 99.67%: shown 99%
        result("U_E", calls=(0.99, 1)),  # 99%
        result("U_F", calls=(300, 300.00000000001)),  # 100% but for float noise
        result("U_G", calls=(1, 1)),
    ]
    assert [(r.rank, r.rep_id, r.shown) for r in rank(results, "calls")] == [
        (1, "U_F", 100),
        (1, "U_G", 100),
        (3, "U_D", 99),
        (3, "U_E", 99),
        (5, "U_C", 67),
        (6, "U_A", 66),
        (6, "U_B", 66),
    ]


def test_within_a_tie_reps_are_listed_by_name():
    results = [
        result("U_1", calls=(60, 60)),
        result("U_2", calls=(61, 60)),  # 101%
        result("U_3", calls=(60, 60)),
        result("U_4", calls=(30, 60)),
        result("U_5", calls=(30, None)),
        result("U_6", calls=(30, None)),
    ]
    names = {"U_1": "zoë", "U_3": "Adam", "U_4": "Bea", "U_5": "Yann", "U_6": "Xavi"}
    assert table_of(rank(results, "calls", names=names)) == [
        (1, "U_2"),
        (2, "U_3"),  # Adam before zoë: by name, whatever the case, not by ID
        (2, "U_1"),
        (4, "U_4"),
        (5, "U_6"),  # no goal: last, by name too
        (5, "U_5"),
    ]
    # Without names (the ranking is built before Slack says who is who) by ID; by_name then
    # reorders each tie once the names are known, and changes no rank.
    by_id = rank(results, "calls")
    assert table_of(by_id)[1:3] == [(2, "U_1"), (2, "U_3")]
    assert table_of(by_name(by_id, names)) == table_of(rank(results, "calls", names=names))
    # a name Slack does not know sorts by its ID, among the names
    assert table_of(by_name(by_id, {"U_1": "Zed"}))[1:3] == [(2, "U_3"), (2, "U_1")]


def table_of(ranking):
    return [(r.rank, r.rep_id) for r in ranking]


def test_count_ranks_raw_actuals_and_attainment_is_fair_across_quotas():
    results = [
        result("U_BIG", calls=(80, 100)),  # more calls, but 80% of a bigger quota
        result("U_SMALL", calls=(60, 50)),  # fewer calls, 120% of a smaller quota
    ]
    assert table(rank(results, "calls")) == [(1, "U_SMALL", 1.2), (2, "U_BIG", 0.8)]
    assert table(rank(results, "calls", by="count")) == [(1, "U_BIG", 80.0), (2, "U_SMALL", 60.0)]
    assert rank(results, "calls") == rank(results, "calls", by="attainment")


def test_count_ranks_reps_without_a_goal_too():
    results = [result("U_A", calls=(5, None)), result("U_B", calls=(7, 60))]
    assert table(rank(results, "calls", by="count")) == [(1, "U_B", 7.0), (2, "U_A", 5.0)]


def test_only_reps_with_the_kpi_on_their_scorecard_take_part():
    results = [
        result("U_SDR", calls=(10, 60), sao=(1, 6)),
        result("U_AE", "ae", deals=(2, 4), proposals=(3, 5)),
    ]
    assert [r.rep_id for r in rank(results, "calls")] == ["U_SDR"]
    assert [r.rep_id for r in rank(results, "deals", by="count")] == ["U_AE"]
    assert rank(results, "roi_discussions") == []


def test_reps_without_a_value_come_last_by_rep_id_after_every_ranked_rep():
    results = [
        result("U_Z", calls=(0, 60)),
        result("U_N2", calls=(9, None)),
        result("U_A", calls=(30, 60)),
        result("U_N1", calls=(3, None)),
    ]
    ranking = rank(results, "calls")
    assert table(ranking) == [
        (1, "U_A", 0.5),
        (2, "U_Z", 0.0),  # zero attainment is a value, ranked
        (3, "U_N1", None),
        (3, "U_N2", None),
    ]
    assert [r.ranked for r in ranking] == [True, True, False, False]
    assert all(r.result.rep_id == r.rep_id for r in ranking)


def test_overall_is_the_mean_over_kpis_with_a_goal_each_capped_at_150_percent():
    rep = result("U_A", calls=(120, 60), conversations=(0, 12), sao=(3, None))
    assert rep.overall == pytest.approx((1.5 + 0.0) / 2)  # 200% counts as 150%, no goal skipped
    # Issue 12: one SAO on a small goal (1 of 0.29: 345%) put a rep at the top at 166%.
    lucky = result("U_L", calls=(30, 60), conversations=(6, 12), sao=(1, 0.29))
    assert lucky.overall == pytest.approx((0.5 + 0.5 + 1.5) / 3)
    assert result("U_B", calls=(5, None)).overall is None
    assert result("U_C").overall is None
    # a goal scaled to 0 (a day off) is no goal: nothing to attain
    assert result("U_D", calls=(4, 0.0), sao=(1, 2)).overall == pytest.approx(0.5)


def test_rank_without_a_kpi_goes_by_overall_attainment():
    results = [
        result("U_A", calls=(60, 60), sao=(0, 6)),  # 0.5
        result("U_B", calls=(30, 60), sao=(6, 6)),  # 0.75
        result("U_C", calls=(30, 60), sao=(0, 6)),  # 0.25
        result("U_D", calls=(10, None)),  # no goal
        result("U_E", "ae", deals=(2, 4), proposals=(5, 5)),  # 0.75
    ]
    assert table(rank(results)) == [
        (1, "U_B", 0.75),
        (1, "U_E", 0.75),
        (3, "U_A", 0.5),
        (4, "U_C", 0.25),
        (5, "U_D", None),
    ]


def test_rank_refuses_a_count_across_kpis_and_unknown_orders():
    results = [result("U_A", calls=(1, 60))]
    with pytest.raises(ValueError, match="needs a KPI"):
        rank(results, None, by="count")
    with pytest.raises(ValueError, match="rank by"):
        rank(results, "calls", by="speed")
    assert rank([], "calls") == [] and rank([]) == []


def test_hits_allow_float_noise_at_exactly_the_goal():
    rep = result("U_A", calls=(300, 300.00000000001), sao=(0.99, 1), deals=(1, None))
    assert rep.hits() == ("calls",)
    assert rep.goals() == ("calls", "sao")
    hits = goal_hits([rep, result("U_B", calls=(60, 60)), result("U_C", calls=(1, 60))])
    assert [(h.rep_id, h.kpis, h.all_goals) for h in hits] == [
        ("U_A", ("calls",), False),
        ("U_B", ("calls",), True),
    ]


def test_movers_are_the_largest_changes_at_most_three_each_way():
    before = [
        result(f"U_{i}", calls=(a, 100)) for i, a in enumerate([10, 20, 30, 40, 50, 60, 70, 80])
    ] + [
        result("U_NEW", calls=(5, None)),
        result("U_SAME", calls=(50, 100)),
        result("U_NOISE", calls=(0.1 + 0.2, 1)),  # 0.30000000000000004
    ]
    after = [
        result("U_0", calls=(50, 100)),  # +0.4
        result("U_1", calls=(90, 100)),  # +0.7
        result("U_2", calls=(40, 100)),  # +0.1
        result("U_3", calls=(80, 100)),  # +0.4, ties U_0: by rep ID
        result("U_4", calls=(20, 100)),  # -0.3
        result("U_5", calls=(50, 100)),  # -0.1
        result("U_6", calls=(0, 100)),  # -0.7
        result("U_7", calls=(40, 100)),  # -0.4
        result("U_NEW", calls=(50, 100)),  # no attainment before: not a mover
        result("U_SAME", calls=(50, 100)),  # unchanged: not a mover
        result("U_NOISE", calls=(0.3, 1)),  # unchanged but for float noise: not a mover
        result("U_LATE", calls=(50, 100)),  # not in the week before
    ]
    risers, fallers = movers(before, after)
    assert [(m.rep_id, round(m.change, 4)) for m in risers] == [
        ("U_1", 0.7),
        ("U_0", 0.4),
        ("U_3", 0.4),
    ]
    assert [(m.rep_id, round(m.change, 4)) for m in fallers] == [
        ("U_6", -0.7),
        ("U_7", -0.4),
        ("U_4", -0.3),
    ]
    assert (risers[0].before, risers[0].after) == (0.2, 0.9)
    assert movers([], after) == ([], [])
    noisy = movers([result("U_N", calls=(0.1 + 0.2, 1))], [result("U_N", calls=(0.3, 1))])
    assert noisy == ([], [])  # 0.30000000000000004 -> 0.3 is no change
    # nor is a change the figures don't show: 100.2% -> 100.8% reads "100% → 100%"
    assert movers([result("U_S", calls=(1002, 1000))], [result("U_S", calls=(1008, 1000))]) == (
        [],
        [],
    )


def test_team_lines_sum_actuals_of_reps_with_the_kpi_and_goals_of_those_with_one():
    process = default_process()
    results = [
        result("U_A", calls=(60, 60), sao=(1, 6)),
        result("U_B", calls=(30, 50), sao=(0, None)),
        result("U_C", "ae", deals=(2, 4)),
    ]
    kpis = [
        process.kpi("calls"),
        process.kpi("sao"),
        process.kpi("deals"),
        process.kpi("proposals"),
    ]
    lines = {line.kpi: line for line in team_lines(process, results, kpis)}
    assert (lines["calls"].reps, lines["calls"].pacing.actual, lines["calls"].pacing.goal) == (
        2,
        90,
        110,
    )
    assert (lines["sao"].pacing.actual, lines["sao"].pacing.goal) == (1, 6)
    assert (lines["deals"].kind, lines["deals"].pacing.attainment) == ("lagging", 0.5)
    assert (lines["proposals"].reps, lines["proposals"].pacing.status) == (0, STATUS_NO_GOAL)


def test_team_reps_are_active_members_with_a_role_in_the_process_once_each():
    process = default_process()

    def member(user_id, role, active=True, is_manager=False):
        return Member(
            workspace_id=1,
            team_id=1,
            user_id=user_id,
            role=role,
            active=active,
            is_manager=is_manager,
            added_by="U_ADMIN",
            added_at=NOW,
        )

    members = [
        member("U_B", "SDR"),  # role keys match case-insensitively
        member("U_MGR", None, is_manager=True),
        member("U_GONE", "sdr", active=False),
        member("U_SE", "sales_engineer"),
        member("U_A", "ae", is_manager=True),  # a manager who also sells is a rep
        member("U_B", "sdr"),
    ]
    assert [(m.user_id, r.key) for m, r in team_reps(process, members)] == [
        ("U_B", "sdr"),
        ("U_A", "ae"),
    ]


def test_goal_scaler_uses_the_reps_override_first():
    data = default_process().to_dict()
    data["overrides"] = {"ULOW": {"calls": "50/day"}}
    process = load_process_dict(data)
    scaler = GoalScaler(process)
    week = Period("week", NOW.date().replace(day=23), NOW.date().replace(day=29))
    sdr = process.role("sdr")
    # The week of Thanksgiving (Thu 26 Nov, a US public holiday): four working days.
    assert scaler.goal(sdr, "calls", "U_ANY", week) == 240
    assert scaler.goal(sdr, "calls", "ULOW", week) == 200
    assert scaler.goal(sdr, "deals", "U_ANY", week) is None  # not on the SDR scorecard


# -- team results on stored numbers -------------------------------------------------------------


@pytest.fixture
def other_ws(session):
    return add_other_workspace(session)


@pytest.fixture
def members(session, ws, team) -> list[Member]:
    return add_members(session, ws, team)


@pytest.fixture
def data(session, ws, team, other_ws, members) -> list[Member]:
    return add_data(session, ws, team, other_ws, members)


def test_team_results_match_each_reps_scorecard(engine, session, ws, data):
    with Statements(engine) as sql:
        results = team_results(session, ws.id, PROCESS, data, THIS_WEEK, NOW)
    assert len(sql) == 2  # the logs, and the same reps' days away
    assert [(r.rep_id, r.role) for r in results] == [
        (SDR1, "sdr"),
        (SDR2, "sdr"),
        (SDR3, "sdr"),  # its role was stored as "SDR"
        (AE1, "ae"),
        (AE2, "ae"),
    ]  # the manager, the removed rep and the unknown role are no one's rep
    for result, member in zip(results, data, strict=False):
        card = scorecard.build_scorecard(session, ws.id, PROCESS, member, THIS_WEEK, NOW)
        assert result.lines == {line.kpi.key: line.pacing for line in card.lines}
    sdr2 = results[1].lines["calls"]
    assert (sdr2.actual, sdr2.goal, sdr2.expected) == (50, 250, 62.5)  # the override's 50/day


def test_team_results_for_nobody_issue_no_query(engine, session, ws):
    with Statements(engine) as sql:
        assert team_results(session, ws.id, PROCESS, [], THIS_WEEK, NOW) == []
    assert len(sql) == 0


def test_ranks_by_count_and_by_attainment_on_stored_numbers(session, ws, data):
    results = team_results(session, ws.id, PROCESS, data, LAST_WEEK, NOW)
    # calls last week: SDR1 150/300, SDR2 250/250 (override), SDR3 150/300
    assert [(r.rank, r.rep_id, r.value) for r in rank(results, "calls", by="count")] == [
        (1, SDR2, 250.0),
        (2, SDR1, 150.0),
        (2, SDR3, 150.0),
    ]
    assert [(r.rank, r.rep_id, r.value) for r in rank(results, "calls")] == [
        (1, SDR2, 1.0),
        (2, SDR1, 0.5),
        (2, SDR3, 0.5),
    ]


# -- the overall score: weights, cap, scale (issue 12) -------------------------------------------

WEEK = Period("week", NOW.date().replace(day=23), NOW.date().replace(day=29))


def _rep(user_id: str, role: str) -> Member:
    return Member(
        workspace_id=1, team_id=1, user_id=user_id, role=role, added_by="U_ADMIN", added_at=NOW
    )


def _weekly(process, totals_by_rep, period=WEEK, now=NOW):
    """results_from_totals for the reps in ``totals_by_rep``, the week's logs all on its Monday
    (so the month to date holds them too)."""
    reps = team_reps(process, [_rep(u, r) for u, (r, _) in totals_by_rep.items()])
    week_totals = {u: t for u, (_, t) in totals_by_rep.items()}
    totals = {w: week_totals for w in windows(process, reps, period, now)}
    return {r.rep_id: r for r in results_from_totals(process, reps, period, now, totals)}


def test_a_week_is_scored_on_its_daily_and_weekly_goals_not_on_a_share_of_a_monthly_one():
    # SDR in Thanksgiving week (4 working days): calls 60/day (240), conversations 12/day (48),
    # meetings 8/week, sao 6/month
    results = _weekly(
        default_process(),
        {
            "U_LUCKY": (
                "sdr",
                {"calls": 120, "conversations": 24, "meetings_scheduled": 4, "sao": 2},
            ),
            "U_STEADY": ("sdr", {"calls": 240, "conversations": 48, "meetings_scheduled": 8}),
        },
    )
    lucky = results["U_LUCKY"]
    assert lucky.lines["sao"].period.kind == "month"  # shown month to date: 2 of 6
    assert (lucky.lines["sao"].actual, lucky.lines["sao"].goal) == (2, 6)
    assert lucky.scored() == {"calls": 0.5, "conversations": 0.5, "meetings_scheduled": 0.5}
    assert lucky.overall == pytest.approx(0.5)  # the SAOs count in the month's score
    assert results["U_STEADY"].overall == pytest.approx(1.0)
    assert lucky.goals() == ("calls", "conversations", "meetings_scheduled")


def test_a_rep_whose_goals_are_all_longer_than_the_period_is_scored_on_them_to_date():
    data = default_process().to_dict()
    data["roles"][1]["goals"] = {"proposals": "20/month", "deals": "4/month"}
    process = load_process_dict(data)
    ae = _weekly(process, {"U_AE": ("ae", {"proposals": 10, "deals": 1})})["U_AE"]
    assert ae.scores is None  # nothing stated for a week: the month to date, as shown
    assert ae.overall == pytest.approx((10 / 20 + 1 / 4) / 2)
    assert rank([ae])[0].ranked


def test_the_roles_weights_and_cap_make_the_overall_score():
    data = default_process().to_dict()
    data["roles"][0]["scoring"] = {"cap": "120%", "weights": {"calls": 2, "meetings_scheduled": 0}}
    process = load_process_dict(data)
    rep = _weekly(
        process,
        {"U_A": ("sdr", {"calls": 450, "conversations": 24, "meetings_scheduled": 0})},
    )["U_A"]
    # calls 450 of 240 capped at 120% weighs 2, conversations 50% weighs 1, meetings nothing
    assert rep.overall == pytest.approx((2 * 1.2 + 0.5) / 3)
    assert rep.scoring.cap == 1.2


def test_a_month_is_scored_on_every_goal():
    month = Period("month", NOW.date().replace(day=1), NOW.date().replace(day=30))
    rep = _weekly(
        default_process(),
        {"U_A": ("sdr", {"calls": 570, "conversations": 114, "meetings_scheduled": 17, "sao": 6})},
        period=month,
    )["U_A"]
    # 19 working days (Veterans Day and Thanksgiving off): calls 1140, conversations 228;
    # meetings 8 a week, whatever its days off: four weeks and Monday 30th's 1.6 = 33.6, shown 34
    assert rep.lines["meetings_scheduled"].goal == 34
    assert rep.scored() == pytest.approx(
        {"calls": 0.5, "conversations": 0.5, "meetings_scheduled": 0.5, "sao": 1.0}
    )


attainments = st.dictionaries(
    st.sampled_from(["calls", "conversations", "meetings_scheduled", "sao"]),
    st.floats(0, 10, allow_nan=False),
    min_size=1,
)


@given(attainments, st.floats(1, 10), st.floats(0.01, 10))
def test_capping_never_raises_a_score(values, cap, weight):
    weights = {"calls": weight}
    capped = Scoring(cap, weights).overall(values)
    uncapped = Scoring(10.0, weights).overall(values)
    assert capped <= uncapped + 1e-9
    assert capped <= cap + 1e-9
    # and a rep's score never goes down when one KPI's attainment goes up
    kpi = next(iter(values))
    better = {**values, kpi: values[kpi] + 0.5}
    assert Scoring(cap, weights).overall(better) >= capped - 1e-9


@given(st.lists(st.floats(0, 3, allow_nan=False), min_size=1, max_size=30))
def test_a_tie_on_the_shown_figure_always_shares_a_rank_and_ranks_skip_by_count(values):
    results = [result(f"U_{i:02d}", calls=(v, 1)) for i, v in enumerate(values)]
    ranking = rank(results, "calls")
    ranks = [r.rank for r in ranking]
    assert ranks[0] == 1
    for position, r in enumerate(ranking, 1):
        # the rank is 1 + the number of reps shown above
        assert r.rank == 1 + sum(1 for o in ranking if o.shown > r.shown)
        if position > 1 and ranking[position - 2].shown == r.shown:
            assert ranking[position - 2].rank == r.rank
    shown = [r.shown for r in ranking]
    assert shown == sorted(shown, reverse=True)
    for a in ranking:
        for b in ranking:
            assert (a.rank == b.rank) == (a.shown == b.shown)


def test_a_day_off_has_no_overall_score_though_its_week_goes_on():
    saturday = Period("day", NOW.date().replace(day=28), NOW.date().replace(day=28))
    rep = _weekly(
        default_process(),
        {"U_A": ("sdr", {"calls": 10, "meetings_scheduled": 4})},
        period=saturday,
    )["U_A"]
    assert rep.lines["meetings_scheduled"].goal == 8  # the week so far is still shown
    assert rep.scored() == {} and rep.overall is None  # but no daily goal to score the day on
    assert not rank([rep])[0].ranked
