"""Sample teams and PNG inspection shared by the chart tests."""

import io
import struct

from PIL import Image

from rituals.charts import Chart

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
