"""bot/away/replies.py: every time-off refusal is worded for Slack, says nothing changed, shows
a command that works, and names people as mentions."""

from datetime import date

import pytest

from bot.replies import explain, explainer_for, has_command
from rituals import time_off as t
from rituals.holiday_rules import PUBLIC, DayOff

D1, D2 = date(2026, 12, 21), date(2026, 12, 25)
REFUSALS = [
    t.NotARep("U1", True),
    t.NotARep("U1", False),
    t.NotTheirManager("U1"),
    t.DaysInWrongOrder(D2, D1),
    t.RangeTooLong(D1, date(2027, 3, 1)),
    t.TooFarAhead(date(2027, 12, 1), date(2027, 11, 24)),
    t.AwayTooFarBack(date(2026, 9, 30), date(2026, 10, 1), True),
    t.AwayTooFarBack(date(2026, 11, 20), date(2026, 11, 24), False),
    t.NoWorkingDays(D2, D2, (DayOff(D2, "Christmas Day", PUBLIC),)),
    t.NoWorkingDays(date(2026, 12, 26), date(2026, 12, 27), ()),
    t.AlreadyAway("U1", False, (D1,)),
    t.NotAway("U1", True, D1, D2),
    t.AwayNoteTooLong(230),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: type(r).__name__)
def test_each_refusal_is_worded_with_a_command_that_works(refusal):
    assert explainer_for(type(refusal)) is not None
    text = explain(refusal, "/away")
    assert has_command(text), text
    assert "nothing changed" in text, text
    assert str(refusal)  # the plain fallback


def test_the_words_name_the_days_and_the_people():
    assert "Fri 25 Dec 2026 is not a working day for the team (Fri 25 Dec is Christmas Day)" in (
        explain(REFUSALS[8])
    )
    assert "`/away 2026-12-28`" in explain(REFUSALS[9])  # the next weekday after the weekend
    assert "<@U1> is already away on every working day of that: Mon 21 Dec" in explain(REFUSALS[10])
    assert "`/away 2026-12-25 2026-12-21`" not in explain(REFUSALS[3])
    assert "`/away 2026-12-21 2026-12-25`" in explain(REFUSALS[3])
    assert "is 71 days; one entry covers at most 60" in explain(REFUSALS[4])
