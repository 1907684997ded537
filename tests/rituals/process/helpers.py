"""What the process tests share: the default process as data, problem finders, strategies."""

from __future__ import annotations

import copy

import pytest
from hypothesis import strategies as st

from rituals.process import (
    Problem,
    Process,
    ProcessError,
    default_process,
    load_process_dict,
    load_process_text,
)


def base() -> dict:
    """A fresh, mutable copy of the default process as plain data."""
    return copy.deepcopy(default_process().to_dict())


def problems_of(data) -> list[Problem]:
    with pytest.raises(ProcessError) as info:
        if isinstance(data, str):
            load_process_text(data)
        else:
            load_process_dict(data)
    assert info.value.problems, "a ProcessError always lists its problems"
    return info.value.problems


def paths(data) -> list[str]:
    return [p.path for p in problems_of(data)]


def problem_at(data, path: str) -> Problem:
    found = [p for p in problems_of(data) if p.path == path]
    assert found, f"no problem at {path}: {[str(p) for p in problems_of(data)]}"
    return found[0]


def role_dict(data: dict, key: str) -> dict:
    return next(r for r in data["roles"] if r["key"] == key)


def kpi_dict(data: dict, key: str) -> dict:
    return next(k for k in data["kpis"] if k["key"] == key)


def with_rituals(**rituals) -> dict:
    data = base()
    data["rituals"] = rituals
    return data


def load_never_crashes(load, value) -> None:
    try:
        result = load(value)
    except ProcessError as exc:
        assert exc.problems
        assert all(isinstance(p, Problem) and p.path is not None for p in exc.problems)
        assert not any("internal error" in p.message for p in exc.problems), str(exc)
        str(exc)
    else:
        assert isinstance(result, Process)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["calls", "sdr", "60/day", "09:00", "leading", "U0123ABCD", "mon-fri"])
)


nested = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=12) | st.integers() | st.none(), children, max_size=5)
    ),
    max_leaves=25,
)


ritual_values = (
    nested
    | st.sampled_from(["off", "on", "17:30", "5pm", "fri 16:00", "25:00", True, False])
    | st.fixed_dictionaries(
        {},
        optional={
            "at": nested | st.sampled_from(["09:00", "9", "noon"]),
            "day": nested | st.sampled_from(["mon", "funday"]),
            "enabled": nested | st.booleans(),
            "kpis": nested | st.sampled_from([["calls"], "calls, deals", ["dials"]]),
        },
    )
)
