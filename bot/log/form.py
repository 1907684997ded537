"""The `/log` form: `/log` with no arguments (and "Log activity" on a digest) opens a modal with
the person's own KPIs as number fields, the day (today in their timezone by default) and a note.

A submission with a mistake keeps the form open with each mistake under its field (Slack's
``response_action: errors``) and stores nothing. A good one is stored through the same domain
path as the slash command (``rituals.activity.record_activity``, source ``modal``), keyed on the
view's id and hash, so a submission Slack delivers twice is counted once. The form then turns
into a confirmation (``response_action: update``: where the rep now stands, as `/log` answers;
no channel is involved, so there is nothing to post ephemerally in), and the rep's Home tab is
refreshed after the acknowledgement."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from slack_bolt import App

from bot import messages
from bot.context import Command, Interaction, Request
from bot.examples import example_log
from bot.home.listeners import refresh_job
from bot.ids import INPUT, Action, View
from bot.listeners import register_action, register_view
from bot.messages import plain_text
from bot.modals import open_modal
from bot.parsing import digit_count, too_many_digits
from bot.people import known_profiles
from bot.replies import Problem, explain
from bot.services import Services
from rituals import dates
from rituals.activity import LogItem, LogRequest, record_activity, rep_today, target_rep
from rituals.process import Kpi, Process
from rituals.refusals import Refusal
from rituals.scorecard import rep_calendar, standings
from rituals.teams import Actor

KPI_BLOCK = "kpi:"  # + the KPI key
DATE_BLOCK, NOTE_BLOCK = "date", "note"
NOTE_LIMIT = 500  # ActivityLog.note
MAX_KPI_FIELDS = 40  # a scorecard is 4 KPIs; a long one still leaves the modal far under 100
WHOLE = re.compile(r"^[+-]?\d+$")


def register(app: App, services: Services) -> None:
    register_view(app, services, View.LOG, submit)
    register_action(app, services, Action.LOG_ACTIVITY, log_button_pressed)


# -- the form ---------------------------------------------------------------------------------


def loggable_kpis(actor: Actor, role: str) -> list[Kpi]:
    """The KPIs of the role's scorecard a person logs for themselves: not the ones another role
    records for them (an SDR's Sales Accepted Opportunities are credited by the AE), unless
    they manage the team (the same rule as `/log`)."""
    process = actor.process
    kpis = [process.kpi(k) for k in process.role(role).scorecard]
    return [k for k in kpis if not k.recorded_by or k.recorded_by == role or actor.is_manager]


_input = messages.input_block


def build_view(
    process: Process, role: str, user_id: str, kpis: list[Kpi], today: date, tz_name: str
) -> dict:
    """The form as a view payload (pure: tested as data)."""
    oldest = today - timedelta(days=process.backdate_days)
    blocks: list[dict] = [
        messages.context(
            "Fill in what you did; leave the rest empty. It counts on the day below, "
            "as `/log` would."
        )
    ]
    for kpi in kpis[:MAX_KPI_FIELDS]:
        goal = process.goal_for(role, kpi.key, user_id, on=today)
        hint = f"Goal {goal}" if goal else "No goal set"
        if kpi.description:
            hint += f" · {kpi.description}"
        blocks.append(
            _input(
                f"{KPI_BLOCK}{kpi.key}",
                kpi.name,
                {
                    "type": "number_input",
                    "is_decimal_allowed": False,
                    "min_value": "1",
                    "max_value": str(process.max_count),
                    "placeholder": plain_text("How many?"),
                },
                optional=True,
                hint=hint,
            )
        )
    blocks.append(
        _input(
            DATE_BLOCK,
            "Day",
            {"type": "datepicker", "initial_date": today.isoformat()},
            hint=f"Today is {dates.short(today)} in {tz_name}. You can backdate to "
            f"{dates.short(oldest)} ({process.backdate_days} days), never ahead.",
        )
    )
    blocks.append(
        _input(
            NOTE_BLOCK,
            "Note",
            {
                "type": "plain_text_input",
                "max_length": NOTE_LIMIT,
                "placeholder": plain_text("e.g. Acme Corp"),
            },
            optional=True,
        )
    )
    return {
        "type": "modal",
        "callback_id": View.LOG,
        "title": plain_text("Log activity", messages.MODAL_TITLE_LIMIT),
        "submit": plain_text("Log", messages.MODAL_TITLE_LIMIT),
        "close": plain_text("Cancel", messages.MODAL_TITLE_LIMIT),
        "private_metadata": json.dumps({"role": role}),
        "blocks": blocks,
    }


def view_for(ix: Command | Interaction) -> dict:
    """The form for the person asking, or a view that says why there is none (on no team, a
    manager without a scorecard, a role dropped from the process)."""
    actor = ix.actor
    try:
        rep = target_rep(ix.session, actor, actor.user_id)
    except Refusal as refusal:
        ix.outcome = "modal:refused"
        return messages.notice_view(explain(refusal), "Log activity")
    kpis = loggable_kpis(actor, rep.role)
    if not kpis:
        ix.outcome = "modal:refused"
        return messages.notice_view(
            "Every KPI on your scorecard is recorded for you by someone else, so there is "
            "nothing to log here. See your numbers with `/scorecard`.",
            "Log activity",
        )
    profile = known_profiles(ix, actor.user_id).get(actor.user_id)
    tz = profile.tz if profile and profile.tz else None
    process = actor.process
    today = rep_today(process, tz, ix.now)
    tz_name = tz or process.timezone
    return build_view(process, rep.role, actor.user_id, kpis, today, tz_name)


def open_from_command(cmd: Command) -> dict:
    """`/log` alone: open the form now (a trigger_id expires in 3 seconds) and acknowledge
    with nothing, so no message is left behind."""
    _open(cmd, view_for(cmd))
    if cmd.outcome == "ok":
        cmd.outcome = "modal"
    return {}


def log_button_pressed(ix: Interaction) -> None:
    """ "Log activity" on a digest: the same form, opened with the press's trigger_id."""
    _open(ix, view_for(ix))
    if ix.outcome == "ok":
        ix.outcome = "modal"
    return None


def _example(actor: Actor) -> str:
    role = actor.role if actor.process.has_role(actor.role) else actor.process.roles[0].key
    return f"/log {example_log(actor.process, role)}"


def _open(request: Request, view: dict) -> None:
    example = _example(request.actor)
    if not request.trigger_id:
        raise Problem(f"Slack sent no trigger to open the form with. Type it instead: `{example}`.")
    open_modal(
        request,
        view,
        what="the form",
        instead=f"Type it instead: `{example}` (`/log help` shows every form).",
    )


# -- the submission ---------------------------------------------------------------------------


def _state(view: dict) -> dict:
    return (view.get("state") or {}).get("values") or {}


def _field(values: dict, block_id: str) -> dict:
    return (values.get(block_id) or {}).get(INPUT) or {}


def read_count(raw: str, kpi: Kpi, max_count: int) -> tuple[int | None, str | None]:
    """(the count, None) or (None, what is wrong with it, in words for under the field)."""
    text = raw.strip().replace(",", "")
    if not WHOLE.match(text):
        return None, f"{raw.strip()[:20]} isn't a whole number: type a count like 12."
    if too_many_digits(text):
        return None, (
            f"{text[:12]}… ({digit_count(text):,} digits) is far too big for a count: "
            "type how many you did, like 12."
        )
    count = int(text)
    if count < 1:
        return None, "Counts start at 1; leave the field empty to log none."
    if count > max_count:
        return None, (
            f"{count} {kpi.name} in one log looks like a typo: the most one log can record is "
            f"{max_count}. Log it in parts, or ask a manager to raise limits.max_count."
        )
    return count, None


def read_day(raw: str | None, today: date, backdate_days: int) -> tuple[date | None, str | None]:
    if not raw:
        return None, "Pick the day it happened."
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None, "Pick the day from the calendar."
    if day > today:
        return None, (
            f"{dates.short(day)} is in the future (today is {dates.short(today)}): activity is logged "
            "on or after it happens."
        )
    oldest = today - timedelta(days=backdate_days)
    if day < oldest:
        return None, (
            f"{dates.long(day)} is more than {backdate_days} days ago: the oldest day you can "
            f"log is {dates.short(oldest)}. A manager can change limits.backdate_days."
        )
    return day, None


def submit(ix: Interaction) -> dict:
    actor, process, view = ix.actor, ix.actor.process, ix.view
    rep = target_rep(ix.session, actor, actor.user_id)  # a refusal replaces the form
    allowed = {k.key for k in loggable_kpis(actor, rep.role)}
    values = _state(view)
    profile = known_profiles(ix, actor.user_id).get(actor.user_id)
    tz = profile.tz if profile and profile.tz else None
    today = rep_today(process, tz, ix.now)

    errors: dict[str, str] = {}
    items: list[LogItem] = []
    kpi_blocks = [b for b in values if b.startswith(KPI_BLOCK)]
    for block_id in kpi_blocks:
        key = block_id[len(KPI_BLOCK) :]
        raw = _field(values, block_id).get("value")
        if raw is None or not str(raw).strip():
            continue
        if key not in allowed or not process.has_kpi(key):
            errors[block_id] = (
                "This KPI is no longer one you log yourself: close the form and open it again "
                "with /log."
            )
            continue
        kpi = process.kpi(key)
        count, problem = read_count(str(raw), kpi, process.max_count)
        if problem:
            errors[block_id] = problem
        else:
            items.append(LogItem(kpi.key, count))
    day, problem = read_day(
        _field(values, DATE_BLOCK).get("selected_date"), today, process.backdate_days
    )
    if problem:
        errors[DATE_BLOCK] = problem
    if not items and not any(b in errors for b in kpi_blocks):
        first = kpi_blocks[0] if kpi_blocks else f"{KPI_BLOCK}{sorted(allowed)[0]}"
        errors[first] = "Fill in at least one number: how many you did."
    if errors:
        ix.outcome = "invalid"
        return {"response_action": "errors", "errors": errors}

    note = messages.without_controls(_field(values, NOTE_BLOCK).get("value") or "")
    note = note.strip()[:NOTE_LIMIT]
    trigger = f"view:{view.get('id', '')}:{view.get('hash', '')}"[:128]
    recorded = record_activity(
        ix.session,
        actor,
        LogRequest(
            items=items,
            rep_id=actor.user_id,
            occurred_on=day,
            note=note,
            source="modal",
            trigger_id=trigger,
        ),
        ix.now,
        rep_tz=tz,
        rep=rep,
    )
    ix.outcome = "duplicate" if recorded.duplicate else "logged"
    if not recorded.duplicate:
        _refresh_home(ix, [rep.user_id])
    return {"response_action": "update", "view": confirmation_view(ix, recorded, tz, today)}


def confirmation_view(ix: Interaction, recorded, tz: str | None, today: date) -> dict:

    process = ix.actor.process
    text = messages.render(
        "log_recorded.md.j2",
        rows=recorded.rows,
        kpi_names={k.key: k.name for k in process.kpis},
        credited=False,
        rep_id=recorded.rep.user_id,
        day_label=dates.relative(recorded.occurred_on, today),
        note=recorded.rows[0].note,
        duplicate=recorded.duplicate,
        standings=standings(
            ix.session,
            ix.actor.workspace_id,
            process,
            recorded.rep,
            [r.kpi for r in recorded.rows],
            ix.now,
            rep_calendar(process, tz),
        ),
    )
    blocks = messages.section(text) + [
        messages.context("`/log undo` takes it back; `/scorecard` shows the whole scorecard.")
    ]
    return {
        "type": "modal",
        "title": plain_text("Logged", messages.MODAL_TITLE_LIMIT),
        "close": plain_text("Done", messages.MODAL_TITLE_LIMIT),
        "blocks": blocks[:100],
    }


def _refresh_home(ix: Interaction, user_ids: list[str]) -> None:
    """After the acknowledgement: re-publish the Home tab of whoever the log is for."""

    ix.follow_ups.append(refresh_job(ix.services, ix.slack_team_id, ix.enterprise_id, user_ids))
