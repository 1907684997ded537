"""A local stand-in for the part of HubSpot's CRM API that Pacer reads (HUBSPOT_API_URL points at
it): batch reads of calls, meetings and deals, and owners. Port 0, records each call; a test
adds objects and owners, and can make the next calls fail."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "pat-standin-token"
_BATCH = re.compile(r"^/crm/v3/objects/(calls|meetings|deals)/batch/read$")
_OWNER = re.compile(r"^/crm/v3/owners/([^/?]+)")


class HubSpotStandin:
    def __init__(self, token: str = TOKEN):
        self.token = token
        self.objects: dict[str, dict[str, dict]] = {"calls": {}, "meetings": {}, "deals": {}}
        self.owners: dict[str, dict] = {}
        self.calls: list[tuple[str, str, object]] = []
        self.fail_next = 0  # answer this many calls with 500
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> HubSpotStandin:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                standin._answer(self, "GET", None)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                standin._answer(self, "POST", json.loads(raw or b"null"))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> HubSpotStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, kind: str, object_id: str | int, **properties) -> None:
        """An object: kind is calls, meetings or deals."""
        self.objects[kind][str(object_id)] = {k: str(v) for k, v in properties.items()}

    def add_owner(self, owner_id: str | int, email: str) -> None:
        self.owners[str(owner_id)] = {"id": str(owner_id), "email": email}

    def _answer(self, handler: BaseHTTPRequestHandler, method: str, body: object) -> None:
        with self._lock:
            self.calls.append((method, handler.path, body))
            failing = self.fail_next > 0
            self.fail_next -= 1 if failing else 0
        if failing:
            return self._send(handler, 500, {"status": "error", "message": "stand-in failure"})
        if handler.headers.get("Authorization") != f"Bearer {self.token}":
            return self._send(
                handler, 401, {"status": "error", "category": "INVALID_AUTHENTICATION"}
            )
        batch = _BATCH.match(handler.path)
        if method == "POST" and batch and isinstance(body, dict):
            store = self.objects[batch.group(1)]
            wanted = body.get("properties") or []
            results = [
                {
                    "id": i["id"],
                    "properties": {k: v for k, v in store[i["id"]].items() if k in wanted},
                }
                for i in body.get("inputs", [])
                if i.get("id") in store
            ]
            missing = len(results) < len(body.get("inputs", []))
            return self._send(
                handler, 207 if missing else 200, {"status": "COMPLETE", "results": results}
            )
        owner = _OWNER.match(handler.path)
        if method == "GET" and owner:
            found = self.owners.get(owner.group(1))
            return self._send(handler, 200 if found else 404, found or {"status": "error"})
        return self._send(handler, 404, {"status": "error", "message": "not in the stand-in"})

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: object) -> None:
        raw = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(raw)))
        handler.end_headers()
        handler.wfile.write(raw)
