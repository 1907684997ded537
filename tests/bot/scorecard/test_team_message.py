"""bot/scorecard/team_message.py: the team's scorecard as a message, from hand-made numbers: the
totals and each rep's compact line, reps without a goal marked, names escaped, and a 300-rep
team inside Slack's limits with its top and bottom shown."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.scorecard.team_message import rep_line, team_message
from rituals.pacing import Period
from rituals.process import default_process
from rituals.ranking import RepResult, rank
from rituals.scales import plan_line
from rituals.team_scorecard import TeamScorecard, group_results
from tests.bot.support import assert_within_slack_limits

PROCESS = default_process()
CAL = PROCESS.calendar
NOW = datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("America/New_York"))
WEEK = Period("week", date(2026, 11, 23), date(2026, 11, 29))
KPI_NAMES = {k.key: k.name for k in PROCESS.kpis}
WORDS = {
    "sdr": {"calls": "calls", "conversations": "conv", "meetings_scheduled": "set", "sao": "sao"},
    "ae": {
        "meetings_held": "held",
        "roi_discussions": "roi",
        "proposals": "props",
        "deals": "deals",
    },
}


def result(rep_id: str, role: str, counts: dict[str, int], absent: str | None = None) -> RepResult:
    """A rep's numbers this week at the default goals (none when absent)."""
    r = PROCESS.role(role)
    lines = {}
    for kpi in r.scorecard:
        goal = None if absent else PROCESS.goal_for(role, kpi, rep_id)
        shown = PROCESS.goal_for(role, kpi, rep_id).per
        line = plan_line(goal, WEEK, NOW, CAL, shown)
        lines[kpi] = line.pacing(counts.get(kpi, 0), PROCESS.thresholds)
    return RepResult(rep_id, role, lines, scoring=r.scoring, period=WEEK, absent=absent)


def card_of(results: list[RepResult]) -> TeamScorecard:
    return TeamScorecard(
        1, WEEK, NOW, "America/New_York", 0.3, True, group_results(PROCESS, results)
    )


def text_of(message: dict) -> str:
    return "\n".join(b["text"]["text"] for b in message["blocks"] if b.get("text"))


def context_of(message: dict) -> str:
    return "\n".join(
        e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]
    )


def small_team() -> TeamScorecard:
    return card_of(
        [
            result("USDR1", "sdr", {"calls": 120, "conversations": 20, "sao": 2}),
            result("USDR2", "sdr", {"calls": 200, "conversations": 30, "meetings_scheduled": 4}),
            result("UAWAY", "sdr", {"calls": 5}, absent="away"),
            result("UNEW", "sdr", {}, absent="not_started"),
            result("UAE1", "ae", {"meetings_held": 4, "deals": 1}),
        ]
    )


def test_totals_per_role_then_reps_best_first_and_the_absent_last():
    names = {"USDR1": "Maria Lopez", "USDR2": "Sam <b> & co", "UAWAY": "Ann", "UAE1": "Dee"}
    message = team_message(small_team(), "Sales", KPI_NAMES, WORDS, names)
    assert_within_slack_limits(message)
    text = text_of(message)
    assert "*Team scorecard* · Sales · 5 reps" in text
    assert "*Week:* Mon 23 – Sun 29 Nov 2026 · 30% of the week's working time elapsed" in text
    sdr, ae = text.split("*Account Executive* · 1 rep")
    assert "*Sales Development Rep* · 4 reps" in sdr
    # The team's calls: every rep's (the away rep's 5 too) against the sum of the goals they have.
    assert "*Calls / Emails* 325 of 480 (67%) · pace" in sdr and "projected" in sdr
    assert "*Sales Accepted Opportunities* month 2 of 12 (16%)" in sdr  # a monthly goal, to date
    lines = [line for line in sdr.splitlines() if line[:2] in ("1.", "2.", "• ")]
    assert lines[0].startswith("1. Sam &lt;b&gt; &amp; co — *")  # escaped: nobody is pinged
    assert (
        "calls 200 of 240 (83%) · conv 30 of 48 (62%) · set 4 of 8 (50%) · sao month 0 of 6 (0%)"
        in lines[0]
    )
    assert lines[1].startswith("2. Maria Lopez — *")
    assert lines[2] == "• Ann — away · calls 5"
    assert lines[3] == "• <@UNEW> — not started yet"  # no name known: Slack shows the mention's
    assert "1. Dee — *" in ae and "held 4 of 12 (33%)" in ae and "deals month 1 of 4 (25%)" in ae
    assert "ranked as `/leaderboard` ranks" in context_of(message)
    assert message["text"].startswith("Team scorecard · Sales · Mon 23 – Sun 29 Nov 2026: Calls")


def test_a_rep_who_left_and_one_without_any_goal():
    left = result("ULEFT", "ae", {"proposals": 1}, absent="left")
    row = rank([left])[0]
    assert rep_line(row, "Lee", WORDS["ae"], WEEK) == "• Lee — left the team · props 1"
    plain = RepResult("UX", "ae", dict(left.lines), period=WEEK)
    assert rep_line(rank([plain])[0], "X", WORDS["ae"], WEEK).startswith(
        "• X — no goal for this period"
    )


def test_a_team_without_reps_says_how_to_add_them():
    message = team_message(card_of([]), "Sales", KPI_NAMES, WORDS, {})
    assert "no reps yet" in text_of(message) and "`/pacer team add @rep ROLE`" in text_of(message)


def test_300_reps_stay_inside_slack_limits_with_the_top_and_bottom_shown():
    results = [
        result(f"USDR{i:04d}", "sdr", {"calls": i, "conversations": i % 40, "sao": i % 3})
        for i in range(250)
    ]
    results += [result(f"UAE{i:04d}", "ae", {"meetings_held": i % 20}) for i in range(45)]
    results += [result(f"UAWAY{i:03d}", "sdr", {}, absent="away") for i in range(5)]
    names = {r.rep_id: f"A rather long display name, rep {r.rep_id}" for r in results}
    message = team_message(card_of(results), "Sales & Co", KPI_NAMES, WORDS, names)
    assert_within_slack_limits(message)
    assert len(message["blocks"]) <= 50
    text = text_of(message)
    assert "· 300 reps" in text and "*Sales Development Rep* · 255 reps" in text
    assert "*Account Executive* · 45 reps" in text
    # Every KPI's total shows, whatever the team's size: 250 SDRs' calls 0 + 1 + … + 249.
    assert f"*Calls / Emails* {sum(range(250)):,} of 60,000" in text
    assert "*Deals Closed* month 0 of 180 (0%)" in text
    assert "…and" not in text  # nothing cut by the message's own limit: the rows were fitted
    sdr = text.split("*Account Executive*")[0]
    assert "1. A rather long display name, rep USDR0239 — *53%*" in sdr  # the best overall
    assert "250. A rather long display name, rep USDR0000 — *0%*" in sdr  # the last ranked
    assert "• A rather long display name, rep UAWAY004 — away" in sdr  # the last, away
    assert (
        "_…200 more reps in between not shown: " in sdr and "`/leaderboard` ranks everyone" in sdr
    )
    assert "USDR0100" not in sdr  # the middle of the ranking is left out
    ae = text.split("*Account Executive*")[1]
    assert "more reps" in ae  # the AEs get their share of the room too


def test_on_a_day_off_reps_without_a_goal_read_day_off():
    sunday = Period("day", date(2026, 11, 29), date(2026, 11, 29))
    card = TeamScorecard(
        1,
        sunday,
        NOW,
        "America/New_York",
        0.0,
        False,
        group_results(PROCESS, [RepResult("UX", "sdr", {}, period=sunday)]),
    )
    text = text_of(team_message(card, "Sales", KPI_NAMES, WORDS, {"UX": "Xi"}))
    assert "• Xi — a day off" in text and "a day off: no goals" in text
