"""Where a contest stands as of an instant, and its result: counted as of its close and frozen
by the first run that computes it (compare-and-set; first freeze wins)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rituals.contests.timing import closes_at
from rituals.scales import shown_number
from storage import contest_queries
from storage.models import Contest
from storage.unit_of_work import Session


@dataclass(frozen=True)
class Place:
    rank: int  # ties share a rank: 1, 2, 2, 4
    user_id: str
    count: int
    group: str = ""


@dataclass(frozen=True)
class GroupScore:
    rank: int
    name: str
    score: float  # the total (sum) or the total per rep (average)
    total: int
    size: int


@dataclass(frozen=True)
class Standings:
    """Where a contest stands at ``as_of``: every entrant best first, the groups (teams), and
    who wins if it ended now (user ids for race and target, group names for teams; empty when
    nobody does). ``final``: the frozen result."""

    contest_id: int
    kind: str
    kpi: str
    target: int | None
    scoring: str
    as_of: datetime
    places: tuple[Place, ...]
    groups: tuple[GroupScore, ...] = ()
    winners: tuple[str, ...] = ()
    final: bool = False

    @property
    def tie(self) -> bool:
        return self.kind != "target" and len(self.winners) > 1

    @property
    def total(self) -> int:
        return sum(p.count for p in self.places)

    @property
    def logged(self) -> int:
        return sum(1 for p in self.places if p.count > 0)

    def reached(self) -> tuple[Place, ...]:
        if self.target is None:
            return ()
        return tuple(p for p in self.places if p.count >= self.target)

    def chasing(self) -> tuple[Place, ...]:
        if self.target is None:
            return self.places
        return tuple(p for p in self.places if p.count < self.target)

    def place_of(self, user_id: str) -> Place | None:
        return next((p for p in self.places if p.user_id == user_id), None)

    def to_json(self) -> str:
        return json.dumps(
            {
                "contest_id": self.contest_id,
                "kind": self.kind,
                "kpi": self.kpi,
                "target": self.target,
                "scoring": self.scoring,
                "as_of": self.as_of.astimezone(UTC).isoformat(),
                "places": [[p.rank, p.user_id, p.count, p.group] for p in self.places],
                "groups": [[g.rank, g.name, g.score, g.total, g.size] for g in self.groups],
                "winners": list(self.winners),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Standings:
        data = json.loads(text)
        return cls(
            contest_id=data["contest_id"],
            kind=data["kind"],
            kpi=data["kpi"],
            target=data["target"],
            scoring=data["scoring"],
            as_of=datetime.fromisoformat(data["as_of"]),
            places=tuple(Place(r, u, c, g) for r, u, c, g in data["places"]),
            groups=tuple(GroupScore(r, n, s, t, z) for r, n, s, t, z in data["groups"]),
            winners=tuple(data["winners"]),
            final=True,
        )


def _ranked(values: list[tuple[float, str]]) -> list[tuple[int, float, str]]:
    """(value, key) pairs best first with shared ranks (1, 2, 2, 4), ties listed by key. Ties
    are decided on the value as printed (a group average of 12.25 and one of 12.3 both read 12.3,
    so they share a place)."""
    ordered = sorted(values, key=lambda v: (-shown_number(v[0]), v[1]))
    out, previous, place = [], None, 0
    for position, (value, key) in enumerate(ordered, 1):
        if shown_number(value) != previous:
            place, previous = position, shown_number(value)
        out.append((place, value, key))
    return out


def build_standings(
    contest: Contest, counts: Sequence[contest_queries.EntrantCount], as_of: datetime
) -> Standings:
    """The standings from each entrant's total (pure: no query)."""
    group_of = {c.user_id: c.group_name for c in counts}
    count_of = {c.user_id: c.total for c in counts}
    places = tuple(
        Place(rank, user_id, int(value), group_of[user_id])
        for rank, value, user_id in _ranked([(c.total, c.user_id) for c in counts])
    )
    groups: tuple[GroupScore, ...] = ()
    winners: tuple[str, ...] = ()
    if contest.kind == "teams":
        members: dict[str, list[str]] = {}
        for c in counts:
            members.setdefault(c.group_name, []).append(c.user_id)
        scores = []
        for name, ids in members.items():
            total = sum(count_of[u] for u in ids)
            score = total / len(ids) if contest.scoring == "average" else float(total)
            scores.append((score, name, total, len(ids)))
        info = {name: (total, size) for _, name, total, size in scores}
        groups = tuple(
            GroupScore(rank, name, score, *info[name])
            for rank, score, name in _ranked([(s, n) for s, n, _, _ in scores])
        )
        winners = tuple(g.name for g in groups if g.rank == 1 and g.total > 0)
    elif contest.kind == "target":
        winners = tuple(
            p.user_id for p in places if contest.target is not None and p.count >= contest.target
        )
    else:
        winners = tuple(p.user_id for p in places if p.rank == 1 and p.count > 0)
    return Standings(
        contest_id=contest.id,
        kind=contest.kind,
        kpi=contest.kpi,
        target=contest.target,
        scoring=contest.scoring,
        as_of=as_of.astimezone(UTC),
        places=places,
        groups=groups,
        winners=winners,
    )


def standings_at(session: Session, contest: Contest, as_of: datetime) -> Standings:
    """The standings as of an instant (capped at the contest's close), from one statement."""
    as_of = min(as_of.astimezone(UTC), closes_at(contest))
    counts = contest_queries.entrant_totals(session, contest, as_of)
    return build_standings(contest, counts, as_of)


def final_result(session: Session, contest: Contest, now: datetime) -> Standings:
    """The contest's result: the frozen one, or computed as of its close and frozen now (the
    first freeze wins; a run that loses reads the winner's). Only once it has closed. The freeze
    is flushed, not committed: it is the caller's unit of work's. ``contest`` is refreshed with
    the stored result."""
    if contest.result is None:
        if now < closes_at(contest):
            raise ValueError(f"contest {contest.id} has not closed yet")
        result = standings_at(session, contest, closes_at(contest))
        contest_queries.freeze_result(session, contest.id, result.to_json(), closes_at(contest))
        fresh = contest_queries.get_contest(session, contest.id)
        contest.result, contest.status, contest.ended_at = (
            fresh.result,
            fresh.status,
            fresh.ended_at,
        )
    return Standings.from_json(contest.result)


def changes_since_result(session: Session, contest: Contest) -> list[contest_queries.LateChange]:
    """Logs voided or stored after the result was frozen: recorded, but the result stands."""
    if contest.result is None:
        return []
    as_of = Standings.from_json(contest.result).as_of
    return contest_queries.changes_after(session, contest, as_of)
