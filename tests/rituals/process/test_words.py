"""Tests for rituals.process.words: quoting values, word forms and "did you mean"."""

from datetime import time

from rituals.process.words import (
    did_you_mean,
    display_word,
    kind_of,
    normalize_word,
    number_variants,
    one_of,
    quote,
    suggest_kpi,
)


def test_quote_is_short():
    assert quote("calls") == "'calls'"
    assert len(quote("x" * 100)) < 50
    assert quote(list(range(10))) == "[0, 1, 2, 3, ...]"


def test_kind_of():
    assert [kind_of(v) for v in (None, True, {}, [], 3, 2.5, "x", time(1))] == [
        "nothing",
        "true/false",
        "a mapping",
        "a list",
        "a number",
        "a number",
        "text",
        "a time",
    ]


def test_word_forms():
    assert normalize_word(" Meetings_Held ") == "meetings held"
    assert normalize_word("roi-Discussion") == "roi discussion"
    assert display_word("  ROI   Discussions") == "roi discussions"


def test_number_variants():
    assert number_variants("calls") == ["call"]
    assert number_variants("call") == ["calls"]
    assert number_variants("opportunity") == ["opportunities"]
    assert number_variants("roi discussions") == ["roi discussion"]
    assert number_variants("closed") == []


def test_did_you_mean_and_one_of():
    assert did_you_mean("cals", ["calls", "deals"]) == " (did you mean 'calls'?)"
    assert did_you_mean("zzz", ["calls"]) == ""
    assert did_you_mean(5, ["calls"]) == ""
    assert one_of([]) == "(none defined yet)"
    assert one_of(["a", "b"]) == "a, b"
    assert one_of([str(i) for i in range(13)]).endswith("11, …")


def test_suggest_kpi():
    words = {"meetings": "meetings_scheduled", "calls": "calls"}
    assert suggest_kpi("meetngs", words) == " (did you mean 'meetings_scheduled'?)"
    assert suggest_kpi("Calls", words) == " (did you mean 'calls'?)"
    assert suggest_kpi("zzz", words) == ""
