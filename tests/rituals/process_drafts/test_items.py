"""The interface the reviews depend on: the items of a part, a suggestion checked and applied,
and the readable diff."""

import pytest

from rituals.process import ProcessError, default_process
from rituals.process_drafts import (
    PARTS,
    DraftItem,
    apply_suggestion,
    check_suggestion,
    diff,
    items,
)


@pytest.fixture
def process():
    return default_process()


def test_parts_and_refs_are_stable_short_strings(process):
    assert PARTS == ("journey", "activities", "scorecards")
    for part in PARTS:
        found = items(process, part)
        assert found and all(isinstance(i, DraftItem) for i in found)
        assert all(len(i.ref) < 120 and len(i.label) <= 75 for i in found)
        assert len({i.ref for i in found}) == len(found)
    journey = items(process, "journey")
    assert journey[0] == DraftItem(
        "stage:receives_call", "stage", "1. Receives Call/Email", "Receives Call/Email"
    )
    assert journey[-1].ref == "stage:new"
    activities = items(process, "activities")
    assert activities[3] == DraftItem(
        "activity:evaluates_roi", "activity", "4. Evaluates ROI", "Have ROI Discussion"
    )
    cards = {i.ref: i for i in items(process, "scorecards")}
    assert cards["goal:sdr:conversations"].value == "12/day"
    assert cards["kpi:deals"].value == "Deals Closed (lagging)"
    assert cards["scorecard:ae"].value == "meetings_held, roi_discussions, proposals, deals"
    with pytest.raises(ValueError):
        items(process, "kpis")


@pytest.mark.parametrize(
    ("ref", "instead", "summary"),
    [
        ("stage:new", "Signs NDA after Has Conversation", "+ stage Signs NDA"),
        ("stage:new", "Signs NDA", "+ stage Signs NDA"),
        ("stage:evaluates_roi", "Weighs ROI", "stage Evaluates ROI renamed → Weighs ROI"),
        (
            "stage:purchase",
            "remove",
            "- stage Purchase; - activity Close Deal; KPI Deals Closed counts no activity",
        ),
        (
            "activity:evaluates_roi",
            "Run ROI Workshop",
            "activity Have ROI Discussion renamed → Run ROI Workshop",
        ),
        ("kpi:calls", "Dials", "KPI Calls / Emails renamed → Dials"),
        ("kpi:conversations", "lagging", "KPI Conversations leading → lagging"),
        ("goal:sdr:conversations", "15/day", "goal sdr conversations 12/day → 15/day"),
        ("goal:sdr:conversations", "none", "- goal sdr conversations 12/day"),
        ("goal:sdr:calls", "80/day", "goal sdr calls 60/day → 80/day"),
        ("scorecard:sdr", "calls, conversations, sao", "scorecard sdr: - meetings_scheduled"),
    ],
)
def test_a_valid_suggestion_applies_with_its_change_in_words(process, ref, instead, summary):
    assert check_suggestion(process, ref, instead) is None
    edited, words = apply_suggestion(process, ref, instead)
    assert words == summary
    assert diff(process, edited) == summary.split("; ")


def test_a_new_stage_goes_where_it_is_said(process):
    edited, _ = apply_suggestion(process, "stage:new", "Signs NDA after Has Conversation")
    assert [s.key for s in edited.stages][:3] == ["receives_call", "has_conversation", "signs_nda"]
    edited, _ = apply_suggestion(process, "stage:new", "Signs NDA before 1")
    assert edited.stages[0].name == "Signs NDA"
    edited, _ = apply_suggestion(process, "stage:purchase", "move 1")
    assert edited.stages[0].key == "purchase"
    assert diff(process, edited) == [
        "journey order: Purchase → Receives Call/Email → Has Conversation → "
        "Attends Discovery Meeting → Evaluates ROI → Receives Proposal"
    ]


def test_the_method_warning_comes_with_the_edit(process):
    edited, _ = apply_suggestion(process, "stage:new", "Signs NDA")
    assert any("no activity moves prospects to 'Signs NDA'" in w for w in edited.warnings)


@pytest.mark.parametrize(
    ("ref", "instead", "problem"),
    [
        ("goal:sdr:conversations", "lots", "goal: can't read the goal 'lots'"),
        ("goal:sdr:conversations", "12/day", "that is what the draft already says"),
        ("stage:purchase", "move 9", "position: '9' is not a position in the journey"),
        ("stage:purchase", "Evaluates ROI", "there is already a stage 'Evaluates ROI'"),
        ("stage:purchase", "", "nothing was suggested"),
        ("stage:nope", "x", "'stage:nope' is not an item of the draft"),
        ("goal:sdr:deals", "1/day", "'goal:sdr:deals' is not an item of the draft"),
        ("scorecard:sdr", "calls, flights", "there is no KPI 'flights'"),
        ("kpi:calls", "x" * 80, "kpis.calls.name"),
    ],
)
def test_an_invalid_suggestion_names_the_problem_in_one_line(process, ref, instead, problem):
    found = check_suggestion(process, ref, instead)
    assert found is not None and problem in found and "\n" not in found
    with pytest.raises(ProcessError):
        apply_suggestion(process, ref, instead)


def test_diff_of_the_same_process_is_empty(process):
    assert diff(process, process) == []
