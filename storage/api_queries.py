"""The HTTP API's rows: tokens, answers kept for Idempotency-Key retries, and the paged read of
activity. Flushed in the caller's unit of work, never committed here."""

from datetime import date, datetime

from sqlalchemy import Float, Integer, bindparam, delete, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage import db
from storage.api_models import ApiToken, IdempotentResponse
from storage.models import ActivityLog

# -- tokens -----------------------------------------------------------------------------------


def add_token(session: Session, token: ApiToken) -> ApiToken:
    session.add(token)
    session.flush()
    return token


def live_token(session: Session, workspace_id: int, name: str) -> ApiToken | None:
    return session.exec(
        select(ApiToken).where(
            ApiToken.workspace_id == workspace_id,
            ApiToken.name == name,
            col(ApiToken.revoked_at).is_(None),
        )
    ).first()


def token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    """Revoked ones too: the caller tells a revoked token from an unknown one."""
    return session.exec(select(ApiToken).where(ApiToken.token_hash == token_hash)).first()


def tokens(session: Session, workspace_id: int, *, revoked: bool = False) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.workspace_id == workspace_id)
    if not revoked:
        query = query.where(col(ApiToken.revoked_at).is_(None))
    return list(session.exec(query.order_by(ApiToken.name, ApiToken.id)))


def revoke(session: Session, token_id: int, by: str, now: datetime) -> ApiToken | None:
    """Compare-and-set: the revoked row, or None when someone revoked it first."""
    result = session.exec(
        update(ApiToken)
        .where(ApiToken.id == token_id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=now, revoked_by=by)
    )
    if result.rowcount != 1:
        return None
    row = session.get(ApiToken, token_id)
    session.refresh(row)
    return row


# -- request rate ----------------------------------------------------------------------------

# The generic cell rate algorithm in one atomic upsert: ``tat`` (theoretical arrival time) is
# when the token's bucket is full again. A request at ``now`` may go when tat <= ``limit`` (now
# + burst/rate - 1/rate), and then moves tat on by 1/rate; a refused one leaves tat as it is.
# ``ok`` keeps the verdict so that RETURNING (which sees the new row) can tell it.
_TAKE_RATE = text(
    "INSERT INTO api_rate (token_id, tat, ok) VALUES (:token_id, :now + :interval, true) "
    "ON CONFLICT (token_id) DO UPDATE SET "
    "ok = api_rate.tat <= :limit, "
    "tat = CASE WHEN api_rate.tat > :limit THEN api_rate.tat "
    "WHEN api_rate.tat > :now THEN api_rate.tat + :interval ELSE :now + :interval END "
    "RETURNING ok, tat"
).bindparams(
    bindparam("token_id", type_=Integer),
    bindparam("now", type_=Float),
    bindparam("interval", type_=Float),
    bindparam("limit", type_=Float),
)


def take_rate(
    session: Session, token_id: int, now: float, interval: float, limit: float
) -> tuple[bool, float]:
    """One request of a token at ``now`` (seconds): (may it go, the token's tat after it)."""
    ok, tat = (
        session.connection()
        .execute(
            _TAKE_RATE, {"token_id": token_id, "now": now, "interval": interval, "limit": limit}
        )
        .one()
    )
    return bool(ok), float(tat)


# -- idempotency keys -------------------------------------------------------------------------


def kept_response(
    session: Session, token_id: int, key: str, since: datetime
) -> IdempotentResponse | None:
    """The answer kept for this token's key, if it was stored after ``since`` (24 h ago)."""
    return session.exec(
        select(IdempotentResponse).where(
            IdempotentResponse.token_id == token_id,
            IdempotentResponse.key == key,
            IdempotentResponse.created_at > since,
        )
    ).first()


def keep_response(session: Session, row: IdempotentResponse, since: datetime) -> bool:
    """Store the answer; the token's answers older than 24 hours go first (the unique key's
    index serves the token's rows), so the table holds a day of answers per token. False, and
    nothing stored, when a concurrent request with the key stored its answer first."""
    try:
        with db.savepoint(session):
            session.exec(
                delete(IdempotentResponse).where(
                    IdempotentResponse.token_id == row.token_id,
                    IdempotentResponse.created_at <= since,
                )
            )
            session.add(row)
    except IntegrityError:
        return False
    return True


# -- reading activity -------------------------------------------------------------------------


def activities_page(
    session: Session,
    workspace_id: int,
    *,
    start: date | None,
    end: date | None,
    rep_ids: list[str] | None,
    kpi: str | None,
    after_id: int,
    limit: int,
    voided: bool,
) -> list[ActivityLog]:
    """Logs in id order after ``after_id`` (a keyset cursor: stable while rows are added)."""
    query = select(ActivityLog).where(
        ActivityLog.workspace_id == workspace_id, col(ActivityLog.id) > after_id
    )
    if start is not None:
        query = query.where(ActivityLog.occurred_on >= start)
    if end is not None:
        query = query.where(ActivityLog.occurred_on <= end)
    if rep_ids is not None:
        query = query.where(col(ActivityLog.rep_id).in_(rep_ids))
    if kpi is not None:
        query = query.where(ActivityLog.kpi == kpi)
    if not voided:
        query = query.where(col(ActivityLog.voided_at).is_(None))
    return list(session.exec(query.order_by(ActivityLog.id).limit(limit)))
