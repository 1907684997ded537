"""A connected system's mapping from its record types to KPIs (the process file's `sources:`
section, checked in source_checks)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Record types Pacer reads from each system, in the order they are written out.
SOURCE_RECORDS = {"hubspot": ("calls", "meetings", "deals_won")}
SOURCE_NAMES = {"hubspot": "HubSpot"}
EVERY_ROLE = "*"  # the key of a mapping that holds for every role


def by_role_word(source: str, record: str) -> str:
    """The KPI an item from ``source`` carries while its owner, and so the role its ``record``
    type is mapped by, is not known yet (it is held): "hubspot:meetings"."""
    return f"{source}:{record}"


def role_mapped_record(word: str) -> tuple[str, str] | None:
    """(source, record) of a :func:`by_role_word`; None for any other KPI word."""
    source, _, record = word.partition(":")
    return (source, record) if record in SOURCE_RECORDS.get(source, ()) else None


@dataclass(frozen=True)
class SourceMapping:
    """One system's mapping: record type -> role (or EVERY_ROLE) -> KPI key."""

    source: str
    records: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)
    portal: int | None = None

    def kpi_for(self, record: str, role: str | None) -> str | None:
        """The KPI a record of this type counts on for a rep of this role; None: not counted."""
        by_role = self.records.get(record)
        if not by_role:
            return None
        if role is not None and role in by_role:
            return by_role[role]
        return by_role.get(EVERY_ROLE)

    def to_dict(self) -> dict:
        out: dict = {} if self.portal is None else {"portal": self.portal}
        for record in SOURCE_RECORDS[self.source]:
            by_role = self.records.get(record)
            if by_role:
                out[record] = by_role[EVERY_ROLE] if set(by_role) == {EVERY_ROLE} else dict(by_role)
        return out
