"""What stops a draft being published, and the version it becomes."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from rituals.process import default_process, load_process_dict
from rituals.process_drafts import edits
from rituals.process_drafts.publish import (
    ReviewState,
    blockers,
    published,
    review_state,
    reviewed_by,
    starts_at,
)

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 16, 0)


@dataclass
class Answer:
    reviewer_id: str
    verdict: str
    status: str = "open"


def test_review_state_counts_what_the_answers_say():
    state = review_state(
        [Answer("U1", "approve"), Answer("U2", "suggest"), Answer("U3", "suggest", "accepted")],
        ["U1", "U2", "U3", "U4"],
    )
    assert state.approvers == {"U1"} and state.open_suggestions == 1
    assert state.answered == {"U1", "U2", "U3"} and len(state.reviewers) == 4


def _blockers(draft, **kw):
    args = {
        "effective": TODAY,
        "today": TODAY,
        "state": ReviewState(),
        "kpis_in_use": (),
        "roles_held": (),
    }
    return blockers(default_process(), draft, **(args | kw))


def test_what_refuses_and_what_asks_for_confirm():
    current = default_process()
    assert _blockers(current).refused == [] and _blockers(current).ask == []
    past = _blockers(current, effective=TODAY - timedelta(days=1))
    assert "publishing never changes a past period's figures" in past.refused[0]
    assert (
        "more than a year ahead"
        in _blockers(current, effective=TODAY + timedelta(days=400)).refused[0]
    )
    without_calls = edits.remove_kpi(current, "calls")
    assert "Archive it instead" in _blockers(without_calls, kpis_in_use={"calls"}).refused[0]
    assert _blockers(edits.archive_kpi(current, "calls"), kpis_in_use={"calls"}).refused == []
    data = current.to_dict()
    data["review"] = {"min_approvals": 2}
    from rituals.process import load_process_dict

    strict = load_process_dict(data)
    asked = _blockers(strict, state=ReviewState(approvers=frozenset({"U1"}), open_suggestions=2))
    assert asked.ask == [
        "2 suggestions are still open: accept or dismiss them (`/pacer process feedback`)",
        "1 of the 2 approvals the process asks for (review: min_approvals)",
    ]
    assert "moved" in _blockers(current, moved_on="moved").ask[0]


def test_a_dropped_role_people_hold_is_refused():
    data = default_process().to_dict()
    data["roles"] = [r for r in data["roles"] if r["key"] != "ae"]
    data["kpis"] = [k for k in data["kpis"] if k.get("recorded_by") != "ae"]
    data["roles"][0]["scorecard"] = [k for k in data["roles"][0]["scorecard"] if k != "sao"]
    data["roles"][0]["goals"].pop("sao", None)
    data["roles"][0]["aliases"] = {}
    data["rituals"]["leaderboards"] = [{"at": "12:00", "kpis": ["calls"]}]
    from rituals.process import load_process_dict

    draft = load_process_dict(data)
    assert "drops roles people hold: ae" in _blockers(draft, roles_held={"sdr", "ae"}).refused[0]


def test_published_dates_the_goals_it_changes_and_keeps_the_past():
    current = default_process()
    draft = edits.set_goal(current, "sdr", "calls", "80/day")
    version = published(current, draft, TODAY, by="U1", at=NOW)
    assert str(version.goal_for("sdr", "calls", on=TODAY - timedelta(days=1))) == "60/day"
    assert str(version.goal_for("sdr", "calls", on=TODAY)) == "80/day"
    assert published(current, current, TODAY, by="U1", at=NOW).goal_changes == ()


def test_reviewed_by_counts_reps_and_managers():
    assert reviewed_by(["U1", "U2", "M1"], ["M1"]) == "reviewed by 2 reps and 1 manager"
    assert reviewed_by(["M1", "M2"], ["M1", "M2"]) == "reviewed by 2 managers"
    assert reviewed_by([], ["M1"]) == ""


def test_a_later_day_refuses_nothing_more_than_today_since_the_clock_publishes_it_then():
    current = default_process()
    later = TODAY + timedelta(days=7)
    renamed = edits.rename_stage(
        edits.set_goal(current, "sdr", "calls", "80/day"), "purchase", "Signs"
    )
    assert _blockers(renamed, effective=later).refused == []  # scheduled, not in force at once
    assert (
        "more than a year ahead"
        in _blockers(renamed, effective=TODAY + timedelta(days=400)).refused[0]
    )


def test_a_scheduled_draft_starts_at_midnight_in_the_team_timezone():
    calendar = default_process().calendar  # America/New_York
    assert starts_at(calendar, date(2026, 12, 1)) == datetime(2026, 12, 1, 5, tzinfo=UTC)
    assert starts_at(calendar, date(2026, 7, 1)) == datetime(2026, 7, 1, 4, tzinfo=UTC)  # EDT
    tokyo = replace(calendar, tz=ZoneInfo("Asia/Tokyo"))
    assert starts_at(tokyo, date(2026, 12, 1)) == datetime(2026, 11, 30, 15, tzinfo=UTC)


def test_settings_the_draft_left_alone_keep_what_is_in_force_now():
    base = default_process()
    current = load_process_dict(base.to_dict() | {"timezone": "Asia/Tokyo"})
    draft = edits.archive_kpi(base, "calls")  # the draft changes a KPI, not the timezone
    kept = published(current, draft, TODAY, by="U1", at=NOW, base=base)
    assert kept.timezone == "Asia/Tokyo" and kept.kpi("calls").archived
    assert published(current, draft, TODAY, by="U1", at=NOW).timezone == base.timezone
    moved = load_process_dict(base.to_dict() | {"timezone": "Europe/Paris"})
    assert published(current, moved, TODAY, by="U1", at=NOW, base=base).timezone == "Europe/Paris"


def test_settings_that_no_longer_fit_the_draft_are_the_draft_s_own_one_at_a_time():
    """Sources mapping a KPI the draft removed can't be kept: they are the draft's, while the
    timezone changed meanwhile is kept. The rituals merge one ritual at a time: the draft's
    leaderboards (calls off them), the nudges turned off meanwhile."""
    base = default_process()
    now = base.to_dict() | {"sources": {"hubspot": {"calls": "calls"}}, "timezone": "Asia/Tokyo"}
    now["rituals"]["nudges"] = "off"
    current = load_process_dict(now)
    draft = edits.remove_kpi(base, "calls")
    version = published(current, draft, TODAY, by="U1", at=NOW, base=base)
    assert not version.has_kpi("calls") and version.sources == {}
    assert version.timezone == "Asia/Tokyo"
    rituals = version.to_dict()["rituals"]
    assert rituals["nudges"] == "off"
    assert all("calls" not in board["kpis"] for board in rituals["leaderboards"])
