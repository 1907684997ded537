"""The team's scorecard as a Slack message (`/scorecard team`): per role, the team's total for
each KPI against the sum of its reps' goals with pace and projection, then one compact line per
rep, best overall score first, reps without a goal (away, not started, left) last.

A team of any size stays inside Slack's limits (DESIGN.md §5: 50 blocks, 3,000 characters a
section, about 12,000 a message): the totals always show; when the reps' lines don't all fit,
the top and the bottom of each role's ranking show (who leads, and who needs help) with the
number of reps left out between them and the commands that show them."""

import math

from bot import messages
from rituals import dates
from rituals.ranking import Ranked
from rituals.team_scorecard import RoleGroup, TeamScorecard

ABSENT = {"away": "away", "not_started": "not started yet", "left": "left the team"}
NAME_LIMIT = 40
# Characters kept free of reps' lines for the elision notes and the buttons a caller adds.
_RESERVE = 600


def elapsed_text(card: TeamScorecard) -> str:
    if card.is_past:
        return "period complete"
    if not card.working:
        return "a day off: no goals, and anything logged still counts"
    return (
        f"{math.floor(card.elapsed * 100)}% of the {card.period.kind}'s working time elapsed "
        f"at {dates.short_time(card.now)} {card.timezone}"
    )


def total_line(line, kpi_name: str, period) -> str:
    """One KPI's team total, as a rep's scorecard shows a KPI, on one line."""
    p = line.pacing
    head = f"{messages.status_emoji(p)} *{messages.escape(kpi_name)}* "
    if not p.goal:
        return head + f"{messages.number(p.actual)} · no goal for this period"
    text = (
        f"{head}{messages.scale_word(p, period)}{messages.number(p.actual)} of "
        f"{messages.figure(p.goal, p.decimals)} ({messages.percent(p.attainment)}) · "
        f"{messages.pace_text(p)}"
    )
    if not p.final and not p.early:
        text += f" · projected {messages.figure(p.projection, p.decimals)}"
    if p.status not in ("early", "not_started"):
        text += f" — *{messages.status_word(p)}*"
    return text


def shown_name(rep_id: str, names: dict[str, str]) -> str:
    """The rep's display name (escaped, cut to 40 characters), else a mention: Slack shows the
    name of a mention, and a private message pings nobody."""
    name = names.get(rep_id)
    if not name:
        return messages.mention(rep_id)
    return messages.escape(name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…")


def rep_line(
    row: Ranked, shown: str, words: dict[str, str], period, no_goal: str = "no goal for this period"
) -> str:
    """ "1. Maria Lopez — *87%* · calls 120 of 240 (50%) · sao month 2 of 6 (33%)": the rep's
    overall score, then each KPI's actual of goal (attainment); a rep without a goal says why
    and shows only what they logged. ``shown``: the name, ready for mrkdwn (shown_name)."""
    result = row.result
    if row.ranked:
        head = f"{row.rank}. {shown} — *{messages.percent(row.value)}*"
    else:
        head = f"• {shown} — {ABSENT.get(result.absent or '', no_goal)}"
    parts = [head]
    for kpi, p in result.lines.items():
        word = messages.escape(words.get(kpi, kpi))
        if p.goal:
            parts.append(
                f"{word} {messages.scale_word(p, period)}{messages.number(p.actual)} of "
                f"{messages.figure(p.goal, p.decimals)} ({messages.percent(p.attainment)})"
            )
        elif p.actual or row.ranked:
            parts.append(f"{word} {messages.number(p.actual)}")
    return " · ".join(parts)


def _group_head(group: RoleGroup, kpi_names: dict[str, str], period) -> str:
    reps = len(group.rows)
    lines = [f"*{messages.escape(group.role.name)}* · {reps} rep{'s' if reps != 1 else ''}"]
    lines += [total_line(line, kpi_names[line.kpi], period) for line in group.lines]
    return "\n".join(lines)


def _fit(rows: list[str], budget: int) -> list[str]:
    """All the lines if they fit in ``budget`` characters; else the top and the bottom of the
    ranking, as many as fit, with a note of how many are left out between them."""
    if sum(len(r) + 1 for r in rows) <= budget:
        return rows
    head: list[str] = []
    tail: list[str] = []
    used, top, bottom = 120, 0, len(rows) - 1  # 120: the note about the ones left out
    while top <= bottom:
        take_top = len(head) <= len(tail)
        line = rows[top] if take_top else rows[bottom]
        if used + len(line) + 1 > budget:
            break
        used += len(line) + 1
        if take_top:
            head.append(line)
            top += 1
        else:
            tail.insert(0, line)
            bottom -= 1
    left_out = bottom - top + 1
    note = (
        f"_…{left_out} more rep{'s' if left_out != 1 else ''} in between not shown: "
        "`/leaderboard` ranks everyone, `/scorecard @rep` shows one._"
    )
    return head + [note] + tail


def team_message(
    card: TeamScorecard,
    team_name: str,
    kpi_names: dict[str, str],
    words: dict[str, dict[str, str]],
    names: dict[str, str],
) -> dict:
    """The message: ``kpi_names`` KPI key → name, ``words`` role → KPI → the short word a rep
    types (bot.examples.log_words), ``names`` rep ID → display name (a mention without one)."""
    reps = card.reps
    top = (
        f"*Team scorecard* · {messages.escape(team_name)} · {reps} rep{'s' if reps != 1 else ''}\n"
        f"*{card.period.kind.title()}:* {card.period.label()} · {elapsed_text(card)}"
    )
    footer = (
        "Team totals add up every rep's number and goal; each rep's score is their overall "
        "attainment (each KPI capped), ranked as `/leaderboard` ranks. "
        "`/scorecard @rep` shows one rep."
    )
    fallback = f"Team scorecard · {team_name} · {card.period.label()}: " + "; ".join(
        f"{kpi_names[line.kpi]} {messages.scale_word(line.pacing, card.period)}"
        f"{messages.number(line.pacing.actual)}/"
        f"{messages.figure(line.pacing.goal, line.pacing.decimals)} "
        f"{messages.status_word(line.pacing)}"
        for group in card.groups
        for line in group.lines
    )
    if not card.groups:
        body = messages.section(
            top + "\n\nThe team has no reps yet. Add them with `/pacer team add @rep ROLE`."
        )
        return messages.message(fallback, body)
    heads = [_group_head(group, kpi_names, card.period) for group in card.groups]
    no_goal = "no goal for this period" if card.working else "a day off"
    rows = [
        [
            rep_line(
                row,
                shown_name(row.rep_id, names),
                words.get(group.role.key, {}),
                card.period,
                no_goal,
            )
            for row in group.rows
        ]
        for group in card.groups
    ]
    fixed = len(fallback[: messages.TEXT_LIMIT]) + len(top) + len(footer) + sum(map(len, heads))
    allowance = messages.MESSAGE_BUDGET - fixed - _RESERVE
    remaining = sum(len(group.rows) for group in card.groups)
    blocks = messages.section(top)
    for group, head, lines in zip(card.groups, heads, rows, strict=True):
        budget = max(0, allowance * len(group.rows) // max(remaining, 1))
        kept = _fit(lines, budget)
        allowance -= sum(len(line) + 1 for line in kept)
        remaining -= len(group.rows)
        blocks.append(messages.divider())
        blocks += messages.section(head + "\n\n" + "\n".join(kept))
    blocks.append(messages.context(footer))
    return messages.message(fallback, blocks)
