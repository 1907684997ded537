"""The request models: what an item must have, and what they refuse."""

import pytest
from pydantic import ValidationError

from api.schemas import ActivitiesIn, ActivityIn

ITEM = {
    "source": "crm",
    "external_id": "1",
    "occurred_at": "2026-11-24T10:00:00-05:00",
    "owner": "U1",
    "kpi": "calls",
    "count": 2,
}


def test_a_deletion_needs_only_its_key_and_others_everything():
    assert (
        ActivityIn.model_validate({"source": "crm", "external_id": "1", "deleted": True}).missing()
        == []
    )
    partial = ActivityIn.model_validate({"source": "crm", "external_id": "1", "count": 1})
    assert partial.missing() == ["occurred_at", "owner", "kpi"]
    assert ActivityIn.model_validate(ITEM).missing() == []


@pytest.mark.parametrize(
    "change",
    [
        {"count": "2"},  # strict: a string is not a count
        {"count": 2.5},
        {"count": -1},
        {"occurred_at": "2026-11-24T10:00:00"},  # no offset
        {"external_id": "x" * 201},
        {"source": ""},
        {"deleted": "yes"},
        {"extra": 1},
    ],
)
def test_refused(change):
    with pytest.raises(ValidationError):
        ActivityIn.model_validate({**ITEM, **change})


def test_the_envelope_needs_at_least_one_item():
    with pytest.raises(ValidationError):
        ActivitiesIn.model_validate({"activities": []})
