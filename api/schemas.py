"""The API's request and response models: they validate what comes in, and the OpenAPI
document (api/openapi.py) is generated from them, so the two never disagree."""

from datetime import date, datetime
from typing import Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
)

from rituals.api_access import SCOPES
from rituals.ingest import STATUSES

MAX_ITEMS = 1000


REQUIRED_UNLESS_DELETED = ("occurred_at", "owner", "kpi", "count")


class ActivityIn(BaseModel):
    """One record of your system. Sent again, it is an upsert on (source, external_id).
    occurred_at, owner, kpi and count are required unless deleted is true."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=64, examples=["hubspot"])
    external_id: str = Field(min_length=1, max_length=200, examples=["call-88412"])
    occurred_at: AwareDatetime | None = Field(
        None, description="ISO 8601 with a UTC offset; dated in the rep's own timezone"
    )
    owner: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="a Slack user ID, an email, or an id mapped to a Slack user",
        examples=["jane@acme.com"],
    )
    kpi: str | None = Field(None, min_length=1, max_length=64, examples=["calls"])
    count: StrictInt | None = Field(None, ge=0, le=1_000_000, examples=[1])
    deleted: StrictBool = Field(False, description="true voids what was stored under the key")

    def missing(self) -> list[str]:
        """What an item that is not a deletion must have. Checked by the endpoint, not by a
        model validator: a Python validator per item cost more than the rest of validation."""
        if self.deleted:
            return []
        return [n for n in REQUIRED_UNLESS_DELETED if getattr(self, n) is None]


class ActivitiesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    activities: list[ActivityIn] = Field(
        min_length=1, description=f"1 to {MAX_ITEMS} items; more answers 413"
    )


class ItemResultOut(BaseModel):
    external_id: str
    source: str
    status: Literal[STATUSES]  # type: ignore[valid-type]
    reason: str | None = None


class IngestOut(BaseModel):
    results: list[ItemResultOut] = Field(description="one per item, in the order sent")


class ActivityOut(BaseModel):
    id: int
    owner: str = Field(description="the rep's Slack user ID")
    kpi: str
    count: int
    occurred_on: date = Field(description="the date it counts on, in the rep's time")
    source: str = Field(description="how it came: slash, modal, button, api, import…")
    ext_source: str | None
    external_id: str | None
    entered_by: str
    created_at: datetime
    voided_at: datetime | None


class ActivityPage(BaseModel):
    activities: list[ActivityOut]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null: last")


class PeriodOut(BaseModel):
    kind: Literal["day", "week", "month"]
    start: date
    end: date


class KpiOut(BaseModel):
    key: str
    name: str
    kind: Literal["leading", "lagging"]
    actual: float
    goal: float | None = Field(description="for the KPI's own period (a monthly goal: the month)")
    goal_period: PeriodOut | None
    expected: float | None
    attainment: float | None = Field(description="actual ÷ goal; 1.0 = 100%")
    pace: float | None = Field(description="actual ÷ expected by now")
    projection: float | None
    status: str
    final: bool


class ScorecardOut(BaseModel):
    user_id: str
    role: str
    period: PeriodOut
    timezone: str
    elapsed: float
    kpis: list[KpiOut]


class RankOut(BaseModel):
    rank: int
    user_id: str
    value: float | None = Field(description="attainment (1.0 = 100%) or the count, by `by`")
    overall: float | None
    absent: str | None


class LeaderboardOut(BaseModel):
    team: str
    kpi: str | None
    by: Literal["attainment", "count"]
    period: PeriodOut
    ranking: list[RankOut]


class FieldError(BaseModel):
    field: str = Field(description="where, e.g. activities[3].occurred_at or the query's from")
    detail: str


class Problem(BaseModel):
    """RFC 9457 problem details (application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    field: str | None = None
    errors: list[FieldError] | None = None


Scope = Literal[SCOPES]  # type: ignore[valid-type]
