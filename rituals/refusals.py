"""Refusals: requests Pacer understood but will not carry out. Each is raised before anything
is stored (and the request's unit of work is rolled back), so a refused request changes nothing.

A refusal carries data (which KPI, which limit, which role was needed), never text for a
particular screen: whoever shows it to a person (a Slack reply: bot/replies.py; the command
line) says it in their own words, with their own hints. ``str(refusal)`` is a plain-English
fallback for logs and the command line.

Declare each as a frozen-free dataclass so its fields are its data::

    @dataclass(eq=False)
    class NotAllowed(Refusal):
        action: str  # "change goals"
        needed: str = "manager"

        def plain(self) -> str:
            return f"only a {self.needed} can {self.action}"
"""

from dataclasses import dataclass, fields


class Refusal(Exception):
    """The base of every refusal."""

    def plain(self) -> str:
        """A plain-English sentence, no markup (logs, the command line)."""
        if self.args:
            return str(self.args[0])
        data = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))  # type: ignore[arg-type]
        return f"{type(self).__name__}({data})"

    def __str__(self) -> str:
        return self.plain()


# -- people and teams ---------------------------------------------------------------------------


# -- logging activity ---------------------------------------------------------------------------


# -- contests and the lag check -----------------------------------------------------------------


# -- coaching -----------------------------------------------------------------------------------


# -- ritual runs --------------------------------------------------------------------------------


__all__ = ["Refusal", "dataclass"]
