"""simulator/demo/draft_story.py: the demo begins with the journey drafted in a form, the draft
shown with what changed, and the publish announcement in #sales."""

from simulator.demo.cast import MANAGER
from tests.simulator.demo.support import printed, reply_to


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


def test_a_review_round_by_two_reps_and_a_manager_comes_before_publishing(output):
    asked = "/pacer process review @Maria Lopez @Alex Chen @Lee Harmon part journey"
    review = output.index(f"{MANAGER.name} › {asked}")
    assert output.index("/pacer process draft show") < review
    assert review < output.index(f"{MANAGER.name} › /pacer process publish")
    assert "Asked @Maria Lopez, @Alex Chen, @Lee Harmon" in reply_to(output, MANAGER, asked)
    # the reviewer's message, with its buttons
    request = printed(output, "Pacer › direct message to Alex Chen (the review request)")
    assert "asks you to review the buyer's journey" in request
    assert "[ Looks right ]  [ Suggest a change ]" in output
    assert "looks right to you" in printed(output, "Maria Lopez › [Looks right]")
    assert "looks right to you" in printed(output, "Lee Harmon › [Looks right]")
    # the author's thread: three answers, the last a suggestion with Accept
    thread = output.split(f"direct message to {MANAGER.name} (the round's thread)", 1)[1]
    thread = thread.split("\n\n", 1)[0]
    assert "↳ ✅ @Maria Lopez: looks right." in thread
    assert "↳ 💡 @Alex Chen suggests, on 5. Receives Proposal" in thread
    assert "3 of 3 answered" in thread and "[ Accept ]  [ Dismiss ]" in thread
    accepted = printed(output, f"{MANAGER.name} › [Accept]")
    assert "stage Receives Proposal renamed → Reviews Proposal" in accepted
    assert "(credited to @Alex Chen)" in accepted
    told = printed(output, "Pacer › direct message to Alex Chen (the suggestion accepted)")
    assert "@Dana Whitfield accepted your suggestion on 5. Receives Proposal" in told


def test_the_announcement_counts_the_reviewers_and_carries_the_accepted_edit(output):
    announced = output.split("Pacer › #sales (the new process)", 1)[1].split("\n\n", 1)[0]
    first, rest = announced.strip().split("\n", 1)
    assert first.endswith("reviewed by 2 reps and 1 manager.")
    assert "5. Reviews Proposal ← Send Proposal" in rest
    published = reply_to(output, MANAGER, "/pacer process publish")
    assert "stage Receives Proposal renamed → Reviews Proposal" in published
