"""How every chart looks: sizes, colours, fonts, and the matplotlib settings pinned while a chart
renders.

Fonts are the DejaVu Sans files that ship inside matplotlib, named by path: a system font that
happens to carry the same family name, or anything else installed on the machine, never takes
part. Characters DejaVu Sans cannot draw are dealt with before drawing (``text.clean``): letters
it lacks (Chinese, Japanese, Korean names) show as "□", and the alt text carries them as written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import style
from matplotlib.font_manager import FontProperties, get_font

DPI = 100
WIDTH_PX = 800
MAX_HEIGHT_PX = 1600
PAD = 18  # outer margin, px

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
# Every colour a chart draws flat, as RGB rows: the PNG palette snaps back to these exactly.
ANCHORS = np.array(
    [
        [int(c[i : i + 2], 16) for i in (1, 3, 5)]
        for c in ("#FFFFFF", INK, MUTED, FAINT, GRID, GREEN, AMBER, RED, NO_GOAL, *SERIES_COLOURS)
    ],
    dtype=int,
)

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FACES = {
    ("normal", "normal"): "DejaVuSans.ttf",
    ("bold", "normal"): "DejaVuSans-Bold.ttf",
    ("normal", "italic"): "DejaVuSans-Oblique.ttf",
    ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
}


def font(size: float, weight: str = "normal", style_: str = "normal") -> FontProperties:
    """DejaVu Sans from matplotlib's own files, at ``size`` points."""
    return FontProperties(fname=FONT_DIR / _FACES[weight, style_], size=size)


TITLE = font(14, "bold")
SUBTITLE = font(10)
LABEL = font(10)  # rep names
VALUE = font(9, "bold")  # a bar's percentage
NOTE = font(9, style_="italic")
LEGEND = font(9)
TICK = font(9)
GOAL_LABEL = font(9, "bold")
MESSAGE = font(11, style_="italic")  # "No data to show yet."


@cache
def drawable(fname: str) -> frozenset[int]:
    """Code points the font file has a glyph for (the bold and oblique faces have fewer)."""
    return frozenset(get_font(fname).get_charmap())


def _settings() -> dict[str, object]:
    return {
        "font.family": ["DejaVu Sans"],  # every text names its file; this is the backstop
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


_RENDER_LOCK = threading.Lock()


@contextmanager
def rendering() -> Iterator[None]:
    """Hold while building and drawing a chart.

    matplotlib's settings are process-wide. style.context resets every one of them to
    matplotlib's defaults, then applies ours, so whatever else in the process touched rcParams
    cannot change a chart's bytes; the lock keeps two threads from pinning them at once.
    """
    with _RENDER_LOCK, style.context(["default", _settings()]):
        yield
