"""bot/process_drafts/command.py: `/pacer process …` dispatch, opening a draft, and who sees it."""

import pytest

from tests.bot.form_support import named_rig
from tests.bot.process_drafts.support import add_review, drafts
from tests.bot.support import ADMIN, AE, MGR, SDR

OUTSIDER = "U0OUT0001"


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


def test_process_alone_and_show_are_still_the_version_in_force(rig):
    assert "Receives Call/Email" in rig.text("/pacer", "process", SDR)
    assert rig.text("/pacer", "process show", SDR) == rig.text("/pacer", "process", SDR)


def test_a_manager_opens_one_draft_and_everyone_else_is_told(rig):
    refused = rig.text("/pacer", "process draft", SDR)
    assert "managers" in refused.lower() and drafts(rig) == []
    opened = rig.text("/pacer", "process draft", MGR)
    assert "Draft opened" in opened and "Nothing yet" not in opened
    assert "What changed from the process in force:* nothing yet" in opened
    again = rig.text("/pacer", "process draft", ADMIN)
    assert "already has an open draft" in again
    assert [(d.author_id, d.status, d.base_version) for d in drafts(rig)] == [(MGR, "open", None)]


def test_the_draft_is_seen_by_its_author_reviewers_managers_and_admins_only(rig):
    rig.text("/pacer", "process draft", MGR)
    add_review(rig, {AE: None}, MGR)
    for user in (MGR, ADMIN, AE):
        assert "Draft of" in rig.text("/pacer", "process draft show", user), user
    for user in (SDR, OUTSIDER):
        assert "Only the draft's author" in rig.text("/pacer", "process draft show", user)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("process launch", "isn't a process command"),
        ("process draft stages2", "isn't a part of the draft"),
        ("process draft show now", "takes nothing after it"),
        ("process draft journey now", "takes nothing after it"),
        ("process history now", "takes nothing after it"),
        ("process discard now", "takes nothing after it"),
        ("process draft show", "no open draft"),
    ],
)
def test_every_mistake_has_its_answer(rig, text, answer):
    assert answer in rig.text("/pacer", text, MGR)
    assert drafts(rig) == []
