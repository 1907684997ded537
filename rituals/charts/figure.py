"""A chart's figure, laid out in pixels, and the PNG it becomes.

Charts use matplotlib's object-oriented API on the Agg canvas: never pyplot, whose global figure
manager is not safe in a threaded web process and could try to open a window. Text is ordinary
matplotlib Text, measured with the renderer that will draw it, so a label fitted here is exactly
as wide when drawn.

The PNG is written by Pillow with no metadata chunks (no timestamp, no software name), so the
same input gives the same bytes. Output can differ between matplotlib, FreeType or Pillow
versions, so compare bytes within one environment only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from rituals.charts.style import (
    ANCHORS,
    DPI,
    INK,
    MESSAGE,
    MUTED,
    PAD,
    SUBTITLE,
    TITLE,
    WIDTH_PX,
)
from rituals.charts.text import clean

ELLIPSIS = "…"


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt_text: str  # a description for screen readers (≤ ALT_TEXT_MAX characters)
    title: str
    filename: str


class Canvas:
    """One chart's figure, WIDTH_PX wide and ``height_px`` high. Positions are pixels from the
    top-left corner."""

    def __init__(self, height_px: float) -> None:
        self.h = height_px
        self.fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, facecolor="white")
        self._agg = FigureCanvasAgg(self.fig)
        # The renderer that will draw the figure (Agg keeps one per size). Measuring through a
        # Text on it fills matplotlib's per-renderer text metrics cache, so a label measured
        # while fitting is not measured again when it is drawn.
        self._renderer = self._agg.get_renderer()
        self._ruler = Text(parse_math=False)
        self._ruler.set_figure(self.fig)

    # -- measuring -----------------------------------------------------------------------------

    def width(self, text: str, prop: FontProperties) -> float:
        """Text's width in pixels, as matplotlib will lay it out."""
        if not text:
            return 0.0
        self._ruler.set_text(text)
        self._ruler.set_fontproperties(prop)
        return self._ruler.get_window_extent(self._renderer).width

    def fit(self, text: str, prop: FontProperties, max_px: float) -> str:
        """text, shortened with "…" until it fits max_px: the longest such label.

        Measuring costs about 8 µs a character (FreeType loads every glyph), so a long name is
        not measured whole nor cut one character at a time: each measurement's average
        character width guesses the next cut, which usually takes two or three measurements.
        """

        def label(keep: int) -> str:
            return text if keep >= len(text) else text[:keep].rstrip() + ELLIPSIS

        ellipsis_px = self.width(ELLIPSIS, prop)
        char_px = 0.55 * prop.get_size_in_points() * DPI / 72  # DejaVu Sans, an average name
        fits, too_long = 0, len(text) + 1  # the longest label known to fit, the shortest not
        keep = int((max_px - ellipsis_px) / char_px)
        while too_long - fits > 1:
            keep = min(max(keep, fits + 1), too_long - 1)
            px = self.width(label(keep), prop)
            if px <= max_px:
                fits = keep
            else:
                too_long = keep
            char_px = max(px - ellipsis_px, 1.0) / max(keep, 1)
            keep = int((max_px - ellipsis_px) / char_px)
        return label(fits)

    # -- drawing -------------------------------------------------------------------------------

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

    def axes(self, left: float, top: float, right: float, bottom: float) -> Axes:
        """Axes inside pixel margins."""
        return self.fig.add_axes(
            (
                left / WIDTH_PX,
                bottom / self.h,
                (WIDTH_PX - left - right) / WIDTH_PX,
                (self.h - top - bottom) / self.h,
            )
        )

    def header(self, title: str, subtitle: str) -> float:
        """Draw title and subtitle; return the y (px from top) just below them."""
        y = PAD - 2
        room = WIDTH_PX - 2 * PAD
        self.text(PAD, y, self.fit(clean(title, TITLE), TITLE, room), TITLE, color=INK)
        y += 26
        if subtitle:
            line = self.fit(clean(subtitle, SUBTITLE), SUBTITLE, room)
            self.text(PAD, y, line, SUBTITLE, color=MUTED)
            y += 19
        return y

    def png(self) -> bytes:
        """The figure as a 256-colour PNG with no metadata chunks.

        A chart has a few hundred distinct colours (flat fills plus anti-aliasing), so an exact
        octree palette without dithering looks the same as RGB at a quarter of the size, and
        encodes faster.
        """
        self._agg.draw()
        rgba = np.asarray(self._agg.buffer_rgba())
        image = Image.fromarray(np.ascontiguousarray(rgba[:, :, :3]))
        paletted = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        # The octree averages each bucket, so white comes out as 254 and a bar's green one step
        # off: put the chart's own colours back exactly.
        palette = np.array(paletted.getpalette(), dtype=int).reshape(-1, 3)
        distance = np.abs(palette[:, None, :] - ANCHORS[None, :, :]).max(axis=2)
        close = distance.min(axis=1) <= 4
        palette[close] = ANCHORS[distance.argmin(axis=1)[close]]
        paletted.putpalette(palette.astype(np.uint8).tobytes())
        buf = io.BytesIO()
        paletted.save(buf, format="PNG", compress_level=6, optimize=False)
        return buf.getvalue()


def empty_chart(title: str, subtitle: str, message: str) -> bytes:
    """A chart with its title and a message in place of the data."""
    height = 220
    canvas = Canvas(height)
    y = canvas.header(title, subtitle)
    canvas.text(
        WIDTH_PX / 2,
        y + (height - y) / 2,
        message,
        MESSAGE,
        color=MUTED,
        ha="center",
        va="center",
    )
    return canvas.png()
