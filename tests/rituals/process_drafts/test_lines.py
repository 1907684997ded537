"""A process file's problems by line."""

from rituals.process import ProcessError, load_process_text
from rituals.process.problems import Problem
from rituals.process_drafts.lines import by_line, line_of

TEXT = """name: Team
journey:
  - {key: first, name: First}
  - key: second
    name: Second
kpis:
  - {key: calls, name: Calls, kind: sometimes}
roles:
  - key: sdr
    goals: {calls: lots}
"""


def test_paths_find_their_lines_or_the_nearest_place_above():
    from rituals.process_drafts.lines import _index

    index = _index(TEXT)
    assert line_of(index, "journey[1].name") == 5
    assert line_of(index, "journey.second") == 4
    assert line_of(index, "kpis.calls.kind") == 7
    assert line_of(index, "roles.sdr.goals.calls") == 10
    assert line_of(index, "roles.sdr.scorecard") == 9  # not in the file: its role's line
    assert line_of(index, "rituals.daily") is None


def test_problems_come_in_file_order_with_their_lines():
    try:
        load_process_text(TEXT)
    except ProcessError as error:
        lines = by_line(TEXT, error.problems)
    assert lines[0].startswith("activities: required section is missing")  # no line: first
    ordered = [line for line in lines if line.startswith("line ")]
    assert ordered[0].startswith("line 7 (kpis.calls.kind): kind 'sometimes'")
    assert ordered == sorted(ordered, key=lambda t: int(t.split()[1]))


def test_a_syntax_error_keeps_its_own_line_and_broken_yaml_has_no_index():
    problems = [Problem("line 3, column 1", "YAML syntax error", "fix it")]
    assert by_line("a: [\n", problems) == ["line 3, column 1: YAML syntax error. Fix: fix it."]
