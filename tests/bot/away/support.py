"""What the /away tests share: the days away stored, read straight from the database."""

from datetime import date

from sqlmodel import select

from storage.models import TimeOff


def rows(rig, user: str | None = None) -> list[TimeOff]:
    with rig.services.unit_of_work() as session:
        query = select(TimeOff).order_by(TimeOff.user_id, TimeOff.day, TimeOff.id)
        if user:
            query = query.where(TimeOff.user_id == user)
        return list(session.exec(query))


def away(rig, user: str) -> list[date]:
    return [r.day for r in rows(rig, user) if r.cancelled_at is None]


def dms_to(rig, user: str) -> list[str]:
    return [
        c.params.get("text", "")
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params.get("channel") == user
    ]
