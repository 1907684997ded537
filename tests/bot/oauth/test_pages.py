"""bot/oauth/pages.py: the install pages in plain words, escaped, and where "next" leads."""

from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Installation

from bot.oauth.pages import (
    ABILITIES,
    abilities,
    as_page,
    install_page,
    installed_page,
    not_installed_page,
)
from bot.oauth.setup import DEFAULT_SCOPES


def test_every_scope_pacer_asks_for_is_said_in_plain_words_once():
    assert set(DEFAULT_SCOPES) <= set(ABILITIES)
    lines = abilities(DEFAULT_SCOPES)
    assert len(lines) == len(set(lines)) == 11  # 17 scopes, 11 purposes
    assert abilities(["commands", "admin"])[1] == "Use the Slack permission admin."
    page = install_page("https://slack.com/oauth/v2/authorize?a=1&b=2", DEFAULT_SCOPES)
    assert 'href="https://slack.com/oauth/v2/authorize?a=1&amp;b=2"' in page
    assert page.count("<li>") == 11


def _installation(**kw) -> Installation:
    values = dict(app_id="A1", team_id="T1", team_name="Acme", user_id="U1", bot_token="xoxb")
    return Installation(**(values | kw))


def test_installed_names_the_workspace_escaped_and_opens_pacer_there():
    page = installed_page(_installation(team_name="<b>Acme & Co</b>"))
    assert "Pacer is in &lt;b&gt;Acme &amp; Co&lt;/b&gt;" in page and "<b>Acme" not in page
    assert 'href="slack://app?team=T1&amp;id=A1"' in page
    assert "/pacer channel #sales" in page


def test_an_org_wide_install_leads_to_the_org_page_that_adds_workspaces():
    org = _installation(
        team_id=None,
        team_name=None,
        enterprise_id="E1",
        enterprise_name="Globex",
        enterprise_url="https://globex.enterprise.slack.com/",
        is_enterprise_install=True,
    )
    page = installed_page(org)
    assert "Pacer is in Globex" in page and "whole organization" in page
    assert "https://globex.enterprise.slack.com/manage/organization/apps/profile/A1/" in page
    assert "/pacer channel" not in page


def test_a_failure_page_escapes_the_reason_and_keeps_bolts_cookie_header():
    page = not_installed_page("Slack answered: <x>.", "<x>", "/slack/install")
    assert "&lt;x&gt;" in page and "<x>" not in page
    response = BoltResponse(status=500, body="bolt", headers={"Set-Cookie": "s=deleted"})
    shown = as_page(response, page, 401)
    assert (shown.status, shown.body) == (401, page)
    assert shown.headers["set-cookie"] == ["s=deleted"]
    assert shown.headers["content-type"] == ["text/html; charset=utf-8"]
    assert "frame-ancestors 'none'" in shown.headers["content-security-policy"][0]
