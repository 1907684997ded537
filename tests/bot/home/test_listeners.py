"""bot/home/listeners.py: the App Home tab's buttons (block_actions) and forms (view_submission)
through signed requests against the local Slack stand-in: the period, +1, "Log a number",
edit and void, each refusal in a small modal, and the tab re-published after every log.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (Mon–Fri 09:00–17:00, US public
holidays: Thursday 26 is Thanksgiving): 10 of the week's 32 working hours, 31%, are gone. An SDR's
goals: calls 60/day (240 this week, 60 today, 1,140 in November's 19 working days), conversations 12/day, meetings 8/week, SAO 6/month (recorded by
the AE)."""

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.models.views import View

from simulator.signed_requests import event_body, json_headers
from tests.bot.home.support import (
    EDIT,
    LOG_NUMBER,
    PLUS_ONE,
    SDR2,
    VOID,
    assert_valid_view,
    counted,
    dispatch,
    form,
    home_button,
    logs,
    open_home,
    opened_modals,
    press,
    press_payload,
    published,
    submit,
    text_of,
)
from tests.bot.support import ADMIN, MGR, SDR

# -- the period buttons -----------------------------------------------------------------------


def test_the_period_buttons_switch_the_scorecard_and_the_choice_sticks(rig):
    rig.team()
    rig.text("/log", "call 12", SDR)
    week = open_home(rig, SDR)
    press(rig, SDR, week, "home_period_day", "day")
    day = published(rig, SDR)[-1]
    assert_valid_view(day)
    assert "*Day:* Tue 24 Nov 2026" in text_of(day) and "12 of 60 (20%)" in text_of(day)
    assert home_button(day, "home_period_day")["style"] == "primary"
    press(rig, SDR, day, "home_period_month", "month")
    month = published(rig, SDR)[-1]
    assert "*Month:* November 2026" in text_of(month) and "12 of 1,140" in text_of(month)
    # A +1 pressed on the month view keeps the month, and so does opening the tab again.
    press(rig, SDR, month, PLUS_ONE, "calls")
    assert "13 of 1,140" in text_of(published(rig, SDR)[-1])
    assert "*Month:*" in text_of(open_home(rig, SDR, view=published(rig, SDR)[-1]))
    assert [(r.count, r.kpi) for r in logs(rig, source="button")] == [(1, "calls")]


# -- one-tap logging --------------------------------------------------------------------------


def test_plus_one_logs_once_even_when_slack_delivers_the_press_twice(rig):
    rig.team()
    view = open_home(rig, SDR)
    payload = press_payload(SDR, view, PLUS_ONE, "calls")
    dispatch(rig, payload)
    dispatch(rig, payload)  # Slack's retry: the same trigger_id
    [row] = logs(rig, rep_id=SDR)
    assert (row.count, row.kpi, row.source, row.entered_by) == (1, "calls", "button", SDR)
    assert row.trigger_id == payload["trigger_id"]
    first, second = published(rig, SDR)[-2:]
    assert "Logged *1 Calls / Emails* for today" in text_of(first)
    assert "reached Pacer twice" in text_of(second) and "counted once" in text_of(second)
    assert "1 of 240" in text_of(second)
    # A second, real press counts again: each press has its own trigger_id.
    press(rig, SDR, view, PLUS_ONE, "calls")
    assert counted(rig, SDR, "calls") == 2
    assert "2 of 240" in rig.text("/scorecard", "", SDR)


def test_a_refused_press_says_why_in_a_modal_and_stores_nothing(rig):
    rig.team()
    view = open_home(rig, SDR)
    dispatch(rig, press_payload(SDR, view, PLUS_ONE, "sao"))  # the AE records SAOs
    dispatch(rig, press_payload(SDR, view, PLUS_ONE, "no_such_kpi"))
    assert logs(rig) == []
    notices = [text_of(v) for v in opened_modals(rig)]
    assert "is recorded for you by the Account Executive" in notices[0]
    assert "no longer in the team's process" in notices[1]
    for modal in opened_modals(rig):
        View(**modal).validate_json()


# -- the "Log a number" form ------------------------------------------------------------------


def test_the_log_form_shows_errors_on_its_fields_and_stores_nothing_until_valid(rig):
    rig.team()
    view = open_home(rig, SDR)
    press(rig, SDR, view, LOG_NUMBER, "calls")
    [modal] = opened_modals(rig)
    View(**modal).validate_json()
    assert modal["callback_id"] == "home_log" and "Calls / Emails" in text_of(modal)
    date_input = next(b for b in modal["blocks"] if b.get("block_id") == "date")
    assert date_input["element"]["initial_date"] == "2026-11-24"
    assert "up to 14 days back" in date_input["hint"]["text"]

    def errors(values) -> dict:
        reply = submit(rig, SDR, modal, values, view_id="V0LOG0001")
        assert reply["response_action"] == "errors"
        return reply["errors"]

    assert "whole number from 1 to 500" in errors(form("abc"))["count"]
    assert "whole number from 1 to 500" in errors(form(None))["count"]
    assert "counts are whole numbers from 1 up" in errors(form("0"))["count"]
    assert "looks like a typo" in errors(form("1200"))["count"]
    assert "is in the future" in errors(form("5", day="2026-11-25"))["date"]
    assert "outside the backdating window" in errors(form("5", day="2026-11-01"))["date"]
    both = errors(form("-3", day="2026-12-01"))
    assert set(both) == {"count", "date"}
    assert all("*" not in e and "`" not in e for e in both.values())  # plain text under a field
    assert logs(rig) == []

    good = form("7", day="2026-11-23", note="Acme <!here> follow-ups")
    assert submit(rig, SDR, modal, good, view_id="V0LOG0001") == {}  # the form closes
    assert submit(rig, SDR, modal, good, view_id="V0LOG0001") == {}  # resubmitted: counted once
    [row] = logs(rig)
    assert (row.count, str(row.occurred_on), row.source) == (7, "2026-11-23", "modal")
    assert row.note == "Acme <!here> follow-ups"
    logged, home = published(rig, SDR)[-2:]
    assert "Logged *7 Calls / Emails* for Mon 23 Nov" in text_of(logged)
    assert "That form reached Pacer twice; *7 Calls / Emails* was counted once" in text_of(home)
    assert "7 of 240" in text_of(home) and "_Acme &lt;!here&gt; follow-ups_" in text_of(home)
    assert "7 of 240" in rig.text("/scorecard", "", SDR)  # the same numbers as the slash command


# -- edit and void ----------------------------------------------------------------------------


def test_editing_a_log_voids_it_and_stores_the_new_count(rig):
    rig.team()
    rig.text("/log", 'call 12 "from the road"', SDR)
    view = open_home(rig, SDR)
    [original] = logs(rig)
    press(rig, SDR, view, EDIT, str(original.id))
    [modal] = opened_modals(rig)
    View(**modal).validate_json()
    count_input = next(b for b in modal["blocks"] if b.get("block_id") == "count")
    assert count_input["element"]["initial_value"] == "12"
    same = submit(rig, SDR, modal, form("12"), view_id="V0EDIT001")
    assert "already says 12" in same["errors"]["count"]
    assert (
        "looks like a typo" in submit(rig, SDR, modal, form("999"), "V0EDIT001")["errors"]["count"]
    )
    assert logs(rig)[0].voided_at is None and len(logs(rig)) == 1

    assert submit(rig, SDR, modal, form("10"), view_id="V0EDIT001") == {}
    assert submit(rig, SDR, modal, form("10"), view_id="V0EDIT001") == {}  # twice: once
    old, new = logs(rig)
    assert old.id == original.id and old.count == 12 and old.voided_by == SDR
    assert old.voided_at is not None  # kept, never updated in place
    assert (new.count, new.occurred_on, new.note, new.voided_at) == (
        10,
        old.occurred_on,
        "from the road",
        None,
    )
    assert new.source == "modal" and new.entered_by == SDR
    assert counted(rig, SDR, "calls") == 10
    home = published(rig, SDR)[-1]
    assert "Corrected *Calls / Emails* on Tue 24 Nov: 12 → *10*" in text_of(home)
    assert "10 of 240" in text_of(home)
    assert home_button(home, EDIT, str(new.id)) and str(old.id) != str(new.id)
    basis = rig.text("/scorecard", "calls", SDR)
    assert "*10* counted from 1 log (1 undone, shown struck through" in basis  # both
    assert new.replaces_id == old.id
    # `/log undo` after the edit takes the edit back: the 12 counts again, nothing is lost.
    rig.text("/log", "undo", SDR)
    old, new = logs(rig)
    assert (old.voided_at, new.voided_at is not None) == (None, True)
    assert counted(rig, SDR, "calls") == 12


def test_voiding_a_log_keeps_it_in_the_trail_and_a_second_void_says_so(rig):
    rig.team()
    rig.text("/log", "call 12", SDR)
    rig.text("/log", "call 5", SDR)
    view = open_home(rig, SDR)
    first, second = logs(rig)
    press(rig, SDR, view, VOID, str(first.id))  # not the last one: any of the list
    assert counted(rig, SDR, "calls") == 5
    voided = logs(rig)[0]
    assert voided.voided_at is not None and voided.voided_by == SDR and voided.count == 12
    home = published(rig, SDR)[-1]
    assert "Voided *12 Calls / Emails*" in text_of(home) and "5 of 240" in text_of(home)
    with pytest.raises(AssertionError):
        home_button(home, VOID, str(first.id))  # gone from the list
    # The stale tab's button, pressed again: it says so, and nothing else changes.
    press(rig, SDR, view, VOID, str(first.id))
    assert "was already voided on Tue 24 Nov at 11:00 by you" in text_of(opened_modals(rig)[-1])
    press(rig, SDR, view, EDIT, str(first.id))
    assert "nothing left to edit" in text_of(opened_modals(rig)[-1])
    assert counted(rig, SDR, "calls") == 5 and len(logs(rig)) == 2
    assert "Undone: *5 Calls / Emails*" in rig.text("/log", "undo", SDR)


def test_a_voided_log_of_someone_else_tells_a_rep_nothing_about_it(rig):
    """Under `managers` visibility a rep can't see a teammate's logs: pressing Edit or Void on
    one (a crafted button, its id guessed) voided already says neither whose nor what."""
    rig.team()
    rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
    rig.text("/pacer", "visibility managers", ADMIN)
    rig.text("/log", "call 12", SDR)
    rig.text("/log", "undo", SDR)
    [row] = logs(rig)
    assert row.voided_at is not None
    other = open_home(rig, SDR2)
    for button in (VOID, EDIT):
        dispatch(rig, press_payload(SDR2, other, button, str(row.id)))
        said = text_of(opened_modals(rig)[-1])
        assert "Only the person who entered a log, or a manager" in said
        assert "12" not in said and "Calls" not in said and "voided" not in said
        assert SDR not in said
    assert logs(rig)[0].voided_by == SDR


def test_only_who_entered_a_log_or_a_manager_may_change_it(rig):
    rig.team()
    rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
    rig.text("/log", "call 12", SDR)
    [row] = logs(rig)
    other = open_home(rig, SDR2)
    dispatch(rig, press_payload(SDR2, other, VOID, str(row.id)))
    assert "Only the person who entered a log, or a manager" in text_of(opened_modals(rig)[-1])
    assert logs(rig)[0].voided_at is None
    dispatch(rig, press_payload(MGR, open_home(rig, MGR), VOID, str(row.id)))
    assert logs(rig)[0].voided_by == MGR
    assert "0 of 240" in text_of(published(rig, SDR)[-1])  # the rep's tab follows


# -- refreshing after every log ---------------------------------------------------------------


def test_a_log_from_the_slash_command_republishes_the_home_tab(rig):
    rig.team()
    rig.text("/log", "call 12", SDR)
    [view] = published(rig, SDR)
    assert_valid_view(view)
    assert "12 of 240" in text_of(view)
    rig.text("/log", f"<@{SDR}> calls 3", MGR)  # a credit: the rep's tab and the manager's
    assert "15 of 240" in text_of(published(rig, SDR)[-1])
    manager = published(rig, MGR)[-1]
    assert "*3 Calls / Emails* for <@U0SDR0001>" in text_of(manager)
    assert "Calls / Emails* 15 of 240" in text_of(manager)
    rig.text("/log", "undo", MGR)
    assert "12 of 240" in text_of(published(rig, SDR)[-1])


# -- publishing over the view it replaces (hash) ------------------------------------------------


def home_publishes(rig, user: str) -> list[dict]:
    """Every views.publish for the person, refused ones (hash_conflict) included."""
    return [c.params for c in rig.slack.calls_to("views.publish") if c.params["user_id"] == user]


def test_the_home_tab_is_published_over_the_view_it_replaces(rig):
    """Each publish names the view it replaces (its hash), so a slower refresh can't overwrite
    a newer view; on hash_conflict the tab is built again from the numbers now and published
    once more."""
    rig.team()
    rig.text("/log", "call 12", SDR)
    [first] = home_publishes(rig, SDR)
    assert "hash" not in first  # nothing published before: nothing to protect
    shown = rig.slack.home_hashes[SDR]
    rig.text("/log", "call 3", SDR)
    assert home_publishes(rig, SDR)[-1]["hash"] == shown
    ours = rig.slack.home_hashes[SDR]
    # Another worker publishes a newer view meanwhile: this process doesn't know its hash.
    other = WebClient(base_url=rig.slack.url, token="xoxb-rig")
    other.views_publish(user_id=SDR, view={"type": "home", "blocks": []}, hash=ours)
    rig.slack.reset()
    rig.text("/log", "call 5", SDR)
    refused, again = home_publishes(rig, SDR)
    assert refused["hash"] == ours and "hash" not in again
    assert "20 of 240" in text_of(again["view"])  # built again: the numbers as they are now
    assert_valid_view(again["view"])
    assert rig.slack.home_hashes[SDR] not in (ours, None)


def test_opening_the_tab_publishes_over_the_view_slack_showed(rig):
    rig.team()
    open_home(rig, SDR)
    shown = rig.slack.home_hashes[SDR]
    rig.services.home_hashes.clear()  # another process: only the event knows the view
    rig.slack.reset()
    open_home(rig, SDR, view={"id": "V0HOME", "type": "home", "hash": shown})
    assert [p.get("hash") for p in home_publishes(rig, SDR)] == [shown]
    # A tab Slack showed that is already out of date: refused, built again, published once.
    rig.slack.reset()
    event = {"type": "app_home_opened", "user": SDR, "channel": "D0HOME001", "tab": "home"}
    event["view"] = {"id": "V0HOME", "type": "home", "hash": "stale.hash"}
    body = event_body(event, team_id="T0RIG0001")
    assert (
        rig.app.dispatch(BoltRequest(body=body, headers=json_headers("rig-secret", body))).status
        == 200
    )
    assert [p.get("hash") for p in home_publishes(rig, SDR)] == ["stale.hash", None]
    assert_valid_view(home_publishes(rig, SDR)[-1]["view"])
