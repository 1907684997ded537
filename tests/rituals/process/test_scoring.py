"""rituals/process/scoring.py: the overall score's cap and weights, and the `scoring:` entry of a
role in the process file, checked like the rest of the file (rituals/process/role_checks.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rituals.process import default_process, dump_process, load_process_dict, load_process_text
from rituals.process.scoring import DEFAULT_SCORING, Scoring
from tests.rituals.process.helpers import base, problem_at, problems_of, role_dict


def test_without_scoring_every_kpi_weighs_one_and_the_cap_is_150_percent():
    for role in default_process().roles:
        assert role.scoring == DEFAULT_SCORING
    assert DEFAULT_SCORING.overall({"calls": 2.0, "conversations": 0.5}) == pytest.approx(1.0)
    assert DEFAULT_SCORING.overall({}) is None
    assert "scoring" not in role_dict(default_process().to_dict(), "sdr")  # files stay as written


def test_weights_and_cap():
    scoring = Scoring(1.2, {"calls": 2, "sao": 0})
    assert scoring.overall({"calls": 1.5, "conversations": 0.6, "sao": 3}) == pytest.approx(
        (2 * 1.2 + 0.6) / 3
    )
    assert scoring.overall({"sao": 3}) is None  # nothing that weighs: no score
    assert scoring.to_dict() == {"cap": "120%", "weights": {"calls": 2, "sao": 0}}


def test_a_role_states_its_scoring_and_it_round_trips():
    data = base()
    role_dict(data, "sdr")["scoring"] = {"cap": "120%", "weights": {"Calls": 2, "sao": 0.5}}
    process = load_process_dict(data)
    sdr = process.role("sdr")
    assert (sdr.scoring.cap, dict(sdr.scoring.weights)) == (1.2, {"calls": 2.0, "sao": 0.5})
    assert process.role("ae").scoring == DEFAULT_SCORING
    text = dump_process(process)
    assert "scoring: {cap: 120%, weights: {calls: 2, sao: 0.5}}" in text
    assert load_process_text(text).role("sdr").scoring == sdr.scoring
    # an edit (a goal changed in Slack) keeps it
    assert process.with_goal("sdr", "calls", "50/day").role("sdr").scoring == sdr.scoring
    # a share written as a number works too
    role_dict(data, "sdr")["scoring"] = {"cap": 2}
    assert load_process_dict(data).role("sdr").scoring.cap == 2.0


@pytest.mark.parametrize(
    ("scoring", "path", "words"),
    [
        ({"cap": "90%"}, "roles.sdr.scoring.cap", "between 100% and 1000%"),
        ({"cap": "lots"}, "roles.sdr.scoring.cap", "between 100% and 1000%"),
        ({"cap": "2000%"}, "roles.sdr.scoring.cap", "between 100% and 1000%"),
        ({"weights": {"calls": -1}}, "roles.sdr.scoring.weights.calls", "not a weight"),
        ({"weights": {"calls": "heavy"}}, "roles.sdr.scoring.weights.calls", "not a weight"),
        ({"weights": {"calls": True}}, "roles.sdr.scoring.weights.calls", "not a weight"),
        ({"weights": {"deals": 1}}, "roles.sdr.scoring.weights.deals", "not on the sdr scorecard"),
        ({"weights": {"cals": 1}}, "roles.sdr.scoring.weights.cals", "unknown KPI"),
        ({"weights": [1, 2]}, "roles.sdr.scoring.weights", "mapping of KPI: weight"),
        ({"wieghts": {"calls": 1}}, "roles.sdr.scoring.wieghts", "unknown field"),
        ("heavy", "roles.sdr.scoring", "must be a mapping"),
    ],
)
def test_a_bad_scoring_is_refused_with_its_place_and_fix(scoring, path, words):
    data = base()
    role_dict(data, "sdr")["scoring"] = scoring
    problem = problem_at(data, path)
    assert words in problem.message
    assert problem.fix


def test_every_kpi_weighing_nothing_is_refused():
    data = base()
    role_dict(data, "sdr")["scoring"] = {
        "weights": {k: 0 for k in ["calls", "conversations", "meetings_scheduled", "sao"]}
    }
    problem = problem_at(data, "roles.sdr.scoring.weights")
    assert "every KPI weighs 0" in problem.message


def test_a_typo_in_a_weights_kpi_suggests_the_key():
    data = base()
    role_dict(data, "sdr")["scoring"] = {"weights": {"conversatons": 2}}
    [problem] = problems_of(data)
    assert "did you mean 'conversations'" in problem.fix


@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c"]), st.floats(0, 20, allow_nan=False), min_size=1
    ),
    st.floats(1, 10),
)
def test_the_overall_score_lies_between_the_capped_extremes(values, cap):
    score = Scoring(cap).overall(values)
    capped = [min(v, cap) for v in values.values()]
    assert min(capped) - 1e-9 <= score <= max(capped) + 1e-9
