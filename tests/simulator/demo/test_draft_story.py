"""simulator/demo/draft_story.py: the demo begins with the journey drafted in a form, the draft
shown with what changed, and the publish announcement in #sales."""

from simulator.demo.cast import MANAGER
from tests.simulator.demo.support import reply_to


def test_the_story_begins_with_a_draft_journey_published_to_the_team(output):
    assert "Draft opened for Sales" in reply_to(output, MANAGER, "/pacer process draft")
    shown = reply_to(output, MANAGER, "/pacer process draft show")
    assert "2. Has a Real Conversation ← Ask for Conversation" in shown
    assert "stage Has Conversation renamed → Has a Real Conversation" in shown
    assert "Published as version 1" in reply_to(output, MANAGER, "/pacer process publish")
    announced = output.split("Pacer › #sales (the new process)", 1)[1]
    assert announced.lstrip().startswith("The team's process is updated (version 1, from today)")


def test_the_form_edit_is_printed_as_the_modal_shows_it(output):
    assert "(Edit journey form) renames stage 2" in output
    assert "│ • stage Has Conversation renamed → Has a Real Conversation" in output
