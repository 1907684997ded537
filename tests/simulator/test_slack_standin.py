"""The Slack Web API stand-in, driven through slack_sdk's real WebClient."""

import json
import time
import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from simulator.slack_standin import SlackStandin


@pytest.fixture
def slack():
    with SlackStandin() as standin:
        yield standin


@pytest.fixture
def client(slack):
    return WebClient(base_url=slack.url, token="xoxb-test", retry_handlers=[])


def _post_json(url: str, body: dict) -> tuple[int, str]:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


def test_url_shape_and_auth_test(slack, client):
    assert slack.url.startswith("http://127.0.0.1:") and slack.url.endswith("/api/")
    auth = client.auth_test()
    assert (auth["team_id"], auth["user_id"], auth["bot_id"]) == ("T0001", "UBOT", "BBOT")
    assert slack.calls_to("auth.test")[0].token == "xoxb-test"


def test_users_info_added_and_synthesized(slack, client):
    slack.add_user("U123", "dana", real_name="Dana Diaz", tz="Europe/Paris")
    user = client.users_info(user="U123")["user"]
    assert user["real_name"] == "Dana Diaz" and user["tz"] == "Europe/Paris"
    assert user["profile"]["display_name"] == "dana" and user["tz_offset"] in (3600, 7200)
    assert user["team_id"] == "T0001" and user["is_bot"] is False

    synth = client.users_info(user="UNEW42")["user"]
    assert synth["name"] == "unew42" and synth["tz"] == "America/New_York"
    with pytest.raises(SlackApiError) as err:
        client.users_info(user="not-a-user")
    assert err.value.response["error"] == "user_not_found"


def test_post_message_records_decoded_blocks_and_increasing_ts(slack, client):
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    first = client.chat_postMessage(channel="C1", text="hi", blocks=blocks)
    second = client.chat_postMessage(channel="C1", text="again")
    assert first["channel"] == "C1" and float(second["ts"]) > float(first["ts"])
    assert slack.wait_for("chat.postMessage", count=2)[0].params["blocks"] == blocks
    # the same blocks sent form-encoded (as a JSON string) are decoded too
    client.api_call("chat.postMessage", data={"channel": "C1", "blocks": json.dumps(blocks)})
    assert slack.calls_to("chat.postMessage")[2].params["blocks"] == blocks
    ephemeral = client.chat_postEphemeral(channel="C1", user="U1", text="psst")
    assert float(ephemeral["message_ts"]) > float(second["ts"])


def test_post_message_rejections_like_slack(client):
    with pytest.raises(SlackApiError) as err, pytest.warns(UserWarning):
        client.chat_postMessage(channel="C1")
    assert err.value.response["error"] == "no_text"
    too_many = [{"type": "divider"}] * 51
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="x", blocks=too_many)
    assert err.value.response["error"] == "invalid_blocks"
    long_section = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="x", blocks=long_section)
    assert err.value.response["error"] == "invalid_blocks"


def test_conversations(slack, client):
    slack.add_channel("C100", "sales-floor")
    dm = client.conversations_open(users="U1")["channel"]["id"]
    assert dm.startswith("D") and client.conversations_open(users="U1")["channel"]["id"] == dm
    assert client.conversations_open(users="U2")["channel"]["id"] != dm
    assert client.chat_postMessage(channel="U1", text="hi")["channel"] == dm
    assert client.conversations_info(channel="C100")["channel"]["name"] == "sales-floor"
    assert client.conversations_info(channel="C999")["channel"]["name"] == "c999"
    assert [c["id"] for c in client.conversations_list()["channels"]] == ["C100"]


def _error_of(call) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return raised.value.response["error"]


def test_a_public_channel_pacer_is_not_in_takes_posts_but_not_reads_until_it_joins(slack, client):
    slack.add_channel("C200", "sales", member=False)
    info = client.conversations_info(channel="C200")["channel"]
    assert info["is_member"] is False and info["is_private"] is False
    posted = client.chat_postMessage(channel="C200", text="digest")  # chat:write.public
    assert _error_of(lambda: client.conversations_history(channel="C200")) == "not_in_channel"
    assert (
        _error_of(lambda: client.conversations_replies(channel="C200", ts=posted["ts"]))
        == "not_in_channel"
    )
    joined = client.conversations_join(channel="C200")
    assert joined["channel"]["is_member"] is True and "warning" not in joined.data
    assert client.conversations_join(channel="C200")["warning"] == "already_in_channel"
    assert client.conversations_history(channel="C200")["messages"][0]["ts"] == posted["ts"]
    slack.remove_bot("C200")
    assert _error_of(lambda: client.conversations_history(channel="C200")) == "not_in_channel"


def test_a_private_channel_needs_an_invitation(slack, client):
    slack.add_channel("G300", "deals", private=True, member=False)
    for call in (
        lambda: client.chat_postMessage(channel="G300", text="digest"),
        lambda: client.conversations_history(channel="G300"),
        lambda: client.conversations_info(channel="G300"),
    ):
        assert _error_of(call) == "channel_not_found"  # invisible to non-members
    join = lambda: client.conversations_join(channel="G300")  # noqa: E731
    assert _error_of(join) == "method_not_supported_for_channel_type"
    slack.invite("G300")  # /invite @Pacer
    assert client.chat_postMessage(channel="G300", text="digest")["ok"]
    info = client.conversations_info(channel="G300")["channel"]
    assert info["is_private"] and info["is_member"]
    assert _error_of(join) == "method_not_supported_for_channel_type"  # still not joinable
    assert client.conversations_history(channel="G300")["messages"]
    # Channels not registered are ones Pacer is in, as before.
    assert client.conversations_info(channel="C999")["channel"]["is_member"] is True


def test_files_upload_v2_end_to_end(slack, client):
    result = client.files_upload_v2(
        channel="C1",
        content=b"\x89PNG fake chart",
        filename="chart.png",
        title="Chart",
        thread_ts="1700000000.000100",
        initial_comment="this week",
    )
    file_id = result["file"]["id"]
    assert slack.uploads[file_id] == b"\x89PNG fake chart"
    complete = slack.wait_for("files.completeUploadExternal")[0].params
    assert complete["files"] == [{"id": file_id, "title": "Chart"}]
    assert complete["channel_id"] == "C1" and complete["thread_ts"] == "1700000000.000100"
    assert complete["initial_comment"] == "this week"


def test_multipart_upload_extracts_the_file_part(slack, client):
    upload = client.files_getUploadURLExternal(filename="a.txt", length=5)
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n"
    ).encode()
    req = urllib.request.Request(
        upload["upload_url"],
        data=body,
        method="PUT",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.status == 200
    assert slack.uploads[upload["file_id"]] == b"hello"


def test_rate_limited_then_ok_with_retry_handler(slack):
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    client = WebClient(
        base_url=slack.url, token="xoxb-test", retry_handlers=[RateLimitErrorRetryHandler(1)]
    )
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    calls = slack.calls_to("chat.postMessage")
    assert [c.failed_status for c in calls] == [429, None]


def test_rate_limited_without_handler_raises(slack, client):
    slack.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="hi")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"


def test_server_error_then_ok_with_retry_handler(slack):
    slack.fail_next("chat.postMessage", status=500)
    client = WebClient(
        base_url=slack.url, token="xoxb-test", retry_handlers=[ServerErrorRetryHandler(1)]
    )
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]
    assert [c.failed_status for c in slack.calls_to("chat.postMessage")] == [500, None]


def test_delay_beyond_client_timeout_times_out(slack):
    slack.fail_next("chat.postMessage", status=200, delay=3)
    client = WebClient(base_url=slack.url, token="xoxb-test", timeout=1, retry_handlers=[])
    started = time.monotonic()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        client.chat_postMessage(channel="C1", text="slow")
    assert time.monotonic() - started < 2.5
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_response_url_round_trip(slack):
    url = slack.new_response_url()
    token = url.rsplit("/", 1)[1]
    assert url.startswith(slack.url.removesuffix("api/") + "response/")
    assert _post_json(url, {"text": "done", "response_type": "ephemeral"}) == (200, "ok")
    assert slack.responses[token] == [{"text": "done", "response_type": "ephemeral"}]
    assert _get_json(url) == [{"text": "done", "response_type": "ephemeral"}]
    for _ in range(4):
        assert _post_json(url, {"text": "more"})[0] == 200
    assert _post_json(url, {"text": "sixth"})[0] == 404  # Slack allows 5 uses
    assert _post_json(url.replace(token, "nope"), {"text": "x"})[0] == 404


def test_not_authed_and_invalid_auth(slack):
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=slack.url).chat_postMessage(channel="C1", text="hi")
    assert err.value.response["error"] == "not_authed"
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=slack.url, token="bogus").auth_test()
    assert err.value.response["error"] == "invalid_auth"
    assert slack.calls_to("chat.postMessage")[0].token is None


def test_views_and_unknown_methods(slack, client):
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Log"}, "blocks": []}
    opened = client.views_open(trigger_id="123.456", view=view)["view"]
    assert opened["id"].startswith("V") and opened["title"]["text"] == "Log"
    assert client.views_update(view_id=opened["id"], view=view)["view"]["id"] == opened["id"]
    assert client.reactions_add(channel="C1", timestamp="1.2", name="tada")["ok"]
    assert slack.calls_to("reactions.add")[0].params["name"] == "tada"


def test_calls_endpoint_wait_for_and_reset(slack, client):
    slack.add_user("U1", "ann")
    client.chat_postMessage(channel="C1", text="hi")
    seen = _get_json(slack.url.removesuffix("api/") + "_standin/calls")
    assert [(c["method"], c["params"]["text"], c["failed_status"]) for c in seen] == [
        ("chat.postMessage", "hi", None)
    ]
    with pytest.raises(AssertionError, match="chat.postMessage"):
        slack.wait_for("chat.update", timeout=0.1)
    slack.fail_next("auth.test")
    slack.reset()
    assert slack.calls == [] and client.auth_test()["ok"]  # the fault was cleared
    assert "U1" in slack.users


def test_views_publish_with_a_hash_only_replaces_that_view(slack, client):
    """As Slack: each published Home view gets a hash; a publish naming another hash is refused
    with hash_conflict and changes nothing; one without a hash replaces whatever is there."""
    home = {"type": "home", "blocks": []}
    first = client.views_publish(user_id="U1", view=home)["view"]["hash"]
    second = client.views_publish(user_id="U1", view=home, hash=first)["view"]["hash"]
    assert second != first and slack.home_hashes["U1"] == second
    with pytest.raises(SlackApiError) as err:
        client.views_publish(user_id="U1", view=home, hash=first)
    assert err.value.response["error"] == "hash_conflict"
    assert slack.home_hashes["U1"] == second
    assert client.views_publish(user_id="U1", view=home)["view"]["hash"] != second
    assert client.views_publish(user_id="U2", view=home, hash="any")["ok"]  # nothing there yet


def test_one_installs_scopes_and_a_revoked_token(slack):
    """An installation's own scopes in auth.test's header, and a revoked token refused, while
    the other installation's token keeps the manifest's scopes and works."""
    kept, revoked = slack.add_install("c1", "T0AAA"), slack.add_install("c2", "T0BBB")
    slack.token_scopes[kept] = ["commands", "chat:write"]
    answer = WebClient(token=kept, base_url=slack.url).auth_test()
    assert answer["team_id"] == "T0AAA"
    assert answer.headers["x-oauth-scopes"] == "commands,chat:write"
    slack.revoked_tokens.add(revoked)
    with pytest.raises(SlackApiError) as refused:
        WebClient(token=revoked, base_url=slack.url).auth_test()
    assert refused.value.response["error"] == "token_revoked"
    other = WebClient(token="xoxb-other", base_url=slack.url).auth_test()
    assert "files:write" in other.headers["x-oauth-scopes"].split(",")
