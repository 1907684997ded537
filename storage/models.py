"""The tables. Every row belongs to one Slack workspace (``workspace_id``), so one install can
serve several workspaces without mixing their data. Times are stored as timezone-aware UTC; dates of
activity are calendar dates in the rep's local time."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Workspace(SQLModel, table=True):
    """A Slack workspace (team_id), plus the Grid organisation (enterprise_id) when there is one."""

    id: int | None = Field(default=None, primary_key=True)
    slack_team_id: str = Field(max_length=32)
    enterprise_id: str = Field(
        default="", max_length=32
    )  # "" off Grid: NULLs would defeat the unique key
    created_at: datetime
    # Set when Slack says the app was uninstalled or its bot token revoked: the clock posts no
    # rituals for the workspace (its data stays); the next request from it (a reinstall) clears it.
    rituals_paused_at: datetime | None = None

    __table_args__ = (
        UniqueConstraint("slack_team_id", "enterprise_id", name="uq_workspace_slack"),
    )


class SalesTeam(SQLModel, table=True):
    """People who share a channel, a process (timezone, goals) and rituals."""

    __tablename__ = "sales_team"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    name: str = Field(max_length=80)
    channel_id: str | None = Field(default=None, max_length=32)
    created_at: datetime
    # Where `/coach @rep` opens its threads; None: a private conversation of manager and rep.
    coaching_channel_id: str | None = Field(default=None, max_length=32)

    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_team_name"),)


class ProcessVersion(SQLModel, table=True):
    """One stored version of a team's process file. ``team_id`` NULL is the install-wide process
    loaded from the CLI before any team existed; teams without a version of their own use it."""

    __tablename__ = "process_version"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = Field(default=None, foreign_key="workspace.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="sales_team.id", index=True)
    version: int
    name: str = Field(max_length=200)
    definition: str = Field(sa_column=Column(Text, nullable=False))  # JSON of Process.to_dict()
    source_text: str = Field(
        sa_column=Column(Text, nullable=False)
    )  # the YAML as loaded or generated
    loaded_by: str = Field(max_length=64)  # "cli", or the Slack user ID who changed it
    # Why this version exists, e.g. "goal sdr calls 60/day".
    change: str = Field(default="", max_length=300)
    loaded_at: datetime
    # The draft it was published from (reviewed: `/pacer process history` names the reviewers).
    draft_id: int | None = Field(default=None, foreign_key="process_draft.id")

    # Two changes racing for the same number: one wins, the other re-applies itself on top.
    __table_args__ = (UniqueConstraint("team_id", "version", name="uq_process_team_version"),)


class Member(SQLModel, table=True):
    """A person on a sales team: a rep with a role, a manager, or both. Removal keeps the row."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    team_id: int = Field(foreign_key="sales_team.id", index=True)
    user_id: str = Field(max_length=32)
    role: str | None = Field(default=None, max_length=64)
    is_manager: bool = False
    active: bool = True
    added_by: str = Field(max_length=32)
    added_at: datetime
    removed_at: datetime | None = None
    nudges: bool = True  # private reminders when nothing is logged by the team's nudge time
    # Tenure, in the team's calendar dates: goals count only the days from started_on to last_day
    # (both inclusive). None: already on the team when added / no last day set.
    started_on: date | None = None
    last_day: date | None = None

    __table_args__ = (UniqueConstraint("workspace_id", "user_id", name="uq_member_user"),)


class TimeOff(SQLModel, table=True):
    """One day a rep is away (vacation, sick day): their goals skip it, nobody nudges them, and
    rankings show them as away. Cancelling keeps the row (``cancelled_at``), so the trail of who
    said what stays; at most one live row per rep and day."""

    __tablename__ = "time_off"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    user_id: str = Field(max_length=32)
    day: date
    note: str = Field(default="", max_length=200)
    entered_by: str = Field(max_length=32)
    entered_at: datetime
    cancelled_at: datetime | None = None
    cancelled_by: str | None = Field(default=None, max_length=32)

    __table_args__ = (
        Index("ix_time_off_user_day", "workspace_id", "user_id", "day"),
        Index(
            "uq_time_off_live",
            "workspace_id",
            "user_id",
            "day",
            unique=True,
            sqlite_where=text("cancelled_at IS NULL"),
            postgresql_where=text("cancelled_at IS NULL"),
        ),
    )


class Admin(SQLModel, table=True):
    """Admins promoted inside Pacer (PACER_ADMINS are admins without a row)."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    user_id: str = Field(max_length=32)
    granted_by: str = Field(max_length=32)
    granted_at: datetime

    __table_args__ = (UniqueConstraint("workspace_id", "user_id", name="uq_admin_user"),)


class UserProfile(SQLModel, table=True):
    """Display name and timezone from Slack's users.info, cached."""

    __tablename__ = "user_profile"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    user_id: str = Field(max_length=32)
    display_name: str = Field(max_length=200)
    tz: str | None = Field(default=None, max_length=64)
    fetched_at: datetime
    # Lowercased, from users.info when the app may read it: ingested activity names its owner by
    # email (rituals/ingest).
    email: str | None = Field(default=None, max_length=254)

    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id", name="uq_profile_user"),
        Index("ix_profile_email", "workspace_id", "email"),
    )


class ActivityLog(SQLModel, table=True):
    """One count of one KPI for one rep on one date. A ``/log`` with several KPIs writes one row
    per KPI sharing a ``batch_id``. Rows are never deleted: undo sets ``voided_at``."""

    __tablename__ = "activity_log"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    team_id: int = Field(foreign_key="sales_team.id")
    rep_id: str = Field(max_length=32)  # for whom
    entered_by: str = Field(max_length=32)  # who typed it
    kpi: str = Field(max_length=64)  # the KPI key, stable across process versions
    count: int
    occurred_on: date
    created_at: datetime
    source: str = Field(max_length=16)  # slash | modal | button | import | demo
    batch_id: str = Field(max_length=36)
    trigger_id: str | None = Field(default=None, max_length=128)  # Slack's, for exactly-once
    note: str = Field(default="", max_length=500)
    process_version_id: int | None = Field(default=None, foreign_key="process_version.id")
    voided_at: datetime | None = None
    voided_by: str | None = Field(default=None, max_length=32)
    # A correction (an edit on the Home tab) names the log it replaced, which it voided: undoing
    # the correction brings that log back, so an edit then an undo leaves what was there before.
    replaces_id: int | None = None
    # Activity ingested from another system (rituals/ingest): that system's name and its id for
    # the record. One row per (workspace, system, id), updated in place by the upsert; NULL for
    # what was typed in Slack (NULLs never collide in a unique key).
    ext_source: str | None = Field(default=None, max_length=64)
    external_id: str | None = Field(default=None, max_length=200)

    __table_args__ = (
        UniqueConstraint("workspace_id", "trigger_id", "kpi", name="uq_log_trigger_kpi"),
        # A unique index, not a constraint: added to a big table without rebuilding it on SQLite.
        Index("uq_log_external", "workspace_id", "ext_source", "external_id", unique=True),
        Index("ix_log_rep_date", "workspace_id", "rep_id", "occurred_on"),
        Index("ix_log_team_date", "team_id", "occurred_on", "kpi"),
        Index("ix_log_batch", "batch_id"),
        Index("ix_log_entered", "workspace_id", "entered_by", "created_at"),
    )


class LogUndo(SQLModel, table=True):
    """One `/log undo`: which batch it voided, by Slack's trigger_id, so the same request
    delivered twice (even at the same moment) undoes one log, not two."""

    __tablename__ = "log_undo"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    trigger_id: str = Field(max_length=128)
    batch_id: str = Field(max_length=36)
    undone_by: str = Field(max_length=32)
    undone_at: datetime

    __table_args__ = (UniqueConstraint("workspace_id", "trigger_id", name="uq_undo_trigger"),)


class RitualRun(SQLModel, table=True):
    """One run of one ritual for one team (the daily digest of 2026-11-26, the 12:00 leaderboard…),
    recorded before anything is posted: the unique (team, kind, period) makes every run happen
    once, whatever restarts, manual runs or clocks racing each other do. ``status``: claimed (a
    clock is posting it; ``claimed_at``/``claimed_by`` say who and since when), posted, failed
    (retried while ``attempts`` allow), skipped (too late; ``error`` says why)."""

    __tablename__ = "ritual_run"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    team_id: int = Field(foreign_key="sales_team.id")
    kind: str = Field(max_length=16)  # daily | weekly | monthly | leaderboard | nudge
    period_key: str = Field(max_length=32)  # e.g. 2026-11-26, 2026-W48, 2026-11-26T12:00
    due_at: datetime
    status: str = Field(max_length=16)  # claimed | posted | failed | skipped
    attempts: int = 0  # claims so far; also the fence that proves a claim is still the owner's
    claimed_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=200)  # e.g. "clock host:pid"
    finished_at: datetime | None = None
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # truncated
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)  # the main post, for threads
    parts_done: int = 0  # posts of this run already made, so a resumed run skips them

    __table_args__ = (
        UniqueConstraint("team_id", "kind", "period_key", name="uq_ritual_run_period"),
        Index("ix_ritual_run_status", "status", "due_at"),
    )


class Contest(SQLModel, table=True):
    """A time-boxed competition on one KPI: ``race`` (most wins), ``target`` (everyone who reaches
    ``target`` wins) or ``teams`` (groups of reps, ``scoring`` sum or average per rep). It counts
    the logs of whole team-local days ``start_day``..``end_day`` and ends at ``ends_at`` (the end
    of the last day's working hours). Its standings are frozen into ``result`` (JSON) at
    ``settles_at`` (the process's contest settle time after ``ends_at``, never before that day's
    daily digest), so a day's calls typed a little after the working day still count; a log
    voided or backdated after that is recorded but does not change a result already announced."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    team_id: int = Field(foreign_key="sales_team.id", index=True)
    name: str = Field(max_length=80)
    kind: str = Field(max_length=16)  # race | target | teams
    kpi: str = Field(max_length=64)
    target: int | None = None
    scoring: str = Field(default="sum", max_length=16)  # teams: sum | average
    prize: str = Field(default="", max_length=300)
    start_day: date
    end_day: date
    starts_at: datetime
    ends_at: datetime
    # When its result is frozen, fixed when it starts (rituals/contests/timing.py: settles_at).
    # None (older rows: the migration copies ``ends_at``) settles at ``ends_at``.
    settles_at: datetime | None = None
    status: str = Field(default="running", max_length=16)  # running | ended | cancelled
    source: str = Field(default="command", max_length=16)  # command | modal | suggestion | auto
    created_by: str = Field(max_length=32)
    created_at: datetime
    ended_at: datetime | None = None
    ended_by: str | None = Field(default=None, max_length=32)  # None: ended on time
    result: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Slack's trigger_id (or the suggestion) that started it: the same request twice starts one.
    start_key: str = Field(max_length=160)

    __table_args__ = (
        UniqueConstraint("workspace_id", "start_key", name="uq_contest_start"),
        Index("ix_contest_status", "status", "ends_at"),
        # One running contest per team and name, even when two are started at the same instant.
        Index(
            "uq_contest_running_name",
            "team_id",
            "name",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )


class ContestEntrant(SQLModel, table=True):
    """Who takes part in a contest, and in which group (team vs team; "" otherwise)."""

    __tablename__ = "contest_entrant"
    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    user_id: str = Field(max_length=32)
    group_name: str = Field(default="", max_length=80)

    __table_args__ = (UniqueConstraint("contest_id", "user_id", name="uq_contest_entrant"),)


class LagSuggestion(SQLModel, table=True):
    """A team KPI found behind pace by the lag check, and the contest proposed to the managers
    (``proposal``: JSON of the contest). One per (team, KPI, week): once it is launched or
    dismissed the same KPI is not suggested again that week."""

    __tablename__ = "lag_suggestion"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    team_id: int = Field(foreign_key="sales_team.id")
    kpi: str = Field(max_length=64)
    week_key: str = Field(max_length=16)  # e.g. 2026-W48
    pace: float
    proposal: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="open", max_length=16)  # open | launched | dismissed
    created_at: datetime
    decided_by: str | None = Field(default=None, max_length=32)
    decided_at: datetime | None = None
    contest_id: int | None = Field(default=None, foreign_key="contest.id")

    __table_args__ = (
        UniqueConstraint("team_id", "kpi", "week_key", name="uq_lag_suggestion_week"),
    )


class CoachingSession(SQLModel, table=True):
    """A coaching thread a manager opened with ``/coach @rep``: where it lives (channel, ts of
    the opening message), and the numbers it opened with (``agenda``, JSON)."""

    __tablename__ = "coaching_session"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    team_id: int = Field(foreign_key="sales_team.id")
    rep_id: str = Field(max_length=32)
    manager_id: str = Field(max_length=32)
    channel_id: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)  # set once the thread is posted
    opened_at: datetime
    agenda: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    open_key: str = Field(max_length=160)  # Slack's trigger_id: the same /coach twice opens one

    __table_args__ = (
        UniqueConstraint("workspace_id", "open_key", name="uq_coaching_open"),
        Index("ix_coaching_rep", "workspace_id", "rep_id", "opened_at"),
        Index("ix_coaching_thread", "channel_id", "thread_ts"),
    )


class CoachingNote(SQLModel, table=True):
    """A reply in a coaching thread: a note, or an action item (a reply starting ``action:``).
    Unique on the Slack message (its ts), so an event delivered twice is saved once."""

    __tablename__ = "coaching_note"
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="coaching_session.id", index=True)
    author_id: str = Field(max_length=32)
    message_ts: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    is_action: bool = False
    done_at: datetime | None = None  # an action item marked done (its "Done" button)
    done_by: str | None = Field(default=None, max_length=32)
    created_at: datetime

    __table_args__ = (UniqueConstraint("session_id", "message_ts", name="uq_coaching_note_msg"),)


# An open or a scheduled draft: a team has at most one next version pending (migration 0016).
PENDING_DRAFT = text("status IN ('open', 'scheduled')")


class ProcessDraft(SQLModel, table=True):
    """A team's next process while it is prepared and reviewed: a copy of the version in force
    (or of the default process) that changes nothing anyone sees until it is published. At most
    one open draft per team. ``definition`` and ``source_text`` are kept as a version keeps them."""

    __tablename__ = "process_draft"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    team_id: int = Field(foreign_key="sales_team.id", index=True)
    base_version: int | None = None  # the version number it was copied from; None: the default
    name: str = Field(max_length=200)
    definition: str = Field(sa_column=Column(Text, nullable=False))  # JSON of Process.to_dict()
    source_text: str = Field(sa_column=Column(Text, nullable=False))  # YAML
    author_id: str = Field(max_length=32)  # Slack user ID, or "cli"
    status: str = Field(default="open", max_length=16)  # open | scheduled | published | discarded
    # scheduled: published by the clock at the start of this day, in the team's timezone
    publish_on: date | None = None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=32)
    published_version: int | None = None  # process_version.version it became
    # The request that opened it: the same `/pacer process draft` delivered twice opens one.
    open_key: str = Field(max_length=160)

    __table_args__ = (
        UniqueConstraint("workspace_id", "open_key", name="uq_draft_open_key"),
        Index(
            "uq_draft_open_team",
            "team_id",
            unique=True,
            sqlite_where=PENDING_DRAFT,
            postgresql_where=PENDING_DRAFT,
        ),
    )


class DraftEdit(SQLModel, table=True):
    """One change made to a draft, in words ("+ stage Evaluates ROI", "goal sdr calls 60/day →
    80/day"), who made it, and the reviewer it is credited to when it came from a suggestion."""

    __tablename__ = "draft_edit"
    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="process_draft.id", index=True)
    edited_by: str = Field(max_length=32)
    credited_to: str | None = Field(default=None, max_length=32)
    answer_id: int | None = Field(default=None, foreign_key="review_answer.id")
    summary: str = Field(max_length=300)
    at: datetime
    # Slack's trigger_id/view id of the submission: the same submission delivered twice is one.
    edit_key: str = Field(max_length=160)

    __table_args__ = (UniqueConstraint("draft_id", "edit_key", name="uq_draft_edit_key"),)


class ProcessReview(SQLModel, table=True):
    """One round of review of a draft: a part of it (the journey, the activities, the scorecards,
    or all of it) sent to a few people, open until the draft is published or discarded or the
    author closes it. A draft may have several rounds, one after the other or side by side."""

    __tablename__ = "process_review"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    draft_id: int = Field(foreign_key="process_draft.id", index=True)
    part: str = Field(max_length=16)  # all | journey | activities | scorecards
    requested_by: str = Field(max_length=32)
    due_on: date | None = None  # the reminder goes out on this team-local date
    opened_at: datetime
    closed_at: datetime | None = None
    reminded_at: datetime | None = None
    # Where the author's feedback thread lives (a DM with the author), once it is started.
    thread_channel: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)
    request_key: str = Field(max_length=160)  # the same request delivered twice opens one round

    __table_args__ = (UniqueConstraint("workspace_id", "request_key", name="uq_review_request"),)


class ReviewReviewer(SQLModel, table=True):
    """A person asked to review: where their private request was posted, and their reminder."""

    __tablename__ = "review_reviewer"
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="process_review.id", index=True)
    user_id: str = Field(max_length=32)
    role: str = Field(default="", max_length=16)  # rep | manager | admin | "" (as asked)
    asked_channel: str | None = Field(default=None, max_length=32)
    asked_ts: str | None = Field(default=None, max_length=32)
    reminded_at: datetime | None = None

    __table_args__ = (UniqueConstraint("review_id", "user_id", name="uq_review_reviewer"),)


class ReviewAnswer(SQLModel, table=True):
    """A reviewer's answer: ``approve`` (Looks right) or ``suggest`` (an item, what instead, why).
    A reviewer may answer again while the review is open; the newest answer counts and the older
    ones become ``superseded``. A suggestion stays ``open`` until the author accepts it into the
    draft (``accepted``) or dismisses it with a reason the reviewer is told (``dismissed``)."""

    __tablename__ = "review_answer"
    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="process_review.id", index=True)
    reviewer_id: str = Field(max_length=32)
    verdict: str = Field(max_length=16)  # approve | suggest
    item: str = Field(
        default="", max_length=120
    )  # an item reference, e.g. "stage:3", "goal:sdr:calls"
    instead: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    why: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    status: str = Field(default="open", max_length=16)  # open | superseded | accepted | dismissed
    answered_at: datetime
    resolved_by: str | None = Field(default=None, max_length=32)
    resolved_at: datetime | None = None
    reason: str | None = Field(default=None, max_length=300)  # why it was dismissed
    answer_key: str = Field(max_length=160)  # the same click or submission twice is one answer

    __table_args__ = (UniqueConstraint("review_id", "answer_key", name="uq_review_answer_key"),)


class ConfigStamp(SQLModel, table=True):
    """One row, whose ``version`` moves on with every committed change to who is on which team,
    the teams' settings, admins, process versions, days away or profiles (storage/config_cache.py):
    each process caches those reads under the version it read them at, so a change made through
    any worker is seen by every other one at its next request. It starts at a random number, so
    a fresh database never matches what a process cached from an earlier one."""

    __tablename__ = "config_stamp"
    id: int = Field(primary_key=True)
    version: int = Field(sa_column=Column(BigInteger, nullable=False))


class TvLink(SQLModel, table=True):
    """A team's sales-floor TV link (`/pacer tv`): only the token's SHA-256 is kept, so a copy
    of the database opens no TV. One live link per team; revoking deletes the row."""

    __tablename__ = "tv_link"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id")
    team_id: int = Field(foreign_key="sales_team.id")
    token_hash: str = Field(max_length=64)
    created_by: str = Field(max_length=32)
    created_at: datetime

    __table_args__ = (
        UniqueConstraint("team_id", name="uq_tv_link_team"),
        UniqueConstraint("token_hash", name="uq_tv_link_token"),
    )


# The API's tables (tokens, the held queue, owner mappings, idempotency keys) live beside these.
# slack_sdk's OAuth installation and state stores' tables (OAuth mode, storage/installations.py).
from storage import installation_tables  # noqa: E402, F401
from storage.api_models import (  # noqa: E402, F401
    ApiToken,
    HeldActivity,
    IdempotentResponse,
    OwnerAlias,
)


class ClockHeartbeat(SQLModel, table=True):
    """The last minute each `pacer clock` process was alive (one row per process, ``owner`` as
    rituals.runs.process_identity names it): `pacer doctor` tells a stopped clock, or two, from
    a running one."""

    __tablename__ = "clock_heartbeat"
    owner: str = Field(primary_key=True, max_length=200)
    started_at: datetime
    beat_at: datetime
