"""The App Home tab: opening Pacer in Slack shows the person's numbers (bot/home/view.py), and its
buttons log, switch the period, edit and void. Every log, whatever its source (the slash command,
a form, a button), re-publishes the Home tab of the people it concerns after the acknowledgement
(``refresh_job``), so the tab never shows stale numbers for long.

A button on the Home tab has no message to answer in, so a refusal (a KPI someone else records,
a log already voided…) is shown in a small modal, and nothing changes."""

import json
import logging
import re
from collections.abc import Callable
from datetime import date

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot import messages
from bot.after_ack import Handoff
from bot.context import Interaction
from bot.examples import log_words
from bot.home.view import (
    DEFAULT_PERIOD,
    PERIODS,
    build_home,
    period_of,
    rep_tz,
)
from bot.ids import INPUT, Action, View
from bot.listeners import register_action, register_view
from bot.messages import escape, mention, plain_text
from bot.modals import open_modal, open_notice
from bot.parsing import digit_count, too_many_digits
from bot.people import fresh_profiles
from bot.replies import Problem, explain
from bot.services import Services
from rituals import dates
from rituals.activity import (
    LogItem,
    LogRequest,
    check_allowed,
    check_counts,
    check_date,
    record_activity,
    rep_today,
    target_rep,
)
from rituals.log_edits import already_voided, check_may_change, correct_log, get_log, void_log
from rituals.refusals import Refusal
from rituals.teams import Actor, resolve_actor
from storage import people_queries

log = logging.getLogger("pacer.requests")

NOTE_LIMIT = 500


# -- publishing ---------------------------------------------------------------------------------


def publish_home(
    services: Services,
    workspace_slack_id: str,
    enterprise_id: str | None,
    user_id: str,
    period: str = DEFAULT_PERIOD,
    notice: str | None = None,
    opened: bool = False,
    seen_hash: str | None = None,
) -> None:
    """Build and publish one person's Home tab (its own session: runs after the ack).
    ``opened``: the person just opened the tab, so the app is installed (bot/install).

    Sent with the ``hash`` of the view it replaces (``seen_hash``, from the tab Slack just
    showed, else the one this process last published), so a slower refresh never replaces a
    newer view: Slack answers hash_conflict, and the tab is built again from the numbers as they
    are now and published once more, over whatever is there (it is the newest by then)."""
    key = (workspace_slack_id, enterprise_id or "", user_id)
    clients = services.clients_for(workspace_slack_id, enterprise_id)  # the person's workspace's
    if clients is None:
        return  # not installed there: no tab to publish
    view = _build(services, workspace_slack_id, enterprise_id, user_id, period, notice, opened)
    known = seen_hash or services.home_hashes.get(key)
    try:
        answer = clients.client.views_publish(
            user_id=user_id, view=view, **({"hash": known} if known else {})
        )
    except SlackApiError as error:
        if error.response.get("error") != "hash_conflict":
            raise
        log.info("home publish user=%s outcome=hash_conflict: built again", user_id)
        view = _build(services, workspace_slack_id, enterprise_id, user_id, period, notice)
        answer = clients.client.views_publish(user_id=user_id, view=view)
    published = (answer.get("view") or {}).get("hash")
    if published:
        services.home_hashes[key] = published


def _build(
    services: Services,
    workspace_slack_id: str,
    enterprise_id: str | None,
    user_id: str,
    period: str,
    notice: str | None,
    opened: bool = False,
) -> dict:
    """The person's Home view from the numbers as they are now."""
    with services.unit_of_work() as session:
        now = services.clock()
        actor = resolve_actor(
            session,
            workspace_slack_id,
            enterprise_id,
            user_id,
            services.settings.admins,
            now,
            resume=opened,
        )
    # The person's own timezone decides "today" for the tab and for its buttons: fetched here,
    # after the acknowledgement, when missing or a day old (the tab is opened before any press).
    fresh_profiles(services, actor.workspace_id, [user_id], now)
    with services.unit_of_work() as session:
        actor = resolve_actor(
            session, workspace_slack_id, enterprise_id, user_id, services.settings.admins, now
        )
        return build_home(session, actor, now, period, notice)


def _tz_of(session, workspace_id: int, user_id: str) -> str | None:
    """The rep's own timezone (a manager editing a rep's log backdates by the rep's days)."""
    profile = people_queries.get_profile(session, workspace_id, user_id)
    return profile.tz if profile else None


def refresh_job(
    services: Services,
    workspace_slack_id: str,
    enterprise_id: str | None,
    user_ids: list[str],
    *,
    period: str | None = None,
    notice: str | None = None,
) -> Callable[[], None]:
    """A job (run after the acknowledgement) that re-publishes the Home tab of these people, so
    it shows a log whatever its source. A failure for one person doesn't stop the others.
    ``period``/``notice`` apply to the first person (the one who pressed a Home button)."""
    users = list(dict.fromkeys(u for u in user_ids if u))

    def job() -> None:
        for index, user_id in enumerate(users):
            if index == 0 and (period or notice):
                # they pressed a button on the tab: they are looking
                _publish_logged(
                    services, workspace_slack_id, enterprise_id, user_id, period, notice
                )
                continue
            # A log: a burst of them for the same person re-publishes their tab once.
            key = (workspace_slack_id, enterprise_id or "", user_id)
            services.home_refreshes.request(
                key,
                lambda u=user_id: _publish_logged(services, workspace_slack_id, enterprise_id, u),
            )

    return job


def refresh_job_for(
    services: Services, workspace_id: int, user_ids: list[str]
) -> Callable[[], None]:
    """``refresh_job`` for a caller that knows Pacer's workspace row, not Slack's IDs (the slash
    command): the IDs are read when the refresh runs, once for a burst of logs, so nothing is
    added before the acknowledgement. (Keyed by the row: a refresh keyed by Slack's IDs for the
    same person may run beside it, which costs a publish, never a stale tab.)"""

    def publish(user_id: str) -> None:
        with services.unit_of_work() as session:
            row = people_queries.get_workspace(session, workspace_id)
        if row is not None:
            _publish_logged(services, row.slack_team_id, row.enterprise_id or None, user_id)

    def job() -> None:
        for user_id in dict.fromkeys(u for u in user_ids if u):
            services.home_refreshes.request(
                ("workspace", workspace_id, user_id), lambda u=user_id: publish(u)
            )

    return Handoff(job)  # it only queues the refresh: run right after the ack


def _publish_logged(
    services: Services,
    workspace_slack_id: str,
    enterprise_id: str | None,
    user_id: str,
    period: str | None = None,
    notice: str | None = None,
) -> None:
    """``publish_home``, a failure logged: one person's failed tab doesn't stop the others."""
    try:
        publish_home(
            services, workspace_slack_id, enterprise_id, user_id, period or DEFAULT_PERIOD, notice
        )
    except Exception:
        log.exception("home refresh failed user=%s", user_id)


def _refresh(ix: Interaction, user_ids: list[str], period: str, notice: str | None) -> None:
    ix.follow_ups.append(
        refresh_job(
            ix.services, ix.slack_team_id, ix.enterprise_id, user_ids, period=period, notice=notice
        )
    )


def register(app: App, services: Services) -> None:
    def home_opened(ack, event: dict, context) -> None:
        ack()
        user_id = event.get("user")
        if event.get("tab") not in (None, "home") or not user_id:
            return
        team_id, enterprise_id = context.team_id or "", context.enterprise_id
        # Slack sends the tab as it was: keep the period the person last chose.
        period = period_of(event.get("view"))
        seen = (event.get("view") or {}).get("hash")  # the tab as Slack shows it now
        services.after_ack(
            lambda: publish_home(
                services, team_id, enterprise_id, user_id, period, opened=True, seen_hash=seen
            )
        )
        log.info("event=app_home_opened user=%s team=%s outcome=published", user_id, team_id)

    app.event("app_home_opened")(home_opened)
    periods = re.compile(f"^{Action.HOME_PERIOD}_({'|'.join(PERIODS)})$")
    register_action(app, services, periods, period_pressed, _notice)
    register_action(app, services, Action.HOME_PLUS_ONE, plus_one_pressed, _notice)
    register_action(app, services, Action.HOME_LOG_NUMBER, log_number_pressed, _notice)
    register_action(app, services, Action.HOME_EDIT, edit_pressed, _notice)
    register_action(app, services, Action.HOME_VOID, void_pressed, _notice)
    register_view(app, services, View.HOME_LOG, log_submitted)
    register_view(app, services, View.HOME_EDIT, edit_submitted)


# -- buttons ------------------------------------------------------------------------------------


def _notice(ix: Interaction, text: str) -> None:
    """A refusal of a Home button (the transaction already rolled back, so nothing changed)
    opens a small modal saying why, as there is no message to answer in; the tab is
    re-published so a stale button (a log voided elsewhere, a KPI dropped) goes away."""
    # The notice opens now, before the acknowledgement: a trigger_id lasts 3 seconds, and
    # after-ack work can queue. Should Slack refuse it, the tab says it instead.
    shown = open_notice(ix, text)
    _refresh(ix, [ix.user_id], period_of(ix.view), None if shown else text)


def _kpi_of(ix: Interaction) -> str:
    key = str(ix.action.get("value") or "")
    if not ix.actor.process.has_kpi(key):
        raise Problem(
            "That KPI is no longer in the team's process, so nothing was logged. The Home tab "
            "now shows your current scorecard."
        )
    return key


def _press_key(ix: Interaction) -> str | None:
    """What makes a press unique: Slack's trigger_id (a retried delivery carries the same)."""
    if ix.trigger_id:
        return ix.trigger_id
    stamp = ix.action.get("action_ts")
    return f"action:{stamp}" if stamp else None


def period_pressed(ix: Interaction) -> dict | None:
    kind = str(ix.action.get("value") or "")
    if kind not in PERIODS:
        kind = str(ix.action.get("action_id", "")).rsplit("_", 1)[-1]
    ix.outcome = f"period:{kind}"
    _refresh(ix, [ix.user_id], kind if kind in PERIODS else DEFAULT_PERIOD, None)
    return None


def plus_one_pressed(ix: Interaction) -> dict | None:
    actor, session = ix.actor, ix.session
    key = _kpi_of(ix)
    rep = target_rep(session, actor, actor.user_id)
    tz = rep_tz(session, actor)
    recorded = record_activity(
        session,
        actor,
        LogRequest(
            items=[LogItem(key, 1)],
            rep_id=actor.user_id,
            source="button",
            trigger_id=_press_key(ix),
        ),
        ix.now,
        rep_tz=tz,
        rep=rep,
    )
    ix.outcome = "duplicate" if recorded.duplicate else "logged"
    notice = _logged_notice(
        actor, recorded.rows, recorded.duplicate, rep_today(actor.process, tz, ix.now)
    )
    _refresh(ix, [ix.user_id], period_of(ix.view), notice)
    return None


def _logged_notice(actor: Actor, rows, duplicate: bool, today: date, via: str = "press") -> str:
    what = ", ".join(f"{row.count} {escape(actor.process.kpi(row.kpi).name)}" for row in rows)
    day = rows[0].occurred_on
    when = "today" if day == today else f"{dates.short(day)}"
    if duplicate:
        return f":repeat: That {via} reached Pacer twice; *{what}* was counted once ({when})."
    return f":white_check_mark: Logged *{what}* for {when}."


def log_number_pressed(ix: Interaction) -> dict | None:
    """The small form for one KPI: opened before the acknowledgement (a trigger_id is good for
    3 seconds), once Pacer knows the person may log it."""
    actor, session = ix.actor, ix.session
    key = _kpi_of(ix)
    rep = target_rep(session, actor, actor.user_id)
    check_allowed(actor, rep, [actor.process.kpi(key)])
    today = rep_today(actor.process, rep_tz(session, actor), ix.now)
    view = log_modal(actor, key, today, period_of(ix.view))
    word = log_words(actor.process).get(rep.role, {}).get(key, key)
    open_modal(ix, view, what="the form", instead=f"Type it instead: `/log {word} 3`.")
    ix.outcome = "form"
    return None


def edit_pressed(ix: Interaction) -> dict | None:
    actor, session = ix.actor, ix.session
    row = get_log(session, actor, _log_id(ix))
    if row.voided_at is not None:
        raise already_voided(session, actor, row, "edit")
    check_may_change(session, actor, row, "edit")
    view = edit_modal(actor, row, period_of(ix.view))
    instead = (
        "Press *Edit* again in a moment, or *Void* the log and log the right number with `/log`."
    )
    open_modal(ix, view, what="the form", instead=instead)
    ix.outcome = "form"
    return None


def void_pressed(ix: Interaction) -> dict | None:
    actor = ix.actor
    row = void_log(ix.session, actor, _log_id(ix), ix.now)
    ix.outcome = "voided"
    name = actor.process.kpi(row.kpi).name if actor.process.has_kpi(row.kpi) else row.kpi
    notice = (
        f":wastebasket: Voided *{row.count} {escape(name)}* "
        f"({dates.short(row.occurred_on)}); it stays in the trail, marked voided."
    )
    _refresh(ix, [ix.user_id, row.rep_id], period_of(ix.view), notice)
    return None


def _log_id(ix: Interaction) -> int:
    value = str(ix.action.get("value") or "")
    if not value.isdigit() or len(value) > 12:
        raise Problem("Pacer can't find that log, so nothing changed.")
    return int(value)


# -- the forms ----------------------------------------------------------------------------------


def _input(block_id: str, label: str, element: dict, *, optional=False, hint=None) -> dict:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(label, 2000),
        "element": {**element, "action_id": INPUT},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain_text(hint, 2000)
    return block


def _modal(callback_id: str, title: str, submit: str, blocks: list[dict], meta: dict) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain_text(title, messages.MODAL_TITLE_LIMIT),
        "submit": plain_text(submit, messages.MODAL_TITLE_LIMIT),
        "close": plain_text("Cancel", messages.MODAL_TITLE_LIMIT),
        "private_metadata": json.dumps(meta),
        "blocks": blocks,
    }


def log_modal(actor: Actor, kpi_key: str, today: date, period: str = DEFAULT_PERIOD) -> dict:
    """Log a number of one KPI: count, date (today by default, backdating within the window)
    and an optional note. Pure: tested as data."""
    process = actor.process
    kpi = process.kpi(kpi_key)
    days = process.backdate_days
    window = (
        "Today only." if days == 0 else f"Today by default; up to {days} days back, never ahead."
    )
    blocks = messages.section(f"*{escape(kpi.name)}* for {mention(actor.user_id)}")
    blocks += [
        _input(
            "count",
            "How many?",
            {"type": "number_input", "is_decimal_allowed": False, "min_value": "1"},
            hint=f"A whole number from 1 to {process.max_count}.",
        ),
        _input(
            "date",
            "On",
            {"type": "datepicker", "initial_date": today.isoformat()},
            optional=True,
            hint=window,
        ),
        _input(
            "note",
            "Note",
            {
                "type": "plain_text_input",
                "max_length": NOTE_LIMIT,
                "placeholder": plain_text("e.g. Acme follow-ups"),
            },
            optional=True,
        ),
    ]
    return _modal(View.HOME_LOG, "Log activity", "Log", blocks, {"kpi": kpi_key, "period": period})


def edit_modal(actor: Actor, row, period: str = DEFAULT_PERIOD) -> dict:
    """Correct one log's count: the old log is voided and the new one stored (the trail stays)."""
    process = actor.process
    name = process.kpi(row.kpi).name if process.has_kpi(row.kpi) else row.kpi
    whose = "" if row.rep_id == actor.user_id else f" for {mention(row.rep_id)}"
    blocks = messages.section(
        f"*{row.count} {escape(name)}*{whose} on {dates.long(row.occurred_on)}"
        + (f" · _{escape(row.note)}_" if row.note else "")
    )
    blocks.append(
        _input(
            "count",
            "The right count",
            {
                "type": "number_input",
                "is_decimal_allowed": False,
                "min_value": "1",
                "initial_value": str(row.count),
            },
            hint="The old log is voided (it stays in the trail, marked) and this one counts.",
        )
    )
    return _modal(View.HOME_EDIT, "Edit a log", "Save", blocks, {"log": row.id, "period": period})


def _meta(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def _field(view: dict, block_id: str) -> dict:
    return ((view.get("state") or {}).get("values") or {}).get(block_id, {}).get(INPUT) or {}


def _plain(text: str) -> str:
    """A field error is plain text: no mrkdwn markers, kept short enough to read."""
    return text.replace("*", "").replace("`", "")[:500]


def _read_count(view: dict, process, kpi_key: str, errors: dict[str, str]) -> int | None:
    raw = str(_field(view, "count").get("value") or "").strip()
    if too_many_digits(raw):
        errors["count"] = (
            f"{raw[:12]}… ({digit_count(raw):,} digits) is far too big for a count: enter a "
            f"whole number from 1 to {process.max_count}."
        )
        return None
    try:
        count = int(raw)
    except ValueError:
        errors["count"] = (
            f"“{raw[:40]}” isn't a count: enter a whole number from 1 to {process.max_count}."
            if raw
            else f"Enter how many, a whole number from 1 to {process.max_count}."
        )
        return None
    try:
        check_counts(process, [LogItem(kpi_key, count)])
    except Refusal as problem:
        errors["count"] = _plain(explain(problem))
        return None
    return count


def log_submitted(ix: Interaction) -> dict | None:
    """Every field is checked first; any mistake keeps the form open with the error on its
    field, and nothing is stored. A good submission logs once (keyed by the form's view id, so
    submitting the same form twice counts once), closes the form and refreshes the Home tab."""
    actor, session, view = ix.actor, ix.session, ix.view
    meta = _meta(view)
    key = str(meta.get("kpi") or "")
    if not actor.process.has_kpi(key):
        raise Problem("That KPI is no longer in the team's process, so nothing was logged.")
    rep = target_rep(session, actor, actor.user_id)
    tz = rep_tz(session, actor)
    today = rep_today(actor.process, tz, ix.now)
    errors: dict[str, str] = {}
    count = _read_count(view, actor.process, key, errors)
    picked = _field(view, "date").get("selected_date")
    day = today
    if picked:
        try:
            day = date.fromisoformat(picked)
            check_date(actor.process, day, today)
        except ValueError:
            errors["date"] = "Pick a date from the calendar."
        except Refusal as problem:
            errors["date"] = _plain(explain(problem))
    note = messages.without_controls(str(_field(view, "note").get("value") or "")).strip()
    if len(note) > NOTE_LIMIT:
        errors["note"] = f"A note can be up to {NOTE_LIMIT} characters; this one has {len(note)}."
    if errors:
        ix.outcome = "invalid"
        return {"response_action": "errors", "errors": errors}
    recorded = record_activity(
        session,
        actor,
        LogRequest(
            items=[LogItem(key, count)],
            rep_id=actor.user_id,
            occurred_on=day,
            note=note,
            source="modal",
            trigger_id=_form_key(ix),
        ),
        ix.now,
        rep_tz=tz,
        rep=rep,
    )
    ix.outcome = "duplicate" if recorded.duplicate else "logged"
    notice = _logged_notice(actor, recorded.rows, recorded.duplicate, today, via="form")
    _refresh(ix, [ix.user_id], period_of(view), notice)
    return None


def _form_key(ix: Interaction) -> str | None:
    """One form, one log: Slack's view id (a resubmission after a lost answer reuses it)."""
    view_id = ix.view.get("id")
    return f"view:{view_id}" if view_id else ix.trigger_id


def edit_submitted(ix: Interaction) -> dict | None:
    actor, session, view = ix.actor, ix.session, ix.view
    log_id = _meta(view).get("log")
    if not isinstance(log_id, int):
        raise Problem("Pacer can't find that log, so nothing changed.")
    row = get_log(session, actor, log_id)
    errors: dict[str, str] = {}
    count = (
        _read_count(view, actor.process, row.kpi, errors)
        if actor.process.has_kpi(row.kpi)
        else None
    )
    if count is not None and count == row.count and row.voided_at is None:
        errors["count"] = f"That log already says {count}: change the number, or Cancel."
    if errors:
        ix.outcome = "invalid"
        return {"response_action": "errors", "errors": errors}
    fixed = correct_log(
        session,
        actor,
        log_id,
        count if count is not None else row.count,
        ix.now,
        key=_form_key(ix) or f"edit:{log_id}",
        rep_tz=_tz_of(session, actor.workspace_id, row.rep_id),
    )
    ix.outcome = "duplicate" if fixed.duplicate else "corrected"
    name = actor.process.kpi(row.kpi).name
    notice = (
        f":pencil2: Corrected *{escape(name)}* on {dates.short(fixed.new.occurred_on)}: "
        f"{fixed.old.count} → *{fixed.new.count}*. The old log stays in the trail, voided."
    )
    _refresh(ix, [ix.user_id, row.rep_id], period_of(view), notice)
    return None
