"""The OpenAPI 3.1 document at /api/v1/openapi.json, generated from api/schemas.py's models
(pydantic's JSON Schema is 2020-12, the dialect OpenAPI 3.1 uses)."""

from functools import cache

from pydantic.json_schema import models_json_schema

from api import schemas
from rituals.api_access import SCOPES

MODELS = [
    (schemas.ActivitiesIn, "validation"),
    (schemas.IngestOut, "serialization"),
    (schemas.ActivityPage, "serialization"),
    (schemas.ScorecardOut, "serialization"),
    (schemas.LeaderboardOut, "serialization"),
    (schemas.Problem, "serialization"),
]


def _ref(model) -> dict:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _problems(*statuses: int) -> dict:
    why = {
        400: "a query parameter is wrong (the problem names it)",
        401: "no token, an unknown one or a revoked one",
        403: "the token lacks the scope",
        404: "what the path names does not exist",
        413: f"the body is too large, or more than {schemas.MAX_ITEMS} items",
        422: "the body's shape is wrong (the problem names the field)",
        429: "over the token's rate; Retry-After says when to try again",
    }
    problem = {"application/problem+json": {"schema": _ref(schemas.Problem)}}
    return {str(s): {"description": why[s], "content": problem} for s in statuses}


def _query(name: str, description: str, **schema) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


PERIOD = _query("period", "day, week (default) or month", enum=["day", "week", "month"])


@cache
def document() -> dict:
    _, defs = models_json_schema(MODELS, ref_template="#/components/schemas/{model}")
    secured = lambda scope: [{"bearer": [scope]}]  # noqa: E731
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pacer API",
            "version": "1",
            "description": "Activity in, numbers out. Bearer tokens from `pacer api token create`.",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": defs["$defs"],
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": f"scopes: {', '.join(SCOPES)}",
                }
            },
        },
        "paths": {
            "/activities": {
                "post": {
                    "summary": "Upsert activity on (source, external_id)",
                    "operationId": "postActivities",
                    "security": secured("activities:write"),
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "description": "a retry with the same key gets the first answer (24 h)",
                            "schema": {"type": "string", "maxLength": 255},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref(schemas.ActivitiesIn)}},
                    },
                    "responses": {
                        "200": _json(schemas.IngestOut, "one result per item, in order"),
                        **_problems(400, 401, 403, 413, 422, 429),
                    },
                },
                "get": {
                    "summary": "Counted activity, oldest first, a page at a time",
                    "operationId": "getActivities",
                    "security": secured("activities:read"),
                    "parameters": [
                        _query(
                            "from",
                            "first date (the rep's), inclusive",
                            type="string",
                            format="date",
                        ),
                        _query("to", "last date, inclusive", type="string", format="date"),
                        _query("owner", "a Slack user ID, an email or a mapped id"),
                        _query("kpi", "a KPI key"),
                        _query("cursor", "next_cursor of the page before"),
                        _query(
                            "limit",
                            "1 to 1000 (default 100)",
                            type="integer",
                            minimum=1,
                            maximum=1000,
                        ),
                        _query("include_voided", "voided rows too", type="boolean"),
                    ],
                    "responses": {
                        "200": _json(schemas.ActivityPage, "a page"),
                        **_problems(400, 401, 403, 429),
                    },
                },
            },
            "/scorecards/{user_id}": {
                "get": {
                    "summary": "A rep's scorecard, as /scorecard shows it",
                    "operationId": "getScorecard",
                    "security": secured("scorecards:read"),
                    "parameters": [
                        {
                            "name": "user_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        PERIOD,
                    ],
                    "responses": {
                        "200": _json(schemas.ScorecardOut, "the scorecard"),
                        **_problems(400, 401, 403, 404, 429),
                    },
                }
            },
            "/teams/{team}/leaderboard": {
                "get": {
                    "summary": "A team's stack ranking, as /leaderboard shows it",
                    "operationId": "getLeaderboard",
                    "security": secured("scorecards:read"),
                    "parameters": [
                        {
                            "name": "team",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        _query("kpi", "one KPI; omitted: overall attainment"),
                        PERIOD,
                        _query("by", "attainment (default) or count", enum=["attainment", "count"]),
                    ],
                    "responses": {
                        "200": _json(schemas.LeaderboardOut, "the ranking"),
                        **_problems(400, 401, 403, 404, 429),
                    },
                }
            },
        },
    }
