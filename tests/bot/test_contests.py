"""Contests end to end against the local Slack stand-in: `/contest` through signed requests, the
form through signed view_submission payloads, and the posts through the clock's ritual path
(Clock.tick with an injected time), each kind from start to result, with ties, backdated and
voided logs.

The rig's clock starts on Tuesday 24 Nov 2026, 11:00 in New York (the default process: Mon–Fri
09:00–17:00, contest standings at 11:30 and 15:30). A `3d` contest runs Tue 24 – Thu 26 Nov and
ends Thursday at 17:00."""

import json
import re
from datetime import datetime

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.models.views import View
from sqlmodel import select

from bot.delivery.clock import Clock
from simulator.signed_requests import (
    command_body,
    interaction_body,
    new_trigger_id,
    signed_headers,
    view_submission_payload,
)
from simulator.slack_standin import SlackStandin
from storage import people_queries
from storage.models import Contest, ContestEntrant, LagSuggestion
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig, assert_within_slack_limits, no_waiting

CHANNEL = "C0SALES01"
SDR2, SDR3 = "U0SDR0002", "U0SDR0003"
TEAM = "T0RIG0001"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "-05:00")


@pytest.fixture
def rig(tmp_path):
    with SlackStandin() as slack:
        slack.add_user(SDR, "Maria Lopez")
        slack.add_user(SDR2, "Sam Ray")
        slack.add_user(SDR3, "Kim Lee")
        slack.add_user(AE, "Alex Chen")
        slack.add_user(MGR, "Morgan Boss")
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
        rig.text("/pacer", f"team add <@{SDR3}> sdr", ADMIN)
        rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
        # Only the contests' posts: the other rituals have tests of their own (and are slow).
        for kind in (
            "daily",
            "weekly",
            "monthly",
            "leaderboards",
            "nudges",
            "lag_check",
            "coaching",
        ):
            assert "Rituals now" in rig.text("/pacer", f"ritual {kind} off", ADMIN), kind
        yield rig
        rig.services.background.shutdown(wait=True)


def contest_posts(rig) -> list[dict]:
    """The contest posts in the channel (run key ``team:standings:c…``), each with its text."""
    out = []
    for call in rig.slack.calls_to("chat.postMessage"):
        metadata = call.params.get("metadata") or {}
        run = (metadata.get("event_payload") or {}).get("run", "")
        if call.params.get("channel") != CHANNEL or ":standings:" not in run:
            continue
        blocks = call.params.get("blocks") or []
        text = "\n".join(b["text"]["text"] for b in blocks if isinstance(b.get("text"), dict))
        out.append({"run": run, "text": text, "params": call.params})
    return out


def posts_of(rig, phase: str) -> list[str]:
    return [p["text"] for p in contest_posts(rig) if p["run"].endswith(phase)]


def tick(rig, when: str) -> None:
    rig.now = at(when)
    Clock(rig.services).tick()


def stored(rig, model=Contest) -> list:
    with rig.services.unit_of_work() as session:
        return list(session.exec(select(model)))


def send_view(rig, user: str, values: dict, *, metadata: str = "", view_id="V0MODAL01"):
    payload = view_submission_payload(
        user, "contest_start", values, team_id=TEAM, private_metadata=metadata, view_id=view_id
    )
    body = interaction_body(payload)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def form(**fields) -> dict:
    """A submitted form's state values, as Slack sends them."""
    values = {
        "name": {"value": {"type": "plain_text_input", "value": fields.get("name", "Form Blitz")}},
        "kpi": {"value": {"type": "static_select", "selected_option": {"value": "calls"}}},
        "kind": {
            "value": {
                "type": "radio_buttons",
                "selected_option": {"value": fields.get("kind", "race")},
            }
        },
        "start": {
            "value": {"type": "datepicker", "selected_date": fields.get("start", "2026-11-24")}
        },
        "end": {"value": {"type": "datepicker", "selected_date": fields.get("end", "2026-11-26")}},
        "target": {"value": {"type": "number_input", "value": fields.get("target")}},
        "entrants": {
            "value": {"type": "multi_users_select", "selected_users": fields.get("entrants", [])}
        },
        "scoring": {"value": {"type": "radio_buttons", "selected_option": {"value": "sum"}}},
        "prize": {"value": {"type": "plain_text_input", "value": fields.get("prize")}},
    }
    for index, (name, people) in enumerate(fields.get("groups", []), 1):
        values[f"group{index}_name"] = {"value": {"type": "plain_text_input", "value": name}}
        values[f"group{index}"] = {
            "value": {"type": "multi_users_select", "selected_users": people}
        }
    return values


# -- each kind from start to result -----------------------------------------------------------


def test_a_race_from_start_to_result(rig):
    reply = rig.text("/contest", 'start race calls 3d "Call Blitz" prize "Lunch on me"', MGR)
    assert "Started *Call Blitz*: a race on *Calls / Emails*" in reply
    assert "Tue 24 – Thu 26 Nov 2026" in reply and "3 taking part" in reply
    assert f"announced in <#{CHANNEL}>" in reply
    start = posts_of(rig, ":start")
    assert len(start) == 1
    assert "Race* on *Calls / Emails*" in start[0] and "Ends Thu 26 Nov at 17:00" in start[0]
    assert "Prize: Lunch on me" in start[0] and "3 taking part" in start[0]
    assert "`/log calls 12`" in start[0]
    rig.text("/log", "calls 40", SDR)
    rig.text("/log", "calls 25", SDR2)
    rig.text("/log", "calls 10", SDR3)
    tick(rig, "2026-11-24T11:40:00")  # the start is settled: not posted again
    assert len(posts_of(rig, ":start")) == 1
    tick(rig, "2026-11-25T11:30:00")
    [standing] = posts_of(rig, ":2026-11-25T11:30")
    assert "*Call Blitz* standings, Wed 25 Nov at 11:30" in standing
    assert ":first_place_medal: Maria Lopez — 40" in standing
    assert ":second_place_medal: Sam Ray — 25" in standing
    assert ":third_place_medal: Kim Lee — 10" in standing
    assert "<@" not in standing  # names, not mentions: nobody is pinged by standings
    rig.text("/log", "calls 30", SDR2)
    tick(rig, "2026-11-25T14:00:00")
    [mid] = posts_of(rig, ":mid")
    assert "Half way" in mid and "Sam Ray — 55" in mid
    tick(rig, "2026-11-26T16:00:00")
    [last] = posts_of(rig, ":last-hour")
    assert "Last hour" in last and "ends at 17:00" in last
    tick(rig, "2026-11-26T17:00:00")
    [result] = posts_of(rig, ":result")
    assert f"<@{SDR2}> wins *Call Blitz* with 55 Calls / Emails!" in result
    assert "Prize: Lunch on me" in result
    assert "105 Calls / Emails logged in all by 3 of 3 taking part" in result
    tick(rig, "2026-11-26T17:05:00")
    assert len(posts_of(rig, ":result")) == 1  # exactly once
    [contest] = stored(rig)
    assert contest.status == "ended" and json.loads(contest.result)["winners"] == [SDR2]
    # The result shown later, privately, is the one announced.
    shown = rig.text("/contest", "standings call blitz", SDR3)
    assert f"<@{SDR2}> wins" in shown and "You: 10 (rank 3)" in shown


def test_a_race_tie_for_first_and_a_race_nobody_logged(rig):
    rig.text("/contest", f'start race calls today "Tie Break" <@{SDR}> <@{SDR2}>', MGR)
    rig.text("/contest", f'start race conversations today "Quiet" <@{SDR3}>', MGR)
    rig.text("/log", "calls 84", SDR)
    rig.text("/log", "calls 84", SDR2)
    rig.text("/log", "calls 90", SDR3)  # not taking part in Tie Break
    tick(rig, "2026-11-24T17:00:00")
    results = posts_of(rig, ":result")
    tie = next(r for r in results if "Tie Break" in r)
    assert f"Tie for first: <@{SDR}> and <@{SDR2}> with 84 Calls / Emails each" in tie
    quiet = next(r for r in results if "Quiet" in r)
    assert "Nobody logged Conversations during *Quiet*, so there is no winner." in quiet
    assert "<@" not in quiet


def test_a_target_with_several_winners(rig):
    # "meetings" is scheduled for an SDR and held for an AE: the SDRs named settle it.
    reply = rig.text(
        "/contest",
        f'start target meetings 1w 5 "Five by Friday" prize "Lunch" <@{SDR}> <@{SDR2}> <@{SDR3}>',
        MGR,
    )
    assert "a target on *Discovery Meetings Scheduled*, target 5" in reply
    [start] = posts_of(rig, ":start")
    assert "everyone who reaches *5* for Tue 24 – Mon 30 Nov 2026 wins" in start
    rig.text("/log", "meetings 5", SDR)
    rig.text("/log", "meetings 7", SDR2)
    rig.text("/log", "meetings 3", SDR3)
    tick(rig, "2026-11-25T11:30:00")
    [standing] = posts_of(rig, ":2026-11-25T11:30")
    assert "Reached (2): Sam Ray (7), Maria Lopez (5)" in standing
    assert "Kim Lee 3 (2 to go)" in standing
    tick(rig, "2026-11-30T17:00:00")
    [result] = posts_of(rig, ":result")
    assert f"2 reached 5 Discovery Meetings Scheduled and win: <@{SDR2}> and <@{SDR}>" in result
    assert "Prize: Lunch" in result


def test_team_vs_team_with_a_tie_then_averaged(rig):
    rig.text(
        "/contest",
        f'start teams calls today "East vs West" East: <@{SDR}> <@{SDR2}> vs West: <@{SDR3}>',
        MGR,
    )
    rig.text(
        "/contest",
        f'start teams calls today "Per Rep" <@{SDR}> <@{SDR2}> vs <@{SDR3}> average',
        MGR,
    )
    [start_sum, start_avg] = posts_of(rig, ":start")
    assert "*East* (2) vs *West* (1)" in start_sum and "in total" in start_sum
    assert "*Team 1* (2) vs *Team 2* (1)" in start_avg and "per rep" in start_avg
    rig.text("/log", "calls 6", SDR)
    rig.text("/log", "calls 4", SDR2)
    rig.text("/log", "calls 10", SDR3)
    tick(rig, "2026-11-24T17:00:00")
    results = posts_of(rig, ":result")
    summed = next(r for r in results if "East vs West" in r)
    assert "Tie for first: *East* and *West* with 10 each" in summed
    averaged = next(r for r in results if "Per Rep" in r)
    assert "*Team 2* wins *Per Rep* with 10 Calls / Emails per rep!" in averaged
    assert f"Well played <@{SDR3}>" in averaged
    assert "*Team 1* — 5 per rep (10 from 2)" in averaged


# -- logs backdated, voided, and after the result ---------------------------------------------


def test_backdated_and_voided_logs_and_a_void_after_the_result(rig):
    rig.text("/contest", 'start race calls 2d "Two Days"', MGR)
    rig.now = at("2026-11-25T10:00:00")  # Wednesday
    rig.text("/log", "calls 7 yesterday", SDR2)  # backdated into the window: counts
    rig.text("/log", "calls 5 monday", SDR3)  # before the window: doesn't
    rig.text("/log", "calls 9", SDR3)
    rig.text("/log", "undo", SDR3)  # voided during the contest: doesn't count
    rig.text("/log", "calls 12", SDR)
    board = rig.text("/contest", "standings", SDR)
    assert "Maria Lopez — 12 ← you" in board and "Sam Ray — 7" in board
    assert "Kim Lee" not in board  # nothing counted for Kim
    tick(rig, "2026-11-25T17:00:00")
    [result] = posts_of(rig, ":result")
    assert f"<@{SDR}> wins *Two Days* with 12 Calls / Emails!" in result
    rig.now = at("2026-11-26T09:30:00")
    rig.text("/log", "undo", SDR)  # Maria's 12, voided after the result
    rig.text("/log", "calls 20 yesterday", SDR3)  # backdated into the window after the result
    shown = rig.text("/contest", "standings Two Days", SDR2)
    assert f"<@{SDR}> wins *Two Days* with 12 Calls / Emails!" in shown  # the result stands
    assert "Since the result: 1 log voided (−12 Calls / Emails, Maria Lopez)" in shown
    assert "1 log logged into the contest's days (+20 Calls / Emails, Kim Lee)" in shown
    assert "the result stands" in shown
    [contest] = stored(rig)
    assert json.loads(contest.result)["winners"] == [SDR]


# -- one contest per request, permissions, mistakes -------------------------------------------


def test_the_same_start_request_twice_starts_one_contest(rig):
    body = command_body("/contest", 'start race calls 3d "Once"', MGR, team_id=TEAM)
    replies = []
    for _ in range(2):
        response = rig.app.dispatch(
            BoltRequest(body=body, headers=signed_headers("rig-secret", body))
        )
        replies.append(json.dumps(json.loads(response.body)))
    assert len(stored(rig)) == 1
    assert len(posts_of(rig, ":start")) == 1
    assert "reached Pacer twice" in replies[1] and "reached Pacer twice" not in replies[0]


def test_reps_cannot_start_or_end_but_can_list_and_see_standings(rig):
    for text in ('start race calls 3d "Mine"', "start"):
        assert "Only the team's managers and Pacer admins can start contests" in rig.text(
            "/contest", text, SDR
        )
    assert rig.slack.calls_to("views.open") == []
    rig.text("/contest", 'start race calls 3d "Theirs"', ADMIN)  # an admin may
    assert "Only the team's managers and Pacer admins can end contests" in rig.text(
        "/contest", "end", SDR
    )
    assert "*Theirs*" in rig.text("/contest", "", SDR)
    assert "Theirs* standings" in rig.text("/contest", "standings", AE)
    [contest] = stored(rig)
    assert contest.status == "running" and contest.ended_at is None


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ('start calls 3d "X"', "Say the kind first"),
        ('start sprint calls 3d "X"', "`sprint` isn't a kind of contest"),
        ('start race cals 3d "X"', "I don't know the KPI `cals`. Did you mean `calls`"),
        ('start race 3d "X"', "Which KPI?"),
        ('start race calls "X"', "How long?"),
        ('start race calls 3d 5 "X"', "A race has no target"),
        ('start target calls 1w "X"', "A target contest needs the number to reach"),
        ('start target meetings 1w 5 "X"', "`meetings` could mean `meetings_scheduled`"),
        (f'start teams calls 1w "X" <@{SDR}> <@{SDR2}>', "Teams need two or more groups"),
        (f'start teams calls 1w "X" <@{SDR}> vs <@{SDR}>', "is in two groups"),
        ('start race calls 3d "X" <@U0NOBODY1>', "isn't on the team"),
        (f'start race calls 3d "X" <@{AE}>', "without Calls / Emails on their scorecard"),
        ('start race calls 3d "' + "x" * 81 + '"', "The name is 81 characters long"),
        ('start race calls until 2026-11-20 "X"', "before it starts"),
        ('start race calls 3d "A" "B"', "Two quoted names"),
        ('start race calls 3d "Call Blitz', "A quote is left open"),
        ("start race calls conversations 3d", "One KPI per contest"),
        ("start race calls 99d", "a contest runs 1 to 60 working days"),
        ('start race calls 3d "X" prize', "What's the prize?"),
        ('start race calls 3d "X" average', "`average` scores team contests per rep"),
        ('start race calls 3d "X" @nobody', "I don't know who @nobody is"),
        ("start race calls until someday", "Until `someday`?"),
        ("start race calls 3d 1w", "Two windows?"),
        ("frobnicate", "`frobnicate` isn't something `/contest` does"),
        ("end", "No contest is running"),
        ("standings Nope", "No contest called `Nope`"),
    ],
)
def test_every_quick_form_mistake_gets_its_own_reply_and_stores_nothing(rig, text, reply):
    assert reply in rig.text("/contest", text, MGR)
    assert stored(rig) == [] and stored(rig, ContestEntrant) == []
    assert contest_posts(rig) == []


def test_a_name_already_running_and_today_after_hours_are_refused(rig):
    rig.text("/contest", 'start race calls 3d "Call Blitz"', MGR)
    assert "A contest called “Call Blitz” is already running" in rig.text(
        "/contest", 'start race calls 1w "call blitz"', MGR
    )
    rig.now = at("2026-11-24T17:30:00")
    assert "Working hours on Tue 24 Nov end at 17:00, which is past" in rig.text(
        "/contest", 'start race calls today "Late"', MGR
    )
    assert len(stored(rig)) == 1
    # `3d` after hours starts on the next working day.
    assert "Wed 25 – Fri 27 Nov 2026" in rig.text("/contest", 'start race calls 3d "Later"', MGR)


def test_standings_of_one_of_several_and_names_escaped(rig):
    rig.text("/contest", 'start race calls 3d "R&D <!channel> Push"', MGR)
    rig.text("/contest", 'start race conversations 3d "Talk Fest"', MGR)
    several = rig.text("/contest", "standings", SDR)
    assert "2 contests are running" in several and "“Talk Fest”" in several
    assert "R&amp;D &lt;!channel&gt; Push" in several
    assert "Talk Fest* standings" in rig.text("/contest", "standings talk", SDR)
    assert "Did you mean “Talk Fest”" in rig.text("/contest", "standings Talk Fast", SDR)
    for post in contest_posts(rig):
        mrkdwn = [b for b in post["params"]["blocks"] if b.get("type") != "header"]
        assert "<!channel>" not in json.dumps(mrkdwn) and "<!channel>" not in post["params"]["text"]


def test_ending_early_posts_the_result_at_once_and_nothing_after(rig):
    rig.text("/contest", 'start race calls 3d "Short"', MGR)
    rig.text("/log", "calls 8", SDR)
    rig.now = at("2026-11-24T13:00:00")
    reply = rig.text("/contest", "end", MGR)
    assert "Ended *Short* now" in reply and f"<@{SDR}> wins *Short* with 8" in reply
    [result] = posts_of(rig, ":result")
    assert "Ended early by Morgan Boss at Tue 24 Nov at 13:00" in result
    assert "already ended" in rig.text("/contest", "end Short", MGR)
    rig.text("/log", "calls 50", SDR2)  # after the end: not counted
    tick(rig, "2026-11-25T11:30:00")
    tick(rig, "2026-11-26T17:00:00")
    assert len(contest_posts(rig)) == 2  # the start and the result, nothing since
    [contest] = stored(rig)
    assert contest.ended_by == MGR and json.loads(contest.result)["winners"] == [SDR]


def test_three_hundred_entrants_stay_inside_slack_limits(rig):
    for i in range(300):
        rig.slack.add_user(f"U{i:08d}", f"Rep number {i} with a rather long display name")
        rig.run("/pacer", f"team add <@U{i:08d}> sdr", ADMIN)
    rig.text("/contest", 'start target calls today 3 "Everyone"', MGR)
    rig.text("/contest", 'start race calls today "Big Race"', MGR)
    for i in range(300):
        rig.run("/log", f"calls {i % 7 + 1}", f"U{i:08d}")
    board = rig.run("/contest", "standings Everyone", SDR)
    assert_within_slack_limits(board)
    tick(rig, "2026-11-24T15:30:00")
    tick(rig, "2026-11-24T17:00:00")
    posts = contest_posts(rig)
    assert len(posts) >= 6  # starts, standings, results and the results' threads
    for post in posts:
        assert_within_slack_limits(post["params"])
    results = [p["text"] for p in posts if p["run"].endswith(":result")]
    assert any("reached 3 Calls / Emails and win" in text for text in results)
    threads: dict[str, list[str]] = {}
    for post in posts:
        if post["params"].get("thread_ts"):
            threads.setdefault(post["run"], []).extend(post["text"].splitlines())
    assert len(threads) == 2  # each result's full ranking, in its thread: nobody left out
    for lines in threads.values():
        ranked = [line for line in lines if re.match(r"^\d+\. Rep number \d+ ", line)]
        assert len(ranked) == 300


# -- the form ---------------------------------------------------------------------------------


def test_contest_start_alone_opens_the_form(rig):
    trigger = new_trigger_id()
    body = command_body("/contest", "start", MGR, team_id=TEAM, trigger_id=trigger)
    response = rig.app.dispatch(BoltRequest(body=body, headers=signed_headers("rig-secret", body)))
    assert response.status == 200 and response.body == ""
    [call] = rig.slack.calls_to("views.open")
    assert call.params["trigger_id"] == trigger
    view = call.params["view"]
    View(**view).validate_json()  # slack_sdk's own checks
    assert len(view["blocks"]) <= 100 and view["callback_id"] == "contest_start"
    assert {b.get("block_id") for b in view["blocks"]} >= {
        "name",
        "kpi",
        "kind",
        "start",
        "end",
        "target",
        "entrants",
        "group1",
        "group2",
        "scoring",
        "prize",
    }
    kpis = next(b for b in view["blocks"] if b.get("block_id") == "kpi")["element"]["options"]
    assert [o["value"] for o in kpis][:2] == ["calls", "conversations"]


def test_a_form_with_mistakes_shows_them_on_their_fields_and_stores_nothing(rig):
    answer = send_view(rig, MGR, form(kind="target", end="2026-11-20", name=""))
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert "Give the contest a name" in errors["name"]
    assert "before it starts" in errors["end"]
    assert "needs the number to reach" in errors["target"]
    answer = send_view(
        rig, MGR, form(kind="teams", groups=[("East", [SDR, SDR2]), ("West", [SDR2, AE])])
    )
    assert "Sam Ray is in two groups" in answer["errors"]["group2"]
    assert "Alex Chen is an Account Executive without Calls / Emails" in answer["errors"]["group2"]
    rig.slack.add_user("U0NOBODY1", "Nora Outsider")  # in Slack, not on the team
    rig.slack.reset()
    answer = send_view(rig, MGR, form(entrants=["U0NOBODY1"], target="2.5"))
    assert "The target is a whole number" in answer["errors"]["target"]
    # Names come from Pacer's cache only (asking Slack could miss the 3-second deadline).
    assert answer["errors"]["entrants"].startswith("A person picked here (U0NOBODY1) isn't on")
    assert rig.slack.calls_to("users.info") == [] and rig.slack.calls_to("users.list") == []
    assert "`" not in json.dumps(answer)  # plain text under the fields
    assert stored(rig) == [] and contest_posts(rig) == []


def test_a_good_form_starts_the_contest_and_announces_it(rig):
    answer = send_view(
        rig, MGR, form(name="Form Blitz", entrants=[SDR, SDR2], prize="Pizza"), view_id="V0F1"
    )
    assert answer == {}  # the form closes
    [contest] = stored(rig)
    assert contest.source == "modal" and contest.name == "Form Blitz" and contest.prize == "Pizza"
    assert sorted(e.user_id for e in stored(rig, ContestEntrant)) == [SDR, SDR2]
    [start] = posts_of(rig, ":start")
    assert "New contest: Form Blitz" in start and "2 taking part: Maria Lopez, Sam Ray" in start
    dms = [c for c in rig.slack.calls_to("chat.postMessage") if c.params["channel"] == MGR]
    assert any("You started *Form Blitz*" in str(c.params["blocks"]) for c in dms)
    assert any(c.params["text"].startswith(":checkered_flag: You started Form Blitz") for c in dms)
    # Slack delivering the same submission again starts nothing more.
    assert send_view(rig, MGR, form(name="Form Blitz", entrants=[SDR, SDR2]), view_id="V0F1") == {}
    assert len(stored(rig)) == 1 and len(posts_of(rig, ":start")) == 1


def test_a_rep_submitting_the_form_is_refused(rig):
    answer = send_view(rig, SDR, form())
    assert answer["response_action"] == "update"
    assert "Only the team's managers" in json.dumps(answer["view"])
    assert stored(rig) == []


def test_the_form_from_a_suggestion_launches_it_once(rig):
    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        row = LagSuggestion(
            workspace_id=team.workspace_id,
            team_id=team.id,
            kpi="calls",
            week_key="2026-W48",
            pace=0.5,
            proposal="{}",
            created_at=rig.now,
        )
        session.add(row)
        session.commit()
        suggestion_id = row.id
    metadata = json.dumps({"suggestion_id": suggestion_id})
    assert send_view(rig, MGR, form(), metadata=metadata, view_id="V0S1") == {}
    [launched] = stored(rig, LagSuggestion)
    [contest] = stored(rig)
    assert launched.status == "launched" and launched.contest_id == contest.id
    assert contest.source == "suggestion"
    # Another form for the same suggestion: refused, nothing more stored.
    answer = send_view(rig, ADMIN, form(name="Again"), metadata=metadata, view_id="V0S2")
    assert answer["response_action"] == "update"
    assert "already launched by" in json.dumps(answer["view"])
    assert len(stored(rig)) == 1


def test_without_a_channel_the_start_waits_and_posts_once_a_channel_is_set(rig):
    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        team.channel_id = None
        session.add(team)
        session.commit()
    assert "No contests in the last 30 days" in rig.text("/contest", "", SDR)
    rig.now = at("2026-11-24T11:05:00")  # the team has existed since 11:00
    reply = rig.text("/contest", 'start target calls 2d 1,000 "Thousand"', MGR)
    assert "target 1000" in reply and "`/pacer channel #sales`" in reply
    assert contest_posts(rig) == []
    tick(rig, "2026-11-25T09:10:00")  # still no channel: nothing posted, nothing lost
    assert contest_posts(rig) == []
    rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
    tick(rig, "2026-11-25T09:12:00")  # the start is never too late
    [start] = posts_of(rig, ":start")
    assert "New contest: Thousand" in start
    assert "everyone who reaches *1,000*" in start
    tick(rig, "2026-11-25T09:20:00")
    assert len(posts_of(rig, ":start")) == 1


def test_help_lists_every_form(rig):
    text = rig.text("/contest", "help", SDR)
    for form_text in ("`/contest start`", "race calls 3d", "target sets 1w 5", "vs @c @d"):
        assert form_text in text
    assert "`/contest end [name]`" in text


@pytest.mark.parametrize(
    ("now", "word", "days"),
    [
        ("2026-11-24T11:00:00", "3d", ("2026-11-24", "2026-11-26")),
        ("2026-11-24T11:00:00", "today", ("2026-11-24", "2026-11-24")),
        ("2026-11-24T11:00:00", "week", ("2026-11-24", "2026-11-27")),
        ("2026-11-24T11:00:00", "1w", ("2026-11-24", "2026-11-30")),  # 5 working days
        ("2026-11-24T11:00:00", "2w", ("2026-11-24", "2026-12-07")),
        ("2026-11-24T11:00:00", "until fri", ("2026-11-24", "2026-11-27")),
        ("2026-11-24T11:00:00", "until 2026-12-02", ("2026-11-24", "2026-12-02")),
        ("2026-11-28T10:00:00", "3d", ("2026-11-30", "2026-12-02")),  # Saturday: from Monday
        ("2026-11-27T17:30:00", "1d", ("2026-11-30", "2026-11-30")),  # Friday after hours
    ],
)
def test_quick_form_windows(now, word, days):
    from bot.contests.command import parse_start
    from rituals.process import default_process

    parsed = parse_start(f'race calls {word} "W"', default_process(), at(now))
    assert tuple(d.isoformat() for d in parsed.window) == days


def test_the_rest_of_the_week_on_a_saturday_is_refused():
    from bot.contests.command import parse_start
    from bot.parsing import ParseError
    from rituals.process import default_process

    with pytest.raises(ParseError, match="This week's working days are over"):
        parse_start('race calls week "W"', default_process(), at("2026-11-28T10:00:00"))


def test_a_target_with_hundreds_of_winners_names_or_counts_every_one(rig):
    ids = [f"U0LONGID{i:05d}" for i in range(260)]
    for user in ids:
        rig.slack.add_user(user, f"Rep {user}")
        rig.run("/pacer", f"team add <@{user}> sdr", ADMIN)
    rig.text("/contest", 'start target calls today 3 "Everyone"', MGR)
    for user in ids:
        rig.run("/log", "calls 5", user)
    tick(rig, "2026-11-24T17:00:00")
    (post,) = [
        p
        for p in contest_posts(rig)
        if p["run"].endswith(":result") and not p["params"].get("thread_ts")
    ]
    full = "\n".join((b.get("text") or {}).get("text", "") for b in post["params"]["blocks"])
    shown = full.count("<@U0LONGID")
    more = re.search(r"and (\d+) more", full)
    assert more and shown + int(more.group(1)) == 260, (shown, full[-300:])
    assert "…" not in full  # nothing cut off mid-mention


def test_an_admin_ends_another_teams_contest_by_name(rig):
    from bot.contests.flow import launch
    from rituals.contests import ContestSpec
    from rituals.teams import team_process
    from storage.models import Member, SalesTeam

    with rig.services.unit_of_work() as session:
        sales = people_queries.teams(session)[0]
        other = SalesTeam(workspace_id=sales.workspace_id, name="Enterprise", created_at=rig.now)
        session.add(other)
        session.commit()
        session.add(
            Member(
                workspace_id=sales.workspace_id,
                team_id=other.id,
                user_id="U0ENTREP1",
                role="sdr",
                added_by=ADMIN,
                added_at=rig.now,
            )
        )
        session.commit()
        process, _ = team_process(session, other.id)
        day = process.calendar.local_date(rig.now)
        launch(
            rig.services,
            session,
            team=other,
            process=process,
            spec=ContestSpec("Enterprise dials", "race", "calls", day, day),
            by=ADMIN,
            now=rig.now,
            source="command",
            start_key="test:enterprise",
        )
        other_id = other.id
    # A manager of Sales doesn't see it; an admin finds it by name and ends it.
    assert "No contest called" in rig.text("/contest", 'end "Enterprise dials"', MGR)
    assert "ended" in rig.text("/contest", 'end "Enterprise dials"', ADMIN).lower()
    with rig.services.unit_of_work() as session:
        (contest,) = session.exec(select(Contest).where(Contest.team_id == other_id)).all()
        assert contest.ended_by == ADMIN
