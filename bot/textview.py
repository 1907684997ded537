"""Slack messages as readable terminal text, for `pacer demo` (and later the console)."""

import re
import textwrap
from collections.abc import Mapping

EMOJI = {
    ":large_green_circle:": "🟢",
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
}
USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]*))?>")
WIDTH = 100


def mrkdwn_to_text(
    text: str, names: Mapping[str, str] | None = None, channels: Mapping[str, str] | None = None
) -> str:
    names, channels = names or {}, channels or {}
    text = USER.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), text)
    text = CHANNEL.sub(lambda m: "#" + (m.group(2) or channels.get(m.group(1), m.group(1))), text)
    text = LINK.sub(lambda m: m.group(2) or m.group(1), text)
    for code, symbol in EMOJI.items():
        text = text.replace(code, symbol)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)  # bold
    text = re.sub(r"(?<![\w_])_([^_\n]+)_(?![\w_])", r"\1", text)  # italics
    text = re.sub(r"(?<![\w~])~([^~\n]+)~(?![\w~])", r"[undone] \1", text)  # strikethrough
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render_message(
    message: Mapping,
    names: Mapping[str, str] | None = None,
    channels: Mapping[str, str] | None = None,
) -> str:
    """Blocks as text; the plain `text` when there are no blocks."""
    lines: list[str] = []

    def say(text: str, indent: str = "") -> None:
        for raw in mrkdwn_to_text(text, names, channels).split("\n"):
            wrapped = textwrap.wrap(raw, WIDTH - len(indent), subsequent_indent="  ") or [""]
            lines.append(indent + wrapped[0])
            lines.extend(" " * len(indent) + piece for piece in wrapped[1:])

    blocks = message.get("blocks") or []
    if not blocks:
        say(message.get("text", ""))
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = mrkdwn_to_text(block["text"]["text"], names, channels)
            lines += [title, "═" * min(len(title), WIDTH)]
        elif kind == "section":
            if block.get("text"):
                say(block["text"]["text"])
            for field in block.get("fields") or []:
                say(field["text"], "  ")
        elif kind == "context":
            for element in block.get("elements", []):
                if element.get("type") in ("mrkdwn", "plain_text"):
                    say(element["text"], "  · ")
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "actions":
            buttons = [
                f"[ {e.get('text', {}).get('text', '?')} ]" for e in block.get("elements", [])
            ]
            lines.append("  ".join(buttons))
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
    return "\n".join(lines).rstrip()
