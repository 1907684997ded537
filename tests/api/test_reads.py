"""Scorecards, leaderboards and the OpenAPI document."""

from api.schemas import LeaderboardOut, ScorecardOut
from tests.api.test_routes import CALL, post
from tests.rituals.ingest.support import AE, REP


def test_scorecard_is_what_slash_scorecard_shows(client, token):
    post(client, token, CALL)
    answer = client.call("GET", f"/api/v1/scorecards/{REP}?period=week", token=token)
    assert answer.status == 200
    card = ScorecardOut.model_validate(answer.json)
    assert (card.user_id, card.period.kind, str(card.period.start)) == (REP, "week", "2026-11-23")
    calls = next(k for k in card.kpis if k.key == "calls")
    assert calls.actual == 2 and calls.goal is not None and calls.attainment == 2 / calls.goal
    assert [k.key for k in card.kpis] == ["calls", "conversations", "meetings_scheduled", "sao"]


def test_scorecard_problems(client, token):
    assert client.call("GET", "/api/v1/scorecards/U0NOBODY", token=token).json["field"] == "user_id"
    bad = client.call("GET", f"/api/v1/scorecards/{REP}?period=year", token=token)
    assert (bad.status, bad.json["field"]) == (400, "period")


def test_leaderboard(client, token):
    post(client, token, CALL)
    answer = client.call("GET", "/api/v1/teams/Sales/leaderboard?kpi=calls&by=count", token=token)
    assert answer.status == 200, answer.json
    board = LeaderboardOut.model_validate(answer.json)
    assert board.ranking[0].user_id == REP and board.ranking[0].value == 2
    assert AE not in [r.user_id for r in board.ranking]  # calls are not on an AE's scorecard
    overall = client.call("GET", "/api/v1/teams/sales/leaderboard?period=month", token=token)
    assert overall.status == 200 and overall.json["by"] == "attainment"
    assert client.call("GET", "/api/v1/teams/Nope/leaderboard", token=token).status == 404
    assert (
        client.call("GET", "/api/v1/teams/Sales/leaderboard?by=count", token=token).json["field"]
        == "by"
    )


def test_openapi_document(client):
    answer = client.call("GET", "/api/v1/openapi.json")
    doc = answer.json
    assert answer.status == 200 and doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {
        "/activities",
        "/scorecards/{user_id}",
        "/teams/{team}/leaderboard",
    }
    item = doc["components"]["schemas"]["ActivityIn"]
    assert item["properties"]["external_id"]["maxLength"] == 200
    assert {"ActivitiesIn", "IngestOut", "Problem", "ScorecardOut"} <= set(
        doc["components"]["schemas"]
    )
