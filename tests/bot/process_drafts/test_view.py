"""bot/process_drafts/view.py: the draft as Slack shows it, inside Slack's limits."""

from bot.ids import Action
from bot.process_drafts.view import advice_text, cascade_text, changes_text, draft_message
from rituals.process import default_process
from rituals.process_drafts import diff, edits
from tests.bot.support import assert_within_slack_limits


def test_the_cascade_numbers_the_journey_with_activities_kpis_and_goals():
    process = edits.archive_kpi(edits.add_stage(default_process(), "Signs & NDA", 3), "proposals")
    text = cascade_text(process)
    assert "1. *Receives Call/Email* ← Call Lead → Calls / Emails (leading)" in text
    assert "3. *Signs &amp; NDA* ← _no activity yet_" in text
    assert "*Sales Development Rep*: Calls / Emails 60/day" in text
    assert "Archived (kept for their history): Proposals Sent" in text


def test_changes_and_advice_are_cut_to_fit():
    assert changes_text([], "version 2 (in force)") == (
        "*What changed from version 2 (in force):* nothing yet."
    )
    long = changes_text([f"+ stage S{i}" for i in range(50)], "x")
    assert "• + stage S39" in long and "…and 10 more" in long and "S40" not in long
    assert advice_text(default_process()) == ""
    warned = edits.add_stage(default_process(), "Signs NDA")
    assert "no activity moves prospects to 'Signs NDA'" in advice_text(warned)


def test_the_message_has_the_edit_buttons_only_for_editors():
    process = edits.add_stage(default_process(), "Signs NDA")
    message = draft_message("*Draft*", process, diff(default_process(), process), 3, True)
    assert_within_slack_limits(message)
    assert [e["action_id"] for e in message["blocks"][-1]["elements"]] == [Action.DRAFT_EDIT] * 4
    assert [e["value"] for e in message["blocks"][-1]["elements"]] == [
        "journey",
        "activities",
        "kpis",
        "scorecards",
    ]
    plain = draft_message("*Draft*", process, [], None, False)
    assert all(b["type"] != "actions" for b in plain["blocks"])
