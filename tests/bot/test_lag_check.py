"""The lag check against the local Slack stand-in: the ritual through `run_ritual` (exactly once,
each manager privately, three buttons), and the buttons through signed block_actions payloads
dispatched to the real app (launch, edit, dismiss; refusals; a second press).

The Rig's team: one SDR (calls 60/day: 300 a week), one AE, managers MGR and MGR2. On Monday
23 Nov the SDR logs 10 calls (and enough of every other KPI); on Tuesday at 11:00 in New York a
quarter of the week is gone, so 75 calls are expected: 10 is 13% of pace, 290 to go, and the
contest is "everyone who logs 290 calls from Tue 24 to Fri 27 Nov wins"."""

import json
import logging
from datetime import datetime

from slack_bolt.request import BoltRequest
from sqlmodel import select

from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from rituals.process import load_process_dict
from rituals.schedule import occurrence_at
from rituals.teams import store_process, team_process
from simulator.signed_requests import (
    block_action_payload,
    interaction_body,
    signed_headers,
    view_submission_payload,
)
from storage import people_queries
from storage.models import Contest, LagSuggestion, Member, SalesTeam
from tests.bot.lag_check_support import CHANNEL, MGR2, MONDAY_10, TUESDAY_11, log_monday
from tests.bot.lag_check_support import rig as rig  # noqa: F401  (the fixture)
from tests.bot.support import ADMIN, MGR, SDR, assert_within_slack_limits

WEDNESDAY_11 = datetime.fromisoformat("2026-11-25T11:00:00-05:00")
NEXT_TUESDAY_11 = datetime.fromisoformat("2026-12-01T11:00:00-05:00")


def team_id(rig) -> int:
    with rig.services.unit_of_work() as session:
        return people_queries.teams(session)[0].id


def run(rig, at=TUESDAY_11, now=None):
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    occurrence = occurrence_at(process, "lag-check", at)
    return run_ritual(
        rig.services,
        team_id(rig),
        occurrence,
        now or at,
        pacer=ChannelPacer(0),
        owner="test",
    )


def dms(rig) -> list:
    """The private messages sent so far (chat.postMessage to a user ID), successful ones."""
    return [
        c
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params["channel"].startswith("U") and c.failed_status is None
    ]


def text_of(call) -> str:
    return "\n".join(
        b["text"]["text"] if b.get("text") else json.dumps(b) for b in call.params["blocks"]
    )


def buttons(call) -> list[dict]:
    (block,) = [b for b in call.params["blocks"] if b["type"] == "actions"]
    return block["elements"]


def suggestions(rig) -> list[LagSuggestion]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(LagSuggestion).order_by(LagSuggestion.id)))


def contests(rig) -> list[Contest]:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(Contest)))


def press(rig, user: str, action_id: str, value: str) -> tuple[dict, list[dict]]:
    """A signed block_actions payload for a button on the suggestion DM; returns the payload and
    what Pacer posted to its response_url."""
    url = rig.slack.new_response_url()
    payload = block_action_payload(
        user,
        action_id,
        value,
        team_id="T0RIG0001",
        channel_id="D0000DM01",
        message_ts="1700000000.000100",
        response_url=url,
        block_id=f"lag_suggestion_{value}",
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return payload, rig.slack.responses[url.rsplit("/", 1)[1]]


def channel_posts(rig) -> list:
    return [c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == CHANNEL]


# -- the ritual -------------------------------------------------------------------------------


def test_a_lagging_kpi_is_suggested_to_each_manager_once_with_three_buttons(rig):
    log_monday(rig)
    outcome = run(rig)
    assert outcome.status == "posted" and outcome.detail == "2 private messages", outcome
    sent = dms(rig)
    assert sorted(c.params["channel"] for c in sent) == sorted([MGR, MGR2])
    (row,) = suggestions(rig)
    assert (row.kpi, row.week_key, row.status) == ("calls", "2026-W48", "open")
    for call in sent:
        assert_within_slack_limits(call.params)
        text = text_of(call)
        assert "Behind pace this week: Calls / Emails" in text
        assert "*13%* of pace for the week — *10* of *75* expected by now" in text
        assert "Tue 24 Nov 2026, 11:00" in text
        assert "*290* to go to the weekly goal of 300" in text
        assert f"*Furthest behind:* <@{SDR}> 10 of 75 (13%)" in text
        assert "Ready-made contest: Calls / Emails catch-up" in text
        assert "Kind: target" in text and "Window: Tue 24 – Fri 27 Nov 2026" in text
        assert "Target: *290* Calls / Emails per rep" in text
        assert f"Entrants (1): <@{SDR}>" in text
        assert [(b["action_id"], b["text"]["text"], b["value"]) for b in buttons(call)] == [
            ("lag_launch", "Launch contest", str(row.id)),
            ("lag_edit", "Edit first", str(row.id)),
            ("lag_dismiss", "Dismiss", str(row.id)),
        ]
    assert run(rig).status == "settled"  # the same check again: nothing more
    assert len(dms(rig)) == 2
    wednesday = run(rig, at=WEDNESDAY_11)  # still behind, but suggested already this week
    assert wednesday.status == "posted" and wednesday.detail == "0 private messages"
    assert len(dms(rig)) == 2 and len(suggestions(rig)) == 1


def test_a_team_on_pace_hears_nothing(rig):
    log_monday(rig, calls=80)  # 80 of 75 expected
    assert run(rig).detail == "0 private messages"
    assert dms(rig) == [] and suggestions(rig) == []


def test_nothing_before_a_quarter_of_the_week(rig):
    log_monday(rig)
    early = datetime.fromisoformat("2026-11-24T10:00:00-05:00")  # 9 of 40 hours
    assert run(rig, at=early).detail == "0 private messages"
    assert dms(rig) == [] and suggestions(rig) == []


def test_a_team_without_managers_is_logged_and_nothing_is_sent(rig, caplog):
    rig.text("/pacer", f"manager <@{MGR}> off", ADMIN)
    rig.text("/pacer", f"manager <@{MGR2}> off", ADMIN)
    log_monday(rig)
    with caplog.at_level(logging.WARNING, logger="pacer.rituals"):
        assert run(rig).detail == "0 private messages"
    assert "no manager to tell" in caplog.text and "calls" in caplog.text
    assert dms(rig) == [] and suggestions(rig) == []  # not used up: a manager added later hears


def test_a_run_that_fails_midway_resumes_without_sending_twice(rig):
    log_monday(rig)
    rig.slack.fail_next("chat.postMessage", status=500)  # the first DM fails after its progress
    first = run(rig)
    assert first.status == "failed"
    later = datetime.fromisoformat("2026-11-24T11:05:00-05:00")
    second = run(rig, now=later)
    assert second.status == "posted" and second.detail == "1 private messages", second
    # one message was lost with the failure, none was sent twice, the suggestion stayed one
    delivered = [c.params["channel"] for c in dms(rig)]
    assert delivered == [sorted([MGR, MGR2])[1]]
    assert len(suggestions(rig)) == 1
    assert buttons(dms(rig)[0])[0]["value"] == str(suggestions(rig)[0].id)


# -- the buttons ------------------------------------------------------------------------------


def suggest(rig) -> str:
    log_monday(rig)
    assert run(rig).detail == "2 private messages"
    return str(suggestions(rig)[0].id)


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
    assert (contest.kind, contest.kpi, contest.target) == ("target", "calls", 290)
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
    assert "Calls / Emails catch-up" in view and "290" in view and value in view
    assert responses == []  # the message keeps its buttons until the modal is submitted
    assert suggestions(rig)[0].status == "open" and contests(rig) == []


def auto_launch(rig) -> None:
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
        data = process.to_dict()
        data["rituals"]["lag_check"]["auto_launch"] = True
        store_process(
            session,
            load_process_dict(data),
            team=people_queries.get_team(session, team_id(rig)),
            loaded_by="test",
            change="auto launch",
            now=MONDAY_10,
        )


def test_auto_launch_starts_the_contest_without_asking(rig):
    auto_launch(rig)
    log_monday(rig)
    outcome = run(rig)
    assert outcome.status == "posted" and outcome.detail == "2 private messages", outcome
    (contest,) = contests(rig)
    assert (contest.source, contest.target, contest.created_by) == ("auto", 290, "pacer")
    (row,) = suggestions(rig)
    assert (row.status, row.contest_id) == ("launched", contest.id)
    assert len(channel_posts(rig)) == 1  # announced in the team channel
    for call in dms(rig):
        text = text_of(call)
        assert "Pacer launched a contest" in text and f"<#{CHANNEL}>" in text
        assert "*13%* of pace for the week" in text and "Target: *290*" in text
        assert not [b for b in call.params["blocks"] if b["type"] == "actions"]
    assert run(rig).status == "settled"
    assert len(contests(rig)) == 1 and len(channel_posts(rig)) == 1 and len(dms(rig)) == 2


def test_launched_on_a_later_day_it_starts_that_day_resized(rig):
    value = suggest(rig)
    rig.text("/log", "calls 20", SDR)  # Tuesday, after the check
    rig.now = datetime.fromisoformat("2026-11-25T10:00:00-05:00")  # Wednesday
    _, responses = press(rig, MGR, "lag_launch", value)
    (contest,) = contests(rig)
    # a contest can't start in the past: Wed–Fri, and 300 − (10 + 20 logged before today)
    assert (str(contest.start_day), str(contest.end_day)) == ("2026-11-25", "2026-11-27")
    assert contest.target == 270
    line = responses[-1]["blocks"][-1]["elements"][0]["text"]
    assert "It runs Wed 25 – Fri 27 Nov 2026 with a target of 270 per rep" in line


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


def test_auto_launch_that_cannot_start_asks_the_managers_instead(rig):
    from bot.contests.flow import launch
    from rituals.contests import ContestSpec

    auto_launch(rig)
    log_monday(rig)
    with rig.services.unit_of_work() as session:  # a contest of the same name is running
        team = people_queries.get_team(session, team_id(rig))
        process, _ = team_process(session, team.id)
        launch(
            rig.services,
            session,
            team=team,
            process=process,
            spec=ContestSpec(
                "Calls / Emails catch-up",
                "race",
                "conversations",  # same name, another KPI: the name clash stops it
                MONDAY_10.date(),
                datetime(2026, 11, 27).date(),
            ),
            by=MGR,
            now=MONDAY_10,
            source="command",
            start_key="test",
        )
    assert run(rig).detail == "2 private messages"
    assert len(contests(rig)) == 1 and suggestions(rig)[0].status == "open"
    for call in dms(rig):
        assert "Pacer could not launch it by itself" in text_of(call)
        assert "already running" in text_of(call)
        assert [b["action_id"] for b in buttons(call)] == ["lag_launch", "lag_edit", "lag_dismiss"]


def test_two_managers_pressing_launch_at_once_start_one_contest(rig):
    from tests.storage.support import run_at_once

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


def test_a_kpi_with_a_contest_running_is_not_suggested_again(rig):
    log_monday(rig)
    rig.now = datetime.fromisoformat("2026-11-24T10:00:00-05:00")
    assert "Started" in rig.text("/contest", 'start race calls week "Manager\'s own blitz"', MGR)
    rig.slack.reset()
    outcome = run(rig)
    assert outcome.detail == "0 private messages" and suggestions(rig) == [] and dms(rig) == []


def test_edit_first_when_slack_refuses_the_form_says_what_to_do(rig):
    value = suggest(rig)
    rig.slack.fail_next("views.open", status=200, body={"ok": False, "error": "expired_trigger_id"})
    _, answers = press(rig, MGR, "lag_edit", value)
    assert "Slack didn't open the contest form (expired_trigger_id)" in answers[0]["text"]
    assert "Launch contest" in answers[0]["text"]
    assert suggestions(rig)[0].status == "open" and contests(rig) == []
