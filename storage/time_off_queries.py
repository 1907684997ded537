"""Days away (time_off rows): who is away when."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import col, select

from storage.models import TimeOff
from storage.unit_of_work import Session


def days_away(
    session: Session, workspace_id: int, user_ids: Iterable[str], first: date, last: date
) -> dict[str, frozenset[date]]:
    """user -> the days from ``first`` to ``last`` they are away (cancelled ones left out), in
    one statement; a user away on none of them is absent from the result."""
    users = list(dict.fromkeys(user_ids))
    if not users:
        return {}
    rows = session.exec(
        select(TimeOff.user_id, TimeOff.day).where(
            TimeOff.workspace_id == workspace_id,
            col(TimeOff.user_id).in_(users),
            TimeOff.day >= first,
            TimeOff.day <= last,
            col(TimeOff.cancelled_at).is_(None),
        )
    )
    found: dict[str, set[date]] = {}
    for user_id, day in rows:
        found.setdefault(user_id, set()).add(day)
    return {user: frozenset(days) for user, days in found.items()}
