"""Running the console on a script, and reading what it printed after a typed line."""

import io
import re
from datetime import datetime
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from simulator.console.run import run_console
from simulator.console.screen import Screen

SAM, PAT = "U0SAM0001", "U0PAT0001"
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


def slack(console) -> WebClient:
    """Pacer's side of the stand-in: Web API calls as the app makes them."""
    return WebClient(token="xoxb-screen-test", base_url=console.standin.url)


def respond(url: str, payload: dict) -> None:
    """What Pacer sends to a response_url (respond())."""
    assert WebhookClient(url).send_dict(payload).status_code == 200


def draw(console, *, responses: tuple[str, object] | None = None) -> tuple[Screen, str]:
    """One action's screen: what was sent to ``responses`` (a response_url and the surface of
    the button pressed), then every Web API call since the last screen; returns the screen and
    what it printed."""
    console.out.seek(0)
    console.out.truncate()
    screen = Screen(console)
    if responses:
        screen.responses(*responses)
    screen.calls()
    screen.done()
    return screen, console.out.getvalue()
