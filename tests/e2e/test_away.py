"""End to end: /away over signed HTTP against `pacer serve` (clock pinned to Tue 24 Nov 2026,
11:00 New York: the week of Thanksgiving). Days away added (a range skipping the weekend and
Thanksgiving), listed, cancelled, entered by a manager for a rep (a past day too, and the rep
is told); refusals store nothing; the same request delivered twice stores once."""

import time

from tests.e2e.harness import ADMIN

SDR, AE, MGR = "USDR00001", "UAE000001", "UMGR00001"


def live(ws) -> int:
    return ws.server.rows(
        "SELECT count(*) FROM time_off t JOIN workspace w ON w.id = t.workspace_id "
        "WHERE w.slack_team_id = ? AND t.cancelled_at IS NULL",
        ws.team_id,
    )[0][0]


def away(ws, user: str, text: str, trigger_id: str | None = None):
    return ws.command("/away", text, user, trigger_id=trigger_id)


def test_a_rep_adds_lists_and_cancels_days_away_over_http(ws):
    ws.setup_team()
    added = away(ws, SDR, "2026-11-25 2026-11-30 Family visit", trigger_id="1111.2222.away")
    assert added.status == 200 and added.body["response_type"] == "ephemeral"
    assert "Away *Wed 25 – Mon 30 Nov 2026*: 3 working days" in added.text
    assert "(Thu 26 Nov is Thanksgiving Day; weekends don't count)" in added.text
    assert live(ws) == 3 and ws.server.stored(ws.team_id, "time_off") == 3

    # Slack delivers the same command again: nothing more is stored, and the answer says why
    again = away(ws, SDR, "2026-11-25 2026-11-30 Family visit", trigger_id="1111.2222.away")
    assert again.status == 200 and "already away on every working day of that" in again.text
    assert ws.server.stored(ws.team_id, "time_off") == 3

    listing = away(ws, SDR, "list")
    assert "• Wed 25 – Mon 30 Nov 2026 · 3 working days · _Family visit_" in listing.text

    cancelled = away(ws, SDR, "cancel 2026-11-30")
    assert "Cancelled 1 day away (Mon 30 Nov)" in cancelled.text
    assert live(ws) == 2 and ws.server.stored(ws.team_id, "time_off") == 3  # kept, marked
    assert "Wed 25 – Fri 27 Nov 2026 · 2 working days" in away(ws, SDR, "list").text

    noted = away(ws, SDR, "2026-12-01 &lt;!channel&gt; party")  # a note pings nobody
    assert "&lt;!channel&gt; party" in noted.text and "<!channel>" not in str(noted.body)


def test_a_manager_enters_a_past_day_for_a_rep_who_is_told(ws, standin):
    ws.setup_team()
    reply = away(ws, MGR, f"<@{SDR}> 2026-10-05 Dentist e2e-{ws.team_id}")
    assert f"<@{SDR}> is away *Mon 5 Oct 2026*: 1 working day" in reply.text
    assert live(ws) == 1

    def told():  # the stand-in serves every test: find this workspace's note by its text
        return [
            c
            for c in standin.calls_to("chat.postMessage")
            if c.params.get("channel") == SDR and f"e2e-{ws.team_id}" in c.params.get("text", "")
        ]

    deadline = time.monotonic() + 5
    while not told() and time.monotonic() < deadline:
        time.sleep(0.05)
    (dm,) = told()
    assert "entered days away for you: Mon 5 Oct 2026" in dm.params["text"]
    assert "*" not in dm.params["text"]  # the fallback is plain

    theirs = away(ws, MGR, f"list <@{SDR}>").text
    assert "Mon 5 Oct 2026 · 1 working day" not in theirs  # more than 30 days ago
    team = away(ws, MGR, "list team").text
    assert "Nobody on the team has days away coming." in team
    away(ws, ADMIN, f"<@{AE}> 2026-12-01")
    assert f"<@{AE}> · Tue 1 Dec 2026 · 1 working day" in away(ws, MGR, "list team").text
    assert "Cancelled 1 day away of" in away(ws, MGR, f"cancel <@{SDR}> 2026-10-05").text
    assert live(ws) == 1


def test_away_mistakes_over_http_store_nothing(ws):
    ws.setup_team()
    for user, text, words in [
        (SDR, "2026-12-05 2026-12-01", "is before the first"),
        (SDR, "2026-12-01 2027-01-31", "one entry covers at most 60"),
        (SDR, "2027-12-01", "more than a year ahead"),
        (SDR, "2026-11-23", "has passed"),
        (SDR, "2026-11-26", "Thanksgiving Day"),
        (SDR, "2026-11-25 " + "n" * 201, "at most 200 characters"),
        (AE, f"<@{SDR}> 2026-11-25", "managers and Pacer admins can enter or cancel"),
        (MGR, "2026-11-25", "You're not a rep on a Pacer team"),
        (MGR, f"<@{SDR}> 2026-09-30", "too far back"),
        (SDR, "cancel 2026-11-25", "not away on"),
        (SDR, "2026-11-25 &lt;!channel&gt;" + "x" * 200, "at most 200"),
    ]:
        reply = away(ws, user, text)
        assert reply.status == 200 and words in reply.text, reply.text
        assert "`/" in reply.text  # ends with a command that works
        assert "<!channel>" not in str(reply.body)
    assert ws.server.stored(ws.team_id, "time_off") == 0
