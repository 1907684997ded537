"""bot/admin/settings_form.py: `/pacer` alone opens the team settings for managers, through
signed requests against the local Slack stand-in; a rep's submission is refused; a good one is
applied as one new process version with the roster and channel, or not at all. (What the form
shows: test_settings_view.py; reading a submission: test_settings_input.py.)

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process)."""

import json
from datetime import date

import pytest

from storage import process_queries
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
from tests.bot.support import AE, MGR, SDR

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
    # Dated changes from today (Tue 24 Nov), like `/pacer goal`: Monday keeps the old goals.
    today, monday = date(2026, 11, 24), date(2026, 11, 23)
    assert str(p.goal_for("sdr", "calls", on=today)) == "50/day"
    assert str(p.goal_for("sdr", "calls", on=monday)) == "60/day"
    assert str(p.goal_for("sdr", "meetings_scheduled", on=today)) == "7.5/week"
    assert p.goal_for("ae", "deals", on=today) is None
    assert {(c.effective, c.by) for c in p.goal_changes} == {(today, MGR)}
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
