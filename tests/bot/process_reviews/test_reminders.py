"""bot/process_reviews/reminders.py: the sweep reminds, once, each reviewer who has not
answered, when the team's calendar says it is due (the Rig's Tuesday 24 Nov, New York)."""

from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.delivery.clock import Clock
from bot.process_reviews.reminders import sweep
from tests.bot.process_reviews.support import AE, SDR, SDR2, asked, command, dms, press, thread

TUE_0830 = datetime.fromisoformat("2026-11-24T08:30:00-05:00")
TUE_1100 = datetime.fromisoformat("2026-11-24T11:00:00-05:00")


def test_the_sweep_reminds_who_owes_an_answer_once(rig):
    review_id = asked(rig, f"process review <@{SDR}> <@{SDR2}> <@{AE}> due today")
    press(rig, SDR2, "review_approve", str(review_id))
    assert sweep(rig.services, TUE_0830) == 0  # before the working day
    assert sweep(rig.services, TUE_1100) == 2
    assert sweep(rig.services, TUE_1100) == 0
    assert len(dms(rig, SDR, "Reminder")) == 1 and len(dms(rig, AE, "Reminder")) == 1
    assert dms(rig, SDR2, "Reminder") == []
    (note,) = thread(rig, "Reminded")
    assert f"<@{SDR}>" in str(note) and f"<@{AE}>" in str(note) and SDR2 not in str(note)


def test_no_reminder_without_a_due_date_or_once_the_draft_is_gone(rig):
    asked(rig, f"process review <@{SDR}>")
    assert sweep(rig.services, TUE_1100) == 0
    asked(rig, f"process review <@{SDR2}> due today")
    command(rig, "process discard")
    assert sweep(rig.services, TUE_1100) == 0


def test_the_clocks_tick_sends_the_reminders_once_even_with_two_clocks(rig):
    asked(rig, f"process review <@{SDR}> due today")
    rig.now = TUE_1100
    clocks = [Clock(rig.services, BackgroundScheduler(timezone="UTC")) for _ in range(2)]
    for clock in clocks:
        clock.tick()
    assert len(dms(rig, SDR, "Reminder")) == 1
