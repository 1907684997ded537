"""Reading a submitted team settings form: each field checked, every mistake kept under its
block (``FormValues.errors``), and what the manager changed gathered as ``Changes``: the
process edits (applied to whatever process is newest when saved, so someone else's change made
meanwhile stays), the channel, and each person's new place on the team.

A value counts as changed when it differs from what the form showed (its private_metadata) and
isn't so already: the same form submitted twice changes nothing the second time."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot import messages
from bot.admin.settings_view import RITUAL_FIELDS, amount_text, goal_unit
from bot.context import Interaction
from bot.ids import INPUT
from bot.replies import Problem, explain
from rituals import tenure
from rituals.pacing import WEEKDAY_NAMES, parse_hhmm
from rituals.process import MAX_GOAL, Process, ProcessError, load_edited_process
from storage import people_queries
from storage.models import Member
from storage.unit_of_work import Session

_MISSING = object()


class FormValues:
    """The submitted values, read field by field; a mistake is kept under its block."""

    def __init__(self, view: dict):
        self.values = (view.get("state") or {}).get("values") or {}
        self.errors: dict[str, str] = {}

    def has(self, block_id: str) -> bool:
        return block_id in self.values

    def field(self, block_id: str) -> dict:
        return (self.values.get(block_id) or {}).get(INPUT) or {}

    def users(self, block_id: str) -> list[str]:
        return list(dict.fromkeys(self.field(block_id).get("selected_users") or []))

    def selected(self, block_id: str) -> str | None:
        return (self.field(block_id).get("selected_option") or {}).get("value")

    def time(self, block_id: str) -> str | None:
        raw = self.field(block_id).get("selected_time")
        if not raw:
            return None
        try:
            return f"{parse_hhmm(raw):%H:%M}"
        except ValueError:
            self.errors[block_id] = "Pick a time from the list, e.g. 17:30."
            return None


def read_goal(form: FormValues, block_id: str) -> float | None:
    raw = str(form.field(block_id).get("value") or "").strip()
    if not raw:
        return None
    try:
        amount = float(raw.replace(",", ""))
    except ValueError:
        form.errors[block_id] = (
            f"{raw[:20]} isn't a number: type a goal like 60, or leave it empty."
        )
        return None
    if not math.isfinite(amount) or amount <= 0:
        form.errors[block_id] = "A goal is above 0; leave the field empty for no goal."
        return None
    if amount > MAX_GOAL:
        form.errors[block_id] = f"{raw[:20]} is implausibly large for a goal."
        return None
    return amount


def read_metadata(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "")
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("team"), int):
        raise Problem(
            "This form is from an older Pacer and can't be saved; nothing changed. Open it again "
            "with `/pacer`."
        )
    return data


PROBLEM_BLOCKS = (  # where a process problem is shown, by its path in the process
    ("timezone", "timezone"),
    ("working_days", "days"),
    ("working_hours.start", "hours_start"),
    ("working_hours", "hours_end"),
    ("scorecard_visibility", "visibility"),
    *((f"rituals.{key}", f"ritual:{key}") for key, _ in RITUAL_FIELDS),
)


def problem_block(path: str, form: FormValues) -> str:
    for prefix, block in PROBLEM_BLOCKS:
        if path.startswith(prefix) and form.has(block):
            return block
    parts = path.split(".")
    if len(parts) >= 4 and parts[0] == "roles" and parts[2] == "goals":
        for block in form.values:
            if block.startswith("goal:") and block.endswith(f":{parts[3]}"):
                return block
    return next(iter(form.values), "timezone")


@dataclass
class Changes:
    """What a valid submission changes, and a line for each (mrkdwn) for the confirmation."""

    lines: list[str] = field(default_factory=list)
    edits: dict = field(default_factory=dict)  # top-level process settings: timezone…
    rituals: dict[str, str | None] = field(default_factory=dict)  # ritual -> "HH:MM", None: off
    weekly_day: str = ""
    day_changed: bool = False
    goals: dict[tuple[str, str], float | None] = field(default_factory=dict)  # None: no goal
    channel: str | None = None
    roster: list[MemberChange] = field(default_factory=list)
    # A goal changed in the form applies from ``today`` (the team's), like `/pacer goal`: a
    # dated change by ``by`` at ``at`` (rituals/process/goal_history.py), never retroactive.
    today: date | None = None
    by: str | None = None
    at: datetime | None = None

    @property
    def changes_process(self) -> bool:
        return bool(self.edits or self.rituals or self.goals)

    def apply(self, current: Process) -> Process:
        """The process edits on top of ``current`` (the newest version when saved)."""
        data = current.to_dict()
        for key, value in self.edits.items():
            data[key] = value
        for key, at in self.rituals.items():
            before = data["rituals"].get(key)
            if key == "weekly":
                # The day only if the form changed it: someone else's change stays otherwise.
                kept = before.get("day") if isinstance(before, dict) else None
                day = self.weekly_day if self.day_changed or not kept else kept
                data["rituals"][key] = {"day": day, "at": at} if at else "off"
            elif at is None:
                data["rituals"][key] = "off"
            elif isinstance(before, dict):
                data["rituals"][key] = {**before, "at": at}
            else:
                data["rituals"][key] = {"at": at}
        changes = list(data.get("goal_changes", []))
        for (role_key, kpi_key), amount in self.goals.items():
            if not any(r["key"] == role_key for r in data["roles"]):
                continue
            unit = (
                goal_unit(current, role_key, kpi_key, self.today)
                if current.has_role(role_key)
                else "day"
            )
            goal = f"{amount_text(amount)}/{unit}" if amount is not None else "none"
            if self.today is None:  # no day to date it from: the goal before any change
                entry = next(r for r in data["roles"] if r["key"] == role_key)
                entry["goals"].pop(kpi_key, None)
                if amount is not None:
                    entry["goals"][kpi_key] = goal
                continue
            day = self.today.isoformat()
            changes = [
                c
                for c in changes
                if (c["from"], c.get("role"), c["kpi"]) != (day, role_key, kpi_key)
            ]
            change = {"from": day, "role": role_key, "kpi": kpi_key, "goal": goal}
            if self.by:
                change["by"] = self.by
            if self.at is not None:
                change["at"] = self.at.isoformat(timespec="seconds")
            changes.append(change)
        if changes:
            data["goal_changes"] = changes
        return load_edited_process(data)

    def stage(self, session: Session, team_id: int) -> None:
        """The channel and roster changes, flushed into the request's transaction: they are
        committed with the new process version, by the request's unit of work (and staged
        again, harmlessly, if storing the version is retried)."""
        if self.channel:
            team = people_queries.get_team(session, team_id)
            people_queries.set_team_channel(session, team, self.channel)
        for change in self.roster:
            change(session)


Changed = Callable[..., bool]  # new(value, *path): does the form change this value?


def read_changes(ix: Interaction, form: FormValues, shown: dict, cur: dict) -> Changes:
    """Every field of the form, checked (mistakes land in ``form.errors``); ``shown`` is what
    the form opened with, ``cur`` the settings as they are now."""
    process = ix.actor.process

    def new(value, *path) -> bool:
        was, now = shown, cur
        for key in path:
            was, now = was.get(key, _MISSING), now.get(key, _MISSING)
        return value != was and value != now

    changes = Changes(today=process.calendar.local_date(ix.now), by=ix.actor.user_id, at=ix.now)
    _read_schedule(form, shown, new, changes)
    _read_rituals(form, shown, cur, new, changes)
    _read_goals(form, shown, process, new, changes)
    if changes.changes_process and not form.errors:
        try:
            changes.apply(process)
        except ProcessError as error:
            for problem in error.problems:
                block = problem_block(problem.path, form)
                text = explain(problem).replace("`", "")
                form.errors[block] = f"{form.errors.get(block, '')} {text}".strip()[:500]
    changes.roster = roster_changes(ix, form, shown, cur)
    _read_channel(form, shown, new, changes)
    changes.lines += [change.line for change in changes.roster]
    return changes


def _read_schedule(form: FormValues, shown: dict, new: Changed, changes: Changes) -> None:
    """The timezone, working days and hours, and who sees scorecards."""
    edits, lines = changes.edits, changes.lines
    timezone = form.selected("timezone") or shown["timezone"]
    if new(timezone, "timezone"):
        edits["timezone"] = timezone
        lines.append(f"timezone {messages.escape(timezone)}")
    days = [o.get("value") for o in form.field("days").get("selected_options") or []]
    days = [d for d in WEEKDAY_NAMES if d in days]
    if form.has("days") and not days:
        form.errors["days"] = "Tick at least one working day."
    elif form.has("days") and new(days, "days"):
        edits["working_days"] = days
        lines.append("working days " + ", ".join(d.capitalize() for d in days))
    start, end = form.time("hours_start"), form.time("hours_end")
    if form.has("hours_start") and form.has("hours_end"):
        if not start and "hours_start" not in form.errors:
            form.errors["hours_start"] = "Pick when the working day starts."
        if not end and "hours_end" not in form.errors:
            form.errors["hours_end"] = "Pick when the working day ends."
        if start and end and end <= start:
            form.errors["hours_end"] = f"The day must end after it starts ({start})."
        elif start and end and new([start, end], "hours"):
            edits["working_hours"] = {"start": start, "end": end}
            lines.append(f"working hours {start}–{end}")
    visibility = form.selected("visibility") or shown["visibility"]
    if visibility not in ("public", "managers"):
        form.errors["visibility"] = "Choose one of the two."
    elif new(visibility, "visibility"):
        edits["scorecard_visibility"] = visibility
        who = "everyone" if visibility == "public" else "managers and the rep"
        lines.append(f"scorecards visible to {who}")


def _read_rituals(form: FormValues, shown: dict, cur: dict, new: Changed, changes: Changes) -> None:
    rituals, lines = changes.rituals, changes.lines
    for key, label in RITUAL_FIELDS:
        block = f"ritual:{key}"
        if not form.has(block):
            continue
        at = form.time(block)
        if block not in form.errors and new(at, "rituals", key):
            rituals[key] = at
            lines.append(f"{label.split(' (')[0].lower()} {at or 'off'}")
    weekly_day = form.selected("weekly_day") or shown["weekly_day"]
    changes.weekly_day, changes.day_changed = weekly_day, new(weekly_day, "weekly_day")
    if weekly_day not in WEEKDAY_NAMES:
        form.errors["weekly_day"] = "Choose a day."
    elif changes.day_changed and "ritual:weekly" not in form.errors:
        weekly_at = rituals.get("weekly", cur["rituals"]["weekly"])
        if weekly_at:  # a weekly digest that is off has no day
            rituals["weekly"] = weekly_at
            lines.append(f"weekly digest on {weekly_day.capitalize()}")


def _read_goals(
    form: FormValues, shown: dict, process: Process, new: Changed, changes: Changes
) -> None:
    for key in shown["goals"]:
        block = f"goal:{key}"
        if not form.has(block):
            continue
        amount = read_goal(form, block)
        role_key, kpi_key = key.split(":", 1)
        if block in form.errors or not new(amount, "goals", key):
            continue
        if not process.has_role(role_key) or kpi_key not in process.role(role_key).scorecard:
            form.errors[block] = "This goal is no longer in the process: open the form again."
            continue
        changes.goals[(role_key, kpi_key)] = amount
        unit = goal_unit(process, role_key, kpi_key, changes.today)
        what = f"{amount_text(amount)}/{unit}" if amount is not None else "no goal"
        changes.lines.append(f"goal {role_key} {kpi_key} {what}")


def _read_channel(form: FormValues, shown: dict, new: Changed, changes: Changes) -> None:
    if not form.has("channel"):
        return
    channel = form.field("channel").get("selected_conversation")
    if not channel and shown["channel"]:
        form.errors["channel"] = (
            "Rituals need a channel to post in: choose one (a different one moves them)."
        )
    elif channel and channel.startswith("D"):
        form.errors["channel"] = "Choose a channel, not a direct message."
    elif channel and new(channel, "channel"):
        changes.channel = channel
        changes.lines.append(f"channel {messages.channel(channel)}")


class MemberChange:
    """One person's new place on the team (role, manager or off it), applied to the session;
    ``line`` says it for the confirmation."""

    def __init__(self, ix: Interaction, user_id: str, role: str | None, manager: bool, line: str):
        self.workspace_id, self.team_id = ix.actor.workspace_id, ix.actor.team_id
        self.by, self.now = ix.user_id, ix.now
        self.user_id, self.role, self.manager = user_id, role, manager
        self.line = line
        self.today = ix.actor.today()

    def __call__(self, session: Session) -> None:
        member = people_queries.get_member(session, self.workspace_id, self.user_id)
        leaving = self.role is None and not self.manager
        if member is None:
            if leaving:
                return
            member = Member(
                workspace_id=self.workspace_id,
                team_id=self.team_id,
                user_id=self.user_id,
                added_by=self.by,
                added_at=self.now,
            )
        if leaving:  # as `/pacer team remove`: today is their last day (a new hire: called off)
            if tenure.not_started(member, self.today) or not member.active:
                member.active = False
            elif member.last_day is None or member.last_day > self.today:
                member.last_day = self.today
            member.removed_at, member.is_manager = self.now, False
        else:
            if member.id is not None and not tenure.on_roster(member, self.today):
                member.started_on = self.today  # back after leaving: from today
            member.team_id, member.role, member.is_manager = self.team_id, self.role, self.manager
            member.active, member.removed_at, member.last_day = True, None, None
        people_queries.save_member(session, member)


def roster_changes(ix: Interaction, form: FormValues, shown: dict, cur: dict) -> list[MemberChange]:
    """The change for each person whose role or manager rights the form
    changes; someone the form didn't show and isn't picked now is left alone."""
    before = shown.get("roster")
    if before is None or not any(form.has(f"role:{r}") for r in before["roles"]):
        return []
    process = ix.actor.process
    old_role = {u: r for r, users in before["roles"].items() for u in users}
    old_manager = set(before["managers"])
    new_role: dict[str, str] = {}
    for role_key in before["roles"]:
        block = f"role:{role_key}"
        if not form.has(block) or not process.has_role(role_key):
            continue
        for user in form.users(block):
            if user in new_role:
                form.errors[block] = (
                    f"{_name(ix, user)} is also picked as "
                    f"{process.role(new_role[user]).name}: pick one role per person."
                )
                continue
            new_role[user] = role_key
    new_manager = set(form.users("managers")) if form.has("managers") else old_manager
    if ix.user_id in old_manager and ix.user_id not in new_manager and not ix.actor.is_admin:
        form.errors["managers"] = (
            "You can't take yourself off the managers here: you'd lose the right to run the "
            "team. Ask another manager or a Pacer admin."
        )
    # A role dropped from the process since the form opened has no list now: its people stay.
    skipped = {r for r in before["roles"] if not (form.has(f"role:{r}") and process.has_role(r))}
    out = []
    shown_people = set(old_role) | old_manager
    for user in sorted(shown_people | set(new_role) | new_manager):
        before_state = (old_role.get(user), user in old_manager)
        if before_state[0] in skipped and user not in new_role:
            continue
        after = (new_role.get(user), user in new_manager)
        if after == before_state:
            continue
        now_role = next((r for r, users in cur["roster"]["roles"].items() if user in users), None)
        if after == (now_role, user in cur["roster"]["managers"]):
            continue  # so already (the same form submitted twice)
        role, manager = after
        who = messages.mention(user)
        if role is None and not manager:
            line = f"{who} off the team after today (their last day)"
        elif role is None:
            line = f"{who} manager" + (" (no scorecard)" if before_state[0] else "")
        else:
            role_name = messages.escape(process.role(role).name)
            line = f"{who} {role_name}" + (" and manager" if manager else "")
        out.append(MemberChange(ix, user, role, manager, line))
    return out


def _name(ix: Interaction, user_id: str) -> str:
    found = people_queries.profiles(ix.session, ix.actor.workspace_id, [user_id]).get(user_id)
    return found.display_name if found else user_id
