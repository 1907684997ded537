"""The team settings form: `/pacer` with no arguments opens it for the team's managers (and
Pacer admins); anyone else gets the help, as before.

One form holds the roster and roles (a people picker per role, and one for the managers), the
channel rituals post in, the goals per role and KPI (a number in the unit the process states:
60 per day, 8 per week…), the timezone, working days and hours, the ritual times, and who sees
scorecards. A submission is checked whole: every mistake is shown under its field and nothing
changes. A good one applies only what the manager changed (the values the form opened with ride
in its private_metadata, so a change someone else made meanwhile is not undone), as **one** new
process version (``rituals.teams.change_process``) committed in the same transaction as the
roster and channel changes: all of it lands, or none of it.

A team too big for people pickers (more than ROSTER_LIMIT people) keeps its roster out of the
form and is pointed at `/pacer team`; the form stays under Slack's 100 blocks whatever the
process (goals that would not fit are pointed at `/pacer goal`)."""

from __future__ import annotations

import json
import math
from datetime import time

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.admin.welcome import welcome_job
from bot.context import Command, Interaction
from bot.home.listeners import refresh_job
from bot.ids import INPUT, View
from bot.listeners import register_view
from bot.messages import plain_text
from bot.replies import Problem, explain
from bot.services import Services
from rituals.pacing import WEEKDAY_NAMES, parse_hhmm
from rituals.process import MAX_GOAL, Process, ProcessError, load_process_dict
from rituals.teams import change_process, require_manager, team_process
from storage import people_queries, process_queries
from storage.models import Member, SalesTeam

ROSTER_LIMIT = 40  # people on the team; more are managed with `/pacer team`
MAX_BLOCKS = 100
METADATA_LIMIT = 3000  # Slack's limit for private_metadata
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The form's rituals: (key in the process's `rituals:` section, label). Leaderboards and contest
# standings take KPIs or several times: `/pacer ritual` sets those.
RITUAL_FIELDS = (
    ("daily", "Daily digest"),
    ("weekly", "Weekly digest"),
    ("monthly", "Monthly digest (first working day)"),
    ("nudges", "Nudges (a private reminder to reps who logged nothing)"),
    ("lag_check", "Lag check (a contest suggested when a KPI falls behind)"),
    ("coaching", "Coaching reminders (to managers)"),
)
COMMON_TIMEZONES = (
    "UTC",
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/New_York",
    "America/Halifax",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Manila",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
)


_MISSING = object()


def register(app: App, services: Services) -> None:
    register_view(app, services, View.TEAM_SETTINGS, submit)


# -- what the form shows ----------------------------------------------------------------------


_input = messages.input_block


def _option(text: str, value: str) -> dict:
    return {"text": plain_text(text, 75), "value": value[:150]}


def _amount(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def goal_unit(process: Process, role: str, kpi: str) -> str:
    """The period a role's goal for a KPI is stated in: as the process says, else per day for
    an activity and per month for a result."""
    goal = process.role(role).goals.get(kpi)
    if goal is not None:
        return goal.per
    return "day" if process.kpi(kpi).leading else "month"


def _ritual_time(process: Process, key: str) -> time | None:
    return getattr(process.rituals, key)


def snapshot(process: Process, team: SalesTeam, members: list[Member], whole: bool = False) -> dict:
    """The settings as the form shows them: what the submission is compared with, so only what
    the manager changed is applied. None in "roster" when the team is too big for the form
    (unless ``whole``)."""
    roster = None
    if whole or len(members) <= ROSTER_LIMIT:
        roster = {
            "roles": {
                r.key: [m.user_id for m in members if m.role == r.key] for r in process.roles
            },
            "managers": [m.user_id for m in members if m.is_manager],
        }
    goals = {}
    for role in process.roles:
        for kpi in role.scorecard:
            goal = role.goals.get(kpi)
            goals[f"{role.key}:{kpi}"] = goal.amount if goal else None
    cal = process.calendar
    return {
        "team": team.id,
        "roster": roster,
        "channel": team.channel_id,
        "goals": goals,
        "timezone": process.timezone,
        "days": [WEEKDAY_NAMES[d] for d in sorted(cal.working_days)],
        "hours": [f"{cal.day_start:%H:%M}", f"{cal.day_end:%H:%M}"],
        "rituals": {
            key: (f"{t:%H:%M}" if (t := _ritual_time(process, key)) else None)
            for key, _ in RITUAL_FIELDS
        },
        "weekly_day": WEEKDAY_NAMES[process.rituals.weekly_day],
        "visibility": process.visibility,
    }


def build_view(process: Process, team: SalesTeam, members: list[Member], version: int | None):
    """The form as a view payload (pure: tested as data), at most 100 blocks and 3,000
    characters of private_metadata: goals that don't fit are pointed at `/pacer goal`, then a
    roster that doesn't fit at `/pacer team` (their values stay out of the metadata too)."""
    shown = snapshot(process, team, members)
    name = messages.escape(team.name)
    where = f"process version {version}" if version else "the built-in process"
    head = [
        messages.context(
            f"*{name}* · {where}. Change what you need; nothing is saved until every field is "
            "right, and then it is saved all at once."
        ),
        messages.header("Roster and roles"),
    ]
    channel = _channel_block(team)
    schedule = _schedule_blocks(process, shown)
    roster = _roster_blocks(process, members, shown)
    goals = _goal_blocks(process, shown)

    def fits() -> bool:
        size = len(head) + len(roster) + 1 + len(goals) + len(schedule)
        return size <= MAX_BLOCKS and len(json.dumps(shown)) <= METADATA_LIMIT

    if not fits():
        shown["goals"] = {}
        goals = [
            messages.header("Goals"),
            *messages.section(
                "This process has more goals than fit in the form: see them with `/pacer goal` "
                "and set one with `/pacer goal sdr calls 60/day`."
            ),
        ]
    if not fits():
        shown["roster"] = None
        roster = _roster_blocks(process, members, shown)
    return {
        "type": "modal",
        "callback_id": View.TEAM_SETTINGS,
        "title": plain_text("Team settings", messages.MODAL_TITLE_LIMIT),
        "submit": plain_text("Save", messages.MODAL_TITLE_LIMIT),
        "close": plain_text("Cancel", messages.MODAL_TITLE_LIMIT),
        "private_metadata": json.dumps(shown, separators=(",", ":")),
        "blocks": (head + roster + [channel] + goals + schedule)[:MAX_BLOCKS],
    }


def _roster_blocks(process: Process, members: list[Member], shown: dict) -> list[dict]:
    if shown["roster"] is None:
        why = (
            f"{len(members)} people are on the team: too many for this form."
            if len(members) > ROSTER_LIMIT
            else "The roster doesn't fit in this form."
        )
        return messages.section(
            f"{why} See it with `/pacer team`, and change it with `/pacer team add @user sdr`, "
            "`/pacer team remove @user` and `/pacer manager @user`."
        )
    blocks = [
        _input(
            f"role:{role.key}",
            f"{role.name} ({role.key})",
            _users(shown["roster"]["roles"][role.key]),
            optional=True,
            hint="Scorecard: " + ", ".join(process.kpi(k).name for k in role.scorecard)[:1900],
        )
        for role in process.roles
    ]
    blocks.append(
        _input(
            "managers",
            "Managers",
            _users(shown["roster"]["managers"]),
            optional=True,
            hint="Managers add people, set goals and see every scorecard. Someone you take "
            "out of every list leaves the team; their logs are kept.",
        )
    )
    stray = [m for m in members if m.role and not process.has_role(m.role)]
    if stray:
        blocks.append(
            messages.context(
                f"{len(stray)} people have a role no longer in the process and are left as "
                "they are: give them a role with `/pacer team add @user ROLE`."
            )
        )
    return blocks


def _channel_block(team: SalesTeam) -> dict:
    channel: dict = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        "placeholder": plain_text("Choose a channel"),
    }
    if team.channel_id:
        channel["initial_conversation"] = team.channel_id
    return _input(
        "channel",
        "Channel for digests, leaderboards and contests",
        channel,
        optional=not team.channel_id,
        hint="Invite Pacer to a private channel (/invite @Pacer) before choosing it.",
    )


def _users(initial: list[str]) -> dict:
    element: dict = {"type": "multi_users_select", "placeholder": plain_text("Add people")}
    if initial:
        element["initial_users"] = list(initial)
    return element


def _goal_blocks(process: Process, shown: dict) -> list[dict]:
    if not shown["goals"]:
        return []
    blocks = [messages.header("Goals")]
    for role in process.roles:
        blocks.append(messages.context(f"*{messages.escape(role.name)}*"))
        for kpi in role.scorecard:
            amount = shown["goals"][f"{role.key}:{kpi}"]
            unit = goal_unit(process, role.key, kpi)
            element: dict = {"type": "number_input", "is_decimal_allowed": True, "min_value": "0"}
            if amount is not None:
                element["initial_value"] = _amount(amount)
            blocks.append(
                _input(
                    f"goal:{role.key}:{kpi}",
                    f"{process.kpi(kpi).name} per {unit}",
                    element,
                    optional=True,
                    hint=None
                    if amount is not None
                    else "No goal yet: without one there is no pace.",
                )
            )
    blocks.append(
        messages.context(
            "Empty means no goal. One rep's own goal: `/pacer goal @rep calls 50/day`."
        )
    )
    return blocks


def _schedule_blocks(process: Process, shown: dict) -> list[dict]:
    zones = list(COMMON_TIMEZONES)
    if process.timezone not in zones:
        zones.insert(0, process.timezone)
    zone_options = [_option(z.replace("_", " "), z) for z in zones[:100]]
    day_options = [_option(DAY_NAMES[i], WEEKDAY_NAMES[i]) for i in range(7)]
    by_day = {o["value"]: o for o in day_options}
    blocks = [
        messages.header("Days and hours"),
        _input(
            "timezone",
            "Timezone",
            {
                "type": "static_select",
                "options": zone_options,
                "initial_option": next(o for o in zone_options if o["value"] == process.timezone),
            },
            hint="Days, weeks and months follow it. Another zone: /pacer timezone Area/City.",
        ),
        _input(
            "days",
            "Working days",
            {
                "type": "checkboxes",
                "options": day_options,
                "initial_options": [by_day[d] for d in shown["days"]],
            },
        ),
        _input("hours_start", "Working day starts", _timepicker(shown["hours"][0])),
        _input("hours_end", "Working day ends", _timepicker(shown["hours"][1])),
        messages.header("Rituals"),
    ]
    for key, label in RITUAL_FIELDS:
        if key == "weekly":
            blocks.append(
                _input(
                    "weekly_day",
                    "Weekly digest day",
                    {
                        "type": "static_select",
                        "options": day_options,
                        "initial_option": by_day[shown["weekly_day"]],
                    },
                )
            )
        blocks.append(
            _input(
                f"ritual:{key}",
                label,
                _timepicker(shown["rituals"][key]),
                optional=True,
                hint="In the team's timezone. Empty turns it off.",
            )
        )
    blocks.append(
        messages.context(
            "Leaderboards and contest standings: `/pacer ritual leaderboards 12:00 calls`, "
            "`/pacer ritual standings 11:30 15:30`."
        )
    )
    options = [
        _option("Everyone sees every scorecard", "public"),
        _option("Managers and the rep only", "managers"),
    ]
    blocks.append(
        _input(
            "visibility",
            "Who sees scorecards",
            {
                "type": "radio_buttons",
                "options": options,
                "initial_option": next(o for o in options if o["value"] == process.visibility),
            },
        )
    )
    return blocks


def _timepicker(initial: str | None) -> dict:
    element: dict = {"type": "timepicker", "placeholder": plain_text("Off")}
    if initial:
        element["initial_time"] = initial
    return element


def open_from_command(cmd: Command) -> dict:
    """`/pacer` alone, for a manager: open the form now (a trigger_id lasts 3 seconds) and
    acknowledge with nothing."""
    require_manager(cmd.actor, "change the team's settings")
    if not cmd.trigger_id:
        raise Problem(
            "Slack sent no trigger to open the settings with. `/pacer help` lists the commands "
            "that change them one by one."
        )
    team = cmd.actor.team
    members = people_queries.active_members(cmd.session, team.id)
    version = None
    if cmd.actor.process_version_id:
        row = process_queries.latest_process_version(cmd.session, team.id)
        version = row.version if row is not None and row.team_id == team.id else None
    view = build_view(cmd.actor.process, team, members, version)
    try:
        cmd.services.client.views_open(trigger_id=cmd.trigger_id, view=view)
    except SlackApiError as error:
        reason = messages.escape(error.response.get("error", "an error"))
        raise Problem(
            f"Slack didn't open the settings ({reason}). `/pacer help` lists the commands that "
            "change them one by one, e.g. `/pacer timezone Europe/London`."
        ) from None
    cmd.outcome = "settings"
    return {}


# -- the submission ---------------------------------------------------------------------------


class _Form:
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


def _read_goal(form: _Form, block_id: str) -> float | None:
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


def _metadata(view: dict) -> dict:
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


def _problem_block(path: str, form: _Form) -> str:
    for prefix, block in PROBLEM_BLOCKS:
        if path.startswith(prefix) and form.has(block):
            return block
    parts = path.split(".")
    if len(parts) >= 4 and parts[0] == "roles" and parts[2] == "goals":
        for block in form.values:
            if block.startswith("goal:") and block.endswith(f":{parts[3]}"):
                return block
    return next(iter(form.values), "timezone")


def submit(ix: Interaction) -> dict:
    actor, session, now = ix.actor, ix.session, ix.now
    require_manager(actor, "change the team's settings")
    shown = _metadata(ix.view)
    team = actor.team
    if shown["team"] != team.id:
        raise Problem(
            "This form was opened for another team, so nothing changed. Open yours with `/pacer`."
        )
    process = actor.process
    form = _Form(ix.view)
    # A value is applied when the manager changed it (it differs from what the form showed) and
    # it isn't so already (the same form submitted twice changes nothing the second time).
    cur = snapshot(process, team, people_queries.active_members(session, team.id), whole=True)

    def new(value, *path) -> bool:
        was, now_ = shown, cur
        for key in path:
            was, now_ = was.get(key, _MISSING), now_.get(key, _MISSING)
        return value != was and value != now_

    # -- the process: only what differs from what the form showed ------------------------------
    changed: list[str] = []
    edits: dict = {}
    timezone = form.selected("timezone") or shown["timezone"]
    if new(timezone, "timezone"):
        edits["timezone"] = timezone
        changed.append(f"timezone {messages.escape(timezone)}")
    days = [o.get("value") for o in form.field("days").get("selected_options") or []]
    days = [d for d in WEEKDAY_NAMES if d in days]
    if form.has("days") and not days:
        form.errors["days"] = "Tick at least one working day."
    elif form.has("days") and new(days, "days"):
        edits["working_days"] = days
        changed.append("working days " + ", ".join(d.capitalize() for d in days))
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
            changed.append(f"working hours {start}–{end}")
    visibility = form.selected("visibility") or shown["visibility"]
    if visibility not in ("public", "managers"):
        form.errors["visibility"] = "Choose one of the two."
    elif new(visibility, "visibility"):
        edits["scorecard_visibility"] = visibility
        who = "everyone" if visibility == "public" else "managers and the rep"
        changed.append(f"scorecards visible to {who}")
    rituals: dict[str, str | None] = {}
    for key, label in RITUAL_FIELDS:
        block = f"ritual:{key}"
        if not form.has(block):
            continue
        at = form.time(block)
        if block not in form.errors and new(at, "rituals", key):
            rituals[key] = at
            changed.append(f"{label.split(' (')[0].lower()} {at or 'off'}")
    weekly_day = form.selected("weekly_day") or shown["weekly_day"]
    day_changed = new(weekly_day, "weekly_day")
    if weekly_day not in WEEKDAY_NAMES:
        form.errors["weekly_day"] = "Choose a day."
    elif day_changed and "ritual:weekly" not in form.errors:
        weekly_at = rituals.get("weekly", cur["rituals"]["weekly"])
        if weekly_at:  # a weekly digest that is off has no day
            rituals["weekly"] = weekly_at
            changed.append(f"weekly digest on {weekly_day.capitalize()}")
    goals: dict[tuple[str, str], float | None] = {}
    for key in shown["goals"]:
        block = f"goal:{key}"
        if not form.has(block):
            continue
        amount = _read_goal(form, block)
        role_key, kpi_key = key.split(":", 1)
        if block in form.errors or not new(amount, "goals", key):
            continue
        if not process.has_role(role_key) or kpi_key not in process.role(role_key).scorecard:
            form.errors[block] = "This goal is no longer in the process: open the form again."
            continue
        goals[(role_key, kpi_key)] = amount
        unit = goal_unit(process, role_key, kpi_key)
        what = f"{_amount(amount)}/{unit}" if amount is not None else "no goal"
        changed.append(f"goal {role_key} {kpi_key} {what}")

    def apply(current: Process) -> Process:
        data = current.to_dict()
        for key, value in edits.items():
            data[key] = value
        for key, at in rituals.items():
            before = data["rituals"].get(key)
            if key == "weekly":
                # The day only if the form changed it: someone else's change stays otherwise.
                kept = before.get("day") if isinstance(before, dict) else None
                day = weekly_day if day_changed or not kept else kept
                data["rituals"][key] = {"day": day, "at": at} if at else "off"
            elif at is None:
                data["rituals"][key] = "off"
            elif isinstance(before, dict):
                data["rituals"][key] = {**before, "at": at}
            else:
                data["rituals"][key] = {"at": at}
        for (role_key, kpi_key), amount in goals.items():
            entry = next((r for r in data["roles"] if r["key"] == role_key), None)
            if entry is None:
                continue
            if amount is None:
                entry["goals"].pop(kpi_key, None)
            else:
                unit = (
                    goal_unit(current, role_key, kpi_key) if current.has_role(role_key) else "day"
                )
                entry["goals"][kpi_key] = f"{_amount(amount)}/{unit}"
        return load_process_dict(data)

    process_changed = bool(edits or rituals or goals)
    if process_changed and not form.errors:
        try:
            apply(process)
        except ProcessError as error:
            for problem in error.problems:
                block = _problem_block(problem.path, form)
                text = explain(problem).replace("`", "")
                form.errors[block] = f"{form.errors.get(block, '')} {text}".strip()[:500]

    # -- the roster and the channel ----------------------------------------------------------
    roster = _roster_changes(ix, form, shown, cur)
    channel = form.field("channel").get("selected_conversation") if form.has("channel") else None
    new_channel = None
    if form.has("channel"):
        if not channel and shown["channel"]:
            form.errors["channel"] = (
                "Rituals need a channel to post in: choose one (a different one moves them)."
            )
        elif channel and channel.startswith("D"):
            form.errors["channel"] = "Choose a channel, not a direct message."
        elif channel and new(channel, "channel"):
            new_channel = channel
            changed.append(f"channel {messages.channel(channel)}")

    if form.errors:
        ix.outcome = "invalid"
        return {"response_action": "errors", "errors": form.errors}

    changed += [line for line, _ in roster]

    def stage() -> None:
        """The roster and channel changes, in the session, not yet committed: they are
        committed with the new process version (and staged again if that is retried)."""
        if new_channel:
            fresh = people_queries.get_team(session, team.id)
            people_queries.set_team_channel(session, fresh, new_channel)
        for _, change in roster:
            change(session)

    version = None
    if process_changed:

        def apply_all(current: Process) -> Process:
            stage()
            return apply(current)

        summary = "settings form: " + "; ".join(changed)
        _, row = change_process(
            session, team, apply_all, loaded_by=actor.user_id, change=summary, now=now
        )
        version = row.version
    elif changed:
        stage()
    ix.outcome = "saved" if changed else "unchanged"
    touched = [change.user_id for _, change in roster]
    if touched:
        team_slack = (ix.body.get("team") or {}).get("id") or ""
        enterprise = (ix.body.get("enterprise") or {}).get("id")
        ix.follow_ups.append(refresh_job(ix.services, team_slack, enterprise, touched))
    # once per person and team: a role change sends none

    welcomed = [c.user_id for _, c in roster if c.role]
    current, _ = team_process(session, team.id)
    for member in people_queries.active_members(session, team.id):
        if member.user_id in welcomed:
            ix.follow_ups.append(
                welcome_job(ix.services, actor.workspace_id, team, member, current)
            )
    return {"response_action": "update", "view": saved_view(changed, version)}


class _MemberChange:
    """One person's new place on the team (role, manager or off it), applied to the session."""

    def __init__(self, ix: Interaction, user_id: str, role: str | None, manager: bool):
        self.workspace_id, self.team_id = ix.actor.workspace_id, ix.actor.team_id
        self.by, self.now = ix.user_id, ix.now
        self.user_id, self.role, self.manager = user_id, role, manager

    def __call__(self, session) -> None:
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
        if leaving:
            member.active, member.removed_at, member.is_manager = False, self.now, False
        else:
            member.team_id, member.role, member.is_manager = self.team_id, self.role, self.manager
            member.active, member.removed_at = True, None
        people_queries.save_member(session, member)


def _roster_changes(
    ix: Interaction, form: _Form, shown: dict, cur: dict
) -> list[tuple[str, _MemberChange]]:
    """(what it says, the change) for each person whose role or manager rights the form
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
            line = f"{who} off the team"
        elif role is None:
            line = f"{who} manager" + (" (no scorecard)" if before_state[0] else "")
        else:
            role_name = messages.escape(process.role(role).name)
            line = f"{who} {role_name}" + (" and manager" if manager else "")
        out.append((line, _MemberChange(ix, user, role, manager)))
    return out


def _name(ix: Interaction, user_id: str) -> str:
    found = people_queries.profiles(ix.session, ix.actor.workspace_id, [user_id]).get(user_id)
    return found.display_name if found else user_id


def saved_view(changed: list[str], version: int | None) -> dict:
    if not changed:
        text = "Nothing changed: every field was as it was."
    else:
        lines = "\n".join(f"• {line}" for line in changed[:40])  # each already mrkdwn
        more = f"\n…and {len(changed) - 40} more." if len(changed) > 40 else ""
        stored = f" as process version {version}" if version else ""
        text = f":white_check_mark: Saved{stored}:\n{lines}{more}"
        if version:
            text += "\nThe clock follows the new schedule within a minute."
    return {
        "type": "modal",
        "title": plain_text("Team settings", messages.MODAL_TITLE_LIMIT),
        "close": plain_text("Done", messages.MODAL_TITLE_LIMIT),
        "blocks": messages.section(text)[:MAX_BLOCKS],
    }
