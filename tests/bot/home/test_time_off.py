"""bot/home/time_off.py: the Time off section of a rep's Home tab (none for a manager without a
scorecard), at most SHOWN stretches with their Cancel button, and the form it opens."""

from datetime import date, timedelta

from bot.home.time_off import SHOWN, away_modal, span
from bot.ids import Action, View
from tests.bot.home.support import assert_valid_view, open_home, text_of
from tests.bot.support import MGR, SDR


def test_span_reads_like_the_rest_of_pacer():
    assert span(date(2026, 12, 21), date(2026, 12, 25)) == "Mon 21 – Fri 25 Dec 2026"
    assert span(date(2026, 11, 30), date(2026, 12, 4)) == "Mon 30 Nov – Fri 4 Dec 2026"
    assert span(date(2026, 12, 31), date(2027, 1, 4)) == "Thu 31 Dec 2026 – Mon 4 Jan 2027"
    assert span(date(2026, 12, 24), date(2026, 12, 24)) == "Thu 24 Dec 2026"


def test_a_reps_home_lists_coming_days_away_with_cancel_buttons(rig):
    rig.team()
    for n in range(SHOWN + 2):  # separate stretches: one day each, a week apart
        day = date(2026, 12, 1) + timedelta(days=7 * n)  # Tuesdays
        rig.text("/away", f"{day.isoformat()} trip {n}", SDR)
    home = open_home(rig, SDR)
    cancels = [
        b["accessory"]
        for b in home["blocks"]
        if (b.get("accessory") or {}).get("action_id") == Action.HOME_AWAY_CANCEL
    ]
    assert len(cancels) == SHOWN
    assert cancels[0]["value"] == "2026-12-01:2026-12-01" and cancels[0]["confirm"]
    assert "…and 2 more: `/away list`." in text_of(home)
    assert "Add time off…" in text_of(home)
    assert "*Time off*" not in text_of(open_home(rig, MGR))  # no scorecard, no days away


def test_the_form_asks_for_first_and_last_day_and_a_note():
    modal = away_modal(date(2026, 11, 24), "month")
    assert_valid_view(modal)
    assert modal["callback_id"] == View.HOME_AWAY
    assert [b.get("block_id") for b in modal["blocks"] if b["type"] == "input"] == [
        "first",
        "last",
        "note",
    ]
    assert '"period": "month"' in modal["private_metadata"]
