"""Messages stay inside Slack's limits and never carry unescaped user text."""

import json

from bot import messages
from tests.bot.support import assert_within_slack_limits


def test_long_text_is_split_and_capped():
    body = "\n".join(f"• line {i} " + "x" * 200 for i in range(400))  # ~85,000 characters
    message = messages.message("fallback", messages.section(body))
    assert_within_slack_limits(message)
    assert "more parts not shown" in json.dumps(message)


def test_many_blocks_are_capped_at_fifty():
    blocks = [messages.section(f"row {i}")[0] for i in range(120)]
    message = messages.message("fallback", blocks)
    assert_within_slack_limits(message)
    assert len(message["blocks"]) == 50


def test_one_monster_line_is_cut_to_a_section():
    message = messages.message("f", messages.section("y" * 10_000))
    assert_within_slack_limits(message)


def test_header_is_cut_to_150():
    assert len(messages.header("h" * 400)["text"]["text"]) == 150


def test_template_values_are_escaped_but_our_markup_is_not():
    text = messages.render(
        "basis.md.j2",
        kpi=type("K", (), {"name": "Calls & <!channel>", "key": "calls"})(),
        rep_id="U0REP0001",
        period_label="week",
        total=1,
        counted=1,
        voided=0,
        logs=[
            {
                "day": "Mon",
                "count": 1,
                "entered_by": "U0REP0001",
                "source": "slash",
                "at": "x",
                "note": "<!here> & friends",
                "voided_at": None,
                "voided_by": None,
            }
        ],
    )
    assert "<!channel>" not in text and "<!here>" not in text
    assert "&lt;!channel&gt;" in text and "&lt;!here&gt; &amp; friends" in text
    assert "<@U0REP0001>" in text  # a mention Pacer built stays a mention


def test_mentions_only_for_real_ids():
    assert messages.mention("U0ABC123") == "<@U0ABC123>"
    assert messages.mention("<!channel>") == "&lt;!channel&gt;"


def test_numbers_and_percentages():
    assert (
        messages.number(60) == "60"
        and messages.number(1.6) == "1.6"
        and messages.number(0.95) == "0.95"
    )
    assert messages.number(1260) == "1,260"
    assert (
        messages.percent(0.996) == "99%"
        and messages.percent(1.0) == "100%"
        and messages.percent(0.7999) == "79%"
    )


def test_paged_keeps_everything_within_limits():
    lines = [f"{i}. " + "N" * 80 + f" · {i}% of goal" for i in range(1, 301)]
    pages = messages.paged("Full ranking", "\n".join(lines))
    assert len(pages) > 1
    for page in pages:
        assert_within_slack_limits(page)
    joined = "\n".join(b["text"]["text"] for page in pages for b in page["blocks"])
    assert all(line in joined for line in lines)  # nothing cut
