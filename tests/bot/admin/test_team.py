"""bot/admin/team.py: /pacer team add … starting DATE and /pacer team remove … on DATE through
signed requests: what is stored, what the reply says, and that every refusal changes nothing.
"Now" is Tue 24 Nov 2026 11:00 New York."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select

from rituals.process import default_process
from rituals.teams import store_process
from storage import people_queries
from storage.models import Member
from tests.bot.support import ADMIN, AE, MGR, SDR

NEW = "U0NEW0001"


def tenure(rig, user: str) -> tuple | None:
    """(role, active, started_on, last_day, is_manager) of a member, or None."""
    with rig.services.unit_of_work() as session:
        m = session.exec(select(Member).where(Member.user_id == user)).first()
        return None if m is None else (m.role, m.active, m.started_on, m.last_day, m.is_manager)


def every_member(rig) -> list[tuple]:
    with rig.services.unit_of_work() as session:
        rows = session.exec(select(Member).order_by(Member.id))
        return [(m.user_id, m.role, m.active, m.started_on, m.last_day) for m in rows]


def with_ramp(rig, ramp: tuple[float, ...]) -> None:
    """Give the SDR role a ramp, as `pacer process load` would: a new process version."""
    process = default_process()
    sdr = replace(process.role("sdr"), ramp=ramp)
    process = replace(process, roles=(sdr, *process.roles[1:]))
    with rig.services.unit_of_work() as session:
        ws = people_queries.all_workspaces(session)[0]
        team = people_queries.default_team(session, ws.id, rig.now)
        store_process(session, process, team=team, loaded_by=ADMIN, change="ramp", now=rig.now)


def test_a_new_hire_is_added_with_a_start_date(rig):
    rig.team()
    reply = rig.text("/pacer", f"team add <@{NEW}> sdr starting 2026-11-30", MGR)
    assert f"Added <@{NEW}> to *Sales* as Sales Development Rep starting Mon 30 Nov 2026: " in reply
    assert "goals count from that day" in reply and "ramp" not in reply
    assert tenure(rig, NEW) == ("sdr", True, date(2026, 11, 30), None, False)
    # on the roster with their start, not on the team yet: they can't log before it
    roster = rig.text("/pacer", "team", MGR)
    assert f"<@{NEW}> — Sales Development Rep · starts Mon 30 Nov" in roster
    refused = rig.text("/log", "call 5", NEW)
    assert "You start on the team on Mon 30 Nov 2026" in refused
    rig.now += timedelta(days=6)  # Mon 30 Nov: on the team
    assert "Logged *5 Calls / Emails* · today, Mon 30 Nov" in rig.text("/log", "call 5", NEW)
    assert "You start" not in rig.text("/scorecard", "", NEW)


def test_start_dates_in_words_and_a_past_start(rig):
    rig.team()
    rig.text("/pacer", f"team add <@{NEW}> sdr starting monday", MGR)
    assert tenure(rig, NEW)[2] == date(2026, 11, 30)  # the coming Monday
    rig.text("/pacer", f"team add <@{NEW}> sdr starting 2026-11-02", MGR)  # a correction
    assert tenure(rig, NEW)[2] == date(2026, 11, 2)
    assert "Sales Development Rep" in rig.text("/scorecard", "", NEW)  # started: on the team


def test_without_a_start_date_they_were_already_on_the_team(rig):
    rig.team()
    assert "starting" not in rig.text("/pacer", f"team add <@{NEW}> sdr", MGR)
    assert tenure(rig, NEW) == ("sdr", True, None, None, False)


def test_the_ramp_is_said_when_the_role_has_one(rig):
    rig.team()
    with_ramp(rig, (0.25, 0.5, 0.75))
    reply = rig.text("/pacer", f"team add <@{NEW}> sdr starting 2026-11-30", MGR)
    assert (
        "starting Mon 30 Nov 2026: goals count from that day (ramp 25% → 50% → 75% over the "
        "first 3 months)."
    ) in reply
    assert "New hires ramp: 25% → 50% → 75% of the goal in their first 3 months" in rig.text(
        "/pacer", "process", MGR
    )
    # someone already on the team has no start date, so nothing to ramp
    assert "ramp" not in rig.text("/pacer", "team add <@U0OLD0001> sdr", MGR)
    # with the goal math (rituals/rep_days.py): a hire from Monday has 25% of 4 days × 60
    rig.text("/pacer", "team add <@U0MON0001> sdr starting 2026-11-23", MGR)
    assert "0 of 60 (0%)" in rig.text("/scorecard", "", "U0MON0001")
    assert "0 of 240 (0%)" in rig.text("/scorecard", "", "U0OLD0001")


def test_a_last_day_is_stored_and_they_stay_until_it_is_over(rig):
    rig.team()
    reply = rig.text("/pacer", f"team remove <@{SDR}> on 2026-12-04", MGR)
    assert f"<@{SDR}>'s last day is Fri 4 Dec 2026: they're on the team until then" in reply
    assert "their logs stay in past numbers" in reply
    assert tenure(rig, SDR) == ("sdr", True, None, date(2026, 12, 4), False)
    assert "last day Fri 4 Dec" in rig.text("/pacer", "team", MGR)
    rig.now = rig.now.replace(day=4, month=12)  # the last day still counts
    assert "Logged *3 Calls / Emails* · today, Fri 4 Dec" in rig.text("/log", "call 3", SDR)
    rig.now += timedelta(days=1)  # Sat 5 Dec: off the team
    assert f"<@{SDR}>" not in rig.text("/pacer", "team", MGR)
    assert "Your last day on the team was Fri 4 Dec 2026" in rig.text("/log", "call 3", SDR)


def test_removed_today_by_default_and_todays_logs_count(rig):
    rig.team()
    reply = rig.text("/pacer", f"team remove <@{SDR}>", MGR)
    assert "last day is today, Tue 24 Nov 2026: today's logs still count" in reply
    assert tenure(rig, SDR)[3] == date(2026, 11, 24)
    assert "Logged *4 Calls / Emails* · today, Tue 24 Nov" in rig.text("/log", "call 4", SDR)


def test_a_removed_reps_numbers_stay_for_a_manager(rig):
    rig.team()
    rig.text("/log", "call 7", SDR)
    rig.text("/pacer", f"team remove <@{SDR}> on 2026-11-24", MGR)
    rig.now += timedelta(days=14)  # Tue 8 Dec
    card = rig.text("/scorecard", f"<@{SDR}> last-month", MGR)
    assert "November" in card or "Nov" in card
    assert "7" in card
    refused = rig.text("/scorecard", f"<@{SDR}> last-month", AE)
    assert f"<@{SDR}> left the team after Tue 24 Nov 2026" in refused
    assert "You left the team" in rig.text("/scorecard", "", SDR)


def test_re_adding_someone_who_left_starts_them_afresh(rig):
    rig.team()
    rig.text("/log", "call 7", SDR)
    rig.text("/pacer", f"team remove <@{SDR}> on yesterday", MGR)
    reply = rig.text("/pacer", f"team add <@{SDR}> sdr", MGR)
    assert f"Added <@{SDR}> to *Sales* as Sales Development Rep starting Tue 24 Nov 2026" in reply
    assert tenure(rig, SDR) == ("sdr", True, date(2026, 11, 24), None, False)
    assert len([m for m in every_member(rig) if m[0] == SDR]) == 1  # the one row, reactivated


def test_re_adding_someone_leaving_cancels_their_last_day(rig):
    rig.team()
    rig.text("/pacer", f"team remove <@{SDR}> on 2026-12-04", MGR)
    reply = rig.text("/pacer", f"team add <@{SDR}> sdr", MGR)
    assert "stays on *Sales*" in reply and "Fri 4 Dec 2026, is cancelled" in reply
    assert tenure(rig, SDR) == ("sdr", True, None, None, False)


def test_a_new_hire_who_wont_join_is_called_off(rig):
    rig.team()
    rig.text("/pacer", f"team add <@{NEW}> sdr starting 2026-12-07", MGR)
    reply = rig.text("/pacer", f"team remove <@{NEW}>", MGR)
    assert "won't join the team: their start on Mon 7 Dec 2026 is called off" in reply
    assert tenure(rig, NEW)[1] is False
    assert f"<@{NEW}>" not in rig.text("/pacer", "team", MGR)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"team add <@{NEW}> sdr starting someday", "isn't a date; write it as YYYY-MM-DD"),
        (f"team add <@{NEW}> sdr starting", "Give one date there"),
        (f"team add <@{NEW}> sdr 2026-11-30", "After the role comes nothing, or a start date"),
        (f"team add <@{NEW}> sdr starting 2027-12-01", "more than a year ahead"),
        (f"team add <@{NEW}> sdr starting 2025-11-01", "more than a year ago"),
        (f"team add <@{NEW}> starting 2026-11-30", "Give one role after the person"),
        (f"team remove <@{SDR}> on 2026-13-01", "isn't a date"),
        (f"team remove <@{SDR}> 2026-12-04", "their last day"),
        (f"team remove <@{SDR}> on 2026-09-30", "too far back"),
        (f"team remove <@{SDR}> on 2027-12-31", "more than a year ahead"),
        (f"team remove <@{NEW}>", f"<@{NEW}> isn't on the team"),
    ],
)
def test_every_mistake_gets_a_specific_answer_and_changes_nothing(rig, text, expected):
    rig.team()
    before = every_member(rig)
    answer = rig.text("/pacer", text, MGR)
    assert expected in answer, answer
    assert "`/pacer team" in answer  # and a command that would work
    assert every_member(rig) == before


def test_a_last_day_before_the_start_is_refused(rig):
    rig.team()
    rig.text("/pacer", f"team add <@{NEW}> sdr starting 2026-11-30", MGR)
    before = every_member(rig)
    answer = rig.text("/pacer", f"team remove <@{NEW}> on 2026-11-27", MGR)
    assert "before their start date, Mon 30 Nov 2026" in answer
    assert f"/pacer team remove <@{NEW}> on 2026-11-30" in answer
    assert every_member(rig) == before


def test_a_last_day_back_to_the_start_of_last_month_is_a_correction(rig):
    rig.team()
    assert "last day was Thu 1 Oct 2026" in rig.text(
        "/pacer", f"team remove <@{AE}> on 2026-10-01", MGR
    )


def test_removing_someone_who_already_left(rig):
    rig.team()
    rig.text("/pacer", f"team remove <@{SDR}> on yesterday", MGR)
    answer = rig.text("/pacer", f"team remove <@{SDR}>", MGR)
    assert "isn't on the team (their last day was Mon 23 Nov 2026); nothing changed" in answer


def test_only_managers_add_and_remove(rig):
    rig.team()
    assert "Only the team's managers" in rig.text(
        "/pacer", f"team add <@{NEW}> sdr starting 2026-11-30", SDR
    )
    assert "Only the team's managers" in rig.text("/pacer", f"team remove <@{AE}> on friday", SDR)
    assert tenure(rig, NEW) is None and tenure(rig, AE)[3] is None
    assert ADMIN  # admins can, as the other tests do through MGR
