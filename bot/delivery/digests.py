"""Digests and leaderboards as Slack posts: a short channel message, and the long detail (the
chart, the full ranking) in its thread. Names are shown as text, never as mentions, so nobody
is pinged by a leaderboard.

The ``*_posts`` functions are the daily, weekly, monthly and leaderboard rituals' deliveries
(bot/ritual_deliveries.py): the report of the run (rituals/ritual_data.py), with the names, as
posts."""

from collections.abc import Callable
from dataclasses import replace

from bot import messages
from bot.buttons import digest_buttons
from bot.delivery.posting import Part
from bot.people import display_names
from bot.services import Services
from rituals import charts, ritual_data
from rituals.coaching import CadenceLine
from rituals.digests import DailyDigest, Leaderboard, MonthlyDigest, WeeklyDigest
from rituals.process import Process
from rituals.ranking import by_name, rank
from rituals.schedule import Occurrence
from storage.models import Member, SalesTeam
from storage.unit_of_work import Session

TOP = 3  # names per KPI in the channel message; everyone is in the thread
PRIVATE_ROWS = 25  # rows of a leaderboard shown privately


def _common(process: Process, names: dict[str, str], team_name: str) -> dict:
    return {
        "kpi_names": {k.key: k.name for k in process.kpis},
        "role_names": {r.key: r.name for r in process.roles},
        "names": names,
        "team_name": team_name,
    }


def _post(title: str, body: str, buttons_for=None) -> Part:
    """The channel message; a digest's (``buttons_for`` its period) ends with "My scorecard"
    and "Log activity" (bot/buttons.py)."""
    message = messages.message(
        messages.escape(title), messages.section(body), response_type="in_channel"
    )
    if buttons_for is not None:
        kept = message["blocks"][: messages.MAX_BLOCKS - 1]
        message["blocks"] = kept + [digest_buttons(buttons_for)]
    return Part(message["text"], message["blocks"])


def _thread(title: str, body: str) -> list[Part]:
    return [
        Part(page["text"], page["blocks"]) for page in messages.paged(messages.escape(title), body)
    ]


def _bars(ranking, names: dict[str, str]) -> list[tuple[str, float | None]]:
    """A bar per rep with a rank: a rep away the whole period is no bar at 0%."""
    return [(names.get(r.rep_id, r.rep_id), r.value) for r in ranking if not r.result.absent]


def _attainment(
    title: str, ranking, names, process: Process, kind: str, period, subtitle: str
) -> Part:
    """The ranking as a chart, uploaded into the digest's thread."""
    chart = charts.attainment_chart(
        title,
        _bars(ranking, names),
        filename=f"pacer-{kind}-{period.start}.png",
        subtitle=subtitle,
        thresholds=process.thresholds,
    )
    return Part("", chart=chart)


def daily_parts(
    d: DailyDigest, process: Process, names: dict[str, str], team_name: str
) -> list[Part]:
    values = _common(process, names, team_name)
    d = replace(d, rankings={k: by_name(r, names) for k, r in d.rankings.items()})
    hitters = [names.get(h.rep_id, h.rep_id) for h in d.goal_hits if h.all_goals]
    # A ranking where nobody has done anything yet ranks nothing: left out of the channel post.
    top = {
        kpi: [r for r in ranking if not r.result.absent][:TOP]
        for kpi, ranking in d.rankings.items()
        if ranking and (ranking[0].value or 0) > 0
    }
    title = f"Daily digest · {team_name} · {d.period.label()}"
    parts = [
        _post(
            title,
            messages.render("digest_daily.md.j2", d=d, hitters=hitters, top=top, **values),
            d.period,
        )
    ]
    if d.working and d.results:
        # A day is judged on activity: the leading KPIs' daily goals (a weekly or monthly goal
        # has no share of a day to judge: rituals.ranking), weighted as the overall score is.
        leading = {k.key for k in process.kpis if k.kind == "leading"}
        activity = [r.only(leading) for r in d.results if not r.absent]  # away: no bar
        overall = rank(activity, names=names)
        subtitle = (
            f"{d.period.label()} · each rep's leading KPIs with a daily goal, mean attainment · "
            f"{len(overall)} reps"
        )
        parts.append(
            _attainment(
                f"{team_name} — activity against goal today",
                overall,
                names,
                process,
                "daily",
                d.period,
                subtitle,
            )
        )
    parts += _thread(title, messages.render("digest_daily_thread.md.j2", d=d, **values))
    return parts


def weekly_parts(
    d: WeeklyDigest,
    process: Process,
    names: dict[str, str],
    team_name: str,
    cadence: list[CadenceLine] | None = None,
    coaching_every_days: int | None = None,
) -> list[Part]:
    """The weekly digest; ``cadence`` (bot.coaching.reminders.digest_cadence) adds the coaching
    cadence per rep, for managers, to the thread."""
    values = _common(process, names, team_name)
    d = replace(d, ranking=by_name(d.ranking, names))
    values["cadence"] = cadence or []
    values["coaching_every_days"] = coaching_every_days or process.rituals.coaching_every_days
    title = f"Weekly digest · {team_name} · {d.period.label()}"
    parts = [_post(title, messages.render("digest_weekly.md.j2", d=d, **values), d.period)]
    if d.ranking:
        subtitle = f"{d.period.label()} · each rep's overall score: daily and weekly goals"
        parts.append(
            _attainment(
                f"{team_name} — last week's attainment",
                d.ranking,
                names,
                process,
                "weekly",
                d.period,
                subtitle,
            )
        )
    parts += _thread(title, messages.render("digest_weekly_thread.md.j2", d=d, **values))
    return parts


def monthly_parts(
    d: MonthlyDigest, process: Process, names: dict[str, str], team_name: str
) -> list[Part]:
    values = _common(process, names, team_name)
    d = replace(d, trend=_since_first_result(d.trend), ranking=by_name(d.ranking, names))
    trend = [
        f"{p.period.label()} {messages.percent(p.attainment)}"
        for p in d.trend
        if p.attainment is not None
    ]
    title = f"Monthly digest · {team_name} · {d.period.label()}"
    parts = [
        _post(title, messages.render("digest_monthly.md.j2", d=d, trend=trend, **values), d.period)
    ]
    if d.trend and d.lagging:
        kpi_names = values["kpi_names"]
        series = {
            kpi_names[k]: [p.lagging[k].pacing.actual if k in p.lagging else None for p in d.trend]
            for k in d.lagging
        }
        goal = None
        if len(d.lagging) == 1:
            k = d.lagging[0]
            goal = [p.lagging[k].pacing.goal if k in p.lagging else None for p in d.trend]
        parts.append(
            Part(
                "",
                chart=charts.trend_chart(
                    f"{team_name} — results by month",
                    [p.period.label() for p in d.trend],
                    series,
                    goal=goal,
                    filename=f"pacer-monthly-{d.period.start}.png",
                ),
            )
        )
    parts += _thread(title, messages.render("digest_monthly_thread.md.j2", d=d, **values))
    return parts


def _since_first_result(trend):
    """Months before the team recorded any result say nothing (the team was not on Pacer yet)."""
    for index, point in enumerate(trend):
        if any(line.pacing.actual for line in point.lagging.values()):
            return trend[index:]
    return trend[-1:]


def _named(board: Leaderboard, names: dict[str, str]) -> Leaderboard:
    """Each tie listed by name, now that the names are known."""
    return replace(board, ranking=by_name(board.ranking, names))


def leaderboard_title(board: Leaderboard) -> str:
    what = board.kpi.name if board.kpi else "overall attainment"
    return what + (" (raw count)" if board.by == "count" else "")


def leaderboard_message(
    board: Leaderboard, names: dict[str, str], viewer: str | None = None
) -> dict:
    """A leaderboard shown privately: the top rows, and the viewer's own row wherever it is."""
    board = _named(board, names)
    shown = list(board.ranking[:PRIVATE_ROWS])
    mine = [r for r in board.ranking[PRIVATE_ROWS:] if r.rep_id == viewer]
    body = messages.render(
        "leaderboard.md.j2",
        board=board,
        title=leaderboard_title(board),
        shown=shown + mine,
        hidden=len(board.ranking) - len(shown) - len(mine),
        names=names,
        viewer=viewer,
    )
    return messages.message(f"Leaderboard · {leaderboard_title(board)}", messages.section(body))


def leaderboards_parts(
    boards: list[Leaderboard], names: dict[str, str], team_name: str
) -> list[Part]:
    """Scheduled leaderboards (one per KPI of the slot): every board's top in one channel
    message, each board in full in the thread."""
    boards = [_named(board, names) for board in boards]
    if len(boards) == 1:
        return leaderboard_parts(boards[0], names, team_name)
    title = f"Leaderboards · {team_name} · {boards[0].period.label()}"
    tops = [
        messages.render(
            "leaderboard.md.j2",
            board=board,
            title=leaderboard_title(board),
            shown=board.ranking[:5],
            hidden=max(0, len(board.ranking) - 5),
            names=names,
            viewer=None,
        )
        for board in boards
    ]
    parts = [_post(title, "\n\n".join(tops))]
    for board in (b for b in boards if len(b.ranking) > 5):  # the rest were shown in full already
        full = messages.render(
            "leaderboard.md.j2",
            board=board,
            title=leaderboard_title(board),
            shown=board.ranking,
            hidden=0,
            names=names,
            viewer=None,
        )
        parts += _thread(title, full)
    return parts


def leaderboard_parts(board: Leaderboard, names: dict[str, str], team_name: str) -> list[Part]:
    """A leaderboard posted to the channel: the top ten there, everyone in the thread."""
    board = _named(board, names)
    title = f"Leaderboard · {leaderboard_title(board)} · {board.period.label()}"
    top = messages.render(
        "leaderboard.md.j2",
        board=board,
        title=leaderboard_title(board),
        shown=board.ranking[:10],
        hidden=max(0, len(board.ranking) - 10),
        names=names,
        viewer=None,
    )
    parts = [_post(title, top)]
    if len(board.ranking) > 10:
        full = messages.render(
            "leaderboard.md.j2",
            board=board,
            title=leaderboard_title(board),
            shown=board.ranking,
            hidden=0,
            names=names,
            viewer=None,
        )
        parts += _thread(title, full)
    return parts


# -- the rituals' posts -----------------------------------------------------------------------


def _names(services: Services, team: SalesTeam, report: ritual_data.Report, occurrence) -> dict:
    return display_names(services, team.workspace_id, report.rep_ids, occurrence.due_at)


def daily_posts(
    services: Services,
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
) -> list[Part]:
    report = ritual_data.daily_report(session, team, process, members, occurrence)
    names = _names(services, team, report, occurrence)
    return daily_parts(report.data, report.process, names, team.name)


# The coaching cadence per rep for the weekly digest's thread (None leaves it out):
# bot.coaching.reminders.digest_cadence, handed in by bot/ritual_deliveries.py.
CadenceOf = Callable[[Session, SalesTeam, Process, list[Member], object], list[CadenceLine] | None]


def weekly_posts(
    services: Services,
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
    *,
    cadence_of: CadenceOf,
) -> list[Part]:
    report = ritual_data.weekly_report(session, team, process, members, occurrence)
    names = _names(services, team, report, occurrence)
    cadence = cadence_of(session, team, report.current, report.members, occurrence.due_at)
    return weekly_parts(
        report.data,
        report.process,
        names,
        team.name,
        cadence=cadence,
        coaching_every_days=report.current.rituals.coaching_every_days,
    )


def monthly_posts(
    services: Services,
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
) -> list[Part]:
    report = ritual_data.monthly_report(session, team, process, members, occurrence)
    names = _names(services, team, report, occurrence)
    return monthly_parts(report.data, report.process, names, team.name)


def leaderboard_posts(
    services: Services,
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
) -> list[Part]:
    report = ritual_data.leaderboard_report(session, team, process, members, occurrence)
    names = _names(services, team, report, occurrence)
    return leaderboards_parts(report.data, names, team.name)
