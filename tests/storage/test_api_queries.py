"""Tokens, kept answers and paged activity, as stored (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage import api_queries
from storage.api_models import ApiToken, IdempotentResponse
from tests.storage.support import NOW, make_log


def token(ws, name="crm", digest="h1") -> ApiToken:
    return ApiToken(
        workspace_id=ws.id,
        name=name,
        token_hash=digest,
        hint="abcd",
        scopes="activities:read",
        created_by="cli",
        created_at=NOW,
    )


def test_one_live_token_per_name(session, ws):
    first = api_queries.add_token(session, token(ws))
    session.commit()
    with pytest.raises(IntegrityError):
        api_queries.add_token(session, token(ws, digest="h2"))
    session.rollback()
    assert api_queries.revoke(session, first.id, "cli", NOW).revoked_by == "cli"
    assert api_queries.revoke(session, first.id, "cli", NOW) is None  # revoked already
    api_queries.add_token(session, token(ws, digest="h2"))  # the name is free again
    session.commit()
    assert [t.token_hash for t in api_queries.tokens(session, ws.id)] == ["h2"]
    assert len(api_queries.tokens(session, ws.id, revoked=True)) == 2
    assert api_queries.token_by_hash(session, "h1").revoked_at is not None


def test_kept_answers_last_24_hours(session, ws):
    row = api_queries.add_token(session, token(ws))

    def answer(at, body="{}"):
        return IdempotentResponse(
            token_id=row.id, key="k", request_hash="r", status=200, body=body, created_at=at
        )

    assert api_queries.keep_response(session, answer(NOW), NOW - timedelta(hours=24))
    session.commit()
    assert api_queries.kept_response(session, row.id, "k", NOW - timedelta(hours=24)).body == "{}"
    # The same key again within the day: refused, nothing changed.
    assert not api_queries.keep_response(session, answer(NOW, "x"), NOW - timedelta(hours=24))
    later = NOW + timedelta(hours=25)
    assert api_queries.kept_response(session, row.id, "k", later - timedelta(hours=24)) is None
    assert api_queries.keep_response(session, answer(later, "new"), later - timedelta(hours=24))
    session.commit()
    assert (
        api_queries.kept_response(session, row.id, "k", later - timedelta(hours=24)).body == "new"
    )


def test_activities_page_by_id(session, ws, team):
    rows = [make_log(ws, team, count=n + 1, rep_id="U0A" if n % 2 else "U0B") for n in range(5)]
    session.add_all(rows)
    session.commit()
    page = api_queries.activities_page(
        session,
        ws.id,
        start=None,
        end=None,
        rep_ids=["U0A"],
        kpi="calls",
        after_id=0,
        limit=10,
        voided=False,
    )
    assert [r.count for r in page] == [2, 4]
    after = api_queries.activities_page(
        session,
        ws.id,
        start=None,
        end=None,
        rep_ids=None,
        kpi=None,
        after_id=rows[2].id,
        limit=1,
        voided=False,
    )
    assert [r.id for r in after] == [rows[3].id]
