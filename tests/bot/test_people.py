"""bot/people.py: mentions turned into user IDs (a plain `@name` looked up among the names Pacer
has cached, never by asking Slack within the 3 seconds), mentions shown as names, and profiles
fetched from the local Slack stand-in when missing or a day old: one users.info each for a few
people, one users.list walk for more than ten.

The rig's clock is Tuesday 24 Nov 2026, 11:00 in New York."""

from datetime import timedelta

from bot.context import Command, handle
from bot.parsing import parse_mention
from bot.people import (
    BULK,
    PROFILE_MAX_AGE,
    display_names,
    fetch_profiles,
    fresh_profiles,
    known_profiles,
    name_mentions,
    resolve_user,
)
from storage import people_queries
from tests.bot.support import AE, MGR, SDR

BODY = {"team_id": "T0RIG0001", "user_id": MGR, "text": ""}
SAM1, SAM2, ZOE = "U0SAM0001", "U0SAM0002", "U0ZOE0001"


def workspace(rig) -> int:
    with rig.services.unit_of_work() as session:
        return people_queries.workspace_for(session, "T0RIG0001", None, rig.now).id


def cache(rig, user_id: str, name: str, *, age: timedelta = timedelta(0)) -> None:
    """A profile Pacer has cached, fetched ``age`` ago."""
    with rig.services.unit_of_work() as session:
        people_queries.save_profile(session, workspace(rig), user_id, name, None, rig.now - age)


def cached_names(rig, *user_ids: str) -> dict[str, str]:
    with rig.services.unit_of_work() as session:
        found = people_queries.profiles(session, workspace(rig), user_ids)
        return {u: p.display_name for u, p in found.items()}


def resolved(rig, word: str):
    """``word`` resolved inside a /scorecard request: (user ID, None) or (None, the refusal)."""

    def handler(cmd: Command) -> dict:
        return {"user": resolve_user(cmd, parse_mention(word))}

    done = handle(rig.services, BODY, handler, Command, command="/scorecard")
    return (done.reply or {}).get("user"), done.problem


# -- resolving a mention ----------------------------------------------------------------------


def test_a_mention_slack_resolved_is_taken_as_it_is(rig):
    assert resolved(rig, f"<@{SDR}|maria>") == (SDR, None)
    assert resolved(rig, f"<@{AE}>") == (AE, None)
    assert rig.slack.calls_to("users.info") == []


def test_a_plain_name_matches_one_cached_profile_whatever_its_case(rig):
    cache(rig, SDR, "Maria")
    cache(rig, ZOE, "Zoë")
    assert resolved(rig, "@maria") == (SDR, None)
    assert resolved(rig, "@ZOË") == (ZOE, None)
    assert rig.slack.calls_to("users.info") == [] and rig.slack.calls_to("users.list") == []


def test_a_plain_name_nobody_has_or_several_people_have_is_refused(rig):
    cache(rig, SAM1, "sam")
    cache(rig, SAM2, "Sam")
    user, problem = resolved(rig, "@nobody")
    assert user is None
    assert problem.startswith("I don't know who @nobody is. Pick them from Slack's list")
    assert "`/scorecard help`" in problem
    user, problem = resolved(rig, "@sam")
    assert user is None and problem.startswith("More than one person is called @sam")


# -- names instead of mentions ----------------------------------------------------------------


def test_mentions_of_cached_people_read_as_their_names(rig):
    cache(rig, SDR, "Maria <Lopez>")
    with rig.services.unit_of_work() as session:
        text = name_mentions(
            session, workspace(rig), f"<@{SDR}> logged 12; <@{AE}> and <@{SDR}|maria> did not"
        )
        assert text == f"@Maria &lt;Lopez&gt; logged 12; <@{AE}> and <@{SDR}|maria> did not"
        assert name_mentions(session, workspace(rig), "no one named") == "no one named"
        assert name_mentions(session, workspace(rig), "") == ""


# -- profiles from Slack ----------------------------------------------------------------------


def test_a_requests_profiles_are_the_cached_ones_and_stale_ones_are_fetched_after_the_ack(rig):
    rig.slack.add_user(SDR, "Maria Lopez")
    rig.slack.add_user(AE, "Alex Chen")
    cache(rig, SDR, "Old Maria", age=PROFILE_MAX_AGE + timedelta(minutes=1))
    cache(rig, AE, "Alex", age=PROFILE_MAX_AGE - timedelta(minutes=1))

    def handler(cmd: Command) -> dict:
        found = known_profiles(cmd, SDR, AE, MGR, SDR)
        return {"names": {u: p.display_name for u, p in found.items()}}

    done = handle(rig.services, BODY, handler, Command, command="/scorecard")
    assert done.reply == {"names": {SDR: "Old Maria", AE: "Alex"}}  # no waiting on Slack
    assert rig.slack.calls_to("users.info") == [] and len(done.follow_ups) == 1
    done.follow_ups[0]()  # after the acknowledgement
    asked = sorted(c.params["user"] for c in rig.slack.calls_to("users.info"))
    assert asked == [MGR, SDR]  # the stale and the missing, once each; not the fresh one
    assert cached_names(rig, SDR, AE) == {SDR: "Maria Lopez", AE: "Alex"}
    assert MGR in cached_names(rig, MGR)


def test_fresh_profiles_asks_slack_about_the_stale_ones_only(rig):
    rig.slack.add_user(SDR, "Maria Lopez", tz="America/Chicago")
    rig.slack.add_user(AE, "Alex Chen")
    cache(rig, AE, "Alex")
    found = fresh_profiles(rig.services, workspace(rig), [SDR, AE], rig.now)
    assert {u: p.display_name for u, p in found.items()} == {SDR: "Maria Lopez", AE: "Alex"}
    assert found[SDR].tz == "America/Chicago" and found[SDR].fetched_at == rig.now
    assert [c.params["user"] for c in rig.slack.calls_to("users.info")] == [SDR]
    fresh_profiles(rig.services, workspace(rig), [SDR, AE], rig.now)  # all fresh now
    assert len(rig.slack.calls_to("users.info")) == 1


def test_more_than_ten_people_are_fetched_with_one_users_list_walk(rig):
    people = [f"U0REP{i:04d}" for i in range(BULK + 1)]
    for i, user in enumerate(people[:-1]):
        rig.slack.add_user(user, f"Rep {i}")
    names = display_names(rig.services, workspace(rig), people, rig.now)
    assert len(rig.slack.calls_to("users.list")) == 1
    # Someone users.list didn't return is asked about alone.
    assert [c.params["user"] for c in rig.slack.calls_to("users.info")] == [people[-1]]
    assert names[people[0]] == "Rep 0" and names[people[-2]] == f"Rep {BULK - 1}"


def test_ten_people_are_asked_about_one_by_one(rig):
    people = [f"U0REP{i:04d}" for i in range(BULK)]
    fresh_profiles(rig.services, workspace(rig), people, rig.now)
    assert rig.slack.calls_to("users.list") == []
    assert len(rig.slack.calls_to("users.info")) == BULK


def test_whoever_slack_cant_tell_about_is_left_out_and_keeps_their_id(rig):
    rig.slack.add_user(SDR, "Maria Lopez")
    rig.slack.fail_next("users.info", status=200, body={"ok": False, "error": "user_not_found"})
    names = display_names(rig.services, workspace(rig), ["U0GONE001", SDR], rig.now)
    assert names == {"U0GONE001": "U0GONE001", SDR: "Maria Lopez"}
    assert "U0GONE001" not in cached_names(rig, "U0GONE001")


def test_a_failed_users_list_falls_back_to_asking_one_by_one(rig):
    people = [f"U0REP{i:04d}" for i in range(BULK + 1)]
    rig.slack.fail_next("users.list", status=200, body={"ok": False, "error": "ratelimited"})
    found = fresh_profiles(rig.services, workspace(rig), people, rig.now)
    assert len(found) == BULK + 1 and len(rig.slack.calls_to("users.info")) == BULK + 1


def test_the_name_cached_is_the_display_name_else_the_real_name(rig):
    rig.slack.add_user(SDR, "maria", real_name="Maria Lopez")
    rig.slack.users[SDR]["profile"]["display_name"] = ""  # many people never set one
    fetch_profiles(rig.services, workspace(rig), [SDR], rig.now)
    assert cached_names(rig, SDR) == {SDR: "Maria Lopez"}
