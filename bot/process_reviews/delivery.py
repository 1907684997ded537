"""Messages a review sends after Slack's acknowledgement: the requests to the reviewers, the
author's thread (one per round, a direct message with the author), and notes to a reviewer.
Each write of where a message went is a unit of work of its own; a message Slack refuses is
logged and the rest go on (the review stands; `/pacer process feedback` shows it all). Every
message goes with the bot token of the review's own workspace (none: nothing is sent)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.services import Services, WorkspaceClients
from storage import review_queries

log = logging.getLogger("pacer.reviews")


def _clients(services: Services, workspace_id: int) -> WorkspaceClients | None:
    with services.unit_of_work() as session:
        return services.clients_of(session, workspace_id)


def _post(clients: WorkspaceClients | None, channel: str, message: dict, **kw) -> dict | None:
    if clients is None:
        return None  # not installed in the review's workspace (any more)
    try:
        return clients.client.chat_postMessage(
            channel=channel, text=message["text"], blocks=message["blocks"], **kw
        ).data
    except SlackApiError as error:
        log.warning("review message to %s not posted: %s", channel, error.response.get("error"))
    except Exception:  # Slack unreachable: the answer is stored either way
        log.exception("review message to %s not posted", channel)
    return None


def open_round(
    services: Services,
    review_id: int,
    author_id: str,
    opening: dict,
    requests: list[tuple[str, dict]],
) -> None:
    """Start the author's thread, then ask each reviewer privately; record where each went."""
    with services.unit_of_work() as session:
        review = review_queries.get_review(session, review_id)
        clients = services.clients_of(session, review.workspace_id) if review else None
    posted = _post(clients, author_id, opening)
    if posted:
        with services.unit_of_work() as session:
            review = review_queries.get_review(session, review_id)
            if review is not None and review.thread_ts is None:
                review.thread_channel, review.thread_ts = posted.get("channel"), posted.get("ts")
                review_queries.save(session, review)
    for user_id, message in requests:
        sent = _post(clients, user_id, message)
        if not sent:
            continue
        with services.unit_of_work() as session:
            row = review_queries.reviewer(session, review_id, user_id)
            if row is not None:
                row.asked_channel, row.asked_ts = sent.get("channel"), sent.get("ts")
                review_queries.save(session, row)


def tell_author(services: Services, review_id: int, author_id: str, message: dict) -> None:
    """An answer into the round's thread (a direct message to the author if it has none)."""
    with services.unit_of_work() as session:
        review = review_queries.get_review(session, review_id)
        channel = review.thread_channel if review else None
        thread = review.thread_ts if review else None
        clients = services.clients_of(session, review.workspace_id) if review else None
    if channel and thread:
        _post(clients, channel, message, thread_ts=thread)
    else:
        _post(clients, author_id, message)


def tell(services: Services, workspace_id: int, user_id: str, message: dict) -> None:
    """A private message to ``user_id`` of Pacer's workspace ``workspace_id``."""
    _post(_clients(services, workspace_id), user_id, message)


def update(services: Services, workspace_id: int, channel: str, ts: str, message: dict) -> None:
    clients = _clients(services, workspace_id)
    if clients is None:
        return
    try:
        clients.client.chat_update(
            channel=channel, ts=ts, text=message["text"], blocks=message["blocks"]
        )
    except Exception:  # the suggestion is resolved either way; the message keeps its buttons
        log.warning("suggestion message %s/%s not updated", channel, ts, exc_info=True)
