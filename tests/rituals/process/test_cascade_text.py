"""Tests for rituals.process.cascade_text: the cascade as text (`pacer process show`)."""

from __future__ import annotations

from dataclasses import replace

from rituals.process import (
    Goal,
    default_process,
    render_cascade,
)
from rituals.process.cascade_text import ramp_text


def test_render_cascade():
    text = render_cascade(default_process())
    assert "Sales Development Rep (sdr): 3 leading + 1 lagging" in text
    assert "Receives Call/Email → Call Lead → Calls / Emails [calls, leading] · goal 60/day" in text
    assert "Purchase → Close Deal → Deals Closed [deals, lagging] · goal 4/month" in text
    assert "recorded by Account Executive" in text
    with_override = default_process().with_goal("U0123ABCD", "calls", Goal(50, "day"))
    assert "U0123ABCD: calls 50/day" in render_cascade(with_override)


def test_render_cascade_shows_the_rituals():
    text = render_cascade(default_process())
    assert (
        "Rituals (America/New_York): daily 17:30 · weekly Mon 09:00 · monthly 09:00 "
        "(first working day) · leaderboards 12:00 (calls, conversations, meetings_held, "
        "roi_discussions), 16:00 (calls, meetings_held) · "
        "nudges 15:00"
    ) in text
    quiet = render_cascade(default_process().with_settings(rituals="off"))
    assert "daily off · weekly off · monthly off · leaderboards off · nudges off" in quiet


def test_render_cascade_shows_the_days_off():
    assert "Days off: public holidays of US (`pacer calendar show` lists them)" in render_cascade(
        default_process()
    )
    custom = default_process().with_settings(
        holidays={
            "country": "US",
            "subdivision": "NY",
            "add": ["2026-12-24", "2026-12-31"],
            "remove": ["2026-11-11"],
        }
    )
    assert (
        "Days off: public holidays of US (NY) · 2 company days off · 1 public holiday worked"
        in render_cascade(custom)
    )
    none = default_process().with_settings(holidays="off")
    assert "Days off: no public holidays (" in render_cascade(none)


def test_render_cascade_shows_a_roles_ramp():
    p = default_process()
    assert "ramp" not in render_cascade(p)
    sdr = replace(p.role("sdr"), ramp=(0.25, 0.5, 0.75))
    text = render_cascade(replace(p, roles=(sdr, *p.roles[1:])))
    assert "  New hires ramp: 25% → 50% → 75% of the goal in their first 3 months" in text
    assert ramp_text((0.5,)) == "50% of the goal in their first month"
