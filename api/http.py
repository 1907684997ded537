"""The WSGI plumbing: a request's parts, answers as JSON, and problems (RFC 9457)."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from http import HTTPStatus
from urllib.parse import parse_qs

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"


class ApiProblem(Exception):
    """An answer that is an error: status, a sentence, and the field it is about."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        field: str | None = None,
        errors: list[dict] | None = None,
        headers: list[tuple[str, str]] | None = None,
        title: str | None = None,
    ):
        super().__init__(detail)
        self.status, self.detail, self.field = status, detail, field
        self.errors, self.headers = errors, headers or []
        self.title = title or HTTPStatus(status).phrase

    def body(self) -> dict:
        out = {"type": "about:blank", "title": self.title, "status": self.status}
        out["detail"] = self.detail
        if self.field:
            out["field"] = self.field
        if self.errors:
            out["errors"] = self.errors
        return out


@dataclass
class Request:
    method: str
    path: str
    environ: dict
    params: dict[str, str] = field(default_factory=dict)  # from the path
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"))

    def query(self) -> dict[str, str]:
        """The query string's parameters; one value each (a repeated one is a mistake)."""
        parsed = parse_qs(self.environ.get("QUERY_STRING", ""), keep_blank_values=True)
        out = {}
        for name, values in parsed.items():
            if len(values) > 1:
                raise ApiProblem(
                    400, f"{name} is given {len(values)} times; give it once", field=name
                )
            out[name] = values[0]
        return out


@dataclass
class Response:
    status: int
    body: object  # JSON-able, or bytes as they are
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = JSON

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, default=_plain, separators=(",", ":")).encode()


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def problem_response(problem: ApiProblem) -> Response:
    return Response(problem.status, problem.body(), problem.headers, PROBLEM_JSON)


def send(response: Response, start_response) -> list[bytes]:
    payload = response.encoded()
    status = f"{response.status} {HTTPStatus(response.status).phrase}"
    headers = [
        ("Content-Type", response.content_type),
        ("Content-Length", str(len(payload))),
        *response.headers,
    ]
    start_response(status, headers)
    return [payload]
