"""A scorecard as a Slack message: the rep's KPIs against goal with pace and projection."""

import math

from bot import messages
from rituals import dates


def scorecard_message(card, basis_hint: str) -> dict:
    name = f"{messages.mention(card.rep_id)}"
    when = card.period.label()
    if card.is_past:
        elapsed = "period complete"
    elif not card.working:
        elapsed = "a day off: no goals today, and anything logged still counts"
    else:
        elapsed = (
            f"{math.floor(card.elapsed * 100)}% of the {card.period.kind}'s working time elapsed "
            f"at {dates.short_time(card.now)} {card.timezone}"
        )
    body = messages.render("scorecard.md.j2", card=card)
    top = f"*Scorecard* · {name} · {messages.escape(card.role.name)}\n*{card.period.kind.title()}:* {when} · {elapsed}"
    blocks = messages.section(top) + [messages.divider()] + messages.section(body)
    blocks.append(
        messages.context(
            "Pace = actual ÷ what the goal expects by now; projected = where the period ends at this rate. "
            f"`{basis_hint}` shows the logs behind a number."
        )
    )
    summary = "; ".join(
        f"{line.kpi.name} {messages.scale_word(line.pacing, card.period)}"
        f"{messages.number(line.pacing.actual)}/"
        f"{messages.figure(line.pacing.goal, line.pacing.decimals)} {messages.status_word(line.pacing)}"
        for line in card.lines
    )
    return messages.message(f"Scorecard ({when}): {summary}", blocks)
