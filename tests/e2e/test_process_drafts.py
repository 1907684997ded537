"""Process drafts (issue 14) through `pacer serve` over signed HTTP, on SQLite and PostgreSQL:
a draft opened from Slack, every part's form submitted (invalid submissions answered in the form
under the field), the draft shown with its readable diff, a YAML file shared in a DM, publishing
refused then confirmed with the team-channel announcement, history and discard; the same
request delivered twice counts once; nobody but the author, reviewers, managers and admins sees
a draft.

The server's clock is Tuesday 24 Nov 2026, 11:00 in New York."""

import json
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from bot.ids import Action, View
from bot.settings import load_settings
from cli import rituals as rituals_cli
from simulator.signed_requests import block_action_payload, event_body, json_headers, new_trigger_id
from storage.db import normalize_url
from tests.e2e.harness import SECRET, TOKEN
from tests.e2e.test_surfaces import (
    assert_valid_view,
    interact,
    opened,
    posts,
    state_of,
    submit,
    team,
    text_of,
    unique,
    wait,
    with_channel,
)

FORM = View.DRAFT_EDIT


def draft_rows(server, ws) -> list[tuple]:
    return server.rows(
        "SELECT d.id, d.status, d.author_id, d.published_version FROM process_draft d "
        "JOIN workspace w ON w.id = d.workspace_id WHERE w.slack_team_id = ? ORDER BY d.id",
        ws.team_id,
    )


def edit_summaries(server, ws) -> list[str]:
    return [
        summary
        for (summary,) in server.rows(
            "SELECT e.summary FROM draft_edit e JOIN process_draft d ON d.id = e.draft_id "
            "JOIN workspace w ON w.id = d.workspace_id WHERE w.slack_team_id = ? ORDER BY e.id",
            ws.team_id,
        )
    ]


def open_form(server, ws, user: str, part: str) -> dict:
    trigger = new_trigger_id()
    reply = ws.command("/pacer", f"process draft {part}", user, trigger_id=trigger)
    assert reply.status == 200 and reply.body == {}, reply.body
    (form,) = wait(lambda: opened(server, trigger))
    assert form["callback_id"] == FORM
    return assert_valid_view(form)


def send(server, ws, user: str, form: dict, changes: dict, view_id: str | None = None) -> dict:
    values = state_of(form)
    for block, value in changes.items():
        values[block]["value"]["value"] = value
    return submit(
        server, ws, user, FORM, values, metadata=form["private_metadata"], view_id=view_id
    )


def test_a_draft_from_slack_edited_in_every_form_then_published(server, ws):
    sdr, _, mgr = team(ws)
    channel = with_channel(ws)
    assert ws.log(sdr, "calls 12").status == 200

    # Only managers and admins open a draft; the same request twice opens one.
    refused = ws.pacer(sdr, "process draft")
    assert "managers" in refused.text.lower() and draft_rows(server, ws) == []
    trigger = new_trigger_id()
    first = ws.command("/pacer", "process draft", mgr, trigger_id=trigger)
    again = ws.command("/pacer", "process draft", mgr, trigger_id=trigger)
    assert "Draft opened" in first.text and "already has an open draft" in again.text
    assert [row[1:3] for row in draft_rows(server, ws)] == [("open", mgr)]
    assert {b["action_id"] for b in first.body["blocks"][-1]["elements"]} == {Action.DRAFT_EDIT}
    # The draft is not for everyone's eyes.
    assert "Only the draft's author" in ws.pacer(sdr, "process draft show").text

    # The journey: a mistake stays in the form under its field; a good one is one edit.
    journey = open_form(server, ws, mgr, "journey")
    bad = send(server, ws, mgr, journey, {"stage:purchase": "Evaluates ROI", "order": "1 2 x"})
    assert bad["response_action"] == "errors"
    assert "already a stage 'Evaluates ROI'" in bad["errors"]["stage:purchase"]
    assert "x is not a stage number" in bad["errors"]["order"]
    assert edit_summaries(server, ws) == []
    view_id = unique("V")
    good = {"new": "Signs NDA after Has Conversation", "stage:purchase": "Buys"}
    saved = send(server, ws, mgr, journey, good, view_id=view_id)
    assert saved["response_action"] == "update"
    text = text_of(assert_valid_view(saved["view"]))
    assert "+ stage Signs NDA" in text and "stage Purchase renamed → Buys" in text
    assert "no activity moves prospects to 'Signs NDA'" in text  # the method's advice
    send(server, ws, mgr, journey, good, view_id=view_id)  # delivered twice: one edit
    assert edit_summaries(server, ws) == ["+ stage Signs NDA; stage Purchase renamed → Buys"]

    # The activity of each stage.
    activities = open_form(server, ws, mgr, "activities")
    bad = send(server, ws, mgr, activities, {"activity:signs_nda": "x" * 80})
    assert "75" in bad["errors"]["activity:signs_nda"]
    saved = send(server, ws, mgr, activities, {"activity:signs_nda": "Send NDA"})
    assert "+ activity Send NDA (stage Signs NDA)" in text_of(saved["view"])

    # The KPIs: a kind that isn't one; removing one the logs use; a rename and new words.
    kpis = open_form(server, ws, mgr, "kpis")
    bad = send(server, ws, mgr, kpis, {"kpi:conversations": "Talks (sometimes)"})
    assert "not leading or lagging" in bad["errors"]["kpi:conversations"]
    bad = send(server, ws, mgr, kpis, {"kpi:calls": ""})
    assert "archive it instead" in bad["errors"]["kpi:calls"]
    saved = send(
        server,
        ws,
        mgr,
        kpis,
        {"kpi:calls": "Dials (leading)", "new": "NDAs Sent (leading) for Signs NDA"},
    )
    text = text_of(saved["view"])
    assert "KPI Calls / Emails renamed → Dials" in text and "+ KPI NDAs Sent (leading)" in text

    # Scorecards and goals.
    cards = open_form(server, ws, mgr, "scorecards")
    bad = send(server, ws, mgr, cards, {"goal:sdr:calls": "lots", "scorecard:ae": "deals, flights"})
    assert "can't read the goal 'lots'" in bad["errors"]["goal:sdr:calls"]
    assert "no KPI 'flights'" in bad["errors"]["scorecard:ae"]
    saved = send(server, ws, mgr, cards, {"goal:sdr:calls": "80/day"})
    assert "goal sdr calls 60/day → 80/day" in text_of(saved["view"])

    # The draft beside the version in force; the rep's scorecard is untouched meanwhile.
    shown = ws.pacer(mgr, "process draft show").text
    for line in ("+ stage Signs NDA", "goal sdr calls 60/day → 80/day", "4 edits so far"):
        assert line in shown
    # Thanksgiving week: Mon, Tue, Wed and Fri at 60 a day.
    assert "Calls / Emails 12/240" in ws.scorecard(sdr).text

    # Publishing: a past date is refused; today, with the announcement in the team channel.
    past = ws.pacer(mgr, "process publish from 2026-11-01")
    assert "publishing never changes a past period's figures" in past.text
    assert "not a date" not in ws.pacer(mgr, "process publish from today confirm extra").text
    done = ws.pacer(mgr, "process publish")
    assert "Published* as version 1" in done.text, done.text
    assert [row[1::2] for row in draft_rows(server, ws)] == [("published", 1)]
    (post,) = wait(
        lambda: posts(
            server,
            lambda p: p.get("channel") == channel and "process is updated" in p.get("text", ""),
        )
    )
    body = json.dumps(post["blocks"])
    assert "Signs NDA" in body and "goal sdr calls 60/day \\u2192 80/day" in body
    # 80 a day from today: Monday, already past, keeps its 60 (60 + 3 × 80).
    assert "Dials 12/300" in ws.scorecard(sdr).text
    twice = ws.pacer(mgr, "process publish")
    assert "already published as version 1" in twice.text

    history = ws.pacer(mgr, "process history").text
    assert "v1" in history and "drafted by" in history


def test_refusals_and_discard(server, ws):
    sdr, _, mgr = team(ws)
    assert "no open draft" in ws.pacer(mgr, "process publish").text
    assert "no open draft" in ws.pacer(mgr, "process draft show").text
    assert "isn't a part of the draft" in ws.pacer(mgr, "process draft stages2").text
    assert "isn't a process command" in ws.pacer(mgr, "process launch").text
    ws.pacer(mgr, "process draft")
    assert "isn't part of" in ws.pacer(mgr, "process publish soon").text
    assert "isn't a date" in ws.pacer(mgr, "process publish from 24/11").text
    assert "managers" in ws.pacer(sdr, "process discard").text.lower()
    assert "discarded" in ws.pacer(mgr, "process discard").text
    assert [row[1] for row in draft_rows(server, ws)] == ["discarded"]
    assert "no open or scheduled draft to discard" in ws.pacer(mgr, "process discard").text


def test_a_draft_scheduled_for_a_later_day_is_published_once_by_the_sweep(server, ws, capsys):
    _, _, mgr = team(ws)
    channel = with_channel(ws)
    ws.pacer(mgr, "process draft")
    send(server, ws, mgr, open_form(server, ws, mgr, "journey"), {"stage:purchase": "Signs"})
    done = ws.pacer(mgr, "process publish from 2026-12-01")
    assert "*Scheduled*" in done.text, done.text
    assert [row[1] for row in draft_rows(server, ws)] == ["scheduled"]
    assert "locked until then" in ws.pacer(mgr, "process draft").text
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.standin.url,
            "DATABASE_URL": server.database_url,
        }
    )

    def sweep(at: str) -> str:
        assert rituals_cli.run_now(settings, "process-publish", None, ws.team_id, at) == 0
        return capsys.readouterr().out

    assert "0 drafts published" in sweep("2026-11-30T23:59:00-05:00")
    assert "1 draft published" in sweep("2026-12-01T00:00:00-05:00")
    assert "0 drafts published" in sweep("2026-12-01T00:01:00-05:00")  # once only
    assert [row[1::2] for row in draft_rows(server, ws)] == [("published", 1)]
    (post,) = wait(
        lambda: posts(
            server,
            lambda p: p.get("channel") == channel and "process is updated" in p.get("text", ""),
        )
    )
    assert "Signs" in json.dumps(post["blocks"])
    assert "in force from Tue 1 Dec 2026" in ws.pacer(mgr, "process history").text


def test_an_edit_button_opens_the_form_and_a_rep_pressing_it_is_refused(server, ws):
    sdr, _, mgr = team(ws)
    ws.pacer(mgr, "process draft")
    payload = block_action_payload(
        mgr, Action.DRAFT_EDIT, "kpis", team_id=ws.team_id, channel_id=unique("D")
    )
    assert interact(server, payload).status == 200
    (form,) = wait(lambda: opened(server, payload["trigger_id"]))
    assert form["title"]["text"] == "Draft: KPIs"
    rep = block_action_payload(
        sdr, Action.DRAFT_EDIT, "kpis", team_id=ws.team_id, channel_id=unique("D")
    )
    assert interact(server, rep).status == 200
    assert opened(server, rep["trigger_id"]) == []


VALID = """
name: Inside sales
review: {min_approvals: 1}
journey:
  - {key: receives_call, name: Receives Call/Email}
  - {key: purchase, name: Purchase}
activities:
  - {key: call_lead, name: Call Lead, stage: receives_call}
  - {key: close_deal, name: Close Deal, stage: purchase}
kpis:
  - {key: calls, name: Calls, kind: leading, activity: call_lead}
  - {key: deals, name: Deals, kind: lagging, activity: close_deal}
roles:
  - {key: sdr, name: SDR, scorecard: [calls, deals], goals: {calls: 70/day, deals: 2/month}}
  - {key: ae, name: AE, scorecard: [calls, deals], goals: {calls: 20/day, deals: 4/month}}
"""


def share(server, ws, user: str, name: str, content: str) -> str:
    file_id = unique("F")
    server.standin.uploads[file_id] = content.encode()  # served at /files/<id> to a bot token
    file = {
        "id": file_id,
        "name": name,
        "size": len(content),
        "url_private_download": f"{server.standin.base}/files/{file_id}",
    }
    dm = unique("D")
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": dm,
        "user": user,
        "ts": "1700000000.000200",
        "text": "",
        "files": [file],
    }
    body = event_body(event, team_id=ws.team_id)
    assert server.post(body, json_headers(SECRET, body)).status == 200
    return dm


def dm_texts(server, dm: str) -> list[str]:
    return [p.get("text", "") for p in posts(server, lambda p: p.get("channel") == dm)]


def test_a_yaml_file_in_a_dm_fills_the_draft_and_min_approvals_asks_for_confirm(server, ws):
    sdr, _, mgr = team(ws)
    bad = VALID.replace("70/day", "lots").replace("kind: lagging", "kind: laging")
    dm = share(server, ws, mgr, "process.yml", bad)
    (reply,) = wait(lambda: dm_texts(server, dm))
    assert (
        "process.yml was not used" in reply
        and "line 12 (kpis.deals.kind)" in reply
        and "line 14" in reply
    )
    assert draft_rows(server, ws) == []
    rep_dm = share(server, ws, sdr, "process.yml", VALID)
    assert "only the team's managers" in wait(lambda: dm_texts(server, rep_dm))[0]
    dm = share(server, ws, mgr, "process.yml", VALID)
    (reply,) = wait(lambda: dm_texts(server, dm))
    assert "opened the team's draft with it" in reply and "- stage Has Conversation" in reply
    assert [row[1] for row in draft_rows(server, ws)] == ["open"]

    # review: {min_approvals: 1} and nobody approved: publish asks for confirm; the KPIs the
    # logs use were kept, so nothing refuses it outright.
    asked = ws.pacer(mgr, "process publish")
    assert "0 of the 1 approvals" in asked.text and "confirm" in asked.text
    assert "Published* as version 1" in ws.pacer(mgr, "process publish confirm").text


def add_review(server, ws, answers: dict[str, str | None]) -> None:
    """A review round of the open draft as the reviews store it (SQL straight into the server's
    database): reviewer -> their answer (approve | suggest | None)."""
    ((draft_id, workspace_id),) = server.rows(
        "SELECT d.id, d.workspace_id FROM process_draft d JOIN workspace w ON w.id = d.workspace_id "
        "WHERE w.slack_team_id = ? AND d.status = 'open'",
        ws.team_id,
    )
    now = datetime(2026, 11, 24, 16, tzinfo=UTC)
    engine = create_engine(normalize_url(server.database_url))
    with engine.begin() as conn:
        review = conn.execute(
            text(
                "INSERT INTO process_review (workspace_id, draft_id, part, requested_by, opened_at, "
                "request_key) VALUES (:w, :d, 'journey', :u, :t, :k) RETURNING id"
            ),
            {"w": workspace_id, "d": draft_id, "u": "UAUTHOR", "t": now, "k": unique("R")},
        ).scalar_one()
        for user, verdict in answers.items():
            conn.execute(
                text("INSERT INTO review_reviewer (review_id, user_id, role) VALUES (:r, :u, '')"),
                {"r": review, "u": user},
            )
            if verdict:
                conn.execute(
                    text(
                        "INSERT INTO review_answer (review_id, reviewer_id, verdict, item, instead, "
                        "why, status, answered_at, answer_key) VALUES (:r, :u, :v, '', '', '', "
                        "'open', :t, :k)"
                    ),
                    {"r": review, "u": user, "v": verdict, "t": now, "k": unique("A")},
                )
    engine.dispose()


def test_a_reviewer_sees_the_draft_and_an_open_suggestion_asks_for_confirm(server, ws):
    sdr, ae, mgr = team(ws)
    channel = with_channel(ws)
    ws.pacer(mgr, "process draft")
    assert "Only the draft's author" in ws.pacer(sdr, "process draft show").text
    add_review(server, ws, {sdr: "suggest", ae: "approve", mgr: "approve"})
    assert "Draft of" in ws.pacer(sdr, "process draft show").text  # a reviewer now
    asked = ws.pacer(mgr, "process publish")
    assert "1 suggestion is still open" in asked.text
    assert [row[1] for row in draft_rows(server, ws)] == ["open"]
    assert "Published* as version 1" in ws.pacer(mgr, "process publish confirm").text
    (post,) = wait(
        lambda: posts(
            server,
            lambda p: p.get("channel") == channel and "process is updated" in p.get("text", ""),
        )
    )
    assert "reviewed by 2 reps and 1 manager" in post["text"]
    open_rounds = server.rows(
        "SELECT count(*) FROM process_review r JOIN process_draft d ON d.id = r.draft_id "
        "JOIN workspace w ON w.id = d.workspace_id WHERE w.slack_team_id = ? "
        "AND r.closed_at IS NULL",
        ws.team_id,
    )
    assert open_rounds == [(0,)]
