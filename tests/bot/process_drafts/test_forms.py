"""bot/process_drafts/forms.py: each part's form, and a submission applied field by field."""

import json

import pytest

from bot.process_drafts import forms
from rituals.process import default_process
from rituals.process_drafts import diff, edits
from tests.bot.form_support import checked_view


@pytest.mark.parametrize("part", forms.PARTS)
def test_every_part_builds_a_valid_form_with_a_field_per_item(part):
    view = checked_view(forms.build_view(default_process(), part, 7))
    meta = json.loads(view["private_metadata"])
    assert meta["d"] == 7 and meta["p"] == part and meta["h"]
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert set(inputs) == set(meta["h"])


def test_the_fields_of_each_part():
    process = default_process()
    ids = lambda part: [f[0] for f in forms.shown_fields(process, part)]  # noqa: E731
    assert ids("journey")[:2] == ["stage:receives_call", "stage:has_conversation"]
    assert ids("journey")[-2:] == ["new", "order"]
    assert len(ids("activities")) == 6
    assert ids("kpis")[:2] == ["kpi:calls", "words:calls"]
    assert "goal:sdr:calls" in ids("scorecards") and "scorecard:ae" in ids("scorecards")
    shown = dict((f[0], f[2]) for f in forms.shown_fields(process, "kpis"))
    assert shown["kpi:sao"] == "Sales Accepted Opportunities (lagging)"


def _submission(process, part, changes, shown=None):
    shown = shown or process
    values = {f[0]: f[2] for f in forms.shown_fields(shown, part)}
    values.update(changes)
    meta = json.loads(forms.build_view(shown, part, 1)["private_metadata"])
    submission = forms.Submission(process, part, values, meta["h"])
    return submission, submission.run(set())


def test_only_changed_fields_apply_so_a_stale_form_keeps_anothers_edit():
    opened = default_process()
    meanwhile = edits.rename_stage(opened, "purchase", "Buys")
    _, after = _submission(meanwhile, "journey", {"stage:evaluates_roi": "Weighs ROI"}, opened)
    assert diff(opened, after) == [
        "stage Evaluates ROI renamed → Weighs ROI",
        "stage Purchase renamed → Buys",
    ]


def test_journey_removal_order_and_new_stages():
    process = default_process()
    submission, after = _submission(
        process,
        "journey",
        {"stage:purchase": "", "order": "2 1 3 4 5", "new": "Signs NDA before Evaluates ROI\nPays"},
    )
    assert submission.errors == {}
    assert [s.name for s in after.stages] == [
        "Has Conversation",
        "Receives Call/Email",
        "Attends Discovery Meeting",
        "Signs NDA",
        "Evaluates ROI",
        "Receives Proposal",
        "Pays",
    ]


def test_kpi_lines_and_their_mistakes():
    process = default_process()
    submission, after = _submission(
        process,
        "kpis",
        {"kpi:proposals": "archive", "words:calls": "dial, ring", "new": "Demos (leading) for 4"},
    )
    assert submission.errors == {}
    assert after.kpi("proposals").archived and after.kpi("demos").activity == "roi_discussion"
    assert after.resolve_word("ring")[0].key == "calls"
    submission, _ = _submission(process, "kpis", {"kpi:calls": "Dials", "new": "Demos"})
    assert "names no kind" in submission.errors["kpi:calls"]
    assert "names no kind" in submission.errors["new"]
    submission = forms.Submission(process, "kpis", {"kpi:calls": ""}, None)
    submission.run({"calls"})
    assert "archive it instead" in submission.errors["kpi:calls"]


def test_goals_of_kpis_taken_off_the_card_in_the_same_form_are_skipped():
    submission, after = _submission(
        default_process(),
        "scorecards",
        {"scorecard:sdr": "calls, conversations, sao", "goal:sdr:meetings_scheduled": "9/week"},
    )
    assert submission.errors == {} and "meetings_scheduled" not in after.role("sdr").scorecard


def test_a_part_too_big_for_a_form():
    process = default_process()
    for i in range(100):
        process = edits.add_stage(process, f"Stage {i}")
    with pytest.raises(forms.TooBig):
        forms.build_view(process, "journey", 1)


def test_a_field_the_form_never_had_is_ignored():
    submission = forms.Submission(default_process(), "activities", {"bogus": "x"}, None)
    assert submission.changed == [] and submission.run(set()) == default_process()
