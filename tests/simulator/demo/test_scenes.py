"""The demo's story as printed: what reps see when they log, their mistakes, the manager's view,
the coaching thread (issue 4) and the rituals, through the real command path."""

import re

from sqlmodel import select

from simulator.demo.cast import AES, MANAGER, OUTSIDER, REPS, SDRS
from simulator.demo.scenes import ACTION_NOTE, REP_NOTE
from storage.models import CoachingNote, CoachingSession
from tests.simulator.demo.support import printed, reply_to

KPI_NAMES = {
    "sdr": [
        "Calls / Emails",
        "Conversations",
        "Discovery Meetings Scheduled",
        "Sales Accepted Opportunities",
    ],
    "ae": ["Discovery Meetings Held", "ROI Discussions", "Proposals Sent", "Deals Closed"],
}
TYLER = SDRS[3]
THREAD = (
    f"Pacer › the coaching thread, in a private conversation of {MANAGER.name} and {TYLER.name}"
)


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
    assert "9 people · rituals post in #sales" in roster  # the new hire too
    assert "Sales Development Rep (`sdr`)" in reply_to(output, MANAGER, "/pacer process")
    month = reply_to(output, MANAGER, f"/scorecard @{SDRS[3].name} month")
    assert "Month: November 2026" in month


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
