"""The process file's ``sources:`` section: which KPI a record from a connected system counts on.

    sources:
      hubspot:
        portal: 62515                                   # optional: the HubSpot account's ID
        calls: calls                                    # each logged call counts 1 on calls
        meetings: {sdr: meetings_scheduled, ae: meetings_held}   # by the owner's role
        deals_won: deals                                # a deal moved to Closed Won

A record type left out is not counted. A value is one KPI for every role, or a mapping from role
to KPI (an SDR who owns a meeting booked it; an AE who owns one holds it); a role left out of such
a mapping doesn't count that record type. Each KPI must be on the role's scorecard, so a record
is never refused later for a mapping the file could have caught.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from rituals.process.base_checks import BaseChecks
from rituals.process.model import Role
from rituals.process.sources import EVERY_ROLE, SOURCE_NAMES, SOURCE_RECORDS, SourceMapping
from rituals.process.words import did_you_mean, kind_of, one_of, quote

_SETTINGS = {"hubspot": ("portal",)}
EXAMPLE = "{hubspot: {calls: calls, meetings: meetings_held, deals_won: deals}}"


class SourceChecks(BaseChecks):
    """sources: {hubspot: {calls: calls, ...}}, checked against the KPIs and the roles."""

    def sources(
        self, value: object, kpi_keys: list[str], words: dict[str, str], roles: list[Role]
    ) -> dict[str, SourceMapping]:
        if value is None:
            return {}
        section = self.mapping(value, "sources", what="sources", example=EXAMPLE)
        if section is None:
            return {}
        out: dict[str, SourceMapping] = {}
        for name, entry in section.items():
            if name not in SOURCE_RECORDS:
                self.add(
                    f"sources.{name}" if isinstance(name, str) else "sources",
                    f"Pacer doesn't read from {quote(name)}",
                    f"use one of {one_of(SOURCE_RECORDS)}"
                    + did_you_mean(name, SOURCE_RECORDS)
                    + "; any other system can post to /api/v1/activities with KPI keys",
                )
                continue
            mapping = self._source(name, entry, kpi_keys, words, roles)
            if mapping is not None:
                out[name] = mapping
        return out

    def _source(self, name, entry, kpi_keys, words, roles) -> SourceMapping | None:
        path = f"sources.{name}"
        records = SOURCE_RECORDS[name]
        entry = self.mapping(entry, path, what=name, example=EXAMPLE.split(": ", 1)[1][:-1])
        if entry is None:
            return None
        self.unknown_fields(entry, records + _SETTINGS[name], path)
        ok = True
        portal = None
        if entry.get("portal") is not None:
            raw = entry["portal"]
            if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
                self.add(
                    f"{path}.portal",
                    f"{quote(raw)} is not a HubSpot account ID",
                    "write the number HubSpot shows as the account's Hub ID, e.g. 62515",
                )
                ok = False
            else:
                portal = int(raw)
        mapped: dict[str, Mapping[str, str]] = {}
        for record in records:
            if entry.get(record) is None:
                continue
            by_role = self._record(f"{path}.{record}", entry[record], kpi_keys, words, roles)
            if by_role is None:
                ok = False
            else:
                mapped[record] = MappingProxyType(by_role)
        if not mapped and ok:
            self.add(
                path,
                f"maps no {SOURCE_NAMES[name]} record to a KPI",
                f"map at least one of {one_of(records)}, e.g. calls: calls",
            )
            return None
        if not ok:
            return None
        return SourceMapping(name, MappingProxyType(mapped), portal)

    def _record(self, path, value, kpi_keys, words, roles) -> dict[str, str] | None:
        by_key = {r.key: r for r in roles}
        if isinstance(value, Mapping):
            out: dict[str, str] = {}
            ok = True
            for role_raw, kpi_raw in value.items():
                role = self.ref(role_raw)
                if role not in by_key:
                    self.add(
                        f"{path}.{role_raw}",
                        f"unknown role {quote(role_raw)}",
                        f"use one of {one_of(by_key)}" + did_you_mean(role_raw, list(by_key)),
                    )
                    ok = False
                    continue
                kpi = self.kpi_ref(kpi_raw, f"{path}.{role}", kpi_keys, words)
                if kpi is None or not self._on_scorecard(f"{path}.{role}", by_key[role], kpi):
                    ok = False
                    continue
                out[role] = kpi
            if ok and not out:
                self.add(path, "maps no role to a KPI", "write e.g. {sdr: meetings_scheduled}")
                return None
            return out if ok else None
        if isinstance(value, list | tuple) or not isinstance(value, str):
            self.add(
                path,
                f"expected a KPI key or a mapping of role to KPI, got {kind_of(value)}",
                "write e.g. 'calls: calls' or 'meetings: {sdr: meetings_scheduled, ae: meetings_held}'",
            )
            return None
        kpi = self.kpi_ref(value, path, kpi_keys, words)
        if kpi is None:
            return None
        if roles and not any(kpi in r.scorecard for r in roles):
            self.add(
                path,
                f"'{kpi}' is on no role's scorecard, so nothing would ever count",
                "map it to a KPI on a scorecard, or add the KPI to a role's scorecard",
            )
            return None
        return {EVERY_ROLE: kpi}

    def _on_scorecard(self, path: str, role: Role, kpi: str) -> bool:
        if kpi in role.scorecard:
            return True
        self.add(
            path,
            f"'{kpi}' is not on the {role.name} scorecard",
            f"map {role.key} to one of its KPIs: {one_of(role.scorecard)}",
        )
        return False
