"""What every part of the process check shares: collecting problems, and the small readers.

The checker is one class composed of a mixin per part of the file (team_checks, ritual_checks,
cascade_checks, role_checks); each mixin adds problems through BaseChecks.add and reads values
with the readers here: text, keys, mappings, keyed lists of items, words and KPI references.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rituals.process.problems import Problem
from rituals.process.words import did_you_mean, display_word, kind_of, one_of, quote, suggest_kpi

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")

MAX_KEY_LEN = 40
MAX_NAME_LEN = 75  # a KPI or role name ends up in Slack button text (75 characters at most)
MAX_ALIAS_LEN = 40


class BaseChecks:
    """The problems and warnings found so far, and the readers every part of the file uses."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        # Every well-formed, unique key per section, valid or not otherwise: references to a
        # defined-but-broken item are not reported again as "unknown".
        self.defined: dict[str, list[str]] = {}

    def add(self, path: str, message: str, fix: str) -> None:
        self.problems.append(Problem(path, message, fix))

    # -- small readers ----------------------------------------------------------------------

    def text(
        self, value: object, path: str, *, what: str, max_len: int, required: bool = True
    ) -> str | None:
        if value is None:
            if required:
                self.add(path, f"{what} is missing", f"write {what}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(path, f"{what} must be text, got {kind_of(value)}", f"write {what} as text")
            return None
        text = " ".join(str(value).split())
        if not text:
            if required:
                self.add(path, f"{what} is empty", f"write {what}")
            return None
        if "<" in text or ">" in text:
            # Slack reads <...> as a mention or a link: a name must never be able to ping anyone.
            self.add(path, f"{what} contains < or >", f"write {what} without angle brackets")
            return None
        if len(text) > max_len:
            self.add(
                path,
                f"{what} is {len(text)} characters long",
                f"keep it to {max_len} characters (Slack shows it in tight places)",
            )
            return None
        return text

    def key(self, value: object, path: str, *, what: str) -> str | None:
        if value is None:
            self.add(
                path,
                f"the {what} key is missing",
                "give it a key: lowercase letters, digits and _, e.g. 'calls'",
            )
            return None
        if not isinstance(value, str) or isinstance(value, bool):
            self.add(
                path,
                f"the {what} key must be text, got {kind_of(value)}",
                "use lowercase letters, digits and _, starting with a letter",
            )
            return None
        if len(value) > MAX_KEY_LEN:
            self.add(
                path,
                f"the {what} key is {len(value)} characters long",
                f"keep keys to {MAX_KEY_LEN} characters",
            )
            return None
        if not KEY_RE.match(value):
            better = re.sub(r"[^a-z0-9_]+", "_", value.strip().lower()).strip("_")
            if better and not better[0].isalpha():
                better = "k_" + better
            hint = f" (e.g. '{better}')" if better and KEY_RE.match(better) else ""
            self.add(
                path,
                f"the {what} key {quote(value)} is not a valid key",
                f"use lowercase letters, digits and _, starting with a letter{hint}",
            )
            return None
        return value

    def mapping(self, value: object, path: str, *, what: str, example: str) -> Mapping | None:
        if not isinstance(value, Mapping):
            self.add(
                path, f"{what} must be a mapping, got {kind_of(value)}", f"write it like {example}"
            )
            return None
        return value

    def unknown_fields(self, item: Mapping, allowed: tuple[str, ...], path: str) -> None:
        for k in item:
            if k not in allowed:
                self.add(
                    f"{path}.{k}" if isinstance(k, str) else path,
                    f"unknown field {quote(k)}",
                    f"remove it; the fields here are {', '.join(allowed)}"
                    + did_you_mean(k, allowed),
                )

    def ref(self, value: object) -> str | None:
        """A reference to a key, matched case-insensitively."""
        if isinstance(value, str) and not isinstance(value, bool):
            return value.strip().lower()
        return None

    # -- lists of keyed items: journey, activities, kpis, roles ---------------------------

    def items(
        self, value: object, section: str, *, what: str, example: str
    ) -> list[tuple[int, Mapping]]:
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.add(
                section,
                f"{section} must be a list of {what}s, got {kind_of(value)}",
                f"write one '- {example}' line per {what}",
            )
            return []
        if not value:
            self.add(section, f"{section} is empty", f"add at least one {what}, e.g. '- {example}'")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, Mapping):
                self.add(
                    f"{section}[{i}]",
                    f"each {what} must be a mapping, got {kind_of(item)} {quote(item)}",
                    f"write it like '- {example}'",
                )
                continue
            out.append((i, item))
        return out

    def keyed(
        self, entries: list[tuple[int, Mapping]], section: str, what: str
    ) -> list[tuple[str, str, Mapping]]:
        """(key, path, item) for entries whose key is valid and not a duplicate."""
        out = []
        first: dict[str, int] = {}
        for i, item in entries:
            key = self.key(item.get("key"), f"{section}[{i}].key", what=what)
            if key is None:
                continue
            if key in first:
                self.add(
                    f"{section}[{i}].key",
                    f"duplicate {what} key '{key}' (also {section}[{first[key]}])",
                    f"give each {what} its own key, or merge the two",
                )
                continue
            first[key] = i
            out.append((key, f"{section}.{key}", item))
        self.defined[section] = list(first)
        return out

    def name(self, item: Mapping, key: str, path: str) -> str:
        if "name" not in item or item.get("name") is None:
            return key.replace("_", " ").capitalize()
        return (
            self.text(item.get("name"), f"{path}.name", what="the name", max_len=MAX_NAME_LEN)
            or key
        )

    # -- words and KPI references -------------------------------------------------------

    def word(self, raw: object, path: str) -> str | None:
        fix = "use a word or short phrase reps would type, e.g. 'dials' or 'roi discussion'"
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.add(path, f"an alias must be a word, got {kind_of(raw)}", fix)
            return None
        word = display_word(str(raw))
        if not word:
            self.add(path, "an alias is empty", fix)
            return None
        if len(word) > MAX_ALIAS_LEN:
            self.add(
                path,
                f"the alias {quote(word)} is {len(word)} characters long",
                f"keep aliases to {MAX_ALIAS_LEN} characters",
            )
            return None
        if not any(c.isalpha() for c in word):
            self.add(
                path,
                f"the alias {quote(word)} has no letters",
                "an alias can't be a number or symbols alone: reps type counts next to it, e.g. '/log call 12'",
            )
            return None
        if any(c in "<>@*`|" for c in word):
            self.add(path, f"the alias {quote(word)} contains one of < > @ * ` |", fix)
            return None
        return word

    def kpi_ref(
        self,
        raw: object,
        path: str,
        kpi_keys: list[str],
        words: dict[str, str],
        options: list[str] | None = None,
    ) -> str | None:
        ref = self.ref(raw)
        if ref in kpi_keys:
            return ref
        if raw is None or not isinstance(raw, str):
            self.add(
                path,
                f"expected a KPI key, got {kind_of(raw)}",
                f"use one of {one_of(options or kpi_keys)}",
            )
            return None
        self.add(
            path,
            f"unknown KPI {quote(raw)}",
            f"use one of {one_of(options or kpi_keys)}{suggest_kpi(raw, words)}",
        )
        return None

    def kpi_list(self, items, path: str, kpi_keys, words, twice: str) -> list[str] | None:
        """KPI references, each known and listed once; None (problems added) otherwise."""
        out: list[str] = []
        ok = True
        for i, item in enumerate(items):
            key = self.kpi_ref(item, f"{path}[{i}]", kpi_keys, words)
            if key is None:
                ok = False
            elif key in out:
                self.add(f"{path}[{i}]", f"'{key}' {twice}", "list each KPI once")
                ok = False
            else:
                out.append(key)
        return out if ok else None
