"""The App Home tab: opening Pacer in Slack shows your scorecard for the week and how to log.
Published after the acknowledgement (a lazy listener), since it calls Slack's Web API."""

import logging

from slack_bolt import App

from bot import messages
from bot.app import Services
from bot.examples import example_log, log_words
from bot.handlers.scorecard_command import scorecard_message
from rituals.scorecard import build_scorecard, period_for, rep_calendar
from rituals.teams import resolve_actor
from storage import queries

log = logging.getLogger("pacer.requests")


def register(app: App, services: Services) -> None:
    def acknowledge(ack) -> None:
        ack()

    def publish(body: dict, event: dict) -> None:
        user_id = event.get("user")
        if event.get("tab") not in (None, "home") or not user_id:
            return
        view = {"type": "home", "blocks": home_blocks(services, body, user_id)}
        services.client.views_publish(user_id=user_id, view=view)
        log.info(
            "event=app_home_opened user=%s team=%s outcome=published", user_id, body.get("team_id")
        )

    app.event("app_home_opened")(ack=acknowledge, lazy=[publish])


def home_blocks(services: Services, body: dict, user_id: str) -> list[dict]:
    with services.session() as session:
        now = services.clock()
        actor = resolve_actor(
            session,
            body.get("team_id") or "",
            body.get("enterprise_id"),
            user_id,
            services.settings.admins,
            now,
        )
        blocks = [messages.header("Pacer · your numbers")]
        if actor.member and actor.process.has_role(actor.role):
            profile = queries.get_profile(session, actor.workspace_id, user_id)
            cal = rep_calendar(actor.process, profile.tz if profile else None)
            week = period_for(actor.process, "week", now, cal=cal)
            card = build_scorecard(
                session, actor.workspace_id, actor.process, actor.member, week, now, cal
            )
            first_kpi = log_words(actor.process)[actor.role][card.lines[0].kpi.key]
            blocks += scorecard_message(card, f"/scorecard {first_kpi}")["blocks"]
            blocks += messages.section(
                f"Log with `/log {example_log(actor.process, actor.role)}`; `/log undo` takes it back; "
                "`/scorecard month` for the month; `/pacer help` for everything else."
            )
        elif actor.is_manager:
            blocks += messages.section(
                f"You run *{messages.escape(actor.team.name)}*. See a rep's numbers with `/scorecard @rep` "
                "(add `month` for the month), the roster with `/pacer team`, goals with `/pacer goal`, and "
                "every command with `/pacer help`."
            )
        else:
            blocks += messages.section(
                "You're not on a sales team in Pacer yet. Ask your manager or a Pacer admin to add you "
                "(`/pacer team add @you sdr`), then log with `/log call 12` and see where you stand with "
                "`/scorecard`. `/pacer help` lists every command."
            )
        return blocks[:100]  # Slack's limit for a Home tab
