"""A team's draft as a Process: opened from the version in force (or the default process),
read back, and changed one recorded edit at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from rituals.process import Process, default_process, dump_process, load_process_dict
from rituals.process.goal_history import own_goal
from rituals.process_drafts.diff import diff
from rituals.process_drafts.publish import with_settings_kept
from rituals.teams import team_process
from storage import draft_queries, process_queries
from storage.models import ProcessDraft, SalesTeam
from storage.unit_of_work import Session


def flattened(process: Process, today: date) -> Process:
    """The process as a draft shows it: the goals in force today as the roles' and reps' goals,
    without the dated history (publishing dates whatever changed: rituals/process/goal_history
    keep_goal_history, so no past period's figures move)."""
    data = process.to_dict()
    for role, entry in zip(process.roles, data["roles"], strict=True):
        entry["goals"] = {
            kpi: str(goal)
            for kpi in role.scorecard
            if (goal := process.goal_for(role.key, kpi, on=today)) is not None
        }
    overrides: dict[str, dict[str, str]] = {}
    for user in sorted(process.reps_with_own_goals):
        for kpi in (k.key for k in process.kpis):
            own = _own_goal_on(process, user, kpi, today)
            if own is not None:
                overrides.setdefault(user, {})[kpi] = own
    data["overrides"] = overrides
    data.pop("goal_changes", None)
    return load_process_dict(data)


def _own_goal_on(process: Process, user: str, kpi: str, day: date) -> str | None:
    goal = own_goal(process, user, kpi, day)
    return str(goal) if goal is not None else None


def base_of(session: Session, team: SalesTeam) -> tuple[Process, int | None]:
    """The version in force for the team and its number (None: the install-wide or the built-in
    default, which the team has no version of its own of)."""
    process, _ = team_process(session, team.id)
    row = process_queries.latest_process_version(session, team.id)
    own = row.version if row is not None and row.team_id == team.id else None
    return process, own


def open_team_draft(
    session: Session, team: SalesTeam, author: str, open_key: str, now: datetime, today: date
) -> tuple[ProcessDraft, bool]:
    """The team's open draft: a new copy of the version in force (True), or the one already open
    (False: opened earlier, or by this same request delivered twice)."""
    existing = draft_queries.open_draft(session, team.id)
    if existing is not None:
        return existing, False
    process, base = base_of(session, team)
    draft_process = flattened(process, today)
    row = ProcessDraft(
        workspace_id=team.workspace_id,
        team_id=team.id,
        base_version=base,
        name=draft_process.name[:200],
        definition=json.dumps(draft_process.to_dict(), sort_keys=True),
        source_text=dump_process(draft_process),
        author_id=author,
        created_at=now,
        updated_at=now,
        open_key=open_key[:160],
    )
    return draft_queries.create_draft(session, row)


def copied_from(session: Session, draft: ProcessDraft) -> Process:
    """The version the draft was copied from: the team's own by its number, else (the team had
    none) the install-wide one in force when the draft was opened, else the built-in default."""
    if draft.base_version is not None:
        row = process_queries.team_version(session, draft.team_id, draft.base_version)
    else:
        row = process_queries.process_version_at(session, draft.team_id, draft.created_at)
        row = row if row is not None and row.team_id is None else None
    return _parse(row.definition) if row is not None else default_process()


def as_published(session: Session, draft: ProcessDraft, current: Process) -> Process:
    """The draft as publishing it now would make it, goals aside: the settings it left as copied
    are the ones in force (rituals/process_drafts/publish.with_settings_kept). What previews and
    reviewers are shown, so they are asked about what will happen."""
    return with_settings_kept(current, draft_process(draft), copied_from(session, draft))


def draft_process(draft: ProcessDraft) -> Process:
    """The draft's content as a Process (it was checked when it was stored)."""
    return _parse(draft.definition)


@lru_cache(maxsize=64)
def _parse(definition: str) -> Process:
    return load_process_dict(json.loads(definition))


def record_edit(
    session: Session,
    draft: ProcessDraft,
    process: Process,
    summary: str,
    edited_by: str,
    edit_key: str,
    now: datetime,
    *,
    credited_to: str | None = None,
    answer_id: int | None = None,
    source_text: str | None = None,
) -> bool:
    """Make ``process`` the draft's content, recording the edit; False when this edit_key was
    applied already (the same submission twice) or the draft was closed meanwhile."""
    return draft_queries.save_edit(
        session,
        draft,
        json.dumps(process.to_dict(), sort_keys=True),
        source_text if source_text is not None else dump_process(process),
        summary,
        edited_by,
        edit_key,
        at=now,
        name=process.name,
        credited_to=credited_to,
        answer_id=answer_id,
    )


@dataclass
class Filled:
    draft: ProcessDraft
    process: Process
    changes: list[str]  # from the draft as it was (a new draft: from the version in force)
    created: bool
    stored: bool  # False: this same file was used already


def fill_draft(
    session: Session,
    team: SalesTeam,
    process: Process,
    source_text: str,
    *,
    name: str,
    by: str,
    key: str,
    now: datetime,
    today: date,
) -> Filled:
    """A whole process file as the team's draft: opens the draft if there is none, then makes
    the file its content (one edit, once per ``key``). A file's dated goal history is not kept:
    a draft has today's goals, and publishing dates what changes."""
    content = flattened(process, today)
    text = source_text if not process.goal_changes else dump_process(content)
    row, created = open_team_draft(session, team, by, f"fill:{key}", now, today)
    before = draft_process(row)
    changes = diff(before, content)
    summary = f"filled from {name}: " + ("; ".join(changes) or "no change")
    stored = bool(changes) or created
    if changes:
        stored = record_edit(session, row, content, summary, by, key, now, source_text=text)
    return Filled(row, content, changes, created, stored)
