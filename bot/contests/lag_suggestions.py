"""The lag check as a ritual (kind "lag-check"): when a team KPI falls behind its weekly pace,
each of the team's managers hears privately what is behind, by how much, who is furthest
behind, and a ready-made contest with three buttons (Launch contest, Edit first, Dismiss); or,
when the team has ``auto_launch``, the contest starts at once and the managers hear what was
launched and why. The numbers and the once-a-week rule are rituals/lag_check.py's; the buttons
are answered in bot/contests/lag_buttons.py.

Exactly once: the suggestions are stored (tagged with the ritual run) before any message is
sent, and the messages are the run's suggestions × the managers stored with them, in a fixed
order; the run's progress is recorded before each message, so a crash can lose one message but
never send one twice, and a resumed run sends the rest of the same list."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from bot import messages
from bot.contests.flow import announce_job, launch
from bot.delivery.posting import send_privately
from bot.ids import Action
from bot.replies import explain
from rituals import contests, lag_check
from rituals.contests import ContestSpec
from rituals.lag_check import LAUNCHED, OPEN, StoredProposal
from rituals.pacing import Period
from rituals.process import Process
from rituals.refusals import Refusal
from rituals.teams import managers_of
from storage.models import LagSuggestion, SalesTeam

log = logging.getLogger("pacer.rituals")

AUTO_LAUNCHER = "pacer"  # Contest.created_by and LagSuggestion.decided_by of an automatic launch
SHOWN_ENTRANTS = 12  # entrants named in a message; the rest are counted


# -- messages ---------------------------------------------------------------------------------


def day_label(process: Process, instant: datetime) -> str:
    """ "Tue 24 Nov 2026, 11:05" in the team's timezone (locale-independent)."""
    local = process.calendar.local_now(instant)
    return f"{Period('day', local.date(), local.date()).label()}, {local:%H:%M}"


def window_label(stored: StoredProposal) -> str:
    return Period("week", stored.spec.start_day, stored.spec.end_day).label()


def _body(
    team: SalesTeam,
    process: Process,
    stored: StoredProposal,
    *,
    mode: str,
    not_launched: str = "",
) -> str:
    entrants = list(stored.spec.entrants)
    return messages.render(
        "lag_suggestion.md.j2",
        lag=stored.lag,
        spec=stored.spec,
        team_name=team.name,
        as_of=day_label(process, stored.lag.as_of),
        window=window_label(stored),
        entrants=entrants[:SHOWN_ENTRANTS],
        more=max(len(entrants) - SHOWN_ENTRANTS, 0),
        mode=mode,
        channel_id=team.channel_id,
        not_launched=not_launched,
    )


def _fallback(stored: StoredProposal, launched: bool) -> str:
    lag = stored.lag
    what = "a catch-up contest was launched" if launched else "a catch-up contest is ready"
    return (
        f"{messages.escape(lag.kpi_name)}: {messages.percent(lag.pace)} of pace this week; {what}"
    )


def suggestion_message(
    team: SalesTeam, process: Process, row: LagSuggestion, not_launched: str = ""
) -> dict:
    """The private suggestion with its three buttons (each carrying the suggestion's id)."""
    stored = lag_check.decode_proposal(row.proposal)
    body = _body(team, process, stored, mode="suggest", not_launched=not_launched)
    value = str(row.id)
    buttons = messages.actions(
        messages.button("Launch contest", Action.LAG_LAUNCH, value, style="primary"),
        messages.button("Edit first", Action.LAG_EDIT, value),
        messages.button("Dismiss", Action.LAG_DISMISS, value),
        block_id=f"lag_suggestion_{row.id}",
    )
    return messages.message(_fallback(stored, False), [*messages.section(body), buttons])


def launched_message(team: SalesTeam, process: Process, row: LagSuggestion) -> dict:
    """What a manager hears when the team's contest was launched automatically."""
    stored = lag_check.decode_proposal(row.proposal)
    body = _body(team, process, stored, mode="launched")
    return messages.message(_fallback(stored, True), messages.section(body))


def decision_text(
    team: SalesTeam,
    process: Process,
    row: LagSuggestion,
    stale: bool,
    started: ContestSpec | None = None,
) -> str:
    """ "Launched by @U (…) — announced in #sales" / "Dismissed by @U …"; ``stale``: the private
    answer to a button pressed after someone else decided; ``started``: the contest as launched,
    when it differs from the proposal (launched on a later day: from that day, re-sized)."""
    stored = lag_check.decode_proposal(row.proposal)
    changed = started is not None and started != stored.spec
    return messages.render(
        "lag_decided.md.j2",
        status=row.status,
        by=row.decided_by or AUTO_LAUNCHER,
        when=day_label(process, row.decided_at) if row.decided_at else "earlier",
        kpi_name=stored.lag.kpi_name,
        channel_id=team.channel_id,
        stale=stale,
        started=started if changed else None,
        started_window=Period("week", started.start_day, started.end_day).label()
        if changed
        else "",
    )


def decided_message(
    team: SalesTeam, process: Process, row: LagSuggestion, started: ContestSpec | None = None
) -> dict:
    """The suggestion as it was, its buttons replaced by what became of it."""
    stored = lag_check.decode_proposal(row.proposal)
    body = _body(team, process, stored, mode="suggest")
    line = decision_text(team, process, row, stale=False, started=started)
    return messages.message(
        _fallback(stored, row.status == LAUNCHED),
        [*messages.section(body), messages.context(line)],
    )


# -- the ritual -------------------------------------------------------------------------------


def run_lag_check(services, session, run, team, process, members, occurrence, now, pacer) -> int:
    """The lag check for one team, as of the moment it was due; returns the messages sent."""
    as_of = occurrence.due_at
    week = lag_check.week_key(process.calendar.local_date(as_of))
    mine = lag_check.suggestions_of_run(session, team.id, week, run.id)
    if not mine and not (run.parts_done or 0):
        check = lag_check.check_lags(session, team.workspace_id, process, members, as_of)
        # A KPI that already has a contest running is being rallied around: no second one.
        rallied = {c.kpi for c in contests.running(session, team.id, as_of)}
        check = replace(check, lags=tuple(lag for lag in check.lags if lag.kpi not in rallied))
        if not check.checked or not check.lags:
            log.info(
                "lag check team=%s week=%s: %s",
                team.id,
                week,
                check.reason or "every KPI is within pace",
            )
            return 0
        managers = sorted(set(managers_of(session, team.id)))
        if not managers and not process.rituals.auto_launch:
            log.warning(
                "lag check team=%s week=%s: %s behind pace but the team has no manager to tell; "
                "nothing sent (add one with /pacer manager @someone)",
                team.id,
                week,
                ", ".join(lag.kpi for lag in check.lags),
            )
            return 0
        if not managers:
            log.warning(
                "lag check team=%s week=%s: launching %s automatically; the team has no manager "
                "to tell",
                team.id,
                week,
                ", ".join(lag.kpi for lag in check.lags),
            )
        with services.unit_of_work() as storing:  # committed before any message is sent
            mine = lag_check.record_suggestions(
                storing,
                workspace_id=team.workspace_id,
                team_id=team.id,
                lags=check.lags,
                run_id=run.id,
                notify=managers,
                now=now,
            )
        if not mine:
            log.info("lag check team=%s week=%s: already suggested this week", team.id, week)
    if process.rituals.auto_launch:
        return _auto_launch(services, session, run, team, process, mine, now, pacer)
    return _suggest(services, session, run, team, process, mine, pacer)


def _messages(mine: list[LagSuggestion]) -> list[tuple[str, LagSuggestion]]:
    """(manager, suggestion) for every message of the run, in a fixed order."""
    return [
        (manager, row) for row in mine for manager in lag_check.decode_proposal(row.proposal).notify
    ]


def _suggest(services, session, run, team, process, mine, pacer) -> int:
    def message_for(row: LagSuggestion) -> dict | None:
        fresh = lag_check.get_suggestion(session, row.id)
        if fresh is None or fresh.status != OPEN:
            return None  # decided meanwhile by a manager who already has it: stale buttons
        return suggestion_message(team, process, fresh)

    return send_privately(services, session, run, pacer, _messages(mine), message_for)


def _auto_launch(services, session, run, team, process, mine, now, pacer) -> int:
    outcomes = {row.id: _launch(services, session, team, process, row, now) for row in mine}

    def message_for(row: LagSuggestion) -> dict | None:
        launched, why = outcomes[row.id]
        fresh = lag_check.get_suggestion(session, row.id)
        if fresh is None:
            return None
        if launched:
            return launched_message(team, process, fresh)
        if fresh.status == OPEN:
            return suggestion_message(team, process, fresh, not_launched=why)
        return None

    return send_privately(services, session, run, pacer, _messages(mine), message_for)


def _launch(services, session, team, process, row: LagSuggestion, now) -> tuple[bool, str]:
    """Launch a suggestion's contest and announce it; done again by a resumed run, which finds
    it launched and only makes sure of the announcement (posted exactly once by announce_job).
    The contest is stored in a unit of work of its own, committed before it is announced."""
    fresh = lag_check.get_suggestion(session, row.id)
    if fresh is None:
        return False, "the suggestion is gone"
    if fresh.status == LAUNCHED and fresh.contest_id is not None:
        announce_job(services, team.id, fresh.contest_id)()
        return True, ""
    if fresh.status != OPEN:
        return False, f"it was {fresh.status}"
    stored = lag_check.decode_proposal(fresh.proposal)
    spec = lag_check.proposal_at(session, team.workspace_id, process, stored, now)
    try:
        with services.unit_of_work() as storing:
            contest, _ = launch(
                services,
                storing,
                team=team,
                process=process,
                spec=spec,
                by=AUTO_LAUNCHER,
                now=now,
                source="auto",
                start_key=f"suggestion:{fresh.id}",
                suggestion_id=fresh.id,
            )
    except Refusal as refusal:  # rolled back: nothing stored
        log.warning(
            "lag check team=%s: could not launch %s automatically: %s", team.id, fresh.kpi, refusal
        )
        return False, explain(refusal)
    announce_job(services, team.id, contest.id)()
    return True, ""
