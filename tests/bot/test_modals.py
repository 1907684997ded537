"""The `/log` form and the team settings form, through signed requests against the local Slack
stand-in: each form opened (views.open with the command's trigger_id, a valid Block Kit view of
at most 100 blocks), every mistake shown on its field with nothing stored, good submissions
stored once (a submission delivered twice counts once), and the settings applied as one new
process version, or not at all.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process)."""

import json

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.models.views import View
from sqlmodel import select

from rituals.teams import team_process
from simulator.signed_requests import (
    command_body,
    interaction_body,
    new_trigger_id,
    signed_headers,
    view_submission_payload,
)
from simulator.slack_standin import SlackStandin
from storage import people_queries, process_queries
from storage.models import ActivityLog, Member, ProcessVersion
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig

TEAM = "T0RIG0001"
SDR2, NEWBIE, NOBODY = "U0SDR0002", "U0NEW0001", "U0NOBODY1"


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        slack.add_user(SDR, "Maria Lopez")
        slack.add_user(SDR2, "Sam Ray")
        slack.add_user(AE, "Alex Chen")
        slack.add_user(MGR, "Morgan Boss")
        rig = Rig(tmp_path, slack)
        rig.team()
        yield rig
        rig.services.background.shutdown(wait=True)


# -- helpers ----------------------------------------------------------------------------------


def open_form(rig, command: str, user: str) -> dict:
    """Type the command alone; the form Slack was asked to open (checked as Block Kit)."""
    before = len(rig.slack.calls_to("views.open"))
    trigger = new_trigger_id()
    body = command_body(command, "", user, team_id=TEAM, trigger_id=trigger)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200 and response.body == ""  # an empty acknowledgement
    calls = rig.slack.calls_to("views.open")
    assert len(calls) == before + 1
    assert calls[-1].params["trigger_id"] == trigger
    return checked_view(calls[-1].params["view"])


def checked_view(view: dict) -> dict:
    View(**view).validate_json()  # slack_sdk's own checks
    assert len(view["blocks"]) <= 100
    return view


def submit(rig, user: str, callback: str, values: dict, *, metadata="", view_id="V0FORM001"):
    payload = view_submission_payload(
        user, callback, values, team_id=TEAM, private_metadata=metadata, view_id=view_id
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def block_ids(view: dict) -> list[str]:
    return [b.get("block_id") for b in view["blocks"] if b.get("type") == "input"]


def state_of(view: dict) -> dict:
    """The state Slack would send for a form submitted as it opened."""
    values = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind, state = element["type"], {"type": element["type"]}
        if kind == "multi_users_select":
            state["selected_users"] = list(element.get("initial_users", []))
        elif kind == "conversations_select":
            state["selected_conversation"] = element.get("initial_conversation")
        elif kind in ("static_select", "radio_buttons"):
            state["selected_option"] = element.get("initial_option")
        elif kind == "checkboxes":
            state["selected_options"] = list(element.get("initial_options", []))
        elif kind == "timepicker":
            state["selected_time"] = element.get("initial_time")
        elif kind == "datepicker":
            state["selected_date"] = element.get("initial_date")
        else:
            state["value"] = element.get("initial_value")
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def put(values: dict, block_id: str, **state) -> None:
    values[block_id]["value"].update(state)


def logs(rig) -> list[ActivityLog]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(ActivityLog).order_by(ActivityLog.id)))


def versions(rig) -> list[ProcessVersion]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(ProcessVersion).order_by(ProcessVersion.id)))


def members(rig) -> dict[str, tuple[str | None, bool, bool]]:
    """user -> (role, manager, active)."""
    with rig.services.unit_of_work() as session:
        rows = session.exec(select(Member))
        return {m.user_id: (m.role, m.is_manager, m.active) for m in rows}


def team(rig):
    with rig.services.unit_of_work() as session:
        return people_queries.teams(session)[0]


def process(rig):
    with rig.services.unit_of_work() as session:
        return team_process(session, people_queries.teams(session)[0].id)[0]


def view_text(view: dict) -> str:
    return "\n".join(
        b["text"]["text"] if "text" in b else b["elements"][0]["text"]
        for b in view["blocks"]
        if "text" in b or b.get("type") == "context"
    )


# -- /log alone -------------------------------------------------------------------------------


def test_log_alone_opens_the_form_with_the_reps_own_kpis_and_their_today(rig):
    rig.slack.add_user(SDR, "Maria Lopez", tz="Asia/Tokyo")  # she moved
    rig.now = rig.now.replace(day=25, hour=12)  # Wednesday noon in New York
    rig.text("/scorecard", "", SDR)  # Pacer reads her day-old profile from Slack again
    view = open_form(rig, "/log", SDR)
    assert view["callback_id"] == "log_activity"
    # The SDR's own KPIs; Sales Accepted Opportunities are credited by the AE, not typed.
    assert block_ids(view) == [
        "kpi:calls",
        "kpi:conversations",
        "kpi:meetings_scheduled",
        "date",
        "note",
    ]
    calls = next(b for b in view["blocks"] if b.get("block_id") == "kpi:calls")
    assert calls["optional"] and calls["element"]["type"] == "number_input"
    assert calls["element"]["max_value"] == "500" and "Goal 60/day" in calls["hint"]["text"]
    day = next(b for b in view["blocks"] if b.get("block_id") == "date")
    assert day["element"]["initial_date"] == "2026-11-26"  # Thursday 02:00 in Tokyo
    assert "Asia/Tokyo" in day["hint"]["text"] and "Thu 12 Nov" in day["hint"]["text"]
    assert "(14 days)" in day["hint"]["text"]


def test_the_form_for_someone_without_a_scorecard_says_why(rig):
    view = open_form(rig, "/log", NOBODY)
    assert "callback_id" not in view and "submit" not in view
    assert "You're not on a sales team in Pacer yet" in view_text(view)
    view = open_form(rig, "/log", MGR)
    assert "manager without a scorecard" in view_text(view)
    assert "/log" in rig.text("/log", "help", SDR)  # the help is still there, not a form
    assert len(rig.slack.calls_to("views.open")) == 2


def form_values(**counts) -> dict:
    values = {
        f"kpi:{key}": {"value": {"type": "number_input", "value": counts.get(key)}}
        for key in ("calls", "conversations", "meetings_scheduled")
    }
    values["date"] = {"value": {"type": "datepicker", "selected_date": counts.get("day")}}
    values["note"] = {"value": {"type": "plain_text_input", "value": counts.get("note")}}
    return values


@pytest.mark.parametrize(
    "fields, block, error",
    [
        ({"calls": "2.5"}, "kpi:calls", "2.5 isn't a whole number"),
        ({"calls": "twelve"}, "kpi:calls", "twelve isn't a whole number"),
        ({"conversations": "0"}, "kpi:conversations", "Counts start at 1"),
        ({"conversations": "-3"}, "kpi:conversations", "Counts start at 1"),
        ({"calls": "501"}, "kpi:calls", "the most one log can record is 500"),
        ({"calls": "5", "day": "2026-11-25"}, "date", "Wed 25 Nov is in the future"),
        ({"calls": "5", "day": "2026-11-09"}, "date", "the oldest day you can log is Tue 10 Nov"),
        ({"calls": "5", "day": None}, "date", "Pick the day it happened"),
        ({}, "kpi:calls", "Fill in at least one number"),
    ],
)
def test_each_mistake_shows_on_its_field_and_nothing_is_stored(rig, fields, block, error):
    fields.setdefault("day", "2026-11-24")
    answer = submit(rig, SDR, "log_activity", form_values(**fields))
    assert answer["response_action"] == "errors"
    assert error in answer["errors"][block]
    assert list(answer["errors"]) == [block]
    assert "`" not in json.dumps(answer)  # plain text under the field
    assert logs(rig) == []


def test_several_mistakes_at_once_are_all_shown(rig):
    answer = submit(
        rig, SDR, "log_activity", form_values(calls="1000", conversations="x", day="2026-12-01")
    )
    assert set(answer["errors"]) == {"kpi:calls", "kpi:conversations", "date"}
    assert logs(rig) == []


def test_a_good_form_is_logged_once_and_counts_with_the_slash_command(rig):
    rig.text("/log", "calls 5", SDR)
    values = form_values(calls="12", conversations="3", day="2026-11-23", note="Acme <!channel>")
    answer = submit(rig, SDR, "log_activity", values, view_id="V0LOG0001")
    assert answer["response_action"] == "update"
    view = checked_view(answer["view"])
    text = view_text(view)
    assert "Logged *12 Calls / Emails*, *3 Conversations* · Mon 23 Nov" in text
    assert "this week 17 of 300" in text  # the slash command's 5 and the form's 12
    assert "<!channel>" not in json.dumps(view) and "&lt;!channel&gt;" in text
    modal = [row for row in logs(rig) if row.source == "modal"]
    assert [(r.kpi, r.count, str(r.occurred_on)) for r in modal] == [
        ("calls", 12, "2026-11-23"),
        ("conversations", 3, "2026-11-23"),
    ]
    assert {r.note for r in modal} == {"Acme <!channel>"}
    assert {r.trigger_id for r in modal} == {"view:V0LOG0001:1"}
    published = rig.slack.calls_to("views.publish")  # the Home tab follows the log
    assert published and published[-1].params["user_id"] == SDR
    # Slack delivering the same submission again counts nothing more.
    again = submit(rig, SDR, "log_activity", values, view_id="V0LOG0001")
    assert "counted once" in view_text(again["view"])
    assert len(logs(rig)) == 3
    assert "*17* counted from 2 logs" in rig.text("/scorecard", "calls", SDR)


def test_a_kpi_the_rep_does_not_log_themselves_is_refused_on_its_field(rig):
    values = form_values(calls="2", day="2026-11-24")
    values["kpi:sao"] = {"value": {"type": "number_input", "value": "1"}}
    answer = submit(rig, SDR, "log_activity", values)
    assert "no longer one you log yourself" in answer["errors"]["kpi:sao"]
    assert logs(rig) == []


def test_the_form_submitted_by_someone_on_no_team_is_refused(rig):
    answer = submit(rig, NOBODY, "log_activity", form_values(calls="3", day="2026-11-24"))
    assert answer["response_action"] == "update"
    assert "not on a sales team" in json.dumps(answer["view"])
    assert logs(rig) == []


# -- /pacer alone -----------------------------------------------------------------------------


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
    from bot.admin.settings_view import build_view
    from rituals.process import default_process, load_process_dict

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
