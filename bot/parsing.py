"""Turning what people type into requests. Pure functions: every input gives a result or a
ParseError whose message says what was wrong and what would work; never another exception."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.messages import escape, unescape
from rituals.process import Process
from rituals.scorecard import PERIOD_WORDS

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$")
PLAIN_MENTION = re.compile(r"^@([\w.\-]{1,80})$")
CHANNEL = re.compile(r"^<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")
NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
DATE_LIKE = re.compile(r"^\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?$")  # 11/18, 18.11.2026
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOKEN = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# More digits than any count, goal or target can have: refused before Python's int() (which
# refuses over 4,300 digits with an error no person should see) or the database sees it.
MAX_DIGITS = 12
MAX_PHRASE = 3  # the longest multi-word KPI alias we try ("roi discussions held")


def quoted(word: str) -> str:
    """A word the person typed, quoted back as code and escaped: nothing typed can ping anyone."""
    return "`" + escape(word.replace("`", "'")) + "`"


class ParseError(ValueError):
    """What was wrong with the command, and what would work."""


@dataclass(frozen=True)
class Mention:
    user_id: str | None  # None for a plain @name that still has to be looked up
    name: str | None = None


@dataclass
class ParsedLog:
    items: list[tuple[str, int]]  # (KPI key, count), in the order typed
    when: date | None = None
    note: str = ""


@dataclass
class ParsedScorecard:
    target: Mention | None = None
    period_kind: str = "week"
    offset: int = 0
    kpi: str | None = None
    why: bool = False  # how the goals are computed, not the numbers


@dataclass
class Tokens:
    words: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)


def tokenize(text: str) -> Tokens:
    """Words, with quoted parts ("Acme Corp") kept aside as note text."""
    tokens = Tokens()
    for quoted, smart, word in TOKEN.findall(text or ""):
        if word:
            tokens.words.append(word)
        else:
            tokens.quoted.append(quoted or smart)
    return tokens


def parse_mention(word: str) -> Mention | None:
    match = MENTION.match(word)
    if match:
        return Mention(match.group(1), match.group(2) or None)
    match = PLAIN_MENTION.match(word)
    if match:
        return Mention(None, match.group(1))
    return None


def parse_channel(word: str) -> str | None:
    match = CHANNEL.match(word)
    if match:
        return match.group(1)
    return word if CHANNEL_ID.match(word) else None


def split_target(text: str) -> tuple[Mention | None, str]:
    """`/log @sam sao 1` → (Mention(sam), "sao 1"). Only a mention that comes first credits
    someone; one later in the text belongs to the note ("met @alex")."""
    words = (text or "").split()
    if words and (mention := parse_mention(words[0])):
        return mention, " ".join(words[1:])
    return None, (text or "").strip()


def parse_date(word: str, today: date, ahead: bool = False) -> date | None:
    """today, yesterday, a weekday (the most recent one, today included; with ``ahead``, the
    coming one, as for days away), or YYYY-MM-DD."""
    w = word.lower().rstrip(",.")
    if w == "today":
        return today
    if w == "yesterday":
        return today - timedelta(days=1)
    if w == "tomorrow":  # refused as a future date, rather than taken for a note
        return today + timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        # "monday", "mon", and prefixes of four letters or more ("tues", "thurs")
        if w == name or w == name[:3] or (len(w) >= 4 and name.startswith(w)):
            if ahead:
                return today + timedelta(days=(index - today.weekday()) % 7)
            return today - timedelta(days=(today.weekday() - index) % 7)
    if ISO_DATE.match(w):
        try:
            return date.fromisoformat(w)
        except ValueError:
            raise ParseError(
                f"{quoted(word)} isn't a real date. Dates look like 2026-11-20, `yesterday` or "
                "`monday`, e.g. `/log call 12 yesterday`."
            ) from None
    return None


def digit_count(word: str) -> int:
    return sum(c.isdigit() for c in word)


def too_many_digits(word: str) -> bool:
    return digit_count(word) > MAX_DIGITS


def shorter(word: str, limit: int = 16) -> str:
    """A long word quoted back by its start: ``99999999…``."""
    return word if len(word) <= limit else word[: limit - 1] + "…"


def parse_count(word: str) -> int:
    if THOUSANDS.match(word):  # 1,000
        word = word.replace(",", "")
    if not NUMBER.match(word):
        raise ParseError(f"{quoted(word)} isn't a number.")
    if "." in word or "," in word:
        raise ParseError(f"{quoted(word)}: counts are whole numbers, e.g. `/log call 12`.")
    if too_many_digits(word):
        raise ParseError(
            f"{quoted(shorter(word))} ({digit_count(word):,} digits) is far too big for a count. "
            "Type how many you did, e.g. `/log call 12`."
        )
    value = int(word)
    if value == 0:
        raise ParseError("A count of 0 logs nothing. Log what you did, e.g. `/log call 12`.")
    if value < 0:
        raise ParseError(
            f"{value} is negative. To take back a log, use `/log undo`; then log the right number."
        )
    return value


def match_kpi(
    words: list[str], start: int, process: Process, role: str | None
) -> tuple[str, int] | None:
    """The KPI named by the longest phrase at ``start``; returns (key, words used)."""
    for size in range(min(MAX_PHRASE, len(words) - start), 0, -1):
        phrase = " ".join(words[start : start + size]).lower().strip(",.;:")
        found = process.resolve_word(phrase, role)
        if len(found) == 1:
            return found[0].key, size
        if len(found) > 1:
            names = " or ".join(f"`{k.key}` ({k.name})" for k in found)
            raise ParseError(f"{quoted(phrase)} could mean {names}; type the one you mean.")
    return None


def unknown_kpi(
    word: str, process: Process, role: str | None, command: str | None = None
) -> ParseError:
    """``command``: what would work, with ``{kpi}`` for the likeliest KPI word, e.g.
    ``"/log {kpi} 12"``."""
    suggestions = process.suggest(word.lower(), role)
    hint = f" Did you mean {' or '.join(f'`{s}`' for s in suggestions)}?" if suggestions else ""
    if role and process.has_role(role):
        own = ", ".join(f"`{k}`" for k in process.role(role).scorecard)
        mine = f" Your KPIs: {own}."
    else:
        mine = f" KPIs: {', '.join(f'`{k.key}`' for k in process.kpis)}."
    example = ""
    if command:
        first = suggestions[0] if suggestions else None
        if first is None:
            first = (
                process.role(role).scorecard[0] if process.has_role(role) else process.kpis[0].key
            )
        example = f" e.g. `{command.format(kpi=first)}`."
    return ParseError(f"I don't know the KPI {quoted(word)}.{hint}{mine}{example}")


def parse_log(text: str, process: Process, role: str | None, today: date) -> ParsedLog:
    """The body of /log after any @mention: `call 12`, `12 calls conversations 3`,
    `call 12 yesterday`, `meeting 1 Acme Corp`, `call 3 "Acme Corp"`."""
    tokens = tokenize(text)
    words = tokens.words
    result = ParsedLog(items=[])
    pending_kpi: str | None = None
    pending_count: int | None = None
    note_words: list[str] = []
    i = 0
    while i < len(words):
        word = words[i].rstrip(",;")  # "call 12, conversations 3"
        if NUMBER.match(word):
            count = parse_count(word)
            if pending_kpi is not None:
                _add(result, pending_kpi, count, process)
                pending_kpi = None
            elif pending_count is not None:
                raise ParseError(
                    f"Two numbers in a row ({pending_count} {count}): which KPI is each for? e.g. `/log call 12`."
                )
            else:
                pending_count = count
            i += 1
            continue
        when = parse_date(word, today)
        if when is None and word.lower() in ("on", "last") and i + 1 < len(words):
            when = parse_date(words[i + 1], today)  # "on tuesday", "last friday"
            if when is not None:
                if word.lower() == "last" and when == today:
                    when -= timedelta(days=7)
                i += 1
        if when is None and DATE_LIKE.match(word):
            raise ParseError(
                f"{quoted(word)} looks like a date; Pacer reads dates as 2026-11-20, `yesterday` or a "
                "weekday (`monday`, `last friday`), e.g. `/log call 12 2026-11-20`."
            )
        if when is not None:
            if result.when is not None:
                raise ParseError("Two dates in one log: give one, e.g. `/log call 12 yesterday`.")
            result.when = when
            i += 1
            continue
        matched = match_kpi(words, i, process, role)
        if matched is not None:
            key, used = matched
            if pending_count is not None:
                _add(result, key, pending_count, process)
                pending_count = None
            elif pending_kpi is not None:
                raise ParseError(
                    f"How many {_name(process, pending_kpi)}? Put a number after each KPI, e.g. `/log {pending_kpi} 12 {key} 3`."
                )
            else:
                pending_kpi = key
            i += used
            continue
        # An unknown word: a mistyped KPI, or the start of a note after a complete log.
        if pending_kpi is not None and not process.suggest(word.lower(), role, n=1, cutoff=0.8):
            raise ParseError(
                f"How many {_name(process, pending_kpi)}? {quoted(word)} isn't a number: write it in digits, "
                f"e.g. `/log {pending_kpi} 12`."
            )
        next_is_number = i + 1 < len(words) and NUMBER.match(words[i + 1])
        if (
            not result.items
            or pending_kpi
            or pending_count
            or next_is_number
            or process.suggest(word.lower(), role, n=1, cutoff=0.8)
        ):
            raise unknown_kpi(word, process, role, "/log {kpi} 12")
        note_words = words[i:]
        # "/log meeting 1 Acme Corp yesterday": a date at the very end still dates the log.
        if result.when is None and len(note_words) > 1:
            trailing = parse_date(note_words[-1], today)
            if trailing is not None:
                result.when, note_words = trailing, note_words[:-1]
        check_note(note_words, process, role)
        break
    if pending_kpi is not None:
        raise ParseError(f"How many {_name(process, pending_kpi)}? e.g. `/log {pending_kpi} 12`.")
    if pending_count is not None:
        raise ParseError(
            f"{pending_count} of what? Name the KPI, e.g. `/log {pending_count} calls`."
        )
    if not result.items:
        raise ParseError("Nothing to log: name a KPI and a count, e.g. `/log call 12`.")
    result.note = unescape(" ".join(note_words + tokens.quoted)).strip()[:500]
    return result


def check_note(note_words: list[str], process: Process, role: str | None) -> None:
    """A note must not swallow what the person meant to count or date: `/log calls 12 and
    conversations 3` would otherwise store the calls alone."""
    for j, word in enumerate(note_words):
        if DATE_LIKE.match(word):
            raise ParseError(
                f"{quoted(word)} looks like a date; Pacer reads dates as 2026-11-20, `yesterday` or a "
                "weekday. Put the date right after the counts, e.g. `/log call 12 yesterday Acme`."
            )
        try:
            matched = match_kpi(note_words, j, process, role)
        except ParseError:
            continue
        if matched is None:
            continue
        around = note_words[max(0, j - 1) : j] + note_words[j + matched[1] : j + matched[1] + 1]
        if any(NUMBER.match(w.rstrip(",;")) for w in around):
            raise ParseError(
                f"The note {quoted(' '.join(note_words))} holds another count, which would not be counted. "
                'Put every count first and the note last or in quotes, e.g. `/log calls 12 conversations 3 "Acme"`.'
            )


def _add(result: ParsedLog, key: str, count: int, process: Process) -> None:
    if any(k == key for k, _ in result.items):
        total = count + sum(c for k, c in result.items if k == key)
        raise ParseError(
            f"{_name(process, key)} appears twice; log it once with the total, "
            f"e.g. `/log {key} {total}`."
        )
    result.items.append((key, count))


def _name(process: Process, key: str) -> str:
    return process.kpi(key).name


def parse_scorecard(text: str, process: Process, role: str | None) -> ParsedScorecard:
    """`/scorecard`, `/scorecard @rep`, `/scorecard @rep month`, `/scorecard calls last-week`."""
    result = ParsedScorecard()
    words = (text or "").split()
    i = 0
    while i < len(words):
        word = words[i]
        mention = parse_mention(word)
        if mention is not None:
            if result.target is not None:
                raise ParseError("One person at a time, e.g. `/scorecard @sam`.")
            result.target = mention
            i += 1
            continue
        period = PERIOD_WORDS.get(word.lower())
        if (
            period is None
            and i + 1 < len(words)
            and f"{word}-{words[i + 1]}".lower() in PERIOD_WORDS
        ):
            period, i = PERIOD_WORDS[f"{word}-{words[i + 1]}".lower()], i + 1
        if period is not None:
            result.period_kind, result.offset = period
            i += 1
            continue
        if word.lower() in ("why", "how"):
            result.why = True
            i += 1
            continue
        matched = match_kpi(words, i, process, role)
        if matched is not None and result.kpi is None:
            result.kpi, used = matched
            i += used
            continue
        raise ParseError(
            f"I don't understand {quoted(word)} here. Try `/scorecard`, `/scorecard @rep`, "
            "`/scorecard @rep month` (day, week, month, yesterday, last-week, last-month), "
            "`/scorecard calls` to see the logs behind a number or `/scorecard calls why` to see "
            "how its goal is computed."
        )
    return result
