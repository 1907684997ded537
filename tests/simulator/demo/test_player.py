"""simulator/demo/player.py: the demo's hands and screen. Its clock in team time; commands typed
as people, signed as Slack signs them, with the replies that show the product misbehaving
collected; moments played in time order between the logs; what it prints."""

import io
from datetime import UTC, date, datetime

from simulator.demo.cast import MANAGER, SDRS
from simulator.demo.player import SECRET, Demo, DemoClock
from simulator.slack_standin import SlackStandin
from simulator.textview import WIDTH
from tests.simulator.demo.support import RecordingApp

MARIA = SDRS[0]


def demo(*replies) -> tuple[Demo, RecordingApp]:
    app = RecordingApp(SECRET, *replies)
    return Demo(app, SlackStandin(), None, DemoClock(), io.StringIO()), app


def test_the_clock_is_set_in_team_time_across_a_dst_change():
    clock = DemoClock()
    clock.set(date(2026, 10, 30), "09:00")
    assert clock() == datetime(2026, 10, 30, 13, 0, tzinfo=UTC)  # EDT
    clock.set(date(2026, 11, 2), "09:00")
    assert clock() == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # EST
    clock.set(date(2026, 11, 2), "16:45:30")
    assert clock.now == datetime(2026, 11, 2, 21, 45, 30, tzinfo=UTC)


def test_a_command_is_typed_as_slack_delivers_it_and_the_reply_read_with_names():
    player, app = demo((200, {"text": f"Logged 5 calls for <@{MARIA.user_id}> in <#C0SALES01>"}))
    reply = player.send(MARIA, "/log", "calls 5")
    assert reply == "Logged 5 calls for @Maria Lopez in #sales"
    [typed] = app.typed  # signed with the demo's secret (RecordingApp checks)
    assert (typed["command"], typed["text"], typed["user_id"]) == ("/log", "calls 5", MARIA.user_id)
    assert player.played == 1 and player.problems == []


def test_replies_that_show_the_product_misbehaving_are_collected():
    player, _ = demo(
        (500, {"text": "Internal error"}),
        (200, {"text": "Sorry, an unexpected error happened"}),
        (200, {"text": "I don't know the KPI `cals`"}),
        (200, {"text": "✅ Logged 5 Calls / Emails"}),
    )
    player.send(MARIA, "/scorecard", "")
    player.send(MARIA, "/scorecard", "month")
    player.log(MARIA, "cals 5")  # a generated log must be accepted
    player.log(MARIA, "calls 5")
    assert player.problems == [
        "Maria Lopez › /scorecard  → [500] Internal error",
        "Maria Lopez › /scorecard month → [200] Sorry, an unexpected error happened",
        "Maria Lopez › /log cals 5 → I don't know the KPI `cals`",
    ]
    assert player.typed == ["Maria Lopez › /log cals 5", "Maria Lopez › /log calls 5"]
    assert player.played == 4


def test_show_prints_the_typed_line_with_names_then_the_reply_indented():
    player, _ = demo(
        (200, {"text": "Scorecard · @Maria\nWeek: 12 of 300"}),
        (200, {"text": "Added Maria to Sales. She can log now."}),
    )
    player.show(MANAGER, "/scorecard", f"<@{MARIA.user_id}>")
    player.show(MANAGER, "/pacer", "team add", brief=True)
    assert player.out.getvalue() == (
        "Dana Whitfield › /scorecard @Maria Lopez\n"
        "    Scorecard · @Maria\n"
        "    Week: 12 of 300\n"
        "\n"
        "Dana Whitfield › /pacer team add\n"
        "    Added Maria to Sales.\n"  # brief: the first sentence
        "\n"
    )


def test_moments_are_played_in_time_order_and_only_those_before_the_next_log():
    player, _ = demo()
    day, other = date(2026, 11, 10), date(2026, 11, 11)
    ran: list[str] = []

    def moment(name: str, then=None):
        def job():
            ran.append(name)
            if then:
                player.at(*then)

        return job

    player.at(day, "11:00", moment("lag check"))
    player.at(day, "09:30", moment("standings", then=(day, "10:00", moment("added, due before"))))
    player.at(day, "11:00", moment("press launch", then=(day, "15:30", moment("added, later"))))
    player.at(other, "09:00", moment("next day"))
    player.run_moments(day, "10:30")
    assert ran == ["standings", "added, due before"]
    player.run_moments(day, "11:00")
    assert ran == ["standings", "added, due before"]  # 11:00 is not before 11:00
    player.run_moments(day, "12:00")
    assert ran[2:] == ["lag check", "press launch"]  # the same time: in the order added
    player.run_moments(day, "23:59")
    assert ran[4:] == ["added, later"]
    player.run_moments(day, "23:59")
    assert "next day" not in ran and len(ran) == 5


def test_narration_headings_and_numbered_sections():
    player, _ = demo()
    player.say("word " * 30, "")
    player.section("A week of logs")
    player.section("A metric falls behind")
    lines = player.out.getvalue().splitlines()
    # Wrapped to the width of Pacer's messages (20 words of 99 characters), then an empty line.
    assert lines[:3] == [" ".join(["word"] * 20), " ".join(["word"] * 10), ""]
    assert len(lines[0]) <= WIDTH < len(lines[0]) + len(" word")
    assert lines[3:7] == ["", "1. A week of logs", "═" * len("1. A week of logs"), ""]
    assert lines[8:10] == ["2. A metric falls behind", "═" * len("2. A metric falls behind")]


def test_a_posted_message_is_printed_as_slack_shows_it_under_who_posted_it():
    player, _ = demo()
    message = {
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Leaderboard · Calls"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": f":trophy: <@{MARIA.user_id}>"}},
        ]
    }
    assert player.render(message) == ["Leaderboard · Calls", "═" * 19, "🏆 @Maria Lopez"]
    player.post("Pacer › #sales", message)
    assert player.out.getvalue() == (
        "Pacer › #sales\n    Leaderboard · Calls\n    " + "═" * 19 + "\n    🏆 @Maria Lopez\n\n"
    )
