"""A lag suggestion's buttons through signed block_actions payloads dispatched to the real app:
launch (once, however many press it, even at once), edit first, dismiss; refusals; a week that
is over; a launch on a later day (see lag_check_support.py for the team and its numbers)."""

import json
from datetime import datetime

from slack_bolt.request import BoltRequest

from simulator.signed_requests import interaction_body, signed_headers, view_submission_payload
from storage import people_queries
from storage.models import Member, SalesTeam
from tests.bot.contests.lag_check_support import (
    CHANNEL,
    MGR2,
    MONDAY_10,
    NEXT_TUESDAY_11,
    WEDNESDAY_11,
    channel_posts,
    contests,
    press,
    run,
    suggest,
    suggestions,
    team_id,
)
from tests.bot.contests.lag_check_support import rig as rig  # noqa: F401  (the fixture)
from tests.bot.support import ADMIN, MGR, SDR, assert_within_slack_limits
from tests.storage.support import run_at_once


def test_dismiss_marks_it_and_a_later_press_says_who_did(rig):
    value = suggest(rig)
    rig.now = datetime.fromisoformat("2026-11-24T11:20:00-05:00")
    _, responses = press(rig, MGR, "lag_dismiss", value)
    (row,) = suggestions(rig)
    assert (row.status, row.decided_by) == ("dismissed", MGR)
    (replaced,) = responses
    assert replaced["replace_original"] is True
    assert_within_slack_limits(replaced)
    assert not [b for b in replaced["blocks"] if b["type"] == "actions"]  # buttons gone
    last = replaced["blocks"][-1]["elements"][0]["text"]
    assert f"Dismissed by <@{MGR}> (Tue 24 Nov 2026, 11:20)" in last
    assert "Calls / Emails won't be suggested again this week" in last
    # the other manager's copy still has buttons: pressing one changes nothing
    for action in ("lag_launch", "lag_dismiss", "lag_edit"):
        _, answers = press(rig, MGR2, action, value)
        private = [a for a in answers if a.get("response_type") == "ephemeral"]
        assert len(private) == 1 and private[0]["replace_original"] is False
        assert (
            f"<@{MGR}> already dismissed this suggestion (Tue 24 Nov 2026, 11:20)"
            in (private[0]["text"])
        )
    (row,) = suggestions(rig)
    assert (row.status, row.decided_by) == ("dismissed", MGR) and contests(rig) == []
    assert rig.slack.calls_to("views.open") == []
    # dismissed this week: not suggested again until next week
    assert run(rig, at=WEDNESDAY_11).detail == "0 private messages"
    rig.now = NEXT_TUESDAY_11  # nothing logged in week 49: every KPI lags, calls too
    assert run(rig, at=NEXT_TUESDAY_11).status == "posted"
    assert [(s.kpi, s.week_key) for s in suggestions(rig)][:2] == [
        ("calls", "2026-W48"),
        ("calls", "2026-W49"),
    ]


def test_a_rep_pressing_a_button_is_refused_and_nothing_changes(rig):
    value = suggest(rig)
    for action in ("lag_launch", "lag_edit", "lag_dismiss"):
        _, answers = press(rig, SDR, action, value)
        (answer,) = answers
        assert answer["response_type"] == "ephemeral"
        assert "Only the managers of Sales and Pacer admins can" in answer["text"]
    (row,) = suggestions(rig)
    assert row.status == "open" and row.decided_by is None
    assert contests(rig) == [] and rig.slack.calls_to("views.open") == []


def test_a_manager_of_another_team_is_refused(rig):
    value = suggest(rig)
    with rig.services.unit_of_work() as session:
        sales = people_queries.get_team(session, team_id(rig))
        other = SalesTeam(workspace_id=sales.workspace_id, name="Enterprise", created_at=MONDAY_10)
        session.add(other)
        session.commit()
        session.add(
            Member(
                workspace_id=sales.workspace_id,
                team_id=other.id,
                user_id="U0OTHER01",
                is_manager=True,
                added_by=ADMIN,
                added_at=MONDAY_10,
            )
        )
        session.commit()
    _, answers = press(rig, "U0OTHER01", "lag_dismiss", value)
    assert "Only the managers of Sales and Pacer admins can dismiss" in answers[0]["text"]
    _, answers = press(rig, MGR, "lag_dismiss", "999999")
    assert "can't find this suggestion" in answers[0]["text"]
    assert suggestions(rig)[0].status == "open"


def test_launch_starts_the_contest_once_and_announces_it_once(rig):
    value = suggest(rig)
    rig.now = datetime.fromisoformat("2026-11-24T11:30:00-05:00")
    _, responses = press(rig, MGR, "lag_launch", value)
    (contest,) = contests(rig)
    assert (contest.kind, contest.kpi, contest.target) == ("target", "calls", 230)
    assert (contest.source, contest.start_key) == ("suggestion", f"suggestion:{value}")
    assert (str(contest.start_day), str(contest.end_day)) == ("2026-11-24", "2026-11-27")
    assert contest.name == "Calls / Emails catch-up" and contest.created_by == MGR
    (row,) = suggestions(rig)
    assert (row.status, row.decided_by, row.contest_id) == ("launched", MGR, contest.id)
    announcements = channel_posts(rig)
    assert len(announcements) == 1
    (replaced,) = responses
    assert replaced["replace_original"] is True
    assert not [b for b in replaced["blocks"] if b["type"] == "actions"]
    line = replaced["blocks"][-1]["elements"][0]["text"]
    assert f"Launched by <@{MGR}> (Tue 24 Nov 2026, 11:30) — announced in <#{CHANNEL}>" in line
    # pressed again, and by the other manager: one contest, one announcement
    for user in (MGR, MGR2):
        _, answers = press(rig, user, "lag_launch", value)
        private = [a for a in answers if a.get("response_type") == "ephemeral"]
        assert (
            f"<@{MGR}> already launched this contest (Tue 24 Nov 2026, 11:30)"
            in (private[0]["text"])
        )
    _, answers = press(rig, MGR2, "lag_dismiss", value)
    assert "already launched" in answers[0]["text"]
    assert len(contests(rig)) == 1 and len(channel_posts(rig)) == 1
    assert suggestions(rig)[0].status == "launched"
    # launched this week: not suggested again until next week
    assert run(rig, at=WEDNESDAY_11).detail == "0 private messages"


def test_an_admin_may_launch(rig):
    value = suggest(rig)
    press(rig, ADMIN, "lag_launch", value)
    (row,) = suggestions(rig)
    assert (row.status, row.decided_by) == ("launched", ADMIN) and len(contests(rig)) == 1


def test_edit_first_opens_the_contest_modal_prefilled(rig):
    value = suggest(rig)
    payload, responses = press(rig, MGR, "lag_edit", value)
    (opened,) = rig.slack.calls_to("views.open")
    assert opened.params["trigger_id"] == payload["trigger_id"]
    view = json.dumps(opened.params["view"])
    assert "Calls / Emails catch-up" in view and "230" in view and value in view
    assert responses == []  # the message keeps its buttons until the modal is submitted
    assert suggestions(rig)[0].status == "open" and contests(rig) == []


def test_launched_on_a_later_day_it_starts_that_day_resized(rig):
    value = suggest(rig)
    rig.text("/log", "calls 20", SDR)  # Tuesday, after the check
    rig.now = datetime.fromisoformat("2026-11-25T10:00:00-05:00")  # Wednesday
    _, responses = press(rig, MGR, "lag_launch", value)
    (contest,) = contests(rig)
    # a contest can't start in the past: Wed–Fri, and 240 − (10 + 20 logged before today)
    assert (str(contest.start_day), str(contest.end_day)) == ("2026-11-25", "2026-11-27")
    assert contest.target == 210
    line = responses[-1]["blocks"][-1]["elements"][0]["text"]
    assert "It runs Wed 25 – Fri 27 Nov 2026 with a target of 210 per rep" in line


def test_a_suggestion_of_a_past_week_is_not_launched(rig):
    value = suggest(rig)
    rig.now = NEXT_TUESDAY_11
    for action in ("lag_launch", "lag_edit"):
        _, answers = press(rig, MGR, action, value)
        assert "for the week 2026-W48, which is over" in answers[0]["text"]
    assert contests(rig) == [] and suggestions(rig)[0].status == "open"
    assert rig.slack.calls_to("views.open") == []


def test_the_edited_modal_launches_the_suggestion(rig):
    value = suggest(rig)
    press(rig, MGR, "lag_edit", value)
    view = rig.slack.calls_to("views.open")[0].params["view"]
    values = {
        "name": {"value": {"type": "plain_text_input", "value": "Dial-a-thon"}},
        "kpi": {"value": {"selected_option": {"value": "calls"}}},
        "kind": {"value": {"selected_option": {"value": "target"}}},
        "start": {"value": {"selected_date": "2026-11-24"}},
        "end": {"value": {"selected_date": "2026-11-26"}},
        "target": {"value": {"value": "200"}},
        "entrants": {"value": {"selected_users": [SDR]}},
    }
    payload = view_submission_payload(
        MGR,
        view["callback_id"],
        values,
        team_id="T0RIG0001",
        private_metadata=view["private_metadata"],
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200 and not response.body, response.body  # the form closes
    (contest,) = contests(rig)
    assert (contest.name, contest.target, contest.source) == ("Dial-a-thon", 200, "suggestion")
    (row,) = suggestions(rig)
    assert (row.status, row.decided_by, row.contest_id) == ("launched", MGR, contest.id)
    assert len(channel_posts(rig)) == 1
    _, answers = press(rig, MGR2, "lag_launch", value)  # the other manager's copy
    assert f"<@{MGR}> already launched this contest" in answers[0]["text"]
    assert len(contests(rig)) == 1


def test_two_managers_pressing_launch_at_once_start_one_contest(rig):
    value = suggest(rig)
    results = run_at_once(2, lambda i: press(rig, (MGR, MGR2)[i], "lag_launch", value)[1])
    assert len(contests(rig)) == 1 and len(channel_posts(rig)) == 1
    (row,) = suggestions(rig)
    assert row.status == "launched" and row.decided_by in (MGR, MGR2)
    told = [a["text"] for answers in results for a in answers if a.get("response_type")]
    assert len(told) == 1 and f"<@{row.decided_by}> already launched this contest" in told[0]


def test_an_admin_on_no_team_launches_the_edited_suggestion_into_its_team(rig):
    value = suggest(rig)
    press(rig, ADMIN, "lag_edit", value)
    view = rig.slack.calls_to("views.open")[0].params["view"]
    values = {
        "name": {"value": {"type": "plain_text_input", "value": "Admin's blitz"}},
        "kpi": {"value": {"selected_option": {"value": "calls"}}},
        "kind": {"value": {"selected_option": {"value": "race"}}},
        "start": {"value": {"selected_date": "2026-11-24"}},
        "end": {"value": {"selected_date": "2026-11-26"}},
    }

    def submit(user):
        payload = view_submission_payload(
            user,
            view["callback_id"],
            values,
            team_id="T0RIG0001",
            private_metadata=view["private_metadata"],
            view_id=f"V{user}",
        )
        body = interaction_body(payload)
        return rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))

    refused = submit(SDR)  # a rep with the form's metadata is refused, nothing started
    assert "Only the managers of Sales" in refused.body and contests(rig) == []
    assert submit(ADMIN).status == 200
    (contest,) = contests(rig)
    assert (contest.team_id, contest.name, contest.created_by) == (
        team_id(rig),
        "Admin's blitz",
        ADMIN,
    )
    assert suggestions(rig)[0].status == "launched"


def test_edit_first_when_slack_refuses_the_form_says_what_to_do(rig):
    value = suggest(rig)
    rig.slack.fail_next("views.open", status=200, body={"ok": False, "error": "expired_trigger_id"})
    _, answers = press(rig, MGR, "lag_edit", value)
    assert "Slack didn't open the contest form (expired_trigger_id)" in answers[0]["text"]
    assert "Launch contest" in answers[0]["text"]
    assert suggestions(rig)[0].status == "open" and contests(rig) == []
