"""End to end: new hires and leavers over signed HTTP against `pacer serve` (clock pinned to
Tue 24 Nov 2026, 11:00 New York). `/pacer team add @rep sdr starting DATE` stores a start date,
`/pacer team remove @rep on DATE` a last day; a rep who left keeps their numbers for a manager;
a refused command stores nothing."""

from tests.e2e.harness import ADMIN

SDR, AE, MGR, NEW = "USDR00001", "UAE000001", "UMGR00001", "UNEW00001"


def member_rows(ws) -> list[tuple]:
    """(user, role, active, started_on, last_day) of the workspace's members, as stored."""
    return ws.server.rows(
        "SELECT m.user_id, m.role, m.active, m.started_on, m.last_day FROM member m "
        "JOIN workspace w ON w.id = m.workspace_id WHERE w.slack_team_id = ? ORDER BY m.id",
        ws.team_id,
    )


def row_of(ws, user: str) -> tuple:
    return next(row for row in member_rows(ws) if row[0] == user)


def test_a_new_hire_added_starting_a_date_appears_from_that_day(ws):
    ws.setup_team()
    added = ws.pacer(MGR, f"team add <@{NEW}> sdr starting 2026-11-30")
    assert added.status == 200 and added.body["response_type"] == "ephemeral"
    assert f"Added <@{NEW}> to *Sales* as Sales Development Rep starting Mon 30 Nov 2026: " in (
        added.text
    )
    assert "goals count from that day" in added.text
    assert row_of(ws, NEW) == (NEW, "sdr", 1, "2026-11-30", None)
    assert "starts Mon 30 Nov" in ws.pacer(MGR, "team").text
    # not on the team before their first day: nothing to log to yet, and nothing stored
    refused = ws.log(NEW, "call 5")
    assert "You start on the team on Mon 30 Nov 2026: logs count from that day" in refused.text
    assert ws.server.stored(ws.team_id) == 0


def test_a_rep_removed_on_a_date_keeps_their_numbers_for_a_manager(ws):
    ws.setup_team()
    assert "Logged *12 Calls / Emails*" in ws.log(SDR, "call 12 2026-11-20").text  # last Friday
    removed = ws.pacer(MGR, f"team remove <@{SDR}> on 2026-11-20")
    assert (
        f"<@{SDR}>'s last day was Fri 20 Nov 2026: they're off the team; their logs stay in "
        "past numbers."
    ) in removed.text
    assert row_of(ws, SDR) == (SDR, "sdr", 1, None, "2026-11-20")  # the row stays
    assert f"<@{SDR}>" not in ws.pacer(MGR, "team").text

    # off the team: no logging, and their last week's scorecard still there for a manager
    assert "Your last day on the team was Fri 20 Nov 2026" in ws.log(SDR, "call 3").text
    assert ws.server.stored(ws.team_id) == 1
    card = ws.scorecard(MGR, f"<@{SDR}> last-week").text
    assert "Mon 16 – Sun 22 Nov 2026" in card and "12 of" in card
    assert "12 of" in ws.scorecard(ADMIN, f"<@{SDR}> month").text
    hidden = ws.scorecard(AE, f"<@{SDR}> last-week").text
    assert f"<@{SDR}> left the team after Fri 20 Nov 2026" in hidden and "12 of" not in hidden

    # back on the team: the same row, from today
    back = ws.pacer(MGR, f"team add <@{SDR}> sdr")
    assert "starting Tue 24 Nov 2026" in back.text
    assert [r for r in member_rows(ws) if r[0] == SDR] == [(SDR, "sdr", 1, "2026-11-24", None)]
    assert "Logged *3 Calls / Emails*" in ws.log(SDR, "call 3").text


def test_a_last_day_ahead_keeps_them_on_the_team_until_then(ws):
    ws.setup_team()
    reply = ws.pacer(MGR, f"team remove <@{AE}> on 2026-12-04")
    assert (
        f"<@{AE}>'s last day is Fri 4 Dec 2026: they're on the team until then; their logs "
        "stay in past numbers."
    ) in reply.text
    assert row_of(ws, AE)[4] == "2026-12-04"
    assert "last day Fri 4 Dec" in ws.pacer(MGR, "team").text
    assert "Logged *2 Discovery Meetings Held*" in ws.log(AE, "meeting 2").text


def test_tenure_mistakes_over_http_store_nothing(ws):
    ws.setup_team()
    ws.pacer(MGR, f"team add <@{NEW}> sdr starting 2026-11-30")
    before = member_rows(ws)
    for user, text, words in [
        (MGR, f"team add <@{SDR}> sdr starting someday", "isn't a date"),
        (MGR, f"team add <@{SDR}> sdr starting 2028-01-04", "more than a year ahead"),
        (MGR, f"team add <@{SDR}> sdr starting 2025-01-05", "more than a year ago"),
        (MGR, f"team remove <@{NEW}> on 2026-11-27", "before their start date, Mon 30 Nov 2026"),
        (MGR, f"team remove <@{SDR}> on 2026-09-30", "goes back to Thu 1 Oct 2026"),
        (MGR, "team remove <@UNOBODY01>", "isn't on the team"),
        (SDR, f"team remove <@{AE}> on friday", "Only the team's managers"),
        (MGR, f"team remove <@{SDR}> tomorrow", "their last day"),
    ]:
        reply = ws.pacer(user, text)
        assert reply.status == 200 and words in reply.text, (text, reply.text)
        assert "`/pacer" in reply.text  # ends with a command that works
    assert member_rows(ws) == before
