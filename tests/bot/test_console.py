"""`pacer console`: scripted sessions through its stdin against the real app and the local Slack
stand-in (in-process, fast), once through the installed `pacer` entry point, and the renderer it
draws with."""

import io
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from simulator.console import Console, default_database, parse_moment, pick_option, run_console
from simulator.textview import Field, render_message, render_view
from storage import log_queries, people_queries
from storage.db import make_engine
from storage.models import ActivityLog, Contest

TUESDAY_11 = datetime.fromisoformat("2026-11-24T11:00:00-05:00")
SETUP = """\
/as Pat Lee
:add Sam Okafor
:add Jenna Park
/pacer team add @sam sdr
/pacer team add @jenna sdr
/pacer manager @pat
/pacer channel #sales
"""


def session_output(db: Path, script: str, now: datetime = TUESDAY_11) -> str:
    """Run the console on ``script`` (piped, as a script would) and return what it printed."""
    out = io.StringIO()
    code = run_console(database=f"sqlite:///{db}", stdin=io.StringIO(script), stdout=out, now=now)
    assert code == 0
    return out.getvalue()


def after(output: str, typed: str) -> str:
    """What the console printed after the typed line ``typed`` (its echo "Name › typed"), up
    to the next typed line."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(f" › {typed}"))
    rest = []
    for line in lines[start + 1 :]:
        if re.match(r"^\S[^›]* › [/:\d]", line) and not line.startswith("Pacer"):
            break
        rest.append(line)
    return "\n".join(rest)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "console.db"


def test_a_fresh_database_a_team_set_up_by_commands_then_logs_and_rituals(db):
    output = session_output(
        db,
        SETUP
        + """\
/as sam
/log call 12
/scorecard
/as pat
/scorecard @sam
:time 17:30
:run daily
1
""",
    )
    assert "An empty database" in output
    assert "you are a Pacer admin" in after(output, "/as Pat Lee")
    assert "Added @Sam Okafor to Sales as Sales Development Rep" in after(
        output, "/pacer team add @sam sdr"
    )
    assert "will post in #sales" in after(output, "/pacer channel #sales")
    logged = after(output, "/log call 12")
    assert logged.startswith("Pacer (only visible to you)")
    assert "Logged 12 Calls / Emails · today, Tue 24 Nov." in logged
    assert "today 12 of 60 · this week 12 of 300" in logged  # the standing, from the real app
    assert "Scorecard · @Sam Okafor · Sales Development Rep" in after(output, "/scorecard")
    assert "12 of 300" in after(output, "/scorecard @sam")  # the manager sees the same number
    daily = after(output, ":run daily")
    assert "(daily 2026-11-24, as of Tue 24 Nov 17:30: posted" in daily
    assert "Pacer › #sales\n    Daily digest · Sales · Tue 24 Nov 2026" in daily
    assert "  ↳ Pacer replies in the thread (#sales)" in daily  # the thread, indented
    assert "📎 " in daily  # the chart shared in the thread
    buttons = re.findall(r"\[(\d+) · ([^\]]+)\]", daily)
    assert buttons and buttons[0][0] == "1"  # numbered, so a number presses one
    pressed = after(output, "1")
    assert f"(you press [1 · {buttons[0][1]}] on Pacer's message (#sales))" in pressed
    assert "unexpected error" not in output and "could not do that" not in output
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        logs = list(session.exec(select(ActivityLog)))
        assert [(log.kpi, log.count, log.source) for log in logs] == [("calls", 12, "slash")]
        assert people_queries.teams(session)[0].channel_id == "C0SALES01"
    engine.dispose()


def test_mistakes_get_a_helpful_line_and_change_nothing(db):
    output = session_output(
        db,
        """\
/log call 3
7
/as Pat Lee
:add Maria Lopez
:add Marcus Bell
/as ma
/frobnicate now
:bogus
hello
:run nonsense
:time next tuesday
:set 1 5
:submit
4
""",
    )
    assert "Pick who you are first" in after(output, "/log call 3")
    assert "Pick who you are first" in after(output, "7")
    assert "“ma” could be Maria Lopez, Marcus Bell" in after(output, "/as ma")
    assert "Slack would say: /frobnicate is not a valid command" in after(output, "/frobnicate now")
    assert "/log, /scorecard" in after(output, "/frobnicate now")
    assert "`:bogus` isn't a console command; `:help` lists them." in after(output, ":bogus")
    assert "Type a slash command as in Slack" in after(output, "hello")
    assert "unknown ritual 'nonsense'" in after(output, ":run nonsense")
    assert "`:time` takes a moment in team time" in after(output, ":time next tuesday")
    assert "No form is open" in after(output, ":set 1 5")
    assert "No button on screen" in after(output, "4")
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        assert log_queries.count_logs(session) == 0
    engine.dispose()


def test_a_lag_check_button_pressed_by_number_launches_the_contest(db):
    output = session_output(
        db,
        SETUP
        + """\
:time 2026-11-23T16:00
/as sam
/log call 5
:time 2026-11-24T11:30
/as pat
:run lag-check
1
1
9
/as sam
2
""",
    )
    dms = after(output, ":run lag-check")
    assert "Pacer › direct message to Pat Lee\n    📉 Behind pace this week: Calls / Emails" in dms
    assert "[1 · Launch contest]  [2 · Edit first]  [3 · Dismiss]" in dms
    launched = after(output, "1")
    assert "(you press [1 · Launch contest] on Pacer's message (direct message to Pat Lee))" in (
        launched
    )
    assert "Pacer › #sales\n    🏁 New contest: Calls / Emails catch-up" in launched
    assert "Pacer replaces the message the button was on" in launched
    assert "Launched by @Pat Lee" in launched
    # The message lost its buttons; the other suggestions keep theirs.
    again = output.split(launched, 1)[1]
    assert "There's no button 1 on screen; the ones there are: 4 Launch contest" in again
    assert "(you press [9 · Dismiss]" in again and "Dismissed by @Pat Lee" in again
    # Sam's screen doesn't have Pat's direct messages, so there is nothing to press.
    assert "No button on screen" in after(output.split("› /as sam")[-1], "2")
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        assert len(list(session.exec(select(Contest)))) == 1
    engine.dispose()


def test_a_form_filled_by_number_with_slacks_and_pacers_errors(db):
    output = session_output(
        db,
        SETUP
        + """\
/contest start
:submit
:set 2 Conversations
:set 4 2026-11-27
:set 5 2026-11-25
:set 1 Blitz & <!channel>
:submit
:set 5 2026-11-27
:submit
""",
    )
    form = after(output, "/contest start")
    assert "┌─ Start a contest" in form and "[ Start ] :submit   [ Cancel ] :close" in form
    assert "1) Name: —" in form and "2) KPI: —" in form
    assert "(one of: 1 Calls / Emails · 2 Conversations" in form
    required = after(output, ":submit")  # nothing typed yet: Slack itself refuses
    assert "Slack keeps the form open (nothing sent)" in required
    assert "⚠️  Please complete this required field." in required
    assert "2) KPI: Conversations" in after(output, ":set 2 Conversations")
    refused = output.split("› :set 1 Blitz & <!channel>", 1)[1]
    refused = after(refused, ":submit")
    assert "Pacer keeps the form open, with what to fix" in refused  # response_action: errors
    assert "⚠️ " in refused.split("5) Last day: 2026-11-25", 1)[1].split("6)", 1)[0]
    started = output.rsplit("› :submit", 1)[1]
    assert "(the form closes)" in started
    assert "Pacer › #sales" in started and "New contest: Blitz & <!channel>" in started
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        contest = session.exec(select(Contest)).one()
        assert (contest.name, contest.kpi, contest.source) == (
            "Blitz & <!channel>",
            "conversations",
            "modal",
        )
    engine.dispose()


def test_the_home_tab_is_published_and_drawn(db):
    output = session_output(db, SETUP + "/as sam\n/log call 7\n:home\n")
    assert "(Pacer refreshes your Home tab: `:home` shows it)" in after(output, "/log call 7")
    home = after(output, ":home")
    assert home.startswith("Your Home tab in Pacer")
    assert "Calls / Emails" in home and "7 of 300" in home


def test_typing_becomes_what_slack_sends(tmp_path):
    console = Console(f"sqlite:///{tmp_path / 'c.db'}", io.StringIO(), now=TUESDAY_11)
    try:
        console.handle("/as Pat Lee")
        console.handle(":add Sam Okafor")
        sam = console.find("sam")[0]
        assert console.slack_text("@sam calls 5") == f"<@{sam}|sam> calls 5"
        assert console.slack_text("@Sam Okafor month") == f"<@{sam}|sam.okafor> month"
        assert console.slack_text("R&D <b> @here") == "R&amp;D &lt;b&gt; <!here>"
        assert console.slack_text("mail sam@acme.com") == "mail sam@acme.com"
        assert console.slack_text("@zed calls") == "@zed calls"  # nobody: plain text, as Slack
        assert console.slack_text("channel #sales") == "channel <#C0SALES01|sales>"
        assert console.slack_text("call #3") == "call #3"
    finally:
        console.close()


def test_time_and_options_and_the_default_database(tmp_path, monkeypatch):
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    now = datetime.fromisoformat("2026-11-24T11:00:00-05:00")
    assert parse_moment("2026-11-25T09:30", now, ny) == datetime.fromisoformat(
        "2026-11-25T09:30:00-05:00"
    )
    assert parse_moment("17:30", now, ny) == datetime.fromisoformat("2026-11-24T17:30:00-05:00")
    assert parse_moment("2026-11-26", now, ny) == datetime.fromisoformat("2026-11-26T11:00-05:00")
    assert parse_moment("2026-11-24T11:00Z", now, ny).hour == 11  # an offset is kept
    with pytest.raises(ValueError):
        parse_moment("tuesday", now, ny)
    options = [{"text": {"text": t}, "value": v} for t, v in (("Today", "day"), ("Week", "week"))]
    assert pick_option(options, "2")["value"] == "week"
    assert pick_option(options, "today")["value"] == "day"
    assert pick_option(options, "we")["value"] == "week"
    assert pick_option(options, "3") is None and pick_option(options, "month") is None
    monkeypatch.chdir(tmp_path)
    assert default_database() == "sqlite:///pacer.db"
    (tmp_path / "pacer-demo").mkdir()
    (tmp_path / "pacer-demo" / "pacer-demo.db").touch()
    assert default_database() == f"sqlite:///{tmp_path / 'pacer-demo' / 'pacer-demo.db'}"
    assert run_console(database="sqlite:///x.db", demo=True, stdout=io.StringIO()) == 2


def test_the_renderer_draws_fields_buttons_context_files_and_forms():
    message = {
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Scorecard"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*Week* for <@U1|maria>"},
                "fields": [
                    {"type": "mrkdwn", "text": "Calls 12"},
                    {"type": "mrkdwn", "text": "Convos 3"},
                ],
                "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Edit"}},
            },
            {
                "type": "context",
                "elements": [
                    {"type": "image", "image_url": "https://x/i.png", "alt_text": "chart"},
                    {"type": "mrkdwn", "text": "in <#C1|sales>"},
                ],
            },
            {"type": "divider"},
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Share"}},
                    {
                        "type": "static_select",
                        "placeholder": {"type": "plain_text", "text": "Period"},
                        "options": [{"text": {"type": "plain_text", "text": "Week"}, "value": "w"}],
                    },
                ],
            },
            {"type": "image", "image_url": "https://x/c.png", "alt_text": "the chart"},
        ],
        "files": [{"title": "Sales chart", "name": "chart.png", "size": 20480}],
    }
    controls: list = []
    text = render_message(message, {"U1": "Maria Lopez"}, controls=controls)
    assert text.splitlines()[:2] == ["Scorecard", "═════════"]
    assert "Week for @Maria Lopez" in text and "  Calls 12\n  Convos 3" in text
    assert "  [1 · Edit]" in text and "[2 · Share]  [3 · ▾ Period]" in text
    assert "  · [chart]\n  · in #sales" in text and "─" * 40 in text
    assert "[image: the chart]" in text and "📎 Sales chart · chart.png (20 KB)" in text
    assert [c.number for c in controls] == [1, 2, 3]
    assert "[ Share ]" in render_message(message)  # without controls: the demo's style
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Log activity"},
        "submit": {"type": "plain_text", "text": "Log"},
        "blocks": [
            {
                "type": "input",
                "block_id": "calls",
                "label": {"type": "plain_text", "text": "Calls"},
                "element": {"type": "number_input", "is_decimal_allowed": False},
            },
            {
                "type": "input",
                "block_id": "day",
                "optional": True,
                "label": {"type": "plain_text", "text": "Day"},
                "element": {"type": "datepicker", "initial_date": "2026-11-24"},
            },
        ],
    }
    fields: list[Field] = []
    form = render_view(view, fields=fields, errors={"calls": "A count of 0 logs nothing."})
    assert form.splitlines()[0].startswith("┌─ Log activity ")
    assert "│ 1) Calls: —\n│    ⚠️  A count of 0 logs nothing." in form
    assert "│ 2) Day (optional): 2026-11-24\n│    (a day: YYYY-MM-DD)" in form
    assert form.splitlines()[-1] == "└─ [ Log ] :submit   [ Close ] :close"
    assert [f.block_id for f in fields] == ["calls", "day"]


def test_the_installed_pacer_command_runs_a_session_on_the_demo_data(tmp_path):
    """The entry point end to end: `pacer console --demo` builds the sample team, then a piped
    session logs as one of its reps and reads a teammate's scorecard."""
    pacer = Path(sys.executable).parent / "pacer"
    script = (
        "/as Maria Lopez\n/log call 12\n/scorecard @sam\n:run leaderboard\n:quit\n/log call 1\n"
    )
    result = subprocess.run(
        [str(pacer), "console", "--demo", "--weeks", "1"],
        input=script,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Pick who you are: `/as maria`. People: Maria Lopez (sdr)" in out
    assert "Maria Lopez › /log call 12" in out and "✅ Logged 12 Calls / Emails" in out
    assert "Scorecard · @Sam Okafor · Sales Development Rep" in out
    assert "Leaderboard" in out
    assert "/log call 1\n" not in out  # :quit ended the session
    assert (tmp_path / "pacer-demo" / "pacer-demo.db").exists()
    assert "Traceback" not in result.stderr
