"""What is wrong with a process: each Problem names its place in the file and its fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    fix: str

    def __str__(self) -> str:
        message = self.message.rstrip(". ")
        fix = self.fix.rstrip(". ")
        lead = f"{self.path}: " if self.path else ""
        return f"{lead}{message}. Fix: {fix}." if fix else f"{lead}{message}."


class ProcessError(ValueError):
    """The process can't be used; ``problems`` lists every reason, each with its fix."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        return "\n".join(prefix + str(p) for p in self.problems) or f"{prefix}invalid process"
