"""/scorecard in the week of Thanksgiving 2026 (Thu 26 Nov, a US public holiday in the default
process): a full-week SDR with 60 calls a day has a week goal of 4 × 60 = 240, not 300, and
reads on pace, not 20% behind."""

from datetime import datetime

from tests.bot.support import SDR

NY = "-05:00"


def at(rig, day: int, hhmm: str) -> None:
    rig.now = datetime.fromisoformat(f"2026-11-{day:02d}T{hhmm}:00{NY}")


def test_a_full_week_sdr_in_thanksgiving_week(rig):
    rig.team()
    for day in (23, 24, 25):
        at(rig, day, "16:55")
        rig.text("/log", "calls 60", SDR)
    at(rig, 25, "17:30")
    wednesday = rig.text("/scorecard", "", SDR)
    assert "75% of the week's working time elapsed" in wednesday
    assert "180 of 240 (75%) · pace 100% · projected 240 — *on pace*" in wednesday
    at(rig, 26, "12:00")  # Thanksgiving: no time passes, nothing is due
    thursday = rig.text("/scorecard", "", SDR)
    assert "75% of the week's working time elapsed" in thursday
    assert "180 of 240 (75%) · pace 100%" in thursday
    assert "a day off: no goals today" in rig.text("/scorecard", "day", SDR)
    at(rig, 27, "16:55")
    reply = rig.text("/log", "calls 60", SDR)
    assert "this week 240 of 240 (100%)" in reply and "on pace" in reply
    at(rig, 27, "17:30")
    friday = rig.text("/scorecard", "", SDR)
    assert "240 of 240 (100%) · pace 100% · projected 240 — *on pace*" in friday
