"""bot/contests/form.py: the contest form through signed payloads: `/contest start` alone opens
it; a submission with mistakes shows them on their fields (nothing stored); a good one starts the
contest once and announces it; a rep's is refused; one opened from a lag suggestion launches it
once. And the form as data: filled in from a proposal, it reads back as that proposal."""

import json
from datetime import date

from slack_bolt.request import BoltRequest
from slack_sdk.models.views import View

from bot.contests.form import build_modal, field_errors, read_spec
from rituals.contests import ContestSpec
from rituals.contests.problems import EndsBeforeStart, NoName, NoTarget
from rituals.process import default_process
from simulator.signed_requests import command_body, new_trigger_id, signed_headers
from storage import people_queries
from storage.models import ContestEntrant, LagSuggestion
from tests.bot.contests.support import (
    SDR2,
    TEAM,
    contest_posts,
    form,
    posts_of,
    send_view,
    stored,
)
from tests.bot.contests.support import rig as rig  # noqa: F401  (the fixture)
from tests.bot.form_support import state_of
from tests.bot.support import ADMIN, AE, MGR, SDR


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


# -- the form as data -------------------------------------------------------------------------

TUESDAY = date(2026, 11, 24)


def submitted(view: dict) -> dict:
    """The view as Slack sends it back when submitted as it opened."""
    return {**view, "state": {"values": state_of(view)}}


def test_a_form_filled_in_from_a_proposal_reads_back_as_that_proposal():
    process = default_process()
    spec = ContestSpec(
        name="Call Blitz",
        kind="teams",
        kpi="conversations",
        start_day=date(2026, 11, 25),
        end_day=date(2026, 11, 27),
        target=40,
        groups=(("East", (SDR, SDR2)), ("West", (AE,))),
        scoring="average",
        prize="Pizza",
    )
    view = build_modal(process, TUESDAY, spec, suggestion_id=12, reps=5)
    View(**view).validate_json()
    assert json.loads(view["private_metadata"]) == {"suggestion_id": 12}
    assert "(5 on the team now)" in json.dumps(view)
    assert read_spec(submitted(view), process) == (spec, {})


def test_an_empty_form_opens_on_a_race_from_the_next_working_day():
    saturday = date(2026, 11, 28)
    view = build_modal(default_process(), saturday)
    assert "private_metadata" not in view
    spec, errors = read_spec(submitted(view), default_process())
    assert errors == {"kpi": "Choose the KPI the contest counts."} and spec is None
    values = state_of(view)
    assert values["kind"]["value"]["selected_option"]["value"] == "race"
    assert values["start"]["value"]["selected_date"] == "2026-11-30"  # Monday
    assert values["end"]["value"]["selected_date"] == "2026-12-02"  # three working days


def test_what_cant_be_read_is_a_mistake_on_its_field():
    values = form(kind="race", groups=[("East", [SDR])], start="")
    values["kpi"]["value"]["selected_option"] = {"value": "golf_rounds"}
    spec, errors = read_spec({"state": {"values": values}}, default_process())
    assert spec is None
    assert errors["kpi"] == "That KPI is no longer in the team's process: choose another."
    assert errors["start"] == "Pick a day."
    assert errors["group1"].startswith("Groups are for team vs team")
    values = form(kind="teams", entrants=[SDR], target="lots", end="26/11/2026")
    spec, errors = read_spec({"state": {"values": values}}, default_process())
    assert errors["entrants"].startswith("For team vs team, put people in the groups below")
    assert errors["target"] == "The target is a whole number, e.g. 5."
    assert errors["end"] == "Pick a day from the calendar."


def test_a_race_keeps_no_target_and_a_target_contest_keeps_no_groups():
    spec, errors = read_spec({"state": {"values": form(target="7")}}, default_process())
    assert errors == {} and spec.kind == "race" and spec.target is None
    spec, _ = read_spec({"state": {"values": form(kind="target", target="7")}}, default_process())
    assert spec.target == 7 and spec.groups == ()


def test_problems_are_put_under_their_fields_in_plain_words():
    errors = field_errors(
        (
            NoName("name"),
            EndsBeforeStart("end", date(2026, 11, 20), TUESDAY),
            NoTarget("target"),
            NoTarget("target"),
        )
    )
    assert errors["name"] == 'Give the contest a name, e.g. "Call Blitz".'
    assert errors["end"].startswith("It would end on") and "`" not in errors["end"]
    assert errors["target"].count("number to reach") == 2  # two problems, one field
