"""`/pacer process …`: the team's next process as a draft, reviewed, then published.

    /pacer process draft                      open the team's draft (a copy of the version in force)
    /pacer process draft show                 the draft, and what changed from the version in force
    /pacer process draft journey|activities|kpis|scorecards   a part's form
    /pacer process publish [from DATE] [confirm]
    /pacer process history
    /pacer process discard

``SUBCOMMANDS`` is the dispatch table (the reviews add `review` and `feedback` to it);
bot/admin/command.py sends `/pacer process` and `/pacer process show` to the version in force
and every other word here."""

from __future__ import annotations

from bot import messages
from bot.context import Command, Interaction, Request
from bot.modals import open_modal
from bot.parsing import ParseError
from bot.process_drafts import forms
from bot.process_drafts.publish import discard, history, publish
from bot.process_drafts.scheduled import refuse_if_scheduled
from bot.process_drafts.view import base_words, draft_message
from bot.process_reviews import command as reviews
from bot.replies import Problem
from rituals import dates
from rituals.process_drafts import diff
from rituals.process_drafts.drafts import as_published, base_of, draft_process, open_team_draft
from rituals.teams import require_manager
from storage import draft_queries
from storage.models import ProcessDraft

PART_WORDS = {
    "journey": "journey",
    "stages": "journey",
    "activities": "activities",
    "activity": "activities",
    "kpis": "kpis",
    "kpi": "kpis",
    "scorecards": "scorecards",
    "scorecard": "scorecards",
    "goals": "scorecards",
}
NO_DRAFT = "There is no open draft of the team's process. `/pacer process draft` opens one."


def handle(cmd: Command, args: list[str]) -> dict:
    sub = args[0].lower()
    action = SUBCOMMANDS.get(sub)
    if action is None:
        raise ParseError(
            f"`/pacer process {messages.escape(sub[:30])}` isn't a process command. Try "
            + ", ".join(f"`/pacer process {name}`" for name in ("show", *SUBCOMMANDS))
            + "."
        )
    cmd.outcome = f"process {sub}"
    return action(cmd, args[1:])


def may_see(request: Request, draft: ProcessDraft) -> bool:
    """A draft's content: its author, its reviewers, the team's managers and admins."""
    actor = request.actor
    if actor.user_id == draft.author_id or actor.is_admin:
        return True
    if actor.is_manager and actor.team_id == draft.team_id:
        return True
    reviewers = draft_queries.reviewers_of(request.session, [draft.id])[draft.id]
    return actor.user_id in reviewers


def require_sight(request: Request, draft: ProcessDraft) -> None:
    if not may_see(request, draft):
        raise Problem(
            "Only the draft's author, its reviewers and the team's managers and admins see a "
            "draft of the process. The version in force: `/pacer process show`."
        )


def draft(cmd: Command, args: list[str]) -> dict:
    word = args[0].lower() if args else ""
    if word == "show":
        if len(args) > 1:
            raise ParseError("`/pacer process draft show` takes nothing after it.")
        return show(cmd)
    if word and word not in PART_WORDS:
        raise ParseError(
            f"`{messages.escape(word[:30])}` isn't a part of the draft. Try `/pacer process draft` "
            "(open it), `… draft show`, or a part's form: `… draft journey`, `… draft activities`, "
            "`… draft kpis`, `… draft scorecards`."
        )
    if len(args) > 1:
        raise ParseError(f"`/pacer process draft {word}` takes nothing after it.")
    require_manager(cmd.actor, "draft the team's process")
    team = cmd.actor.team
    refuse_if_scheduled(cmd.session, team.id, "a new draft can't be opened")
    row, created = open_team_draft(
        cmd.session,
        team,
        cmd.user_id,
        f"draft:{cmd.trigger_id or cmd.now.isoformat()}",
        cmd.now,
        cmd.actor.today(),
    )
    if word:
        open_part(cmd, row, PART_WORDS[word])
        return {}
    process = draft_process(row)
    current, _ = base_of(cmd.session, team)
    if created:
        heading = (
            f"*Draft opened* for {messages.escape(team.name)}, a copy of "
            f"{base_words(row.base_version)}. Edit it part by part below; nothing changes for "
            "anyone until you publish it."
        )
    else:
        heading = (
            f"*{messages.escape(team.name)} already has an open draft*, opened by "
            f"<@{row.author_id}> on {dates.long(row.created_at.date())}. Edit it below, or "
            "`/pacer process discard` it."
        )
    return draft_message(
        heading,
        process,
        diff(current, as_published(cmd.session, row, current)),
        row.base_version,
        True,
    )


def show(cmd: Command) -> dict:
    row = draft_queries.open_draft(cmd.session, cmd.actor.team_id)
    waiting = None if row else draft_queries.scheduled_draft(cmd.session, cmd.actor.team_id)
    row = row or waiting
    if row is None:
        raise Problem(NO_DRAFT)
    require_sight(cmd, row)
    process = draft_process(row)
    current, _ = base_of(cmd.session, cmd.actor.team)
    edits = draft_queries.edits_of(cmd.session, row.id)
    heading = (
        f"*Draft of {messages.escape(process.name)}*, opened by <@{row.author_id}> on "
        f"{dates.long(row.created_at.date())} from {base_words(row.base_version)}; "
        f"{len(edits)} edit{'s' if len(edits) != 1 else ''} so far."
    )
    if waiting is not None:  # locked: shown without its edit buttons
        heading += (
            f" *Scheduled for {dates.long(waiting.publish_on)}*: published at the start of "
            "that day; `/pacer process discard` cancels it."
        )
    return draft_message(
        heading,
        process,
        diff(current, as_published(cmd.session, row, current)),
        row.base_version,
        cmd.actor.is_manager and waiting is None,
    )


def open_part(request: Request, row: ProcessDraft, part: str) -> None:
    """Open a part's form with the request's trigger (a slash command or a button)."""
    try:
        view = forms.build_view(draft_process(row), part, row.id)
    except forms.TooBig:
        raise Problem(
            f"The draft's {part} has more items than a Slack form can hold. Edit it as a file: "
            "send Pacer the YAML in a direct message."
        ) from None
    open_modal(
        request,
        view,
        what=f"the draft's {part} form",
        instead="Send Pacer the process file (YAML) in a direct message to fill the draft instead.",
    )


def edit_pressed(ix: Interaction) -> dict:
    """A draft's "Edit …" button: that part's form."""
    require_manager(ix.actor, "edit the draft of the process")
    part = ix.action.get("value") or ""
    if part not in forms.PARTS:
        raise Problem("That button is from an older Pacer; `/pacer process draft` shows new ones.")
    row = draft_queries.open_draft(ix.session, ix.actor.team_id)
    if row is None:
        refuse_if_scheduled(ix.session, ix.actor.team_id, "it can't be edited")
        raise Problem(NO_DRAFT)
    open_part(ix, row, part)
    ix.outcome = f"draft form {part}"
    return {}


SUBCOMMANDS = {
    "draft": draft,
    "publish": publish,
    "history": history,
    "discard": discard,
    "review": reviews.review,  # bot/process_reviews
    "feedback": reviews.feedback,
}
