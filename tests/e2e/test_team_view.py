"""End to end: the team view over signed HTTP against `pacer serve` (clock pinned to Tue 24 Nov
2026, 11:00 New York: Thanksgiving week, 4 working days). A manager's `/scorecard` is the team's;
`/scorecard team month`; a rep sees it while scorecards are public and is refused, with nothing
changed, once they are kept to managers."""

from tests.e2e.harness import ADMIN

SDR, SDR2, AE, MGR = "USDR00001", "USDR00002", "UAE000001", "UMGR00001"


def test_a_managers_scorecard_and_the_team_month_over_http(ws):
    ws.setup_team(sdrs=(SDR, SDR2))
    assert ws.log(SDR, "call 40").status == 200
    assert ws.log(SDR2, "call 20").status == 200
    assert ws.log(AE, "held 3").status == 200

    week = ws.scorecard(MGR)
    assert week.status == 200 and week.body["response_type"] == "ephemeral"
    assert "*Team scorecard* · Sales · 3 reps" in week.text
    assert "*Calls / Emails* 60 of 480 (12%)" in week.text  # 2 SDRs × 60 a day × 4 days
    assert "*Sales Accepted Opportunities* month 0 of 12 (0%)" in week.text  # month to date
    assert "*Discovery Meetings Held* 3 of 12 (25%)" in week.text
    sdrs = week.text.split("*Account Executive*")[0]
    first, second = (line for line in sdrs.splitlines() if line[:3] in ("1. ", "2. "))
    assert "calls 40 of 240 (16%)" in first and "calls 20 of 240 (8%)" in second  # best first
    assert week.text.startswith("Team scorecard · Sales · Mon 23 – Sun 29 Nov 2026: Calls")

    month = ws.scorecard(MGR, "team month")
    assert "*Month:* November 2026" in month.text
    assert "*Calls / Emails* 60 of 2,280 (2%)" in month.text  # 19 working days × 60 × 2
    assert "*Sales Accepted Opportunities* 0 of 12 (0%)" in month.text


def test_a_rep_sees_it_when_public_and_is_refused_when_kept_to_managers(ws):
    ws.setup_team()
    assert ws.log(SDR, "call 12").status == 200
    public = ws.scorecard(SDR, "team")
    assert "*Team scorecard* · Sales · 2 reps" in public.text and "12 of 240" in public.text

    assert ws.pacer(MGR, "visibility managers").status == 200
    versions = ws.server.stored(ws.team_id, "process_version")
    logs = ws.server.stored(ws.team_id)
    refused = ws.scorecard(SDR, "team week")
    assert refused.status == 200 and refused.body["response_type"] == "ephemeral"
    assert "keeps scorecards to managers and each rep" in refused.text
    assert "See your own with `/scorecard`" in refused.text
    assert "Team scorecard" not in refused.text and "12 of 240" not in refused.text
    assert ws.server.stored(ws.team_id, "process_version") == versions  # nothing changed
    assert ws.server.stored(ws.team_id) == logs
    assert "*Scorecard*" in ws.scorecard(SDR).text  # their own, still
    assert "*Team scorecard*" in ws.scorecard(MGR, "team").text
    assert "*Team scorecard*" in ws.scorecard(ADMIN, "team").text
