"""`pacer export activities|logs|scorecards`: a workspace's data as CSV rows.

- activities: what counts, one row per counted log, in the import's columns. A log typed in
  Slack is ``pacer, log-ID``; an ingested one keeps its system's source and id. So the file
  imported back changes nothing here, and imported into another install counts the same.
- logs: every log, undone ones too (``deleted`` true), with who entered it, how and when, and
  who undid it: an audit trail, which reads back through the import as well.
- scorecards: per period (day, week or month) each rep's KPIs: actual, goal, attainment, status.

``occurred_at`` is when it was logged when that fell on the day it counts on, else noon of that
day, in the rep's timezone: read back, it lands on the same day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

from rituals.connectors.csv_files import COLUMNS, safe_cell
from rituals.dates import aware
from rituals.pacing import Period, next_period, period_containing
from rituals.scorecard import build_scorecards, rep_calendar
from rituals.teams import team_process
from storage import export_queries, people_queries
from storage.models import ActivityLog, SalesTeam
from storage.unit_of_work import Session

TYPED_SOURCE = "pacer"  # the source of a row typed in Slack, in an exported file
TYPED_PREFIX = "log-"
LOG_COLUMNS = (
    *COLUMNS,
    "deleted",
    "log_id",
    "team",
    "occurred_on",
    "entered_by",
    "entered_via",
    "created_at",
    "note",
    "voided_at",
    "voided_by",
)
SCORECARD_COLUMNS = (
    "period",
    "start",
    "end",
    "team",
    "rep_id",
    "rep_name",
    "role",
    "kpi",
    "kpi_name",
    "kind",
    "actual",
    "goal",
    "attainment",
    "status",
)
MAX_PERIODS = 400  # 400 days, 400 weeks or 33 years of months: more is a typo


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return aware(moment)


def _iso(moment: datetime | None) -> str:
    moment = _aware(moment)
    return moment.isoformat(timespec="seconds") if moment else ""


class _Zones:
    """Each rep's timezone: their own from Slack, else their team's."""

    def __init__(self, session: Session, workspace_id: int, teams: list[SalesTeam]):
        self.profiles = export_queries.workspace_profiles(session, workspace_id)
        self.processes = {t.id: team_process(session, t.id)[0] for t in teams}

    def tz(self, log: ActivityLog):
        process = self.processes.get(log.team_id) or next(iter(self.processes.values()))
        profile = self.profiles.get(log.rep_id)
        return rep_calendar(process, profile.tz if profile else None).tz


def key_of(log: ActivityLog) -> tuple[str, str]:
    """(source, external_id) of a log as the exported file writes it."""
    source = getattr(log, "ext_source", None)
    external = getattr(log, "external_id", None)
    if source and external:
        return source, external
    return TYPED_SOURCE, f"{TYPED_PREFIX}{log.id}"


def occurred_at(log: ActivityLog, tz) -> str:
    created = _aware(log.created_at).astimezone(tz)
    if created.date() == log.occurred_on:
        return created.isoformat(timespec="seconds")
    return datetime.combine(log.occurred_on, time(12), tz).isoformat(timespec="seconds")


def _logs(
    session: Session,
    workspace_id: int,
    teams: list[SalesTeam],
    start: date | None,
    end: date | None,
    team_ids: list[int] | None,
    counted_only: bool,
) -> Iterator[tuple[ActivityLog, tuple]]:
    """Each log with its cells as the activities file has them (what import reads back)."""
    zones = _Zones(session, workspace_id, teams)
    for log in export_queries.logs(
        session, workspace_id, team_ids, start, end, counted_only=counted_only
    ):
        source, external = key_of(log)
        yield (
            log,
            (source, external, occurred_at(log, zones.tz(log)), log.rep_id, log.kpi, log.count),
        )


def activity_rows(
    session: Session,
    workspace_id: int,
    teams: list[SalesTeam],
    start: date | None,
    end: date | None,
    team_ids: list[int] | None = None,
) -> Iterator[tuple]:
    for _, cells in _logs(session, workspace_id, teams, start, end, team_ids, True):
        yield cells


def log_rows(
    session: Session,
    workspace_id: int,
    teams: list[SalesTeam],
    start: date | None,
    end: date | None,
    team_ids: list[int] | None = None,
) -> Iterator[tuple]:
    """The activities file's cells, then every log's own columns (voided ones too)."""
    names = {t.id: t.name for t in teams}
    for log, cells in _logs(session, workspace_id, teams, start, end, team_ids, False):
        yield (
            *cells,
            "true" if log.voided_at else "false",
            log.id,
            safe_cell(names.get(log.team_id, "")),
            log.occurred_on.isoformat(),
            log.entered_by,
            log.source,
            _iso(log.created_at),
            safe_cell(log.note),
            _iso(log.voided_at),
            log.voided_by or "",
        )


def _number(value: float | None, decimals: int):
    """A goal as a spreadsheet reads it: 240, not 240.0; "" when there is none."""
    if value is None:
        return ""
    value = round(value, decimals)
    return int(value) if float(value).is_integer() else value


def periods_between(kind: str, start: date, end: date) -> list[Period]:
    """The whole periods of a kind that cover start..end."""
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    out = [period_containing(kind, start)]
    while out[-1].end < end:
        out.append(next_period(out[-1]))
        if len(out) > MAX_PERIODS:
            raise ValueError(
                f"{start} to {end} is more than {MAX_PERIODS} {kind}s; choose a longer "
                "--period or a shorter range"
            )
    return out


def scorecard_rows(
    session: Session,
    workspace_id: int,
    teams: list[SalesTeam],
    start: date,
    end: date,
    kind: str,
    now: datetime,
) -> Iterator[tuple]:
    periods = periods_between(kind, start, end)
    profiles = export_queries.workspace_profiles(session, workspace_id)
    for team in teams:
        process, _ = team_process(session, team.id)
        members = people_queries.members_during(session, team.id, periods[0].start, periods[-1].end)
        for rep in members:
            if not rep.role or not process.has_role(rep.role):
                continue
            profile = profiles.get(rep.user_id)
            cal = rep_calendar(process, profile.tz if profile else None)
            cards = build_scorecards(session, workspace_id, process, rep, periods, now, cal)
            for card in cards:
                for line in card.lines:
                    pacing = line.pacing
                    window = pacing.period or card.period
                    yield (
                        kind,
                        window.start.isoformat(),
                        window.end.isoformat(),
                        safe_cell(team.name),
                        rep.user_id,
                        safe_cell(profile.display_name if profile else ""),
                        rep.role,
                        line.kpi.key,
                        safe_cell(line.kpi.name),
                        line.kpi.kind,
                        int(pacing.actual),
                        _number(pacing.goal, pacing.decimals or 2),
                        "" if pacing.attainment is None else round(pacing.attainment, 4),
                        card.absent or pacing.status,
                    )
