"""bot/replies.py: every refusal the domain can raise has its Slack wording, and every reply to
a refused command shows a command that would work."""

import importlib
import pkgutil
import re

import pytest
from sqlmodel import select

import rituals
from bot import replies
from bot.replies import Problem, explain, explainer_for, has_command, with_command_hint
from rituals.refusals import Refusal
from storage.models import ActivityLog
from tests.bot.support import ADMIN, AE, MGR, assert_within_slack_limits
from tests.bot.timezone_support import NY, timezone_rig


def all_refusal_types() -> list[type[Refusal]]:
    for module in pkgutil.walk_packages(rituals.__path__, "rituals."):
        importlib.import_module(module.name)
    found, todo = [], [Refusal]
    while todo:
        kind = todo.pop()
        if kind.__module__.startswith("rituals."):  # not the tests' own
            found.append(kind)
        todo.extend(kind.__subclasses__())
    return found


def test_every_refusal_type_has_its_slack_wording():
    missing = [
        kind.__name__ for kind in all_refusal_types()[1:] if kind.__dict__.get("plain") is None
    ]
    assert not missing, f"refusals without a plain-English fallback: {missing}"
    unworded = [k.__name__ for k in all_refusal_types()[1:] if explainer_for(k) is None]
    assert not unworded, f"refusals bot/replies.py has no words for: {unworded}"


def test_a_refused_command_always_shows_a_command():
    assert has_command("Try `/log call 12`.") and not has_command("Use `sdr` or `ae`.")
    assert with_command_hint("Try `/log call 12`.", "/log") == "Try `/log call 12`."
    assert explain(Problem("No such person."), "/scorecard") == (
        "No such person. `/scorecard help` shows every form."
    )
    assert explain(Refusal("Nothing to undo."), "/log").endswith("`/log help` shows every form.")


def test_a_registered_wording_is_used():
    class Odd(Refusal):
        def plain(self) -> str:
            return "odd"

    replies.explains(Odd)(lambda refusal: "*odd*, try `/log help`")
    try:
        assert explain(Odd()) == "*odd*, try `/log help`"
        assert str(Odd()) == "odd"  # the fallback stays plain
    finally:
        replies._EXPLAINERS.pop(Odd)


# -- every refused command, through the app -------------------------------------------------


@pytest.fixture
def rig(tmp_path):
    yield from timezone_rig(tmp_path)


STRANGER = "U0STRANGE1"
MISTAKES = {
    "/log": [
        (NY, "cals 12"),
        (NY, "calls"),
        (NY, "12"),
        (NY, "calls 0"),
        (NY, "calls -3"),
        (NY, "calls 1.5"),
        (NY, "calls twelve"),
        (NY, "calls 12 2026-13-45"),
        (NY, "calls 12 11/18"),
        (NY, "calls 12 yesterday monday"),
        (NY, "calls 3 calls 4"),
        (NY, "deals 1"),
        (NY, "sao 1"),
        (NY, "undo now"),
        (NY, "calls 12 2020-01-01"),
        (NY, "calls 12 tomorrow"),
        (NY, "calls 100000"),
        (NY, f"<@{AE}> held 1"),
        (STRANGER, "calls 12"),
        (MGR, "calls 12"),
        (MGR, "<@U0NOBODY1> calls 3"),
        (MGR, "@nobody calls 3"),
        (STRANGER, "undo"),
    ],
    "/scorecard": [
        (NY, "montly"),
        (NY, "@nobody"),
        (NY, "<@U0NOBODY1>"),
        (STRANGER, ""),
        (NY, "cals"),
        (NY, f"<@{NY}> <@{AE}>"),
        (NY, "last-year"),
    ],
    "/leaderboard": [
        (NY, "cals"),
        (NY, "count"),
        (NY, "calls post"),
        (NY, "montly"),
    ],
    "/pacer": [
        (NY, "foo"),
        (NY, "team add <@U0NEW00001> sdr"),
        (MGR, "team add"),
        (MGR, "team add <@U0NEW00001>"),
        (MGR, "team add <@U0NEW00001> vp"),
        (MGR, "team add maria sdr"),
        (MGR, "team remove <@U0NOBODY1>"),
        (MGR, "team frob"),
        (MGR, "team remove <@U0NOBODY1> now"),
        (NY, "manager <@U0NEW00001>"),
        (MGR, "manager <@U0NEW00001> maybe"),
        (MGR, "manager <@U0NOBODY1> off"),
        (NY, "admin <@U0NEW00001>"),
        (ADMIN, "admin <@U0NEW00001> now"),
        (NY, "channel #sales"),
        (MGR, "channel #a #b"),
        (MGR, "channel sales"),
        (MGR, "coaching #a #b"),
        (MGR, "coaching nowhere"),
        (NY, "goal sdr calls 5/day"),
        (MGR, "goal sdr calls"),
        (MGR, "goal vp calls 5/day"),
        (MGR, "goal sdr cals 5/day"),
        (MGR, "goal sdr calls lots"),
        (MGR, "goal sdr calls reset"),
        (MGR, f"goal <@{NY}> calls reset"),
        (MGR, "goal <@U0NOBODY1> calls 5/day"),
        (NY, "timezone Europe/London"),
        (MGR, "timezone Mars/Base"),
        (MGR, "timezone a b"),
        (MGR, "visibility everyone"),
        (NY, "ritual daily 17:00"),
        (MGR, "ritual daily"),
        (MGR, "ritual daily 25:00"),
        (MGR, "ritual concert 17:00"),
        (MGR, "nudges off"),
        (STRANGER, "nudges off"),
    ],
    "/contest": [
        (NY, "frob"),
        (NY, 'start race calls 3d "X"'),
        (MGR, "start race"),
        (MGR, "start race cals 3d"),
        (MGR, "start race calls"),
        (MGR, "start race calls 3x"),
        (MGR, "start target calls 3d"),
        (MGR, 'start target calls 3d 0 "T"'),
        (MGR, "end"),
        (MGR, 'end "Nope"'),
        (MGR, 'standings "Nope"'),
        (NY, "end"),
        (MGR, "list now"),
        (MGR, 'start race calls 3d "A" prize'),
        (MGR, 'start teams calls 1w "T" <@U0AAAAAA1> vs'),
    ],
    "/coach": [
        (NY, f"<@{NY}>"),
        (NY, ""),
        (MGR, "maria"),
        (MGR, f"<@{NY}> tomorrow"),
        (MGR, f"<@{NY}> <@{AE}>"),
        (MGR, "history"),
        (MGR, "<@U0NOBODY1>"),
        (MGR, f"<@{MGR}>"),
        (STRANGER, ""),
    ],
}


@pytest.mark.parametrize("command", sorted(MISTAKES))
def test_every_error_reply_shows_a_command_that_would_work(rig, command):
    """Typos, missing arguments, the wrong people and permission refusals: each answer is a
    warning that says what was wrong and shows a backticked command to type instead."""
    rig.slack.reset()
    without = []
    for user, text in MISTAKES[command]:
        reply = rig.run(command, text, user)
        assert_within_slack_limits(reply)
        shown = "\n".join(b["text"]["text"] for b in reply["blocks"] if b.get("text"))
        assert shown.startswith(":warning:"), (command, text, shown)
        if not re.search(r"`/[a-z]", shown):
            without.append((command, text, shown))
        assert reply["text"] and "`" not in reply["text"]  # and the notification is plain
    assert without == []
    # A failed command changes nothing: no log, no message sent.
    with rig.services.unit_of_work() as session:
        assert session.exec(select(ActivityLog)).all() == []
    assert not rig.slack.calls_to("chat.postMessage")


def test_the_net_under_every_error_reply():
    assert has_command("Try `/log call 12`.") and not has_command("Use `sdr` or `ae`.")
    assert with_command_hint("Try `/log call 12`.", "/log") == "Try `/log call 12`."
    assert with_command_hint("No such person.", "/scorecard") == (
        "No such person. `/scorecard help` shows every form."
    )
