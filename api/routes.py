"""The endpoints under /api/v1: what each reads from the request and answers. Validation is the
models' (api/schemas.py); the work is the domain's (rituals/)."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import TypeAdapter, ValidationError

from api.http import ApiProblem, Request, Response
from api.schemas import MAX_ITEMS, ActivitiesIn, ActivityIn
from rituals import data_reads
from rituals.api_access import Caller
from rituals.ingest import IngestItem, ingest
from storage.unit_of_work import Session

ENVELOPE = TypeAdapter(ActivitiesIn)
ITEM = TypeAdapter(ActivityIn)


@dataclass
class Context:
    session: Session
    caller: Caller | None
    now: datetime


def where(loc) -> str:
    """A pydantic error location as a field path: ('activities', 3, 'count') → activities[3].count."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def field_errors(error: ValidationError, prefix=()) -> list[dict]:
    return [{"field": where((*prefix, *e["loc"])), "detail": e["msg"]} for e in error.errors()]


# -- POST /activities -------------------------------------------------------------------------


def post_activities(req: Request, ctx: Context) -> Response:
    try:
        items = ENVELOPE.validate_json(req.body).activities
        bad: dict[int, str] = {}
    except ValidationError as error:
        items, bad = _item_by_item(req.body, error)
    if len(items) > MAX_ITEMS:
        raise _too_many(len(items))
    for n, item in enumerate(items):
        if n in bad or item.deleted:
            continue
        # The usual item has every field: only then ask which are missing (a call per item).
        if None in (item.occurred_at, item.owner, item.kpi, item.count):
            bad[n] = f"activities[{n}]: {', '.join(item.missing())} required unless deleted is true"
    good = [(n, item) for n, item in enumerate(items) if n not in bad]
    results = ingest(
        ctx.session,
        ctx.caller.workspace_id,
        [_ingest_item(item, ctx.now) for _, item in good],
        ctx.now,
        via="api",
        entered_by=f"api:{ctx.caller.name}"[:32],
    )
    out: list[dict | None] = [None] * len(items)
    for (n, _), result in zip(good, results, strict=True):
        row = {"external_id": result.external_id, "source": result.source, "status": result.status}
        if result.reason:
            row["reason"] = result.reason
        out[n] = row
    for n, reason in bad.items():
        raw = items[n] if isinstance(items[n], dict) else {}
        out[n] = {
            "external_id": str(raw.get("external_id", "")),
            "source": str(raw.get("source", "")),
            "status": "rejected",
            "reason": reason,
        }
    return Response(200, {"results": out})


def _too_many(n: int) -> ApiProblem:
    return ApiProblem(
        413,
        f"{n} activities in one request; send at most {MAX_ITEMS} per request",
        field="activities",
    )


def _item_by_item(body: bytes, error: ValidationError):
    """The envelope is wrong (→ 400/422 naming the field), or some items are (→ those items
    are rejected, each with the field it got wrong; the rest go on)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as bad_json:
        raise ApiProblem(400, f"the body is not JSON: {bad_json}") from None
    if not isinstance(data, dict) or not isinstance(data.get("activities"), list):
        raise ApiProblem(
            422,
            'the body is {"activities": [...]}',
            field="activities",
            errors=field_errors(error),
        ) from None
    extra = sorted(set(data) - {"activities"})
    if extra:
        raise ApiProblem(422, f"unknown field {extra[0]!r}", field=extra[0]) from None
    raw = data["activities"]
    if not raw:
        raise ApiProblem(422, "activities is empty: send 1 to 1000 items", field="activities")
    if len(raw) > MAX_ITEMS:
        raise _too_many(len(raw)) from None
    items: list = []
    bad: dict[int, str] = {}
    for n, one in enumerate(raw):
        try:
            items.append(ITEM.validate_python(one))
        except ValidationError as item_error:
            items.append(one)
            first = item_error.errors()[0]
            bad[n] = f"{where(('activities', n, *first['loc']))}: {first['msg']}"
    return items, bad


def _ingest_item(item: ActivityIn, now: datetime) -> IngestItem:
    return IngestItem(
        item.source,
        item.external_id,
        item.occurred_at or now,
        item.owner or "",
        item.kpi or "",
        item.count if item.count is not None else 0,
        item.deleted,
    )


# -- GET /activities --------------------------------------------------------------------------


def _date(query: dict, name: str) -> date | None:
    text = query.get(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiProblem(
            400, f"{name} is a date like 2026-12-01; got {text!r}", field=name
        ) from None


def _cursor(text: str | None) -> int:
    if not text:
        return 0
    try:
        value = base64.urlsafe_b64decode(text.encode() + b"==").decode()
        if value.startswith("a") and value[1:].isdigit():
            return int(value[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ApiProblem(
        400, "cursor is not one this API gave: pass next_cursor as it came", field="cursor"
    )


def encode_cursor(after_id: int) -> str:
    return base64.urlsafe_b64encode(f"a{after_id}".encode()).decode().rstrip("=")


def get_activities(req: Request, ctx: Context) -> Response:
    query = req.query()
    limit_text = query.get("limit", "100")
    if not limit_text.isdigit():
        raise ApiProblem(
            400, f"limit is a whole number from 1 to 1000; got {limit_text!r}", field="limit"
        )
    voided = query.get("include_voided", "false").lower()
    if voided not in ("true", "false"):
        raise ApiProblem(400, "include_voided is true or false", field="include_voided")
    try:
        page = data_reads.activities(
            ctx.session,
            ctx.caller.workspace_id,
            start=_date(query, "from"),
            end=_date(query, "to"),
            owner=query.get("owner") or None,
            kpi=query.get("kpi") or None,
            after_id=_cursor(query.get("cursor")),
            limit=int(limit_text),
            voided=voided == "true",
        )
    except data_reads.BadQuery as error:
        raise ApiProblem(400, str(error), field=error.field) from None
    return Response(
        200,
        {
            "activities": [
                {
                    "id": row.id,
                    "owner": row.rep_id,
                    "kpi": row.kpi,
                    "count": row.count,
                    "occurred_on": row.occurred_on,
                    "source": row.source,
                    "ext_source": row.ext_source,
                    "external_id": row.external_id,
                    "entered_by": row.entered_by,
                    "created_at": _utc(row.created_at),
                    "voided_at": _utc(row.voided_at),
                }
                for row in page.items
            ],
            "next_cursor": encode_cursor(page.next_after) if page.next_after else None,
        },
    )


def _utc(moment: datetime | None) -> datetime | None:
    """Timestamps go out in UTC with their offset (SQLite hands them back without one)."""
    if moment is None:
        return None
    from datetime import UTC

    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# -- scorecards and leaderboards --------------------------------------------------------------


def _period(period) -> dict:
    return {"kind": period.kind, "start": period.start, "end": period.end}


def get_scorecard(req: Request, ctx: Context) -> Response:
    kind = req.query().get("period", "week")
    try:
        card = data_reads.rep_scorecard(
            ctx.session, ctx.caller.workspace_id, req.params["user_id"], kind, ctx.now
        )
    except data_reads.BadQuery as error:
        raise ApiProblem(400, str(error), field=error.field) from None
    except data_reads.NotFound as error:
        raise ApiProblem(404, str(error), field=error.field) from None
    kpis = []
    for line in card.lines:
        p = line.pacing
        kpis.append(
            {
                "key": line.kpi.key,
                "name": line.kpi.name,
                "kind": line.kpi.kind,
                "actual": p.actual,
                "goal": p.goal,
                "goal_period": _period(p.period) if p.period else None,
                "expected": p.expected,
                "attainment": p.attainment,
                "pace": p.pace,
                "projection": p.projection,
                "status": p.status,
                "final": p.final,
            }
        )
    body = {
        "user_id": card.rep_id,
        "role": card.role.key,
        "period": _period(card.period),
        "timezone": card.timezone,
        "elapsed": card.elapsed,
        "kpis": kpis,
    }
    return Response(200, body)


def get_leaderboard(req: Request, ctx: Context) -> Response:
    query = req.query()
    kind = query.get("period", "week")
    try:
        board = data_reads.team_leaderboard(
            ctx.session,
            ctx.caller.workspace_id,
            req.params["team"],
            query.get("kpi") or None,
            kind,
            ctx.now,
            query.get("by") or None,
        )
    except data_reads.BadQuery as error:
        raise ApiProblem(400, str(error), field=error.field) from None
    except data_reads.NotFound as error:
        raise ApiProblem(404, str(error), field=error.field) from None
    return Response(
        200,
        {
            "team": req.params["team"],
            "kpi": board.kpi.key if board.kpi else None,
            "by": board.by,
            "period": _period(board.period),
            "ranking": [
                {
                    "rank": r.rank,
                    "user_id": r.rep_id,
                    "value": r.value,
                    "overall": r.result.overall,
                    "absent": r.result.absent,
                }
                for r in board.ranking
            ],
        },
    )
