"""The readable diff: one line per change, journey first."""

from rituals.process import default_process
from rituals.process_drafts import diff, edits


def test_every_part_of_a_change_is_a_line():
    before = default_process()
    after = edits.add_stage(before, "Signs NDA", 3)
    after = edits.set_activities(after, "signs_nda", "Send NDA")
    after = edits.rename_stage(after, "purchase", "Buys")
    after = edits.edit_kpi(after, "calls", name="Dials", kind="lagging", aliases="call, ring")
    after = edits.add_kpi(after, "NDAs Sent", "leading", activity="send_nda")
    after = edits.set_scorecard(after, "sdr", "calls, conversations, ndas_sent, sao")
    after = edits.set_goal(after, "sdr", "calls", "80/day")
    after = edits.set_goal(after, "sdr", "ndas_sent", "2/week")
    after = after.with_goal("U0REP1", "calls", "90/day")
    after = after.with_settings(timezone="Europe/London")
    assert diff(before, after) == [
        "+ stage Signs NDA",
        "stage Purchase renamed → Buys",
        "+ activity Send NDA (stage Signs NDA)",
        "+ KPI NDAs Sent (leading)",
        "KPI Calls / Emails renamed → Dials",
        "KPI Dials leading → lagging",
        "KPI Dials words +ring -calls -dial -dials -email -emails",
        "scorecard sdr: + ndas_sent, - meetings_scheduled",
        "goal sdr calls 60/day → 80/day",
        "+ goal sdr ndas_sent 2/week",
        "goal <@U0REP1> calls role goal → 90/day",
        "timezone America/New_York → Europe/London",
    ]
    assert diff(after, before)[0] == "- stage Signs NDA"
