"""The quick form of `/contest start`: `race calls 3d "Call Blitz"`, `target meetings 1w 5 "Five
by Friday" prize "Lunch"`, `teams calls 1w "East vs West" @a @b vs @c @d`. Parsed into what was
typed (ParsedStart); every mistake is a ParseError saying what would work."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot import messages
from bot.parsing import (
    ISO_DATE,
    MAX_PHRASE,
    NUMBER,
    THOUSANDS,
    WEEKDAYS,
    Mention,
    ParseError,
    digit_count,
    parse_mention,
    quoted,
    shorter,
    too_many_digits,
    unknown_kpi,
)
from rituals import contests
from rituals.process import Process

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


def unescape_name(text: str) -> str:
    """Slack sends &, < and > in command text as entities; names are stored as typed. A name
    with a control character in it (a NUL byte, pasted from elsewhere) is refused: it would
    show differently from what was typed, and PostgreSQL can't store a NUL."""
    if messages.has_controls(text):
        shown = messages.without_controls(messages.unescape(text)).strip()
        raise ParseError(
            f"The name {quoted(shown)} has an invisible control character in it (pasted from "
            'elsewhere?). Type the name again, e.g. "Call Blitz".'
        )
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
        n = int(match.group(1)) if not too_many_digits(match.group(1)) else 0
        weeks = WEEKS.match(w) is not None
        limit = MAX_QUICK_WEEKS if weeks else MAX_QUICK_DAYS
        if not 1 <= n <= limit:
            raise ParseError(
                f"{quoted(shorter(word))}: a contest runs 1 to {limit} "
                f"{'weeks' if weeks else 'working days'}. How long: {HOW_LONG}."
            )
        if weeks:  # calendar weeks: a holiday in them doesn't stretch the contest
            return first, contests.after_weeks(cal, first, n)
        return first, contests.after_working_days(cal, first, n)
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
                parsed.name = unescape_name(token)
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
                parsed.prize = unescape_name(rest[0][1])
                i += 2
                continue
            prize_words = [t for _, t in rest]
            if not prize_words:
                raise ParseError(
                    'What\'s the prize? e.g. `/contest start race calls 3d "Call Blitz" prize '
                    '"Lunch on me"`.'
                )
            parsed.prize = unescape_name(" ".join(prize_words))
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
            parsed.groups[-1][0] = unescape_name(token[:-1])
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
            if too_many_digits(word):
                raise ParseError(
                    f"The target {quoted(shorter(token))} ({digit_count(word):,} digits) is far "
                    "too big: give a number people can reach, e.g. `/contest start target "
                    'meetings 1w 5 "Five by Friday"`.'
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
