"""Problems as RFC 9457 bodies, query parameters given once, responses as JSON."""

import io
from datetime import UTC, date, datetime

import pytest

from api.http import ApiProblem, Request, Response, problem_response, send


def test_a_problem_is_rfc_9457_with_its_field():
    problem = ApiProblem(400, "from is a date", field="from", headers=[("X", "y")])
    response = problem_response(problem)
    assert response.content_type == "application/problem+json"
    assert response.body == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "from is a date",
        "field": "from",
    }
    assert response.headers == [("X", "y")]


def test_a_parameter_given_twice_is_a_problem():
    request = Request("GET", "/x", {"QUERY_STRING": "kpi=a&kpi=b&from="})
    with pytest.raises(ApiProblem) as raised:
        request.query()
    assert raised.value.field == "kpi"
    assert Request("GET", "/x", {"QUERY_STRING": "from=&to=2"}).query() == {"from": "", "to": "2"}


def test_send_encodes_dates_and_sets_the_length():
    seen = {}
    body = send(
        Response(200, {"at": datetime(2026, 1, 2, 3, tzinfo=UTC), "on": date(2026, 1, 2)}),
        lambda status, headers: seen.update(status=status, headers=dict(headers)),
    )
    assert b"".join(body) == b'{"at":"2026-01-02T03:00:00+00:00","on":"2026-01-02"}'
    assert seen["status"] == "200 OK"
    assert seen["headers"]["Content-Length"] == str(len(b"".join(body)))
    assert (
        Request("POST", "/", {"HTTP_IDEMPOTENCY_KEY": "k", "wsgi.input": io.BytesIO()}).header(
            "Idempotency-Key"
        )
        == "k"
    )
