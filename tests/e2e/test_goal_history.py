"""End to end: goals over time through `/pacer goal` over signed HTTP against `pacer serve`
(clock pinned to Tue 24 Nov 2026, 11:00 New York): a change dated ahead is listed as coming and
leaves today's scorecard alone, a change from today shows in the history, an implausible goal
waits for `confirm`, and a mistake stores nothing."""

SDR, MGR = "USDR00001", "UMGR00001"


def versions(ws) -> int:
    return ws.server.stored(ws.team_id, "process_version")


def test_goals_from_a_date_with_history_and_confirm_over_http(ws):
    ws.setup_team()
    ahead = ws.pacer(MGR, "goal sdr calls 80/day from 2026-12-01")
    assert ahead.status == 200 and ahead.body["response_type"] == "ephemeral"
    assert "Calls / Emails 80/day* from Tue 1 Dec 2026 (was 60/day)" in ahead.text
    assert versions(ws) == 1
    listing = ws.pacer(SDR, "goal").text
    assert "Calls / Emails 60/day" in listing and "*Coming changes*" in listing
    assert "80/day from Tue 1 Dec 2026 (was 60/day) · set by" in listing

    own = ws.pacer(MGR, f"goal <@{SDR}> calls 50/day from 2026-11-23").text
    assert "from Mon 23 Nov 2026 (was 60/day)" in own and versions(ws) == 2
    history = ws.pacer(MGR, "goal").text
    assert "*History* (newest first)" in history
    assert f"<@{SDR}>: Calls / Emails 50/day from Mon 23 Nov 2026 (was the role's goal)" in history

    refused = ws.pacer(MGR, "goal sdr calls 5000/day")
    assert (
        "Not applied" in refused.text and "`/pacer goal sdr calls 5000/day confirm`" in refused.text
    )
    assert versions(ws) == 2  # nothing stored
    confirmed = ws.pacer(MGR, "goal sdr calls 5000/day confirm").text
    assert "Goal set for every Sales Development Rep" in confirmed and versions(ws) == 3


def test_goal_date_mistakes_over_http_store_nothing(ws):
    ws.setup_team()
    for text, words in [
        ("goal sdr calls 80/day from 2026-09-01", "the start of last month"),
        ("goal sdr calls 80/day from 2028-01-01", "up to a year ahead"),
        ("goal sdr calls 80/day from soon", "isn't a date"),
        ("goal sdr calls 80/day from", "one date after `from`"),
    ]:
        reply = ws.pacer(MGR, text)
        assert reply.status == 200 and words in reply.text, reply.text
        assert "`/pacer goal" in reply.text or "`from " in reply.text
    assert versions(ws) == 0


def test_a_change_dated_ahead_leaves_this_weeks_scorecard_alone(ws):
    ws.setup_team()
    ws.pacer(MGR, "goal sdr calls 80/day from 2026-12-01")
    assert "of 240 (" in ws.scorecard(SDR).text  # Thanksgiving week keeps 60/day
