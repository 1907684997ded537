"""Slack messages and views as readable terminal text, for `pacer demo` and `pacer console`.

``render_message`` draws a message's blocks (headers, sections and their fields, context,
dividers, images, files, buttons); ``render_view`` draws a modal or the Home tab, with the inputs
of a form numbered. Given a ``controls`` list, every button, select or date picker drawn is
numbered ``[1 · Launch contest]`` and appended to it, so a console can press it by number;
without one, buttons are drawn as ``[ Launch contest ]`` (the demo)."""

import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

from bot.messages import unescape

EMOJI = {
    ":large_green_circle:": "🟢",
    ":palm_tree:": "🌴",
    ":large_yellow_circle:": "🟡",
    ":red_circle:": "🔴",
    ":white_circle:": "⚪",
    ":heavy_minus_sign:": "➖",
    ":white_check_mark:": "✅",
    ":warning:": "⚠️ ",
    ":leftwards_arrow_with_hook:": "↩️ ",
    ":repeat:": "🔁",
    ":arrow_up:": "⬆️ ",
    ":arrow_down:": "⬇️ ",
    ":trophy:": "🏆",
    ":chart_with_downwards_trend:": "📉",
    ":chart_with_upwards_trend:": "📈",
    ":checkered_flag:": "🏁",
    ":dart:": "🎯",
    ":stopwatch:": "⏱️ ",
    ":busts_in_silhouette:": "👥",
    ":bar_chart:": "📊",
    ":hourglass_flowing_sand:": "⏳",
    ":alarm_clock:": "⏰",
    ":first_place_medal:": "🥇",
    ":second_place_medal:": "🥈",
    ":third_place_medal:": "🥉",
    ":handshake:": "🤝",
    ":small_red_triangle_down:": "🔻",
    ":pushpin:": "📌",
    ":no_entry_sign:": "🚫",
    ":information_source:": "ℹ️ ",
    ":rocket:": "🚀",
    ":gift:": "🎁",
    ":wave:": "👋",
    ":memo:": "📝",
    ":calendar:": "📅",
    ":bulb:": "💡",
    ":tada:": "🎉",
    ":fire:": "🔥",
    ":clock1:": "🕐",
    ":speech_balloon:": "💬",
    ":house:": "🏠",
    ":pencil2:": "✏️ ",
    ":x:": "❌",
    ":heavy_plus_sign:": "➕",
    ":mega:": "📣",
    ":wastebasket:": "🗑️ ",
    ":racing_car:": "🏎️ ",
}
USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
SPECIAL = re.compile(r"<!(channel|here|everyone)(?:\|[^>]*)?>")
DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
WIDTH = 100
PLAIN_INPUTS = ("plain_text_input", "number_input", "email_text_input", "url_text_input")


def mrkdwn_to_text(
    text: str, names: Mapping[str, str] | None = None, channels: Mapping[str, str] | None = None
) -> str:
    names, channels = names or {}, channels or {}
    text = USER.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), text)
    text = CHANNEL.sub(lambda m: "#" + (m.group(2) or channels.get(m.group(1), m.group(1))), text)
    text = SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = DATE.sub(lambda m: m.group(1), text)
    text = LINK.sub(lambda m: m.group(2) or m.group(1), text)
    for code, symbol in EMOJI.items():
        text = text.replace(code, symbol)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)  # bold
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"\1", text)  # italics
    text = re.sub(r"(?<![\w~])~([^~\n]+)~(?![\w~])", r"[undone] \1", text)  # strikethrough
    return unescape(text)


def plain_to_text(text: str) -> str:
    """A plain_text object's words as Slack shows them: emoji drawn, nothing else parsed."""
    for code, symbol in EMOJI.items():
        text = text.replace(code, symbol)
    return text


@dataclass
class Control:
    """A numbered interactive element drawn on screen: pressing it sends a block_actions."""

    number: int
    element: dict
    block_id: str


@dataclass
class Field:
    """A numbered input of a form (an ``input`` block of a modal)."""

    number: int
    block: dict

    @property
    def block_id(self) -> str:
        return self.block.get("block_id", "")

    @property
    def element(self) -> dict:
        return self.block.get("element") or {}

    @property
    def label(self) -> str:
        return _plain(self.block.get("label"))


def _plain(text_object) -> str:
    if isinstance(text_object, Mapping):
        return str(text_object.get("text", ""))
    return str(text_object or "")


def options_of(element: Mapping) -> list[dict]:
    """A select's options, option groups flattened."""
    found = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found += group.get("options") or []
    return found


def initial_state(element: Mapping) -> dict:
    """The state Slack reports for an input nobody touched: its initial value, or empty."""
    kind = element.get("type", "")
    state: dict = {"type": kind}
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        state["value"] = element.get("initial_value")
    elif kind in ("static_select", "external_select", "radio_buttons"):
        state["selected_option"] = element.get("initial_option")
    elif kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        state["selected_options"] = list(element.get("initial_options") or [])
    elif kind == "users_select":
        state["selected_user"] = element.get("initial_user")
    elif kind == "multi_users_select":
        state["selected_users"] = list(element.get("initial_users") or [])
    elif kind == "conversations_select":
        state["selected_conversation"] = element.get("initial_conversation")
    elif kind == "multi_conversations_select":
        state["selected_conversations"] = list(element.get("initial_conversations") or [])
    elif kind == "channels_select":
        state["selected_channel"] = element.get("initial_channel")
    elif kind == "multi_channels_select":
        state["selected_channels"] = list(element.get("initial_channels") or [])
    elif kind == "datepicker":
        state["selected_date"] = element.get("initial_date")
    elif kind == "timepicker":
        state["selected_time"] = element.get("initial_time")
    elif kind == "datetimepicker":
        state["selected_date_time"] = element.get("initial_date_time")
    elif kind == "rich_text_input":
        state["rich_text_value"] = element.get("initial_value")
    return state


def state_text(
    state: Mapping | None,
    names: Mapping[str, str] | None = None,
    channels: Mapping[str, str] | None = None,
) -> str:
    """An input's value as a person reads it ("" when empty)."""
    if not state:
        return ""
    names, channels = names or {}, channels or {}
    if state.get("value") is not None:
        return str(state["value"])
    if state.get("selected_option"):
        return _plain(state["selected_option"].get("text"))
    if state.get("selected_options"):
        return ", ".join(_plain(o.get("text")) for o in state["selected_options"])
    if state.get("selected_user"):
        return "@" + names.get(state["selected_user"], state["selected_user"])
    if state.get("selected_users"):
        return ", ".join("@" + names.get(u, u) for u in state["selected_users"])
    for key in ("selected_conversation", "selected_channel"):
        if state.get(key):
            return "#" + channels.get(state[key], state[key])
    for key in ("selected_conversations", "selected_channels"):
        if state.get(key):
            return ", ".join("#" + channels.get(c, c) for c in state[key])
    for key in ("selected_date", "selected_time"):
        if state.get(key):
            return str(state[key])
    if state.get("selected_date_time"):
        return str(state["selected_date_time"])
    return ""


def input_hint(element: Mapping) -> str:
    """What a person can type for this input (`:set N …`)."""
    kind = element.get("type", "")
    if kind == "number_input":
        bounds = [
            f"at least {element['min_value']}" if element.get("min_value") else "",
            f"at most {element['max_value']}" if element.get("max_value") else "",
        ]
        whole = "a number" if element.get("is_decimal_allowed") else "a whole number"
        return " ".join([whole, ", ".join(b for b in bounds if b)]).strip()
    if kind in ("static_select", "external_select", "radio_buttons"):
        return "one of: " + " · ".join(
            f"{i} {_plain(o.get('text'))}" for i, o in enumerate(options_of(element), 1)
        )
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        return "any of (numbers, commas between): " + " · ".join(
            f"{i} {_plain(o.get('text'))}" for i, o in enumerate(options_of(element), 1)
        )
    if kind == "users_select":
        return "a person: @name"
    if kind == "multi_users_select":
        return "people: @name @name …"
    if kind in ("conversations_select", "channels_select"):
        return "a channel: #name"
    if kind in ("multi_conversations_select", "multi_channels_select"):
        return "channels: #name #name …"
    if kind == "datepicker":
        return "a day: YYYY-MM-DD"
    if kind == "timepicker":
        return "a time: HH:MM"
    if kind == "datetimepicker":
        return "a moment: YYYY-MM-DDTHH:MM"
    if kind in ("plain_text_input", "rich_text_input"):
        longest = element.get("max_length")
        return "text" + (f", at most {longest} characters" if longest else "")
    if kind == "email_text_input":
        return "an email address"
    if kind == "url_text_input":
        return "a link"
    return kind


def element_text(
    element: Mapping,
    names: Mapping[str, str] | None = None,
    channels: Mapping[str, str] | None = None,
) -> str:
    """An interactive element's face: a button's label, a select's current choice."""
    kind = element.get("type", "")
    if kind == "button":
        label = plain_to_text(_plain(element.get("text"))) or "?"
        return f"{label} ↗ {element['url']}" if element.get("url") else label
    if kind == "overflow":
        return "⋯ " + " / ".join(_plain(o.get("text")) for o in options_of(element))
    if kind in ("checkboxes", "radio_buttons"):
        chosen = state_text(initial_state(element), names, channels)
        options = [_plain(o.get("text")) for o in options_of(element)]
        marks = ("☑", "☐") if kind == "checkboxes" else ("◉", "○")
        return "  ".join(
            f"{marks[0] if o and o in chosen.split(', ') else marks[1]} {o}" for o in options
        )
    shown = state_text(initial_state(element), names, channels)
    placeholder = _plain(element.get("placeholder"))
    icon = {"datepicker": "📅 ", "timepicker": "🕒 ", "datetimepicker": "📅 "}.get(kind, "▾ ")
    return icon + (shown or placeholder or kind.replace("_", " "))


class _Canvas:
    """Lines being drawn, and the numbered controls and inputs met on the way."""

    def __init__(self, names, channels, controls, fields, state, errors) -> None:
        self.names, self.channels = names or {}, channels or {}
        self.controls, self.fields = controls, fields
        self.state, self.errors = state or {}, errors or {}
        self.lines: list[str] = []

    def say(self, text, indent: str = "") -> None:
        """A text object (mrkdwn, or plain_text shown as typed) or mrkdwn, wrapped."""
        for raw in self.text(text).split("\n"):
            wrapped = textwrap.wrap(raw, WIDTH - len(indent), subsequent_indent="  ") or [""]
            self.lines.append(indent + wrapped[0])
            self.lines.extend(" " * len(indent) + piece for piece in wrapped[1:])

    def text(self, obj) -> str:
        if isinstance(obj, Mapping) and obj.get("type") == "plain_text":
            return plain_to_text(obj.get("text", ""))
        return mrkdwn_to_text(_plain(obj), self.names, self.channels)

    def control(self, element: dict, block_id: str) -> str:
        face = element_text(element, self.names, self.channels)
        if self.controls is None:
            return f"[ {face} ]"
        self.controls.append(Control(len(self.controls) + 1, element, block_id))
        return f"[{len(self.controls)} · {face}]"

    def row(self, faces: list[str], indent: str = "") -> None:
        line = indent
        for face in faces:
            if line.strip() and len(line) + 2 + len(face) > WIDTH:
                self.lines.append(line)
                line = indent
            line += ("  " if line.strip() else "") + face
        if line.strip():
            self.lines.append(line)

    def blocks(self, blocks: list[dict]) -> None:
        for block in blocks:
            self.block(block)

    def block(self, block: dict) -> None:
        kind = block.get("type")
        block_id = block.get("block_id", "")
        if kind == "header":
            title = self.text(block.get("text"))
            self.lines += [title, "═" * min(len(title), WIDTH)]
        elif kind == "section":
            if block.get("text"):
                self.say(block["text"])
            for field in block.get("fields") or []:
                self.say(field, "  ")
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "image":
                self.lines.append(f"  [image: {accessory.get('alt_text', '')}]")
            elif accessory:
                self.row([self.control(accessory, block_id)], "  ")
        elif kind == "context":
            for element in block.get("elements", []):
                if element.get("type") in ("mrkdwn", "plain_text"):
                    self.say(element, "  · ")
                elif element.get("type") == "image" and element.get("alt_text"):
                    self.lines.append(f"  · [{element['alt_text']}]")
        elif kind == "divider":
            self.lines.append("─" * 40)
        elif kind == "actions":
            self.row([self.control(e, block_id) for e in block.get("elements", [])])
        elif kind == "image":
            title = _plain(block.get("title"))
            alt = block.get("alt_text", "")
            self.lines.append(f"[image “{title}”: {alt}]" if title else f"[image: {alt}]")
        elif kind == "file":
            self.lines.append(f"📎 [file {block.get('external_id', '')}]")
        elif kind == "video":
            self.lines.append(f"[video: {_plain(block.get('title'))}]")
        elif kind == "rich_text":
            self.say(rich_text(block))
        elif kind == "input":
            self.input(block)

    def input(self, block: dict) -> None:
        element = block.get("element") or {}
        number = len(self.fields) + 1 if self.fields is not None else None
        if self.fields is not None:
            self.fields.append(Field(number, block))
        label = self.text(block.get("label"))
        optional = " (optional)" if block.get("optional") else ""
        state = self.state.get(block.get("block_id", ""), initial_state(element))
        value = state_text(state, self.names, self.channels)
        head = f"{number}) " if number is not None else "• "
        self.say(f"{head}{label}{optional}: {value or '—'}")
        pad = " " * len(head)
        if element.get("type") not in PLAIN_INPUTS:  # how to type a choice, a day, a person
            self.say(f"({input_hint(element)})", pad)
        if block.get("hint"):
            self.say(block["hint"], pad)
        error = self.errors.get(block.get("block_id", ""))
        if error:
            self.say(f"⚠️  {error}", pad)


def rich_text(block: Mapping) -> str:
    """A rich_text block's words, without its styling."""
    out: list[str] = []

    def walk(node) -> None:
        kind = node.get("type")
        if kind == "text":
            out.append(node.get("text", ""))
        elif kind == "link":
            out.append(node.get("text") or node.get("url", ""))
        elif kind == "user":
            out.append(f"<@{node.get('user_id', '')}>")
        elif kind == "channel":
            out.append(f"<#{node.get('channel_id', '')}>")
        elif kind == "emoji":
            out.append(f":{node.get('name', '')}:")
        for child in node.get("elements") or []:
            walk(child)
        if kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote"):
            out.append("\n")

    walk(block)
    return "".join(out).rstrip("\n")


def render_message(
    message: Mapping,
    names: Mapping[str, str] | None = None,
    channels: Mapping[str, str] | None = None,
    *,
    controls: list[Control] | None = None,
) -> str:
    """Blocks as text; the plain `text` when there are no blocks. Shared files are listed; with
    ``controls``, buttons and selects are numbered (continuing the list's numbers)."""
    canvas = _Canvas(names, channels, controls, None, None, None)
    blocks = message.get("blocks") or []
    if not blocks and (message.get("text") or not message.get("files")):
        canvas.say(message.get("text", ""))
    canvas.blocks(blocks)
    for attachment in message.get("attachments") or []:
        inner = _Canvas(names, channels, controls, None, None, None)
        if attachment.get("blocks"):
            inner.blocks(attachment["blocks"])
        else:
            inner.say(attachment.get("text") or attachment.get("fallback") or "")
        canvas.lines += ["│ " + line for line in inner.lines]
    for shared in message.get("files") or []:
        title = shared.get("title") or shared.get("name") or "a file"
        size = f" ({shared['size'] / 1024:.0f} KB)" if shared.get("size") else ""
        name = f" · {shared['name']}" if shared.get("name") and shared["name"] != title else ""
        canvas.lines.append(f"📎 {title}{name}{size}")
    return "\n".join(canvas.lines).rstrip()


def render_view(
    view: Mapping,
    names: Mapping[str, str] | None = None,
    channels: Mapping[str, str] | None = None,
    *,
    controls: list[Control] | None = None,
    fields: list[Field] | None = None,
    state: Mapping[str, Mapping] | None = None,
    errors: Mapping[str, str] | None = None,
) -> str:
    """A modal (framed, with its title, submit and close) or the Home tab, as text. With
    ``fields``, the form's inputs are numbered; ``state`` (block_id → the input's state, as in
    a view_submission) shows what is filled in, ``errors`` (block_id → text) the problems."""
    canvas = _Canvas(names, channels, controls, fields, state, errors)
    canvas.blocks(list(view.get("blocks") or []))
    body = canvas.lines
    if view.get("type") != "modal":
        return "\n".join(body).rstrip()
    title = _plain(view.get("title")) or "Pacer"
    bottom = []
    if view.get("submit"):
        bottom.append(f"[ {_plain(view['submit'])} ] :submit")
    bottom.append(f"[ {_plain(view.get('close')) or 'Close'} ] :close")
    frame = ["┌─ " + title + " " + "─" * max(3, 40 - len(title))]
    frame += ["│ " + line if line else "│" for line in body]
    frame.append("└─ " + "   ".join(bottom))
    return "\n".join(frame)
