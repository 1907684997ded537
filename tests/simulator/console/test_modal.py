"""A typed choice picks an option by its number, its text, its value or the start of its text."""

from simulator.console.modal import pick_option


def test_an_option_by_number_text_value_or_start():
    options = [{"text": {"text": t}, "value": v} for t, v in (("Today", "day"), ("Week", "week"))]
    assert pick_option(options, "2")["value"] == "week"
    assert pick_option(options, "today")["value"] == "day"
    assert pick_option(options, "we")["value"] == "week"
    assert pick_option(options, "3") is None and pick_option(options, "month") is None
