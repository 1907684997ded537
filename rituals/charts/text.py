"""Words and numbers for the charts: text made safe to draw, text for the alt text, percentages
and counts, file names.

Characters the chart font cannot draw are left out when they are symbols (emoji, variation
selectors, joiners, direction marks) and shown as "□" when they are letters, so no glyph-missing
warnings reach the logs and a name made of such letters still shows up as a name. The alt text
always carries names as written. ``$`` is plain text (mathtext is off), so "$ales" cannot break
a chart.
"""

from __future__ import annotations

import math
import re
import unicodedata

from matplotlib.font_manager import FontProperties

from rituals.charts.style import drawable

ALT_TEXT_MAX = 1000  # Slack's limit on a file's alt text
EPS = 1e-9  # same slack as rituals.pacing: exactly on the threshold counts as reaching it

_SPACES = re.compile(r"\s+")


def clean(text: str, prop: FontProperties) -> str:
    """Text for the image in the font ``prop``: control and format characters out, undrawable
    symbols out, undrawable letters as "□", whitespace collapsed."""
    points = drawable(prop.get_file())
    out = []
    for ch in str(text):
        if ch in "\t\n\r\f\v":
            out.append(" ")
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        if ord(ch) in points:
            out.append(ch)
        elif cat[0] in "LN":
            out.append("□")
        # anything else undrawable (emoji, symbols, combining marks) is left out
    return _SPACES.sub(" ", "".join(out)).strip()


def plain(text: str, limit: int = 80) -> str:
    """Text for the alt text: control characters out, whitespace collapsed, at most limit."""
    text = "".join(ch for ch in str(text) if unicodedata.category(ch) != "Cc" or ch in "\t\n")
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def cap_alt(text: str) -> str:
    return text if len(text) <= ALT_TEXT_MAX else text[: ALT_TEXT_MAX - 1].rstrip() + "…"


def pct(value: float) -> str:
    """Rounded down like the scorecard, so a label never contradicts its colour (99.6% shows
    99%, amber)."""
    return f"{math.floor(value * 100 + EPS)}%"


def num(value: float) -> str:
    if abs(value - round(value)) < 1e-6:
        return f"{round(value):,}"
    if abs(value) < 10:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:,.1f}"


def finite(value: object) -> float | None:
    """value as a float, or None when it is missing, not a number, infinite or a bool."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def safe_filename(filename: str, default: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", str(filename)).strip("-.") or default
    return name if name.lower().endswith(".png") else name + ".png"
