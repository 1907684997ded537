"""The sales-floor TV (issue 16): a team's links and the board it shows, as plain data.

A link carries a random token; only its SHA-256 is stored (storage.tv_queries), so the link is
the only key. The board reuses what `/scorecard team` and the leaderboards compute
(rituals.team_scorecard, rituals.ranking), so the TV and Slack show the same numbers. Under
``managers`` visibility the board has team totals only: no names, no rankings, no standings.
No Slack, no SQL of its own; the clock is passed in."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from rituals import dates
from rituals.contests.listing import recent_contests, running_contests
from rituals.contests.standings import Standings, standings_at
from rituals.contests.timing import closes_at
from rituals.process import Process
from rituals.ranking import rank, shown_percent
from rituals.scales import shown_figure, shown_number
from rituals.scorecard import period_for
from rituals.team_scorecard import TeamScorecard, build_team_scorecard
from rituals.teams import team_members, team_process
from storage import people_queries, tv_queries
from storage.models import SalesTeam, TvLink
from storage.unit_of_work import Session

TOKEN_BYTES = 24  # 192 bits: unguessable, and short enough for a URL typed off a phone
TICKER_LOGS = 8
BIG_LOG = 5  # a single log of at least this many counts is news on the ticker


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def path_for(token: str) -> str:
    return f"/tv/{token}"


def new_link(session: Session, team: SalesTeam, by: str, now: datetime) -> str | None:
    """A fresh token for the team (its old link stops working); None if a request made at the
    same moment made one (ask again)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    stored = tv_queries.replace_link(
        session, team.workspace_id, team.id, hash_token(token), by, now
    )
    return token if stored else None


def has_link(session: Session, team_id: int) -> bool:
    return tv_queries.link_of_team(session, team_id) is not None


def revoke(session: Session, team_id: int) -> bool:
    return tv_queries.delete_link(session, team_id)


link_reader = tv_queries.link_reader


def team_for(reader, token: str) -> int | None:
    """The team the link opens (None: no such link, or revoked), read afresh every time;
    ``reader``: link_reader's engine."""
    if not token or len(token) > 100:
        return None
    return tv_queries.team_of_link(reader, hash_token(token))


def link_for(session: Session, token: str) -> TvLink | None:
    if not token or len(token) > 100:
        return None
    return tv_queries.link_by_hash(session, hash_token(token))


@dataclass(frozen=True)
class Context:
    """What a board is built from, and the marker that says when to build it again."""

    team: SalesTeam
    process: Process
    marker: tuple


def context(session: Session, team_id: int, now: datetime) -> Context | None:
    team = people_queries.get_team(session, team_id)
    if team is None:
        return None
    process = team_process(session, team_id)[0]
    month = period_for(process, "month", now)
    week = period_for(process, "week", now)
    since = min(month.start, week.start)
    return Context(team, process, tv_queries.change_marker(session, team_id, since))


def board(session: Session, ctx: Context, now: datetime) -> dict:
    """Everything the page shows, JSON-ready. Names are display names from the stored profiles;
    a rep Pacer has no name for is "a teammate", never a Slack ID."""
    team, process = ctx.team, ctx.process
    cal = process.calendar
    today = cal.local_date(now)
    cards = {}
    for kind in ("day", "week", "month"):
        period = period_for(process, kind, now)
        members = team_members(session, team.id, period.start, period.end, today)
        cards[kind] = build_team_scorecard(
            session, team.workspace_id, team.id, process, members, period, now
        )
    public = process.visibility == "public"
    rep_ids = sorted({r for c in cards.values() for r in c.rep_ids()})
    profiles = people_queries.profiles(session, team.workspace_id, rep_ids) if public else {}
    names = {r: profiles[r].display_name for r in rep_ids if r in profiles}
    kpi_names = {k.key: k.name for k in process.kpis}
    local = cal.local_now(now)
    data = {
        "team": team.name,
        "names": public,
        "now": f"{dates.short(local)} · {local:%H:%M}",
        "week_label": _label(cards["week"]),
        "bars": _bars(cards["week"], kpi_names, "leading"),
        "lagging": _bars(cards["month"], kpi_names, "lagging"),
        "month_label": f"{cards['month'].period.start:%B}",
        "today": _ranking(cards["day"], names) if public else [],
        "week": _ranking(cards["week"], names) if public else [],
        "contest": _contest(session, team.id, kpi_names, names, now, public),
        "ticker": _ticker(session, team.id, cards, kpi_names, names, now, public),
    }
    return data


def figure(value: float | None, decimals: int | None = None) -> int | float | None:
    """Every number on the board goes through here, shown as Slack prints it: a count as
    counted (bot.messages.number: 243, 0.95, 183.4), a goal and what is made from it (expected
    by now) with no more decimals than the goal is stated with (bot.messages.figure: a goal of
    15 expects 5 by now, not 4.69); whole numbers as integers, so the JSON says 5, not 5.0.
    Only the showing: the pace and the status are computed on the exact figures."""
    if value is None:
        return None
    shown = shown_number(value if decimals is None else shown_figure(value, decimals))
    return int(shown) if shown == int(shown) else shown


def _label(card: TeamScorecard) -> str:
    p = card.period
    if p.start.month == p.end.month:
        return f"{p.start.day}–{dates.day_month(p.end)}"
    return f"{dates.day_month(p.start)} – {dates.day_month(p.end)}"


def _bars(card: TeamScorecard, kpi_names: dict, kind: str) -> list[dict]:
    """The team's total per KPI of ``kind``, as `/scorecard team` shows it (one line per role
    and KPI: an SDR's calls and an AE's don't add)."""
    out = []
    for group in card.groups:
        for line in group.lines:
            if line.kind != kind:
                continue
            p = line.pacing
            out.append(
                {
                    "kpi": kpi_names.get(line.kpi, line.kpi),
                    "role": group.role.key.upper(),  # "SDR": short enough for a bar's caption
                    "actual": figure(p.actual),
                    "goal": figure(p.goal, p.decimals),
                    "expected": figure(p.expected, p.decimals),
                    "percent": None if p.attainment is None else shown_percent(p.attainment),
                    "status": p.status,
                }
            )
    return out


def _ranking(card: TeamScorecard, names: dict) -> list[dict]:
    results = [r.result for g in card.groups for r in g.rows]
    return [
        {"rank": r.rank, "name": names.get(r.rep_id, "a teammate"), "score": r.shown}
        for r in rank(results, names=names)
        if r.result.absent is None
    ]


def _contest(session, team_id, kpi_names, names, now, public) -> dict | None:
    running = running_contests(session, team_id, now)
    if not running:
        return None
    contest = running[0]
    st: Standings = standings_at(session, contest, now)
    return {
        "name": contest.name,
        "kpi": kpi_names.get(contest.kpi, contest.kpi),
        "target": figure(contest.target),
        "left": _left(closes_at(contest) - now),
        "total": figure(st.total),
        "places": [
            {"rank": p.rank, "name": names.get(p.user_id, "a teammate"), "count": figure(p.count)}
            for p in st.places[:8]
        ]
        if public
        else [],
    }


def _left(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h left"
    return f"{hours} h {minutes} min left" if hours else f"{minutes} min left"


def _ticker(session, team_id, cards, kpi_names, names, now, public) -> list[str]:
    """Recent milestones, newest news first: goals hit today, contests won, big logs."""
    items = []
    for group in cards["day"].groups:
        for row in group.rows:
            for kpi in row.result.hits():
                who = names.get(row.rep_id, "a teammate") if public else "Someone"
                items.append(f"{who} hit today's {kpi_names.get(kpi, kpi)} goal")
    for contest in recent_contests(session, team_id, now):
        if contest.result is None:
            continue
        winners = Standings.from_json(contest.result).winners
        if public and winners:
            won = " & ".join(
                names.get(w, w if contest.kind == "teams" else "a teammate") for w in winners
            )
            items.append(f"{won} won {contest.name}")
        else:
            items.append(f"{contest.name} is over")
    since = cards["week"].period.start
    for log in tv_queries.recent_logs(session, team_id, since, TICKER_LOGS):
        if log.count >= BIG_LOG:
            who = names.get(log.rep_id, "a teammate") if public else "Someone"
            items.append(f"{who} logged {log.count} {kpi_names.get(log.kpi, log.kpi)}")
    return items[:12]
