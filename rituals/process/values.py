"""Reading the values people write: weekdays and day ranges, times of day, shares ("80%")."""

from __future__ import annotations

import math
import re
from datetime import time

from rituals.pacing import WEEKDAY_NAMES, parse_hhmm

FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day_index(word: str) -> int | None:
    """Monday=0 for "mon", "monday" or "mond" (lowercase); None for anything else."""
    for i, (short, full) in enumerate(zip(WEEKDAY_NAMES, FULL_DAY_NAMES, strict=True)):
        if word in (short, full) or (len(word) >= 3 and full.startswith(word)):
            return i
    return None


def parse_day_range(item: object) -> set[int] | None:
    """The weekdays of "mon-fri" (wrapping round: "sun-thu") or of one day; None otherwise."""
    if not isinstance(item, str):
        return None
    text = item.strip().lower()
    if re.fullmatch(r"[a-z]+\s*[-–]\s*[a-z]+", text):
        first, last = (day_index(p) for p in re.split(r"\s*[-–]\s*", text))
        if first is None or last is None:
            return None
        days = {first}
        d = first
        while d != last:
            d = (d + 1) % 7
            days.add(d)
        return days
    index = day_index(text)
    return None if index is None else {index}


def parse_share(raw: object) -> float | None:
    """0.8 for "80%", "0.8" or 0.8; None when it is not a finite number."""
    if isinstance(raw, str):
        text = raw.strip()
        try:
            number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            return None
    elif isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    else:
        try:
            number = float(raw)
        except OverflowError:
            return None
    return number if math.isfinite(number) else None


_AMPM_RE = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?\s*([AaPp])\.?[Mm]\.?")


def parse_clock(raw: object) -> time | None:
    """A time of day: a datetime.time, "17:30", "9:00", "5pm" or "5:30 pm"; None otherwise."""
    if isinstance(raw, time):
        return time(raw.hour, raw.minute)
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    try:
        return parse_hhmm(text)
    except ValueError:
        pass
    match = _AMPM_RE.fullmatch(text)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if 1 <= hour <= 12 and minute < 60:
            return time(hour % 12 + (12 if match[3] in "Pp" else 0), minute)
    return None


def percent_text(share: float) -> str:
    """ "25%" for 0.25, "33.3333%" for a third: a share as written in a process file."""
    return f"{round(share * 100, 4):g}%"
