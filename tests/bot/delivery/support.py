"""What the ritual delivery tests share: a Rig whose team has a channel and two named reps, a
ritual run as the clock would run it, and the posts in the channel."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from rituals.schedule import occurrence_at
from rituals.teams import team_process
from simulator.slack_standin import SlackStandin
from storage import people_queries
from tests.bot.support import ADMIN, AE, SDR, Rig, no_waiting

CHANNEL = "C0SALES01"
THURSDAY_1745 = datetime.fromisoformat("2026-11-26T17:45:00-05:00")


@contextmanager
def channel_rig(tmp_path) -> Iterator[Rig]:
    """The Rig with Maria Lopez (SDR) and Alex Chen (AE), a manager, and #sales as its channel.
    The team works Thanksgiving (Thu 26 Nov 2026, a public holiday in the default process): these
    tests deliver the rituals of that Thursday as an ordinary working day's (holidays:
    test_holidays.py)."""
    with SlackStandin() as slack:
        slack.add_user(SDR, "Maria Lopez")
        slack.add_user(AE, "Alex Chen")
        rig = Rig(tmp_path, slack)
        no_waiting(rig.services.ritual_client)
        rig.team()
        rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
        rig.text("/pacer", "holiday remove 2026-11-26", ADMIN)
        yield rig
        rig.services.background.shutdown(wait=True)


def team_id(rig) -> int:
    with rig.services.unit_of_work() as session:
        return people_queries.teams(session)[0].id


def run(rig, kind, at=THURSDAY_1745, pacer=None, now=None):
    """The ritual due at ``at``, run at ``now`` (default: at once)."""
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    occurrence = occurrence_at(process, kind, at)
    return run_ritual(
        rig.services,
        team_id(rig),
        occurrence,
        now or at,
        pacer=pacer or ChannelPacer(0),
        owner="test",
    )


def channel_posts(slack):
    return [c for c in slack.calls_to("chat.postMessage") if c.params.get("channel") == CHANNEL]


def nudges_sent(slack) -> list[str]:
    return [
        c.params["channel"]
        for c in slack.calls_to("chat.postMessage")
        if "Nothing logged today" in c.params.get("text", "")
    ]
