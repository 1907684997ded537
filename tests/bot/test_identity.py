"""bot/identity.py: auth.test once at start, kept; Bolt authorizes from memory with the request's
own workspace and Grid org; a start without Slack's answer asks again later, in the background,
at most once a minute."""

import logging
import time

from slack_sdk import WebClient

from bot.identity import ASK_AGAIN_SECONDS, BotIdentity, CachedAuthorize, identify_at_start
from bot.services import make_modal_client
from tests.bot.support import SDR


def _client(slack) -> WebClient:
    return make_modal_client(WebClient(token="xoxb-t", base_url=slack.url))


def test_asked_at_start_and_kept(rig, caplog):
    identity = BotIdentity()
    with caplog.at_level(logging.INFO, "pacer"):
        identify_at_start(identity, _client(rig.slack))
    assert identity.known.bot_user_id == "UBOT" and identity.known.bot_id == "BBOT"
    assert not identity.claim_retry(now=10**9)  # known: never asked again
    assert len(rig.slack.calls_to("auth.test")) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_unanswered_at_start_is_asked_again_once_a_minute_at_most(rig, caplog):
    identity = BotIdentity()
    rig.slack.fail_next("auth.test", status=429, retry_after=30)
    with caplog.at_level(logging.INFO, "pacer"):
        identify_at_start(identity, _client(rig.slack))
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.startswith("Slack unreachable at start (auth.test: HTTP 429 ratelimited)")
    assert "serving anyway" in warning
    assert identity.known is None and len(rig.slack.calls_to("auth.test")) == 1  # no retry

    start = identity._last_asked
    assert not identity.claim_retry(start + ASK_AGAIN_SECONDS - 1)
    assert identity.claim_retry(start + ASK_AGAIN_SECONDS)
    assert not identity.claim_retry(start + 2 * ASK_AGAIN_SECONDS)  # one ask at a time
    identity.retry(_client(rig.slack))
    assert identity.known.bot_user_id == "UBOT"
    assert not identity.claim_retry(start + 10 * ASK_AGAIN_SECONDS)


def test_a_refused_token_says_to_check_it(rig, caplog):
    identity = BotIdentity()
    bad = make_modal_client(WebClient(token="bogus", base_url=rig.slack.url))
    with caplog.at_level(logging.INFO, "pacer"):
        identify_at_start(identity, bad)
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "auth.test: invalid_auth" in warning and "check SLACK_BOT_TOKEN" in warning


def test_never_asked_never_retried():
    """Tests and `pacer console` build their services without a start: no auth.test at all."""
    assert not BotIdentity().claim_retry(now=10**9)


def test_bolt_is_authorized_from_memory_with_the_requests_own_ids(rig):
    rig.team()
    assert "Logged" in rig.text("/log", "call 3", SDR)
    assert rig.slack.calls_to("auth.test") == []  # no Web API call on a request's path

    identity, asked = BotIdentity(), []
    authorize = CachedAuthorize(identity, "xoxb-t", ask_later=lambda: asked.append(1))
    result = authorize(context={}, enterprise_id="E0GRID", team_id="T0SIBLING", user_id="U1")
    assert (result.enterprise_id, result.team_id, result.user_id) == ("E0GRID", "T0SIBLING", "U1")
    assert result.bot_token == "xoxb-t" and result.bot_user_id is None and asked == []
    identify_at_start(identity, _client(rig.slack))
    result = authorize(context={}, enterprise_id=None, team_id="T0OTHER", user_id="U1")
    assert (result.team_id, result.bot_user_id, result.bot_id) == ("T0OTHER", "UBOT", "BBOT")


def test_a_request_after_an_unanswered_start_asks_again_in_the_background(rig):
    identity, asked = BotIdentity(), []
    rig.slack.fail_next("auth.test", status=503)
    identify_at_start(identity, _client(rig.slack))
    authorize = CachedAuthorize(identity, "xoxb-t", ask_later=lambda: asked.append(1))
    authorize(context={}, enterprise_id=None, team_id="T1", user_id="U1")
    assert asked == []  # not a minute yet
    identity.asked_at_start(time.monotonic() - ASK_AGAIN_SECONDS)
    for _ in range(3):
        authorize(context={}, enterprise_id=None, team_id="T1", user_id="U1")
    assert asked == [1]  # once, however many requests come while it asks


class _TwoTokens:
    def bot_token(self, team_id, enterprise_id):
        return {"T0ENV": "xoxb-t", "T0SECOND": "xoxb-second"}.get(team_id)


def test_with_several_workspaces_each_request_gets_its_own_token_and_only_its_own_bot_ids(rig):
    """auth.test's ids are the env token's bot's: another workspace's bot is another user, so
    its requests get its own token and no borrowed ids (and still no Web API call)."""
    identity, asked = BotIdentity(), []
    identify_at_start(identity, _client(rig.slack))
    authorize = CachedAuthorize(
        identity, "xoxb-t", ask_later=lambda: asked.append(1), tokens=_TwoTokens()
    )
    same = authorize(context={}, enterprise_id=None, team_id="T0ENV", user_id="U1")
    assert (same.bot_token, same.bot_user_id, same.bot_id) == ("xoxb-t", "UBOT", "BBOT")
    other = authorize(context={}, enterprise_id=None, team_id="T0SECOND", user_id="U1")
    assert (other.bot_token, other.bot_user_id, other.bot_id) == ("xoxb-second", None, None)
    gone = authorize(context={}, enterprise_id=None, team_id="T0GONE", user_id="U1")
    assert (gone.bot_token, gone.bot_user_id) == (None, None)
    assert len(rig.slack.calls_to("auth.test")) == 1 and asked == []


def test_without_an_env_token_nothing_is_asked_at_start(rig):
    identity = BotIdentity()
    identify_at_start(identity, make_modal_client(WebClient(token=None, base_url=rig.slack.url)))
    assert rig.slack.calls_to("auth.test") == [] and identity.known is None
    assert not identity.claim_retry(now=10**9)
