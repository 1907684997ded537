"""`pacer demo` end to end: two weeks of a sample team through the real command path."""

import io
import re
from datetime import date

import pytest

from bot.demo import AES, MANAGER, OUTSIDER, REPS, SDRS, run_demo
from storage import queries
from storage.db import make_engine, session

TODAY = date(2026, 11, 19)  # a Thursday
KPI_NAMES = {
    "sdr": [
        "Calls / Emails",
        "Conversations",
        "Discovery Meetings Scheduled",
        "Sales Accepted Opportunities",
    ],
    "ae": ["Discovery Meetings Held", "ROI Discussions", "Proposals Sent", "Deals Closed"],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two runs into the same folder: one by absolute path, one from inside its parent by a
    relative path (the second must start from a fresh database)."""
    parent = tmp_path_factory.mktemp("demo")
    results = []
    for out in (str(parent / "pacer-demo"), "pacer-demo"):
        stream = io.StringIO()
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(parent)
            code = run_demo(weeks=2, out=out, today=TODAY, stream=stream)
        results.append((code, stream.getvalue()))
    return parent / "pacer-demo", results


@pytest.fixture(scope="module")
def output(runs):
    return runs[1][1][1]


def replies(output: str) -> dict[str, str]:
    """`Who › /command text` → the reply printed under it (the last one, for repeats)."""
    found, typed, lines = {}, None, []
    for line in output.splitlines():
        if " › " in line and not line.startswith(" "):
            if typed:
                found[typed] = "\n".join(lines)
            typed, lines = line, []
        elif typed and lines and line.startswith("      ") and line[6] != "·":
            lines[-1] += " " + line.strip()  # a long line the renderer wrapped
        elif typed and line.startswith("    "):
            lines.append(line.strip())
        elif typed and not line.strip() and lines:
            found[typed], typed = "\n".join(lines), None
    if typed:
        found[typed] = "\n".join(lines)
    return found


def reply_to(output: str, who, command: str) -> str:
    key = f"{who.name} › {command}"
    found = replies(output)
    assert key in found, f"{key!r} not in the output"
    return found[key]


def test_exits_zero_and_reports_no_problem(runs):
    for code, text in runs[1]:
        assert code == 0, text
        assert "unexpected error" not in text
        assert "Problems (" not in text
        assert "Traceback" not in text


def test_every_rep_scorecard_shows_their_kpis_and_a_status(output):
    statuses = set()
    for rep in REPS:
        card = reply_to(output, MANAGER, f"/scorecard @{rep.name}")
        assert card.startswith(f"Scorecard · @{rep.name} · ")
        assert "Week: Mon 16 – Sun 22 Nov 2026" in card
        for name in KPI_NAMES[rep.role]:
            assert name in card
        found = re.findall(r"— (on pace|at risk|behind)$", card, re.MULTILINE)
        assert len(found) == 4, card
        statuses.update(found)
    # The team is built with reps ahead, on pace and behind: all three must show.
    assert statuses == {"on pace", "at risk", "behind"}


def test_names_not_ids(output):
    assert not re.search(r"@[UW]0[A-Z0-9]{5,}", output)
    assert "#sales" in output


def test_log_reply_and_backdated_log(output):
    log = reply_to(output, SDRS[0], "/log calls 24 conversations 5")
    assert log.startswith("✅ Logged 24 Calls / Emails, 5 Conversations · today, Thu 19 Nov.")
    backdated = reply_to(output, SDRS[3], "/log call 12 yesterday")
    assert "Logged 12 Calls / Emails · Wed 18 Nov." in backdated


def test_sao_credit_and_its_direct_message(output):
    credit = reply_to(output, AES[0], f"/log @{SDRS[2].name} sao 1 Acme Corp")
    assert f"Logged 1 Sales Accepted Opportunities for @{SDRS[2].name}" in credit
    dm = output.split(f"Pacer › direct message to {SDRS[2].name}\n", 1)[1].splitlines()[0]
    assert f"@{AES[0].name} credited you with 1 Sales Accepted Opportunities on Thu 19 Nov" in dm


def test_mistakes_are_explained_and_store_nothing(output):
    assert "Did you mean `conversations`?" in reply_to(output, SDRS[1], "/log conversatons 3")
    assert "A count of 0" in reply_to(output, SDRS[0], "/log calls 0")
    assert "in the future" in reply_to(output, SDRS[3], "/log calls 10 2026-11-20")
    assert "not on a sales team" in reply_to(output, OUTSIDER, "/log calls 5")
    assert "recorded for you by the Account Executive" in reply_to(output, SDRS[2], "/log sao 1")
    before, after = re.search(
        r"Logs stored before these mistakes: (\d+); after: (\d+)\.", output
    ).groups()
    assert before == after


def test_undo_and_duplicate_delivery_counted_once(output):
    assert "Undone: 150 Calls / Emails" in reply_to(output, SDRS[1], "/log undo")
    duplicate = reply_to(output, AES[1], "/log held 1 roi 1")  # the second delivery's reply
    assert "reached Pacer twice; it was counted once" in duplicate
    first, second = re.search(
        r"after the first delivery: (\d+); after the second: (\d+)\.", output
    ).groups()
    assert first == second
    basis = reply_to(output, MANAGER, f"/scorecard @{SDRS[1].name} calls")
    assert "(1 undone, shown struck through)" in basis
    assert "[undone] Thu 19 Nov · 150" in basis


def test_manager_views(output):
    roster = reply_to(output, MANAGER, "/pacer team")
    assert "8 people · rituals post in #sales" in roster
    assert "Sales Development Rep (`sdr`)" in reply_to(output, MANAGER, "/pacer process")
    month = reply_to(output, MANAGER, f"/scorecard @{SDRS[3].name} month")
    assert "Month: November 2026" in month


def test_summary_matches_the_database(runs):
    folder, results = runs
    text = results[1][1]
    played, stored = map(int, re.search(r"(\d+) commands played, (\d+) logs stored", text).groups())
    assert played > 100
    engine = make_engine(f"sqlite:///{folder / 'pacer-demo.db'}")
    with session(engine) as s:
        assert queries.count_logs(s) == stored  # a fresh database: the first run's logs are gone
    engine.dispose()
    assert "DATABASE_URL=sqlite:///pacer-demo/pacer-demo.db pacer process show" in text


def test_same_day_same_output(runs):
    (_, first), (_, second) = runs[1]
    assert first.split("\nSummary\n")[0] == second.split("\nSummary\n")[0]


def test_weeks_must_be_positive(tmp_path):
    assert run_demo(weeks=0, out=str(tmp_path), today=TODAY, stream=io.StringIO()) == 2


def test_every_ritual_is_posted_with_its_charts_saved(runs):
    folder, results = runs
    output = results[1][1]
    headings = [line for line in output.splitlines() if line.startswith(("The ", "Monday's"))]
    for ritual in ("The 12:00 leaderboard", "The daily digest", "Monday's weekly digest"):
        line = next(h for h in headings if h.startswith(ritual))
        assert "posted:" in line, line
    assert "Daily digest · Sales" in output and "Weekly digest · Sales" in output
    assert "Leaderboard · Calls / Emails" in output
    for chart in ("daily-chart.png", "weekly-chart.png"):
        assert (folder / chart).read_bytes().startswith(b"\x89PNG")
    # Two weeks from Fri 6 Nov: the team did not exist in October, so there is no monthly digest
    # (the default six-week demo has one).
    assert "The monthly digest" not in output
