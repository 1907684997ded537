"""One HubSpot webhook delivery, from its (already verified) events to counted activity.

1. Which workspace and mapping: the process (a team's, or the install-wide one) whose
   ``sources.hubspot.portal`` is the events' portalId; without any portal set, the only
   workspace whose process has a ``sources.hubspot`` section.
2. Read the objects back from HubSpot (owner, time, outcome), outside any transaction: a slow
   HubSpot never holds the database.
3. Owners by email (or ``hubspot-owner:ID``, to be mapped once in the held queue), each record
   to the KPI mapped for the owner's role, then one call of the upsert (rituals.ingest) in one
   transaction: created, updated, unchanged, voided, held or rejected per object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rituals.connectors.hubspot import (
    SOURCE,
    Skipped,
    kinds,
    owner_label,
    read_events,
    to_activity,
)
from rituals.connectors.hubspot_api import HubSpotApi
from rituals.ingest import IngestItem, ItemResult, ingest, owner_key
from rituals.process.sources import SourceMapping
from rituals.teams import team_process
from storage import ingest_queries, people_queries
from storage.unit_of_work import unit_of_work

ENTERED_BY = "hubspot"


class NotConnected(Exception):
    """No process maps HubSpot records for this account (the answer says how to set it up)."""


@dataclass
class Delivery:
    workspace_id: int
    results: list[ItemResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    not_counted: list[tuple[str, str]] = field(default_factory=list)  # external id, why

    def to_dict(self) -> dict:
        return {
            "results": [
                {"external_id": r.external_id, "status": r.status}
                | ({"reason": r.reason} if r.reason else {})
                for r in self.results
            ],
            "not_counted": [{"external_id": e, "reason": why} for e, why in self.not_counted],
            "skipped": [{"event": s.index, "reason": s.reason} for s in self.skipped],
        }


def scope(session, portal: int | None) -> tuple[int, SourceMapping]:
    """The workspace and HubSpot mapping for an account (see the module's docstring)."""
    found: list[tuple[int, SourceMapping]] = []
    for workspace in people_queries.all_workspaces(session):
        for team in people_queries.teams(session, workspace.id):
            process, _ = team_process(session, team.id)
            mapping = process.sources.get(SOURCE)
            if mapping is not None:
                found.append((workspace.id, mapping))
    exact = [f for f in found if portal is not None and f[1].portal == portal]
    if exact:
        return exact[0]
    unmarked = {ws for ws, m in found if m.portal is None}
    if len(unmarked) == 1 and not any(m.portal is not None for _, m in found):
        return next(f for f in found if f[0] in unmarked)
    if not found:
        raise NotConnected(
            "no process maps HubSpot records to KPIs: add a sources: hubspot: section "
            "(e.g. calls: calls) to the process file and load it with `pacer process load`"
        )
    raise NotConnected(
        f"no process names HubSpot account {portal}: write its Hub ID as sources.hubspot.portal "
        "in the process of the workspace it belongs to"
    )


def owner_roles(session, workspace_id: int, owners: set[str]) -> dict[str, str | None]:
    """owner (email or hubspot-owner:ID) -> the role of the rep it is matched to."""
    keys = {owner_key(o) for o in owners}
    users = ingest_queries.aliases(session, workspace_id, keys)
    users.update(
        ingest_queries.users_by_email(session, workspace_id, {k for k in keys if k not in users})
    )
    members = ingest_queries.members(session, workspace_id, set(users.values()))
    out: dict[str, str | None] = {}
    for owner in owners:
        member = members.get(users.get(owner_key(owner), ""))
        out[owner] = member.role if member is not None and member.active else None
    return out


def receive(engine, payload: object, api: HubSpotApi, now: datetime) -> Delivery:
    """Raises ValueError (not a list of events), NotConnected, or HubSpotUnavailable."""
    changes, skipped = read_events(payload)
    portals = {c.portal for c in changes if c.portal is not None}
    with unit_of_work(engine) as session:
        workspace_id, mapping = scope(session, min(portals) if portals else None)
    delivery = Delivery(workspace_id, skipped=skipped)
    if not changes:
        return delivery
    objects = {kind: api.read_objects(kind, ids) for kind, ids in kinds(changes).items()}
    owner_ids = {
        str(props.get("hubspot_owner_id")).strip()
        for by_id in objects.values()
        for props in by_id.values()
        if props.get("hubspot_owner_id")
    }
    emails = {oid: api.owner_email(oid, now) for oid in owner_ids}
    labels = {oid: owner_label(oid, email) for oid, email in emails.items()}
    with unit_of_work(engine) as session:
        roles = owner_roles(session, workspace_id, set(labels.values()))
        items: list[IngestItem] = []
        for change in changes:
            props = None if change.deleted else objects.get(change.kind, {}).get(change.object_id)
            found = to_activity(change, props, mapping, labels.__getitem__, roles.get)
            if found.deleted:
                items.append(
                    IngestItem(
                        SOURCE, found.external_id, found.occurred_at, found.owner, "", 0, True
                    )
                )
            elif found.kpi is None:
                delivery.not_counted.append((found.external_id, found.reason or "not mapped"))
            else:
                items.append(
                    IngestItem(
                        SOURCE, found.external_id, found.occurred_at, found.owner, found.kpi, 1
                    )
                )
        if items:
            delivery.results = ingest(
                session, workspace_id, items, now, via=SOURCE, entered_by=ENTERED_BY
            )
    return delivery
