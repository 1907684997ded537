"""The attainment chart: one horizontal bar per rep against a goal line, coloured by status.

* **Size.** The chart grows by one row per rep up to ``max_bars`` rows (60 by default: about
  1,500 px). A longer ranking shows its first and last ``max_bars // 2`` rows with a row
  "… 240 more …" between them: shrinking 300 names into 1,600 px would make every one of them
  unreadable, while the top and the bottom of a stack ranking are the rows a team talks about.
  The full ranking belongs in the thread as text.
* **Names** are shortened with "…" to fit NAME_MAX_PX (about 35 characters), so the longest
  name never leaves the image nor runs into its bar.
* **Numbers.** Bars beyond X_CAP times the goal are cut at the edge of the chart; their label
  still gives the real value.
* **Alt text** is plain text (not mrkdwn, nothing escaped), at most ALT_TEXT_MAX characters:
  what the chart shows in words, with counts per status, the top and the lowest rep and how much
  of a long ranking the image leaves out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.transforms import offset_copy

from rituals.charts.figure import Canvas, Chart, empty_chart
from rituals.charts.style import (
    AMBER,
    FAINT,
    GOAL_LABEL,
    GOAL_LINE,
    GREEN,
    GRID,
    INK,
    LABEL,
    LEGEND,
    MAX_HEIGHT_PX,
    MUTED,
    NO_GOAL,
    NOTE,
    PAD,
    RED,
    TICK,
    VALUE,
    WIDTH_PX,
    rendering,
)
from rituals.charts.text import EPS, cap_alt, clean, finite, pct, plain, safe_filename
from rituals.pacing import Thresholds

MAX_BARS = 60  # rows of bars before the chart shows only the top and the bottom
NAME_MAX_PX = 230  # widest name label before it is shortened with "…"
X_CAP = 2.0  # bars end at this many times the goal line; their labels still give the real value

_DEFAULT_THRESHOLDS = Thresholds()  # 100% on pace, 80% at risk: the scorecard's defaults

Row = tuple[str, float | None] | None  # (name, value), or None for the "… more …" row


def _status_colour(value: float, thresholds: Thresholds) -> str:
    if value >= thresholds.on_pace - EPS:
        return GREEN
    if value >= thresholds.at_risk - EPS:
        return AMBER
    return RED


def _alt_text(
    title: str,
    subtitle: str,
    bars: Sequence[tuple[str, float | None]],
    values: list[float | None],
    goal_line: float,
    thresholds: Thresholds,
    shown: int,
) -> str:
    n = len(bars)
    head = f"Bar chart: {plain(title, 150)}"
    if subtitle:
        head += f" ({plain(subtitle, 150)})"
    if n == 0:
        return cap_alt(head + ". No reps to show.")
    rep_s = "rep" if n == 1 else "reps"
    scored = [(name, v) for (name, _), v in zip(bars, values, strict=True) if v is not None]
    on = sum(1 for _, v in scored if v >= thresholds.on_pace - EPS)
    risk = sum(1 for _, v in scored if thresholds.at_risk - EPS <= v < thresholds.on_pace - EPS)
    behind = len(scored) - on - risk
    parts = [f"{on} at or above {pct(thresholds.on_pace)}"]
    if risk:
        parts.append(f"{risk} from {pct(thresholds.at_risk)} to below {pct(thresholds.on_pace)}")
    if behind:
        parts.append(f"{behind} below {pct(thresholds.at_risk)}")
    no_goal = n - len(scored)
    if no_goal:
        parts.append(f"{no_goal} without a goal")
    text = f"{head}. Attainment of {n} {rep_s} against a goal line at {pct(goal_line)}: "
    text += ", ".join(parts) + "."
    if len(scored) == 1:
        name, v = scored[0]
        text += f" {plain(name, 60)}: {pct(v)}."
    elif scored:
        top = max(scored, key=lambda item: item[1])  # the first of equals, in the given order
        low = min(scored, key=lambda item: item[1])
        text += f" Top: {plain(top[0], 60)} {pct(top[1])}."
        text += f" Lowest: {plain(low[0], 60)} {pct(low[1])}."
    if shown < n:
        half = shown // 2
        text += f" The chart shows the first {half} and the last {shown - half} of the {n} {rep_s}."
    return cap_alt(text)


def _rows(
    bars: Sequence[tuple[str, float | None]], values: list[float | None], max_bars: int
) -> tuple[list[Row], int]:
    """The rows to draw, and how many reps they leave out."""
    n = len(bars)
    names = [name for name, _ in bars]
    if n <= max_bars:
        return list(zip(names, values, strict=True)), 0
    top = max_bars // 2
    bottom = max_bars - top
    rows: list[Row] = [
        *zip(names[:top], values[:top], strict=True),
        None,
        *zip(names[n - bottom :], values[n - bottom :], strict=True),
    ]
    return rows, n - max_bars


def attainment_chart(
    title: str,
    bars: Sequence[tuple[str, float | None]],
    goal_line: float = 1.0,
    filename: str = "attainment.png",
    subtitle: str = "",
    *,
    thresholds: Thresholds = _DEFAULT_THRESHOLDS,
    max_bars: int = MAX_BARS,
) -> Chart:
    """Each rep's attainment (a fraction: 1.0 is 100%) as a horizontal bar, in the given order
    (the caller sorts by rank), against a vertical goal line at ``goal_line``.

    Bars are green at or above ``thresholds.on_pace``, amber from ``thresholds.at_risk``, red
    below (the scorecard's thresholds); a rep whose value is None (no goal) gets no bar and the
    words "no goal". No reps gives a chart that says so. More than ``max_bars`` reps show the
    first and last ``max_bars // 2`` with a row "… N more …" between them (see the module notes).
    """
    if max_bars < 2:
        raise ValueError("max_bars must be at least 2")
    bars = list(bars)
    filename = safe_filename(filename, "attainment.png")
    values = [finite(v) for _, v in bars]
    rows, hidden = _rows(bars, values, max_bars)
    alt = _alt_text(title, subtitle, bars, values, goal_line, thresholds, len(bars) - hidden)

    no_goal = any(v is None for v in values)  # hidden rows count too: the legend explains them
    with rendering():
        if not bars:
            png = empty_chart(title, subtitle, "No reps to show yet.")
        else:
            png = _draw(title, subtitle, rows, hidden, no_goal, goal_line, thresholds, max_bars)
    return Chart(png=png, alt_text=alt, title=title, filename=filename)


def _draw(
    title: str,
    subtitle: str,
    rows: list[Row],
    hidden: int,
    no_goal: bool,
    goal_line: float,
    thresholds: Thresholds,
    max_bars: int,
) -> bytes:
    rows_n = len(rows)
    row_px = min(34, max(22, 420 // rows_n))
    top_px = PAD + 26 + (19 if subtitle else 0) + 30  # header, legend, "goal" label
    bottom_px = 30 + (22 if hidden else 0) + PAD - 6
    height = top_px + rows_n * row_px + bottom_px
    height = min(max(height, 200), MAX_HEIGHT_PX)

    canvas = Canvas(height)
    y = canvas.header(title, subtitle)
    _legend(canvas, y, thresholds, no_goal)

    # The names' column is as wide as the widest fitted name.
    names = [
        canvas.fit(clean(row[0], LABEL) or "?", LABEL, NAME_MAX_PX) if row else "" for row in rows
    ]
    left_px = PAD + max(canvas.width(name, LABEL) for name in names) + 10
    ax = canvas.axes(left_px, top_px, PAD + 4, bottom_px)
    axes_w = WIDTH_PX - left_px - PAD - 4

    cap = X_CAP * max(goal_line, EPS)
    values = [row[1] for row in rows if row is not None and row[1] is not None]
    reach = max(min(max([goal_line, *values]), cap), 0.01)
    # Room to the right of the longest bar for its label ("1,234%" at 9 pt is about 45 px).
    label_room = 52
    _scale(ax, rows_n, reach * axes_w / max(axes_w - label_room, 1))
    _bars(ax, rows, cap, thresholds)
    ax.axvline(goal_line, color=GOAL_LINE, linewidth=1.3, linestyle=(0, (4, 3)), zorder=3)
    ax.text(
        goal_line,
        -0.5,
        f"goal {pct(goal_line)}",
        transform=offset_copy(ax.transData, fig=canvas.fig, x=0, y=5, units="dots"),
        ha="center",
        va="bottom",
        fontproperties=GOAL_LABEL,
        color=INK,
        parse_math=False,
    )
    _labels(canvas, ax, rows, names, cap, hidden)

    if hidden:
        half = max_bars // 2
        n = rows_n - 1 + hidden
        note = (
            f"Showing the first {half} and the last {max_bars - half} of {n:,} reps; "
            f"{hidden:,} more are not drawn."
        )
        canvas.text(PAD, height - PAD + 4, note, NOTE, color=MUTED, va="bottom")
    return canvas.png()


def _scale(ax: Axes, rows_n: int, x_max: float) -> None:
    """Percent along the bottom, a row per rep from the top, no frame but the baseline."""
    ax.set_xlim(0, x_max)
    ax.set_ylim(rows_n - 0.5, -0.5)
    ax.set_axisbelow(True)
    ax.xaxis.grid(True, color=GRID, linewidth=0.8)
    step = 0.25 if x_max <= 1.6 else 0.5
    ticks = np.arange(0, x_max + EPS, step)
    ax.set_xticks(ticks, [f"{v * 100:.0f}%" for v in ticks], fontproperties=TICK)
    ax.tick_params(axis="x", length=0, pad=6)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)


def _bars(ax: Axes, rows: list[Row], cap: float, thresholds: Thresholds) -> None:
    """The bars as one collection: a Rectangle patch each costs about half a millisecond."""
    bar_h = 0.68 if len(rows) > 1 else 0.5
    boxes, colours = [], []
    for i, row in enumerate(rows):
        if row is None or row[1] is None:
            continue
        w, top, bottom = min(max(row[1], 0.0), cap), i - bar_h / 2, i + bar_h / 2
        boxes.append([(0, top), (w, top), (w, bottom), (0, bottom)])
        colours.append(_status_colour(row[1], thresholds))
    ax.add_collection(
        PolyCollection(boxes, facecolors=colours, edgecolors="none", linewidths=0, zorder=2),
        autolim=False,
    )


def _labels(
    canvas: Canvas, ax: Axes, rows: list[Row], names: list[str], cap: float, hidden: int
) -> None:
    """Each row's name left of the axes, its value (or "no goal") after its bar, and the
    "… N more …" row."""
    # Names end 8 px left of the axes; values start 5 px right of their bar's end.
    name_at = offset_copy(ax.get_yaxis_transform(), fig=canvas.fig, x=-8, units="dots")
    value_at = offset_copy(ax.transData, fig=canvas.fig, x=5, units="dots")
    break_at = offset_copy(ax.transData, fig=canvas.fig, x=-10, units="dots")
    centred = {"va": "center", "parse_math": False, "clip_on": False}
    for i, (row, name) in enumerate(zip(rows, names, strict=True)):
        if row is None:
            ax.text(
                0.5,
                i,
                f"…  {hidden:,} more  …",
                transform=ax.get_yaxis_transform(),
                ha="center",
                fontproperties=NOTE,
                color=MUTED,
                zorder=4,
                bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "linewidth": 0},
                **centred,
            )
            continue
        ax.text(
            0, i, name, transform=name_at, ha="right", fontproperties=LABEL, color=INK, **centred
        )
        value = row[1]
        if value is None:
            ax.text(
                0, i, "no goal", transform=value_at, fontproperties=NOTE, color=FAINT, **centred
            )
            continue
        at = min(max(value, 0.0), cap)
        ax.text(at, i, pct(value), transform=value_at, fontproperties=VALUE, color=INK, **centred)
        if value > cap:
            # A break mark near the end of a bar cut at the edge of the chart.
            ax.text(
                at,
                i,
                "//",
                transform=break_at,
                ha="center",
                fontproperties=GOAL_LABEL,
                color="white",
                zorder=5,
                **centred,
            )


def _legend(canvas: Canvas, y: float, thresholds: Thresholds, no_goal: bool) -> None:
    """Status colours, on one line under the title."""
    keys = [(GREEN, f"{pct(thresholds.on_pace)} and up")]
    if thresholds.at_risk < thresholds.on_pace:
        below = math.floor(thresholds.on_pace * 100 + EPS) - 1
        keys.append((AMBER, f"{pct(thresholds.at_risk)}–{below}%"))
    keys += [(RED, f"under {pct(thresholds.at_risk)}")]
    if no_goal:
        keys.append((NO_GOAL, "no goal"))
    x = PAD
    for colour, label in keys:
        canvas.swatch(x, y + 3, 10, 10, colour)
        x += 15
        canvas.text(x, y + 1, label, LEGEND, color=MUTED)
        x += canvas.width(label, LEGEND) + 18
