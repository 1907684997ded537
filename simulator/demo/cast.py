"""The demo's sample team, from the method's example: a manager, four SDRs, three AEs and someone
outside the team, in the default process's timezone, and the channel the team posts in."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from simulator.slack_standin import SlackStandin

TZ = ZoneInfo("America/New_York")  # the default process's team timezone
CHANNEL_ID, CHANNEL_NAME = "C0SALES01", "sales"  # simulator.signed_requests's default channel


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    role: str | None = None  # sdr / ae; None for the manager and the outsider
    form: float = 1.0  # activity relative to goal: >1 ahead, <1 behind
    skew: tuple[tuple[str, float], ...] = ()  # (KPI, × form): a weaker stage of the journey


MANAGER = Person("U0MGR0001", "Dana Whitfield")
# The VP of Sales: a Pacer admin, not on the team's roster, who reviews the draft as a manager.
DIRECTOR = Person("U0VPS0001", "Lee Harmon")
OUTSIDER = Person("U0MKT0001", "Olivia Grant")  # marketing, not on the sales team
SDRS = (
    Person("U0SDR0001", "Maria Lopez", "sdr", 1.25),
    Person("U0SDR0002", "Sam Okafor", "sdr", 1.1),
    Person("U0SDR0003", "Jenna Park", "sdr", 0.92),
    # Fewer calls, and fewer of them turn into conversations: what his coaching is about.
    Person("U0SDR0004", "Tyler Brooks", "sdr", 0.6, (("conversations", 0.6),)),
)
AES = (
    Person("U0AE00001", "Alex Chen", "ae", 1.15),
    Person("U0AE00002", "Rachel Greene", "ae", 0.95),
    Person("U0AE00003", "Marcus Bell", "ae", 0.6),
)
REPS = SDRS + AES
# Starts in the final week; her form is against the whole goal (her ramp asks a quarter of it).
NEW_HIRE = Person("U0SDR0005", "Priya Shah", "sdr", 0.4)


def add_cast(standin: SlackStandin) -> None:
    """The team and #sales in the stand-in Slack (people it has already are kept as they are)."""
    for person in (MANAGER, DIRECTOR, OUTSIDER, *REPS, NEW_HIRE):
        if person.user_id not in standin.users:
            standin.add_user(person.user_id, person.name, tz=str(TZ))
    standin.add_channel(CHANNEL_ID, CHANNEL_NAME)
