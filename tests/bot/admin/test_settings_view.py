"""bot/admin/settings_view.py: what the team settings form shows (the roster, the channel, the
goals in the process's own units, the schedule, who sees scorecards), its values riding in its
private_metadata, and Slack's limits kept whatever the team or the process (100 blocks, 3,000
characters of metadata); and the confirmation that replaces it once saved.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process)."""

import json
from datetime import date, datetime

import pytest

from bot.admin.settings_view import (
    COMMON_TIMEZONES,
    ROSTER_LIMIT,
    amount_text,
    build_view,
    goal_unit,
    saved_view,
    snapshot,
)
from rituals.process import Goal, Process, default_process, load_process_dict
from rituals.process.goal_history import with_goal_change
from storage import people_queries
from storage.models import Member, SalesTeam
from tests.bot.form_support import (
    block_ids,
    checked_view,
    named_rig,
    open_form,
    state_of,
    team,
    view_text,
)
from tests.bot.support import ADMIN, AE, MGR, SDR

ADDED = datetime.fromisoformat("2026-11-02T09:00:00-05:00")


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


def a_team(channel: str | None = None) -> SalesTeam:
    return SalesTeam(
        id=3, workspace_id=1, name="Sales <East>", channel_id=channel, created_at=ADDED
    )


def a_member(user: str, role: str | None, manager: bool = False) -> Member:
    return Member(
        workspace_id=1,
        team_id=3,
        user_id=user,
        role=role,
        is_manager=manager,
        added_by=ADMIN,
        added_at=ADDED,
    )


def edited(change) -> Process:
    """The default process with ``change(data)`` applied to its dict."""
    data = default_process().to_dict()
    change(data)
    return load_process_dict(data)


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


# -- moved from test_settings_form.py ---------------------------------------------------------


def test_a_big_team_keeps_its_roster_out_of_the_form(rig):
    with rig.services.unit_of_work() as session:
        first = people_queries.teams(session)[0]
        session.add_all(
            Member(
                workspace_id=first.workspace_id,
                team_id=first.id,
                user_id=f"U{i:08d}",
                role="sdr",
                added_by=ADMIN,
                added_at=rig.now,
            )
            for i in range(45)
        )
        session.commit()
    view = open_form(rig, "/pacer", ADMIN)
    assert "role:sdr" not in block_ids(view) and "managers" not in block_ids(view)
    assert "48 people are on the team" in view_text(view) and "/pacer team" in view_text(view)
    assert len(view["private_metadata"]) <= 3000


def test_a_process_with_many_roles_keeps_the_form_under_100_blocks(rig):

    data = default_process().to_dict()
    sdr = next(r for r in data["roles"] if r["key"] == "sdr")
    for i in range(30):
        data["roles"].append({**sdr, "key": f"pod{i}", "name": f"Pod {i}", "aliases": {}})
    big = load_process_dict(data)
    view = checked_view(build_view(big, team(rig), [], version=7))
    ids = block_ids(view)
    assert "role:pod29" in ids and not any(i.startswith("goal:") for i in ids)
    assert "/pacer goal sdr calls 60/day" in view_text(view)
    assert "ritual:daily" in ids and "visibility" in ids  # the rest of the form is all there


# -- the form as data -------------------------------------------------------------------------


def test_goals_are_shown_as_typed_in_the_unit_the_process_states():
    assert [amount_text(v) for v in (60.0, 60, 2.5, 7.25, 1e6)] == [
        "60",
        "60",
        "2.5",
        "7.25",
        "1000000",
    ]
    process = default_process()
    assert goal_unit(process, "sdr", "calls") == "day"
    assert goal_unit(process, "sdr", "meetings_scheduled") == "week"
    assert goal_unit(process, "ae", "deals") == "month"

    def no_goals(data):
        data["roles"][0]["goals"] = {}

    bare = edited(no_goals)  # without a goal: per day for an activity, per month for a result
    assert goal_unit(bare, "sdr", "meetings_scheduled") == "day"
    assert goal_unit(bare, "sdr", "sao") == "month"


def test_the_snapshot_is_what_the_form_shows_and_rides_in_its_metadata():
    process = default_process()
    people = [a_member(SDR, "sdr"), a_member(AE, "ae"), a_member(MGR, None, manager=True)]
    shown = snapshot(process, a_team("C0SALES01"), people)
    assert shown["team"] == 3 and shown["channel"] == "C0SALES01"
    assert shown["roster"] == {"roles": {"sdr": [SDR], "ae": [AE]}, "managers": [MGR]}
    assert shown["goals"]["sdr:calls"] == 60 and shown["goals"]["ae:deals"] == 4
    assert shown["days"] == ["mon", "tue", "wed", "thu", "fri"]
    assert shown["hours"] == ["09:00", "17:00"] and shown["timezone"] == "America/New_York"
    assert shown["rituals"]["daily"] == "17:30" and shown["weekly_day"] == "mon"
    assert shown["visibility"] == "public"
    view = checked_view(build_view(process, a_team("C0SALES01"), people, version=None))
    assert json.loads(view["private_metadata"]) == shown
    values = state_of(view)  # the form opens with the snapshot's values
    assert values["role:ae"]["value"]["selected_users"] == [AE]
    assert values["goal:ae:deals"]["value"]["value"] == "4"
    assert values["days"]["value"]["selected_options"][0]["value"] == "mon"
    assert values["visibility"]["value"]["selected_option"]["value"] == "public"
    assert "*Sales &lt;East&gt;* · the built-in process" in view_text(view)


def test_a_ritual_turned_off_or_a_goal_not_set_opens_empty():
    def sparse(data):
        data["rituals"]["nudges"] = "off"
        del data["roles"][0]["goals"]["conversations"]

    process = edited(sparse)
    shown = snapshot(process, a_team(), [])
    assert shown["rituals"]["nudges"] is None and shown["goals"]["sdr:conversations"] is None
    view = checked_view(build_view(process, a_team(), [], version=4))
    assert "initial_time" not in block(view, "ritual:nudges")["element"]
    goal = block(view, "goal:sdr:conversations")
    assert "initial_value" not in goal["element"]
    assert goal["hint"]["text"] == "No goal yet: without one there is no pace."
    assert "process version 4" in view_text(view)


def test_the_channel_is_required_once_the_team_has_one():
    without = block(build_view(default_process(), a_team(), [], None), "channel")
    assert without["optional"] is True and "initial_conversation" not in without["element"]
    with_one = block(build_view(default_process(), a_team("C0SALES01"), [], None), "channel")
    assert with_one["optional"] is False
    assert with_one["element"]["initial_conversation"] == "C0SALES01"


def test_a_timezone_outside_the_common_list_is_offered_first():
    process = edited(lambda data: data.update(timezone="Asia/Kathmandu"))
    assert "Asia/Kathmandu" not in COMMON_TIMEZONES
    zone = block(checked_view(build_view(process, a_team(), [], None)), "timezone")["element"]
    assert zone["options"][0]["value"] == "Asia/Kathmandu"
    assert zone["initial_option"]["value"] == "Asia/Kathmandu"
    assert len(zone["options"]) == len(COMMON_TIMEZONES) + 1


def test_people_with_a_role_no_longer_in_the_process_are_left_as_they_are():
    people = [a_member(SDR, "sdr"), a_member(AE, "bdr"), a_member("U0BDR0002", "bdr")]
    view = checked_view(build_view(default_process(), a_team(), people, None))
    assert "2 people have a role no longer in the process" in view_text(view)
    assert AE not in json.dumps(state_of(view))  # in no picker: the form can't move them


def test_more_people_than_the_roster_limit_are_left_to_pacer_team_unless_whole():
    people = [a_member(f"U{i:08d}", "sdr") for i in range(ROSTER_LIMIT + 1)]
    assert snapshot(default_process(), a_team(), people)["roster"] is None
    whole = snapshot(default_process(), a_team(), people, whole=True)["roster"]
    assert len(whole["roles"]["sdr"]) == ROSTER_LIMIT + 1  # what a submission is compared with
    exactly = people[:ROSTER_LIMIT]
    assert snapshot(default_process(), a_team(), exactly)["roster"] is not None


# -- the confirmation -------------------------------------------------------------------------


def test_the_confirmation_lists_what_changed_and_the_version_stored():
    assert "Nothing changed: every field was as it was." in view_text(saved_view([], None))
    saved = view_text(checked_view(saved_view(["timezone Europe/London"], 5)))
    assert "Saved as process version 5:\n• timezone Europe/London" in saved
    assert "The clock follows the new schedule" in saved
    roster_only = view_text(saved_view([f"<@{SDR}> off the team"], None))
    assert f"Saved:\n• <@{SDR}> off the team" in roster_only
    assert "process version" not in roster_only and "clock" not in roster_only
    many = view_text(checked_view(saved_view([f"goal sdr k{i} 1/day" for i in range(45)], 6)))
    assert "• goal sdr k39 1/day" in many and "k40" not in many
    assert "…and 5 more." in many


def test_the_form_shows_the_goals_in_force_today_not_a_coming_change():
    from_dec = with_goal_change(
        default_process(), "sdr", "calls", Goal(8, "week"), date(2026, 12, 1), by=None, at=None
    )
    today = date(2026, 11, 24)
    shown = snapshot(from_dec, a_team(), [], today=today)
    assert shown["goals"]["sdr:calls"] == 60 and goal_unit(from_dec, "sdr", "calls", today) == "day"
    later = snapshot(from_dec, a_team(), [], today=date(2026, 12, 1))
    assert later["goals"]["sdr:calls"] == 8
