"""Reviews of a process draft (issue 14, parts 2-3), the domain side: a part in plain words,
the tally of the answers ("4 of 6 answered", approvals and open suggestions per item), and when a
reviewer is due their one reminder. No Slack, no SQL: bot/process_reviews/ and
storage/review_queries.py are the other two sides."""

from rituals.process_reviews.reminders import reminder_due
from rituals.process_reviews.tally import (
    ACCEPTED,
    APPROVE,
    DISMISSED,
    OPEN,
    SUGGEST,
    SUPERSEDED,
    Answer,
    ItemTally,
    Tally,
    current_answers,
    tally,
)
from rituals.process_reviews.words import ALL, PARTS, part_lines, part_title

__all__ = [
    "ACCEPTED",
    "ALL",
    "APPROVE",
    "DISMISSED",
    "OPEN",
    "PARTS",
    "SUGGEST",
    "SUPERSEDED",
    "Answer",
    "ItemTally",
    "Tally",
    "current_answers",
    "part_lines",
    "part_title",
    "reminder_due",
    "tally",
]
