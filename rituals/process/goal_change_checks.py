"""Checking the process file's ``goal_changes:`` section: dated goal changes, each for a role or
one rep, from a date on (rituals.process.goals.GoalChange).

    goal_changes:
      - {from: 2026-12-01, role: sdr, kpi: calls, goal: 80/day}
      - {from: 2026-12-01, rep: U0123ABCD, kpi: calls, goal: 50/day}
      - {from: 2027-01-04, rep: U0123ABCD, kpi: calls, goal: reset}   # back to the role's goal
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from rituals.process.base_checks import BaseChecks
from rituals.process.goals import GoalChange
from rituals.process.model import MENTION_RE, SLACK_ID_RE, Role
from rituals.process.words import did_you_mean, kind_of, one_of, quote

FIELDS = ("from", "role", "rep", "kpi", "goal", "by", "at")
EXAMPLE = "{from: 2026-12-01, role: sdr, kpi: calls, goal: 80/day}"
RESET_WORDS = ("reset", "role", "default")
NONE_WORDS = ("none", "off", "no goal")


class GoalChangeChecks(BaseChecks):
    """goal_changes: a list of dated goal changes, checked against the roles and KPIs."""

    def goal_changes(
        self,
        value: object,
        roles: list[Role],
        role_keys: list[str],
        kpi_keys: list[str],
        words: dict[str, str],
    ) -> list[GoalChange]:
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.add(
                "goal_changes",
                f"goal_changes must be a list of dated changes, got {kind_of(value)}",
                f"write one '- {EXAMPLE}' line per change, or leave the section out",
            )
            return []
        by_key = {r.key: r for r in roles}
        out = []
        for i, item in enumerate(value):
            path = f"goal_changes[{i}]"
            if not isinstance(item, Mapping):
                self.add(
                    path,
                    f"each goal change must be a mapping, got {kind_of(item)} {quote(item)}",
                    f"write it like '- {EXAMPLE}'",
                )
                continue
            self.unknown_fields(item, FIELDS, path)
            change = self._goal_change(item, path, by_key, role_keys, kpi_keys, words)
            if change is not None:
                out.append(change)
        return out

    def _goal_change(
        self,
        item: Mapping,
        path: str,
        roles: dict[str, Role],
        role_keys: list[str],
        kpi_keys: list[str],
        words: dict[str, str],
    ) -> GoalChange | None:
        effective = self._change_date(item.get("from"), f"{path}.from")
        role, user, ok = self._change_target(item, path, roles, role_keys)
        scorecard = list(roles[role].scorecard) if role in roles else None
        kpi = self.kpi_ref(item.get("kpi"), f"{path}.kpi", kpi_keys, words, scorecard)
        if kpi is not None and scorecard is not None and kpi not in scorecard:
            self.add(
                f"{path}.kpi",
                f"a goal for '{kpi}', which is not on the {role} scorecard",
                f"use one of {one_of(scorecard)}, or add '{kpi}' to the scorecard",
            )
            kpi = None
        raw_goal = item.get("goal")
        goal = None
        word = raw_goal.strip().lower() if isinstance(raw_goal, str) else None
        if user is not None and word in RESET_WORDS:
            pass  # back to the role's goal
        elif role is not None and word in NONE_WORDS:
            pass  # the role has no goal from that day
        elif "goal" not in item:
            self.add(
                f"{path}.goal",
                "the change has no goal",
                "add one like 'goal: 80/day'"
                + (" (or 'goal: reset' for the role's goal)" if user else ""),
            )
            ok = False
        elif role is not None and word in RESET_WORDS:
            self.add(
                f"{path}.goal",
                "'reset' puts a rep back on their role's goal; a role has no goal to go back to",
                "give the role a goal like '80/day', or 'none' for no goal from that day",
            )
            ok = False
        else:
            goal = self.goal(raw_goal, f"{path}.goal")
            ok = ok and goal is not None
        by = item.get("by")
        if by is not None and (not isinstance(by, str) or not by.strip() or len(by) > 40):
            self.add(
                f"{path}.by",
                f"{quote(by)} is not who made the change",
                "write a Slack ID like U0123ABCD, or leave it out",
            )
            ok = False
        at = self._change_time(item.get("at"), f"{path}.at")
        if not ok or effective is None or kpi is None or at is False:
            return None
        return GoalChange(
            effective,
            kpi,
            goal,
            role=role,
            user=user,
            by=by.strip() if isinstance(by, str) else None,
            at=at or None,
        )

    def _change_target(
        self, item: Mapping, path: str, roles: dict[str, Role], role_keys: list[str]
    ) -> tuple[str | None, str | None, bool]:
        """(role, rep, well formed): exactly one of role: and rep:."""
        raw_role, raw_rep = item.get("role"), item.get("rep")
        if ("role" in item) == ("rep" in item):
            self.add(
                path,
                "a goal change is for a role or for one rep: give exactly one of 'role' and 'rep'",
                f"write it like '- {EXAMPLE}' or '- {{from: 2026-12-01, rep: U0123ABCD, kpi: calls, goal: 50/day}}'",
            )
            return None, None, False
        if "role" in item:
            key = self.ref(raw_role)
            if key in roles:
                return key, None, True
            if key not in role_keys:  # a role defined but broken is reported where it is
                self.add(
                    f"{path}.role",
                    f"unknown role {quote(raw_role)}",
                    f"use one of {one_of(role_keys)}" + did_you_mean(raw_role, role_keys),
                )
            return None, None, False
        user = raw_rep.strip() if isinstance(raw_rep, str) else None
        if user is not None and SLACK_ID_RE.match(user):
            return None, user, True
        hint = ""
        if user and SLACK_ID_RE.match(user.upper()):
            hint = f" (Slack IDs are in capitals: '{user.upper()}')"
        elif user and MENTION_RE.match(user):
            hint = f" (write just the ID: '{MENTION_RE.match(user).group(1)}')"
        self.add(
            f"{path}.rep",
            f"{quote(raw_rep)} doesn't look like a Slack user ID",
            "use the member ID from the person's Slack profile (⋮ → Copy member ID), like U0123ABCD"
            + hint,
        )
        return None, None, False

    def _change_date(self, raw: object, path: str) -> dt.date | None:
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw
        if isinstance(raw, str) and len(raw.strip()) == 10:
            try:
                return dt.date.fromisoformat(raw.strip())
            except ValueError:
                pass
        self.add(
            path,
            "the change has no date it applies from"
            if raw is None
            else f"{quote(raw)} is not a date",
            "write the first day the goal applies as YYYY-MM-DD, e.g. 'from: 2026-12-01'",
        )
        return None

    def _change_time(self, raw: object, path: str) -> dt.datetime | None | bool:
        """When the change was typed (UTC); None when not given, False when unreadable."""
        if raw is None:
            return None
        if isinstance(raw, dt.datetime):
            value = raw
        else:
            try:
                value = dt.datetime.fromisoformat(str(raw).strip())
            except ValueError:
                self.add(
                    path,
                    f"{quote(raw)} is not a date and time",
                    "write when the change was made like 2026-11-23T15:02:00+00:00, or leave it out",
                )
                return False
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
