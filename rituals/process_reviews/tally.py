"""What a review's answers add up to, as plain data: per item the approvals and the open
suggestions, per review "4 of 6 answered" and who still owes an answer.

"The last answer counts": only each reviewer's current answer (not ``superseded``) is counted. A
reviewer who approved counts as an approval of every item of the part; an accepted or dismissed
suggestion counts as answered but is no longer open."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

APPROVE, SUGGEST = "approve", "suggest"
OPEN, SUPERSEDED, ACCEPTED, DISMISSED = "open", "superseded", "accepted", "dismissed"


@dataclass(frozen=True)
class Answer:
    """A reviewer's answer as the tally reads it (storage's ReviewAnswer, plain)."""

    id: int
    reviewer: str
    verdict: str  # approve | suggest
    item: str = ""
    instead: str = ""
    why: str = ""
    status: str = OPEN


@dataclass(frozen=True)
class ItemTally:
    ref: str
    label: str
    approvals: int
    suggestions: tuple[Answer, ...]  # the open ones


@dataclass(frozen=True)
class Tally:
    asked: tuple[str, ...]  # reviewer IDs, in the order they were asked
    current: dict[str, Answer] = field(hash=False)  # reviewer -> their answer that counts
    items: tuple[ItemTally, ...] = ()

    @property
    def answered(self) -> int:
        return sum(1 for r in self.asked if r in self.current)

    @property
    def approvals(self) -> int:
        return sum(1 for a in self.current.values() if a.verdict == APPROVE)

    @property
    def approved_by(self) -> tuple[str, ...]:
        return tuple(r for r in self.asked if self.current.get(r, _NONE).verdict == APPROVE)

    @property
    def open_suggestions(self) -> tuple[Answer, ...]:
        return tuple(a for a in self.current.values() if a.verdict == SUGGEST and a.status == OPEN)

    @property
    def owing(self) -> tuple[str, ...]:
        """Who has not answered yet, in the order they were asked."""
        return tuple(r for r in self.asked if r not in self.current)

    def answered_text(self) -> str:
        """ "4 of 6 answered"."""
        return f"{self.answered} of {len(self.asked)} answered"


_NONE = Answer(0, "", "")


def current_answers(answers: Iterable[Answer]) -> dict[str, Answer]:
    """Each reviewer's answer that counts: the newest that is not superseded (by id)."""
    out: dict[str, Answer] = {}
    for answer in sorted(answers, key=lambda a: a.id):
        if answer.status != SUPERSEDED:
            out[answer.reviewer] = answer
    return out


def tally(
    asked: Sequence[str], answers: Iterable[Answer], items: Sequence[tuple[str, str]] = ()
) -> Tally:
    """The review's tally. ``items``: (ref, label) of the part's items, in order; a suggestion
    on a ref not among them (an item since removed from the draft) gets an item of its own."""
    current = {r: a for r, a in current_answers(answers).items() if r in set(asked)}
    approvals = sum(1 for a in current.values() if a.verdict == APPROVE)
    open_by_ref: dict[str, list[Answer]] = {}
    for answer in current.values():
        if answer.verdict == SUGGEST and answer.status == OPEN:
            open_by_ref.setdefault(answer.item, []).append(answer)
    rows = [
        ItemTally(ref, label, approvals, tuple(open_by_ref.pop(ref, ()))) for ref, label in items
    ]
    rows += [ItemTally(ref, ref, approvals, tuple(found)) for ref, found in open_by_ref.items()]
    return Tally(tuple(asked), current, tuple(rows))
