"""Activity from other systems (the HTTP API, CSV files, CRM webhooks), counted like a `/log`.

    results = ingest(session, workspace_id, [IngestItem(...)], now)   # upsert, set-based
    map_owner(session, workspace_id, "jane@acme.com", "U123", by="U9", now=now)  # held → applied
    held_queue(session, workspace_id)                                  # who is waiting

``ingest`` upserts on (workspace, source, external_id): the same item again is ``unchanged``, a
changed one ``updated``, ``deleted`` ``voided``; an owner Pacer cannot match is ``held`` until
mapped; an item that could never count is ``rejected`` with a reason. See upsert.py."""

from rituals.ingest.items import STATUSES, IngestItem, ItemResult, owner_key
from rituals.ingest.mapping import HeldOwner, Mapped, MappingRefused, held_queue, map_owner
from rituals.ingest.upsert import ingest

__all__ = [
    "STATUSES",
    "HeldOwner",
    "IngestItem",
    "ItemResult",
    "Mapped",
    "MappingRefused",
    "held_queue",
    "ingest",
    "map_owner",
    "owner_key",
]
