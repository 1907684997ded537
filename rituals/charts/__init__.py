"""Digest charts: plain data in, PNG bytes out (no Slack, no database).

* :func:`attainment_chart` (``attainment.py``) — one horizontal bar per rep against a goal line,
  coloured by status;
* :func:`trend_chart` (``trend.py``) — one line per series over periods, an optional goal line.

Both return a :class:`Chart`: the PNG (800 px wide at 100 dpi, the size Slack previews
comfortably), a plain-text alt text, the title and a safe file name. ``style.py`` holds how they
look (sizes, colours, the DejaVu Sans fonts shipped with matplotlib), ``figure.py`` the pixel
layout and the PNG, ``text.py`` the words and numbers.

Renders take a module lock, because matplotlib's settings are process-wide and a chart pins them
while it draws (see ``style.rendering``). Text is matplotlib's own (shaped, then drawn glyph by
glyph by Agg), which is most of a chart's cost: the 60-row picture of a 300-rep ranking (about
120 name and value labels, 2,500 glyphs) renders in about 175 ms, a trend chart in about 25 ms.
"""

from rituals.charts.attainment import MAX_BARS, attainment_chart
from rituals.charts.figure import Chart
from rituals.charts.style import DPI, MAX_HEIGHT_PX, WIDTH_PX
from rituals.charts.text import ALT_TEXT_MAX
from rituals.charts.trend import MAX_SERIES, trend_chart

__all__ = [
    "ALT_TEXT_MAX",
    "DPI",
    "MAX_BARS",
    "MAX_HEIGHT_PX",
    "MAX_SERIES",
    "WIDTH_PX",
    "Chart",
    "attainment_chart",
    "trend_chart",
]
