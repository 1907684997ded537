"""Checking the cascade: the buyer's journey, the seller activities, the KPIs and their words."""

from __future__ import annotations

from collections.abc import Mapping

from rituals.process.base_checks import KEY_RE, BaseChecks
from rituals.process.model import Activity, Kpi, Stage
from rituals.process.words import (
    did_you_mean,
    display_word,
    kind_of,
    normalize_word,
    number_variants,
    one_of,
    quote,
)

KINDS = ("leading", "lagging")


class CascadeChecks(BaseChecks):
    """journey:, activities: and kpis:, with every word that names a KPI."""

    def stages(self, value: object) -> list[Stage]:
        example = "{key: receives_call, name: Receives Call/Email}"
        entries = self.items(value, "journey", what="stage", example=example)
        out = []
        for key, path, item in self.keyed(entries, "journey", "stage"):
            self.unknown_fields(item, ("key", "name"), path)
            out.append(Stage(key, self.name(item, key, path)))
        return out

    def activities(self, value: object, stage_keys: list[str]) -> list[Activity]:
        example = "{key: call_lead, name: Call Lead, stage: receives_call}"
        entries = self.items(value, "activities", what="activity", example=example)
        out = []
        for key, path, item in self.keyed(entries, "activities", "activity"):
            self.unknown_fields(item, ("key", "name", "stage"), path)
            name = self.name(item, key, path)
            raw = item.get("stage")
            stage = self.ref(raw)
            if raw is None:
                self.add(
                    f"{path}.stage",
                    "the activity names no stage",
                    f"say which journey stage it moves a prospect to: one of {one_of(stage_keys)}",
                )
                continue
            if stage not in stage_keys:
                if stage_keys:
                    self.add(
                        f"{path}.stage",
                        f"unknown stage {quote(raw)}",
                        f"use one of {one_of(stage_keys)}" + did_you_mean(raw, stage_keys),
                    )
                continue
            out.append(Activity(key, name, stage))
        return out

    def peek_role_keys(self, value: object) -> list[str]:
        if not isinstance(value, list | tuple):
            return []
        return [
            item["key"]
            for item in value
            if isinstance(item, Mapping)
            and isinstance(item.get("key"), str)
            and KEY_RE.match(item["key"])
        ]

    def aliases(self, value: object, path: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            self.add(
                path,
                f"aliases must be a list of words, got {kind_of(value)}",
                "write them like [call, calls, dial]",
            )
            return []
        out: list[str] = []
        for i, raw in enumerate(value):
            word = self.word(raw, f"{path}[{i}]")
            if word is not None and word not in out:
                out.append(word)
        return out

    def kpis(self, value: object, activity_keys: list[str], role_keys: list[str]) -> list[Kpi]:
        example = (
            "{key: calls, name: Calls, kind: leading, activity: call_lead, aliases: [call, dial]}"
        )
        entries = self.items(value, "kpis", what="KPI", example=example)
        drafts = []
        archived_keys: set[str] = set()
        for key, path, item in self.keyed(entries, "kpis", "KPI"):
            self.unknown_fields(
                item,
                (
                    "key",
                    "name",
                    "kind",
                    "activity",
                    "aliases",
                    "recorded_by",
                    "description",
                    "archived",
                ),
                path,
            )
            name = self.name(item, key, path)
            raw_kind = item.get("kind")
            kind = self.ref(raw_kind)
            if kind not in KINDS:
                self.add(
                    f"{path}.kind",
                    "the KPI has no kind"
                    if raw_kind is None
                    else f"kind {quote(raw_kind)} is not leading or lagging",
                    "use 'leading' (an activity the rep controls now, e.g. calls) or 'lagging' (a result, e.g. deals closed)"
                    + did_you_mean(raw_kind, KINDS),
                )
            raw_activity = item.get("activity")
            activity = self.ref(raw_activity)
            if raw_activity is not None and activity not in activity_keys:
                self.add(
                    f"{path}.activity",
                    f"unknown activity {quote(raw_activity)}",
                    f"use one of {one_of(activity_keys)}"
                    + did_you_mean(raw_activity, activity_keys),
                )
            raw_by = item.get("recorded_by")
            recorded_by = self.ref(raw_by)
            if raw_by is not None and recorded_by not in role_keys:
                self.add(
                    f"{path}.recorded_by",
                    f"unknown role {quote(raw_by)}",
                    f"use one of {one_of(role_keys)} (the role whose members record this KPI for the rep), or remove it"
                    + did_you_mean(raw_by, role_keys),
                )
            description = ""
            if item.get("description") is not None:
                description = (
                    self.text(
                        item.get("description"),
                        f"{path}.description",
                        what="the description",
                        max_len=300,
                    )
                    or ""
                )
            declared = self.aliases(item.get("aliases"), f"{path}.aliases")
            archived = item.get("archived", False)
            if not isinstance(archived, bool):
                self.add(
                    f"{path}.archived",
                    f"{quote(archived)} is not true or false",
                    "write true or false",
                )
                archived = False
            if archived:
                archived_keys.add(key)
            drafts.append((key, path, name, kind, activity, recorded_by, description, declared))

        # Words: the key, the name and the declared aliases are claimed outright, and two KPIs
        # claiming the same word is an error. Singular/plural forms of the key are added only
        # where no other KPI uses the word.
        owner: dict[str, tuple[str, str]] = {}  # normalized word -> (KPI key, where it came from)
        words: dict[str, list[str]] = {d[0]: [] for d in drafts}
        for key, path, name, *_rest, declared in drafts:
            claims = [(key, f"{path}.key"), (display_word(name), f"{path}.name")]
            claims += [(w, f"{path}.aliases") for w in declared]
            for word, where in claims:
                n = normalize_word(word)
                if not n:
                    continue
                if n in owner and owner[n][0] != key:
                    other_key, other_where = owner[n]
                    self.add(
                        where,
                        f"the word {word!r} names two KPIs: '{other_key}' ({other_where}) and '{key}'",
                        "remove it from one of them so every word means one KPI (use a role alias if it should mean different KPIs for different roles)",
                    )
                    continue
                if n not in owner:
                    owner[n] = (key, where)
                    words[key].append(word)
        derived: dict[str, set[str]] = {}
        for key, *_ in drafts:
            for variant in number_variants(normalize_word(key)):
                derived.setdefault(variant, set()).add(key)
        for key, *_ in drafts:
            for variant, keys in derived.items():
                if keys == {key} and variant not in owner:
                    words[key].append(variant)

        out = []
        for key, _path, name, kind, activity, recorded_by, description, declared in drafts:
            if kind not in KINDS:
                continue
            if activity is not None and activity not in activity_keys:
                continue
            if recorded_by is not None and recorded_by not in role_keys:
                continue
            out.append(
                Kpi(
                    key,
                    name,
                    kind,
                    activity,
                    tuple(words[key]),
                    recorded_by,
                    description,
                    tuple(declared),
                    key in archived_keys,
                )
            )
        return out
