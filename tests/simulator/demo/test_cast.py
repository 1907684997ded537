"""simulator/demo/cast.py: the demo's sample team (a manager, four SDRs, three AEs and someone
outside the team) and #sales, put into the stand-in Slack."""

from urllib.parse import parse_qs

from simulator.demo.cast import (
    AES,
    CHANNEL_ID,
    CHANNEL_NAME,
    DIRECTOR,
    MANAGER,
    NEW_HIRE,
    OUTSIDER,
    REPS,
    SDRS,
    TZ,
    add_cast,
)
from simulator.signed_requests import command_body
from simulator.slack_standin import USER_ID, SlackStandin

EVERYONE = (MANAGER, DIRECTOR, OUTSIDER, *REPS, NEW_HIRE)


def test_the_team_as_the_method_describes_it():
    assert [p.role for p in SDRS] == ["sdr"] * 4 and [p.role for p in AES] == ["ae"] * 3
    assert REPS == SDRS + AES
    assert MANAGER.role is None and OUTSIDER.role is None
    assert all(USER_ID.match(p.user_id) for p in EVERYONE)
    assert len({p.user_id for p in EVERYONE}) == len({p.name for p in EVERYONE}) == 11
    # Reps ahead of their goals and behind them, so the scorecards show every status.
    assert any(p.form > 1 for p in SDRS) and any(p.form < 1 for p in SDRS)
    assert any(p.form > 1 for p in AES) and any(p.form < 1 for p in AES)
    # One SDR turns fewer calls into conversations: what the coaching thread is about.
    assert [(p.name, p.skew) for p in SDRS if p.skew] == [
        ("Tyler Brooks", (("conversations", 0.6),))
    ]


def test_the_cast_joins_the_standin_slack_in_the_teams_timezone_with_sales():
    standin = SlackStandin()
    add_cast(standin)
    assert set(standin.users) == {p.user_id for p in EVERYONE}
    for person in EVERYONE:
        user = standin.users[person.user_id]
        assert (user["name"], user["real_name"], user["tz"]) == (
            person.name,
            person.name,
            "America/New_York",
        )
    assert str(TZ) == "America/New_York"
    assert standin.channels == {CHANNEL_ID: CHANNEL_NAME} == {"C0SALES01": "sales"}
    # The channel the demo's slash commands are typed in.
    assert parse_qs(command_body("/log", "calls 5", SDRS[0].user_id))["channel_id"] == [CHANNEL_ID]


def test_people_the_standin_has_already_are_kept_as_they_are():
    standin = SlackStandin()
    standin.add_user(MANAGER.user_id, "dana.w", tz="Europe/London")
    add_cast(standin)
    add_cast(standin)  # twice: nobody twice, nobody renamed
    assert standin.users[MANAGER.user_id]["name"] == "dana.w"
    assert standin.users[MANAGER.user_id]["tz"] == "Europe/London"
    assert len(standin.users) == len(EVERYONE)
