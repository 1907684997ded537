"""Dates and times as people read them ("Mon 7 Dec"), the same on every platform: strftime's
``%-d`` (a day without its leading zero) is glibc-only, so the day number is written here."""

from datetime import UTC, date, datetime


def aware(moment: datetime) -> datetime:
    """A stored instant with its UTC offset: SQLite hands stored times back without it."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _with_day(value: date, pattern: str) -> str:
    return value.strftime(pattern.replace("{day}", str(value.day)))


def weekday_day(value: date) -> str:
    """Mon 7"""
    return _with_day(value, "%a {day}")


def short(value: date) -> str:
    """Mon 7 Dec"""
    return _with_day(value, "%a {day} %b")


def long(value: date) -> str:
    """Mon 7 Dec 2026"""
    return _with_day(value, "%a {day} %b %Y")


def day_month(value: date) -> str:
    """7 Dec"""
    return _with_day(value, "{day} %b")


def relative(value: date, today: date) -> str:
    """ "today, Mon 7 Dec", "Fri 4 Dec", or "Wed 30 Dec 2026" in another year."""
    if value == today:
        return f"today, {short(value)}"
    return long(value) if value.year != today.year else short(value)


def short_time(value: datetime) -> str:
    """Mon 7 Dec 14:05"""
    return _with_day(value, "%a {day} %b %H:%M")


def long_time(value: datetime) -> str:
    """Mon 7 Dec 2026 14:05"""
    return _with_day(value, "%a {day} %b %Y %H:%M")
