"""rituals/process/goal_change_checks.py: the goal_changes: section, every mistake named by its
place with its fix ("did you mean"), a KPI off the role's scorecard, dates that aren't."""

from datetime import date

from rituals.process import Goal, load_process_dict
from tests.rituals.process.helpers import base, problem_at, problems_of


def with_changes(*changes) -> dict:
    data = base()
    data["goal_changes"] = list(changes)
    return data


def test_role_and_rep_changes_load_in_order():
    p = load_process_dict(
        with_changes(
            {"from": "2026-12-01", "role": "sdr", "kpi": "calls", "goal": "80/day"},
            {"from": "2026-12-01", "rep": "U0123ABCD", "kpi": "calls", "goal": "50/day"},
            {"from": "2027-01-04", "rep": "U0123ABCD", "kpi": "calls", "goal": "reset"},
            {
                "from": "2027-01-04",
                "role": "ae",
                "kpi": "deals",
                "goal": "none",
                "by": "U0DANA001",
                "at": "2026-11-23T10:02:00-05:00",
            },
        )
    )
    first, own, reset, none = p.goal_changes
    assert (first.effective, first.role, first.goal) == (date(2026, 12, 1), "sdr", Goal(80, "day"))
    assert own.user == "U0123ABCD" and reset.goal is None and none.goal is None
    assert none.at is not None and none.at.isoformat() == "2026-11-23T15:02:00+00:00"
    assert p.goal_history_stated


def test_unknown_role_kpi_and_field_say_what_was_meant():
    data = with_changes(
        {"from": "2026-12-01", "role": "sdrs", "kpi": "calls", "goal": "80/day"},
        {"from": "2026-12-01", "role": "sdr", "kpi": "cals", "goal": "80/day"},
        {"form": "2026-12-01", "role": "sdr", "kpi": "calls", "goal": "80/day"},
    )
    assert "did you mean 'sdr'" in problem_at(data, "goal_changes[0].role").fix
    assert "did you mean 'calls'" in problem_at(data, "goal_changes[1].kpi").fix
    assert "did you mean 'from'" in problem_at(data, "goal_changes[2].form").fix
    assert "YYYY-MM-DD" in problem_at(data, "goal_changes[2].from").fix


def test_dates_that_arent_and_goals_that_arent():
    data = with_changes(
        {"from": "2026-13-01", "role": "sdr", "kpi": "calls", "goal": "80/day"},
        {"from": "1 Dec", "role": "sdr", "kpi": "calls", "goal": "80/day"},
        {"from": "2026-12-01", "role": "sdr", "kpi": "calls", "goal": "80"},
        {"from": "2026-12-01", "role": "sdr", "kpi": "calls", "goal": "reset"},
        {"from": "2026-12-01", "role": "sdr", "kpi": "calls"},
        {"from": "2026-12-01", "role": "sdr", "kpi": "calls", "goal": "8/day", "at": "noon"},
    )
    assert "is not a date" in problem_at(data, "goal_changes[0].from").message
    assert "is not a date" in problem_at(data, "goal_changes[1].from").message
    assert "80/day" in problem_at(data, "goal_changes[2].goal").message
    assert "'none'" in problem_at(data, "goal_changes[3].goal").fix
    assert "has no goal" in problem_at(data, "goal_changes[4].goal").message
    assert "date and time" in problem_at(data, "goal_changes[5].at").message


def test_a_kpi_off_the_roles_scorecard_and_a_target_that_is_both_or_neither():
    data = with_changes(
        {"from": "2026-12-01", "role": "sdr", "kpi": "deals", "goal": "5/month"},
        {"from": "2026-12-01", "role": "sdr", "rep": "U0123ABCD", "kpi": "calls", "goal": "5/day"},
        {"from": "2026-12-01", "kpi": "calls", "goal": "5/day"},
        {"from": "2026-12-01", "rep": "u0123abcd", "kpi": "calls", "goal": "5/day"},
    )
    assert "not on the sdr scorecard" in problem_at(data, "goal_changes[0].kpi").message
    assert "exactly one of 'role' and 'rep'" in problem_at(data, "goal_changes[1]").message
    assert "exactly one of 'role' and 'rep'" in problem_at(data, "goal_changes[2]").message
    assert "U0123ABCD" in problem_at(data, "goal_changes[3].rep").fix


def test_not_a_list_and_not_a_mapping():
    assert (
        "must be a list"
        in problem_at(with_changes() | {"goal_changes": "80/day"}, "goal_changes").message
    )
    assert any(p.path == "goal_changes[0]" for p in problems_of(with_changes("sdr calls 80/day")))


def test_a_misnamed_section_is_pointed_to_goal_changes():
    data = base()
    data["goal_history"] = []
    assert "goal_changes" in problem_at(data, "goal_history").fix
