"""bot/admin/settings_form.py (and its view and input modules): `/pacer` alone opens the team
settings for managers, through signed requests against the local Slack stand-in; every mistake
is shown on its field and changes nothing; a good submission is applied as one new process
version with the roster and channel, or not at all.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process)."""

import json

import pytest

from bot.admin.settings_view import build_view
from rituals.process import default_process, load_process_dict
from storage import people_queries, process_queries
from storage.models import Member
from tests.bot.form_support import (
    SDR2,
    block_ids,
    checked_view,
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

NEWBIE, NOBODY = "U0NEW0001", "U0NOBODY1"


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


def test_pacer_alone_opens_the_settings_for_managers_and_the_help_for_reps(rig):
    view = open_form(rig, "/pacer", MGR)
    assert view["callback_id"] == "team_settings"
    ids = block_ids(view)
    for block in (
        "role:sdr",
        "role:ae",
        "managers",
        "channel",
        "goal:sdr:calls",
        "goal:ae:deals",
        "timezone",
        "days",
        "hours_start",
        "hours_end",
        "ritual:daily",
        "weekly_day",
        "ritual:weekly",
        "ritual:nudges",
        "visibility",
    ):
        assert block in ids, block
    values = state_of(view)
    assert values["role:sdr"]["value"]["selected_users"] == [SDR]
    assert values["managers"]["value"]["selected_users"] == [MGR]
    assert values["goal:sdr:calls"]["value"]["value"] == "60"
    assert values["ritual:daily"]["value"]["selected_time"] == "17:30"
    assert values["timezone"]["value"]["selected_option"]["value"] == "America/New_York"
    goal = next(b for b in view["blocks"] if b.get("block_id") == "goal:sdr:meetings_scheduled")
    assert goal["label"]["text"].endswith("Meetings Scheduled per week")  # the process's unit
    for user in (SDR, NOBODY):  # the help, as before
        assert "`/pacer team add" in rig.text("/pacer", "", user)
    assert len(rig.slack.calls_to("views.open")) == 1  # no form for them


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


def test_the_settings_form_applies_every_change_as_one_process_version(rig):
    view = open_form(rig, "/pacer", MGR)
    values = state_of(view)
    put(values, "role:sdr", selected_users=[SDR, SDR2, AE])  # add Sam, move Alex
    put(values, "role:ae", selected_users=[])
    put(values, "managers", selected_users=[MGR, NEWBIE])  # a manager without a scorecard
    put(values, "channel", selected_conversation="C0SALES02")
    put(values, "goal:sdr:calls", value="50")
    put(values, "goal:ae:deals", value=None)  # no goal any more
    put(values, "goal:sdr:meetings_scheduled", value="7.5")
    put(values, "timezone", selected_option={"value": "Europe/London"})
    put(values, "days", selected_options=[{"value": d} for d in ("mon", "tue", "wed", "thu")])
    put(values, "hours_start", selected_time="08:00")
    put(values, "hours_end", selected_time="16:30")
    put(values, "ritual:daily", selected_time="16:00")
    put(values, "ritual:nudges", selected_time=None)  # off
    put(values, "weekly_day", selected_option={"value": "fri"})
    put(values, "visibility", selected_option={"value": "managers"})
    before = len(versions(rig))
    answer = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert answer["response_action"] == "update", answer
    saved = view_text(checked_view(answer["view"]))
    assert len(versions(rig)) == before + 1  # one version for every process change
    assert f"Saved as process version {versions(rig)[-1].version}" in saved
    assert "timezone Europe/London" in saved and f"<@{AE}> Sales Development Rep" in saved
    p = process(rig)
    assert p.timezone == "Europe/London" and p.visibility == "managers"
    assert str(p.role("sdr").goals["calls"]) == "50/day"
    assert str(p.role("sdr").goals["meetings_scheduled"]) == "7.5/week"
    assert "deals" not in p.role("ae").goals
    assert sorted(p.calendar.working_days) == [0, 1, 2, 3]
    assert f"{p.calendar.day_start:%H:%M}–{p.calendar.day_end:%H:%M}" == "08:00–16:30"
    assert f"{p.rituals.daily:%H:%M}" == "16:00" and p.rituals.nudges is None
    assert p.rituals.weekly_day == 4 and f"{p.rituals.weekly:%H:%M}" == "09:00"
    people = members(rig)
    assert people[SDR2] == ("sdr", False, True) and people[AE] == ("sdr", False, True)
    assert people[NEWBIE] == (None, True, True)
    assert team(rig).channel_id == "C0SALES02"
    # Sam, new on the team, is welcomed once; Alex (moved to SDR) had his welcome already.
    welcomes = [
        c.params["channel"]
        for c in rig.slack.calls_to("chat.postMessage")
        if "Welcome to" in c.params.get("text", "")
    ]
    assert welcomes.count(SDR2) == 1 and welcomes.count(AE) <= 1
    # The same form submitted again changes nothing more.
    again = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert len(versions(rig)) == before + 1 and "Nothing changed" in view_text(again["view"])


def test_taking_someone_out_of_every_list_takes_them_off_the_team(rig):
    view = open_form(rig, "/pacer", MGR)
    values = state_of(view)
    put(values, "role:ae", selected_users=[])
    before = len(versions(rig))
    answer = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert f"<@{AE}> off the team" in view_text(answer["view"])
    assert members(rig)[AE][2] is False
    assert len(versions(rig)) == before  # the process didn't change: no new version


def test_a_change_made_meanwhile_is_not_undone_by_an_older_form(rig):
    view = open_form(rig, "/pacer", MGR)
    rig.text("/pacer", "timezone Asia/Tokyo", ADMIN)  # after the form opened
    values = state_of(view)
    put(values, "goal:sdr:calls", value="40")
    submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    p = process(rig)
    assert p.timezone == "Asia/Tokyo" and str(p.role("sdr").goals["calls"]) == "40/day"


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


def test_a_rep_submitting_the_settings_form_is_refused(rig):
    view = open_form(rig, "/pacer", MGR)
    values = state_of(view)
    put(values, "timezone", selected_option={"value": "Europe/London"})
    before = len(versions(rig))
    answer = submit(rig, SDR, "team_settings", values, metadata=view["private_metadata"])
    assert answer["response_action"] == "update"
    assert "Only the team's managers and Pacer admins" in json.dumps(answer["view"])
    assert len(versions(rig)) == before and process(rig).timezone == "America/New_York"
    answer = submit(rig, MGR, "team_settings", values, metadata="not json")
    assert "from an older Pacer" in json.dumps(answer["view"])


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


def test_the_roster_and_channel_land_with_the_process_version_or_not_at_all(rig, monkeypatch):
    view = open_form(rig, "/pacer", MGR)
    values = state_of(view)
    put(values, "role:sdr", selected_users=[SDR, SDR2])
    put(values, "channel", selected_conversation="C0SALES02")
    put(values, "timezone", selected_option={"value": "Europe/London"})
    before = (members(rig), team(rig).channel_id, len(versions(rig)))

    def database_gone(*args, **kwargs):
        raise RuntimeError("the database went away while storing the version")

    monkeypatch.setattr(process_queries, "add_process_version", database_gone)
    answer = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert "changed nothing" in json.dumps(answer["view"])
    assert (members(rig), team(rig).channel_id, len(versions(rig))) == before
    monkeypatch.undo()
    answer = submit(rig, MGR, "team_settings", values, metadata=view["private_metadata"])
    assert members(rig)[SDR2] == ("sdr", False, True) and team(rig).channel_id == "C0SALES02"
    assert process(rig).timezone == "Europe/London"
