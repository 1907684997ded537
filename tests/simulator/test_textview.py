"""The text view: Slack's blocks and views drawn as text, with numbered buttons and inputs."""

from simulator.textview import Field, render_message, render_view


def test_the_renderer_draws_fields_buttons_context_files_and_forms():
    message = {
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Scorecard"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*Week* for <@U1|maria>"},
                "fields": [
                    {"type": "mrkdwn", "text": "Calls 12"},
                    {"type": "mrkdwn", "text": "Convos 3"},
                ],
                "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Edit"}},
            },
            {
                "type": "context",
                "elements": [
                    {"type": "image", "image_url": "https://x/i.png", "alt_text": "chart"},
                    {"type": "mrkdwn", "text": "in <#C1|sales>"},
                ],
            },
            {"type": "divider"},
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Share"}},
                    {
                        "type": "static_select",
                        "placeholder": {"type": "plain_text", "text": "Period"},
                        "options": [{"text": {"type": "plain_text", "text": "Week"}, "value": "w"}],
                    },
                ],
            },
            {"type": "image", "image_url": "https://x/c.png", "alt_text": "the chart"},
        ],
        "files": [{"title": "Sales chart", "name": "chart.png", "size": 20480}],
    }
    controls: list = []
    text = render_message(message, {"U1": "Maria Lopez"}, controls=controls)
    assert text.splitlines()[:2] == ["Scorecard", "═════════"]
    assert "Week for @Maria Lopez" in text and "  Calls 12\n  Convos 3" in text
    assert "  [1 · Edit]" in text and "[2 · Share]  [3 · ▾ Period]" in text
    assert "  · [chart]\n  · in #sales" in text and "─" * 40 in text
    assert "[image: the chart]" in text and "📎 Sales chart · chart.png (20 KB)" in text
    assert [c.number for c in controls] == [1, 2, 3]
    assert "[ Share ]" in render_message(message)  # without controls: the demo's style
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Log activity"},
        "submit": {"type": "plain_text", "text": "Log"},
        "blocks": [
            {
                "type": "input",
                "block_id": "calls",
                "label": {"type": "plain_text", "text": "Calls"},
                "element": {"type": "number_input", "is_decimal_allowed": False},
            },
            {
                "type": "input",
                "block_id": "day",
                "optional": True,
                "label": {"type": "plain_text", "text": "Day"},
                "element": {"type": "datepicker", "initial_date": "2026-11-24"},
            },
        ],
    }
    fields: list[Field] = []
    form = render_view(view, fields=fields, errors={"calls": "A count of 0 logs nothing."})
    assert form.splitlines()[0].startswith("┌─ Log activity ")
    assert "│ 1) Calls: —\n│    ⚠️  A count of 0 logs nothing." in form
    assert "│ 2) Day (optional): 2026-11-24\n│    (a day: YYYY-MM-DD)" in form
    assert form.splitlines()[-1] == "└─ [ Log ] :submit   [ Close ] :close"
    assert [f.block_id for f in fields] == ["calls", "day"]
