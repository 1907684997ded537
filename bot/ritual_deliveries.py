"""Each ritual kind's delivery — how it is built, rendered and sent to Slack — by kind name: the
Slack side of the registry in rituals/kinds.py.

This module imports the features (contests, coaching) so that the runner does not: the
composition roots (bot.server.make_services, the simulator's offline app, the benchmarks, the
tests' Rig) hand DELIVERIES to Services, and bot.delivery.runner.run_ritual looks a kind up
there. tests/bot/test_ritual_deliveries.py fails if a registered kind has no delivery."""

from functools import partial

from bot.coaching.reminders import digest_cadence, remind
from bot.contests.lag_suggestions import run_lag_check
from bot.contests.messages import contest_parts
from bot.delivery import digests
from bot.delivery.nudges import anyone_due, nudge
from bot.delivery.posting import Part
from bot.delivery.runner import ChannelPosts, Delivery, PrivateMessages
from bot.services import Services
from rituals import kinds
from rituals.process import Process
from rituals.schedule import Occurrence
from storage.models import Member, SalesTeam
from storage.unit_of_work import Session


def standings_posts(
    services: Services,
    session: Session,
    team: SalesTeam,
    process: Process,
    members: list[Member],
    occurrence: Occurrence,
) -> list[Part]:
    """A contest's post (start, standings, midpoint, last hour or result): its entrants are
    the contest's own, not the team's members."""
    return contest_parts(services, session, team, process, occurrence)


DELIVERIES: dict[str, Delivery] = {
    kinds.DAILY.name: ChannelPosts(digests.daily_posts),
    kinds.WEEKLY.name: ChannelPosts(partial(digests.weekly_posts, cadence_of=digest_cadence)),
    kinds.MONTHLY.name: ChannelPosts(digests.monthly_posts),
    kinds.LEADERBOARD.name: ChannelPosts(digests.leaderboard_posts),
    # per person, in each rep's own timezone: see bot/delivery/nudges.py
    # claimed (a ritual_run row) only when someone is due
    kinds.NUDGE.name: PrivateMessages(nudge, anyone_due=anyone_due),
    kinds.STANDINGS.name: ChannelPosts(standings_posts),
    kinds.LAG_CHECK.name: PrivateMessages(run_lag_check),
    kinds.COACHING.name: PrivateMessages(remind),
}
