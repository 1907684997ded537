"""/contest: list, start (the quick form, or the modal with no arguments), standings and end.

Only managers and admins start or end contests; anyone on the team lists them and sees the
standings (privately). Every mistake in the quick form gets its own reply saying what would
work, and a refused command stores nothing."""

import difflib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot import messages
from bot.contests import flow as contest_flow
from bot.contests import form as contest_views
from bot.contests import messages as contest_messages
from bot.context import Command
from bot.parsing import (
    ISO_DATE,
    MAX_PHRASE,
    NUMBER,
    THOUSANDS,
    WEEKDAYS,
    Mention,
    ParseError,
    parse_mention,
    quoted,
    unknown_kpi,
)
from bot.people import known_profiles, resolve_user
from bot.replies import Problem
from rituals import contests
from rituals.contests import ContestSpec, Standings
from rituals.process import Process
from rituals.teams import require_manager, team_process
from storage import contest_queries, people_queries
from storage.models import Contest

TOKEN = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')
DAYS = re.compile(r"^(\d+)(d|day|days|wd)$")
WEEKS = re.compile(r"^(\d+)(w|wk|wks|week|weeks)$")
KIND_WORDS = {
    "race": "race",
    "races": "race",
    "target": "target",
    "targets": "target",
    "goal": "target",
    "teams": "teams",
    "team": "teams",
    "team-vs-team": "teams",
    "vs": "teams",
    "versus": "teams",
}
UNTIL_WORDS = ("until", "till", "til", "through", "thru")
WEEK_WORDS = ("week", "this-week", "thisweek", "wk")
MAX_QUICK_DAYS = 60
MAX_QUICK_WEEKS = 12
EXAMPLE = '`/contest start race calls 3d "Call Blitz"`'
HOW_LONG = "`today`, `week` (the rest of this week), `3d` (working days), `1w`, `2w` or `until fri`"
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
        return messages.text_message("contest_help.md.j2")
    if sub in ("start", "new", "launch", "create"):
        return start(cmd, rest)
    if sub in ("standings", "standing", "status", "show", "board", "leaderboard"):
        return standings(cmd, rest)
    if sub in ("end", "stop", "finish", "close"):
        return end(cmd, rest)
    raise ParseError(f"{quoted(head)} isn't something `/contest` does. {HELP_HINT}")


# -- the quick form ---------------------------------------------------------------------------


@dataclass
class ParsedStart:
    kind: str
    kpi: str | None = None
    window: tuple[date, date] | None = None
    name: str | None = None
    target: int | None = None
    prize: str | None = None
    scoring: str = "sum"
    mentions: list[Mention] = field(default_factory=list)
    groups: list[list] = field(default_factory=list)  # [name or "", [Mention, ...]]
    # A word that means a different KPI per role ("meetings": scheduled by an SDR, held by an
    # AE): every meaning, settled by the roles of the people named, else asked about.
    kpi_choices: tuple[str, ...] = ()
    kpi_word: str = ""


def _unescape(text: str) -> str:
    """Slack sends &, < and > in command text as entities; names are stored as typed."""
    return messages.unescape(text).strip()


def _tokens(text: str) -> list[tuple[bool, str]]:
    """(is_quoted, text) in the order typed."""
    out = []
    for plain, smart, word in TOKEN.findall(text or ""):
        if word:
            out.append((False, word))
        else:
            out.append((True, plain or smart))
    return out


def _weekday(word: str) -> int | None:
    w = word.lower().rstrip(".,")
    for index, name in enumerate(WEEKDAYS):
        if w == name or w == name[:3] or (len(w) >= 4 and name.startswith(w)):
            return index
    return None


def is_window_word(word: str) -> bool:
    w = word.lower()
    return bool(
        w == "today" or w in WEEK_WORDS or w in UNTIL_WORDS or DAYS.match(w) or WEEKS.match(w)
    )


def window_for(process: Process, now: datetime, word: str, until: str | None = None):
    """The days of a quick-form window word (see HOW_LONG); ParseError if it isn't one."""
    cal = process.calendar
    today = cal.local_date(now)
    first = contests.start_day_for(process, now)
    w = word.lower()
    if w == "today":
        return today, today
    if w in WEEK_WORDS:
        sunday = today + timedelta(days=6 - today.weekday())
        last = sunday
        while last >= first and not cal.is_working_day(last):
            last -= timedelta(days=1)
        if last < first:
            raise ParseError(
                "This week's working days are over. Try `1w` (a week of working days from the "
                "next one) or `until fri`."
            )
        return first, last
    match = DAYS.match(w) or WEEKS.match(w)
    if match:
        n = int(match.group(1))
        weeks = WEEKS.match(w) is not None
        limit = MAX_QUICK_WEEKS if weeks else MAX_QUICK_DAYS
        if not 1 <= n <= limit:
            raise ParseError(
                f"{quoted(word)}: a contest runs 1 to {limit} "
                f"{'weeks' if weeks else 'working days'}. How long: {HOW_LONG}."
            )
        days = n * len(cal.working_days) if weeks else n
        return first, contests.after_working_days(cal, first, days)
    if w in UNTIL_WORDS:
        if not until:
            raise ParseError(
                f"Until when? e.g. `until fri` or `until 2026-12-04`. How long: {HOW_LONG}."
            )
        u = until.lower().rstrip(".,")
        if u == "tomorrow":
            return first, max(first, today + timedelta(days=1))
        if ISO_DATE.match(u):
            try:
                return first, date.fromisoformat(u)
            except ValueError:
                raise ParseError(
                    f"{quoted(until)} isn't a real date; dates look like 2026-12-04."
                ) from None
        index = _weekday(u)
        if index is None:
            raise ParseError(
                f"Until {quoted(until)}? Give a weekday (`until fri`) or a date "
                "(`until 2026-12-04`)."
            )
        return first, first + timedelta(days=(index - first.weekday()) % 7)
    raise ParseError(f"{quoted(word)} isn't a length. How long: {HOW_LONG}.")


def _match_kpi(words: list[str], start: int, process: Process):
    """(KPI keys the longest phrase at ``start`` can mean, words used, the phrase), or None."""
    for size in range(min(MAX_PHRASE, len(words) - start), 0, -1):
        phrase = " ".join(words[start : start + size]).lower().strip(",.;:")
        found = process.resolve_word(phrase, None)
        if found:
            return tuple(k.key for k in found), size, phrase
    return None


def settle_kpi(parsed: ParsedStart, process: Process, roles: set[str]) -> str:
    """The KPI an ambiguous word means for the people named (their roles' scorecards)."""
    if len(parsed.kpi_choices) <= 1:
        return parsed.kpi
    fits = [
        k
        for k in parsed.kpi_choices
        if any(process.has_role(r) and k in process.role(r).scorecard for r in roles)
    ]
    if len(fits) == 1:
        return fits[0]
    names = " or ".join(f"`{k}` ({process.kpi(k).name})" for k in parsed.kpi_choices)
    raise ParseError(
        f"{quoted(parsed.kpi_word)} could mean {names}; type the one you mean, e.g. "
        f"`/contest start {parsed.kind} {parsed.kpi_choices[0]} 1w`."
    )


def parse_start(text: str, process: Process, now: datetime) -> ParsedStart:
    """`race calls 3d "Call Blitz"`, `target meetings 1w 5 "Five by Friday" prize "Lunch"`,
    `teams calls 1w "East vs West" @a @b vs @c @d average`, with @mentions naming entrants."""
    if (text or "").count('"') % 2 or (text or "").count("“") != (text or "").count("”"):
        raise ParseError(
            'A quote is left open: put the name between two quotes, e.g. "Call Blitz".'
        )
    tokens = _tokens(text)
    if not tokens:
        raise ParseError(f"Start what? e.g. {EXAMPLE}, or `/contest start` alone for a form.")
    first_quoted, first = tokens[0]
    kind = None if first_quoted else KIND_WORDS.get(first.lower())
    if kind is None:
        if not first_quoted and _match_kpi([first], 0, process):
            raise ParseError(
                f"Say the kind first: `race` (the most wins), `target` (everyone who reaches N) "
                f'or `teams`, e.g. `/contest start race {messages.escape(first)} 3d "Blitz"`.'
            )
        raise ParseError(
            f"{quoted(first)} isn't a kind of contest: use `race` (the most wins), `target` "
            f"(everyone who reaches N) or `teams` (groups of reps), e.g. {EXAMPLE}."
        )
    parsed = ParsedStart(kind=kind)
    if kind == "teams":
        parsed.groups.append(["", []])
    words = [("\x00" if is_q else w) for is_q, w in tokens]  # a quoted part never matches a KPI
    i = 1
    while i < len(tokens):
        is_quoted, token = tokens[i]
        word = token.lower().rstrip(",;")
        if is_quoted:
            if parsed.name is None:
                parsed.name = _unescape(token)
            else:
                raise ParseError(
                    f"Two quoted names ({quoted(parsed.name)} and {quoted(token)})? Quote the name "
                    'once, and put the prize after `prize`: `prize "Lunch"`.'
                )
            i += 1
            continue
        if word in ("prize", "prize:", "reward"):
            if parsed.prize is not None:
                raise ParseError(
                    'One prize per contest, please, e.g. `/contest start race calls 3d "Call Blitz" '
                    'prize "Lunch on me"`.'
                )
            rest = tokens[i + 1 :]
            if rest and rest[0][0]:
                parsed.prize = _unescape(rest[0][1])
                i += 2
                continue
            prize_words = [t for _, t in rest]
            if not prize_words:
                raise ParseError(
                    'What\'s the prize? e.g. `/contest start race calls 3d "Call Blitz" prize '
                    '"Lunch on me"`.'
                )
            parsed.prize = _unescape(" ".join(prize_words))
            break
        mention = parse_mention(token)
        if mention is not None:
            if kind == "teams":
                parsed.groups[-1][1].append(mention)
            else:
                parsed.mentions.append(mention)
            i += 1
            continue
        if word in ("vs", "vs.", "versus", "v"):
            if kind != "teams":
                raise ParseError(
                    "`vs` splits groups in a team contest: "
                    '`/contest start teams calls 1w "East vs West" @a @b vs @c @d`.'
                )
            parsed.groups.append(["", []])
            i += 1
            continue
        if kind == "teams" and token.endswith(":") and len(token) > 1:
            if parsed.groups[-1][1]:  # "East: @a @b West: @c @d" without vs
                parsed.groups.append(["", []])
            parsed.groups[-1][0] = _unescape(token[:-1])
            i += 1
            continue
        if word in ("average", "avg", "averaged", "per-rep", "mean"):
            if kind != "teams":
                raise ParseError(
                    "`average` scores team contests per rep; a race or a target counts each "
                    "person's own total already."
                )
            parsed.scoring = "average"
            i += 1
            continue
        if word in ("sum", "total", "summed"):
            parsed.scoring = "sum"
            i += 1
            continue
        if word in ("target", "goal", "of", "reach", "for", "on", "by"):
            i += 1  # filler: "target 5", "calls for 3d"
            continue
        until = tokens[i + 1][1] if i + 1 < len(tokens) and not tokens[i + 1][0] else None
        if is_window_word(word):
            window = window_for(process, now, word, until)
            if parsed.window is not None:
                raise ParseError(f"Two windows? Say how long once: {HOW_LONG}.")
            parsed.window = window
            i += 2 if word in UNTIL_WORDS else 1
            continue
        if THOUSANDS.match(word):  # 1,000
            word = word.replace(",", "")
        if NUMBER.match(word):
            if kind == "race":
                raise ParseError(
                    f"A race has no target ({quoted(token)}): the most wins. For everyone who "
                    'reaches a number, use `/contest start target meetings 1w 5 "Five by Friday"`.'
                )
            if "." in word or "," in word or int(word) < 1:
                raise ParseError(
                    f"The target {quoted(token)} must be a whole number of 1 or more, e.g. "
                    '`/contest start target meetings 1w 5 "Five by Friday"`.'
                )
            if parsed.target is not None:
                raise ParseError(
                    f"Two targets ({parsed.target} and {messages.escape(token)})? Give one, e.g. "
                    '`/contest start target meetings 1w 5 "Five by Friday"`.'
                )
            parsed.target = int(word)
            i += 1
            continue
        matched = _match_kpi(words, i, process)
        if matched is not None:
            keys, used, phrase = matched
            if parsed.kpi is not None and parsed.kpi not in keys:
                raise ParseError(
                    f"One KPI per contest: you named `{parsed.kpi}` and {quoted(phrase)}. Run one "
                    "contest per KPI."
                )
            if parsed.kpi is None:
                parsed.kpi = keys[0]
                parsed.kpi_choices = keys
                parsed.kpi_word = phrase
            i += used
            continue
        if parsed.kpi is None:
            raise unknown_kpi(token, process, None, '/contest start race {kpi} 3d "Call Blitz"')
        raise ParseError(
            f'I don\'t understand {quoted(token)} here. Put the name in quotes ("Call Blitz"); '
            f"how long is {HOW_LONG}. e.g. {EXAMPLE}."
        )
    if parsed.kpi is None:
        kpis = ", ".join(f"`{k.key}`" for k in process.kpis)
        raise ParseError(f"Which KPI? e.g. {EXAMPLE}. KPIs: {kpis}.")
    if parsed.window is None:
        raise ParseError(f"How long? Add {HOW_LONG}, e.g. `/contest start {kind} {parsed.kpi} 3d`.")
    if kind == "teams":
        parsed.groups = [g for g in parsed.groups if g[0] or g[1]]
    return parsed


def start(cmd: Command, rest: str) -> dict:
    actor = cmd.actor
    require_manager(actor, "start contests")
    process = actor.process
    members = people_queries.active_members(cmd.session, actor.team_id)
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
        f"{contest_messages.local_label(contest.ends_at, process)}; {count} taking part. "
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
    try:
        contest_views.open_contest_modal(cmd.services, cmd.trigger_id, process, members)
    except SlackApiError as error:
        reason = error.response.get("error", "an error")
        raise Problem(
            f"Slack didn't open the contest form ({messages.escape(reason)}). Use the quick form "
            f"instead: {EXAMPLE} (`/contest help` shows every option)."
        ) from None
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
    return _unescape(text)


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
            f"{contest_messages.local_label(contests.closes_at(contest), process)}. "
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
