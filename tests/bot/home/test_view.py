"""bot/home/view.py: what the App Home tab shows, as published after a signed `app_home_opened`
event: a rep's week, a manager's team, someone on no team, running contests, and a big team
within Block Kit's limits.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York (Mon–Fri 09:00–17:00, US public
holidays: Thursday 26 is Thanksgiving): 10 of the week's 32 working hours, 31%, are gone. An SDR's
goals: calls 60/day (240 this week, 60 today, 1,140 in
November's 19 working days), conversations 12/day, meetings 8/week, SAO 6/month (recorded by
the AE)."""

import json
from datetime import datetime

import pytest

from bot import messages
from bot.home.view import _view
from storage import people_queries
from storage.models import ActivityLog, Member
from tests.bot.home.support import (
    LOG_NUMBER,
    PLUS_ONE,
    SDR2,
    assert_valid_view,
    home_button,
    open_home,
    text_of,
)
from tests.bot.support import ADMIN, AE, MGR, SDR


def test_a_reps_home_shows_the_week_one_tap_logs_and_last_logs(rig):
    rig.team()
    rig.text("/log", "call 12", SDR)
    rig.text("/log", 'conversations 4 "Acme <!channel>"', SDR)
    rig.text("/log", f"<@{SDR}> sao 1", AE)
    view = open_home(rig, SDR)
    text = text_of(view)
    assert view["type"] == "home" and json.loads(view["private_metadata"]) == {"period": "week"}
    assert "*Week:* Mon 23 – Sun 29 Nov 2026 · 31% of the week's working time elapsed" in text
    assert "12 of 240 (5%) · pace 16% · projected 38 — *behind*" in text
    assert "4 of 48 (8%)" in text
    # SAO 6/month, credited by the AE: the month to date (issue 12: it read "1 of 1.43 (70%)")
    assert (
        "month 1 of 6 (16%) · pace 20% · projected 1 — *behind*" in text
    )  # 15.25 of 19 working days gone
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
    rig.text("/log", "call 12", SDR)  # 12 of 240: pace 16%, behind
    rig.text("/log", "call 80", SDR2)  # 80 of 240: pace 106%, on pace
    rig.text("/log", "conversations 14", SDR2)  # 14 of 48: pace 93%, at risk
    view = open_home(rig, MGR)
    text = text_of(view)
    assert view["blocks"][0]["text"]["text"] == "Pacer · your team"
    assert "*Sales · this week* · Mon 23 – Sun 29 Nov 2026 · 31% of the working week gone" in text
    # Calls: 92 of 480 team goal, expected 150 by now → pace 61%; only SDR is behind.
    assert (
        ":red_circle: *Calls / Emails* 92 of 480 (19%) · pace 61% — behind · 2 reps\n"
        f"      behind: <@{SDR}>\n" in text
    )
    # Conversations: 14 of 96, expected 30 → 46%; SDR (0) is behind, SDR2 at risk is not listed.
    assert "*Conversations* 14 of 96 (14%) · pace 46% — behind · 2 reps\n" in text
    assert f"behind: <@{SDR}>\n:red_circle: *Discovery Meetings Scheduled*" in text
    assert "*Discovery Meetings Held* 0 of 12 (0%)" in text  # the AE's scorecard too
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


def test_contests_show_where_the_person_stands(rig):
    rig.team()
    rig.text("/pacer", f"team add <@{SDR2}> sdr", ADMIN)
    rig.text("/contest", 'start race calls 3d "Blitz <!channel>"', MGR)
    rig.text("/log", "call 12", SDR)
    rig.text("/log", "call 20", SDR2)
    text = text_of(open_home(rig, SDR))
    assert (
        # 3 working days from Tuesday: Tue, Wed and (after Thanksgiving) Fri
        ":trophy: *Blitz &lt;!channel&gt;* · race on Calls / Emails · ends Fri 27 Nov at 17:00"
        in text
    )
    assert f"You're 2nd of 2 with 12 · leading: <@{SDR2}> with 20." in text
    assert "You're 1st of 2 with 20." in text_of(open_home(rig, SDR2))
    assert f"Leading: <@{SDR2}> with 20." in text_of(open_home(rig, MGR))
    # After Friday's working day its result is being settled: still on Home, saying so.
    rig.now = datetime.fromisoformat("2026-11-27T17:30:00-05:00")
    settling = text_of(open_home(rig, SDR))
    assert "· ended Fri 27 Nov at 17:00, result settled Fri 27 Nov at 19:00" in settling
    rig.now = datetime.fromisoformat("2026-11-27T19:00:00-05:00")
    assert "Blitz" not in text_of(open_home(rig, SDR))


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
    assert "*Calls / Emails* 8,036 of 72,480 (11%) · pace 35% — behind · 302 reps" in text
    behind_calls = text.split("*Calls / Emails* 8,036")[1].split("\n")[1]
    assert behind_calls.count("<@") == 5 and behind_calls.endswith(" and 197 more")
    assert "<@U00000000>" not in behind_calls  # on pace, so not behind
    assert "303 reps · 303 behind on at least one KPI" in text
    assert len([b for b in view["blocks"] if b.get("block_id", "").startswith("home_log_")]) == 5


def test_a_view_longer_than_slack_allows_is_cut_at_100_blocks_and_says_so():

    blocks = [messages.header("Pacer")] + [messages.section(f"row {i}")[0] for i in range(150)]
    view = _view(blocks, "week")
    assert_valid_view(view)
    assert len(view["blocks"]) == 100 and "more than fits" in text_of(view)
