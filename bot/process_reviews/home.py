"""A manager's App Home: each open review of the team's draft, "4 of 6 answered"."""

from __future__ import annotations

from bot import messages
from bot.process_reviews.views import due_words
from rituals.process_reviews import part_title
from rituals.teams import Actor
from storage import review_queries
from storage.unit_of_work import Session


def review_blocks(session: Session, actor: Actor) -> list[dict]:
    """Nothing when no review is open (one query); else a line per open round."""
    rounds = review_queries.open_reviews_of_team(session, actor.team_id)
    if not rounds:
        return []
    counts = review_queries.answer_counts(session, [r.id for r in rounds])
    lines = []
    for row in rounds:
        count = counts.get(row.id)
        answered = count.text() if count else "nobody asked"
        lines.append(f"• Review of {part_title(row.part)}: *{answered}* ({due_words(row.due_on)})")
    text = "*Draft process under review*\n" + "\n".join(lines)
    return [
        messages.divider(),
        *messages.section(text),
        messages.context("`/pacer process feedback` lists the answers item by item."),
    ]
