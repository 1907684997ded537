"""bot/replies.py: every refusal the domain can raise has its Slack wording, and every reply to
a refused command shows a command that would work."""

import importlib
import pkgutil

import rituals
from bot import replies
from bot.replies import Problem, explain, explainer_for, has_command, with_command_hint
from rituals.refusals import Refusal


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
