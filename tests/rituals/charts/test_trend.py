"""Tests for rituals.charts.trend: the line chart, its gaps, its goal and its alt text."""

import warnings

import pytest

from rituals.charts import ALT_TEXT_MAX, MAX_HEIGHT_PX, WIDTH_PX, trend_chart
from tests.rituals.charts.common import decode

WEEKS = ["W40", "W41", "W42", "W43", "W44", "W45"]


def test_trend_with_gaps_and_goal():
    chart = trend_chart(
        "Team calls per week",
        WEEKS,
        {"Calls": [420, 455, None, 480, None, 615], "Emails": [300, None, 320, 330, 340, 350]},
        goal=[500, 500, 500, 500, 500, 500],
        filename="pacer-weekly-2026-11-23.png",
    )
    image = decode(chart)
    assert image.width == WIDTH_PX
    assert 300 <= image.height <= MAX_HEIGHT_PX
    assert chart.filename == "pacer-weekly-2026-11-23.png"
    alt = chart.alt_text
    assert alt.startswith("Line chart: Team calls per week, 6 periods, W40 to W45.")
    assert (
        "Calls: 420 in W40, 615 in W45; high 615 (W45), low 420 (W40); no data for 2 periods."
        in alt
    )
    assert "Emails: 300 in W40, 350 in W45" in alt
    assert "no data for 1 period." in alt
    assert "Goal: 500 throughout." in alt


def test_trend_as_percent():
    chart = trend_chart(
        "Attainment by month",
        ["Sep", "Oct", "Nov"],
        {"SDR": [0.82, 0.996, 1.12]},
        goal=[1.0, 1.0, 1.0],
        percent=True,
    )
    decode(chart)
    assert "SDR: 82% in Sep, 112% in Nov; high 112% (Nov), low 82% (Sep)." in chart.alt_text
    assert "Goal: 100% throughout." in chart.alt_text


def test_trend_with_a_single_point_between_gaps():
    chart = trend_chart("Deals", WEEKS, {"Deals": [None, None, 3, None, None, None]})
    decode(chart)
    assert "Deals: 3 in W42; no data for 5 periods." in chart.alt_text


def test_trend_with_one_period():
    chart = trend_chart("Deals", ["Nov 2026"], {"Deals": [7]}, goal=[10])
    decode(chart)
    assert "1 period, Nov 2026." in chart.alt_text


@pytest.mark.parametrize(
    ("periods", "series"),
    [([], {}), (WEEKS, {}), (WEEKS, {"Calls": [None] * 6}), ([], {"Calls": []})],
)
def test_trend_without_data_gives_a_chart_that_says_so(periods, series):
    chart = trend_chart("Calls", periods, series)
    assert decode(chart).width == WIDTH_PX
    assert "No data to show yet" in chart.alt_text


def test_trend_rejects_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="Calls"):
        trend_chart("Calls", WEEKS, {"Calls": [1, 2, 3]})
    with pytest.raises(ValueError, match="goal"):
        trend_chart("Calls", WEEKS, {"Calls": [1] * 6}, goal=[1])


def test_trend_with_many_long_series_and_periods():
    days = [f"Day {d}" for d in range(90)]
    series = {
        f"Rep {k} — a very long name that goes on and on for eighty characters, really ok": [
            None if (d + k) % 11 == 0 else (d * (k + 1)) % 50 for d in range(90)
        ]
        for k in range(30)
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart = trend_chart("Calls per day", days, series, goal=[40] * 90)
    image = decode(chart)
    assert image.width == WIDTH_PX
    assert image.height <= MAX_HEIGHT_PX
    assert len(chart.alt_text) <= ALT_TEXT_MAX
    assert chart.alt_text.endswith("more series.")


def test_trend_is_deterministic():
    args = ("Calls", WEEKS, {"Calls": [1, 2, None, 4, 5, 6]})
    assert trend_chart(*args).png == trend_chart(*args).png
