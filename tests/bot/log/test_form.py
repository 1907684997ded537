"""bot/log/form.py: the `/log` form through signed requests against the local Slack stand-in:
opened with the command's trigger_id (a valid Block Kit view of at most 100 blocks), every
mistake shown on its field with nothing stored, a good submission stored once (delivered twice,
counted once), and "Log activity" on a digest opening it.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (the default process)."""

import json

import pytest
from slack_sdk.models.views import View

from tests.bot.button_support import NOBODY as NO_TEAM
from tests.bot.button_support import SALES, buttons, channel_rig, digest_post, press
from tests.bot.form_support import (
    block_ids,
    checked_view,
    logs,
    named_rig,
    open_form,
    submit,
    view_text,
)
from tests.bot.support import MGR, SDR

NOBODY = "U0NOBODY1"


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


@pytest.fixture
def posting_team(tmp_path):
    """The team posting in #sales, with 40 calls logged."""
    yield from channel_rig(tmp_path)


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
    assert "this week 17 of 240" in text  # the slash command's 5 and the form's 12
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


# -- "Log activity" on a digest ---------------------------------------------------------------


def test_log_activity_on_a_digest_opens_the_log_form(posting_team):
    rig = posting_team
    value = buttons(digest_post(rig))["digest_log"]["value"]
    assert press(rig, SDR, "digest_log", value, channel=SALES) == []  # nothing said: a form
    [opened] = rig.slack.calls_to("views.open")
    view = opened.params["view"]
    View(**view).validate_json()
    assert view["callback_id"] == "log_activity" and opened.params["trigger_id"]
    press(rig, NO_TEAM, "digest_log", value, channel=SALES)
    refusal = rig.slack.calls_to("views.open")[-1].params["view"]
    assert "callback_id" not in refusal and "not on a sales team" in json.dumps(refusal)
