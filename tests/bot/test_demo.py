"""`pacer demo` end to end: two weeks of a sample team through the real command path."""

import io
import json
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from simulator.demo import (
    ACTION_NOTE,
    AES,
    MANAGER,
    OUTSIDER,
    REP_NOTE,
    REPS,
    SDRS,
    contest_week,
    run_demo,
    working_days,
)
from storage import log_queries
from storage.db import make_engine, session
from storage.models import CoachingNote, CoachingSession, Contest, LagSuggestion

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


# -- the contest a lagging metric suggested, and the coaching thread (issue 4) -------------------

TYLER = SDRS[3]
LAG_DM = f"Pacer › direct message to {MANAGER.name}"
ANNOUNCEMENT = "Pacer › #sales (the announcement)"
RESULT = "Pacer › #sales (Fri 13 Nov 17:00, the result)"
THREAD = (
    f"Pacer › the coaching thread, in a private conversation of {MANAGER.name} and {TYLER.name}"
)


def printed(output: str, key: str) -> str:
    found = replies(output)
    assert key in found, f"{key!r} not in the output"
    return found[key]


@pytest.fixture(scope="module")
def database(runs):
    engine = make_engine(f"sqlite:///{runs[0] / 'pacer-demo.db'}")
    with session(engine) as s:
        yield s
    engine.dispose()


def test_the_contest_week_is_a_full_played_week_whatever_the_day():
    for offset in range(7):  # Mon 16 … Sun 22 Nov 2026
        today = date(2026, 11, 16) + timedelta(days=offset)
        days = working_days(today, 2)
        monday = contest_week(days)
        assert monday is not None and monday.weekday() == 0, today
        assert all(monday + timedelta(days=i) in days for i in range(5)), today
        assert monday + timedelta(days=7) <= days[-1] < monday + timedelta(days=14), today
        assert contest_week(working_days(today, 1)) is None, today


def test_the_lag_check_tells_the_manager_calls_are_behind_with_three_buttons(output):
    dm = printed(output, LAG_DM)
    assert "Behind pace this week: Calls / Emails · Sales" in dm
    pace = int(re.search(r"Calls / Emails: (\d+)% of pace for the week", dm).group(1))
    assert pace < 80  # the Monday–Tuesday slump put calls under the default threshold
    assert "(Tue 10 Nov 2026, 11:00)" in dm  # Tuesday 11:00: a quarter of the week gone
    assert f"Furthest behind: @{TYLER.name}" in dm
    assert "Window: Tue 10 – Fri 13 Nov 2026" in dm
    assert "[ Launch contest ]  [ Edit first ]  [ Dismiss ]" in dm
    # The check ran inside the played week, between Tuesday's logs, not after the weeks.
    story = output.split("\n3. A metric falls behind", 1)[1].split("\n5. What reps see", 1)[0]
    assert "\n4. The contest runs (Tue 10 – Fri 13 Nov)" in story


def test_launching_the_suggestion_posts_exactly_one_announcement(output, database):
    pressed = printed(output, f"{MANAGER.name} › presses [ Launch contest ] (Tue 11:05)")
    assert "Launched by @Dana Whitfield (Tue 10 Nov 2026, 11:05) — announced in #sales" in pressed
    assert output.count("New contest:") == 1
    announcement = printed(output, ANNOUNCEMENT)
    assert "New contest: Calls / Emails catch-up" in announcement
    target = re.search(r"Target: (\d+) Calls / Emails per rep", printed(output, LAG_DM)).group(1)
    assert f"everyone who reaches {target} for Tue 10 – Fri 13 Nov 2026 wins" in announcement
    [contest] = database.exec(select(Contest)).all()
    assert (contest.source, contest.kind, contest.kpi) == ("suggestion", "target", "calls")
    assert contest.target == int(target)
    calls = database.exec(select(LagSuggestion).where(LagSuggestion.kpi == "calls")).one()
    assert (calls.status, calls.contest_id) == ("launched", contest.id)


def test_the_contest_posts_on_schedule_and_its_result_names_the_winners(output, database):
    story = output.split("\n4. The contest runs", 1)[1].split("\n5. What reps see", 1)[0]
    assert "Half way through Calls / Emails catch-up" in story
    assert "Wed 11 Nov 11:30 · standings posted in #sales" in story
    assert "Fri 13 Nov 16:00 · last-hour reminder posted in #sales" in story
    result = printed(output, RESULT)
    [contest] = database.exec(select(Contest)).all()
    frozen = json.loads(contest.result)
    names = {p.user_id: p.name for p in REPS}
    winners = [names[u] for u in frozen["winners"]]
    assert winners, "the rally should carry someone to the target"
    line = re.search(r"(\d+) reached (\d+) Calls / Emails and win: (.+)\.", result)
    assert line, result
    assert (int(line.group(1)), int(line.group(2))) == (len(winners), contest.target)
    assert sorted(re.findall(r"@([A-Z][a-z]+ [A-Z][a-z]+)", line.group(3))) == sorted(winners)
    ranking = story.split(RESULT, 1)[1]  # the full ranking, in the result's thread
    assert "Full result · Calls / Emails catch-up (Calls / Emails)" in ranking
    assert ranking.count("✅") == len(winners)
    summary = output.split("\nSummary\n", 1)[1]
    assert f"{len(winners)} of 4 SDRs reached {contest.target} calls and won" in summary


def test_the_coaching_thread_opens_from_the_numbers(output, database):
    ack = reply_to(output, MANAGER, f"/coach @{TYLER.name}")
    assert f"Opening a coaching thread with @{TYLER.name} in a private conversation" in ack
    thread = printed(output, THREAD)
    assert f"Coaching session · @{TYLER.name} with @{MANAGER.name}" in thread
    rates = re.findall(r"• (.+?) per (.+?): (\d+)% \(team median (\d+)%\)", thread)
    assert len(rates) == 3, thread  # calls → conversations → meetings → SAO
    first = rates[0]
    assert first[:2] == ("Conversations", "calls / emails")
    assert int(first[2]) < int(first[3])  # his weaker stage, below the team's median…
    assert "🔻" in thread
    assert "Talking points" in thread and "Conversations per calls / emails is" in thread
    [row] = database.exec(select(CoachingSession)).all()
    assert row.rep_id == TYLER.user_id and row.thread_ts


def test_thread_replies_are_saved_and_the_action_is_in_the_history(output, database):
    assert f"  ↳ in the thread, {TYLER.name}: {REP_NOTE}" in output
    notes = database.exec(select(CoachingNote).order_by(CoachingNote.message_ts)).all()
    assert [(n.text, n.is_action) for n in notes] == [
        (REP_NOTE, False),
        (ACTION_NOTE.removeprefix("action: "), True),
    ]
    assert "Pacer saved 2 notes from the thread, 1 of them an action item" in output
    history = reply_to(output, MANAGER, f"/coach @{TYLER.name} history")
    assert "Coaching history · @Tyler Brooks · 1 session" in history
    assert "2 notes" in history
    assert "📌 Tyler tries the two-line opener on his next 20 calls" in history
    summary = output.split("\nSummary\n", 1)[1]
    assert "1 coaching session opened from the numbers, with 2 notes" in summary


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
