"""rituals/process/source_checks.py: the sources: section maps HubSpot's calls, meetings and
closed-won deals to KPIs (one KPI, or one per role), every mistake named by its place with its
fix, and the section survives a round trip through plain data and YAML."""

from hypothesis import given, settings
from hypothesis import strategies as st

from rituals.process import dump_process, load_process_dict, load_process_text, render_cascade
from tests.rituals.process.helpers import base, load_never_crashes, problem_at, scalars

MAPPING = {
    "portal": 62515,
    "calls": "calls",
    "meetings": {"sdr": "meetings_scheduled", "ae": "meetings_held"},
    "deals_won": "deals",
}


def with_sources(sources) -> dict:
    data = base()
    data["sources"] = sources
    return data


def test_a_mapping_loads_and_answers_per_role():
    hubspot = load_process_dict(with_sources({"hubspot": MAPPING})).sources["hubspot"]
    assert hubspot.portal == 62515
    assert hubspot.kpi_for("calls", "sdr") == "calls"
    assert hubspot.kpi_for("meetings", "sdr") == "meetings_scheduled"
    assert hubspot.kpi_for("meetings", "ae") == "meetings_held"
    assert hubspot.kpi_for("deals_won", "ae") == "deals"
    assert hubspot.kpi_for("meetings", None) is None  # no role: a per-role mapping says nothing


def test_keys_match_in_any_case_an_alias_gets_its_key_and_unmapped_records_count_nothing():
    hubspot = load_process_dict(with_sources({"hubspot": {"calls": "CALLS"}})).sources["hubspot"]
    assert hubspot.kpi_for("calls", "sdr") == "calls"
    assert hubspot.kpi_for("deals_won", "ae") is None
    alias = with_sources({"hubspot": {"calls": "dials"}})  # as everywhere in the file: keys
    assert "did you mean 'calls'" in problem_at(alias, "sources.hubspot.calls").fix


def test_without_the_section_there_are_no_sources_and_the_dump_has_none():
    process = load_process_dict(base())
    assert dict(process.sources) == {}
    assert "sources" not in process.to_dict() and "sources:" not in dump_process(process)


def test_round_trips_through_plain_data_and_yaml():
    process = load_process_dict(with_sources({"hubspot": MAPPING}))
    assert process.to_dict()["sources"] == {"hubspot": MAPPING}
    again = load_process_text(dump_process(process))
    assert again.sources == process.sources
    assert "meetings: {sdr: meetings_scheduled, ae: meetings_held}" in dump_process(process)


def test_unknown_system_record_role_and_kpi_say_what_was_meant():
    data = with_sources(
        {
            "hubspt": {"calls": "calls"},
            "hubspot": {
                "call": "calls",
                "meetings": {"sdrs": "meetings_scheduled"},
                "deals_won": "deels",
            },
        }
    )
    assert "did you mean 'hubspot'" in problem_at(data, "sources.hubspt").fix
    assert "did you mean 'calls'" in problem_at(data, "sources.hubspot.call").fix
    assert "did you mean 'sdr'" in problem_at(data, "sources.hubspot.meetings.sdrs").fix
    assert "did you mean 'deals'" in problem_at(data, "sources.hubspot.deals_won").fix


def test_a_kpi_off_the_roles_scorecard_is_refused_with_the_roles_kpis():
    data = with_sources({"hubspot": {"meetings": {"sdr": "meetings_held"}}})
    found = problem_at(data, "sources.hubspot.meetings.sdr")
    assert "not on the Sales Development Rep scorecard" in found.message
    assert "meetings_scheduled" in found.fix


def test_shapes_that_arent_and_an_empty_mapping():
    assert "mapping" in problem_at(with_sources(["hubspot"]), "sources").message
    assert (
        "Hub ID"
        in problem_at(with_sources({"hubspot": {"portal": "abc"}}), "sources.hubspot.portal").fix
    )
    assert (
        "maps no HubSpot record"
        in problem_at(with_sources({"hubspot": {}}), "sources.hubspot").message
    )
    bad_list = with_sources({"hubspot": {"calls": ["calls"]}})
    assert "got a list" in problem_at(bad_list, "sources.hubspot.calls").message
    assert (
        "did you mean 'sources'"
        in problem_at({**base(), "hubspot": {"calls": "calls"}}, "hubspot").fix
    )


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["hubspot", "salesforce", 3]),
        scalars
        | st.dictionaries(
            st.sampled_from(["calls", "meetings", "deals_won", "portal", "x"]),
            scalars | st.dictionaries(st.sampled_from(["sdr", "ae", "zz"]), scalars, max_size=3),
            max_size=4,
        ),
        max_size=2,
    )
)
def test_any_sources_value_loads_or_fails_with_problems(value):
    load_never_crashes(load_process_dict, with_sources(value))


def test_process_show_lists_what_each_record_counts_on():
    shown = render_cascade(load_process_dict(with_sources({"hubspot": MAPPING})))
    assert "Counted from hubspot (account 62515):" in shown
    assert "  meetings → sdr: meetings_scheduled, ae: meetings_held" in shown
    assert "  calls → calls" in shown
