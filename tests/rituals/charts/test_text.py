"""Tests for rituals.charts.text: what may be drawn, file names."""

from rituals.charts import attainment_chart
from rituals.charts.style import LABEL, VALUE, drawable
from rituals.charts.text import clean
from tests.rituals.charts.common import TEAM


def test_filenames_are_made_safe():
    assert attainment_chart("x", TEAM, filename="../../etc/passwd").filename == "etc-passwd.png"
    assert attainment_chart("x", TEAM, filename="weekly report").filename == "weekly-report.png"
    assert attainment_chart("x", TEAM, filename="").filename == "attainment.png"


def test_undrawable_symbols_are_left_out_and_letters_shown_as_boxes():
    assert clean("🚀 Zoë Ångström 👩🏽‍💻", LABEL) == "Zoë Ångström"
    assert clean("王伟", LABEL) == "□□"
    assert clean("🔥🔥🔥", LABEL) == ""
    assert clean("Ana\tRuiz\n", LABEL) == "Ana Ruiz"
    assert clean("$ales $$ \\frac{", LABEL) == "$ales $$ \\frac{"


def test_cleaning_follows_the_face_drawn():
    # The bold face has fewer glyphs than the regular one; what it lacks becomes a box.
    regular, bold = drawable(LABEL.get_file()), drawable(VALUE.get_file())
    letter = next(chr(p) for p in sorted(regular - bold) if chr(p).isalpha())
    assert clean(letter, LABEL) == letter
    assert clean(letter, VALUE) == "□"
