"""The team's activity: which days are played, and each rep's logs for a day, typed in varied
words at realistic times, around their goals and their form."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from rituals.process import default_process
from simulator.demo.cast import AES, REPS, Person
from simulator.demo.player import Demo

SEED = 2026
COMPANIES = ["Acme Corp", "Globex", "Initech", "Hooli", "Umbrella Health", "Stark Logistics"]
LOG_SLOTS = {"10:30": 1.5 / 8, "13:00": 4 / 8, "16:45": 1.0}  # share of the day's work done by then
# The default process's goals per working day (8/week = 1.6/day, 4/month ≈ 0.2/day).
DAILY = {
    "sdr": {"calls": 60, "conversations": 12, "meetings_scheduled": 1.6},
    "ae": {"meetings_held": 3, "roi_discussions": 1.6, "proposals": 1.0, "deals": 0.2},
}
# Words reps type for each KPI: the parser must understand every one of them.
WORDS = {
    "calls": ["calls", "dials", "call", "emails"],
    "conversations": ["conversations", "convos", "conv", "talks"],
    "meetings_scheduled": ["meetings", "sets", "meeting"],
    "meetings_held": ["held", "meetings", "meeting"],
    "roi_discussions": ["roi", "rois", "roi discussions"],
    "proposals": ["proposals", "props", "proposal"],
    "deals": ["deals", "wins", "deal"],
}
NOTED = {"meetings_scheduled": "meeting", "deals": "deal"}  # logged one by one, with the company


def working_days(today: date, weeks: int) -> list[date]:
    """The days played: the working days (by the default process's calendar: Mon–Fri without
    US public holidays) of the ``weeks`` weeks up to ``today``, today included when it is one."""
    calendar = default_process().calendar
    first = today - timedelta(days=7 * weeks - 1)
    days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
    return [day for day in days if calendar.is_working_day(day)]


def contest_week(days: list[date]) -> date | None:
    """The Monday of the contest week: the last week before the final day's week whose Monday and
    Tuesday (the slump, the lag check and the launch) and at least two more weekdays are played
    (a holiday later in the week stays in the story: the contest skips it), if there is one."""
    last = days[-1]
    monday = last - timedelta(days=last.weekday() + 7)
    played = set(days)
    while monday >= days[0]:
        week = [monday + timedelta(days=i) for i in range(5)]
        if week[0] in played and week[1] in played and len(played.intersection(week)) >= 4:
            return monday
        monday -= timedelta(days=7)
    return None


def draw(rng: random.Random, rate: float) -> int:
    """A day's count around `rate`, with day-to-day noise, rounded at random (1.6 → 1 or 2)."""
    x = rate * rng.uniform(0.75, 1.25)
    return int(x) + (rng.random() < x - int(x))


def phrase(rng: random.Random, counts: dict[str, int]) -> str:
    """One multi-KPI log in a varied form: `calls 24 conversations 5`, `18 dials 4 convos`."""
    number_first = rng.random() < 0.4
    parts = []
    for kpi, n in counts.items():
        words = WORDS[kpi]
        if number_first and n > 1:  # "46 calls", never "46 call"
            words = [w for w in words if w.endswith(("s", "held"))]
        word = rng.choice(words)
        parts.append(f"{n} {word}" if number_first else f"{word} {n}")
    return " ".join(parts)


def day_label(day: date, today: date) -> str:
    """How a rep names a past day: `yesterday`, `friday` or an ISO date."""
    if (today - day).days == 1:
        return "yesterday"
    return f"{day:%A}".lower() if (today - day).days < 7 else day.isoformat()


@dataclass(frozen=True)
class DayPlan:
    """How a day differs from the team's usual form (the contest week)."""

    sdr_calls: float = 1.0  # the SDRs' calls, relative to their usual form
    log_all: bool = False  # the SDRs log their whole day that day (a contest is on)


USUAL = DayPlan()


def play_day(
    demo: Demo,
    rng,
    day,
    pending,
    credits,
    stop_at,
    plan: DayPlan = USUAL,
    reps: tuple[Person, ...] = REPS,
) -> None:
    """Every rep's logs for one day (``reps``: those at work that day), in time order: a morning
    catch-up of what they didn't log on their last day, then 1–3 logs at realistic times; AEs
    credit yesterday's accepted leads. Moments on the demo's agenda for the day (the lag check, a
    contest's posts) run at their time."""
    events: list[tuple[str, int, Person, str]] = []
    accepted, credits[:] = credits[:], []  # leads scheduled before today, accepted today
    if stop_at > "11:15":
        for sdr, company in accepted:
            ae = rng.choice(AES)
            events.append(("11:15", len(events), ae, f"<@{sdr.user_id}> sao 1 {company}"))
    for rep in reps:
        for worked, kpi_counts in pending.pop(rep.user_id, []):
            events.append(
                ("09:40", len(events), rep, f"{phrase(rng, kpi_counts)} {day_label(worked, day)}")
            )
        factor = dict(rep.skew)
        if rep.role == "sdr":
            factor["calls"] = factor.get("calls", 1.0) * plan.sdr_calls
        totals = {
            k: draw(rng, rate * rep.form * factor.get(k, 1.0))
            for k, rate in DAILY[rep.role].items()
        }
        slots = sorted(rng.sample(list(LOG_SLOTS), rng.choice([1, 2, 2, 3, 3])))
        if plan.log_all and rep.role == "sdr" and "16:45" not in slots:
            slots.append("16:45")  # nothing left for tomorrow morning while a contest counts
        slots = [s for s in slots if s < stop_at]
        done = dict.fromkeys(totals, 0)
        for slot in slots:
            share = LOG_SLOTS[slot]
            now = {k: round(t * share) for k, t in totals.items()}
            batch = {k: now[k] - done[k] for k in totals if now[k] > done[k]}
            done.update(now)
            for kpi in [k for k in batch if k in NOTED]:
                for _ in range(batch.pop(kpi)):
                    company = rng.choice(COMPANIES)
                    events.append((slot, len(events), rep, f"{NOTED[kpi]} 1 {company}"))
                    if kpi == "meetings_scheduled" and rng.random() < 0.18:
                        credits.append((rep, company))  # an AE accepts it tomorrow
            if batch:
                events.append((slot, len(events), rep, phrase(rng, batch)))
        rest = {k: totals[k] - done[k] for k in totals if totals[k] > done[k]}
        if rest and stop_at > "16:45":  # forgot to log the afternoon: logged tomorrow morning
            pending.setdefault(rep.user_id, []).append((day, rest))
    for slot, _, rep, text in sorted(events, key=lambda e: (e[0], e[1])):
        demo.run_moments(day, before=slot)
        demo.clock.set(day, slot)
        demo.log(rep, text)
    demo.run_moments(day, before=stop_at)
