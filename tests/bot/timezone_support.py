"""A New York team with reps in Tokyo (SDR), Los Angeles (LA) and New York (NY), and an AE in
New York: Slack tells Pacer each person's timezone. Shared by the tests of each person's own
day (logs, scorecards, nudges), help, errors, welcomes and plain texts."""

from collections.abc import Iterator
from datetime import datetime

from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from rituals.schedule import Occurrence, occurrence_at
from rituals.teams import team_process
from simulator.slack_standin import SlackStandin
from storage import people_queries
from tests.bot.support import ADMIN, AE, MGR, SDR, Rig, no_waiting

LA, NY = "U0SDR0002", "U0SDR0003"
CHANNEL = "C0SALES01"
NEW_YORK_TZ = "America/New_York"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def timezone_rig(tmp_path) -> Iterator[Rig]:
    """The rig with the team spread over three timezones, posting in #sales."""
    with SlackStandin() as slack:
        slack.add_user(SDR, "Kenji Sato", tz="Asia/Tokyo")
        slack.add_user(LA, "Lena Ortiz", tz="America/Los_Angeles")
        slack.add_user(NY, "Maria Lopez", tz=NEW_YORK_TZ)
        slack.add_user(AE, "Alex Chen", tz=NEW_YORK_TZ)
        slack.add_user(MGR, "Morgan Lee", tz=NEW_YORK_TZ)
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"team add <@{LA}> sdr", ADMIN)
        rig.text("/pacer", f"team add <@{NY}> sdr", ADMIN)
        rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
        yield rig
        rig.services.background.shutdown(wait=True)


def team_id(rig) -> int:
    with rig.services.unit_of_work() as session:
        return people_queries.teams(session)[0].id


def sweep(rig, when: datetime, occurrence: Occurrence | None = None):
    """The nudge sweep due at ``when``, run then (as the clock would)."""
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    return run_ritual(
        rig.services,
        team_id(rig),
        occurrence or occurrence_at(process, "nudge", when),
        when,
        pacer=ChannelPacer(0),
        owner="test",
    )


def nudges(slack) -> list[str]:
    """Who was sent a nudge, in order."""
    return [
        c.params["channel"]
        for c in slack.calls_to("chat.postMessage")
        if c.params.get("text", "").startswith("Nothing logged today")
    ]


def line_of(text: str, word: str) -> str:
    return next(line for line in text.splitlines() if word in line)


def welcomes(slack, user: str) -> list:
    return [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.params["channel"] == user and c.params.get("text", "").startswith("Welcome to")
    ]
