"""The coaching tests' data (tests/rituals/test_coaching.py, tests/storage/test_coaching_queries.py,
tests/bot/coaching/): a data set computed by hand, and builders for sessions and notes.

The default process (New York, Mon-Fri) without its public holidays (tests/rituals/test_coaching.py;
through Slack, tests/bot/coaching/ turn them off too): SDR goals calls 60/day (300/week), conversations 12/day
(60/week), meetings_scheduled 8/week, sao 6/month. NOW is Tuesday 24 Nov 2026, 11:00 in New
York; with weeks=4 the window is Mon 26 Oct .. Tue 24 Nov (four full weeks, then Mon-Tue).

Window totals (calls, conversations, meetings_scheduled, sao):

    SDR_A  1000   60  12  3   -> 6%, 20%, 25%
    SDR_B  1000  140  14  0   -> 14%, 10%, 0%
    SDR_C   500  100  30  6   -> 20%, 30%, 20%
    SDR_D     0    0   0  1   -> None, None, None (left out of the medians)
    medians                   -> 14%, 20%, 20%

SDR_A week by week (sao only this week), overall = mean attainment of the KPIs whose goals are
stated per day or week (sao, 6 a month, is the month's: rituals/ranking.py), each capped at 150%:

    26 Oct  300 24 4 -> (1 + 0.4 + 0.5) / 3       = 0.63333
     2 Nov  240 15 4 -> (0.8 + 0.25 + 0.5) / 3    = 0.51667
     9 Nov  180  9 2 -> (0.6 + 0.15 + 0.25) / 3   = 0.33333
    16 Nov  150  6 1 -> (0.5 + 0.1 + 0.125) / 3   = 0.24167
    23 Nov  130  6 1 sao 3 (so far) -> calls 130/300, conversations 6/60 = 0.1,
            meetings 1/8 = 0.125; sao month to date 3 of 6
"""

from datetime import date, timedelta

from storage.models import ActivityLog, CoachingNote, CoachingSession
from tests.storage.support import NOW, TODAY, make_log

A, B, C, D, AE, MGR = "USDR_A", "USDR_B", "USDR_C", "USDR_D", "UAE1", "UMGR"
WEEKS = [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
MON = date(2026, 11, 23)


def log(ws, team, rep, kpi, count, on, *, voided=False) -> ActivityLog:
    row = make_log(ws, team, rep_id=rep, kpi=kpi, count=count, occurred_on=on)
    if voided:
        row.voided_at, row.voided_by = NOW, rep
    return row


def hand_computed_logs(ws, team, ids: dict[str, str] | None = None) -> list[ActivityLog]:
    """The data set in the module docstring; ``ids`` renames its people (A, B, C, D, AE) for a
    test that needs Slack-shaped user IDs (tests/bot/coaching/test_command.py)."""
    ids = ids or {}
    a, b, c, d, ae = (ids.get(x, x) for x in (A, B, C, D, AE))
    L = lambda *args, **kw: log(ws, team, *args, **kw)  # noqa: E731
    rows = []
    weekly_a = [(300, 24, 4), (240, 15, 4), (180, 9, 2), (150, 6, 1), (130, 6, 1)]
    for monday, (calls, convs, meetings) in zip([*WEEKS, MON], weekly_a, strict=True):
        rows += [
            L(a, "calls", calls, monday),
            L(a, "conversations", convs, monday + timedelta(days=1)),
            L(a, "meetings_scheduled", meetings, monday),
        ]
    rows += [
        L(a, "sao", 3, MON),
        L(a, "conversations", 40, date(2026, 11, 20), voided=True),  # undone: not counted
        L(b, "calls", 1000, date(2026, 11, 10)),
        L(b, "conversations", 140, date(2026, 11, 11)),
        L(b, "meetings_scheduled", 14, date(2026, 11, 12)),
        L(b, "calls", 999, date(2026, 10, 25)),  # the Sunday before the window
        L(c, "calls", 500, date(2026, 10, 26)),  # the window's first day
        L(c, "conversations", 100, TODAY),
        L(c, "meetings_scheduled", 30, date(2026, 11, 17)),
        L(c, "sao", 6, date(2026, 11, 18)),
        L(c, "calls", 50, TODAY + timedelta(days=1)),  # after today: not in the window
        L(d, "sao", 1, date(2026, 11, 3)),
        L(ae, "calls", 100, date(2026, 11, 10)),  # an AE: not in the SDRs' medians
        L(ae, "conversations", 90, date(2026, 11, 10)),
        L(ae, "meetings_held", 10, date(2026, 11, 10)),
        L(ae, "roi_discussions", 5, date(2026, 11, 11)),
    ]
    return rows


def coaching_session(ws, team, rep=A, *, at=NOW, key=None, channel="C0COACH", ts=None, mgr=MGR):
    return CoachingSession(
        workspace_id=ws.id,
        team_id=team.id,
        rep_id=rep,
        manager_id=mgr,
        opened_at=at,
        open_key=key or f"k-{rep}-{at.isoformat()}",
        channel_id=channel,
        thread_ts=ts,
    )


def note(row, ts, text="a note", *, action=False, author=MGR) -> CoachingNote:
    return CoachingNote(
        session_id=row.id,
        author_id=author,
        message_ts=ts,
        text=text,
        is_action=action,
        created_at=NOW,
    )
