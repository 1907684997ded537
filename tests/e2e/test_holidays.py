"""End to end: /pacer holiday list|add|remove over signed HTTP against `pacer serve` (clock
pinned to Tue 24 Nov 2026, 11:00 New York: the week of Thanksgiving). Each change is a new
process version that the next scorecard follows; a mistake stores nothing."""

from tests.e2e.harness import ADMIN

SDR, MGR = "USDR00001", "UMGR00001"


def versions(ws) -> int:
    return ws.server.stored(ws.team_id, "process_version")


def test_holidays_listed_added_and_removed_over_http(ws):
    ws.setup_team()
    listing = ws.pacer(SDR, "holiday list")
    assert listing.status == 200 and listing.body["response_type"] == "ephemeral"
    assert "Thu 26 Nov 2026 — Thanksgiving Day · public holiday" in listing.text
    assert "of 240 (" in ws.scorecard(SDR).text  # Thanksgiving week: 4 working days × 60

    added = ws.pacer(MGR, "holiday add 2026-12-24 Christmas Eve")
    assert "Thu 24 Dec 2026* is a company day off for *Sales*: Christmas Eve" in added.text
    assert versions(ws) == 1
    assert "Thu 24 Dec 2026 — Christmas Eve · company day off" in ws.pacer(MGR, "holiday").text

    worked = ws.pacer(MGR, "holiday remove 2026-11-26")
    assert "(Thanksgiving Day) is a public holiday the team works" in worked.text
    assert "of 300 (" in ws.scorecard(SDR).text and versions(ws) == 2
    assert "public holiday again" in ws.pacer(MGR, "holiday add 2026-11-26").text
    assert "of 240 (" in ws.scorecard(SDR).text

    dropped = ws.pacer(ADMIN, "holiday remove 2026-12-24")
    assert "(Christmas Eve) is no longer a day off" in dropped.text
    assert "Christmas Eve" not in ws.pacer(SDR, "holiday list").text
    assert versions(ws) == 4


def test_holiday_mistakes_over_http_store_nothing(ws):
    ws.setup_team()
    for user, text, words in [
        (SDR, "holiday add 2026-12-24 Eve", "Only the team's managers and Pacer admins"),
        (MGR, "holiday add 2026-12-26 Boxing Day", "is a Saturday, not a working day"),
        (MGR, "holiday remove 2026-11-12", "neither a public holiday nor a company day off"),
        (MGR, "holiday add 2026-13-01 Nope", "isn't a date"),
        (MGR, "holiday add 2026-12-24 &lt;!channel&gt;", "can't contain < or >"),
    ]:
        reply = ws.pacer(user, text)
        assert reply.status == 200 and words in reply.text, reply.text
        assert "`/pacer" in reply.text  # ends with a command that works
        assert "<!channel>" not in str(reply.body)
    assert versions(ws) == 0
