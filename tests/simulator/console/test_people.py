"""Typing becomes what Slack sends: mentions of people and channels, escaped text."""

import io

from simulator.console.session import Console
from tests.simulator.console.support import TUESDAY_11


def test_typing_becomes_what_slack_sends(tmp_path):
    console = Console(f"sqlite:///{tmp_path / 'c.db'}", io.StringIO(), now=TUESDAY_11)
    try:
        console.handle("/as Pat Lee")
        console.handle(":add Sam Okafor")
        sam = console.find("sam")[0]
        assert console.slack_text("@sam calls 5") == f"<@{sam}|sam> calls 5"
        assert console.slack_text("@Sam Okafor month") == f"<@{sam}|sam.okafor> month"
        assert console.slack_text("R&D <b> @here") == "R&amp;D &lt;b&gt; <!here>"
        assert console.slack_text("mail sam@acme.com") == "mail sam@acme.com"
        assert console.slack_text("@zed calls") == "@zed calls"  # nobody: plain text, as Slack
        assert console.slack_text("channel #sales") == "channel <#C0SALES01|sales>"
        assert console.slack_text("call #3") == "call #3"
    finally:
        console.close()
