"""rituals/process/sources.py: a mapping answers per role, falls back to the every-role KPI, and
writes itself back as the file had it."""

from rituals.process.sources import EVERY_ROLE, SourceMapping, by_role_word, role_mapped_record


def test_per_role_then_every_role_and_written_back_as_written():
    mapping = SourceMapping(
        "hubspot",
        {
            "calls": {EVERY_ROLE: "calls"},
            "meetings": {"sdr": "meetings_scheduled", EVERY_ROLE: "meetings_held"},
        },
        portal=7,
    )
    assert mapping.kpi_for("meetings", "sdr") == "meetings_scheduled"
    assert mapping.kpi_for("meetings", "ae") == "meetings_held"
    assert mapping.kpi_for("calls", None) == "calls" and mapping.kpi_for("deals_won", "ae") is None
    assert mapping.to_dict() == {
        "portal": 7,
        "calls": "calls",
        "meetings": {"sdr": "meetings_scheduled", EVERY_ROLE: "meetings_held"},
    }


def test_a_record_held_until_its_owners_role_is_known_names_its_source_and_type():
    word = by_role_word("hubspot", "meetings")
    assert word == "hubspot:meetings" and role_mapped_record(word) == ("hubspot", "meetings")
    assert role_mapped_record("meetings") is None
    assert role_mapped_record("hubspot:emails") is None  # no such record type
    assert role_mapped_record("crm:meetings") is None
