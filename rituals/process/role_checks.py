"""Checking the roles (scorecards, role words, goals), the per-rep overrides, and the advice.

Advice is what the method recommends but a team may choose otherwise ("3 leading + 1 lagging",
a goal for every KPI, no KPI on nobody's scorecard): it becomes Process.warnings, not a problem.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from rituals.process.base_checks import BaseChecks
from rituals.process.goals import Goal, parse_goal
from rituals.process.model import MENTION_RE, SLACK_ID_RE, Activity, Kpi, Role, Stage
from rituals.process.scoring import DEFAULT_SCORING, MAX_CAP, MAX_WEIGHT, MIN_CAP, Scoring
from rituals.process.values import parse_share
from rituals.process.words import kind_of, normalize_word, one_of, quote

MAX_RAMP_MONTHS = 12


def _percent_hint(number: float) -> str:
    return f"{number:g}%" if 0 < number <= 100 else "25%"


METHOD_QUOTE = (
    "A good formula for assigning KPIs is to have 3 leading indicators (activities) and "
    "1 lagging indicator (results). Too many metrics creates a lack of focus."
)


class RoleChecks(BaseChecks):
    """roles: (scorecards, role words, goals) and overrides:, then the method's advice."""

    def roles(
        self, value: object, kpis: list[Kpi], kpi_keys: list[str], words: dict[str, str]
    ) -> list[Role]:
        example = "{key: sdr, name: Sales Development Rep, scorecard: [calls, conversations, meetings_scheduled, sao]}"
        entries = self.items(value, "roles", what="role", example=example)
        by_key = {k.key: k for k in kpis}
        global_words = {normalize_word(w): k.key for k in kpis for w in k.aliases}
        out = []
        for key, path, item in self.keyed(entries, "roles", "role"):
            self.unknown_fields(
                item, ("key", "name", "scorecard", "aliases", "goals", "scoring", "ramp"), path
            )
            name = self.name(item, key, path)
            # For "did you mean": this role's own words first, then every KPI word.
            role_words = dict(words)
            raw_aliases = item.get("aliases")
            if isinstance(raw_aliases, Mapping):
                for w, target in raw_aliases.items():
                    ref = self.ref(target)
                    if isinstance(w, str) and ref in kpi_keys:
                        role_words[normalize_word(w)] = ref
            scorecard = self.scorecard(
                item.get("scorecard"), f"{path}.scorecard", kpi_keys, role_words
            )
            for kpi_key in scorecard or ():
                if kpi_key in by_key and by_key[kpi_key].archived:
                    self.add(
                        f"{path}.scorecard",
                        f"{by_key[kpi_key].name} is archived: nobody logs it any more",
                        f"take '{kpi_key}' off the scorecard, or remove 'archived: true' from it",
                    )
            aliases = self.role_aliases(
                item.get("aliases"),
                f"{path}.aliases",
                key,
                scorecard,
                kpi_keys,
                role_words,
                global_words,
                by_key,
            )
            goals = self.goals(
                item.get("goals"), f"{path}.goals", key, scorecard, kpi_keys, role_words
            )
            scoring = self.scoring(
                item.get("scoring"), f"{path}.scoring", key, scorecard, kpi_keys, role_words
            )
            ramp = self.ramp(item.get("ramp"), f"{path}.ramp")
            if None in (scorecard, aliases, goals, scoring, ramp):
                continue
            ordered = {k: goals[k] for k in scorecard if k in goals}
            out.append(
                Role(
                    key,
                    name,
                    tuple(scorecard),
                    MappingProxyType(ordered),
                    MappingProxyType(aliases),
                    scoring,
                    ramp,
                )
            )
        return out

    def ramp(self, value: object, path: str) -> tuple[float, ...] | None:
        """``ramp: [25%, 50%, 75%]``: a new hire's share of the goal in their 1st, 2nd, 3rd month
        of tenure (only reps added with a start date). Shares are written with % (or as a
        fraction up to 1: 0.25); a bare 25 is refused, not guessed at."""
        if value is None:
            return ()
        example = "[25%, 50%, 75%]"
        if not isinstance(value, list | tuple):
            self.add(
                path,
                f"the ramp must be a list of shares, one per month, got {kind_of(value)}",
                f"write it like {example}: the share of the goal in the 1st, 2nd, 3rd month",
            )
            return None
        if len(value) > MAX_RAMP_MONTHS:
            self.add(
                path,
                f"a ramp of {len(value)} months; at most {MAX_RAMP_MONTHS} are allowed",
                "list one share per month of the ramp-up, e.g. " + example,
            )
            return None
        shares: list[float] = []
        ok = True
        for i, raw in enumerate(value):
            where = f"{path}[{i}]"
            share = parse_share(raw)
            bare = not (isinstance(raw, str) and raw.strip().endswith("%"))
            if share is not None and bare and share > 1:
                self.add(
                    where,
                    f"{quote(raw)} is not a share",
                    f"write it with a percent sign: {_percent_hint(share)} (or as a fraction: 0.25)",
                )
                ok = False
            elif share is None or not 0 < share <= 1:
                self.add(
                    where,
                    f"{quote(raw)} is not a share of the goal above 0% and up to 100%",
                    f"write a percentage such as 25%: month {i + 1}'s share of the goal, like {example}",
                )
                ok = False
            else:
                shares.append(share)
        return tuple(shares) if ok else None

    def scorecard(
        self, value: object, path: str, kpi_keys: list[str], words: dict[str, str]
    ) -> list[str] | None:
        if value is None:
            self.add(
                path,
                "the role has no scorecard",
                "list its KPIs, e.g. [calls, conversations, meetings_scheduled, sao]: 3 leading and 1 lagging",
            )
            return None
        if not isinstance(value, list | tuple):
            self.add(
                path,
                f"a scorecard must be a list of KPI keys, got {kind_of(value)}",
                "write it like [calls, conversations, meetings_scheduled, sao]",
            )
            return None
        if not value:
            self.add(
                path, "the scorecard is empty", "list the role's KPIs: 3 leading and 1 lagging"
            )
            return None
        return self.kpi_list(value, path, kpi_keys, words, "is on the scorecard twice")

    def role_aliases(
        self,
        value: object,
        path: str,
        role: str,
        scorecard: list[str] | None,
        kpi_keys: list[str],
        words: dict[str, str],
        global_words: dict[str, str],
        by_key: dict[str, Kpi],
    ) -> dict[str, str] | None:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(
                path,
                f"role aliases must be a mapping of word: KPI, got {kind_of(value)}",
                "write them like {meeting: meetings_scheduled}",
            )
            return None
        out: dict[str, str] = {}
        seen: dict[str, str] = {}
        ok = True
        for raw_word, raw_kpi in value.items():
            where = f"{path}.{raw_word}"
            word = self.word(raw_word, where)
            target = self.kpi_ref(raw_kpi, where, kpi_keys, words, scorecard)
            if word is None or target is None:
                ok = False
                continue
            if scorecard is not None and target not in scorecard:
                self.add(
                    where,
                    f"'{word}' points to '{target}', which is not on the {role} scorecard",
                    f"point it to one of {one_of(scorecard)}, or add '{target}' to the scorecard",
                )
                ok = False
                continue
            n = normalize_word(word)
            if n in seen and seen[n] != target:
                self.add(
                    where,
                    f"'{word}' already means '{seen[n]}' for this role",
                    "give each word one meaning per role",
                )
                ok = False
                continue
            owner = global_words.get(n)
            if (
                owner is not None
                and owner != target
                and scorecard is not None
                and owner in scorecard
            ):
                self.add(
                    where,
                    f"'{word}' already names '{owner}' ({by_key[owner].name}), which is also on the {role} scorecard",
                    f"use another word, or remove '{word}' from the aliases of KPI '{owner}'",
                )
                ok = False
                continue
            seen[n] = target
            out.setdefault(word, target)
        return out if ok else None

    def goals(
        self,
        value: object,
        path: str,
        role: str,
        scorecard: list[str] | None,
        kpi_keys: list[str],
        words: dict[str, str],
    ) -> dict[str, Goal] | None:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(
                path,
                f"goals must be a mapping of KPI: goal, got {kind_of(value)}",
                "write them like {calls: 60/day, sao: 6/month}",
            )
            return None
        out: dict[str, Goal] = {}
        ok = True
        for raw_key, raw_goal in value.items():
            where = f"{path}.{raw_key}"
            key = self.kpi_ref(raw_key, where, kpi_keys, words, scorecard)
            if key is None:
                ok = False
                continue
            if scorecard is not None and key not in scorecard:
                self.add(
                    where,
                    f"a goal for '{key}', which is not on the {role} scorecard",
                    f"add '{key}' to the scorecard or remove this goal",
                )
                ok = False
                continue
            if key in out:
                self.add(where, f"a second goal for '{key}'", "give each KPI one goal")
                ok = False
                continue
            goal = self.goal(raw_goal, where)
            if goal is None:
                ok = False
            else:
                out[key] = goal
        return out if ok else None

    def scoring(
        self,
        value: object,
        path: str,
        role: str,
        scorecard: list[str] | None,
        kpi_keys: list[str],
        words: dict[str, str],
    ) -> Scoring | None:
        """``scoring: {cap: 150%, weights: {calls: 1, sao: 2}}``: how the role's overall score
        weighs its KPIs (rituals/process/scoring.py). Left out: cap 150%, every weight 1."""
        if value is None:
            return DEFAULT_SCORING
        example = "{cap: 150%, weights: {calls: 1, sao: 2}}"
        if self.mapping(value, path, what="scoring", example=example) is None:
            return None
        assert isinstance(value, Mapping)
        self.unknown_fields(value, ("cap", "weights"), path)
        ok = True
        cap = parse_share(value.get("cap", "150%"))
        if cap is None or not MIN_CAP <= cap <= MAX_CAP:
            self.add(
                f"{path}.cap",
                f"{quote(value.get('cap'))} is not a cap between 100% and 1000%",
                "write a percentage such as 150%: no KPI counts for more than that in the "
                "overall score",
            )
            ok = False
        raw_weights = value.get("weights")
        weights: dict[str, float] = {}
        if raw_weights is not None and not isinstance(raw_weights, Mapping):
            self.add(
                f"{path}.weights",
                f"weights must be a mapping of KPI: weight, got {kind_of(raw_weights)}",
                "write them like {calls: 1, sao: 2}",
            )
            ok = False
        for raw_key, raw_weight in (raw_weights or {}).items():
            where = f"{path}.weights.{raw_key}"
            key = self.kpi_ref(raw_key, where, kpi_keys, words, scorecard)
            if key is None:
                ok = False
                continue
            if scorecard is not None and key not in scorecard:
                self.add(
                    where,
                    f"a weight for '{key}', which is not on the {role} scorecard",
                    f"weigh only its KPIs: {one_of(scorecard)}",
                )
                ok = False
                continue
            weight = raw_weight if isinstance(raw_weight, int | float) else None
            if isinstance(raw_weight, bool) or weight is None or not math.isfinite(weight):
                weight = None
            if weight is None or not 0 <= weight <= MAX_WEIGHT:
                self.add(
                    where,
                    f"{quote(raw_weight)} is not a weight",
                    f"use a number from 0 to {MAX_WEIGHT:g}: 1 is the default, 2 counts double, "
                    "0 leaves the KPI out of the overall score",
                )
                ok = False
                continue
            weights[key] = float(weight)
        if ok and scorecard is not None and all(weights.get(k, 1.0) == 0 for k in scorecard):
            self.add(
                f"{path}.weights",
                "every KPI weighs 0, so there would be no overall score to rank by",
                "give at least one KPI a weight above 0",
            )
            ok = False
        if not ok or cap is None:
            return None
        return Scoring(cap, MappingProxyType(weights))

    def goal(self, raw: object, path: str) -> Goal | None:
        try:
            return parse_goal(raw)
        except ValueError as exc:
            self.add(
                path,
                str(exc),
                "write a positive amount per day, week or month: '60/day', '8/week', '6/month' or {amount: 60, per: day}",
            )
            return None

    def overrides(
        self, value: object, kpi_keys: list[str], words: dict[str, str]
    ) -> dict[str, dict[str, Goal]]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(
                "overrides",
                f"overrides must be a mapping of Slack user ID: goals, got {kind_of(value)}",
                "write them like U0123ABCD: {calls: 50/day}",
            )
            return {}
        out: dict[str, dict[str, Goal]] = {}
        for raw_user, goals in value.items():
            where = f"overrides.{raw_user}"
            user = raw_user.strip() if isinstance(raw_user, str) else None
            if user is None or not SLACK_ID_RE.match(user):
                hint = ""
                if user and SLACK_ID_RE.match(user.upper()):
                    hint = f" (Slack IDs are in capitals: '{user.upper()}')"
                elif user and MENTION_RE.match(user):
                    hint = f" (write just the ID: '{MENTION_RE.match(user).group(1)}')"
                self.add(
                    where,
                    f"{quote(raw_user)} doesn't look like a Slack user ID",
                    "use the member ID from the person's Slack profile (⋮ → Copy member ID), like U0123ABCD"
                    + hint,
                )
                continue
            if goals is None:
                continue
            if not isinstance(goals, Mapping):
                self.add(
                    where,
                    f"a rep's goals must be a mapping of KPI: goal, got {kind_of(goals)}",
                    "write them like {calls: 50/day}",
                )
                continue
            mine: dict[str, Goal] = {}
            for raw_key, raw_goal in goals.items():
                path = f"{where}.{raw_key}"
                key = self.kpi_ref(raw_key, path, kpi_keys, words)
                if key is None:
                    continue
                if key in mine:
                    self.add(path, f"a second goal for '{key}'", "give each KPI one goal")
                    continue
                goal = self.goal(raw_goal, path)
                if goal is not None:
                    mine[key] = goal
            if mine:
                if user in out:
                    self.add(where, f"{user} is listed twice", "merge the two entries")
                    continue
                out[user] = mine
        return out

    # -- advice ---------------------------------------------------------------------------------

    def advise(
        self, stages: list[Stage], activities: list[Activity], kpis: list[Kpi], roles: list[Role]
    ) -> None:
        by_key = {k.key: k for k in kpis}
        quote = f'The method: "{METHOD_QUOTE}"'
        for role in roles:
            kinds = [by_key[k].kind for k in role.scorecard]
            leading, lagging = kinds.count("leading"), kinds.count("lagging")
            where = f"roles.{role.key}"
            if len(role.scorecard) > 4:
                self.warnings.append(
                    f"{where}: {role.name} has {len(role.scorecard)} KPIs ({leading} leading, {lagging} lagging); "
                    f"consider trimming to 4. {quote}"
                )
            if lagging == 0:
                self.warnings.append(
                    f"{where}: {role.name} has no lagging KPI, so its scorecard never shows a result; "
                    f"add one (e.g. deals closed). {quote}"
                )
            if leading == 0:
                self.warnings.append(
                    f"{where}: {role.name} has no leading KPI, nothing the rep controls today; "
                    f"add activities (e.g. calls). {quote}"
                )
            missing = [k for k in role.scorecard if k not in role.goals]
            if missing:
                self.warnings.append(
                    f"{where}.goals: no goal for {', '.join(missing)}; without a goal there is no pace "
                    f"to show. Add e.g. '{missing[0]}: 10/day' (or give every rep one under overrides)."
                )
        on_cards = {k for r in roles for k in r.scorecard}
        for kpi in kpis:
            if kpi.key not in on_cards and not kpi.archived:
                self.warnings.append(
                    f"kpis.{kpi.key}: {kpi.name} is on nobody's scorecard; add it to a role or remove it."
                )
        used_stages = {a.stage for a in activities}
        for stage in stages:
            if stage.key not in used_stages:
                self.warnings.append(
                    f"journey.{stage.key}: no activity moves prospects to '{stage.name}'; add one under activities."
                )
        measured = {k.activity for k in kpis}
        for act in activities:
            if act.key not in measured:
                self.warnings.append(
                    f"activities.{act.key}: '{act.name}' has no KPI, so nobody can track it; add one under kpis."
                )
