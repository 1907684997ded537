"""What ingestion takes and answers: plain data, no SQL, no HTTP."""

import re
from datetime import datetime
from typing import NamedTuple

STATUSES = ("created", "updated", "unchanged", "voided", "held", "rejected")

# The most an item's strings may hold (the columns' sizes).
MAX_SOURCE, MAX_EXTERNAL_ID, MAX_OWNER, MAX_KPI = 64, 200, 200, 64

# Looks like a Slack user ID (Enterprise Grid's start with W); taken as one only when such a
# member exists (a CRM's "USER_7" is held like any unknown owner).
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9_]{2,31}$")

# voided_by of a row the source system deleted (a manager's void names the manager instead).
DELETED_AT_SOURCE = "deleted at source"


class IngestItem(NamedTuple):
    """One record of another system (a CRM call, a dialer session, a CSV line). ``occurred_at``
    is timezone-aware; ``owner`` a Slack user ID, an email, or an id mapped to a Slack user;
    ``kpi`` a KPI key or one of its words. (A named tuple: a thousand are made per request.)"""

    source: str
    external_id: str
    occurred_at: datetime
    owner: str
    kpi: str
    count: int
    deleted: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)


class ItemResult(NamedTuple):
    """What happened to one item, in the order given. ``reason`` says why for held and rejected
    items (and notes the odd case of the others)."""

    external_id: str
    status: str  # one of STATUSES
    reason: str | None = None
    source: str = ""


def owner_key(owner: str) -> str:
    """What a mapping matches: emails and CRM ids are compared without case or spaces."""
    return owner.strip().lower()


def shape_problem(item: IngestItem) -> str | None:
    """What makes an item unusable whatever is stored (callers that validate, like the HTTP
    API, never send one; the CSV import and hooks may)."""
    if not isinstance(item.source, str) or not item.source.strip():
        return "source is empty"
    if len(item.source) > MAX_SOURCE:
        return f"source is longer than {MAX_SOURCE} characters"
    if not isinstance(item.external_id, str) or not item.external_id.strip():
        return "external_id is empty"
    if len(item.external_id) > MAX_EXTERNAL_ID:
        return f"external_id is longer than {MAX_EXTERNAL_ID} characters"
    if not isinstance(item.occurred_at, datetime) or item.occurred_at.utcoffset() is None:
        return "occurred_at needs a UTC offset (e.g. 2026-12-01T14:02:00-05:00)"
    if item.deleted:
        return None
    if not isinstance(item.owner, str) or not item.owner.strip():
        return "owner is empty"
    if len(item.owner) > MAX_OWNER:
        return f"owner is longer than {MAX_OWNER} characters"
    if not isinstance(item.kpi, str) or not item.kpi.strip() or len(item.kpi) > MAX_KPI:
        return "kpi is empty" if not str(item.kpi).strip() else "kpi is too long"
    if isinstance(item.count, bool) or not isinstance(item.count, int):
        return "count must be a whole number"
    return None
