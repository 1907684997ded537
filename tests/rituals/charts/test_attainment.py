"""Tests for rituals.charts.attainment: the bar chart for any team size, any name."""

import warnings

import pytest

from rituals.charts import ALT_TEXT_MAX, MAX_HEIGHT_PX, WIDTH_PX, attainment_chart
from rituals.charts.style import AMBER, GREEN, RED
from rituals.pacing import Thresholds
from tests.rituals.charts.common import TEAM, decode, has_colour, long_team


def test_attainment_chart_is_a_png_of_the_documented_width():
    chart = attainment_chart("Calls this week", TEAM, filename="pacer-daily-2026-11-26.png")
    image = decode(chart)
    assert image.width == WIDTH_PX
    assert 200 <= image.height <= MAX_HEIGHT_PX
    assert image.getpixel((0, 0)) == (255, 255, 255)  # exact white, invisible on Slack's white
    assert chart.title == "Calls this week"
    assert chart.filename == "pacer-daily-2026-11-26.png"


def test_attainment_alt_text_counts_and_names_top_and_lowest():
    chart = attainment_chart("Calls this week", TEAM, subtitle="SDR team")
    alt = chart.alt_text
    assert alt.startswith("Bar chart: Calls this week (SDR team).")
    assert "7 reps" in alt
    assert "goal line at 100%" in alt
    assert "2 at or above 100%" in alt  # 1.42 and exactly 1.0
    assert "2 from 80% to below 100%" in alt  # 0.995 and exactly 0.8
    assert "2 below 80%" in alt
    assert "1 without a goal" in alt
    assert "Top: Maria Lopez 142%." in alt
    assert "Lowest: Tyler Brooks 38%." in alt


def test_percentages_round_down_like_the_scorecard():
    chart = attainment_chart("Calls", [("Ben", 0.996), ("Ana", 0.5)])
    assert "Ben 99%" in chart.alt_text  # not 100%: Ben has not reached the goal


def test_bars_are_coloured_by_status():
    image = decode(attainment_chart("Calls", [("A", 1.2), ("B", 0.9), ("C", 0.5)]))
    assert has_colour(image, GREEN)
    assert has_colour(image, AMBER)
    assert has_colour(image, RED)


def test_thresholds_are_parameters():
    loose = Thresholds(on_pace=0.5, at_risk=0.3)
    chart = attainment_chart("Calls", [("A", 0.5), ("B", 0.4)], thresholds=loose)
    image = decode(chart)
    assert has_colour(image, GREEN)
    assert has_colour(image, AMBER)
    assert not has_colour(image, RED)
    assert "1 at or above 50%" in chart.alt_text
    assert "1 from 30% to below 50%" in chart.alt_text


def test_one_rep():
    chart = attainment_chart("Calls today", [("Solo Rep", 1.07)])
    image = decode(chart)
    assert image.width == WIDTH_PX
    assert "1 rep " in chart.alt_text
    assert "Solo Rep: 107%." in chart.alt_text


def test_no_reps_gives_a_chart_that_says_so():
    chart = attainment_chart("Calls today", [])
    image = decode(chart)
    assert image.width == WIDTH_PX
    assert "No reps to show" in chart.alt_text


def test_every_rep_without_a_goal():
    chart = attainment_chart("Calls", [("A", None), ("B", None)])
    decode(chart)
    assert "2 without a goal" in chart.alt_text
    assert "Top:" not in chart.alt_text


def test_non_finite_values_count_as_no_goal():
    chart = attainment_chart("Calls", [("A", float("nan")), ("B", float("inf")), ("C", 0.5)])
    decode(chart)
    assert "2 without a goal" in chart.alt_text


def test_300_reps_with_long_and_unusual_names():
    bars = long_team(300)
    assert max(len(name) for name, _ in bars) == 80
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Glyph missing from font" or mathtext complaints
        chart = attainment_chart("Deals this month", bars, subtitle="All reps")
    image = decode(chart)
    assert image.width == WIDTH_PX
    assert image.height <= MAX_HEIGHT_PX
    alt = chart.alt_text
    assert len(alt) <= ALT_TEXT_MAX
    assert "300 reps" in alt
    assert "first 30 and the last 30 of the 300 reps" in alt
    assert "Top: 🚀 Zoë Ångström-Øster 👩🏽‍💻 180%." in alt  # names as written
    assert "Lowest: Rep 299" in alt


def test_long_names_stay_inside_the_image():
    bars = [("W" * 80, 1.0), ("Maximilian " * 8, 0.5)]
    image = decode(attainment_chart("Calls", bars))
    left_edge = image.crop((0, 60, 8, image.height - 40))  # below the legend, above the axis
    assert all(min(rgb) > 200 for _count, rgb in left_edge.getcolors(1 << 16))


def test_max_bars_is_a_parameter():
    chart = attainment_chart("Calls", long_team(30), max_bars=10)
    assert "first 5 and the last 5 of the 30 reps" in chart.alt_text
    with pytest.raises(ValueError):
        attainment_chart("Calls", TEAM, max_bars=1)


def test_attainment_far_above_goal_keeps_its_real_value():
    chart = attainment_chart("Calls", [("Star", 4.2), ("Rep", 0.9)])
    decode(chart)
    assert "Top: Star 420%." in chart.alt_text


def test_alt_text_is_capped():
    title = "T" * 2000
    chart = attainment_chart(title, TEAM, subtitle="S" * 2000)
    assert len(chart.alt_text) <= ALT_TEXT_MAX
    decode(chart)
