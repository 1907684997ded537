"""A scorecard as a Slack message: the rep's KPIs against goal with pace and projection."""

from bot import messages


def scorecard_message(card, basis_hint: str) -> dict:
    when = card.period.label()
    body = messages.render("scorecard.md.j2", card=card)
    top = messages.scorecard_top(card)
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
