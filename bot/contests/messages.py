"""Contest posts as Slack messages: the start announcement, the standings (timed, midpoint, last
hour), the result with its winners, and the private `/contest` replies. Standings show display
names (nobody is pinged); the result mentions its winners. Every message stays inside Slack's
limits however many people take part (the full ranking of a result goes in its thread)."""

from datetime import datetime

from bot import messages
from bot.delivery.posting import Part
from bot.examples import log_words
from bot.messages import Raw, escape
from bot.people import display_names
from bot.services import Services
from rituals import contests, dates
from rituals.contests import Standings
from rituals.pacing import Period
from rituals.process import Process
from rituals.schedule import Occurrence
from storage import contest_queries
from storage.contest_queries import LateChange
from storage.models import Contest, ContestEntrant, SalesTeam

MEDALS = {1: ":first_place_medal:", 2: ":second_place_medal:", 3: ":third_place_medal:"}
KIND_WORDS = {"race": "race", "target": "target", "teams": "team vs team"}
SHOWN_NAMES = 20  # names listed in an announcement before "and N more"
SHOWN_REACHED = 40  # a target's reps who reached it, by name, in one post
SHOWN_CHASING = 5  # a target's closest reps still short of it
SHOWN_TOP_TIED = 10  # a race's "top 3" when many tie
# Characters of winners' mentions in a result: the line must fit one section (3,000) with its
# words around it, or the end of it (and its "and N more") would be cut.
WINNER_BUDGET = 2400


def medal(rank: int) -> str:
    return MEDALS.get(rank, f"{rank}.")


def kpi_name(process: Process, key: str) -> str:
    return process.kpi(key).name if process.has_kpi(key) else key


def log_word(process: Process, key: str) -> str:
    """The word a rep types in `/log` for this KPI (the first role that tracks it)."""
    words = log_words(process)
    for role in process.roles:
        if key in role.scorecard:
            return words[role.key][key]
    return key


def window_label(contest: Contest) -> str:
    return Period("week", contest.start_day, contest.end_day).label()


def local_label(instant: datetime, process: Process, *, with_day: bool = True) -> str:
    local = instant.astimezone(process.calendar.tz)
    if not with_day:
        return f"{local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b} at {local:%H:%M}"


def settle_label(contest: Contest, process: Process) -> str:
    """When a contest's result is settled, as the start and standings say it ("19:00", or with
    its day when that is not the last day's); "" when it settles as it ends."""
    settles = contests.settles_at(contest)
    if settles <= contest.ends_at:
        return ""
    tz = process.calendar.tz
    same_day = settles.astimezone(tz).date() == contest.ends_at.astimezone(tz).date()
    return local_label(settles, process, with_day=not same_day)


def ended_label(contest: Contest, process: Process) -> str:
    """When a contest ended: the end of its last day's working hours, or when a manager ended it
    early (its result may have settled later)."""
    return local_label(min(contest.ends_at, contests.closes_at(contest)), process)


_HOURS = ("an hour", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def duration_words(minutes: int) -> str:
    """ "two hours", "an hour and a half", "half an hour", "20 minutes", "two hours and 15
    minutes" (whole minutes, more than 0)."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return "half an hour" if rest == 30 else f"{rest} minute{'s' if rest != 1 else ''}"
    if hours == 1:
        said = "an hour"
    else:
        said = f"{_HOURS[hours - 1] if hours <= len(_HOURS) else hours} hours"
    if rest == 30:
        return "an hour and a half" if hours == 1 else f"{said[: -len(' hours')]} and a half hours"
    if rest:
        return f"{said} and {rest} minute{'s' if rest != 1 else ''}"
    return said


def settled_text(contest: Contest, process: Process, s: Standings, ended_by: str) -> str:
    """When a result was frozen, and why then: "Settled Fri 27 Nov 19:00, two hours after the last
    day's working hours." Plain text (escaped by the template); "" for a contest a manager ended
    before its last day's working hours were over (the result says that instead)."""
    frozen = s.as_of
    after = int((frozen - contest.ends_at).total_seconds() // 60)
    if after < 0:
        return ""
    by = f" by {ended_by}" if contest.ended_by else ""
    when = dates.short_time(frozen.astimezone(process.calendar.tz))
    digest = "" if contest.ended_by else ", with the daily digest"
    if digest and contests.digest_at(process, contest.end_day) != frozen:
        digest = ""
    if after == 0:
        return f"Settled{by} {when}{digest}, at the end of the last day's working hours."
    return (
        f"Settled{by} {when}{digest}, {duration_words(after)} after the last day's working hours."
    )


def code_name(contest: Contest) -> str:
    return contest.name.replace("`", "'")


def _message(fallback: str, blocks: list[dict], response_type: str) -> dict:
    return messages.message(escape(fallback), blocks, response_type=response_type)


def _part(message: dict) -> Part:
    return Part(message["text"], message["blocks"])


def _top(s: Standings) -> list:
    """A race's top 3 (more when places tie, at most SHOWN_TOP_TIED), among those who logged."""
    return [p for p in s.places if p.rank <= contests.TOP and p.count > 0][:SHOWN_TOP_TIED]


# -- the start --------------------------------------------------------------------------------


def start_message(
    contest: Contest,
    process: Process,
    entrants: list[ContestEntrant],
    names: dict[str, str],
    response_type: str = "in_channel",
) -> dict:
    groups = []
    if contest.kind == "teams":
        by_group: dict[str, list[str]] = {}
        for e in entrants:
            by_group.setdefault(e.group_name, []).append(names.get(e.user_id, e.user_id))
        groups = [
            {
                "name": name,
                "size": len(people),
                "names": people[:SHOWN_NAMES],
                "more": max(0, len(people) - SHOWN_NAMES),
            }
            for name, people in by_group.items()
        ]
    people = [names.get(e.user_id, e.user_id) for e in entrants]
    body = messages.render(
        "contest_start.md.j2",
        c=contest,
        kpi_name=kpi_name(process, contest.kpi),
        window=window_label(contest),
        ends=local_label(contest.ends_at, process),
        settles=settle_label(contest, process),
        tz=process.timezone,
        top=contests.TOP,
        groups=groups,
        count=len(entrants),
        everyone=False,
        names=people[:SHOWN_NAMES] if len(people) <= SHOWN_NAMES else [],
        more=0,
        log_word=log_word(process, contest.kpi),
        code_name=code_name(contest),
    )
    title = f":checkered_flag: New contest: {contest.name}"
    return _message(
        f"New contest: {contest.name}",
        [messages.header(title), *messages.section(body)],
        response_type,
    )


# -- standings and results --------------------------------------------------------------------


def standings_message(
    contest: Contest,
    process: Process,
    s: Standings,
    names: dict[str, str],
    *,
    phase: str = contests.STANDINGS,
    viewer: str | None = None,
    response_type: str = "in_channel",
) -> dict:
    """Standings while it runs, or while its result is being settled (its days are over, logs
    typed now still count), or, privately, after it closed but before its result is in."""
    over = s.as_of >= contests.closes_at(contest)
    settling = contest.ends_at <= s.as_of and not over
    top = _top(s)
    shown = {p.user_id for p in top}
    rest = [p for p in s.places if p.user_id not in shown]
    reached = s.reached()
    chasing = s.chasing()
    you = s.place_of(viewer) if viewer else None
    body = messages.render(
        "contest_standings.md.j2",
        c=contest,
        s=s,
        phase=phase,
        over=over,
        settling=settling,
        kpi_name=kpi_name(process, contest.kpi),
        as_of=local_label(s.as_of, process),
        ends=local_label(contest.ends_at, process),
        end_time=local_label(contest.ends_at, process, with_day=False),
        settles=settle_label(contest, process),
        settles_at=local_label(contests.closes_at(contest), process),
        names=names,
        medal=medal,
        top_places=top,
        rest=len(rest),
        rest_logged=sum(1 for p in rest if p.count > 0),
        reached=reached[:SHOWN_REACHED],
        reached_count=len(reached),
        reached_more=max(0, len(reached) - SHOWN_REACHED),
        chasing=chasing[:SHOWN_CHASING],
        chasing_more=max(0, len(chasing) - SHOWN_CHASING),
        viewer=viewer,
        you=you,
    )
    return _message(f"{contest.name}: standings", messages.section(body), response_type)


def _mentions(user_ids: list[str], budget: int = WINNER_BUDGET) -> tuple[str, int]:
    """Mentions joined as "A, B and C" within a budget of characters; (text, how many left)."""
    out: list[str] = []
    used = 0
    for user_id in user_ids:
        piece = str(messages.mention(user_id))
        if out and used + len(piece) + 2 > budget:
            break
        out.append(piece)
        used += len(piece) + 2
    left = len(user_ids) - len(out)
    if len(out) > 1 and not left:
        return ", ".join(out[:-1]) + " and " + out[-1], 0
    return ", ".join(out), left


def changes_text(changes: list[LateChange], process: Process, kpi: str, names) -> str:
    """ "1 log voided (−12 Calls / Emails, Maria)"; escaped: it goes into a template raw."""
    unit = kpi_name(process, kpi)
    parts = []
    for kind, sign, words in (
        ("voided", "−", "voided"),
        ("added", "+", "logged into the contest's days"),
    ):
        rows = [c for c in changes if c.change == kind]
        if not rows:
            continue
        by_rep: dict[str, int] = {}
        for row in rows:
            by_rep[row.rep_id] = by_rep.get(row.rep_id, 0) + row.count
        total = sum(by_rep.values())
        people = [f"{names.get(rep, rep)}" for rep in list(by_rep)[:5]]
        if len(by_rep) > 1:
            people = [f"{names.get(rep, rep)} {sign}{n}" for rep, n in list(by_rep.items())[:5]]
        more = f" and {len(by_rep) - 5} more" if len(by_rep) > 5 else ""
        logs = f"{len(rows)} log{'s' if len(rows) != 1 else ''}"
        parts.append(
            f"{logs} {words} ({sign}{messages.number(total)} {unit}, {', '.join(people)}{more})"
        )
    return escape("; ".join(parts))


def result_message(
    contest: Contest,
    process: Process,
    s: Standings,
    names: dict[str, str],
    *,
    entrants_of_group: dict[str, list[str]] | None = None,
    ended_by: str | None = None,
    changes: list[LateChange] | None = None,
    viewer: str | None = None,
    response_type: str = "in_channel",
) -> dict:
    winners_text, winners_more = "", 0
    top_count = s.places[0].count if s.places else 0
    top_score = s.groups[0].score if s.groups else 0
    if contest.kind == "teams":
        members = [u for g in s.winners for u in (entrants_of_group or {}).get(g, [])]
        if len(s.winners) == 1 and members:
            winners_text, winners_more = _mentions(members)
    else:
        winners_text, winners_more = _mentions(list(s.winners))
    chasing = s.chasing()
    body = messages.render(
        "contest_result.md.j2",
        c=contest,
        s=s,
        kpi_name=kpi_name(process, contest.kpi),
        names=names,
        medal=medal,
        winners_text=Raw(winners_text),
        winners_more=winners_more,
        top_count=top_count,
        top_score=top_score,
        top_places=_top(s),
        closest=chasing[0] if chasing and chasing[0].count > 0 else None,
        window=window_label(contest),
        ended_early=contest.ended_by is not None and s.as_of < contest.ends_at,
        ended_by=ended_by or contest.ended_by or "",
        ended_at=local_label(contests.closes_at(contest), process),
        settled=settled_text(contest, process, s, ended_by or contest.ended_by or ""),
        changes=Raw(changes_text(changes or [], process, contest.kpi, names)),
    )
    you = s.place_of(viewer) if viewer else None
    if you is not None:
        where = f"rank {you.rank}" if contest.kind != "teams" else f"for {escape(you.group)}"
        body += f"\nYou: {messages.number(you.count)} ({where})."
    title = f":trophy: Result: {contest.name}"
    return _message(
        f"Result: {contest.name}",
        [messages.header(title), *messages.section(body)],
        response_type,
    )


def full_ranking_parts(contest: Contest, process: Process, s: Standings, names) -> list[Part]:
    """Everyone's final count, in the result's thread (paged: nothing is cut)."""
    unit = kpi_name(process, contest.kpi)
    lines = [f"*Full result · {escape(contest.name)}* ({escape(unit)})"]
    for p in s.places:
        group = f" · {escape(p.group)}" if p.group else ""
        reached = (
            " :white_check_mark:"
            if contest.kind == "target" and s.target is not None and p.count >= s.target
            else ""
        )
        lines.append(
            f"{p.rank}. {escape(names.get(p.user_id, p.user_id))} — "
            f"{messages.number(p.count)}{group}{reached}"
        )
    return [
        _part(page)
        for page in messages.paged(f"Full result: {escape(contest.name)}", "\n".join(lines))
    ]


# -- the ritual's posts -----------------------------------------------------------------------


def contest_parts(
    services: Services, session, team: SalesTeam, process: Process, occurrence: Occurrence
) -> list[Part]:
    """The channel post of one contest occurrence (rituals.contests.contest_occurrences), built
    as of the moment it was due; the result is frozen and committed first (the first run to
    freeze it wins; the others post that one)."""
    contest_id, phase = contests.phase_of(occurrence.period_key)
    contest = contest_queries.get_contest(session, occurrence.contest_id or contest_id)
    if contest is None or contest.team_id != team.id:
        raise ValueError(f"no contest {contest_id} for team {team.id}")
    entrants = contest_queries.entrants(session, contest.id)
    ids = [e.user_id for e in entrants]
    now = services.clock()
    if phase == contests.START:
        names = display_names(services, team.workspace_id, ids, now)
        return [_part(start_message(contest, process, entrants, names))]
    if phase == contests.RESULT:
        # Frozen in a unit of work of its own, committed before it is posted: the run's own
        # transaction holds no write while Slack is called.
        with services.unit_of_work() as freezing:
            contest = contest_queries.get_contest(freezing, contest.id)
            result = contests.final_result(freezing, contest, max(now, occurrence.due_at))
        names = display_names(
            services, team.workspace_id, ids + ([contest.ended_by] if contest.ended_by else []), now
        )
        main = result_message(
            contest,
            process,
            result,
            names,
            entrants_of_group=groups_of(entrants),
            ended_by=names.get(contest.ended_by) if contest.ended_by else None,
        )
        parts = [_part(main)]
        if len(result.places) > contests.TOP:
            parts += full_ranking_parts(contest, process, result, names)
        return parts
    s = contests.standings_at(session, contest, occurrence.due_at)
    names = display_names(services, team.workspace_id, named_in(s), now)
    return [_part(standings_message(contest, process, s, names, phase=phase))]


def groups_of(entrants: list[ContestEntrant]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for e in entrants:
        groups.setdefault(e.group_name, []).append(e.user_id)
    return groups


def named_in(s: Standings) -> list[str]:
    """The people a standings post names (not all 300 entrants)."""
    ids = [p.user_id for p in _top(s)]
    ids += [p.user_id for p in s.reached()[:SHOWN_REACHED]]
    ids += [p.user_id for p in s.chasing()[:SHOWN_CHASING]]
    return list(dict.fromkeys(ids))


# -- the private replies ----------------------------------------------------------------------


def list_message(
    process: Process,
    rows: list[Contest],
    counts: dict[int, int],
    leaders: dict[int, str],
    now: datetime,
) -> dict:
    def row(c: Contest) -> dict:
        return {
            "c": c,
            "kind": KIND_WORDS.get(c.kind, c.kind),
            "kpi_name": kpi_name(process, c.kpi),
            "count": counts.get(c.id, 0),
            "ends": local_label(c.ends_at, process),
            "ended": ended_label(c, process),
            "settling": contests.is_settling(c, now),
            "settles": local_label(contests.closes_at(c), process),
            "leader": leaders.get(c.id, ""),
        }

    live = [row(c) for c in rows if c.result is None and now < contests.closes_at(c)]
    done = [row(c) for c in rows if not (c.result is None and now < contests.closes_at(c))]
    return messages.text_message("contest_list.md.j2", live=live, done=done)


def leader_text(contest: Contest, s: Standings, names: dict[str, str]) -> str:
    """One line about who leads (or won): plain text, escaped by the template."""
    won = s.final
    if contest.kind == "teams":
        if not s.winners:
            return "no winner" if won else "no logs yet"
        lead = " and ".join(s.winners)
        return f"{'won by' if won else 'leading'}: {lead}"
    if contest.kind == "target":
        n = len(s.winners)
        if won:
            return f"{n} winner{'s' if n != 1 else ''}" if n else "nobody reached it"
        return f"{n} reached {s.target}" if n else "nobody there yet"
    if not s.winners:
        return "no winner" if won else "no logs yet"
    who = " and ".join(names.get(u, u) for u in s.winners[:3])
    return f"{'won by' if won else 'leading'}: {who} ({s.places[0].count})"
