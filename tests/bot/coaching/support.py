"""What the coaching tests share: their people and channels, the data set computed by hand
(tests/storage/coaching_support.py) with Slack user IDs, what was stored and posted, and the
events a reply in a thread sends."""

from datetime import datetime

from slack_bolt.request import BoltRequest
from sqlmodel import select

from simulator.signed_requests import event_body, json_headers
from storage import people_queries
from storage.models import CoachingNote, CoachingSession, SalesTeam, Workspace
from tests.bot.delivery.support import run
from tests.bot.support import ADMIN, AE, MGR, SDR
from tests.storage import coaching_support as hand

SDR2, SDR3, SDR4, SDR5 = "U0SDR0002", "U0SDR0003", "U0SDR0004", "U0SDR0005"
MGR2 = "U0MGR0002"
COACHING = "C0COACH01"
SALES = "C0SALES01"
JOINED = datetime.fromisoformat("2026-10-01T10:00:00-04:00")  # everyone joined long ago
NAMES = {SDR: "Maria Lopez", SDR2: "Sam Okafor", SDR3: "Jenna Park", SDR4: "Dev Rao"}
MONDAY_0930 = datetime.fromisoformat("2026-11-30T09:30:00-05:00")


def team_and_workspace(rig) -> tuple[SalesTeam, Workspace]:
    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        return team, session.get(Workspace, team.workspace_id)


def seed_hand_computed(rig) -> None:
    """The storage test's data set, with Slack user IDs: A is Maria (SDR), B Sam, C Jenna, D Dev.
    It was computed by hand for plain Mon–Fri weeks, so the team takes no public holidays."""
    rig.text("/pacer", "holiday country off", ADMIN)
    team, ws = team_and_workspace(rig)
    ids = {hand.A: SDR, hand.B: SDR2, hand.C: SDR3, hand.D: SDR4, hand.AE: AE}
    with rig.services.unit_of_work() as session:
        session.add_all(hand.hand_computed_logs(ws, team, ids))
        session.commit()


def sessions(rig) -> list[CoachingSession]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(CoachingSession).order_by(CoachingSession.id)))


def notes(rig) -> list[CoachingNote]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(CoachingNote).order_by(CoachingNote.message_ts)))


def text_of(blocks: list[dict]) -> str:
    out = []
    for block in blocks:
        if block.get("text"):
            out.append(block["text"]["text"])
        texts = [e.get("text", "") for e in block.get("elements", []) if isinstance(e, dict)]
        out += [t["text"] if isinstance(t, dict) else t for t in texts]  # a button's text
    return "\n".join(out)


def openings(rig) -> list:
    """The opening messages Pacer posted (not DMs to a manager, not ritual reminders)."""
    return [
        c
        for c in rig.slack.calls_to("chat.postMessage")
        if "Coaching session" in c.params.get("text", "") and not c.failed_status
    ]


def thread_of(rig, index: int = -1) -> tuple[str, str]:
    row = sessions(rig)[index]
    assert row.channel_id and row.thread_ts, "the thread was not recorded"
    return row.channel_id, row.thread_ts


def message_event(
    rig,
    event: dict,
    *,
    retry: int | None = None,
    event_id: str | None = None,
    team_id: str = "T0RIG0001",
):
    body = event_body(event, team_id=team_id, event_id=event_id)
    response = rig.app.dispatch(
        BoltRequest(body=body, headers=json_headers("rig-secret", body, retry))
    )
    assert response.status == 200
    return body


def reply(rig, channel, thread_ts, ts, text, user=SDR, **extra) -> dict:
    event = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "event_ts": ts,
    }
    return event | extra


def coach_at(rig, rep: str, when: str, manager: str = MGR) -> None:
    rig.now = datetime.fromisoformat(when)
    assert "Opening a coaching thread" in rig.text("/coach", f"<@{rep}>", manager)


def reminders_to(rig, manager: str) -> list[str]:
    return [
        c.params["text"] + text_of(c.params.get("blocks") or [])
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params["channel"] == manager and not c.failed_status
    ]


def weekly_thread(rig, at: datetime) -> str:
    before = len(rig.slack.calls_to("chat.postMessage"))
    assert run(rig, "weekly", at).status == "posted"
    posts = rig.slack.calls_to("chat.postMessage")[before:]
    return "\n".join(text_of(c.params["blocks"]) for c in posts if "thread_ts" in c.params)
