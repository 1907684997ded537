"""`pacer console` sessions as a script types them: a team set up from an empty database, then
logs and a ritual; mistakes that get a helpful line and change nothing."""

import re

from sqlmodel import Session, select

from storage import log_queries, people_queries
from storage.db import make_engine
from storage.models import ActivityLog
from tests.simulator.console.support import SETUP, after, session_output


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
    assert "today 12 of 60 · this week 12 of 240" in logged  # Thanksgiving week: 4 × 60
    assert "Scorecard · @Sam Okafor · Sales Development Rep" in after(output, "/scorecard")
    assert "12 of 240" in after(output, "/scorecard @sam")  # the manager sees the same number
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
