"""`pacer demo` end to end: two weeks of a sample team through the real command path; its exit
code, its summary, and the same story for the same day."""

import io
import re

from simulator.demo.run import run_demo
from storage import log_queries
from storage.db import make_engine, session
from tests.simulator.demo.support import TODAY


def test_exits_zero_and_reports_no_problem(runs):
    for code, text in runs[1]:
        assert code == 0, text
        assert "unexpected error" not in text
        assert "Problems (" not in text
        assert "Traceback" not in text


def test_summary_matches_the_database(runs):
    folder, results = runs
    text = results[1][1]
    played, stored = map(int, re.search(r"(\d+) commands played, (\d+) logs stored", text).groups())
    assert played > 100
    engine = make_engine(f"sqlite:///{folder / 'pacer-demo.db'}")
    with session(engine) as s:
        assert (
            log_queries.count_logs(s) == stored
        )  # a fresh database: the first run's logs are gone
    engine.dispose()
    assert "DATABASE_URL=sqlite:///pacer-demo/pacer-demo.db pacer process show" in text


def test_same_day_same_output(runs):
    (_, first), (_, second) = runs[1]
    assert first.split("\nSummary\n")[0] == second.split("\nSummary\n")[0]


def test_weeks_must_be_positive(tmp_path):
    assert run_demo(weeks=0, out=str(tmp_path), today=TODAY, stream=io.StringIO()) == 2


def test_one_week_skips_the_contest_and_still_exits_zero(tmp_path):
    stream = io.StringIO()
    assert run_demo(weeks=1, out=str(tmp_path), today=TODAY, stream=stream) == 0
    text = stream.getvalue()
    assert "Problems (" not in text
    assert "needs a full week before the final one" in text
    assert "New contest:" not in text and "A metric falls behind" not in text
    assert "Coaching history · @Tyler Brooks · 1 session" in text
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", text, re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1))  # sections numbered without a gap
