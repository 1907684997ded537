"""Tests for rituals.charts.style: matplotlib's own fonts, settings pinned while rendering, and
renders safe from many threads."""

import subprocess
import sys
import threading
from pathlib import Path

import matplotlib

from rituals.charts import attainment_chart
from rituals.charts.style import FONT_DIR, LABEL, NOTE, TITLE, VALUE
from tests.rituals.charts.common import TEAM, long_team


def test_global_matplotlib_settings_do_not_change_the_chart():
    before = attainment_chart("Calls", TEAM).png
    with matplotlib.rc_context({"font.size": 30, "text.color": "red", "axes.facecolor": "black"}):
        during = attainment_chart("Calls", TEAM).png
    assert during == before


def test_concurrent_renders_match_serial_ones():
    inputs = [long_team(n) for n in (1, 12, 60, 300)]
    expected = [attainment_chart("Calls", bars).png for bars in inputs]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            results[k] = attainment_chart("Calls", inputs[k % 4]).png
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(results[k] == expected[k % 4] for k in range(8))


def test_fonts_are_the_ones_matplotlib_ships():
    shipped = Path(matplotlib.get_data_path()).resolve()
    assert FONT_DIR.resolve().is_relative_to(shipped)
    for prop in (LABEL, NOTE, TITLE, VALUE):
        path = Path(prop.get_file()).resolve()
        assert path.is_relative_to(shipped) and path.is_file()
        assert path.name.startswith("DejaVuSans")


def test_charts_never_load_pyplot():
    """The Agg canvas only: pyplot's figure manager would pick an interactive backend."""
    code = (
        "import sys\n"
        "from rituals.charts import attainment_chart, trend_chart\n"
        "attainment_chart('Calls', [('Ana', 1.0)])\n"
        "trend_chart('Calls', ['W1', 'W2'], {'Calls': [1, 2]})\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
