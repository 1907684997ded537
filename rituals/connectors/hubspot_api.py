"""Reading objects back from HubSpot's CRM API: a webhook event names an object, not its owner
or its time. One batch read per kind of object per delivery, and each owner's email once an hour.

``HUBSPOT_API_URL`` (default https://api.hubapi.com; tests point it at a local stand-in) and
``HUBSPOT_ACCESS_TOKEN`` (a private app's token, or the install's OAuth token) come from the
environment. Any failure raises HubSpotUnavailable: the hook answers 503 and HubSpot retries the
delivery later, which the upsert makes harmless."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta

from rituals.connectors.hubspot import API_OBJECTS, PROPERTIES

DEFAULT_API_URL = "https://api.hubapi.com"
BATCH = 100  # HubSpot's batch read takes at most 100 ids
OWNER_TTL = timedelta(hours=1)
TIMEOUT = 3.0  # seconds per call: HubSpot waits about 5 s for the hook's answer


class HubSpotUnavailable(Exception):
    pass


class HubSpotApi:
    def __init__(self, base_url: str | None, token: str | None, timeout: float = TIMEOUT):
        self.base_url = (base_url or DEFAULT_API_URL).rstrip("/")
        self.token = token or ""
        self.timeout = timeout
        self._owners: dict[str, tuple[datetime, str | None]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, env) -> HubSpotApi:
        return cls(env.get("HUBSPOT_API_URL"), env.get("HUBSPOT_ACCESS_TOKEN"))

    def _call(self, method: str, path: str, body: object | None = None) -> object:
        if not self.token:
            raise HubSpotUnavailable("HUBSPOT_ACCESS_TOKEN is not set: Pacer can't read objects")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise HubSpotUnavailable(f"HubSpot answered {error.code} to {method} {path}") from None
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise HubSpotUnavailable(f"HubSpot could not be read: {error}") from None

    def read_objects(self, kind: str, ids: Iterable[str]) -> dict[str, dict]:
        """id -> properties of the objects HubSpot still has (a deleted one is absent)."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, dict] = {}
        for start in range(0, len(ids), BATCH):
            answer = self._call(
                "POST",
                f"/crm/v3/objects/{API_OBJECTS[kind]}/batch/read",
                {
                    "properties": list(PROPERTIES[kind]),
                    "inputs": [{"id": i} for i in ids[start : start + BATCH]],
                },
            )
            for result in (answer or {}).get("results", []) if isinstance(answer, dict) else []:
                if isinstance(result, dict) and result.get("id") is not None:
                    out[str(result["id"])] = dict(result.get("properties") or {})
        return out

    def owner_email(self, owner_id: str, now: datetime) -> str | None:
        with self._lock:
            cached = self._owners.get(owner_id)
        if cached is not None and now - cached[0] < OWNER_TTL:
            return cached[1]
        answer = self._call("GET", f"/crm/v3/owners/{owner_id}?idProperty=id")
        email = answer.get("email") if isinstance(answer, dict) else None
        email = email if isinstance(email, str) and email.strip() else None
        with self._lock:
            if len(self._owners) > 10_000:  # a bound, not a policy: owners are few
                self._owners.clear()
            self._owners[owner_id] = (now, email)
        return email
