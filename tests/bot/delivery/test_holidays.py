"""The clock over days off (the default process's US public holidays): on Thanksgiving (Thu 26
Nov 2026) no daily digest, leaderboard, lag check or nudge goes out, and the next day they do;
the monthly digest about December waits for Monday 4 Jan 2027, New Year's Day being a Friday."""

from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from bot.delivery.clock import Clock
from bot.delivery.posting import ChannelPacer
from tests.bot.delivery.support import channel_posts, nudges_sent
from tests.bot.support import ADMIN


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def posted(rig) -> list[str]:
    return [c.params["text"] for c in channel_posts(rig.slack) if "thread_ts" not in c.params]


def clock_of(rig) -> Clock:
    clock = Clock(rig.services, BackgroundScheduler(timezone="UTC"))
    clock.pacer = ChannelPacer(0)  # no pause between posts: nothing here is about pacing
    return clock


def tick_through(rig, clock, *moments) -> list[tuple[str, str]]:
    done = []
    for moment in moments:
        rig.now = at(moment)
        done += [(o.kind, o.period_key) for _, o, _ in clock.tick()]
    return done


def test_thanksgiving_is_quiet_and_friday_is_not(rig):
    rig.text("/pacer", "holiday add 2026-11-26", ADMIN)  # this team's Thanksgiving, back off
    clock = clock_of(rig)
    tick_through(rig, clock, "2026-11-25T18:00:00-05:00")
    rig.slack.reset()
    thursday = tick_through(
        rig,
        clock,
        *(f"2026-11-26T{hh}:05:00-05:00" for hh in ("09", "11", "12", "15", "16", "17", "18")),
    )
    assert thursday == []  # not even the nudge sweeps: nobody is due, so none is claimed
    assert posted(rig) == [] and nudges_sent(rig.slack) == []
    friday = tick_through(
        rig, clock, *(f"2026-11-27T{hh}:05:00-05:00" for hh in ("11", "12", "15", "16", "17"))
    )
    assert {"lag-check", "leaderboard"} <= {kind for kind, _ in friday}
    rig.now = at("2026-11-27T17:35:00-05:00")
    clock.tick()
    texts = posted(rig)
    assert any(t.startswith("Daily digest · Sales · Fri 27 Nov 2026") for t in texts), texts
    assert nudges_sent(rig.slack)  # Friday 15:00: the reps who logged nothing


def test_the_monthly_digest_about_december_posts_on_monday_4_january(rig):
    clock = clock_of(rig)
    tick_through(rig, clock, "2026-12-31T18:00:00-05:00")
    done = tick_through(
        rig,
        clock,
        "2027-01-01T09:05:00-05:00",  # New Year's Day
        "2027-01-02T09:05:00-05:00",
        "2027-01-03T09:05:00-05:00",
    )
    assert ("monthly", "2026-12") not in done
    done = tick_through(rig, clock, "2027-01-04T09:05:00-05:00")
    assert ("monthly", "2026-12") in done
    assert any(t.startswith("Monthly digest") for t in posted(rig)), posted(rig)
