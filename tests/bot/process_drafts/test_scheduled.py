"""bot/process_drafts/scheduled.py through the Bolt app: `process publish from DATE` schedules
the draft, locks it, and the clock's sweep publishes it once at midnight in the team's timezone;
`process discard` cancels it."""

from datetime import UTC, date, datetime

import pytest

from bot.delivery.clock import Clock
from bot.process_drafts import scheduled
from rituals.process.goal_history import own_goal
from rituals.teams import team_process
from storage import process_queries
from tests.bot.form_support import named_rig, versions
from tests.bot.process_drafts.support import add_review, drafts, open_part, send
from tests.bot.process_drafts.test_publish import CHANNEL, announcements
from tests.bot.support import ADMIN, AE, MGR, SDR

MIDNIGHT = datetime(2026, 12, 1, 5, tzinfo=UTC)  # 1 Dec 2026 00:00 in New York


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


def _schedule_a_journey_change(rig, reviewed: bool = False) -> str:
    rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
    rig.text("/pacer", "process draft", MGR)
    send(rig, MGR, open_part(rig, MGR, "journey"), {"stage:purchase": "Signs"})
    if reviewed:
        add_review(rig, {SDR: "approve"}, MGR)
    return rig.text("/pacer", "process publish from 2026-12-01", MGR)


def test_a_later_day_schedules_the_draft_and_locks_it(rig):
    done = _schedule_a_journey_change(rig, reviewed=True)
    assert "*Scheduled*" in done and "start of Tue 1 Dec 2026 (America/New_York)" in done
    assert f"announced in <#{CHANNEL}> then" in done and "review round is closed" in done
    assert "stage Purchase renamed → Signs" in done
    (row,) = drafts(rig)
    assert (row.status, str(row.publish_on)) == ("scheduled", "2026-12-01")
    assert versions(rig) == [] and announcements(rig) == []
    shown = rig.seen("/pacer", "process draft show", MGR)
    assert "Scheduled for Tue 1 Dec 2026" in str(shown)
    assert [b["type"] for b in shown["blocks"]] == ["section"]  # no Edit buttons: locked
    history = rig.text("/pacer", "process history", SDR)
    assert "*next* · scheduled for Tue 1 Dec 2026" in history
    for typed, words in (
        ("process draft", "a new draft can't be opened"),
        ("process draft journey", "a new draft can't be opened"),
        (f"process review <@{SDR}>", "it can't be reviewed again"),
        ("process feedback", "its suggestions can't change it"),
        ("process publish", "already scheduled to be published on Tue 1 Dec 2026"),
        ("process publish from 2026-12-02", "already scheduled"),
    ):
        answer = rig.text("/pacer", typed, MGR)
        assert words in answer, (typed, answer)
    assert [d.status for d in drafts(rig)] == ["scheduled"] and versions(rig) == []


def test_the_sweep_publishes_it_once_at_midnight_in_the_team_timezone(rig):
    _schedule_a_journey_change(rig)
    rig.now = datetime(2026, 12, 1, 4, 59, tzinfo=UTC)  # 23:59 the day before, in New York
    assert scheduled.sweep(rig.services, rig.now) == 0 and versions(rig) == []
    rig.now = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # the clock was down till the afternoon
    assert scheduled.sweep(rig.services, rig.now) == 1
    assert scheduled.sweep(rig.services, rig.now) == 0  # once, however often it runs
    (version,) = versions(rig)
    assert version.loaded_at.replace(tzinfo=UTC) == MIDNIGHT  # in force from the day's start
    assert version.loaded_by == MGR and version.draft_id == drafts(rig)[0].id
    assert version.change.startswith("published draft from 2026-12-01: ")
    (row,) = drafts(rig)
    assert (row.status, row.published_version) == ("published", 1)
    (posted,) = announcements(rig)
    assert "version 1, from today" in posted and "Signs" in posted
    with rig.services.unit_of_work() as session:
        team_id = row.team_id
        before = process_queries.process_version_at(
            session, team_id, datetime(2026, 12, 1, 4, 59, tzinfo=UTC)
        )
        after = process_queries.process_version_at(session, team_id, MIDNIGHT)
        assert before is None and after.version == 1
    history = rig.text("/pacer", "process history", SDR)
    assert "*next*" not in history and "in force from Tue 1 Dec 2026" in history
    assert "Draft opened" in rig.text("/pacer", "process draft", MGR)  # the next one may open


def test_the_clock_tick_runs_the_sweep(rig):
    _schedule_a_journey_change(rig)
    rig.now = MIDNIGHT
    Clock(rig.services).tick()
    assert [v.version for v in versions(rig)] == [1] and len(announcements(rig)) == 1


def test_discard_cancels_a_scheduled_publish(rig):
    _schedule_a_journey_change(rig)
    assert "managers" in rig.text("/pacer", "process discard", SDR).lower()
    cancelled = rig.text("/pacer", "process discard", MGR)
    assert "publish scheduled for Tue 1 Dec 2026 is cancelled" in cancelled
    assert [d.status for d in drafts(rig)] == ["discarded"]
    rig.now = MIDNIGHT
    assert scheduled.sweep(rig.services, rig.now) == 0 and versions(rig) == []
    assert "no open or scheduled draft" in rig.text("/pacer", "process discard", MGR)


def test_scheduling_asks_for_confirm_like_publishing(rig):
    rig.text("/pacer", "process draft", MGR)
    add_review(rig, {SDR: "suggest"}, MGR)
    asked = rig.text("/pacer", "process publish from 2026-12-01", MGR)
    assert "1 suggestion is still open" in asked
    assert "`/pacer process publish from 2026-12-01 confirm`" in asked
    assert drafts(rig)[0].status == "open"
    assert "*Scheduled*" in rig.text("/pacer", "process publish from 2026-12-01 confirm", MGR)


def _private_to(rig, user: str) -> list[str]:
    return [
        c.params["text"]
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params.get("channel") == user
    ]


def test_what_moved_on_since_scheduling_is_checked_again_on_the_day(rig):
    """The draft removes Proposals Sent, unlogged when it was scheduled; a rep logs one before the
    day: the sweep publishes nothing, the draft is open again (unlocked: it can be edited), and
    its author is told why, once."""
    rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
    rig.text("/pacer", "process draft", MGR)
    send(rig, MGR, open_part(rig, MGR, "kpis"), {"kpi:proposals": "remove"})
    assert "*Scheduled*" in rig.text("/pacer", "process publish from 2026-12-01", MGR)
    assert "Logged" in rig.text("/log", "proposals 1", AE)
    rig.now = MIDNIGHT
    assert scheduled.sweep(rig.services, rig.now) == 0
    assert scheduled.sweep(rig.services, rig.now) == 0  # and tells once
    assert versions(rig) == [] and announcements(rig) == []
    (row,) = drafts(rig)
    assert (row.status, row.publish_on, row.closed_by) == ("open", None, None)
    (told,) = _private_to(rig, MGR)
    assert "scheduled for Tue 1 Dec 2026 was not published" in told
    assert "removes Proposals Sent, which logs refer to" in told and "open draft again" in told
    shown = rig.text("/pacer", "process draft show", MGR)
    assert "Scheduled for" not in shown
    send(rig, MGR, open_part(rig, MGR, "journey"), {"stage:purchase": "Signs"})  # unlocked
    assert "removes Proposals Sent" in rig.text("/pacer", "process publish", MGR)
    assert [d.status for d in drafts(rig)] == ["open"] and versions(rig) == []


def test_a_goal_set_while_a_draft_is_scheduled_says_the_draft_will_replace_it(rig):
    _schedule_a_journey_change(rig)  # the draft keeps sdr calls at 60/day
    done = rig.text("/pacer", "goal sdr calls 80/day", MGR)
    assert "Goal set for every" in done
    assert "draft scheduled for Tue 1 Dec 2026 sets this goal to 60/day" in done
    assert "from that day it replaces this change" in done
    rig.now = MIDNIGHT
    assert scheduled.sweep(rig.services, rig.now) == 1  # and so it does
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, drafts(rig)[0].team_id)
    assert str(process.goal_for("sdr", "calls", on=date(2026, 11, 30))) == "80/day"
    assert str(process.goal_for("sdr", "calls", on=date(2026, 12, 1))) == "60/day"
    quiet = rig.text("/pacer", "goal sdr conversations 15/day from 2026-12-02", MGR)
    assert "Goal set" in quiet and "Note:" not in quiet  # nothing scheduled any more


def test_history_dates_a_version_by_the_team_s_own_day(rig):
    """Tokyo's midnight of 1 Dec is 30 Nov in UTC: history says 1 Dec, as the team lived it."""
    rig.text("/pacer", "timezone Asia/Tokyo", ADMIN)
    _schedule_a_journey_change(rig)
    rig.now = datetime(2026, 11, 30, 15, tzinfo=UTC)  # 1 Dec 00:00 in Tokyo
    assert scheduled.sweep(rig.services, rig.now) == 1
    history = rig.text("/pacer", "process history", SDR)
    assert "*v2* · Tue 1 Dec 2026" in history and "in force from Tue 1 Dec 2026" in history


def test_a_goal_from_the_draft_s_own_day_or_a_rep_s_own_goal_gets_the_note_too(rig):
    """Publishing applies the draft's goals after any change dated its day, and drops a rep's
    own goal the draft doesn't have, even one equal to the role's goal."""
    _schedule_a_journey_change(rig)
    same_day = rig.text("/pacer", "goal sdr calls 80/day from 2026-12-01", MGR)
    assert "draft scheduled for Tue 1 Dec 2026 sets this goal to 60/day" in same_day
    own = rig.text("/pacer", f"goal <@{SDR}> calls 60/day", MGR)
    assert "sets this goal to the role's goal" in own
    later = rig.text("/pacer", "goal sdr conversations 15/day from 2026-12-02", MGR)
    assert "Goal set" in later and "Note:" not in later  # after the draft's day: it stays
    rig.now = MIDNIGHT
    assert scheduled.sweep(rig.services, rig.now) == 1
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, drafts(rig)[0].team_id)
    assert str(process.goal_for("sdr", "calls", on=date(2026, 12, 1))) == "60/day"
    assert own_goal(process, SDR, "calls", date(2026, 12, 1)) is None
    assert str(process.goal_for("sdr", "conversations", on=date(2026, 12, 2))) == "15/day"


def test_a_setting_changed_while_the_draft_waits_is_not_undone_on_the_day(rig):
    """The draft changes the journey; `/pacer timezone` moves the team to Tokyo after it was
    scheduled. On the day the journey changes and the team stays in Tokyo (before, the draft's
    copy of New York came back with it)."""
    _schedule_a_journey_change(rig)
    assert "Tokyo" in rig.text("/pacer", "timezone Asia/Tokyo", ADMIN)
    shown = str(rig.seen("/pacer", "process draft show", MGR))
    assert "renamed → Signs" in shown and "timezone" not in shown  # the preview says so too
    rig.now = datetime(2026, 11, 30, 15, tzinfo=UTC)  # 1 Dec 00:00 in Tokyo
    assert scheduled.sweep(rig.services, rig.now) == 1
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, drafts(rig)[0].team_id)
    assert process.timezone == "Asia/Tokyo"
    assert [s.name for s in process.stages][-1] == "Signs"


def test_a_goal_on_a_kpi_the_scheduled_draft_takes_off_the_scorecard_ends_that_day(rig):
    rig.text("/pacer", "process draft", MGR)
    send(rig, MGR, open_part(rig, MGR, "kpis"), {"kpi:proposals": "archive"})
    assert "*Scheduled*" in rig.text("/pacer", "process publish from 2026-12-01", MGR)
    done = rig.text("/pacer", f"goal <@{AE}> proposals 3/week", MGR)
    assert "Goal set" in done
    assert "draft scheduled for Tue 1 Dec 2026 takes Proposals Sent off the ae scorecard" in done
