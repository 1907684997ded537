"""simulator/console/screen.py: what one action made Slack show, drawn in order from the Web API
calls Pacer made to the stand-in (here made with slack_sdk, as the app makes them), and which
buttons a typed number presses afterwards."""

import pytest
from slack_sdk.errors import SlackApiError

from simulator.console.screen import Surface
from tests.simulator.console.support import PAT, SAM, draw, respond, slack

SALES = "C0SALES01"


def buttons(*faces: str) -> list[dict]:
    elements = [
        {
            "type": "button",
            "action_id": f"press_{face.lower()}",
            "value": face,
            "text": {"type": "plain_text", "text": face},
        }
        for face in faces
    ]
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Behind pace this week"}},
        {"type": "actions", "block_id": "choices", "elements": elements},
    ]


def form(title: str, *inputs: str) -> dict:
    blocks = [
        {
            "type": "input",
            "block_id": name.lower(),
            "label": {"type": "plain_text", "text": name},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
        for name in inputs
    ] or [{"type": "section", "text": {"type": "mrkdwn", "text": "Nothing to fill in"}}]
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Start"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def faces(console) -> list[str]:
    return [control.element["text"]["text"] for control, _ in console.controls]


def test_calls_nobody_sees_in_slack_are_not_drawn_and_each_call_is_drawn_once(console):
    api = slack(console)
    api.users_info(user=SAM)
    api.conversations_open(users=SAM)
    api.auth_test()
    console.standin.fail_next("chat.postMessage", status=500)
    with pytest.raises(SlackApiError):  # the failed call is the point: Slack showed nothing
        api.chat_postMessage(channel=SALES, text="never arrives")
    api.api_call("pins.add", json={"channel": SALES})
    _, shown = draw(console)
    assert "never arrives" not in shown
    assert shown == "(Pacer called pins.add)\n\n"
    _, again = draw(console)
    assert again == ""  # already drawn


def test_a_post_a_thread_reply_a_direct_message_and_a_private_reply(console):
    api = slack(console)
    parent = api.chat_postMessage(channel=SALES, text="Daily digest · Sales")
    api.chat_postMessage(channel=SALES, text="The numbers behind it", thread_ts=parent["ts"])
    api.chat_postMessage(channel=SAM, text=f"<@{PAT}> credited you")
    api.chat_postEphemeral(channel=SALES, user=SAM, text="Only you can see this")
    _, shown = draw(console)
    assert shown.split("\n\n") == [
        "Pacer › #sales\n    Daily digest · Sales",
        "  ↳ Pacer replies in the thread (#sales)\n      The numbers behind it",
        "Pacer › direct message to Sam Okafor\n    @Pat Lee credited you",
        "Pacer › #sales, only visible to Sam Okafor\n    Only you can see this",
        "",
    ]


def test_buttons_drawn_are_numbered_and_placed_on_their_own_message(console):
    api = slack(console)
    first = api.chat_postMessage(
        channel=SALES, text="Behind pace", blocks=buttons("Launch", "Dismiss")
    )
    second = api.chat_postMessage(
        channel=SALES, text="Behind pace", blocks=buttons("Launch", "Dismiss")
    )
    _, shown = draw(console)
    assert "[1 · Launch]  [2 · Dismiss]" in shown and "[3 · Launch]  [4 · Dismiss]" in shown
    assert faces(console) == ["Launch", "Dismiss", "Launch", "Dismiss"]
    # Two identical posts: each button knows which of the two messages it is on.
    assert [(s.kind, s.channel, s.ts) for _, s in console.controls] == [
        ("message", SALES, first["ts"]),
        ("message", SALES, first["ts"]),
        ("message", SALES, second["ts"]),
        ("message", SALES, second["ts"]),
    ]


def test_an_action_that_draws_no_buttons_keeps_the_others_but_not_those_of_a_replaced_message(
    console,
):
    api = slack(console)
    first = api.chat_postMessage(channel=SALES, text="One", blocks=buttons("Launch"))
    api.chat_postMessage(channel=SALES, text="Two", blocks=buttons("Dismiss"))
    third = api.chat_postMessage(channel=SALES, text="Three", blocks=buttons("Edit"))
    draw(console)
    api.chat_update(channel=SALES, ts=first["ts"], text="Launched by @Pat Lee")
    _, shown = draw(console)
    assert shown == "Pacer updates its message in #sales\n    Launched by @Pat Lee\n\n"
    assert faces(console) == ["Dismiss", "Edit"]
    api.chat_delete(channel=SALES, ts=third["ts"])
    _, shown = draw(console)
    assert shown == "Pacer deletes its message in #sales\n\n"
    assert faces(console) == ["Dismiss"]


def test_what_pacer_sent_to_the_response_url(console):
    api = slack(console)
    posted = api.chat_postMessage(channel=SALES, text="Suggestion", blocks=buttons("Launch"))
    draw(console)
    pressed_on = console.controls[0][1]
    url = console.standin.new_response_url()
    respond(url, {"text": "Only for you"})
    respond(url, {"response_type": "in_channel", "text": "For everyone"})
    respond(url, {"replace_original": True, "text": "Launched"})
    _, shown = draw(console, responses=(url, pressed_on))
    assert shown.split("\n\n") == [
        "Pacer (only visible to you)\n    Only for you",
        "Pacer › #sales (everyone sees it)\n    For everyone",
        "Pacer replaces the message the button was on (#sales) with\n    Launched",
        "",
    ]
    assert faces(console) == []  # the message the button was on was replaced
    assert pressed_on.ts == posted["ts"]
    other = console.standin.new_response_url()
    respond(other, {"delete_original": True})
    _, shown = draw(console, responses=(other, Surface("message", SALES, posted["ts"])))
    assert shown == "Pacer deletes the message the button was on (#sales)\n\n"


def test_reactions_and_files_as_people_see_them(console):
    api = slack(console)
    parent = api.chat_postMessage(channel=SALES, text="Daily digest")
    api.reactions_add(channel=SALES, timestamp=parent["ts"], name="white_check_mark")
    api.files_upload_v2(
        channel=SALES,
        thread_ts=parent["ts"],
        content=b"\x89PNG",
        filename="daily.png",
        title="Daily chart",
    )
    _, shown = draw(console)
    assert "Pacer reacts ✅ to a message in #sales" in shown
    assert "Pacer shares a file in #sales (in the thread)\n    📎 Daily chart" in shown
    assert "getUploadURLExternal" not in shown


def test_forms_open_stack_up_and_change_keeping_what_was_typed(console):
    api = slack(console)
    api.views_open(trigger_id="1.2", view=form("Start a contest", "Name", "Prize"))
    _, shown = draw(console)
    assert shown.startswith(
        "A form opens (`:set N VALUE` fills input N, `:submit` sends, `:close` closes)"
    )
    assert "Start a contest" in shown and "1) Name: —" in shown and "2) Prize: —" in shown
    [bottom] = console.modals
    assert [f.block_id for f in bottom.fields] == ["name", "prize"]
    bottom.state["name"] = {"type": "plain_text_input", "value": "Blitz"}
    api.views_push(trigger_id="1.3", view=form("A note"))
    _, shown = draw(console)
    assert shown.startswith("A second form opens on top\n") and "`:set" not in shown.split("\n")[0]
    assert len(console.modals) == 2
    # The form underneath changes without being drawn (it isn't on top); what was typed stays.
    api.views_update(view_id=bottom.view["id"], view=form("Start a contest", "Name", "Target"))
    _, shown = draw(console)
    assert shown == ""
    assert console.modals[0].state["name"]["value"] == "Blitz"
    api.views_update(view_id=console.modals[1].view["id"], view=form("A longer note", "Note"))
    _, shown = draw(console)
    assert shown.startswith("The form changes to") and "A longer note" in shown


def test_the_home_tab_is_drawn_only_when_you_are_looking_at_it(console):
    api = slack(console)
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Week:* 7 of 300"}}],
    }
    console.me = SAM
    api.views_publish(user_id=PAT, view=home)
    api.views_publish(user_id=SAM, view=home)
    screen, shown = draw(console)
    assert shown.split("\n\n") == [
        "(Pacer refreshes Pat Lee's Home tab)",
        "(Pacer refreshes your Home tab: `:home` shows it)",
        "",
    ]
    assert not screen.published_home
    view_id = console.homes[SAM]["id"]
    console.on_home = True
    api.views_publish(user_id=SAM, view=home | {"blocks": buttons("Void")})
    screen, shown = draw(console)
    assert screen.published_home and shown.startswith("Your Home tab in Pacer\n")
    assert "[1 · Void]" in shown and console.controls[0][1].kind == "home"
    assert console.homes[SAM]["id"] == view_id  # the same tab, published again
    api.views_update(view_id=view_id, view=home)
    _, shown = draw(console)
    assert shown == "Your Home tab in Pacer\n    Week: 7 of 300\n\n"
