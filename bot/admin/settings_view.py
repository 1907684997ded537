"""The team settings form as Slack shows it (pure: tested as data): the roster and roles, the
channel, the goals per role and KPI (in the unit the process states: 60 per day, 8 per week…),
the timezone, working days and hours, the ritual times, and who sees scorecards; and the
confirmation that replaces it once saved.

The values the form opens with ride in its private_metadata (``snapshot``), so a submission
applies only what the manager changed. A team too big for people pickers (more than
ROSTER_LIMIT people) keeps its roster out of the form and is pointed at `/pacer team`; the
form stays under Slack's 100 blocks whatever the process (goals that would not fit are pointed
at `/pacer goal`)."""

from __future__ import annotations

import json
from datetime import date, time

from bot import messages
from bot.ids import View
from bot.messages import plain_text
from rituals.pacing import WEEKDAY_NAMES
from rituals.process import Process
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


_input = messages.input_block


def _option(text: str, value: str) -> dict:
    return {"text": plain_text(text, 75), "value": value[:150]}


def amount_text(value: float) -> str:
    """A goal as typed: 60, not 60.0; 2.5 stays 2.5."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def goal_unit(process: Process, role: str, kpi: str, today: date | None = None) -> str:
    """The period a role's goal for a KPI is stated in (the goal in force ``today``): as the
    process says, else per day for an activity and per month for a result."""
    goal = process.goal_for(role, kpi, on=today)
    if goal is not None:
        return goal.per
    return "day" if process.kpi(kpi).leading else "month"


def _ritual_time(process: Process, key: str) -> time | None:
    return getattr(process.rituals, key)


def snapshot(
    process: Process,
    team: SalesTeam,
    members: list[Member],
    whole: bool = False,
    today: date | None = None,
) -> dict:
    """The settings as the form shows them: what the submission is compared with, so only what
    the manager changed is applied. None in "roster" when the team is too big for the form
    (unless ``whole``). The goals are the ones in force ``today`` (None: the newest stated)."""
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
            goal = process.goal_for(role.key, kpi, on=today)
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


def build_view(
    process: Process,
    team: SalesTeam,
    members: list[Member],
    version: int | None,
    today: date | None = None,
):
    """The form as a view payload (pure: tested as data), at most 100 blocks and 3,000
    characters of private_metadata: goals that don't fit are pointed at `/pacer goal`, then a
    roster that doesn't fit at `/pacer team` (their values stay out of the metadata too)."""
    shown = snapshot(process, team, members, today=today)
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
    goals = _goal_blocks(process, shown, today)

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


def _goal_blocks(process: Process, shown: dict, today: date | None) -> list[dict]:
    if not shown["goals"]:
        return []
    blocks = [messages.header("Goals")]
    for role in process.roles:
        blocks.append(messages.context(f"*{messages.escape(role.name)}*"))
        for kpi in role.scorecard:
            amount = shown["goals"][f"{role.key}:{kpi}"]
            unit = goal_unit(process, role.key, kpi, today)
            element: dict = {"type": "number_input", "is_decimal_allowed": True, "min_value": "0"}
            if amount is not None:
                element["initial_value"] = amount_text(amount)
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
