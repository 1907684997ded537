"""The contest a lagging metric suggested (issue 4): the lag check's message to the manager, the
launch, the contest's posts and its result."""

import json
import re

from sqlmodel import select

from simulator.demo.cast import MANAGER, REPS, SDRS
from storage.models import Contest, LagSuggestion
from tests.simulator.demo.support import printed

TYLER = SDRS[3]
LAG_DM = f"Pacer › direct message to {MANAGER.name}"
ANNOUNCEMENT = "Pacer › #sales (the announcement)"
# The result waits two hours for the day's late logs (the default `contests: {settle: 2h}`).
RESULT = "Pacer › #sales (Fri 13 Nov 19:00, the result)"


def test_the_lag_check_tells_the_manager_calls_are_behind_with_three_buttons(output):
    dm = printed(output, LAG_DM)
    assert "Behind pace this week: Calls / Emails · Sales" in dm
    pace = int(re.search(r"Calls / Emails: (\d+)% of pace for the week", dm).group(1))
    assert pace < 80  # the Monday–Tuesday slump put calls under the default threshold
    assert "(Tue 10 Nov 2026, 11:00)" in dm  # Tuesday 11:00: 10 of the week's 32 working hours
    intro = output.split("\n3. A metric falls behind", 1)[1].split(LAG_DM, 1)[0]
    assert "31% of the week's working time is gone (a 4-day week: Wed 11 Nov is Veterans Day)" in (
        " ".join(intro.split())
    )
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
    assert "Thu 12 Nov 11:30 · standings posted in #sales" in story
    assert "Wed 11 Nov" not in story  # Veterans Day: no standings, no working time
    assert "Fri 13 Nov 16:00 · last-hour reminder posted in #sales" in story
    result = printed(output, RESULT)
    [contest] = database.exec(select(Contest)).all()
    frozen = json.loads(contest.result)
    names = {p.user_id: p.name for p in REPS}
    winners = [names[u] for u in frozen["winners"]]
    assert winners, "the rally should carry someone to the target"
    line = re.search(r"(\d+) reached (\d+) Calls / Emails and win: (.+)\.", result)
    assert line, result
    assert "Settled Fri 13 Nov 19:00, two hours after the last day's working hours." in " ".join(
        result.split()
    )
    assert (int(line.group(1)), int(line.group(2))) == (len(winners), contest.target)
    assert sorted(re.findall(r"@([A-Z][a-z]+ [A-Z][a-z]+)", line.group(3))) == sorted(winners)
    ranking = story.split(RESULT, 1)[1]  # the full ranking, in the result's thread
    assert "Full result · Calls / Emails catch-up (Calls / Emails)" in ranking
    assert ranking.count("✅") == len(winners)
    summary = output.split("\nSummary\n", 1)[1]
    assert f"{len(winners)} of 4 SDRs reached {contest.target} calls and won" in summary
