"""Tests for rituals.process.dump: YAML written out reads back as the same process."""

from __future__ import annotations

from rituals.process import (
    default_process,
    dump_process,
    load_process_dict,
    load_process_text,
)
from tests.rituals.process.helpers import base, kpi_dict


def test_dump_round_trip():
    p = default_process()
    text = dump_process(p)
    assert text.index("name:") < text.index("journey:") < text.index("kpis:") < text.index("roles:")
    assert load_process_text(text) == p
    assert load_process_dict(p.to_dict()) == p


def test_dump_quotes_what_needs_quoting():
    data = base()
    data["name"] = "yes: no # maybe"
    data["journey"][0]["name"] = "17:00"
    kpi_dict(data, "calls")["aliases"].append("on")
    kpi_dict(data, "calls")["description"] = "- starts with a dash, has 'quotes' and \"more\""
    p = load_process_dict(data)
    assert load_process_text(dump_process(p)) == p


def test_dump_writes_the_rituals_section_last_on_one_line_each():
    text = dump_process(default_process())
    assert text.index("overrides:") < text.index("rituals:")
    assert "  weekly: {day: mon, at: '09:00'}\n" in text
    assert (
        "  - {at: '12:00', kpis: [calls, conversations, meetings_held, roi_discussions]}\n" in text
    )
    off = dump_process(default_process().with_ritual("nudges", "off"))
    assert "  nudges: 'off'\n" in off and load_process_text(off).rituals.nudges is None


def test_a_ramp_round_trips_and_is_written_only_when_set():
    data = base()
    data["roles"][0]["ramp"] = ["25%", "50%", "75%"]
    p = load_process_dict(data)
    text = dump_process(p)
    assert "  ramp: [25%, 50%, 75%]" in text
    assert load_process_text(text) == p
    assert load_process_text(text).role("sdr").ramp == (0.25, 0.5, 0.75)
    assert "ramp" not in dump_process(default_process())
    data["roles"][0]["ramp"] = [1 / 3]
    assert load_process_dict(data).to_dict()["roles"][0]["ramp"] == ["33.3333%"]
