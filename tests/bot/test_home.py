"""The App Home tab through signed requests: `app_home_opened` events, its buttons (block_actions)
and its forms (view_submission), against the local Slack stand-in.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (Mon–Fri 09:00–17:00): 25% of the
week's working time is gone. An SDR's goals: calls 60/day (300 this week, 60 today, 1,260 in
November's 21 working days), conversations 12/day, meetings 8/week, SAO 6/month (recorded by
the AE)."""

import json

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlmodel import select

from bot.ids import Action
from simulator.signed_requests import (
    block_action_payload,
    event_body,
    interaction_body,
    json_headers,
    signed_headers,
    view_submission_payload,
)
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.models import ActivityLog, Member
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig

EDIT, LOG_NUMBER = Action.HOME_EDIT, Action.HOME_LOG_NUMBER
PLUS_ONE, VOID = Action.HOME_PLUS_ONE, Action.HOME_VOID

TEAM = "T0RIG0001"
SDR2 = "U0SDR0002"


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        rig = Rig(tmp_path, slack)
        yield rig
        rig.services.background.shutdown(wait=True)


# -- helpers ------------------------------------------------------------------------------------


def assert_valid_view(view: dict) -> None:
    """slack_sdk's own checks, Slack's 100-block limit, and every block parses and validates."""
    View(**view).validate_json()
    assert 1 <= len(view["blocks"]) <= 100
    for block in view["blocks"]:
        Block.parse(block).validate_json()
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def text_of(view: dict) -> str:
    out = []
    for block in view["blocks"]:
        if block.get("text"):
            out.append(block["text"]["text"])
        for element in block.get("elements") or []:
            if isinstance(element.get("text"), str):
                out.append(element["text"])
            elif isinstance(element.get("text"), dict):
                out.append(element["text"]["text"])
    return "\n".join(out)


def published(rig, user: str) -> list[dict]:
    return [
        c.params["view"]
        for c in rig.slack.calls_to("views.publish")
        if c.params.get("user_id") == user and not c.failed_status
    ]


def open_home(rig, user: str, view: dict | None = None) -> dict:
    """The signed app_home_opened event; returns the view Pacer published for this person."""
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home"}
    if view is not None:
        event["view"] = view
    body = event_body(event, team_id=TEAM)
    before = len(published(rig, user))
    response = rig.app.dispatch(BoltRequest(body=body, headers=json_headers("rig-secret", body)))
    assert response.status == 200
    views = published(rig, user)
    assert len(views) == before + 1
    assert_valid_view(views[-1])
    return views[-1]


def home_button(view: dict, action_id: str, value: str | None = None) -> dict:
    for block in view["blocks"]:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id and (
                value is None or element["value"] == value
            ):
                return element | {"block_id": block.get("block_id", "")}
    raise AssertionError(f"no button {action_id}={value} on the Home tab")


def press_payload(user: str, view: dict, action_id: str, value: str) -> dict:
    """A block_actions payload from the Home tab (no response_url there, as in Slack)."""
    payload = block_action_payload(
        user, action_id, value, team_id=TEAM, view=view | {"id": "V0HOME001"}
    )
    payload.pop("response_url")
    return payload


def dispatch(rig, payload: dict):
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def press(rig, user: str, view: dict, action_id: str, value: str) -> dict:
    home_button(view, action_id, value)  # the button is on the tab as published
    return dispatch(rig, press_payload(user, view, action_id, value))


def opened_modals(rig) -> list[dict]:
    return [c.params["view"] for c in rig.slack.calls_to("views.open")]


def submit(rig, user: str, modal: dict, values: dict, view_id: str) -> dict:
    payload = view_submission_payload(
        user,
        modal["callback_id"],
        values,
        team_id=TEAM,
        private_metadata=modal["private_metadata"],
        view_id=view_id,
    )
    return dispatch(rig, payload)


def form(count=None, day=None, note=None) -> dict:
    values = {"count": {"value": {"type": "number_input", "value": count}}}
    if day is not None:
        values["date"] = {"value": {"type": "datepicker", "selected_date": day}}
    if note is not None:
        values["note"] = {"value": {"type": "plain_text_input", "value": note}}
    return values


def logs(rig, **where) -> list[ActivityLog]:
    with rig.services.unit_of_work() as session:
        query = select(ActivityLog).order_by(ActivityLog.id)
        for key, value in where.items():
            query = query.where(getattr(ActivityLog, key) == value)
        return list(session.exec(query))


def counted(rig, rep: str, kpi: str) -> int:
    return sum(r.count for r in logs(rig, rep_id=rep, kpi=kpi) if r.voided_at is None)


# -- the view -----------------------------------------------------------------------------------


def test_a_reps_home_shows_the_week_one_tap_logs_and_last_logs(rig):
    rig.team()
    rig.text("/log", "call 12", SDR)
    rig.text("/log", 'conversations 4 "Acme <!channel>"', SDR)
    rig.text("/log", f"<@{SDR}> sao 1", AE)
    view = open_home(rig, SDR)
    text = text_of(view)
    assert view["type"] == "home" and json.loads(view["private_metadata"]) == {"period": "week"}
    assert "*Week:* Mon 23 – Sun 29 Nov 2026 · 25% of the week's working time elapsed" in text
    assert "12 of 300 (4%) · pace 16% · projected 48 — *behind*" in text
    assert "4 of 60 (6%)" in text
    assert "1 of 1.43 (70%)" in text  # SAO 6/month scaled to the week, credited by the AE
    # One-tap logging for the KPIs the rep records, not for the one the AE records for them.
    for kpi in ("calls", "conversations", "meetings_scheduled"):
        assert home_button(view, PLUS_ONE, kpi)["text"]["text"] == "+1"
        assert home_button(view, LOG_NUMBER, kpi)
    with pytest.raises(AssertionError):
        home_button(view, PLUS_ONE, "sao")
    assert "Recorded for you by the Account Executive" in text
    # The last logs, newest first, with the note escaped; edit and void on each.
    assert (
        "*4 Conversations* · today, Tue 24 Nov · typed `/log` at 11:00 · _Acme &lt;!channel&gt;_"
        in text
    )
    assert "<!channel>" not in json.dumps(view)
    assert text.index("*4 Conversations*") < text.index("*12 Calls / Emails*")
    assert len([b for b in view["blocks"] if b.get("block_id", "").startswith("home_log_")]) == 2
    assert "Sales · this week" not in text  # no team section for a rep
    assert home_button(view, "home_period_week")["style"] == "primary"


def test_a_managers_home_shows_team_pace_and_who_is_behind(rig):
    rig.team()
    rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
    rig.text("/log", "call 12", SDR)  # 12 of 300: pace 16%, behind
    rig.text("/log", "call 80", SDR2)  # 80 of 300: pace 106%, on pace
    rig.text("/log", "conversations 14", SDR2)  # 14 of 60: pace 93%, at risk
    view = open_home(rig, MGR)
    text = text_of(view)
    assert view["blocks"][0]["text"]["text"] == "Pacer · your team"
    assert "*Sales · this week* · Mon 23 – Sun 29 Nov 2026 · 25% of the working week gone" in text
    # Calls: 92 of 600 team goal, expected 150 by now → pace 61%; only SDR is behind.
    assert (
        ":red_circle: *Calls / Emails* 92 of 600 (15%) · pace 61% — behind · 2 reps\n"
        f"      behind: <@{SDR}>\n" in text
    )
    # Conversations: 14 of 120, expected 30 → 46%; SDR (0) is behind, SDR2 at risk is not listed.
    assert "*Conversations* 14 of 120 (11%) · pace 46% — behind · 2 reps\n" in text
    assert f"behind: <@{SDR}>\n:red_circle: *Discovery Meetings Scheduled*" in text
    assert "*Discovery Meetings Held* 0 of 15 (0%)" in text  # the AE's scorecard too
    assert "3 reps · 3 behind on at least one KPI" in text
    assert "*Your last logs*" not in text  # a manager who logged nothing has no list
    # A manager without a scorecard gets no log buttons.
    assert not [b for b in view["blocks"] if b.get("block_id", "").startswith("home_kpi_")]


def test_someone_on_no_team_sees_how_to_get_started(rig):
    rig.team()
    view = open_home(rig, "U0NEW0001")
    text = text_of(view)
    assert view["blocks"][0]["text"]["text"] == "Welcome to Pacer"
    assert "You're not on a sales team in Pacer yet" in text
    assert "`/pacer team add @you sdr` (roles: sdr, ae)" in text
    assert "`/log call 12`" in text and "Scorecard" not in text


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
    assert "*Month:* November 2026" in text_of(month) and "12 of 1,260" in text_of(month)
    # A +1 pressed on the month view keeps the month, and so does opening the tab again.
    press(rig, SDR, month, PLUS_ONE, "calls")
    assert "13 of 1,260" in text_of(published(rig, SDR)[-1])
    assert "*Month:*" in text_of(open_home(rig, SDR, view=published(rig, SDR)[-1]))
    assert [(r.count, r.kpi) for r in logs(rig, source="button")] == [(1, "calls")]


# -- one-tap logging ----------------------------------------------------------------------------


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
    assert "1 of 300" in text_of(second)
    # A second, real press counts again: each press has its own trigger_id.
    press(rig, SDR, view, PLUS_ONE, "calls")
    assert counted(rig, SDR, "calls") == 2
    assert "2 of 300" in rig.text("/scorecard", "", SDR)


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


# -- the "Log a number" form --------------------------------------------------------------------


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
    assert "7 of 300" in text_of(home) and "_Acme &lt;!here&gt; follow-ups_" in text_of(home)
    assert "7 of 300" in rig.text("/scorecard", "", SDR)  # the same numbers as the slash command


# -- edit and void ------------------------------------------------------------------------------


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
    assert "10 of 300" in text_of(home)
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
    assert "Voided *12 Calls / Emails*" in text_of(home) and "5 of 300" in text_of(home)
    with pytest.raises(AssertionError):
        home_button(home, VOID, str(first.id))  # gone from the list
    # The stale tab's button, pressed again: it says so, and nothing else changes.
    press(rig, SDR, view, VOID, str(first.id))
    assert "was already voided on Tue 24 Nov at 11:00 by you" in text_of(opened_modals(rig)[-1])
    press(rig, SDR, view, EDIT, str(first.id))
    assert "nothing left to edit" in text_of(opened_modals(rig)[-1])
    assert counted(rig, SDR, "calls") == 5 and len(logs(rig)) == 2
    assert "Undone: *5 Calls / Emails*" in rig.text("/log", "undo", SDR)


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
    assert "0 of 300" in text_of(published(rig, SDR)[-1])  # the rep's tab follows


# -- refreshing after every log -----------------------------------------------------------------


def test_a_log_from_the_slash_command_republishes_the_home_tab(rig):
    rig.team()
    rig.text("/log", "call 12", SDR)
    [view] = published(rig, SDR)
    assert_valid_view(view)
    assert "12 of 300" in text_of(view)
    rig.text("/log", f"<@{SDR}> calls 3", MGR)  # a credit: the rep's tab and the manager's
    assert "15 of 300" in text_of(published(rig, SDR)[-1])
    manager = published(rig, MGR)[-1]
    assert "*3 Calls / Emails* for <@U0SDR0001>" in text_of(manager)
    assert "Calls / Emails* 15 of 300" in text_of(manager)
    rig.text("/log", "undo", MGR)
    assert "12 of 300" in text_of(published(rig, SDR)[-1])


def test_contests_show_where_the_person_stands(rig):
    rig.team()
    rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
    rig.text("/contest", 'start race calls 3d "Blitz <!channel>"', MGR)
    rig.text("/log", "call 12", SDR)
    rig.text("/log", "call 20", SDR2)
    text = text_of(open_home(rig, SDR))
    assert (
        ":trophy: *Blitz &lt;!channel&gt;* · race on Calls / Emails · ends Thu 26 Nov at 17:00"
        in text
    )
    assert f"You're 2nd of 2 with 12 · leading: <@{SDR2}> with 20." in text
    assert "You're 1st of 2 with 20." in text_of(open_home(rig, SDR2))
    assert f"Leading: <@{SDR2}> with 20." in text_of(open_home(rig, MGR))


# -- limits -------------------------------------------------------------------------------------


def test_a_manager_of_300_reps_sees_a_summary_within_block_kit_limits(rig):
    rig.team()
    with rig.services.unit_of_work() as session:
        sales = people_queries.teams(session)[0]
        reps = [f"U{i:08d}" for i in range(300)]
        session.add_all(
            Member(
                workspace_id=sales.workspace_id,
                team_id=sales.id,
                user_id=rep,
                role="sdr",
                added_by=ADMIN,
                added_at=rig.now,
            )
            for rep in reps
        )
        session.commit()
        for n, rep in enumerate(reps[:100]):  # a third on pace, the rest behind
            session.add(
                ActivityLog(
                    workspace_id=sales.workspace_id,
                    team_id=sales.id,
                    rep_id=rep,
                    entered_by=rep,
                    kpi="calls",
                    count=80,
                    occurred_on=rig.now.date(),
                    created_at=rig.now,
                    source="import",
                    batch_id=f"b{n}",
                )
            )
        session.commit()
    rig.text("/pacer", f"team add <@{MGR}> sdr", ADMIN)  # the manager is a rep too
    for n in range(8):
        rig.text("/log", f"call {n + 1}", MGR)
    view = open_home(rig, MGR)
    text = text_of(view)
    assert len(view["blocks"]) <= 100
    assert len(json.dumps(view)) < 60_000
    # 302 SDRs (SDR, the manager and the 300) and the AE; the 100 at 80 calls are on pace.
    assert "*Calls / Emails* 8,036 of 90,600 (8%) · pace 35% — behind · 302 reps" in text
    behind_calls = text.split("*Calls / Emails* 8,036")[1].split("\n")[1]
    assert behind_calls.count("<@") == 5 and behind_calls.endswith(" and 197 more")
    assert "<@U00000000>" not in behind_calls  # on pace, so not behind
    assert "303 reps · 303 behind on at least one KPI" in text
    assert len([b for b in view["blocks"] if b.get("block_id", "").startswith("home_log_")]) == 5


def test_a_view_longer_than_slack_allows_is_cut_at_100_blocks_and_says_so():
    from bot import messages
    from bot.home.view import _view

    blocks = [messages.header("Pacer")] + [messages.section(f"row {i}")[0] for i in range(150)]
    view = _view(blocks, "week")
    assert_valid_view(view)
    assert len(view["blocks"]) == 100 and "more than fits" in text_of(view)
