"""bot/modals.py: every modal opened before the acknowledgement goes through one client that
doesn't retry, and any failure (Slack refusing, rate-limiting, not there) is answered with what
to type instead; nothing changes. (tests/e2e/test_slack_unavailable.py: slow Slack over HTTP.)"""

from slack_sdk import WebClient

from bot.ids import Action
from bot.services import make_modal_client
from tests.bot.home.support import (
    LOG_NUMBER,
    dispatch,
    logs,
    open_home,
    press_payload,
    published,
    text_of,
)
from tests.bot.support import MGR, SDR
from tests.e2e.harness import free_port

UNREACHABLE = "Slack didn't open {} (Pacer couldn't reach Slack), so nothing changed."


def _slack_gone(rig) -> None:
    """The modal client points where nothing listens (connection refused)."""
    closed = WebClient(token="xoxb-rig", base_url=f"http://127.0.0.1:{free_port()}/api/")
    rig.services.modal_client = make_modal_client(closed)


def test_the_modal_client_neither_retries_nor_waits_past_slacks_deadline(rig):
    client = rig.services.modal_client
    assert client.retry_handlers == [] and client.timeout == 2.5
    assert client.base_url == rig.services.client.base_url
    assert rig.services.client.retry_handlers  # the client for after the ack still retries


def test_every_form_command_says_what_to_type_when_slack_cant_be_reached(rig):
    rig.team()
    _slack_gone(rig)
    log = rig.text("/log", "", SDR)
    assert UNREACHABLE.format("the form") in log and "Type it instead: `/log calls 12`" in log
    settings = rig.text("/pacer", "", MGR)
    assert UNREACHABLE.format("the settings") in settings and "`/pacer timezone" in settings
    contest = rig.text("/contest", "start", MGR)
    assert UNREACHABLE.format("the contest form") in contest
    assert "Use the quick form instead: `/contest start race" in contest
    assert logs(rig) == [] and rig.slack.calls_to("views.open") == []


def test_a_rate_limited_home_form_is_tried_once_and_the_tab_says_why(rig):
    rig.team()
    home = open_home(rig, SDR)
    rig.slack.fail_next("views.open", status=429, times=2, retry_after=30)
    dispatch(rig, press_payload(SDR, home, LOG_NUMBER, "calls"))
    # not retried, and no notice modal tried with the same trigger either: a second call could
    # wait another 2.5 s, past Slack's 3
    assert len(rig.slack.calls_to("views.open")) == 1
    tab = text_of(published(rig, SDR)[-1])
    assert "Slack didn't open the form (Slack is limiting how often Pacer may call it" in tab
    assert "Type it instead: `/log calls 3`" in tab
    assert logs(rig) == []


def test_time_off_from_home_when_slack_cant_be_reached(rig):
    rig.team()
    home = open_home(rig, SDR)
    _slack_gone(rig)
    dispatch(rig, press_payload(SDR, home, Action.HOME_AWAY_ADD, "add"))
    tab = text_of(published(rig, SDR)[-1])
    assert UNREACHABLE.format("the form") in tab and "`/away tomorrow`" in tab
