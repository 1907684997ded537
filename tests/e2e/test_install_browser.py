"""The install pages in a real browser (Chromium and Firefox, as tests/e2e/test_tv_browser.py
drives them): "Add to Slack" says what Pacer will do and leads to Slack's authorize page; after
Slack's redirect back (the state's cookie kept by the browser itself) the page names the
workspace and the first steps. axe-core finds nothing on either page. Each test writes its
screenshots next to the server's log (PACER_INSTALL_SCREENSHOT names a file to copy Chromium's
"Add to Slack" one to: docs/install.png is made that way)."""

import os
import shutil
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.e2e.test_oauth import oauth_server  # noqa: F401 (a fixture)
from tests.e2e.test_tv_browser import AXE, browser  # noqa: F401 (a fixture)


def _no_violations(driver) -> None:
    driver.execute_script(AXE.read_text())
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice']}})"
        ".then(r => done(r.violations.map(v => [v.id, v.nodes.length, v.nodes[0].html])))"
        ".catch(e => done(['axe failed', String(e)]));"
    )
    assert found == [], found


@pytest.mark.usefixtures("oauth_server")
def test_add_to_slack_then_back_from_slack(oauth_server, browser):  # noqa: F811
    server, standin, name = oauth_server, oauth_server.standin, browser.name_for_files
    folder = server.log_path.parent
    browser.get(server.url + "/slack/install")
    assert browser.title == "Add Pacer to Slack"
    button = browser.find_element("css selector", "a.button")
    href = button.get_attribute("href")
    assert button.text == "Add to Slack" and href.startswith(
        "https://slack.com/oauth/v2/authorize?"
    )
    items = browser.find_elements("css selector", "main li")
    assert len(items) == 11 and any("timezones" in li.text for li in items)
    _no_violations(browser)
    shot = folder / f"install-{name}.png"
    browser.save_screenshot(str(shot))
    if os.environ.get("PACER_INSTALL_SCREENSHOT") and name == "chromium":
        shutil.copy(shot, os.environ["PACER_INSTALL_SCREENSHOT"])

    team = f"TBROWSE{name[:2].upper()}"
    standin.add_install(f"code-{name}", team, installer="UBROWSER1")
    state = parse_qs(urlsplit(href).query)["state"][0]
    query = urlencode({"code": f"code-{name}", "state": state})
    browser.get(f"{server.url}/slack/oauth_redirect?{query}")  # the cookie is the browser's own
    assert browser.find_element("tag name", "h1").text == f"Pacer is in Team {team}"
    steps = browser.find_element("css selector", "main ol").text
    assert "/pacer channel #sales" in steps and "/log call 12" in steps
    opened = browser.find_element("css selector", "a.button").get_attribute("href")
    assert opened == f"slack://app?team={team}&id=APACER"
    _no_violations(browser)
    browser.save_screenshot(str(folder / f"installed-{name}.png"))
    assert server.rows("SELECT count(*) FROM slack_bots WHERE team_id = ?", team) == [(1,)]
