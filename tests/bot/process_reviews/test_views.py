"""bot/process_reviews/views.py as data: every message and form inside Slack's limits and read
by slack_sdk, people's text escaped, the feedback's wording."""

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.process_reviews import views
from rituals.process import default_process
from rituals.process_reviews import Answer, part_lines, tally
from tests.bot.support import assert_within_slack_limits


def test_the_request_fits_slack_and_carries_both_buttons():
    lines = part_lines(default_process(), "all") * 20  # a very long process
    message = views.request_message(
        review_id=7,
        author_id="U0MGR0001",
        draft_name="Q1 <process> & more",
        part="all",
        lines=lines,
        changes=["+ stage Evaluates ROI"] * 300,
        due_on=None,
    )
    assert_within_slack_limits(message)
    for block in message["blocks"]:
        Block.parse(block)
    text = str(message)
    assert "Q1 &lt;process&gt; &amp; more" in text and "no due date" in text
    assert "more lines: `/pacer process draft show`" in text
    # however long the process, the buttons are there (last)
    assert [e["action_id"] for e in message["blocks"][-1]["elements"]] == [
        "review_approve",
        "review_suggest",
    ]


def test_the_forms_are_valid_views():
    suggest = views.suggest_view(3, "journey", [("stage:a", "1. " + "A" * 200)])
    View(**suggest).validate_json()
    dismiss = views.dismiss_view(9, "D1:1.2", "Purchase")
    View(**dismiss).validate_json()
    assert dismiss["private_metadata"] == "9|D1:1.2"


def test_a_suggestion_in_the_thread_is_escaped_and_has_accept_and_dismiss():
    answer = Answer(5, "U0SDR0001", "suggest", "stage:x", "<!here> Name", "because <@U1>")
    message = views.suggestion_message(answer, "4. Evaluates ROI", "Evaluates ROI")
    text = str(message)
    assert "&lt;!here&gt; Name" in text and "<!here>" not in text
    assert "because &lt;@U1&gt;" in text
    assert [
        e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ] == ["review_accept", "review_dismiss"]


def test_feedback_text_per_round():
    a, b, c = "U0AAAAAA1", "U0BBBBBB1", "U0CCCCCC1"
    t = tally([a, b, c], [Answer(1, a, "approve")], [("stage:x", "1. X")])
    text = views.feedback_text([("the buyer's journey", t, None)])
    assert "*Review of the buyer's journey* (no due date): 1 of 3 answered" in text
    assert f"Still to answer: <@{b}>, <@{c}>" in text and "• 1. X: 1 ✓" in text
