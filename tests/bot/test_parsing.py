"""The command parsers: every input gives a result or a ParseError, never another exception."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parsing import (
    Mention,
    ParseError,
    parse_channel,
    parse_date,
    parse_log,
    parse_mention,
    parse_scorecard,
    split_target,
)
from rituals.process import default_process

PROCESS = default_process()
TODAY = date(2026, 11, 24)  # a Tuesday


def log(text, role="sdr"):
    return parse_log(text, PROCESS, role, TODAY)


@pytest.mark.parametrize(
    "text, items",
    [
        ("call 12", [("calls", 12)]),
        ("calls 12", [("calls", 12)]),
        ("12 calls", [("calls", 12)]),
        ("CALL 12", [("calls", 12)]),
        ("dial 3", [("calls", 3)]),
        ("calls 12 conversations 3", [("calls", 12), ("conversations", 3)]),
        ("12 calls 3 convos", [("calls", 12), ("conversations", 3)]),
        ("call 12, conversations 3", [("calls", 12), ("conversations", 3)]),
        ("+5 calls", [("calls", 5)]),
    ],
)
def test_counts_and_aliases(text, items):
    assert log(text).items == items


def test_role_words_depend_on_the_role():
    assert log("meeting 1", "sdr").items == [("meetings_scheduled", 1)]
    assert log("meeting 1", "ae").items == [("meetings_held", 1)]
    with pytest.raises(ParseError, match="could mean"):
        log("meeting 1", None)


def test_dates():
    assert log("call 3 yesterday").when == date(2026, 11, 23)
    assert log("call 3 today").when == TODAY
    assert log("call 3 monday").when == date(2026, 11, 23)
    assert log("call 3 tue").when == TODAY  # the most recent Tuesday is today
    assert log("call 3 friday").when == date(2026, 11, 20)
    assert log("call 3 2026-11-20").when == date(2026, 11, 20)
    assert log("yesterday call 3").when == date(2026, 11, 23)
    assert log("call 3").when is None
    with pytest.raises(ParseError, match="Two dates"):
        log("call 3 monday yesterday")
    with pytest.raises(ParseError, match="real date"):
        log("call 3 2026-13-01")


def test_more_date_forms():
    assert log("call 3 on monday").when == date(2026, 11, 23)
    assert log("call 3 last friday").when == date(2026, 11, 20)
    assert log("call 3 last tuesday").when == date(2026, 11, 17)  # today is Tuesday
    with pytest.raises(ParseError, match="looks like a date"):
        log("call 12 11/18")
    with pytest.raises(ParseError, match="looks like a date"):
        log("call 12 Acme 11/18")


def test_a_note_cannot_swallow_a_count():
    with pytest.raises(ParseError, match="holds another count"):
        log("calls 12 and conversations 3")
    with pytest.raises(ParseError, match="holds another count"):
        log("call 5 Acme Corp, convos 2")
    assert log("call 5 Acme 3rd floor").note == "Acme 3rd floor"
    assert log("call 5 spoke about calls").note == "spoke about calls"


def test_thousands_separators():
    assert log("calls 1,000").items == [("calls", 1000)]


def test_notes():
    assert log("meeting 1 Acme Corp").note == "Acme Corp"
    dated = log("meeting 1 Acme Corp yesterday")
    assert dated.note == "Acme Corp" and dated.when == date(2026, 11, 23)
    assert log('call 3 "Acme Corp"').note == "Acme Corp"
    assert log("call 3 “Acme, Inc”").note == "Acme, Inc"
    assert log("call 3 <!channel> hi").note == "<!channel> hi"  # escaped when shown, kept as typed


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Nothing to log"),
        ("cals 12", "Did you mean `calls`"),
        ("call", "How many Calls / Emails"),
        ("12", "12 of what"),
        ("call 0", "0 logs nothing"),
        ("call -1", "negative"),
        ("call 1.5", "whole numbers"),
        ("call 1,5", "whole numbers"),
        ("call 3 4", "4 of what"),
        ("3 4 calls", "Two numbers in a row"),
        ("call conversations 3", "How many Calls / Emails"),
        ("call 3 call 4", "appears twice"),
        ("call twelve", "write it in digits"),
        ("call 3 conversatons 2", "I don't know the KPI `conversatons`"),
        ("frobnicate", "I don't know the KPI `frobnicate`"),
    ],
)
def test_mistakes_say_what_was_wrong(text, message):
    with pytest.raises(ParseError, match=message):
        log(text)


def test_mentions_in_every_form_slack_sends():
    assert parse_mention("<@U012ABC|sam>") == Mention("U012ABC", "sam")
    assert parse_mention("<@W012ABC>") == Mention("W012ABC", None)  # Enterprise Grid
    assert parse_mention("@sam.lee") == Mention(None, "sam.lee")
    assert parse_mention("sam") is None
    assert split_target("<@U1ABC> sao 1") == (Mention("U1ABC", None), "sao 1")
    assert split_target("call 3 met <@U1ABC>") == (None, "call 3 met <@U1ABC>")  # a note
    assert split_target("call 12") == (None, "call 12")


def test_channels():
    assert parse_channel("<#C0123ABC|sales>") == "C0123ABC"
    assert parse_channel("<#C0123ABC>") == "C0123ABC"
    assert parse_channel("C0123ABC") == "C0123ABC"
    assert parse_channel("#sales") is None


def test_scorecard_forms():
    assert parse_scorecard("", PROCESS, "sdr").period_kind == "week"
    parsed = parse_scorecard("<@U1ABC> month", PROCESS, "sdr")
    assert parsed.target == Mention("U1ABC", None) and parsed.period_kind == "month"
    assert parse_scorecard("calls last-week", PROCESS, "sdr").kpi == "calls"
    assert parse_scorecard("last week", PROCESS, "sdr").offset == -1
    assert parse_scorecard("yesterday", PROCESS, "sdr").period_kind == "day"
    with pytest.raises(ParseError, match="day, week, month"):
        parse_scorecard("fortnight", PROCESS, "sdr")


def test_parse_date_ignores_ordinary_words():
    assert parse_date("acme", TODAY) is None
    assert parse_date("sunday", TODAY) == date(2026, 11, 22)


def test_parse_date_ahead_takes_the_coming_weekday():
    assert date(2026, 11, 24) == TODAY  # a Tuesday
    assert parse_date("mon", TODAY, ahead=True) == date(2026, 11, 30)
    assert parse_date("tuesday", TODAY, ahead=True) == TODAY
    assert parse_date("fri", TODAY, ahead=True) == date(2026, 11, 27)
    assert parse_date("tomorrow", TODAY, ahead=True) == date(2026, 11, 25)


WORDS = st.sampled_from(
    [
        "call",
        "calls",
        "12",
        "0",
        "-3",
        "2.5",
        "yesterday",
        "monday",
        "2026-11-20",
        "2026-02-30",
        "meeting",
        "sao",
        "undo",
        "<@U123>",
        "@sam",
        '"',
        "“",
        "roi",
        "discussions",
        "Acme",
        "<!channel>",
        "99999999999999999999",
    ]
)


@pytest.mark.parametrize("role", ["sdr", "ae", None])
@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=8).map(" ".join)))
def test_any_text_gives_a_result_or_a_clear_error(text, role):
    try:
        parsed = parse_log(text, PROCESS, role, TODAY)
    except ParseError as error:
        assert str(error).strip()
        return
    assert parsed.items
    assert all(count >= 1 and PROCESS.has_kpi(key) for key, count in parsed.items)
    assert len({key for key, _ in parsed.items}) == len(parsed.items)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(WORDS | st.sampled_from(["week", "month", "last-month"]), max_size=5).map(
            " ".join
        ),
    )
)
def test_any_scorecard_text_gives_a_result_or_a_clear_error(text):
    try:
        parsed = parse_scorecard(text, PROCESS, "sdr")
    except ParseError as error:
        assert str(error).strip()
        return
    assert parsed.period_kind in ("day", "week", "month")
    split_target(text)
