"""Digest charts: plain data in, PNG bytes out (no Slack, no database).

Two charts, both drawn with matplotlib's object-oriented API on the Agg canvas (never pyplot, whose
global figure manager is not safe in a threaded web process):

* :func:`attainment_chart` — one horizontal bar per rep against a goal line, coloured by status;
* :func:`trend_chart` — one line per series over periods (weeks, months), an optional goal line.

Choices worth knowing:

* **Size.** 800 px wide at 100 dpi, the size Slack previews comfortably. The attainment chart grows
  by one row per rep up to ``max_bars`` rows (60 by default: about 1,500 px). A longer ranking shows
  its first and last ``max_bars // 2`` rows with a row "… 240 more …" between them: shrinking
  300 names into 1,600 px would make every one of them unreadable, while the top and the bottom of
  a stack ranking are the rows a team talks about. The full ranking belongs in the thread as text.
* **Names.** Shortened with "…" to fit 230 px (about 35 characters). Characters the font cannot draw
  are left out when they are symbols (emoji, variation selectors, joiners, direction marks) and
  shown as "□" when they are letters, so no glyph-missing warnings reach the logs and a name made
  of such letters still shows up as a name. The alt text always carries the names as written.
  ``$`` is plain text (matplotlib's mathtext is off), so a name like "$ales" cannot break a chart.
* **Numbers.** Percentages are rounded down, like the scorecard's, so a label never contradicts its
  colour (99.6% shows 99%, amber). Bars beyond twice the goal are cut at the edge of the chart;
  their label still gives the real value.
* **Determinism.** The same input gives the same bytes: fixed style and fonts (DejaVu Sans, which
  ships with matplotlib, plus a CJK font when one is installed), and a PNG written by Pillow with
  no metadata chunks (no timestamp, no software name). Output can differ between matplotlib,
  FreeType or Pillow versions, so compare bytes within one environment only.
* **Threads.** Renders take a module lock, because matplotlib's style settings are process-wide
  and the chart pins them for the duration (whatever else changed rcParams cannot alter a chart).
  A chart renders in well under 100 ms, so digests for many teams are not held up in practice.
* **Speed.** Matplotlib 3.11 draws Text glyph by glyph from Python (about 70 µs a glyph here),
  which made the 120 name and value labels of a long ranking cost about 300 ms. Those labels are
  drawn instead from cached glyph outlines, one filled path per colour (see ``_Glyphs``), the
  bars are one collection, and the PNG is a 256-colour palette: a 300-rep chart renders in about
  80 ms and weighs about 40 KB.
* **Alt text** is plain text (not mrkdwn, nothing escaped), at most ``ALT_TEXT_MAX`` characters:
  what the chart shows in words, with counts per status, the top and the lowest rep and how
  much of a long ranking the image leaves out.
"""

from __future__ import annotations

import io
import math
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from matplotlib import style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, fontManager, get_font
from matplotlib.ft2font import Kerning, LoadFlags
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator
from matplotlib.transforms import IdentityTransform, offset_copy
from PIL import Image

from rituals.pacing import Thresholds

__all__ = [
    "ALT_TEXT_MAX",
    "DPI",
    "MAX_BARS",
    "WIDTH_PX",
    "Chart",
    "attainment_chart",
    "trend_chart",
]

DPI = 100
WIDTH_PX = 800
MAX_HEIGHT_PX = 1600
MAX_BARS = 60  # rows of bars before the chart shows only the top and the bottom
MAX_SERIES = 10  # lines in one trend chart (one colour each)
ALT_TEXT_MAX = 1000  # Slack's limit on a file's alt text
NAME_MAX_PX = 230  # widest name label before it is shortened with "…"
X_CAP = 2.0  # bars end at this many times the goal line; their labels still give the real value

# Colours: Slack's own ink for text, and status colours that stay apart for most colour-blind
# readers by lightness as well as hue.
INK = "#1D1C1D"
MUTED = "#616061"
FAINT = "#9A9A9A"
GRID = "#E6E6E6"
GREEN = "#2E9E5B"
AMBER = "#F2A516"
RED = "#D64541"
NO_GOAL = "#B8B8B8"
GOAL_LINE = "#1D1C1D"
SERIES_COLOURS = (
    "#1F6FB2",  # blue
    "#E07B39",  # orange
    "#2E9E5B",  # green
    "#8E5BB5",  # purple
    "#C0392B",  # red
    "#17A2B8",  # teal
    "#8C6D46",  # brown
    "#D45D9E",  # pink
    "#6C7A89",  # slate
    "#A8A21B",  # olive
)

_ANCHORS = np.array(
    [
        [int(c[i : i + 2], 16) for i in (1, 3, 5)]
        for c in ("#FFFFFF", INK, MUTED, FAINT, GRID, GREEN, AMBER, RED, NO_GOAL, *SERIES_COLOURS)
    ],
    dtype=int,
)

_FAMILY = "DejaVu Sans"
# Fonts that, when installed, draw what DejaVu Sans cannot (CJK names). Colour-emoji fonts are not
# listed: Agg cannot draw their bitmaps.
_FALLBACK_FAMILIES = (
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "Noto Sans",
)
_EPS = 1e-9  # same slack as rituals.pacing: exactly on the threshold counts as reaching it

_RENDER_LOCK = threading.Lock()
_DEFAULT_THRESHOLDS = Thresholds()  # 100% on pace, 80% at risk: the scorecard's defaults


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt_text: str  # a description for screen readers (≤ ALT_TEXT_MAX characters)
    title: str
    filename: str


# --------------------------------------------------------------------------------------------
# Fonts, text and numbers


@cache
def _families() -> tuple[str, ...]:
    installed = {f.name for f in fontManager.ttflist}
    return (_FAMILY, *(f for f in _FALLBACK_FAMILIES if f in installed))


@cache
def _drawable() -> frozenset[int]:
    """Code points that the chart fonts can draw."""
    points: set[int] = set()
    for family in _families():
        path = findfont(FontProperties(family=family), fallback_to_default=False)
        points.update(get_font(path).get_charmap())
    return frozenset(points)


def _style() -> dict[str, object]:
    return {
        "font.family": list(_families()),
        "font.size": 10,
        "text.color": INK,
        "text.parse_math": False,
        "text.usetex": False,
        "text.hinting": "no_hinting",
        "text.antialiased": True,
        "axes.unicode_minus": True,
        "axes.edgecolor": FAINT,
        "axes.labelcolor": MUTED,
        "axes.facecolor": "white",
        "figure.facecolor": "white",
        "xtick.color": FAINT,
        "ytick.color": FAINT,
        "xtick.labelcolor": MUTED,
        "ytick.labelcolor": MUTED,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "path.simplify": True,
        "agg.path.chunksize": 0,
        "svg.hashsalt": "pacer",
    }


@contextmanager
def _rendering() -> Iterator[None]:
    # style.context resets every style setting to matplotlib's defaults, then applies ours, so
    # whatever else in the process touched rcParams cannot change a chart's bytes.
    with _RENDER_LOCK, style.context(["default", _style()]):
        yield


_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    """Text for the image: control and format characters out, undrawable symbols out,
    undrawable letters as "□", whitespace collapsed."""
    drawable = _drawable()
    out = []
    for ch in str(text):
        if ch in "\t\n\r\f\v":
            out.append(" ")
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        if ord(ch) in drawable:
            out.append(ch)
        elif cat[0] in "LN":
            out.append("□")
        # anything else undrawable (emoji, symbols, combining marks) is left out
    return _SPACES.sub(" ", "".join(out)).strip()


def _plain(text: str, limit: int = 80) -> str:
    """Text for the alt text: control characters out, whitespace collapsed, at most limit."""
    text = "".join(ch for ch in str(text) if unicodedata.category(ch) != "Cc" or ch in "\t\n")
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(value: float) -> str:
    """Rounded down like the scorecard, so a label never contradicts its colour."""
    return f"{math.floor(value * 100 + _EPS)}%"


def _num(value: float) -> str:
    if abs(value - round(value)) < 1e-6:
        return f"{round(value):,}"
    if abs(value) < 10:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:,.1f}"


def _finite(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _safe_filename(filename: str, default: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", str(filename)).strip("-.") or default
    return name if name.lower().endswith(".png") else name + ".png"


def _cap_alt(text: str) -> str:
    return text if len(text) <= ALT_TEXT_MAX else text[: ALT_TEXT_MAX - 1].rstrip() + "…"


# Glyph outlines are loaded once at this many pixels per em, then scaled to each size.
_EM = 100.0
_CAP_HEIGHT = 0.729  # DejaVu Sans capital height, in em: centring text centres its capitals
# Scripts whose letters join, reorder or stack (Hebrew to Myanmar, Hangul jamo, Khmer, Mongolian,
# presentation forms) need the shaping engine, so text in them is drawn as ordinary Text.
_COMPLEX_SCRIPTS = (
    (0x0590, 0x109F),
    (0x1100, 0x11FF),
    (0x1780, 0x18AF),
    (0xA960, 0xA97F),
    (0xD7B0, 0xD7FF),
    (0xFB1D, 0xFDFF),
    (0xFE70, 0xFEFF),
)


@dataclass(frozen=True)
class _Glyph:
    face: tuple[str, str, str]  # family, weight, style
    index: int
    vertices: np.ndarray  # outline in em, pen at the origin
    codes: np.ndarray
    advance: float  # em


@cache
def _face_path(family: str, weight: str, style_: str) -> str:
    prop = FontProperties(family=family, weight=weight, style=style_)
    return str(findfont(prop, fallback_to_default=False))


@lru_cache(maxsize=8192)  # bounded: names can bring any character
def _glyph(char: str, weight: str, style_: str) -> _Glyph:
    """One character's outline and advance, from the first chart font that has it."""
    for family in (*_families(), _FAMILY):
        path = _face_path(family, weight, style_)
        font = get_font(path)
        if ord(char) in font.get_charmap() or family == _FAMILY:
            font.set_size(_EM, 72)  # 72 dpi: one point is one pixel, so _EM px per em
            loaded = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
            vertices, codes = font.get_path()
            return _Glyph(
                face=(family, weight, style_),
                index=font.get_char_index(ord(char)),
                vertices=np.asarray(vertices, dtype=float) / _EM,
                codes=np.asarray(codes, dtype=np.uint8),
                advance=loaded.linearHoriAdvance / 65536 / _EM,
            )
    raise AssertionError("unreachable: DejaVu Sans is always tried")


@lru_cache(maxsize=65536)
def _kerning(face: tuple[str, str, str], left: int, right: int) -> float:
    font = get_font(_face_path(*face))
    font.set_size(_EM, 72)
    return font.get_kerning(left, right, Kerning.UNFITTED) / 64 / _EM


def _layout(text: str, weight: str, style_: str) -> tuple[list[tuple[_Glyph, float]], float]:
    """Glyphs with their pen positions, and the total advance, all in em."""
    placed: list[tuple[_Glyph, float]] = []
    x = 0.0
    previous: _Glyph | None = None
    for char in text:
        glyph = _glyph(char, weight, style_)
        if previous is not None and previous.face == glyph.face:
            x += _kerning(glyph.face, previous.index, glyph.index)
        placed.append((glyph, x))
        x += glyph.advance
        previous = glyph
    return placed, x


def _simple(text: str) -> bool:
    """True when text needs no shaping: each character stands alone, left to right."""
    for char in text:
        point = ord(char)
        if any(lo <= point <= hi for lo, hi in _COMPLEX_SCRIPTS):
            return False
        if unicodedata.category(char) in ("Mn", "Mc", "Me"):
            return False
    return True


def _px_per_em(prop: FontProperties) -> float:
    return prop.get_size_in_points() * DPI / 72


class _Measure:
    """Text widths in pixels, for fitting labels, from the same layout that _Glyphs draws
    (advances and kerning, no hinting), without the cost of laying text out through FreeType
    (about 15 µs a character)."""

    def width(self, text: str, prop: FontProperties) -> float:
        _placed, advance = _layout(text, prop.get_weight(), prop.get_style())
        return advance * _px_per_em(prop)

    def fit(self, text: str, prop: FontProperties, max_px: float) -> str:
        """text, shortened with "…" until it fits max_px."""
        if self.width(text, prop) <= max_px:
            return text
        scale = _px_per_em(prop)
        room = max_px - _glyph("…", prop.get_weight(), prop.get_style()).advance * scale
        placed, _advance = _layout(text, prop.get_weight(), prop.get_style())
        keep = 0
        for glyph, x in placed:
            if (x + glyph.advance) * scale > room:
                break
            keep += 1
        return text[:keep].rstrip() + "…"


class _Glyphs:
    """Many short labels drawn as one filled path per colour.

    Matplotlib 3.11 draws Text glyph by glyph from Python (about 70 µs a glyph here), so the
    60 names and 60 values of a long ranking took most of the render. Glyph outlines are cached
    per character and filled by Agg in one call; text that needs shaping (see _simple) still
    goes through ordinary Text. Coordinates are display pixels from the bottom-left corner.
    """

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self._parts: dict[str, tuple[list[np.ndarray], list[np.ndarray]]] = {}

    def add(
        self,
        text: str,
        x: float,
        y: float,
        prop: FontProperties,
        colour: str,
        ha: str = "left",
        va: str = "center",
    ) -> None:
        if not text:
            return
        if not _simple(text):
            self.fig.text(
                x / self.fig.bbox.width,
                y / self.fig.bbox.height,
                text,
                fontproperties=prop,
                color=colour,
                ha=ha,
                va=va,
                parse_math=False,
            )
            return
        scale = _px_per_em(prop)
        placed, advance = _layout(text, prop.get_weight(), prop.get_style())
        left = {"left": 0.0, "center": -advance / 2, "right": -advance}[ha] * scale + x
        baseline = y - _CAP_HEIGHT * scale / 2 if va == "center" else y
        origin = np.array([round(left), round(baseline)], dtype=float)
        verts, codes = self._parts.setdefault(colour, ([], []))
        for glyph, pen in placed:
            if len(glyph.codes):
                verts.append(glyph.vertices * scale + origin + (pen * scale, 0.0))
                codes.append(glyph.codes)

    def draw(self, zorder: float = 5) -> None:
        for colour, (verts, codes) in self._parts.items():
            if not verts:
                continue
            path = Path(np.concatenate(verts), np.concatenate(codes))
            self.fig.add_artist(
                PathPatch(
                    path,
                    transform=IdentityTransform(),
                    facecolor=colour,
                    edgecolor="none",
                    linewidth=0,
                    zorder=zorder,
                )
            )


def _font(size: float, weight: str = "normal", style_: str = "normal") -> FontProperties:
    return FontProperties(family=list(_families()), size=size, weight=weight, style=style_)


def _new_figure(height_px: float) -> tuple[Figure, FigureCanvasAgg]:
    fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    return fig, canvas


def _png(fig: Figure) -> bytes:
    """The figure as a 256-colour PNG with no metadata chunks (no timestamp, no software name).

    A chart has a few hundred distinct colours (flat fills plus anti-aliasing), so an exact
    octree palette without dithering looks the same as RGB at a quarter of the size, and encodes
    faster: about 70 KB and 20 ms for a 300-rep chart instead of 300 KB and 40 ms.
    """
    canvas = fig.canvas
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    image = Image.fromarray(np.ascontiguousarray(rgba[:, :, :3]))
    paletted = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    # The octree averages each bucket, so white comes out as 254 and a bar's green one step off:
    # put the chart's own colours back exactly.
    palette = np.array(paletted.getpalette(), dtype=int).reshape(-1, 3)
    distance = np.abs(palette[:, None, :] - _ANCHORS[None, :, :]).max(axis=2)
    close = distance.min(axis=1) <= 4
    palette[close] = _ANCHORS[distance.argmin(axis=1)[close]]
    paletted.putpalette(palette.astype(np.uint8).tobytes())
    buf = io.BytesIO()
    paletted.save(buf, format="PNG", compress_level=6, optimize=False)
    return buf.getvalue()


class _Layout:
    """Place figure text in pixels from the top-left corner."""

    def __init__(self, fig: Figure, height_px: float) -> None:
        self.fig = fig
        self.h = height_px

    def text(self, x: float, y_from_top: float, s: str, prop: FontProperties, **kw) -> None:
        self.fig.text(
            x / WIDTH_PX,
            1 - y_from_top / self.h,
            s,
            fontproperties=prop,
            parse_math=False,
            va=kw.pop("va", "top"),
            **kw,
        )

    def swatch(self, x: float, y_from_top: float, w: float, h: float, colour: str) -> None:
        """A filled box, its top-left corner at (x, y_from_top)."""
        self.fig.add_artist(
            Rectangle(
                (x / WIDTH_PX, 1 - (y_from_top + h) / self.h),
                w / WIDTH_PX,
                h / self.h,
                transform=self.fig.transFigure,
                facecolor=colour,
                linewidth=0,
            )
        )

    def line(self, x0: float, x1: float, y_from_top: float, **kw) -> None:
        """A horizontal line segment (for legend keys); kw go to Line2D."""
        y = 1 - y_from_top / self.h
        self.fig.add_artist(
            Line2D([x0 / WIDTH_PX, x1 / WIDTH_PX], [y, y], transform=self.fig.transFigure, **kw)
        )

    def axes_rect(self, left: float, top: float, right: float, bottom: float) -> list[float]:
        """[left, bottom, width, height] in figure fractions, from pixel margins."""
        return [
            left / WIDTH_PX,
            bottom / self.h,
            (WIDTH_PX - left - right) / WIDTH_PX,
            (self.h - top - bottom) / self.h,
        ]


_PAD = 18  # outer margin, px
_TITLE = _font(14, "bold")
_SUBTITLE = _font(10)
_LABEL = _font(10)
_VALUE = _font(9, "bold")
_NOTE = _font(9, style_="italic")
_LEGEND = _font(9)


def _header(lay: _Layout, measure: _Measure, title: str, subtitle: str) -> float:
    """Draw title and subtitle; return the y (px from top) just below them."""
    y = _PAD - 2
    width = WIDTH_PX - 2 * _PAD
    lay.text(_PAD, y, measure.fit(_clean(title), _TITLE, width), _TITLE, color=INK)
    y += 26
    if subtitle:
        lay.text(_PAD, y, measure.fit(_clean(subtitle), _SUBTITLE, width), _SUBTITLE, color=MUTED)
        y += 19
    return y


def _empty(title: str, subtitle: str, message: str) -> bytes:
    height = 220
    fig, canvas = _new_figure(height)
    lay = _Layout(fig, height)
    measure = _Measure()
    y = _header(lay, measure, title, subtitle)
    lay.text(
        WIDTH_PX / 2,
        y + (height - y) / 2,
        message,
        _font(11, style_="italic"),
        color=MUTED,
        ha="center",
        va="center",
    )
    return _png(fig)


# --------------------------------------------------------------------------------------------
# Attainment


def _status_colour(value: float, thresholds: Thresholds) -> str:
    if value >= thresholds.on_pace - _EPS:
        return GREEN
    if value >= thresholds.at_risk - _EPS:
        return AMBER
    return RED


def _attainment_alt(
    title: str,
    subtitle: str,
    bars: Sequence[tuple[str, float | None]],
    values: list[float | None],
    goal_line: float,
    thresholds: Thresholds,
    shown: int,
) -> str:
    n = len(bars)
    head = f"Bar chart: {_plain(title, 150)}"
    if subtitle:
        head += f" ({_plain(subtitle, 150)})"
    if n == 0:
        return _cap_alt(head + ". No reps to show.")
    rep_s = "rep" if n == 1 else "reps"
    scored = [(name, v) for (name, _), v in zip(bars, values, strict=True) if v is not None]
    on = sum(1 for _, v in scored if v >= thresholds.on_pace - _EPS)
    risk = sum(1 for _, v in scored if thresholds.at_risk - _EPS <= v < thresholds.on_pace - _EPS)
    behind = len(scored) - on - risk
    parts = [f"{on} at or above {_pct(thresholds.on_pace)}"]
    if risk:
        parts.append(f"{risk} from {_pct(thresholds.at_risk)} to below {_pct(thresholds.on_pace)}")
    if behind:
        parts.append(f"{behind} below {_pct(thresholds.at_risk)}")
    no_goal = n - len(scored)
    if no_goal:
        parts.append(f"{no_goal} without a goal")
    text = f"{head}. Attainment of {n} {rep_s} against a goal line at {_pct(goal_line)}: "
    text += ", ".join(parts) + "."
    if len(scored) == 1:
        name, v = scored[0]
        text += f" {_plain(name, 60)}: {_pct(v)}."
    elif scored:
        top = max(scored, key=lambda item: item[1])  # the first of equals, in the given order
        low = min(scored, key=lambda item: item[1])
        text += f" Top: {_plain(top[0], 60)} {_pct(top[1])}."
        text += f" Lowest: {_plain(low[0], 60)} {_pct(low[1])}."
    if shown < n:
        half = shown // 2
        text += f" The chart shows the first {half} and the last {shown - half} of the {n} {rep_s}."
    return _cap_alt(text)


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
    filename = _safe_filename(filename, "attainment.png")
    values = [_finite(v) for _, v in bars]
    n = len(bars)

    # Rows to draw: (name, value) or None for the "… more …" row.
    if n > max_bars:
        top = max_bars // 2
        bottom = max_bars - top
        rows: list[tuple[str, float | None] | None] = [
            *zip((name for name, _ in bars[:top]), values[:top], strict=True),
            None,
            *zip((name for name, _ in bars[n - bottom :]), values[n - bottom :], strict=True),
        ]
        hidden = n - max_bars
    else:
        rows = list(zip((name for name, _ in bars), values, strict=True))
        hidden = 0
    shown = n - hidden
    alt = _attainment_alt(title, subtitle, bars, values, goal_line, thresholds, shown)

    with _rendering():
        if n == 0:
            png = _empty(title, subtitle, "No reps to show yet.")
            return Chart(png=png, alt_text=alt, title=title, filename=filename)

        rows_n = len(rows)
        row_px = min(34, max(22, 420 // rows_n))
        top_px = _PAD + 26 + (19 if subtitle else 0) + 30  # header, legend, "goal" label
        bottom_px = 30 + (22 if hidden else 0) + _PAD - 6
        height = top_px + rows_n * row_px + bottom_px
        height = min(max(height, 200), MAX_HEIGHT_PX)

        fig, canvas = _new_figure(height)
        lay = _Layout(fig, height)
        measure = _Measure()
        y = _header(lay, measure, title, subtitle)

        # Legend: status colours, on one line under the title.
        x = _PAD
        keys = [(GREEN, f"{_pct(thresholds.on_pace)} and up")]
        if thresholds.at_risk < thresholds.on_pace:
            below = math.floor(thresholds.on_pace * 100 + _EPS) - 1
            keys.append((AMBER, f"{_pct(thresholds.at_risk)}–{below}%"))
        keys += [(RED, f"under {_pct(thresholds.at_risk)}")]
        if any(v is None for v in values):
            keys.append((NO_GOAL, "no goal"))
        for colour, label in keys:
            lay.swatch(x, y + 3, 10, 10, colour)
            x += 15
            lay.text(x, y + 1, label, _LEGEND, color=MUTED)
            x += measure.width(label, _LEGEND) + 18

        names = [_clean(row[0]) or "?" if row else "" for row in rows]
        names = [measure.fit(name, _LABEL, NAME_MAX_PX) for name in names]
        label_px = max((measure.width(name, _LABEL) for name in names), default=0)
        left_px = _PAD + label_px + 10
        ax = fig.add_axes(lay.axes_rect(left_px, top_px, _PAD + 4, bottom_px))
        axes_w = WIDTH_PX - left_px - _PAD - 4

        shown_values = [row[1] for row in rows if row and row[1] is not None]
        cap = X_CAP * max(goal_line, _EPS)
        reach = min(max([goal_line, *shown_values]), cap)
        reach = max(reach, 0.01)
        # Room to the right of the longest bar for its label ("1,234%" at 9 pt is about 45 px).
        label_room = 52
        x_max = reach * axes_w / max(axes_w - label_room, 1)

        ax.set_xlim(0, x_max)
        ax.set_ylim(rows_n - 0.5, -0.5)
        ax.set_axisbelow(True)
        ax.xaxis.grid(True, color=GRID, linewidth=0.8)
        step = 0.25 if x_max <= 1.6 else 0.5
        ax.xaxis.set_major_locator(MultipleLocator(step))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v * 100:.0f}%"))
        ax.tick_params(axis="x", length=0, pad=6)
        ax.set_yticks([])
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color(GRID)

        # Bars as one collection: a Rectangle patch each costs about half a millisecond.
        bar_h = 0.68 if rows_n > 1 else 0.5
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

        ax.axvline(goal_line, color=GOAL_LINE, linewidth=1.3, linestyle=(0, (4, 3)), zorder=3)
        ax.text(
            goal_line,
            -0.5,
            f"goal {_pct(goal_line)}",
            transform=offset_copy(ax.transData, fig=fig, x=0, y=5, units="dots"),
            ha="center",
            va="bottom",
            fontproperties=_font(9, "bold"),
            color=INK,
            parse_math=False,
        )

        # Names and values: positions in display pixels, from the axes' own transform.
        glyphs = _Glyphs(fig)
        to_px = ax.transData.transform
        axes_left = to_px((0, 0))[0]
        for i, (row, name) in enumerate(zip(rows, names, strict=True)):
            if row is None:
                ax.text(
                    0.5,
                    i,
                    f"…  {hidden:,} more  …",
                    transform=ax.get_yaxis_transform(),
                    ha="center",
                    va="center",
                    fontproperties=_NOTE,
                    color=MUTED,
                    parse_math=False,
                    zorder=4,
                    bbox={"boxstyle": "square,pad=0.3", "facecolor": "white", "linewidth": 0},
                )
                continue
            value = row[1]
            if value is None:
                label, at, colour, prop = "no goal", 0.0, FAINT, _NOTE
            else:
                label, at = _pct(value), min(max(value, 0.0), cap)
                colour, prop = INK, _VALUE
            x_end, y_mid = to_px((at, i))
            glyphs.add(name, axes_left - 8, y_mid, _LABEL, INK, ha="right")
            glyphs.add(label, x_end + 5, y_mid, prop, colour)
            if value is not None and value > cap:
                # A break mark near the end of a bar cut at the edge of the chart.
                glyphs.add("//", x_end - 10, y_mid, _font(9, "bold"), "white", ha="center")
        glyphs.draw()

        if hidden:
            half = max_bars // 2
            note = (
                f"Showing the first {half} and the last {max_bars - half} of {n:,} reps; "
                f"{hidden:,} more are not drawn."
            )
            lay.text(_PAD, height - _PAD + 4, note, _NOTE, color=MUTED, va="bottom")

        png = _png(fig)
    return Chart(png=png, alt_text=alt, title=title, filename=filename)


# --------------------------------------------------------------------------------------------
# Trend


def _series_alt(name: str, periods: Sequence[str], values: list[float | None], fmt) -> str:
    points = [(p, v) for p, v in zip(periods, values, strict=True) if v is not None]
    if not points:
        return f"{_plain(name, 60)}: no data."
    first, last = points[0], points[-1]
    if len(points) > 1 and all(v == first[1] for _, v in points):
        text = f"{_plain(name, 60)}: {fmt(first[1])} throughout"
    elif len(points) == 1:
        text = f"{_plain(name, 60)}: {fmt(first[1])} in {_plain(first[0], 30)}"
    else:
        text = (
            f"{_plain(name, 60)}: {fmt(first[1])} in {_plain(first[0], 30)}, "
            f"{fmt(last[1])} in {_plain(last[0], 30)}"
        )
        high = max(points, key=lambda pv: pv[1])
        low = min(points, key=lambda pv: pv[1])
        if len(points) > 2:
            text += f"; high {fmt(high[1])} ({_plain(high[0], 30)})"
            text += f", low {fmt(low[1])} ({_plain(low[0], 30)})"
    gaps = len(values) - len(points)
    if gaps:
        text += f"; no data for {gaps} period{'s' if gaps != 1 else ''}"
    return text + "."


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
    filename = _safe_filename(filename, "trend.png")
    for name, values in series.items():
        if len(values) != len(periods):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(periods)} periods")
    if goal is not None and len(goal) != len(periods):
        raise ValueError(f"goal has {len(goal)} values for {len(periods)} periods")

    data = {name: [_finite(v) for v in values] for name, values in series.items()}
    goal_values = [_finite(v) for v in goal] if goal is not None else None
    fmt = _pct if percent else _num

    head = f"Line chart: {_plain(title, 150)}"
    if subtitle:
        head += f" ({_plain(subtitle, 150)})"
    has_data = any(v is not None for values in data.values() for v in values)
    if not periods or not has_data:
        alt = _cap_alt(head + ". No data to show yet.")
    else:
        span = (
            f"{_plain(periods[0], 30)}"
            if len(periods) == 1
            else f"{_plain(periods[0], 30)} to {_plain(periods[-1], 30)}"
        )
        period_s = "period" if len(periods) == 1 else "periods"
        sentences = [f"{head}, {len(periods)} {period_s}, {span}."]
        if goal_values is not None:
            sentences.append(_series_alt("Goal", periods, goal_values, fmt))
        # Whole sentences only: as many series as fit, then how many were left out.
        for k, (name, values) in enumerate(data.items()):
            sentence = _series_alt(name, periods, values, fmt)
            rest = len(data) - k - 1
            reserve = len(f" And {rest} more series.") if rest else 0
            if len(" ".join([*sentences, sentence])) + reserve > ALT_TEXT_MAX:
                sentences.append(f"And {len(data) - k} more series.")
                break
            sentences.append(sentence)
        alt = _cap_alt(" ".join(sentences))

    with _rendering():
        if not periods or not has_data:
            png = _empty(title, subtitle, "No data to show yet.")
            return Chart(png=png, alt_text=alt, title=title, filename=filename)

        drawn = list(data.items())[:max_series]
        left_out = len(data) - len(drawn)
        entries = [
            (name, SERIES_COLOURS[i % len(SERIES_COLOURS)], False)
            for i, (name, _) in enumerate(drawn)
        ]
        if goal_values is not None:
            entries.append(("Goal", GOAL_LINE, True))

        # Legend below the plot: up to three entries a row.
        cols = 1 if len(entries) == 1 else min(3, len(entries))
        legend_rows = math.ceil(len(entries) / cols)
        legend_h = legend_rows * 20 + 6
        note_h = 20 if left_out else 0
        plot_h = 300
        top_px = _PAD + 26 + (19 if subtitle else 0) + 12
        bottom_px = 34 + legend_h + note_h + _PAD - 4
        height = top_px + plot_h + bottom_px

        fig, canvas = _new_figure(height)
        lay = _Layout(fig, height)
        measure = _Measure()
        _header(lay, measure, title, subtitle)

        # Y tick labels need room on the left; measure the widest one once the limits are known.
        all_values = [v for _, values in drawn for v in values if v is not None]
        if goal_values is not None:
            all_values += [v for v in goal_values if v is not None]
        lo, hi = min(all_values), max(all_values)
        y_min = min(0.0, lo * 1.08)
        y_max = hi * 1.12 if hi > 0 else 1.0
        if y_max <= y_min:
            y_max = y_min + 1.0

        if percent:
            y_fmt = FuncFormatter(lambda v, _pos: f"{v * 100:.0f}%")
        else:
            y_fmt = FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 10 else f"{v:g}")
        locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=not percent and hi >= 5)
        ticks = [t for t in locator.tick_values(y_min, y_max) if y_min - _EPS <= t <= y_max + _EPS]
        tick_px = max((measure.width(y_fmt(t, None), _font(9)) for t in ticks), default=20)
        left_px = _PAD + tick_px + 10

        ax = fig.add_axes(lay.axes_rect(left_px, top_px, _PAD + 8, bottom_px))
        axes_w = WIDTH_PX - left_px - _PAD - 8
        n = len(periods)
        ax.set_xlim(-0.5 if n > 1 else -1, n - 0.5 if n > 1 else 1)
        ax.set_ylim(y_min, y_max)
        ax.yaxis.set_major_locator(locator)
        ax.yaxis.set_major_formatter(y_fmt)
        ax.set_axisbelow(True)
        ax.yaxis.grid(True, color=GRID, linewidth=0.8)
        ax.tick_params(axis="both", length=0, pad=6)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color(FAINT)

        # Period labels: as many as fit side by side, always including the latest period.
        tick_prop = _font(9)
        labels = [measure.fit(_clean(p) or "?", tick_prop, 110) for p in periods]
        widest = max(measure.width(label, tick_prop) for label in labels) + 14
        every = max(1, math.ceil(n / max(1, int(axes_w // widest))))
        positions = list(range(n - 1, -1, -every))[::-1]
        ax.set_xticks(positions, [labels[i] for i in positions], fontproperties=tick_prop)

        xs = list(range(n))
        markersize = 5 if n <= 26 else 3
        for i, (_name, values) in enumerate(drawn):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            ys = [math.nan if v is None else v for v in values]
            ax.plot(
                xs,
                ys,
                color=colour,
                linewidth=2.2,
                marker="o",
                markersize=markersize,
                markeredgewidth=0,
                solid_capstyle="round",
                zorder=3,
            )
        if goal_values is not None:
            ax.plot(
                xs,
                [math.nan if v is None else v for v in goal_values],
                color=GOAL_LINE,
                linewidth=1.4,
                linestyle=(0, (4, 3)),
                marker="None" if n > 1 else "D",
                markersize=5,
                zorder=2,
            )

        # Legend entries drawn by hand, so the layout is fixed and names are fitted to a column.
        col_w = (WIDTH_PX - 2 * _PAD) / cols
        legend_top = height - bottom_px + 34
        for k, (name, colour, dashed) in enumerate(entries):
            r, c = divmod(k, cols)
            x = _PAD + c * col_w
            y = legend_top + r * 20
            if dashed:
                lay.line(x, x + 22, y + 8, color=colour, linewidth=1.4, linestyle=(0, (4, 3)))
            else:
                lay.line(x, x + 22, y + 8, color=colour, linewidth=2.2, solid_capstyle="round")
                lay.line(
                    x + 11,
                    x + 11,
                    y + 8,
                    color=colour,
                    marker="o",
                    markersize=5,
                    markeredgewidth=0,
                    linestyle="None",
                )
            label = measure.fit(_clean(name) or "?", _LEGEND, col_w - 42)
            lay.text(x + 30, y + 1, label, _LEGEND, color=INK)
        if left_out:
            note = f"{left_out} more series not drawn."
            lay.text(_PAD, legend_top + legend_rows * 20 + 4, note, _NOTE, color=MUTED)

        png = _png(fig)
    return Chart(png=png, alt_text=alt, title=title, filename=filename)
