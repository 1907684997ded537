"""bot/process_drafts/submit.py: a draft form's submission through the real app."""

import json

import pytest

from storage import draft_queries
from tests.bot.form_support import named_rig
from tests.bot.process_drafts.support import drafts, open_part, send, team
from tests.bot.support import MGR, SDR


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


def edits(rig) -> list[str]:
    with rig.services.unit_of_work() as session:
        draft = draft_queries.open_draft(session, team(rig).id)
        return [e.summary for e in draft_queries.edits_of(session, draft.id)]


def test_a_mistake_stays_in_the_form_and_a_good_submission_is_one_edit(rig):
    form = open_part(rig, MGR, "scorecards")
    bad = send(rig, MGR, form, {"goal:sdr:calls": "0/day", "goal:ae:deals": "lots"})
    assert bad["response_action"] == "errors"
    assert set(bad["errors"]) == {"goal:sdr:calls", "goal:ae:deals"}
    assert edits(rig) == []
    saved = send(rig, MGR, form, {"goal:sdr:calls": "70/day"}, view_id="V0SAVE001")
    assert saved["response_action"] == "update"
    assert "goal sdr calls 60/day → 70/day" in json.dumps(saved["view"], ensure_ascii=False)
    again = send(rig, MGR, form, {"goal:sdr:calls": "70/day"}, view_id="V0SAVE001")
    assert "Nothing changed" in json.dumps(again["view"])
    assert edits(rig) == ["goal sdr calls 60/day → 70/day"]


def test_a_rep_submitting_or_a_closed_draft_changes_nothing(rig):
    form = open_part(rig, MGR, "journey")
    refused = send(rig, SDR, form, {"stage:purchase": "Buys"})
    assert refused["response_action"] == "update" and "managers" in json.dumps(refused).lower()
    assert edits(rig) == []
    rig.text("/pacer", "process discard", MGR)
    closed = send(rig, MGR, form, {"stage:purchase": "Buys"})
    assert "no longer open" in json.dumps(closed["view"])
    assert [d.status for d in drafts(rig)] == ["discarded"]


def test_a_form_of_a_discarded_draft_does_not_edit_the_next_one(rig):
    form = open_part(rig, MGR, "journey")
    rig.text("/pacer", "process discard", MGR)
    rig.text("/pacer", "process draft", MGR)
    closed = send(rig, MGR, form, {"stage:purchase": "Buys"})
    assert "no longer open" in json.dumps(closed["view"])
