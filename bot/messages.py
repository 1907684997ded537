"""The one module that renders: plain data from rituals/ → Jinja2 templates → Slack messages.

Every value a template prints is escaped for mrkdwn (``&``, ``<``, ``>``) unless it is wrapped in
``Raw``, so nobody can ping ``<!channel>`` through a name, a note or a KPI. Messages are built to
stay inside Slack's limits (DESIGN.md §5) whatever the length of the text."""

import re
from pathlib import Path

import jinja2

from bot.ids import INPUT
from rituals import dates
from rituals.pacing import Pacing
from rituals.ranking import shown_percent
from rituals.scales import number_decimals, shown_figure

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SECTION_LIMIT = 3000
MAX_BLOCKS = 50
HEADER_LIMIT = 150
TEXT_LIMIT = 3000  # the notification fallback; Slack shows only the start of it anyway
MESSAGE_BUDGET = 11_000  # all text in one message; Slack refuses ~12,000 (msg_blocks_too_long)

STATUS = {
    "on_pace": (":large_green_circle:", "on pace"),
    "at_risk": (":large_yellow_circle:", "at risk"),
    "behind": (":red_circle:", "behind"),
    "not_started": (":white_circle:", "not started"),
    "early": (":white_circle:", "early"),
    "hit": (":large_green_circle:", "hit"),
    "near_miss": (":large_yellow_circle:", "just missed"),
    "missed": (":red_circle:", "missed"),
    "no_goal": (":heavy_minus_sign:", "no goal set"),
}


class Raw(str):
    """Text that is already valid mrkdwn (a mention we built, a formatted number)."""


def escape(value) -> str:
    text = str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack's text (command text, message events) with its &amp; &lt; &gt; entities as the
    characters people typed, and without control characters (``without_controls``); whatever
    shows it escapes it again."""
    return without_controls(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


# Control characters: invisible in Slack, never meant, and a NUL byte can't be stored in a
# PostgreSQL text column at all. Tab and line breaks are kept.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(text: str) -> str:
    """Free text (a note, a coaching reply) as typed, its control characters dropped."""
    return CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    """Whether a name has a control character in it (a name is refused rather than changed)."""
    return CONTROLS.search(text) is not None


def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, Raw | int | float):
        return value
    return escape(value)


def number(value) -> str:
    """60 → "60", 1.6 → "1.6", 0.95 → "0.95", 183.44 → "183.4": never rounded so far that a
    goal and its percentage disagree."""
    if value is None:
        return "–"
    value = float(value)
    decimals = number_decimals(value)
    if decimals == 0:
        return f"{round(value):,}"
    if decimals == 2:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:,.1f}"


def figure(value, decimals: int = 0) -> str:
    """A goal or a figure made from one (expected, projected) with no more decimals than the goal
    is stated with: 300, 12.5, 34 (not 33.6) for 8 a week over a month; "–" for None."""
    if value is None:
        return "–"
    return number(shown_figure(float(value), decimals))


def percent(value) -> str:
    """Rounded down, so the figure never contradicts the status: a pace of 99.6% shows 99%
    (at risk), not 100%, and a goal shows 100% only once it is reached. Rankings decide ties
    on this same figure (rituals.ranking.shown_percent)."""
    return "–" if value is None else f"{shown_percent(value)}%"


def pace_text(pacing: Pacing) -> str:
    """The pace as shown: "pace 95%", "pace early" in the first tenth of the period, "final"
    once it is over."""
    if pacing.final:
        return "final"
    if pacing.early:
        return "pace early"
    return f"pace {percent(pacing.pace)}"


def scorecard_top(card) -> str:
    """A scorecard's first lines (rituals.scorecard.Scorecard): who, and where the period is."""
    return (
        f"*Scorecard* · {mention(card.rep_id)} · {escape(card.role.name)}\n"
        f"*{card.period.kind.title()}:* {card.period.label()} · {scorecard_elapsed(card)}"
    )


def scorecard_elapsed(card) -> str:
    """What a scorecard's top line says of its period: complete, a day off, the rep not there
    (away, not started yet, after their last day), or the working time elapsed."""
    kind = card.period.kind
    this = "today" if kind == "day" else f"this {kind}"
    if card.absent == "away":
        return f"away {this}: no goals, and anything logged still counts"
    if card.absent == "not_started":
        return f"starts {dates.long(card.days.start)}: no goals before then"
    if card.absent == "left":
        return f"last day was {dates.long(card.days.last_day)}: no goals after it"
    if card.is_past:
        return "period complete"
    if not card.working:
        return "a day off: no goals today, and anything logged still counts"
    return (
        f"{percent(card.elapsed)} of the {kind}'s working time elapsed "
        f"at {dates.short_time(card.now)} {card.timezone}"
    )


def scale_word(pacing: Pacing, period) -> str:
    """ "month " or "week " when a line is for a longer period than the view's (a monthly goal
    on a week), "" otherwise."""
    if pacing.period is None or period is None or pacing.period == period:
        return ""
    return f"{pacing.period.kind} "


def mention(user_id: str) -> Raw:
    # Only well-formed Slack IDs become mentions; anything else is shown as escaped text.
    if user_id and user_id[:1] in "UW" and user_id.isalnum():
        return Raw(f"<@{user_id}>")
    return Raw(escape(user_id))


def channel(channel_id: str | None) -> Raw:
    if channel_id and channel_id.isalnum():
        return Raw(f"<#{channel_id}>")
    return Raw("no channel yet")


def status_emoji(pacing: Pacing) -> Raw:
    return Raw(STATUS[pacing.status][0])


def status_word(pacing: Pacing) -> str:
    return STATUS[pacing.status][1]


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=False,  # HTML escaping is wrong for mrkdwn; _finalize escapes for Slack instead
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    undefined=jinja2.StrictUndefined,
    # Templates ship with the code and change only with a deploy: no stat() of each template
    # file on every render (it showed in the /log profile, in the Home refreshes).
    auto_reload=False,
)
_env.filters.update(
    number=lambda v: Raw(number(v)),
    figure=lambda v, decimals=0: Raw(figure(v, decimals)),
    percent=lambda v: Raw(percent(v)),
    pace=lambda p: Raw(pace_text(p)),
    scale=lambda p, period: Raw(scale_word(p, period)),
    mention=mention,
    channel=channel,
    emoji=status_emoji,
    status=status_word,
    esc=lambda v: Raw(escape(v)),
    raw=Raw,
    name_of=lambda user_id, names: names.get(user_id, user_id),
)


def render(template: str, **values) -> str:
    return _env.get_template(template).render(**values).strip()


# -- Block Kit ------------------------------------------------------------------------------


def chunks(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split text at line breaks into pieces that each fit one section."""
    pieces, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single monster line: cut it
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[: limit - 1] + "…")
            line = ""
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return pieces or [" "]


def section(text: str) -> list[dict]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}} for piece in chunks(text)
    ]


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": chunks(text)[0]}]}


def header(text: str) -> dict:
    plain = text if len(text) <= HEADER_LIMIT else text[: HEADER_LIMIT - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}


def divider() -> dict:
    return {"type": "divider"}


def block_chars(block: dict) -> int:
    """How much text a block carries, as Slack counts towards a message's size."""
    texts = (
        [block.get("text") or {}]
        + list(block.get("fields") or [])
        + list(block.get("elements") or [])
    )
    return sum(
        len(t.get("text", ""))
        for t in texts
        if isinstance(t, dict) and isinstance(t.get("text", ""), str)
    )


def message(fallback: str, blocks: list[dict], response_type: str = "ephemeral") -> dict:
    """A message with its plain-text fallback (notifications, screen readers), within Slack's
    limits: at most 50 blocks and about 12,000 characters; what does not fit is cut, and said.
    The fallback is made plain (:func:`plain`): no mrkdwn markup reaches a notification."""
    fallback = plain(fallback) or "Pacer"
    kept, used = [], len(fallback[:TEXT_LIMIT])
    for index, block in enumerate(blocks):
        size = block_chars(block)
        if len(kept) == MAX_BLOCKS - 1 or used + size > MESSAGE_BUDGET:
            kept.append(
                context(
                    f"…and {len(blocks) - index} more parts not shown: narrow the request down."
                )
            )
            break
        kept.append(block)
        used += size
    text = fallback if len(fallback) <= TEXT_LIMIT else fallback[: TEXT_LIMIT - 1] + "…"
    return {"response_type": response_type, "text": text, "blocks": kept}


def paged(fallback: str, text: str) -> list[dict]:
    """Long text as several messages (a digest's full ranking in its thread), each inside Slack's
    limits, nothing cut: sections are filled in order and a new message starts when one is full."""
    pages: list[list[dict]] = [[]]
    used = 0
    for block in section(text):
        size = block_chars(block)
        if pages[-1] and (
            len(pages[-1]) == MAX_BLOCKS or used + size > MESSAGE_BUDGET - len(fallback)
        ):
            pages.append([])
            used = 0
        pages[-1].append(block)
        used += size
    return [message(fallback, blocks, response_type="in_channel") for blocks in pages]


def text_message(template: str, fallback: str | None = None, **values) -> dict:
    """A message made of one template's text, split into sections as needed."""
    body = render(template, **values)
    return message(fallback or _plain(body), section(body))


def problem(text: str) -> dict:
    """A refusal or a mistake: what was wrong, and what would work (already in ``text``)."""
    return message(_plain(text), section(f":warning: {text}"))


_EMPHASIS = re.compile(r"(?<![\w\\])_(\S(?:.*?\S)?)_(?!\w)")  # _italic_, not meetings_held
_STRIKE = re.compile(r"(?<!\w)~(\S(?:.*?\S)?)~(?!\w)")
_LABELLED = re.compile(r"<([@#!]?)([^<>|]+)\|([^<>]*)>")  # <@U1|maria>, <#C1|sales>, <url|text>


def plain(mrkdwn: str, names: dict[str, str] | None = None) -> str:
    """mrkdwn as plain text for a notification or a screen reader: no ``*bold*``, ``_italic_``,
    ``~strike~`` or backticks; ``<@U1|maria>`` → ``@maria``, ``<#C1|sales>`` → ``#sales``,
    ``<https://…|text>`` → ``text``; ``<@U1>`` → ``@Maria`` when ``names`` knows U1 (Slack
    itself shows the name of a mention it is left as). Emoji codes stay: Slack shows them."""
    text = str(mrkdwn or "")
    text = _LABELLED.sub(lambda m: (m.group(1) if m.group(1) in "@#" else "") + m.group(3), text)
    for user_id, name in (names or {}).items():
        text = text.replace(f"<@{user_id}>", f"@{name}")
    text = _EMPHASIS.sub(r"\1", text)
    text = _STRIKE.sub(r"\1", text)
    return text.replace("*", "").replace("`", "").strip()


_plain = plain


MODAL_TITLE_LIMIT = 24  # Slack's limit for a modal's title, submit and close texts


def plain_text(text: str, limit: int = HEADER_LIMIT) -> dict:
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": cut, "emoji": True}


def notice_view(text: str, title: str = "Pacer") -> dict:
    """A modal that only says something (a refusal shown in place of the form)."""
    return {
        "type": "modal",
        "title": plain_text(title, MODAL_TITLE_LIMIT),
        "close": plain_text("Close", MODAL_TITLE_LIMIT),
        "blocks": section(f":warning: {text}"),
    }


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict:
    """A button (text at most 75 characters, value at most 2,000: Slack's limits)."""
    out = {
        "type": "button",
        "text": plain_text(text, 75),
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        out["style"] = style
    return out


def actions(*elements: dict, block_id: str | None = None) -> dict:
    block = {"type": "actions", "elements": list(elements)[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def input_block(block_id: str, label: str, element: dict, *, optional=False, hint=None) -> dict:
    """One field of a form (an input block); the submission's value is under
    ``view.state.values[block_id][INPUT]``."""
    block = {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(label, 2000),
        "element": {**element, "action_id": INPUT},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain_text(hint, 2000)
    return block
