"""Tests for rituals.charts: PNG bytes out, readable alt text, any team size, any name."""

import io
import struct
import threading
import warnings

import matplotlib
import pytest
from PIL import Image

from rituals.charts import (
    ALT_TEXT_MAX,
    AMBER,
    GREEN,
    MAX_HEIGHT_PX,
    RED,
    WIDTH_PX,
    Chart,
    attainment_chart,
    trend_chart,
)
from rituals.pacing import Thresholds

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

TEAM = [
    ("Maria Lopez", 1.42),
    ("Ana Ruiz", 1.0),
    ("Ben Okafor", 0.995),  # 99%, amber: just short of the goal
    ("Chen Wei", 0.8),
    ("Dmitri Petrov", 0.79),
    ("Eve Adams", None),
    ("Tyler Brooks", 0.38),
]


def decode(chart: Chart) -> Image.Image:
    assert chart.png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(chart.png))
    image.load()
    return image.convert("RGB")


def chunk_types(png: bytes) -> list[bytes]:
    types, at = [], len(PNG_SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        types.append(png[at + 4 : at + 8])
        at += 12 + length
    return types


def has_colour(image: Image.Image, hex_colour: str, tolerance: int = 0) -> bool:
    """More pixels of the colour than a legend swatch has: a bar of it is drawn."""
    want = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    colours = image.getcolors(1 << 20) or []
    return any(
        count >= 300 and all(abs(a - b) <= tolerance for a, b in zip(rgb, want, strict=True))
        for count, rgb in colours
    )


def long_team(n: int) -> list[tuple[str, float | None]]:
    specials = [
        "🚀 Zoë Ångström-Øster 👩🏽‍💻",
        "王伟",
        "محمد عبد الله",
        "$ales $$ \\frac{ <!channel> & <@U123>",
        "🔥🔥🔥",
    ]
    bars: list[tuple[str, float | None]] = []
    for i in range(n):
        name = specials[i] if i < len(specials) else f"Rep {i:03d} " + "Longname-" * 9
        name = name[:80]
        value = None if i % 23 == 7 else round(1.8 - 1.7 * i / n, 4)
        bars.append((name, value))
    return bars


# --------------------------------------------------------------------------------------------
# attainment_chart


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


def test_filenames_are_made_safe():
    assert attainment_chart("x", TEAM, filename="../../etc/passwd").filename == "etc-passwd.png"
    assert attainment_chart("x", TEAM, filename="weekly report").filename == "weekly-report.png"
    assert attainment_chart("x", TEAM, filename="").filename == "attainment.png"


# --------------------------------------------------------------------------------------------
# Determinism and thread safety


def test_same_input_same_bytes():
    first = attainment_chart("Calls", long_team(300)).png
    second = attainment_chart("Calls", long_team(300)).png
    assert first == second


def test_global_matplotlib_settings_do_not_change_the_chart():
    before = attainment_chart("Calls", TEAM).png
    with matplotlib.rc_context({"font.size": 30, "text.color": "red", "axes.facecolor": "black"}):
        during = attainment_chart("Calls", TEAM).png
    assert during == before


def test_png_carries_no_metadata():
    types = chunk_types(attainment_chart("Calls", TEAM).png)
    assert types[0] == b"IHDR" and types[-1] == b"IEND"
    assert not {b"tEXt", b"zTXt", b"iTXt", b"tIME"} & set(types)


def test_concurrent_renders_match_serial_ones():
    inputs = [long_team(n) for n in (1, 12, 60, 300)]
    expected = [attainment_chart("Calls", bars).png for bars in inputs]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            results[k] = attainment_chart("Calls", inputs[k % 4]).png
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(results[k] == expected[k % 4] for k in range(8))


# --------------------------------------------------------------------------------------------
# trend_chart

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
