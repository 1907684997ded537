"""The words in messages and lookups: quoting a user's value, "did you mean", word forms.

Every validation message quotes what the user wrote with quote() and suggests a fix with
did_you_mean(); Process matches what a rep typed through normalize_word().
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Iterable, Mapping

_repr = reprlib.Repr()
_repr.maxlevel = 2
_repr.maxstring = 40
_repr.maxother = 40
_repr.maxlist = 4
_repr.maxdict = 4


def quote(value: object) -> str:
    """A short, safe quotation of a user's value for a message."""
    try:
        return _repr.repr(value)
    except Exception:  # pragma: no cover - a value whose repr itself fails
        return f"<{type(value).__name__}>"


def kind_of(value: object) -> str:
    """How a value's type reads in a message: "a list", "text", "nothing", …"""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__}"


def normalize_word(word: str) -> str:
    """The form words are matched in: lowercase, `_` and `-` as spaces, whitespace collapsed."""
    return " ".join(word.lower().replace("_", " ").replace("-", " ").split())


def display_word(word: str) -> str:
    """The form words are stored and shown in: lowercase, whitespace collapsed."""
    return " ".join(word.lower().split())


def number_variants(word: str) -> list[str]:
    """Simple singular/plural forms of a word's last part ("calls" <-> "call")."""
    parts = word.split(" ")
    last = parts[-1]
    head = " ".join(parts[:-1])
    out: list[str] = []

    def join(x: str) -> str:
        return f"{head} {x}" if head else x

    singular = None
    if last.endswith("ies") and len(last) > 4:
        singular = last[:-3] + "y"
    elif last.endswith(("ches", "shes", "xes", "sses")) and len(last) > 4:
        singular = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3:
        singular = last[:-1]
    if singular:
        out.append(join(singular))
    elif len(parts) == 1 and last.isalpha() and len(last) >= 3 and not last.endswith(("ed", "s")):
        if last.endswith("y") and last[-2] not in "aeiou":
            out.append(last[:-1] + "ies")
        elif last.endswith(("ch", "sh", "x", "ss")):
            out.append(last + "es")
        else:
            out.append(last + "s")
    return out


def did_you_mean(word: object, candidates: Iterable[str], n: int = 1) -> str:
    """ " (did you mean 'x'?)" for the closest candidates to a mistyped word, else ""."""
    if not isinstance(word, str) or not word or len(word) > 64:
        return ""
    cands = list(candidates)
    lowered = {c.lower(): c for c in cands}
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(f"'{lowered[m]}'" for m in matches) + "?)"


def one_of(options: Iterable[str], limit: int = 12) -> str:
    """The options for a fix, shortened: "calls, deals, …"."""
    opts = list(options)
    if not opts:
        return "(none defined yet)"
    shown = ", ".join(opts[:limit])
    return shown + (", …" if len(opts) > limit else "")


def suggest_kpi(raw: str, words: dict[str, str]) -> str:
    """ " (did you mean 'meetings_scheduled'?)" for a mistyped KPI key or word, else ""."""
    n = normalize_word(raw)
    if not n or len(n) > 64:
        return ""
    if n in words:
        return f" (did you mean '{words[n]}'?)"
    close = difflib.get_close_matches(n, list(words), n=1, cutoff=0.6)
    return f" (did you mean '{words[close[0]]}'?)" if close else ""
