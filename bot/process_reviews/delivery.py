"""Messages a review sends after Slack's acknowledgement: the requests to the reviewers, the
author's thread (one per round, a direct message with the author), and notes to a reviewer.
Each write of where a message went is a unit of work of its own; a message Slack refuses is
logged and the rest go on (the review stands; `/pacer process feedback` shows it all)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.services import Services
from storage import review_queries

log = logging.getLogger("pacer.reviews")


def _post(services: Services, channel: str, message: dict, **kw) -> dict | None:
    try:
        return services.client.chat_postMessage(
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
    posted = _post(services, author_id, opening)
    if posted:
        with services.unit_of_work() as session:
            review = review_queries.get_review(session, review_id)
            if review is not None and review.thread_ts is None:
                review.thread_channel, review.thread_ts = posted.get("channel"), posted.get("ts")
                review_queries.save(session, review)
    for user_id, message in requests:
        sent = _post(services, user_id, message)
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
    if channel and thread:
        _post(services, channel, message, thread_ts=thread)
    else:
        _post(services, author_id, message)


def tell(services: Services, user_id: str, message: dict) -> None:
    _post(services, user_id, message)


def update(services: Services, channel: str, ts: str, message: dict) -> None:
    try:
        services.client.chat_update(
            channel=channel, ts=ts, text=message["text"], blocks=message["blocks"]
        )
    except Exception:  # the suggestion is resolved either way; the message keeps its buttons
        log.warning("suggestion message %s/%s not updated", channel, ts, exc_info=True)
