"""The console's clock: the real time, or the instant `:time` set."""

import re
from datetime import UTC, date, datetime, time


class ConsoleClock:
    """Services.clock: the real time, or the instant `:time` set."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at or datetime.now(UTC)


def parse_moment(text: str, current: datetime, tz) -> datetime:
    """`:time`'s argument: an ISO moment (team time unless it has an offset), a day (same time
    of day), or a time (same day)."""
    text = text.strip().replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", text) else text
    if re.fullmatch(r"\d{1,2}:\d\d", text):
        moment = datetime.combine(current.date(), time.fromisoformat(text.zfill(5)))
    elif re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        moment = datetime.combine(date.fromisoformat(text), current.time().replace(tzinfo=None))
    else:
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)
