"""Every kind of ritual Pacer runs, in one registry: the clock, `pacer rituals run` and its
--help, `/pacer ritual`, `pacer rituals status` and the process file's validation all read it, so
a kind cannot be accepted in one place and missing in another.

A kind has one **name** and one **process-file field**. The name is what a ``ritual_run`` row
stores in ``kind``, what logs, outcomes and `pacer rituals status` show, and what an operator
types (`pacer rituals run lag-check`). The field is the kind's key in the `rituals:` section of a
process file (``lag_check:``). They differ for three kinds (leaderboard/leaderboards,
nudge/nudges, lag-check/lag_check) because both spellings are stored — names in every
``ritual_run`` row, fields in every process file and stored process version — so each is spelled
here, once. Every other word people type for a kind (``nudges``, ``lag_check``, ``contest``…) is
one of its **aliases**: the commands accept it, and a process file that uses it as a key is told
the field it meant.

Not kinds: the ``welcome`` (bot/admin/welcome.py), ``share`` (bot/buttons.py) and
``invite-note`` (bot/delivery/runner.py: how to invite Pacer to a private ritual channel, told
the managers once per channel) rows of ``ritual_run`` (:data:`ONE_TIME_RUNS`) are one-time
claims of a message — nothing is scheduled,
nothing can be run again — and the per-rep nudge rows are of kind ``nudge`` with a
``day:user`` period key (rituals/schedule.py: nudge_key).

When a kind is due is its ``due`` rule read against the process's RitualSchedule (its field, and
for a weekly one the ``<field>_day``), turned into APScheduler triggers by rituals/schedule.py.
How it builds its data: rituals/ritual_data.py (the digests and leaderboards),
rituals/contests/ (standings), rituals/lag_check.py, rituals/coaching.py, and for nudges
rituals/schedule.py's nudge_due. Those import the process (rituals.process), whose validation
imports this module: so this module imports nothing of Pacer's. The Slack side of each kind (how
it is rendered and delivered) is bot/ritual_deliveries.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

__all__ = [
    "COACHING",
    "DAILY",
    "GRACE",
    "KINDS",
    "LAG_CHECK",
    "LEADERBOARD",
    "MONTHLY",
    "NUDGE",
    "INVITE_NOTE",
    "PROCESS_PUBLISH",
    "REVIEW_REMINDER",
    "ONE_TIME_RUNS",
    "RITUAL_FIELDS",
    "RITUAL_KINDS",
    "STANDINGS",
    "WEEKLY",
    "Kind",
    "help_text",
    "kind_for",
    "kind_named",
    "names_in_words",
    "ritual_kind",
]

# When a kind is due (``Kind.due``):
ON_WORKING_DAYS = "on working days"  # at the field's time, on the process's working days
ON_ITS_WEEKDAY = "on its weekday"  # at the field's time, on ``<field>_day``
ON_FIRST_WORKING_DAY = "on the first working day of the month"
AT_EACH_SLOT = "at each slot, on working days"  # the field is a list of slots (time + KPIs)
EVERY_HALF_HOUR = "every 30 minutes"  # a sweep; each person is due at the field's time
WHILE_A_CONTEST_RUNS = "while a contest runs"  # contest rows, not the clock's triggers

# What a run's period key names (``Kind.period``):
THE_DAY = "the local day"  # 2026-11-26
THE_WEEK_BEFORE = "the ISO week before"  # 2026-W47
THE_MONTH_BEFORE = "the month before"  # 2026-10
THE_SLOT = "the day and slot"  # 2026-11-26T12:00
THE_SWEEP = "the UTC half-hour slot"  # 2026-11-26T20:00Z
THE_CONTEST_POST = "the contest and its post"  # c7:2026-11-24T11:30, c7:result

CHANNEL, PRIVATE = "channel", "private"  # who a kind's messages go to (``Kind.audience``)


def _normalize(word: str) -> str:
    """The form words are matched in: lowercase, with `-`, `_` and spaces as one `_`."""
    return "_".join(word.strip().lower().replace("-", " ").replace("_", " ").split())


@dataclass(frozen=True)
class Kind:
    """One kind of ritual (see the module notes for name, field and aliases)."""

    name: str
    field: str
    summary: str  # one line for help texts
    what: str  # how a message calls it: "… to turn the daily digest off"
    due: str  # when it is due: ON_WORKING_DAYS, ON_ITS_WEEKDAY, …
    period: str  # what one run's period key names: THE_DAY, THE_WEEK_BEFORE, …
    grace: timedelta  # how late a run missed while the clock was down may still be posted
    audience: str  # CHANNEL (needs the team's channel) or PRIVATE (direct messages)
    example: str  # a value `/pacer ritual <field> <example>` accepts, for its usage line
    default_at: time | None = None  # its time when the process says nothing (None: derived)
    options: tuple[str, ...] = ()  # its mapping's keys besides at/enabled
    aliases: tuple[str, ...] = ()

    @property
    def has_weekday(self) -> bool:
        return "day" in self.options

    @property
    def private(self) -> bool:
        return self.audience == PRIVATE

    @property
    def scheduled_by_the_clock(self) -> bool:
        """Whether the clock runs it from triggers (contest posts come from contest rows)."""
        return self.due != WHILE_A_CONTEST_RUNS

    def words(self) -> tuple[str, ...]:
        """Every word that names this kind, as normalized by :func:`_normalize`."""
        return tuple(dict.fromkeys(_normalize(w) for w in (self.name, self.field, *self.aliases)))


DAILY = Kind(
    name="daily",
    field="daily",
    summary="the daily digest: the day's numbers in the team's channel, on working days",
    what="the daily digest",
    due=ON_WORKING_DAYS,
    period=THE_DAY,
    grace=timedelta(hours=4),
    audience=CHANNEL,
    example="17:30",
    default_at=time(17, 30),  # end of the working day
    aliases=("daily_digest", "day"),
)
WEEKLY = Kind(
    name="weekly",
    field="weekly",
    summary="the weekly digest: last week's results, on its weekday (Monday by default)",
    what="the weekly digest",
    due=ON_ITS_WEEKDAY,
    period=THE_WEEK_BEFORE,
    grace=timedelta(hours=24),
    audience=CHANNEL,
    example="mon 09:00",
    default_at=time(9, 0),
    options=("day",),
    aliases=("weekly_digest", "week"),
)
MONTHLY = Kind(
    name="monthly",
    field="monthly",
    summary="the monthly digest: last month's results, on the month's first working day",
    what="the monthly digest",
    due=ON_FIRST_WORKING_DAY,
    period=THE_MONTH_BEFORE,
    grace=timedelta(days=3),
    audience=CHANNEL,
    example="09:00",
    default_at=time(9, 0),
    aliases=("monthly_digest", "month"),
)
LEADERBOARD = Kind(
    name="leaderboard",
    field="leaderboards",
    summary="the leaderboards: rankings of chosen KPIs at set times on working days",
    what="the leaderboards",
    due=AT_EACH_SLOT,
    period=THE_SLOT,
    grace=timedelta(minutes=90),
    audience=CHANNEL,
    example="12:00 calls conversations",
    aliases=("leaders", "rankings"),  # its defaults come from the KPIs (ritual_checks)
)
NUDGE = Kind(
    name="nudge",
    field="nudges",
    summary="the nudges: a private reminder to reps who have logged nothing on their day",
    what="the nudges",
    due=EVERY_HALF_HOUR,
    period=THE_SWEEP,
    grace=timedelta(minutes=30),  # a sweep; the next one nudges whoever is still due
    audience=PRIVATE,
    example="off",
    default_at=time(15, 0),
    aliases=("reminder", "reminders"),
)
STANDINGS = Kind(
    name="standings",
    field="standings",
    summary="a contest's posts: its start, standings, midpoint, last hour and result",
    what="the contest standings",
    due=WHILE_A_CONTEST_RUNS,
    period=THE_CONTEST_POST,
    # A contest's standings; its start and result are never too late (rituals.contests).
    grace=timedelta(minutes=90),
    audience=CHANNEL,
    example="11:30 15:30",
    aliases=("contest", "contests", "contest_standings"),
)
LAG_CHECK = Kind(
    name="lag-check",
    field="lag_check",
    summary="the lag check: a contest suggested privately when a team KPI falls behind pace",
    what="the lag check",
    due=ON_WORKING_DAYS,
    period=THE_DAY,
    grace=timedelta(hours=3),
    audience=PRIVATE,
    example="11:00",
    # Tuesday 11:00 is the first check with a quarter of a Mon–Fri 09:00–17:00 week gone.
    default_at=time(11, 0),
    options=("threshold", "min_elapsed", "auto_launch"),
    aliases=("lag", "lagcheck", "lag_checks"),
)
COACHING = Kind(
    name="coaching",
    field="coaching",
    summary="the coaching reminders: each manager hears privately which reps are due a session",
    what="the coaching reminders",
    due=ON_ITS_WEEKDAY,
    period=THE_DAY,
    grace=timedelta(hours=24),
    audience=PRIVATE,
    example="mon 09:30",
    default_at=time(9, 30),
    options=("day", "every_days"),
    aliases=("coach", "coaching_reminders"),
)

# In the order the schedule lists them, and `pacer rituals status` shows them.
KINDS: tuple[Kind, ...] = (
    DAILY,
    WEEKLY,
    MONTHLY,
    LEADERBOARD,
    NUDGE,
    STANDINGS,
    LAG_CHECK,
    COACHING,
)
RITUAL_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS)  # names, as stored in ritual_run
RITUAL_FIELDS: tuple[str, ...] = tuple(k.field for k in KINDS)  # the `rituals:` section's keys
GRACE: dict[str, timedelta] = {k.name: k.grace for k in KINDS}
# The other values of ritual_run.kind: one-time claims, not rituals (see the module notes).
INVITE_NOTE = "invite-note"
ONE_TIME_RUNS = ("welcome", "share", INVITE_NOTE)
# Not a kind either: the reminder of a process review (bot/process_reviews/reminders.py) is a
# sweep the clock runs every minute, claimed per reviewer (review_reviewer.reminded_at), not a
# ritual_run row; a round's due date is its schedule, so the process file has no field for it.
# `pacer rituals run review-reminder` runs the sweep by hand.
REVIEW_REMINDER = "review-reminder"
# Nor is a scheduled publish of a process draft (bot/process_drafts/scheduled.py): a sweep the
# clock runs every minute, claimed on the draft's status; `pacer rituals run process-publish`.
PROCESS_PUBLISH = "process-publish"

_BY_NAME = {k.name: k for k in KINDS}
_BY_WORD = {word: k for k in KINDS for word in k.words()}


def kind_for(word: object) -> Kind | None:
    """The kind a word names — its name, its field or an alias, in any case, with `-`, `_` or
    spaces ("Daily Digest", "lag_check", "nudges") — or None."""
    return _BY_WORD.get(_normalize(word)) if isinstance(word, str) else None


def kind_named(name: str) -> Kind:
    """The kind of a stored name (``ritual_run.kind``, ``Occurrence.kind``); KeyError if none."""
    return _BY_NAME[name]


def ritual_kind(word: object) -> str:
    """The name of the kind a word names ("leaderboards" -> "leaderboard"); ValueError if none."""
    kind = kind_for(word)
    if kind is None:
        raise ValueError(f"unknown ritual {word!r}: use one of {', '.join(RITUAL_KINDS)}")
    return kind.name


def names_in_words() -> str:
    """ "daily, weekly, … lag-check or coaching": every kind's name."""
    return ", ".join(RITUAL_KINDS[:-1]) + " or " + RITUAL_KINDS[-1]


def help_text() -> str:
    """Every kind with its summary, one per line, for `pacer rituals run --help`."""
    width = max(len(k.name) for k in KINDS)
    return "\n".join(f"  {k.name:<{width}}  {k.summary}" for k in KINDS)
