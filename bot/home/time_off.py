"""The Home tab's "Time off" section for a rep: their coming days away, each stretch with a
Cancel button, and "Add time off…", which opens a form (first day, last day, note). The
buttons and the form are handled by bot/away/home.py. Pure apart from one read."""

import json
from datetime import date, datetime

from bot import messages
from bot.ids import Action, View
from bot.messages import escape, plain_text
from rituals import dates
from rituals import time_off as t
from rituals.teams import Actor
from storage.unit_of_work import Session

SHOWN = 6  # stretches with a button; `/away list` has them all


def span(first: date, last: date) -> str:
    """Mon 21 – Fri 25 Dec 2026; Mon 30 Nov – Fri 4 Dec 2026; Thu 24 Dec 2026."""
    if first == last:
        return dates.long(first)
    if first.year != last.year:
        return f"{dates.long(first)} – {dates.long(last)}"
    if first.month != last.month:
        return f"{dates.short(first)} – {dates.long(last)}"
    return f"{dates.weekday_day(first)} – {dates.long(last)}"


def time_off_blocks(session: Session, actor: Actor, now: datetime) -> list[dict]:
    """For a rep (a member with a role): the section, else nothing."""
    if actor.member is None or not actor.member.role:
        return []
    coming = t.rep_time_off(session, actor, actor.user_id, now).coming
    blocks = [messages.divider()] + messages.section("*Time off*")
    if not coming:
        blocks.append(
            messages.context(
                "No days away coming. Your goals count only the days you're there: add "
                "vacation or a day off here, or type `/away 2026-12-24`."
            )
        )
    for stretch in coming[:SHOWN]:
        n = stretch.days
        note = f" · _{escape(stretch.note)}_" if stretch.note else ""
        text = f"{span(stretch.first, stretch.last)} · {n} working day{'s' if n != 1 else ''}{note}"
        cancel = messages.button(
            "Cancel",
            Action.HOME_AWAY_CANCEL,
            f"{stretch.first.isoformat()}:{stretch.last.isoformat()}",
        )
        cancel["accessibility_label"] = f"Cancel days away {span(stretch.first, stretch.last)}"[:75]
        cancel["confirm"] = {
            "title": plain_text("Cancel these days away?", 100),
            "text": plain_text(
                f"{span(stretch.first, stretch.last)}: your goals will count these days again.",
                300,
            ),
            "confirm": plain_text("Cancel them", 30),
            "deny": plain_text("Keep them", 30),
        }
        block = messages.section(text)[0]
        block["accessory"] = cancel
        blocks.append(block)
    if len(coming) > SHOWN:
        blocks.append(messages.context(f"…and {len(coming) - SHOWN} more: `/away list`."))
    blocks.append(
        messages.actions(
            messages.button("Add time off…", Action.HOME_AWAY_ADD, "add"), block_id="home_away"
        )
    )
    return blocks


def away_modal(today: date, period: str) -> dict:
    """First day, last day (empty: the first), and a note."""
    blocks = messages.section(
        "Days away skip your goals and reminders. Weekends and the team's days off are skipped "
        "for you."
    )
    blocks += [
        messages.input_block(
            "first", "First day", {"type": "datepicker", "initial_date": today.isoformat()}
        ),
        messages.input_block(
            "last",
            "Last day",
            {"type": "datepicker"},
            optional=True,
            hint=f"Leave it empty for one day; at most {t.MAX_RANGE_DAYS} days in one go.",
        ),
        messages.input_block(
            "note",
            "Note",
            {
                "type": "plain_text_input",
                "max_length": t.NOTE_LIMIT,
                "placeholder": plain_text("e.g. Ski trip"),
            },
            optional=True,
        ),
    ]
    return {
        "type": "modal",
        "callback_id": View.HOME_AWAY,
        "title": plain_text("Add time off", messages.MODAL_TITLE_LIMIT),
        "submit": plain_text("Add", messages.MODAL_TITLE_LIMIT),
        "close": plain_text("Cancel", messages.MODAL_TITLE_LIMIT),
        "private_metadata": json.dumps({"period": period}),
        "blocks": blocks,
    }
