"""A form filled in by number, with the errors Slack's client and Pacer put on its fields."""

from sqlmodel import Session, select

from storage.db import make_engine
from storage.models import Contest
from tests.simulator.console.support import SETUP, after, session_output


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
