"""What the domain tests on a real database share: a team with a rep and a manager, logging as
/log does, and the scorecard's lines.

The clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process's timezone): a quarter
of the working day and a quarter of the working week (Mon 23 - Sun 29) have passed."""

from datetime import date

from rituals import activity, scorecard, teams
from rituals.activity import LogItem, LogRequest
from tests.storage.support import NOW, add_member

SLACK_TEAM = "T0001"
REP, MANAGER, OUTSIDER = "U_REP", "U_MGR", "U_OUT"
MONDAY = date(2026, 11, 23)


def actor_for(session, user_id: str) -> teams.Actor:
    return teams.resolve_actor(session, SLACK_TEAM, None, user_id, frozenset(), NOW)


def add_people(session, ws, team) -> None:
    """The rep (an SDR) and their manager."""
    add_member(session, ws, team, REP, "sdr")
    add_member(session, ws, team, MANAGER, None, is_manager=True)


def log(session, user_id, items, *, trigger, rep=REP, on=None, now=NOW):
    request = LogRequest(
        items=[LogItem(k, c) for k, c in items.items()],
        rep_id=rep,
        occurred_on=on,
        trigger_id=trigger,
    )
    return activity.record_activity(session, actor_for(session, user_id), request, now)


def lines(card) -> dict:
    return {line.kpi.key: line.pacing for line in card.lines}


def build(session, ws, kind):
    actor = actor_for(session, REP)
    period = scorecard.period_for(actor.process, kind, NOW)
    return scorecard.build_scorecard(session, ws.id, actor.process, actor.member, period, NOW)
