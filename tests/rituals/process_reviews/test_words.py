"""rituals/process_reviews/words.py: a part of the process in plain words."""

import pytest

from rituals.process import default_process
from rituals.process_reviews import part_lines, part_title


def test_the_journey_is_a_numbered_list_with_activity_and_kpis():
    lines = part_lines(default_process(), "journey")
    assert lines[0] == "1. Receives Call/Email — Call Lead, counted by Calls / Emails (leading)"
    assert lines[5] == "6. Purchase — Close Deal, counted by Deals Closed (lagging)"
    assert len(lines) == 6


def test_activities_scorecards_and_all_parts():
    process = default_process()
    assert part_lines(process, "activities")[0] == (
        "1. Call Lead → moves a prospect to Receives Call/Email; counted by Calls / Emails "
        "(leading)"
    )
    lines = part_lines(process, "scorecards")
    assert lines[0].startswith("Sales Development Rep: Calls / Emails 60/day, Conversations 12/day")
    assert lines[0].endswith("(3 leading + 1 lagging)")
    everything = part_lines(process, "all")
    assert everything[0] == "The buyer's journey:" and "The scorecards and goals:" in everything
    assert part_title("all") == "the whole process" and part_title("odd") == "odd"
    with pytest.raises(ValueError):
        part_lines(process, "goals")
