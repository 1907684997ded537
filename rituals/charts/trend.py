"""The trend chart: one line per series over periods (weeks, months), an optional goal line.

The plot is 300 px high; the legend sits below it, up to three entries a row, each name fitted
to its column. Period labels are shown as many as fit side by side, always including the latest
period. The alt text names, for as many series as fit in whole sentences, the first and the last
value, the high and the low, and the gaps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from matplotlib.ticker import MaxNLocator

from rituals.charts.figure import Canvas, Chart, empty_chart
from rituals.charts.style import (
    FAINT,
    GOAL_LINE,
    GRID,
    INK,
    LEGEND,
    MUTED,
    NOTE,
    PAD,
    SERIES_COLOURS,
    TICK,
    WIDTH_PX,
    rendering,
)
from rituals.charts.text import (
    ALT_TEXT_MAX,
    EPS,
    cap_alt,
    clean,
    finite,
    num,
    pct,
    plain,
    safe_filename,
)

MAX_SERIES = 10  # lines in one trend chart (one colour each)
PERIOD_MAX_PX = 110  # widest period label before it is shortened with "…"

Values = list[float | None]


def _series_alt(name: str, periods: Sequence[str], values: Values, fmt: Callable) -> str:
    points = [(p, v) for p, v in zip(periods, values, strict=True) if v is not None]
    if not points:
        return f"{plain(name, 60)}: no data."
    first, last = points[0], points[-1]
    if len(points) > 1 and all(v == first[1] for _, v in points):
        text = f"{plain(name, 60)}: {fmt(first[1])} throughout"
    elif len(points) == 1:
        text = f"{plain(name, 60)}: {fmt(first[1])} in {plain(first[0], 30)}"
    else:
        text = (
            f"{plain(name, 60)}: {fmt(first[1])} in {plain(first[0], 30)}, "
            f"{fmt(last[1])} in {plain(last[0], 30)}"
        )
        high = max(points, key=lambda pv: pv[1])
        low = min(points, key=lambda pv: pv[1])
        if len(points) > 2:
            text += f"; high {fmt(high[1])} ({plain(high[0], 30)})"
            text += f", low {fmt(low[1])} ({plain(low[0], 30)})"
    gaps = len(values) - len(points)
    if gaps:
        text += f"; no data for {gaps} period{'s' if gaps != 1 else ''}"
    return text + "."


def _alt_text(
    title: str,
    subtitle: str,
    periods: list[str],
    data: dict[str, Values],
    goal: Values | None,
    fmt: Callable,
    has_data: bool,
) -> str:
    head = f"Line chart: {plain(title, 150)}"
    if subtitle:
        head += f" ({plain(subtitle, 150)})"
    if not periods or not has_data:
        return cap_alt(head + ". No data to show yet.")
    span = (
        f"{plain(periods[0], 30)}"
        if len(periods) == 1
        else f"{plain(periods[0], 30)} to {plain(periods[-1], 30)}"
    )
    period_s = "period" if len(periods) == 1 else "periods"
    sentences = [f"{head}, {len(periods)} {period_s}, {span}."]
    if goal is not None:
        sentences.append(_series_alt("Goal", periods, goal, fmt))
    # Whole sentences only: as many series as fit, then how many were left out.
    for k, (name, values) in enumerate(data.items()):
        sentence = _series_alt(name, periods, values, fmt)
        rest = len(data) - k - 1
        reserve = len(f" And {rest} more series.") if rest else 0
        if len(" ".join([*sentences, sentence])) + reserve > ALT_TEXT_MAX:
            sentences.append(f"And {len(data) - k} more series.")
            break
        sentences.append(sentence)
    return cap_alt(" ".join(sentences))


def trend_chart(
    title: str,
    periods: Sequence[str],
    series: dict[str, Sequence[float | None]],
    goal: Sequence[float | None] | None = None,
    filename: str = "trend.png",
    percent: bool = False,
    *,
    subtitle: str = "",
    max_series: int = MAX_SERIES,
) -> Chart:
    """One line per series over ``periods`` (oldest first), with a dashed goal line when ``goal``
    is given; None is a gap in the line. ``percent`` means values are fractions shown as percents.

    Every series (and the goal) must have one value per period. The first ``max_series`` series
    are drawn (one colour each) and the rest are named in a note. No periods, or no values at all,
    gives a chart that says so.
    """
    periods = [str(p) for p in periods]
    filename = safe_filename(filename, "trend.png")
    for name, values in series.items():
        if len(values) != len(periods):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(periods)} periods")
    if goal is not None and len(goal) != len(periods):
        raise ValueError(f"goal has {len(goal)} values for {len(periods)} periods")

    data = {name: [finite(v) for v in values] for name, values in series.items()}
    goal_values = [finite(v) for v in goal] if goal is not None else None
    fmt = pct if percent else num
    has_data = any(v is not None for values in data.values() for v in values)
    alt = _alt_text(title, subtitle, periods, data, goal_values, fmt, has_data)

    with rendering():
        if not periods or not has_data:
            png = empty_chart(title, subtitle, "No data to show yet.")
        else:
            drawn = list(data.items())[:max_series]
            left_out = len(data) - len(drawn)
            png = _draw(title, subtitle, periods, drawn, left_out, goal_values, percent)
    return Chart(png=png, alt_text=alt, title=title, filename=filename)


def _draw(
    title: str,
    subtitle: str,
    periods: list[str],
    drawn: list[tuple[str, Values]],
    left_out: int,
    goal: Values | None,
    percent: bool,
) -> bytes:
    entries = [
        (name, SERIES_COLOURS[i % len(SERIES_COLOURS)], False) for i, (name, _) in enumerate(drawn)
    ]
    if goal is not None:
        entries.append(("Goal", GOAL_LINE, True))

    # Legend below the plot: up to three entries a row.
    cols = 1 if len(entries) == 1 else min(3, len(entries))
    legend_rows = math.ceil(len(entries) / cols)
    legend_h = legend_rows * 20 + 6
    note_h = 20 if left_out else 0
    plot_h = 300
    top_px = PAD + 26 + (19 if subtitle else 0) + 12
    bottom_px = 34 + legend_h + note_h + PAD - 4
    height = top_px + plot_h + bottom_px

    canvas = Canvas(height)
    canvas.header(title, subtitle)

    # Y tick labels need room on the left; measure the widest one once the limits are known.
    all_values = [v for _, values in drawn for v in values if v is not None]
    if goal is not None:
        all_values += [v for v in goal if v is not None]
    lo, hi = min(all_values), max(all_values)
    y_min = min(0.0, lo * 1.08)
    y_max = hi * 1.12 if hi > 0 else 1.0
    if y_max <= y_min:
        y_max = y_min + 1.0

    def y_label(v: float) -> str:
        if percent:
            return f"{v * 100:.0f}%"
        return f"{v:,.0f}" if abs(v) >= 10 else f"{v:g}"

    locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=not percent and hi >= 5)
    ticks = [t for t in locator.tick_values(y_min, y_max) if y_min - EPS <= t <= y_max + EPS]
    tick_labels = [y_label(t) for t in ticks]
    tick_px = max((canvas.width(label, TICK) for label in tick_labels), default=20)
    left_px = PAD + tick_px + 10

    ax = canvas.axes(left_px, top_px, PAD + 8, bottom_px)
    axes_w = WIDTH_PX - left_px - PAD - 8
    n = len(periods)
    ax.set_xlim(-0.5 if n > 1 else -1, n - 0.5 if n > 1 else 1)
    ax.set_ylim(y_min, y_max)
    ax.set_yticks(ticks, tick_labels, fontproperties=TICK)
    ax.set_axisbelow(True)
    ax.yaxis.grid(True, color=GRID, linewidth=0.8)
    ax.tick_params(axis="both", length=0, pad=6)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(FAINT)

    # Period labels: as many as fit side by side, always including the latest period.
    labels = [canvas.fit(clean(p, TICK) or "?", TICK, PERIOD_MAX_PX) for p in periods]
    widest = max(canvas.width(label, TICK) for label in labels) + 14
    every = max(1, math.ceil(n / max(1, int(axes_w // widest))))
    positions = list(range(n - 1, -1, -every))[::-1]
    ax.set_xticks(positions, [labels[i] for i in positions], fontproperties=TICK)

    xs = list(range(n))
    markersize = 5 if n <= 26 else 3
    for i, (_name, values) in enumerate(drawn):
        ax.plot(
            xs,
            [math.nan if v is None else v for v in values],
            color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
            linewidth=2.2,
            marker="o",
            markersize=markersize,
            markeredgewidth=0,
            solid_capstyle="round",
            zorder=3,
        )
    if goal is not None:
        ax.plot(
            xs,
            [math.nan if v is None else v for v in goal],
            color=GOAL_LINE,
            linewidth=1.4,
            linestyle=(0, (4, 3)),
            marker="None" if n > 1 else "D",
            markersize=5,
            zorder=2,
        )

    # Legend entries drawn by hand, so the layout is fixed and names are fitted to a column.
    col_w = (WIDTH_PX - 2 * PAD) / cols
    legend_top = height - bottom_px + 34
    for k, (name, colour, dashed) in enumerate(entries):
        r, c = divmod(k, cols)
        x = PAD + c * col_w
        y = legend_top + r * 20
        if dashed:
            canvas.line(x, x + 22, y + 8, color=colour, linewidth=1.4, linestyle=(0, (4, 3)))
        else:
            canvas.line(x, x + 22, y + 8, color=colour, linewidth=2.2, solid_capstyle="round")
            canvas.line(
                x + 11,
                x + 11,
                y + 8,
                color=colour,
                marker="o",
                markersize=5,
                markeredgewidth=0,
                linestyle="None",
            )
        label = canvas.fit(clean(name, LEGEND) or "?", LEGEND, col_w - 42)
        canvas.text(x + 30, y + 1, label, LEGEND, color=INK)
    if left_out:
        note = f"{left_out} more series not drawn."
        canvas.text(PAD, legend_top + legend_rows * 20 + 4, note, NOTE, color=MUTED)
    return canvas.png()
