"""rituals/contests/spec.py: what a contest will be before it starts (its defaults), and the limits
a spec is checked against, at their edges."""

import dataclasses
from datetime import timedelta

import pytest

from rituals import contests
from rituals.contests import spec as limits
from rituals.contests.spec import ContestSpec
from tests.rituals.contests.support import NOW, PROCESS, THU, TODAY, A, B, C


def test_a_spec_defaults_to_every_rep_summed_without_a_target_or_prize():
    spec = ContestSpec("Blitz", "race", "calls", TODAY, THU)
    assert (spec.target, spec.entrants, spec.groups, spec.scoring, spec.prize) == (
        None,
        (),
        (),
        "sum",
        "",
    )
    assert spec.scoring in limits.SCORINGS
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.name = "Other"  # type: ignore[misc]
    assert spec == ContestSpec("Blitz", "race", "calls", TODAY, THU)


def test_the_kinds_scorings_and_sources_a_contest_may_have():
    assert limits.KINDS == ("race", "target", "teams")
    assert limits.SCORINGS == ("sum", "average")
    assert limits.SOURCES == ("command", "modal", "suggestion", "auto")


def fields_refused(session, team, spec: ContestSpec) -> list[str]:
    return [p.field for p in contests.plan_contest(session, team.id, PROCESS, spec, NOW).problems]


@pytest.mark.parametrize(
    ("at_the_limit", "over_it", "field"),
    [
        ({"name": "N" * limits.MAX_NAME}, {"name": "N" * (limits.MAX_NAME + 1)}, "name"),
        ({"prize": "P" * limits.MAX_PRIZE}, {"prize": "P" * (limits.MAX_PRIZE + 1)}, "prize"),
        (
            {"end_day": TODAY + timedelta(days=limits.MAX_DAYS - 1)},
            {"end_day": TODAY + timedelta(days=limits.MAX_DAYS)},
            "end",
        ),
        (
            {"kind": "target", "target": limits.MAX_TARGET},
            {"kind": "target", "target": limits.MAX_TARGET + 1},
            "target",
        ),
        ({"kind": "target", "target": 1}, {"kind": "target", "target": 0}, "target"),
        (
            {"kind": "teams", "groups": (("G" * limits.MAX_GROUP_NAME, (A, B)), ("West", (C,)))},
            {"kind": "teams", "groups": (("G" * (limits.MAX_GROUP_NAME + 1), (A,)), ("W", (C,)))},
            "groups",
        ),
        (
            {"kind": "teams", "groups": (("East", (A,)), ("West", (B,))), "scoring": "average"},
            {"kind": "teams", "groups": (("East", (A,)), ("West", (B,))), "scoring": "median"},
            "scoring",
        ),
        ({"kind": "teams", "groups": (("E", (A,)), ("W", (B,)))}, {"kind": "relay"}, "kind"),
    ],
)
def test_each_limit_at_its_edge(session, team, reps, at_the_limit, over_it, field):
    base = ContestSpec("Blitz", "race", "calls", TODAY, THU)
    assert fields_refused(session, team, dataclasses.replace(base, **at_the_limit)) == []
    assert fields_refused(session, team, dataclasses.replace(base, **over_it)) == [field]
