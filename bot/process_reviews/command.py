"""`/pacer process review @a @b @c [part journey|activities|scorecards] [due DATE]` and
`/pacer process feedback`: a round of review of the team's open draft, and where it stands.

A round is opened once per request (Slack's trigger_id: a request delivered twice asks each
reviewer once). Before the acknowledgement only the database is touched; the requests to the
reviewers and the author's thread are posted after it (bot/process_reviews/delivery.py)."""

from __future__ import annotations

import hashlib

from bot import messages
from bot.context import Command
from bot.parsing import ParseError, parse_date, parse_mention, quoted
from bot.people import resolve_user
from bot.process_reviews import delivery, views
from bot.process_reviews.common import as_answer, thread_owner
from bot.process_reviews.drafts import (
    changes,
    draft_process,
    open_draft,
    part_items,
    refuse_if_scheduled,
)
from bot.replies import Problem
from rituals import dates
from rituals.process.model import SLACK_ID_RE
from rituals.process.words import did_you_mean
from rituals.process_reviews import ALL, PARTS, part_lines, part_title, tally
from rituals.teams import require_manager
from storage import people_queries, review_queries
from storage.models import ProcessReview

USAGE = "/pacer process review @sam @ana @lee part journey due friday"
MAX_REVIEWERS = 25
PART_WORDS = {**{p: p for p in PARTS}, ALL: ALL, "everything": ALL, "whole": ALL}
NO_DRAFT = (
    "There's no open draft of the team's process. `/pacer process draft` opens one (a copy of "
    "the process in force); then ask for a review with `{usage}`."
)


def _part(word: str) -> str:
    found = PART_WORDS.get(word.lower().strip(".,"))
    if found is None:
        raise ParseError(
            f"{quoted(word)} isn't a part of the process{did_you_mean(word.lower(), PARTS)}. "
            f"Review one of: journey, activities, scorecards (or all), e.g. `{USAGE}`."
        )
    return found


def _due(cmd: Command, word: str):
    today = cmd.actor.today()
    day = parse_date(word, today, ahead=True)
    if day is None:
        raise ParseError(
            f"{quoted(word)} isn't a date. Give the due date as YYYY-MM-DD, `tomorrow` or a "
            f"weekday, e.g. `{USAGE}`."
        )
    if day < today:
        raise ParseError(
            f"The due date {dates.short(day)} is in the past; give today or a later day, "
            f"e.g. `due {today.isoformat()}` or `due friday`."
        )
    return day


def parse_review(cmd: Command, args: list[str]):
    """(reviewers, part, due date) from the words after `review`; ParseError names the word."""
    people: list[str] = []
    part = due = None
    i = 0
    while i < len(args):
        word, low = args[i], args[i].lower()
        mention = parse_mention(word)
        if mention is not None:
            user_id = resolve_user(cmd, mention)
            if not SLACK_ID_RE.match(user_id):
                raise ParseError(
                    f"{quoted(word)} isn't a person of this workspace. Pick reviewers from "
                    f"Slack's list as you type @, e.g. `{USAGE}`."
                )
            people.append(user_id)
            i += 1
            continue
        if low in ("part", "due"):
            if i + 1 >= len(args):
                what = "journey, activities or scorecards" if low == "part" else "a date"
                raise ParseError(f"Say which after `{low}`: {what}, e.g. `{USAGE}`.")
            if (part if low == "part" else due) is not None:
                raise ParseError(f"Give `{low}` once, e.g. `{USAGE}`.")
            if low == "part":
                part = _part(args[i + 1])
            else:
                due = _due(cmd, args[i + 1])
            i += 2
            continue
        if low in PART_WORDS and part is None:
            part = PART_WORDS[low]
            i += 1
            continue
        raise ParseError(
            f"{quoted(word)} isn't a reviewer, `part` or `due`. Name reviewers with @ (pick "
            f"them from Slack's list), e.g. `{USAGE}`."
        )
    people = list(dict.fromkeys(people))
    if not people:
        raise ParseError(f"Name who should review the draft with @, e.g. `{USAGE}`.")
    if len(people) > MAX_REVIEWERS:
        raise ParseError(
            f"That's {len(people)} reviewers; ask at most {MAX_REVIEWERS} in one round "
            "(the method says a few reps and managers)."
        )
    return people, part or "journey", due


def _roles(cmd: Command, people: list[str]) -> list[tuple[str, str]]:
    """(user, "manager" | "rep" | "") for each reviewer, from the team's roster (one query):
    what the announcement of the published version counts ("reviewed by 5 reps and 2 managers")."""
    members = {m.user_id: m for m in people_queries.active_members(cmd.session, cmd.actor.team_id)}
    out = []
    for user_id in people:
        member = members.get(user_id)
        role = (
            "manager" if member and member.is_manager else "rep" if member and member.role else ""
        )
        out.append((user_id, role))
    return out


def _request_key(cmd: Command) -> str:
    if cmd.trigger_id:
        return f"t:{cmd.trigger_id}"[:160]
    raw = f"{cmd.user_id}:{cmd.text}:{cmd.now.isoformat()}"
    return "h:" + hashlib.sha1(raw.encode()).hexdigest()


def review(cmd: Command, args: list[str]) -> dict:
    require_manager(cmd.actor, "ask for a review of the draft process")
    draft = open_draft(cmd.session, cmd.actor.team_id)
    if draft is None:
        refuse_if_scheduled(cmd.session, cmd.actor.team_id, "it can't be reviewed again")
        raise Problem(NO_DRAFT.format(usage=USAGE))
    people, part, due = parse_review(cmd, args)
    if draft.author_id in people:
        raise Problem(
            f"{messages.mention(draft.author_id)} wrote the draft; ask others to review it "
            "(nothing was sent)."
        )
    row = ProcessReview(
        workspace_id=cmd.actor.workspace_id,
        draft_id=draft.id,
        part=part,
        requested_by=cmd.user_id,
        due_on=due,
        opened_at=cmd.now,
        request_key=_request_key(cmd),
    )
    stored, created = review_queries.open_review(cmd.session, row, _roles(cmd, people))
    asked = [r.user_id for r in review_queries.reviewers_of(cmd.session, stored.id)]
    cmd.outcome = "review" if created else "review-repeated"
    if created:
        process = draft_process(draft)
        request = views.request_message(
            review_id=stored.id,
            author_id=thread_owner(draft, stored),
            draft_name=draft.name,
            part=part,
            lines=part_lines(process, part),
            changes=changes(cmd.session, cmd.actor.team, draft, cmd.actor.today()),
            due_on=due,
        )
        opening = views.thread_opening(part, draft.name, asked, due)
        services, owner, review_id = cmd.services, thread_owner(draft, stored), stored.id
        requests = [(user_id, request) for user_id in asked]
        cmd.follow_ups.append(
            lambda: delivery.open_round(services, review_id, owner, opening, requests)
        )
    names = ", ".join(messages.mention(p) for p in asked)
    text = (
        f"Asked {names} to review {part_title(stored.part)} ({views.due_words(stored.due_on)}). "
        "Their answers come to the draft's author in a thread; `/pacer process feedback` shows "
        "where the review stands."
    )
    return messages.message(text, messages.section(text))


def feedback(cmd: Command, args: list[str]) -> dict:
    if args:
        raise ParseError(
            f"`/pacer process feedback` takes nothing after it (got {quoted(' '.join(args))})."
        )
    draft = open_draft(cmd.session, cmd.actor.team_id)
    if draft is None:
        refuse_if_scheduled(cmd.session, cmd.actor.team_id, "its suggestions can't change it")
        raise Problem(NO_DRAFT.format(usage=USAGE))
    if cmd.user_id != draft.author_id and not cmd.actor.is_manager:
        raise Problem(
            "Only the draft's author, the team's managers and Pacer admins can see the "
            "feedback on it."
        )
    rounds = review_queries.reviews_of_draft(cmd.session, draft.id)
    if not rounds:
        raise Problem(f"No review of the draft is open. Ask for one with `{USAGE}`.")
    process = draft_process(draft)
    answers = review_queries.answers_of(cmd.session, [r.id for r in rounds])
    shown = []
    for row in rounds:
        asked = [r.user_id for r in review_queries.reviewers_of(cmd.session, row.id)]
        mine = [as_answer(a) for a in answers if a.review_id == row.id]
        items = [(i.ref, i.label) for i in part_items(process, row.part)]
        shown.append((part_title(row.part), tally(asked, mine, items), row.due_on))
    text = views.feedback_text(shown)
    return messages.message(text, messages.section(text))
