"""bot/contests/quick_form.py: the windows of the quick form's length words."""

import pytest

from bot.contests.quick_form import parse_start
from bot.parsing import ParseError
from rituals.process import default_process
from tests.bot.contests.support import at


@pytest.mark.parametrize(
    ("now", "word", "days"),
    [
        # Thanksgiving week (Thu 26 Nov is a holiday in the default process):
        ("2026-11-24T11:00:00", "3d", ("2026-11-24", "2026-11-27")),  # Tue, Wed, Fri
        ("2026-11-24T11:00:00", "today", ("2026-11-24", "2026-11-24")),
        ("2026-11-24T11:00:00", "week", ("2026-11-24", "2026-11-27")),
        ("2026-11-24T11:00:00", "1w", ("2026-11-24", "2026-11-30")),  # a week: Tue to Mon
        ("2026-11-24T11:00:00", "2w", ("2026-11-24", "2026-12-07")),
        ("2026-11-26T10:00:00", "3d", ("2026-11-27", "2026-12-01")),  # on the holiday: from Fri
        ("2026-11-20T10:00:00", "1w", ("2026-11-20", "2026-11-25")),  # a week ending on it
        ("2026-11-17T10:00:00", "1w", ("2026-11-17", "2026-11-23")),  # an ordinary week
        ("2026-11-24T11:00:00", "until fri", ("2026-11-24", "2026-11-27")),
        ("2026-11-24T11:00:00", "until 2026-12-02", ("2026-11-24", "2026-12-02")),
        ("2026-11-28T10:00:00", "3d", ("2026-11-30", "2026-12-02")),  # Saturday: from Monday
        ("2026-11-27T17:30:00", "1d", ("2026-11-30", "2026-11-30")),  # Friday after hours
    ],
)
def test_quick_form_windows(now, word, days):
    parsed = parse_start(f'race calls {word} "W"', default_process(), at(now))
    assert tuple(d.isoformat() for d in parsed.window) == days


def test_the_rest_of_the_week_on_a_saturday_is_refused():
    with pytest.raises(ParseError, match="This week's working days are over"):
        parse_start('race calls week "W"', default_process(), at("2026-11-28T10:00:00"))
