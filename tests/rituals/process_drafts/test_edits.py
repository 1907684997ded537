"""The edit operations of a draft: each checked like a file, each refusal on the field typed."""

import pytest

from rituals.process import ProcessError, default_process
from rituals.process_drafts import edits


@pytest.fixture
def process():
    return default_process()


def _field(call):
    with pytest.raises(ProcessError) as caught:
        call()
    return caught.value.problems[0].path, str(caught.value.problems[0])


def test_key_for_makes_a_free_key_from_a_name():
    assert edits.key_for("Evaluates ROI", []) == "evaluates_roi"
    assert edits.key_for("Evaluates ROI", ["evaluates_roi"]) == "evaluates_roi_2"
    assert edits.key_for("3rd call", [], "stage") == "stage_3rd_call"
    assert edits.key_for("!!!", [], "kpi") == "kpi"


def test_journey_edits(process):
    added = edits.add_stage(process, "Signs NDA", 2)
    assert [s.key for s in added.stages][:3] == ["receives_call", "signs_nda", "has_conversation"]
    assert edits.rename_stage(added, "signs nda", "Signs the NDA").stages[1].name == "Signs the NDA"
    moved = edits.move_stage(added, "Signs NDA", 7)
    assert moved.stages[-1].key == "signs_nda"
    order = edits.reorder_stages(process, ["6", "5", "4", "3", "2", "1"])
    assert [s.key for s in order.stages] == [s.key for s in reversed(process.stages)]
    removed = edits.remove_stage(process, "Purchase")
    assert "purchase" not in {s.key for s in removed.stages}
    assert removed.kpi("deals").activity is None


@pytest.mark.parametrize(
    ("call", "field", "words"),
    [
        (lambda p: edits.add_stage(p, "  ", None), "name", "empty"),
        (lambda p: edits.add_stage(p, "purchase", None), "name", "already a stage"),
        (lambda p: edits.add_stage(p, "X" * 90, None), "journey.x", "75"),
        (lambda p: edits.add_stage(p, "New", "first"), "position", "not a position"),
        (lambda p: edits.rename_stage(p, "Nowhere", "x"), "stage", "no stage 'Nowhere'"),
        (lambda p: edits.reorder_stages(p, ["1", "2"]), "order", "names 2 of the 6"),
        (lambda p: edits.set_activities(p, "purchase", " ; "), "activity", "no activity"),
        (lambda p: edits.add_kpi(p, "Demos", "sometimes"), "kind", "not leading or lagging"),
        (lambda p: edits.add_kpi(p, "Calls", "leading"), "kpis", "calls"),
        (lambda p: edits.edit_kpi(p, "flights", name="x"), "kpi", "no KPI 'flights'"),
        (lambda p: edits.remove_kpi(p, "calls", {"calls"}), "kpi", "archive it instead"),
        (lambda p: edits.set_scorecard(p, "sdr", ""), "kpis", "empty"),
        (lambda p: edits.set_scorecard(p, "cfo", "calls"), "role", "no role 'cfo'"),
        (lambda p: edits.set_goal(p, "sdr", "deals", "1/day"), "goal", "not on the"),
        (lambda p: edits.set_goal(p, "sdr", "calls", "-5/day"), "goal", "above 0"),
    ],
)
def test_each_refusal_names_its_field(process, call, field, words):
    path, text = _field(lambda: call(process))
    assert path.startswith(field) and words in text


def test_activities_keep_their_keys_so_kpis_stay_linked(process):
    edited = edits.set_activities(process, "evaluates_roi", "Run ROI Workshop; Send ROI Sheet")
    mine = [a for a in edited.activities if a.stage == "evaluates_roi"]
    assert [(a.key, a.name) for a in mine] == [
        ("roi_discussion", "Run ROI Workshop"),
        ("send_roi_sheet", "Send ROI Sheet"),
    ]
    assert edited.kpi("roi_discussions").activity == "roi_discussion"
    new_stage = edits.add_stage(process, "Signs NDA", 3)
    linked = edits.set_activities(new_stage, "signs_nda", ["Send NDA"])
    assert [a.stage for a in linked.activities].index("signs_nda") == 2
    assert not any("Signs NDA" in w for w in linked.warnings)


def test_kpi_edits_keep_the_key(process):
    edited = edits.edit_kpi(process, "calls", name="Dials", kind="leading", aliases="ring, buzz")
    assert (edited.kpi("calls").name, edited.resolve_word("buzz")[0].key) == ("Dials", "calls")
    added = edits.add_kpi(process, "Demos Given", "leading", aliases=["demo"])
    assert added.kpi("demos_given").kind == "leading"
    assert any("Demos Given is on nobody's scorecard" in w for w in added.warnings)
    gone = edits.remove_kpi(process, "calls", in_use={"deals"})
    assert not gone.has_kpi("calls") and "calls" not in gone.role("sdr").scorecard
    assert all("calls" not in slot.kpis for slot in gone.rituals.leaderboards)


def test_scorecard_and_goals(process):
    card = edits.set_scorecard(process, "sdr", ["calls", "talks", "deals"])
    assert card.role("sdr").scorecard == ("calls", "conversations", "deals")
    assert "meetings_scheduled" not in card.role("sdr").goals
    assert str(edits.set_goal(process, "sdr", "dials", "80 per day").goal_for("sdr", "calls")) == (
        "80/day"
    )
    assert edits.set_goal(process, "sdr", "calls", "none").goal_for("sdr", "calls") is None


def test_a_kpi_in_use_is_archived_not_removed(process):
    archived = edits.archive_kpi(process, "calls")
    assert archived.kpi("calls").archived
    assert "calls" not in archived.role("sdr").scorecard
