"""What makes an item unusable whatever is stored, and how owners are matched."""

from datetime import UTC, datetime

import pytest

from rituals.ingest import IngestItem, owner_key
from rituals.ingest.items import shape_problem

AT = datetime(2026, 11, 24, 15, tzinfo=UTC)


def test_owner_key_ignores_case_and_spaces():
    assert owner_key("  Jane@Acme.COM ") == "jane@acme.com"


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (IngestItem("", "1", AT, "U1", "calls", 1), "source is empty"),
        (IngestItem("crm", " ", AT, "U1", "calls", 1), "external_id is empty"),
        (IngestItem("crm", "x" * 201, AT, "U1", "calls", 1), "longer than 200"),
        (IngestItem("crm", "1", AT.replace(tzinfo=None), "U1", "calls", 1), "UTC offset"),
        (IngestItem("crm", "1", AT, "", "calls", 1), "owner is empty"),
        (IngestItem("crm", "1", AT, "U1", "", 1), "kpi is empty"),
        (IngestItem("crm", "1", AT, "U1", "calls", True), "whole number"),
        (IngestItem("crm", "1", AT, "U1", "calls", 1), None),
        (IngestItem("crm", "1", AT, "", "", 0, deleted=True), None),  # a deletion: its key only
    ],
)
def test_shape_problems(item, problem):
    found = shape_problem(item)
    assert found == problem if problem is None else problem in found


def test_an_item_is_keyed_by_source_and_id():
    assert IngestItem("crm", "1", AT, "U1", "calls", 1).key == ("crm", "1")
