"""The process file's review: section (approvals a draft needs) and archived KPIs."""

import pytest

from rituals.process import (
    ProcessError,
    default_process,
    dump_process,
    load_process_dict,
    load_process_text,
)


def _data():
    return default_process().to_dict()


def test_review_min_approvals_round_trips():
    data = _data()
    assert default_process().review_min_approvals == 0 and "review" not in data
    data["review"] = {"min_approvals": 2}
    process = load_process_dict(data)
    assert process.review_min_approvals == 2
    assert load_process_text(dump_process(process)).review_min_approvals == 2


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"min_approvals": -1}, "review.min_approvals"),
        ({"min_approvals": "two"}, "review.min_approvals"),
        ({"min_approvals": True}, "review.min_approvals"),
        ({"approvals": 2}, "review.approvals"),
        ("2", "review"),
    ],
)
def test_a_bad_review_section_is_named(value, path):
    data = _data()
    data["review"] = value
    with pytest.raises(ProcessError) as caught:
        load_process_dict(data)
    assert caught.value.problems[0].path == path


def test_an_archived_kpi_is_on_no_scorecard_and_not_a_warning():
    data = _data()
    data["kpis"][0]["archived"] = True
    with pytest.raises(ProcessError) as caught:
        load_process_dict(data)
    assert "Calls / Emails is archived" in str(caught.value)
    data["roles"][0]["scorecard"].remove("calls")
    data["roles"][0]["goals"].pop("calls")
    data["rituals"]["leaderboards"] = [{"at": "12:00", "kpis": ["conversations"]}]
    process = load_process_dict(data)
    assert process.kpi("calls").archived and not process.warnings
    assert load_process_text(dump_process(process)).kpi("calls").archived
    data["kpis"][0]["archived"] = "yes"
    with pytest.raises(ProcessError, match="kpis.calls.archived"):
        load_process_dict(data)
