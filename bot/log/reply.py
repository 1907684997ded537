"""/log's answer in two steps. The acknowledgement confirms exactly what was stored ("Logged
*12 Calls / Emails* · today, Mon 7 Dec."), so a rep never retypes a log and counts it twice;
where the rep now stands (today's count, the week's pace) follows through the command's
response_url, replacing the confirmation with the whole reply.

The standings are the costly part of a log (a scorecard read and the pacing maths), so they
wait for the acknowledgement and go to the quiet lane (bot/after_ack.py): the replies of one
rep's logs that wait together are computed once, and each log's response_url gets its own
reply (its own confirmation line, the standings as they are then), used once of Slack's 5."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.webhook import WebhookClient

from bot import messages
from bot.after_ack import Handoff
from bot.context import Command
from bot.people import name_mentions
from bot.services import Services
from rituals.process import Process
from rituals.scorecard import rep_calendar, standings
from storage.models import Member

log = logging.getLogger("pacer.background")

TEMPLATE = "log_recorded.md.j2"
# A response_url that hangs must not hold the quiet lane (one thread) for long: Slack answers
# these in milliseconds, and a reply that doesn't land leaves a true confirmation.
RESPOND_TIMEOUT = 5


@dataclass(frozen=True)
class Waiting:
    """One acknowledged log waiting for its standings reply."""

    response_url: str
    fields: dict  # the confirmation's template values (rows, day label, duplicate…)
    kpis: tuple[str, ...]  # the KPIs it logged, in its order
    process: Process
    rep: Member  # detached: read only


def confirmation(fields: dict) -> dict:
    """The acknowledgement: what was stored, for whom and on which day; no standings yet."""
    return messages.text_message(TEMPLATE, **fields, standings=[])


def standings_later(cmd: Command, fields: dict, rep: Member, tz: str | None) -> None:
    """After the acknowledgement (and so after the commit), queue the standings reply."""
    response_url = cmd.body.get("response_url")
    if not response_url:
        return  # nowhere to answer: the confirmation stands
    process, services = cmd.actor.process, cmd.services
    waiting = Waiting(response_url, fields, tuple(r.kpi for r in fields["rows"]), process, rep)
    key = (cmd.actor.workspace_id, rep.user_id, tz, cmd.actor.process_version_id)
    cmd.follow_ups.append(
        Handoff(lambda: services.log_replies.request(key, waiting, _answerer(services, key)))
    )


def _answerer(services: Services, key: tuple) -> Callable[[list[Waiting]], None]:
    return lambda waiting: answer(services, key, waiting)


def answer(services: Services, key: tuple, waiting: list[Waiting]) -> None:
    """One standings computation for every waiting log of one rep; each log's response_url is
    answered once (a failed answer leaves that log's confirmation, which is true)."""
    workspace_id, _rep_id, tz, _version = key
    newest = waiting[-1]
    kpis = list(dict.fromkeys(k for w in waiting for k in w.kpis))
    with services.unit_of_work() as session:
        now = services.clock()
        found = {
            s.kpi.key: s
            for s in standings(
                session,
                workspace_id,
                newest.process,
                newest.rep,
                kpis,
                now,
                rep_calendar(newest.process, tz),
            )
        }
        replies = []
        for w in waiting:
            reply = messages.text_message(
                TEMPLATE, **w.fields, standings=[found[k] for k in w.kpis if k in found]
            )
            if "<@" in reply["text"]:  # a credit: names, not IDs, as the acknowledgement did
                reply["text"] = name_mentions(session, workspace_id, reply["text"])
            replies.append(reply)
    for w, reply in zip(waiting, replies, strict=True):
        try:
            sent = WebhookClient(w.response_url, timeout=RESPOND_TIMEOUT).send_dict(
                {**reply, "response_type": "ephemeral", "replace_original": True}
            )
        except Exception as error:  # one failed answer must not cost the others theirs
            log.warning("/log standings reply failed: %s", type(error).__name__)
            continue
        if sent.status_code != 200:  # expired, or used 5 times: the confirmation stands
            log.warning("/log standings reply refused: HTTP %s %s", sent.status_code, sent.body)
