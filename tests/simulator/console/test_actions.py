"""Buttons pressed by number and the Home tab opened, as Slack delivers them to the app."""

from sqlmodel import Session, select

from storage.db import make_engine
from storage.models import Contest
from tests.simulator.console.support import SETUP, after, session_output


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


def test_the_home_tab_is_published_and_drawn(db):
    output = session_output(db, SETUP + "/as sam\n/log call 7\n:home\n")
    assert "(Pacer refreshes your Home tab: `:home` shows it)" in after(output, "/log call 7")
    home = after(output, ":home")
    assert home.startswith("Your Home tab in Pacer")
    assert "Calls / Emails" in home and "7 of 240" in home  # Thanksgiving week
