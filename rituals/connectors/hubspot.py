"""HubSpot: checking a webhook request's v3 signature, and turning its events into activity.

HubSpot posts a JSON list of events (up to 100) to ``POST /api/v1/hooks/hubspot``. An event names
an object and what happened to it, not who owns it nor when the call was: Pacer reads the objects
back through HubSpot's CRM API (hubspot_api.py) and counts each like a `/log` through the same
upsert as the HTTP API (rituals.ingest), keyed ``call:ID``, ``meeting:ID``, ``deal:ID`` under the
source ``hubspot``. So a replayed or re-ordered delivery changes nothing, an edited call updates
its row, a deleted one (or a meeting cancelled, a deal moved out of Closed Won) voids it.

Signature v3 (HubSpot's "Validating requests"): base64 of HMAC-SHA256, keyed with the app's
client secret, of method + URI + body + the X-HubSpot-Request-Timestamp header (milliseconds),
refused when the timestamp is more than 5 minutes old. The URI is the one HubSpot called, with
the characters HubSpot's table lists decoded."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rituals.process.sources import SourceMapping, by_role_word

SOURCE = "hubspot"
MAX_AGE = timedelta(minutes=5)
MAX_EVENTS = 1000  # HubSpot sends at most 100 per request; more is not HubSpot

# HubSpot's table of URL-encoded characters to decode in the URI before signing.
_DECODE = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}

# objectTypeId of the generic ("object.*") subscriptions, and the legacy deal.* names.
OBJECT_TYPES = {"0-48": "call", "0-47": "meeting", "0-3": "deal"}
RECORDS = {"call": "calls", "meeting": "meetings", "deal": "deals_won"}
# The CRM API's name for each object type, and the properties Pacer reads.
API_OBJECTS = {"call": "calls", "meeting": "meetings", "deal": "deals"}
PROPERTIES = {
    "call": ("hubspot_owner_id", "hs_timestamp"),
    "meeting": ("hubspot_owner_id", "hs_meeting_start_time", "hs_timestamp", "hs_meeting_outcome"),
    "deal": ("hubspot_owner_id", "closedate", "hs_is_closed_won", "dealstage"),
}


class SignatureRefused(Exception):
    """Why a request is not HubSpot's (the answer is 401 with this text)."""


def decode_uri(uri: str) -> str:
    for encoded, char in _DECODE.items():
        uri = uri.replace(encoded, char).replace(encoded.lower(), char)
    return uri


def signature_v3(secret: str, method: str, uri: str, body: bytes | str, timestamp: str) -> str:
    raw = body if isinstance(body, bytes) else body.encode("utf-8")
    message = method.upper().encode() + decode_uri(uri).encode() + raw + timestamp.encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_v3(
    secret: str,
    method: str,
    uri: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    now: datetime,
) -> None:
    """Raises SignatureRefused unless the request carries a valid, recent v3 signature."""
    if not secret:
        raise SignatureRefused(
            "HubSpot's webhook is not set up here: HUBSPOT_CLIENT_SECRET is empty"
        )
    if not signature or not timestamp:
        raise SignatureRefused(
            "missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp header"
        )
    try:
        sent = datetime.fromtimestamp(int(timestamp) / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        raise SignatureRefused(
            "X-HubSpot-Request-Timestamp is not a time in milliseconds"
        ) from None
    if now - sent > MAX_AGE:
        raise SignatureRefused("the request is more than 5 minutes old")
    if sent - now > MAX_AGE:  # a clock that far ahead is no clock HubSpot signs with
        raise SignatureRefused("the request's timestamp is more than 5 minutes ahead")
    expected = signature_v3(secret, method, uri, body, timestamp)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise SignatureRefused("the signature does not match")


# -- events ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The latest news of one HubSpot object in a delivery: read it again, or it is gone."""

    kind: str  # call | meeting | deal
    object_id: str
    portal: int | None
    occurred_at: datetime
    deleted: bool

    @property
    def external_id(self) -> str:
        return f"{self.kind}:{self.object_id}"


@dataclass(frozen=True)
class Skipped:
    index: int
    reason: str


def read_events(payload: object) -> tuple[list[Change], list[Skipped]]:
    """The objects a delivery is about, newest news per object (HubSpot may send several events
    for one object, in any order), and the events skipped with why. Raises ValueError when the
    payload is not a list of events at all."""
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        raise ValueError("expected a JSON list of HubSpot events")
    if len(payload) > MAX_EVENTS:
        raise ValueError(f"more than {MAX_EVENTS} events in one request")
    latest: dict[tuple[str, str], Change] = {}
    skipped: list[Skipped] = []
    for index, event in enumerate(payload):
        change = _change(event)
        if isinstance(change, str):
            skipped.append(Skipped(index, change))
            continue
        key = (change.kind, change.object_id)
        before = latest.get(key)
        # The newest event wins; at the same instant a deletion wins over an update.
        if before is None or (change.occurred_at, change.deleted) > (
            before.occurred_at,
            before.deleted,
        ):
            latest[key] = change
    return list(latest.values()), skipped


def _change(event: object) -> Change | str:
    if not isinstance(event, dict):
        return "not an event object"
    kind_type = str(event.get("subscriptionType") or "")
    subject, _, action = kind_type.partition(".")
    if subject == "object":
        kind = OBJECT_TYPES.get(str(event.get("objectTypeId") or ""))
    else:
        kind = subject if subject in ("deal",) else None
    if kind is None:
        return f"{kind_type or 'an event'} is not a call, meeting or deal: not counted"
    if action not in ("creation", "propertyChange", "deletion", "restore", "merge"):
        return f"{kind_type} does not change what is counted"
    object_id = event.get("objectId")
    if isinstance(object_id, bool) or not isinstance(object_id, int | str) or not str(object_id):
        return "objectId is missing"
    try:
        occurred = datetime.fromtimestamp(int(event.get("occurredAt")) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return "occurredAt is not a time in milliseconds"
    portal = event.get("portalId")
    portal = int(portal) if isinstance(portal, int) and not isinstance(portal, bool) else None
    return Change(kind, str(object_id), portal, occurred, action == "deletion")


# -- objects read back -> activity ---------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """One object as Pacer counts it: its key, owner and time, or ``deleted``; ``kpi`` None
    means the process maps this kind of record to nothing for the owner's role."""

    external_id: str
    owner: str
    occurred_at: datetime
    kpi: str | None
    deleted: bool = False
    reason: str | None = None  # why it is not counted (deleted or not mapped)


def owner_label(owner_id: str, email: str | None) -> str:
    """Who an object belongs to, as ingestion matches it: the HubSpot user's email when HubSpot
    gives one, else their owner id (mapped once in the held queue)."""
    return email.strip().lower() if email and email.strip() else f"hubspot-owner:{owner_id}"


def to_activity(
    change: Change,
    properties: dict | None,
    mapping: SourceMapping,
    owner_of: Callable[[str], str],
    role_of: Callable[[str], str | None],
) -> Activity:
    """One change and the object's properties as read back (None: HubSpot no longer has it)."""
    record = RECORDS[change.kind]
    if change.deleted or properties is None:
        return Activity(
            change.external_id, "", change.occurred_at, None, True, "deleted in HubSpot"
        )
    owner_id = str(properties.get("hubspot_owner_id") or "").strip()
    owner = owner_of(owner_id) if owner_id else ""
    when = _time(properties, change)
    if change.kind == "meeting" and str(properties.get("hs_meeting_outcome") or "").upper() in (
        "CANCELED",
        "CANCELLED",
        "NO_SHOW",
    ):
        return Activity(change.external_id, owner, when, None, True, "meeting cancelled")
    if change.kind == "deal" and str(properties.get("hs_is_closed_won") or "").lower() != "true":
        return Activity(change.external_id, owner, when, None, True, "deal not closed won")
    if not owner:
        return Activity(
            change.external_id, "", when, None, False, f"the {change.kind} has no owner"
        )
    role = role_of(owner)
    kpi = mapping.kpi_for(record, role)
    if kpi is None and role is None and mapping.records.get(record):
        # A mapping by role needs the rep, unknown until the owner is matched: the item is held
        # under the record type, and mapping the owner counts it on their role's KPI.
        return Activity(change.external_id, owner, when, by_role_word(SOURCE, record))
    if kpi is None:
        return Activity(
            change.external_id,
            owner,
            when,
            None,
            False,
            f"sources.hubspot maps no {record} for {role}",
        )
    return Activity(change.external_id, owner, when, kpi)


def _time(properties: dict, change: Change) -> datetime:
    """When it happened: the call's or meeting's time, the deal's close date; else the event's."""
    names = {
        "call": ("hs_timestamp",),
        "meeting": ("hs_meeting_start_time", "hs_timestamp"),
        "deal": ("closedate",),
    }[change.kind]
    for name in names:
        parsed = parse_time(properties.get(name))
        if parsed is not None:
            return parsed
    return change.occurred_at


def parse_time(value: object) -> datetime | None:
    """HubSpot writes times as ISO 8601 (2026-12-01T14:02:00.000Z) or milliseconds."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        if text.isdigit():
            return datetime.fromtimestamp(int(text) / 1000, UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def kinds(changes: Iterable[Change]) -> dict[str, list[str]]:
    """Object ids to read back, per kind (deleted ones need no reading)."""
    out: dict[str, list[str]] = {}
    for change in changes:
        if not change.deleted:
            out.setdefault(change.kind, []).append(change.object_id)
    return out
