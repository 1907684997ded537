"""Tests for rituals.charts.figure: deterministic PNG bytes without metadata, labels fitted to
their room."""

import pytest

from rituals.charts import attainment_chart
from rituals.charts.figure import ELLIPSIS, Canvas
from rituals.charts.style import LABEL, TITLE, rendering
from tests.rituals.charts.common import TEAM, chunk_types, long_team


def test_same_input_same_bytes():
    first = attainment_chart("Calls", long_team(300)).png
    second = attainment_chart("Calls", long_team(300)).png
    assert first == second


def test_png_carries_no_metadata():
    types = chunk_types(attainment_chart("Calls", TEAM).png)
    assert types[0] == b"IHDR" and types[-1] == b"IEND"
    assert not {b"tEXt", b"zTXt", b"iTXt", b"tIME"} & set(types)


@pytest.mark.parametrize(
    "text",
    [
        "Ana Ruiz",
        "W" * 80,
        "i" * 80,
        "Maximilian " * 8,
        "Alexandra Konstantinopoulou Vanderbilt-Ashworth #000 Alexandra Konstantinopoulou",
        "محمد عبد الله " * 6,
        "",
    ],
)
def test_fit_gives_the_longest_label_that_fits(text):
    with rendering():
        canvas = Canvas(200)
        fitted = canvas.fit(text, LABEL, 230)
        assert canvas.width(fitted, LABEL) <= 230
        if fitted == text:
            return
        keep = len(fitted) - len(ELLIPSIS)
        assert fitted.endswith(ELLIPSIS) and text.startswith(fitted[:keep])
        # The next longer label (one more character, spaces aside) no longer fits.
        longer = next(
            label
            for label in (text[:k].rstrip() + ELLIPSIS for k in range(keep + 1, len(text)))
            if label != fitted
        )
        assert canvas.width(longer, LABEL) > 230


def test_fit_keeps_text_that_fits_and_measures_like_the_drawing():
    with rendering():
        canvas = Canvas(200)
        assert canvas.fit("Calls this week", TITLE, 764) == "Calls this week"
        # Wider text is wider, and the same text at a bigger size is wider still.
        assert canvas.width("Calls", LABEL) < canvas.width("Calls this week", LABEL)
        assert canvas.width("Calls", LABEL) < canvas.width("Calls", TITLE)
