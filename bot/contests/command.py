"""/contest: list, start (the quick form, or the modal with no arguments), standings and end.

Only managers and admins start or end contests; anyone on the team lists them and sees the
standings (privately). Every mistake in the quick form (bot/contests/quick_form.py) gets its own
reply saying what would work, and a refused command stores nothing."""

import difflib
import uuid

from bot import messages
from bot.contests import flow as contest_flow
from bot.contests import form as contest_views
from bot.contests import messages as contest_messages
from bot.contests.quick_form import EXAMPLE, parse_start, settle_kpi, unescape_name
from bot.context import Command
from bot.parsing import ParseError, quoted
from bot.people import known_profiles, resolve_user
from bot.replies import Problem
from rituals import contests
from rituals.contests import ContestSpec, Standings
from rituals.process import Process
from rituals.teams import members_today, require_manager, team_process
from storage import contest_queries, people_queries
from storage.models import Contest

HELP_HINT = (
    "Try `/contest`, `/contest start`, `/contest standings [name]`, `/contest end [name]` "
    "or `/contest help`."
)


def handle(cmd: Command) -> dict:
    head, _, rest = cmd.text.strip().partition(" ")
    sub = head.lower()
    rest = rest.strip()
    if sub in ("", "list", "ls", "all"):
        if rest:
            raise ParseError(f"`/contest list` takes nothing after it. {HELP_HINT}")
        return list_contests(cmd)
    if sub in ("help", "?"):
        cmd.outcome = "help"
        settle = int(cmd.actor.process.contests.settle.total_seconds() // 60)
        return messages.text_message(
            "contest_help.md.j2", settle=contest_messages.duration_words(settle) if settle else ""
        )
    if sub in ("start", "new", "launch", "create"):
        return start(cmd, rest)
    if sub in ("standings", "standing", "status", "show", "board", "leaderboard"):
        return standings(cmd, rest)
    if sub in ("end", "stop", "finish", "close"):
        return end(cmd, rest)
    raise ParseError(f"{quoted(head)} isn't something `/contest` does. {HELP_HINT}")


def start(cmd: Command, rest: str) -> dict:
    actor = cmd.actor
    require_manager(actor, "start contests")
    process = actor.process
    members = members_today(cmd.session, actor.team_id, actor.today())
    if not rest:
        return open_form(cmd, process, members)
    parsed = parse_start(rest, process, cmd.now)
    entrants = tuple(dict.fromkeys(resolve_user(cmd, m) for m in parsed.mentions))
    groups = tuple(
        (name, tuple(dict.fromkeys(resolve_user(cmd, m) for m in people)))
        for name, people in parsed.groups
    )
    named = set(entrants) | {u for _, people in groups for u in people}
    roles = {m.role for m in members if m.user_id in named and m.role}
    kpi = process.kpi(settle_kpi(parsed, process, roles))
    name = parsed.name if parsed.name is not None else f"{kpi.name} {parsed.kind}"
    spec = ContestSpec(
        name=name,
        kind=parsed.kind,
        kpi=kpi.key,
        start_day=parsed.window[0],
        end_day=parsed.window[1],
        target=parsed.target,
        entrants=entrants,
        groups=groups,
        scoring=parsed.scoring,
        prize=parsed.prize or "",
    )
    team = actor.team
    contest, created = contest_flow.launch(
        cmd.services,
        cmd.session,
        team=team,
        process=process,
        spec=spec,
        by=cmd.user_id,
        now=cmd.now,
        source="command",
        start_key=f"cmd:{cmd.trigger_id or uuid.uuid4().hex}",
    )
    if created:
        cmd.follow_ups.append(contest_flow.announce_job(cmd.services, team.id, contest.id))
    cmd.outcome = "started" if created else "duplicate"
    return started_message(cmd.session, contest, process, team.channel_id, created)


def started_message(session, contest: Contest, process: Process, channel_id, created=True) -> dict:
    count = contest_queries.entrant_counts_by_contest(session, [contest.id]).get(contest.id, 0)
    kind = contest_messages.KIND_WORDS.get(contest.kind, contest.kind)
    target = f", target {contest.target}" if contest.target else ""
    settle = contest_messages.settle_label(contest, process)
    settles = f" (result settled at {settle})" if settle else ""
    where = (
        f"It will be announced in {messages.channel(channel_id)} in a moment."
        if channel_id
        else "The team has no channel yet, so it can't be announced: set one with "
        "`/pacer channel #sales` and the announcement follows."
    )
    again = (
        "" if created else "\n:repeat: This request reached Pacer twice; one contest was started."
    )
    text = (
        f":checkered_flag: Started *{messages.escape(contest.name)}*: a {kind} on "
        f"*{messages.escape(contest_messages.kpi_name(process, contest.kpi))}*{target}, "
        f"{contest_messages.window_label(contest)}, ending "
        f"{contest_messages.local_label(contest.ends_at, process)}{settles}; {count} taking part. "
        f"{where}{again}"
    )
    return messages.message(text.replace("*", ""), messages.section(text))


def open_form(cmd: Command, process: Process, members) -> dict:
    """`/contest start` alone: the form, opened now (a trigger_id expires in 3 seconds, so it
    cannot wait for a follow-up)."""
    if not cmd.trigger_id:
        raise Problem(
            f"Slack sent no trigger to open the form with. Use the quick form: {EXAMPLE}."
        )
    contest_views.open_contest_modal(
        cmd,
        process,
        members,
        instead=f"Use the quick form instead: {EXAMPLE} (`/contest help` shows every option).",
    )
    cmd.outcome = "modal"
    return {}


# -- list, standings, end ---------------------------------------------------------------------


def _names(cmd: Command, user_ids) -> dict[str, str]:
    ids = list(dict.fromkeys(user_ids))
    cached = known_profiles(cmd, *ids) if ids else {}
    return {u: cached[u].display_name if u in cached else u for u in ids}


def list_contests(cmd: Command) -> dict:
    team_id = cmd.actor.team_id
    rows = contests.recent_contests(cmd.session, team_id, cmd.now)[:20]
    counts = contest_queries.entrant_counts_by_contest(cmd.session, [c.id for c in rows])
    boards: dict[int, Standings] = {}
    for contest in rows:
        if contest.result is not None:
            boards[contest.id] = Standings.from_json(contest.result)
        elif cmd.now >= contest.starts_at:
            boards[contest.id] = contests.standings_at(cmd.session, contest, cmd.now)
    names = _names(cmd, [u for s in boards.values() for u in s.winners[:3]])
    leaders = {
        cid: contest_messages.leader_text(c, boards[cid], names)
        for c in rows
        if (cid := c.id) in boards
    }
    cmd.outcome = "list"
    return contest_messages.list_message(cmd.actor.process, rows, counts, leaders, cmd.now)


def _name_words(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in '"“' and text[-1] in '"”':
        text = text[1:-1]
    return unescape_name(text)


def pick(cmd: Command, text: str, *, purpose: str) -> Contest:
    """The contest a `/contest standings|end [name]` means. Without a name: the one running
    contest (or, for standings, the latest one); with several, the reply lists them."""
    team_id, now = cmd.actor.team_id, cmd.now
    name = _name_words(text)
    recent = contests.recent_contests(cmd.session, team_id, now)
    live = [c for c in recent if not contests.is_over(c, now)]
    if not name:
        if len(live) == 1:
            return live[0]
        if len(live) > 1:
            listed = ", ".join(f"“{messages.escape(c.name)}”" for c in live[:10])
            raise ParseError(
                f"{len(live)} contests are running: {listed}. Say which, e.g. "
                f"`/contest {purpose} {messages.escape(live[0].name.replace('`', ''))}`."
            )
        if purpose == "standings" and recent:
            return recent[0]
        raise Problem(
            "No contest is running. Start one with `/contest start` (a form) or "
            f"{EXAMPLE}; `/contest` lists recent ones."
        )
    pool = live + [c for c in recent if c not in live]
    pool += [c for c in contest_queries.team_contests(cmd.session, team_id) if c not in pool]
    if cmd.actor.is_admin:  # an admin may have launched another team's suggested contest
        for team in people_queries.teams(cmd.session):
            if team.workspace_id == cmd.actor.workspace_id and team.id != team_id:
                pool += contests.recent_contests(cmd.session, team.id, now)
    wanted = name.casefold()
    for test in (
        lambda c: c.name.casefold() == wanted,
        lambda c: c.name.casefold().startswith(wanted),
        lambda c: wanted in c.name.casefold(),
    ):
        found = [c for c in pool if test(c)]
        if found:
            distinct = list(dict.fromkeys(c.name for c in found))
            if len(distinct) > 1:
                listed = ", ".join(f"“{messages.escape(n)}”" for n in distinct[:10])
                raise ParseError(f"{quoted(name)} could be {listed}: type more of the name.")
            return found[0]
    close = difflib.get_close_matches(wanted, [c.name.casefold() for c in pool], n=3, cutoff=0.6)
    hint = ""
    if close:
        by_fold = {c.name.casefold(): c.name for c in pool}
        hint = (
            " Did you mean " + " or ".join(f"“{messages.escape(by_fold[n])}”" for n in close) + "?"
        )
    raise ParseError(f"No contest called {quoted(name)}.{hint} `/contest` lists them.")


def _team_of(cmd: Command, contest: Contest):
    """The contest's own team and process (an admin may look at another team's contest)."""
    if contest.team_id == cmd.actor.team_id:
        return cmd.actor.team, cmd.actor.process
    return people_queries.get_team(cmd.session, contest.team_id), team_process(
        cmd.session, contest.team_id
    )[0]


def standings(cmd: Command, text: str) -> dict:
    contest = pick(cmd, text, purpose="standings")
    _, process = _team_of(cmd, contest)
    if contest.starts_at > cmd.now:
        raise Problem(f"“{messages.escape(contest.name)}” hasn't started yet.")
    cmd.outcome = "standings"
    if contests.is_over(contest, cmd.now):
        result = contests.final_result(cmd.session, contest, cmd.now)
        changes = contests.changes_since_result(cmd.session, contest)
        people = [p.user_id for p in result.places[: contests.TOP]] + [ch.rep_id for ch in changes]
        names = _names(cmd, people + ([contest.ended_by] if contest.ended_by else []))
        return contest_messages.result_message(
            contest,
            process,
            result,
            names,
            entrants_of_group=contest_messages.groups_of(
                contest_queries.entrants(cmd.session, contest.id)
            ),
            ended_by=names.get(contest.ended_by) if contest.ended_by else None,
            changes=changes,
            viewer=cmd.user_id,
            response_type="ephemeral",
        )
    s = contests.standings_at(cmd.session, contest, cmd.now)
    names = _names(cmd, contest_messages.named_in(s))
    return contest_messages.standings_message(
        contest, process, s, names, viewer=cmd.user_id, response_type="ephemeral"
    )


def end(cmd: Command, text: str) -> dict:
    require_manager(cmd.actor, "end contests")
    contest = pick(cmd, text, purpose="end")
    team, process = _team_of(cmd, contest)
    if contests.is_over(contest, cmd.now):
        raise Problem(
            f"“{messages.escape(contest.name)}” already ended "
            f"{contest_messages.ended_label(contest, process)}. "
            f"`/contest standings {messages.escape(contest.name.replace('`', ''))}` shows the "
            "result."
        )
    result = contest_flow.end_now(cmd.session, contest, cmd.user_id, cmd.now)
    if result is None:
        raise Problem(f"“{messages.escape(contest.name)}” had already ended; nothing changed.")
    cmd.follow_ups.append(contest_flow.result_job(cmd.services, team.id, contest.id))
    cmd.outcome = "ended"
    names = _names(
        cmd, list(result.winners) + [p.user_id for p in result.places[:3]] + [cmd.user_id]
    )
    where = (
        f"The result is being posted in {messages.channel(team.channel_id)}:"
        if team.channel_id
        else "The team has no channel, so the result is only here "
        "(`/pacer channel #sales` sets one):"
    )
    reply = contest_messages.result_message(
        contest,
        process,
        result,
        names,
        entrants_of_group=contest_messages.groups_of(
            contest_queries.entrants(cmd.session, contest.id)
        ),
        ended_by=names.get(cmd.user_id),
        response_type="ephemeral",
    )
    intro = messages.section(f"Ended *{messages.escape(contest.name)}* now. {where}")
    return messages.message(reply["text"], intro + reply["blocks"])
