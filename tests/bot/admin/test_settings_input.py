"""bot/admin/settings_input.py: reading a submitted team settings form. Each field is checked and
a mistake is kept under its block; only what the manager changed counts, applied on top of the
newest process (a change made meanwhile stays); taking someone out of every list takes them off
the team.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process)."""

from datetime import date, timedelta

import pytest

from bot.admin.settings_input import (
    Changes,
    FormValues,
    problem_block,
    read_goal,
    read_metadata,
)
from bot.replies import Problem
from rituals.process import MAX_GOAL, default_process, load_process_dict
from storage import people_queries
from tests.bot.form_support import (
    SDR2,
    members,
    named_rig,
    open_form,
    process,
    put,
    state_of,
    submit,
    team,
    versions,
    view_text,
)
from tests.bot.support import ADMIN, AE, MGR, SDR


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


def form_of(fields: dict | None = None) -> FormValues:
    """A submitted form whose blocks hold these element states (block_id -> state)."""
    values = {block: {"value": state} for block, state in (fields or {}).items()}
    return FormValues({"state": {"values": values}})


# -- moved from test_settings_form.py ---------------------------------------------------------


def test_taking_someone_out_of_every_list_takes_them_off_the_team(rig):
    view = open_form(rig, "/pacer", MGR)
    values = state_of(view)
    put(values, "role:ae", selected_users=[])
    before = len(versions(rig))
    answer = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert f"<@{AE}> off the team" in view_text(answer["view"])
    with rig.services.unit_of_work() as session:  # today is their last day; the row stays
        ae = people_queries.get_member(session, people_queries.all_workspaces(session)[0].id, AE)
        assert (ae.active, ae.last_day) == (True, date(2026, 11, 24))
    rig.now += timedelta(days=1)
    assert "You left the team after Tue 24 Nov 2026" in rig.text("/scorecard", "", AE)
    assert len(versions(rig)) == before  # the process didn't change: no new version


def test_a_change_made_meanwhile_is_not_undone_by_an_older_form(rig):
    view = open_form(rig, "/pacer", MGR)
    rig.text("/pacer", "timezone Asia/Tokyo", ADMIN)  # after the form opened
    values = state_of(view)
    put(values, "goal:sdr:calls", value="40")
    submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    p = process(rig)
    assert p.timezone == "Asia/Tokyo" and str(p.goal_for("sdr", "calls")) == "40/day"


def test_settings_mistakes_are_shown_on_their_fields_and_change_nothing(rig):
    rig.text("/pacer", "channel <#C0SALES01|sales>", ADMIN)
    view = open_form(rig, "/pacer", MGR)
    values = state_of(view)
    put(values, "role:sdr", selected_users=[SDR, SDR2])
    put(values, "role:ae", selected_users=[AE, SDR])  # two roles
    put(values, "managers", selected_users=[])  # the manager off the managers
    put(values, "channel", selected_conversation=None)
    put(values, "goal:sdr:calls", value="0")
    put(values, "goal:sdr:conversations", value="lots")
    put(values, "timezone", selected_option={"value": "Europe/London"})
    put(values, "days", selected_options=[])
    put(values, "hours_start", selected_time="17:00")
    put(values, "hours_end", selected_time="09:00")
    before = (len(versions(rig)), members(rig), team(rig).channel_id)
    answer = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert "Maria Lopez is also picked as Sales Development Rep" in errors["role:ae"]
    assert "You can't take yourself off the managers" in errors["managers"]
    assert "Rituals need a channel" in errors["channel"]
    assert "A goal is above 0" in errors["goal:sdr:calls"]
    assert "lots isn't a number" in errors["goal:sdr:conversations"]
    assert "Tick at least one working day" in errors["days"]
    assert "must end after it starts" in errors["hours_end"]
    assert (len(versions(rig)), members(rig), team(rig).channel_id) == before
    assert process(rig).timezone == "America/New_York"  # the good field isn't applied alone


# -- more submissions through the rig ---------------------------------------------------------


def test_the_same_form_submitted_twice_changes_nothing_the_second_time(rig):
    view = open_form(rig, "/pacer", MGR)
    values = state_of(view)
    put(values, "role:sdr", selected_users=[SDR, SDR2])
    put(values, "ritual:daily", selected_time="16:00")
    first = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert f"<@{SDR2}> Sales Development Rep" in view_text(first["view"])
    assert "daily digest 16:00" in view_text(first["view"])
    again = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert "Nothing changed" in view_text(again["view"])


def test_a_direct_message_is_not_a_channel_and_an_admin_may_leave_the_managers(rig):
    view = open_form(rig, "/pacer", ADMIN)
    values = state_of(view)
    put(values, "channel", selected_conversation="D0DIRECT1")
    answer = submit(rig, ADMIN, "team_settings", values, metadata=view["private_metadata"])
    assert answer["errors"] == {"channel": "Choose a channel, not a direct message."}
    put(values, "channel", selected_conversation="C0SALES09")
    put(values, "managers", selected_users=[])  # MGR off the managers, by an admin
    answer = submit(rig, ADMIN, "team_settings", values, metadata=view["private_metadata"])
    assert answer["response_action"] == "update", answer
    assert f"<@{MGR}> off the team" in view_text(answer["view"])
    assert team(rig).channel_id == "C0SALES09"


def test_a_process_problem_is_shown_under_the_field_it_comes_from(rig):
    view = open_form(rig, "/pacer", MGR)
    values = state_of(view)
    put(values, "timezone", selected_option={"value": "Mars/Olympus_Mons"})  # a forged value
    put(values, "goal:sdr:calls", value="50")
    before = len(versions(rig))
    answer = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert answer["response_action"] == "errors", answer
    assert list(answer["errors"]) == ["timezone"], answer  # the process's check, on its field
    assert "Mars/Olympus_Mons" in answer["errors"]["timezone"]
    assert "`" not in answer["errors"]["timezone"]  # plain text under a field
    assert len(versions(rig)) == before


def test_a_nudge_time_after_the_working_day_is_a_mistake_on_its_field(rig):
    """Nudges go out only in working hours: a time that would never send one is refused."""
    view = open_form(rig, "/pacer", MGR)
    values = state_of(view)
    put(values, "ritual:nudges", selected_time="17:30")
    before = len(versions(rig))
    answer = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert answer["response_action"] == "errors", answer
    assert list(answer["errors"]) == ["ritual:nudges"], answer
    assert "no nudge would ever be sent" in answer["errors"]["ritual:nudges"]
    assert len(versions(rig)) == before


# -- the fields, one by one -------------------------------------------------------------------


def test_people_picked_twice_count_once_and_a_bad_time_is_a_mistake_on_its_field():
    form = form_of(
        {
            "role:sdr": {"selected_users": [SDR, SDR2, SDR]},
            "timezone": {"selected_option": {"value": "Europe/London"}},
            "hours_start": {"selected_time": "9:05"},
            "hours_end": {"selected_time": "25:00"},
            "ritual:daily": {"selected_time": None},
        }
    )
    assert form.users("role:sdr") == [SDR, SDR2]
    assert form.selected("timezone") == "Europe/London" and form.selected("days") is None
    assert form.time("hours_start") == "09:05" and form.errors == {}
    assert form.time("ritual:daily") is None and form.errors == {}  # empty: off
    assert form.time("hours_end") is None
    assert form.errors == {"hours_end": "Pick a time from the list, e.g. 17:30."}
    assert form.has("timezone") and not form.has("days")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("60", 60.0), (" 7.5 ", 7.5), ("1,200", 1200.0), ("", None), (None, None)],
)
def test_a_goal_is_read_as_a_number_and_empty_means_no_goal(typed, amount):
    form = form_of({"goal:sdr:calls": {"value": typed}})
    assert read_goal(form, "goal:sdr:calls") == amount and form.errors == {}


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("lots", "lots isn't a number: type a goal like 60, or leave it empty."),
        ("0", "A goal is above 0; leave the field empty for no goal."),
        ("-5", "A goal is above 0; leave the field empty for no goal."),
        ("nan", "A goal is above 0; leave the field empty for no goal."),
        ("inf", "A goal is above 0; leave the field empty for no goal."),
        (str(int(MAX_GOAL) * 10), f"{int(MAX_GOAL) * 10} is implausibly large for a goal."),
    ],
)
def test_a_goal_that_is_not_a_plausible_number_is_a_mistake_on_its_field(typed, error):
    form = form_of({"goal:sdr:calls": {"value": typed}})
    assert read_goal(form, "goal:sdr:calls") is None
    assert form.errors == {"goal:sdr:calls": error}


@pytest.mark.parametrize("metadata", ["", "not json", "[]", '{"team": "3"}', '{"roster": null}'])
def test_a_form_without_pacers_metadata_is_refused(metadata):
    with pytest.raises(Problem, match="from an older Pacer and can't be saved; nothing changed"):
        read_metadata({"private_metadata": metadata})


def test_the_metadata_the_form_opened_with_is_read_back():
    assert read_metadata({"private_metadata": '{"team":3,"goals":{}}'}) == {"team": 3, "goals": {}}


def test_a_process_problem_lands_on_the_block_of_its_field():
    blocks = ("role:sdr", "goal:sdr:calls", "goal:ae:deals", "timezone", "days")
    blocks += ("hours_start", "hours_end", "ritual:daily", "visibility")
    form = form_of(dict.fromkeys(blocks, {}))
    assert problem_block("timezone", form) == "timezone"
    assert problem_block("working_days", form) == "days"
    assert problem_block("working_hours.start", form) == "hours_start"
    assert problem_block("working_hours.end", form) == "hours_end"
    assert problem_block("working_hours", form) == "hours_end"
    assert problem_block("scorecard_visibility", form) == "visibility"
    assert problem_block("rituals.daily.at", form) == "ritual:daily"
    assert problem_block("roles.1.goals.deals", form) == "goal:ae:deals"
    assert problem_block("kpis.3.name", form) == "role:sdr"  # no field of its own: the first
    assert problem_block("rituals.nudges.at", form) == "role:sdr"  # its field isn't in the form
    assert problem_block("anything", form_of()) == "timezone"


# -- the changes, applied on top of the newest process ----------------------------------------


def test_changes_apply_on_top_of_the_newest_process_and_keep_what_they_dont_touch():
    newest = default_process().to_dict()
    newest["timezone"] = "Asia/Tokyo"  # someone else's change, made meanwhile
    newest["rituals"]["weekly"] = {"day": "wed", "at": "09:00"}
    newest["roles"][0]["goals"]["calls"] = "300/week"
    current = load_process_dict(newest)
    changes = Changes(
        edits={"scorecard_visibility": "managers"},
        rituals={"weekly": "08:00", "nudges": None, "lag_check": "10:00"},
        weekly_day="mon",  # what the form showed, unchanged: Wednesday stays
        goals={("sdr", "calls"): 250.0, ("ae", "deals"): None, ("gone", "calls"): 5.0},
    )
    assert changes.changes_process
    applied = changes.apply(current)
    assert applied.timezone == "Asia/Tokyo" and applied.visibility == "managers"
    assert applied.rituals.weekly_day == 2 and f"{applied.rituals.weekly:%H:%M}" == "08:00"
    assert applied.rituals.nudges is None
    assert f"{applied.rituals.lag_check:%H:%M}" == "10:00"
    assert applied.rituals.lag_threshold == current.rituals.lag_threshold  # the rest kept
    assert str(applied.role("sdr").goals["calls"]) == "250/week"  # in the newest's unit
    assert "deals" not in applied.role("ae").goals
    assert not applied.has_role("gone")


def test_a_weekly_day_the_form_changed_is_applied_and_turning_the_digest_off_drops_it():
    changes = Changes(rituals={"weekly": "09:00"}, weekly_day="fri", day_changed=True)
    assert changes.apply(default_process()).rituals.weekly_day == 4
    off = Changes(rituals={"weekly": None}, weekly_day="fri", day_changed=True)
    assert off.apply(default_process()).rituals.weekly is None


def test_roster_or_channel_changes_alone_make_no_process_version():
    assert not Changes(channel="C0SALES02", lines=["channel <#C0SALES02>"]).changes_process
    assert Changes(goals={("sdr", "calls"): None}).changes_process
