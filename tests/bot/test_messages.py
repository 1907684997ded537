"""bot/messages.py: messages stay inside Slack's limits and never carry unescaped user text, and
every message Pacer sends has a plain `text` fallback that starts with its gist and reads well."""

import json
import re
from datetime import date

import pytest

from bot import messages
from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from rituals.pacing import Period, compute_pacing
from rituals.schedule import occurrence_at
from rituals.teams import team_process
from tests.bot.support import AE, MGR, SDR, assert_within_slack_limits
from tests.bot.timezone_support import LA, NY, at, sweep, team_id, timezone_rig


def test_long_text_is_split_and_capped():
    body = "\n".join(f"• line {i} " + "x" * 200 for i in range(400))  # ~85,000 characters
    message = messages.message("fallback", messages.section(body))
    assert_within_slack_limits(message)
    assert "more parts not shown" in json.dumps(message)


def test_many_blocks_are_capped_at_fifty():
    blocks = [messages.section(f"row {i}")[0] for i in range(120)]
    message = messages.message("fallback", blocks)
    assert_within_slack_limits(message)
    assert len(message["blocks"]) == 50


def test_one_monster_line_is_cut_to_a_section():
    message = messages.message("f", messages.section("y" * 10_000))
    assert_within_slack_limits(message)


def test_header_is_cut_to_150():
    assert len(messages.header("h" * 400)["text"]["text"]) == 150


def test_template_values_are_escaped_but_our_markup_is_not():
    text = messages.render(
        "basis.md.j2",
        kpi=type("K", (), {"name": "Calls & <!channel>", "key": "calls"})(),
        rep_id="U0REP0001",
        period_label="week",
        total=1,
        counted=1,
        voided=0,
        logs=[
            {
                "day": "Mon",
                "count": 1,
                "how": messages.Raw(f"entered by {messages.mention('U0REP0001')} via /log at x"),
                "note": "<!here> & friends",
                "voided_at": None,
                "undone": "",
            }
        ],
    )
    assert "<!channel>" not in text and "<!here>" not in text
    assert "&lt;!channel&gt;" in text and "&lt;!here&gt; &amp; friends" in text
    assert "<@U0REP0001>" in text  # a mention Pacer built stays a mention


def test_mentions_only_for_real_ids():
    assert messages.mention("U0ABC123") == "<@U0ABC123>"
    assert messages.mention("<!channel>") == "&lt;!channel&gt;"


def test_numbers_and_percentages():
    assert (
        messages.number(60) == "60"
        and messages.number(1.6) == "1.6"
        and messages.number(0.95) == "0.95"
    )
    assert messages.number(1260) == "1,260"
    assert (
        messages.percent(0.996) == "99%"
        and messages.percent(1.0) == "100%"
        and messages.percent(0.7999) == "79%"
    )


def test_figures_carry_no_more_decimals_than_the_goal():
    assert [messages.figure(300), messages.figure(33.6), messages.figure(12.5, 1)] == [
        "300",
        "34",
        "12.5",
    ]
    assert messages.figure(266.666, 0) == "267"  # a projection, as the goal is stated
    assert messages.figure(1260.0) == "1,260" and messages.figure(None) == "–"
    assert messages.figure(0.4) == "0.4"  # a goal too small to round to a whole one


def test_pace_reads_early_and_final():
    week = Period("week", date(2026, 11, 23), date(2026, 11, 29))
    month = Period("month", date(2026, 11, 1), date(2026, 11, 30))
    running = compute_pacing(60, 300, 0.5, period=week)
    assert messages.pace_text(running) == "pace 40%"
    assert messages.pace_text(compute_pacing(14, 300, 0.0125)) == "pace early"
    assert messages.status_word(compute_pacing(290, 300, 1.0, final=True)) == "just missed"
    finished = compute_pacing(200, 300, 1.0, final=True)
    assert messages.pace_text(finished) == "final"
    assert (messages.status_word(finished), messages.status_emoji(finished)) == (
        "missed",
        ":red_circle:",
    )
    assert messages.status_word(compute_pacing(300, 300, 1.0, final=True)) == "hit"
    assert messages.scale_word(compute_pacing(2, 6, 0.5, period=month), week) == "month "
    assert messages.scale_word(running, week) == ""
    assert messages.scale_word(compute_pacing(2, 6, 0.5), week) == ""  # no period said


def test_paged_keeps_everything_within_limits():
    lines = [f"{i}. " + "N" * 80 + f" · {i}% of goal" for i in range(1, 301)]
    pages = messages.paged("Full ranking", "\n".join(lines))
    assert len(pages) > 1
    for page in pages:
        assert_within_slack_limits(page)
    joined = "\n".join(b["text"]["text"] for page in pages for b in page["blocks"])
    assert all(line in joined for line in lines)  # nothing cut


# -- plain text fallbacks -------------------------------------------------------------------


@pytest.fixture
def rig(tmp_path):
    yield from timezone_rig(tmp_path)


MARKUP = re.compile(r"[*`]|(?<![\w])_\S.*?_(?!\w)|<@[UW][A-Z0-9]+\|")


def assert_plain(text: str, gist: str, names: dict[str, str]) -> None:
    assert text and text != "None" and "None" not in text.split(), text
    assert len(text) <= 3000, len(text)
    assert not MARKUP.search(text), text
    for user_id in names:
        assert f"<@{user_id}>" not in text, text  # a known name is written out
    assert text.startswith(gist), (gist, text)


def test_every_kind_of_message_has_a_plain_text_that_starts_with_its_gist(rig):
    names = {SDR: "Kenji Sato", LA: "Lena Ortiz", NY: "Maria Lopez", AE: "Alex Chen"}
    rig.now = at("2026-11-23T10:00:00-05:00")  # Monday
    replies = {
        "log": rig.run("/log", "calls 10 conversations 40 meetings 5", NY),
        "credit": rig.run("/log", f"<@{NY}> sao 1", AE),
        "problem": rig.run("/log", "cals 3", NY),
        "refusal": rig.run("/scorecard", "", "U0STRANGE1"),
    }
    rig.now = at("2026-11-24T11:00:00-05:00")
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    lag = occurrence_at(process, "lag-check", rig.now)  # before a contest rallies the team
    lagging = run_ritual(
        rig.services, team_id(rig), lag, rig.now, pacer=ChannelPacer(0), owner="test"
    )
    assert lagging.status == "posted" and lagging.detail != "0 private messages", lagging
    replies["scorecard"] = rig.run("/scorecard", f"<@{NY}>", MGR)
    replies["leaderboard"] = rig.run("/leaderboard", "calls", NY)
    replies["contest"] = rig.run("/contest", 'start race calls 3d "Call Blitz"', MGR)
    replies["standings"] = rig.run("/contest", "standings", NY)
    replies["coach"] = rig.run("/coach", f"<@{NY}>", MGR)
    gists = {
        "log": ":white_check_mark: Logged 10 Calls / Emails, 40 Conversations",
        "credit": ":white_check_mark: Logged 1 Sales Accepted Opportunities for @Maria Lopez",
        "problem": "I don't know the KPI cals.",
        "refusal": "You don't have a scorecard yet",
        "scorecard": "Scorecard (Mon 23 – Sun 29 Nov 2026): Calls / Emails 10/240",
        "leaderboard": "Leaderboard · Calls / Emails",
        "contest": ":checkered_flag: Started Call Blitz",
        "standings": "Call Blitz: standings",
        "coach": "Opening a coaching thread with @Maria Lopez",
    }
    for kind, reply in replies.items():
        assert_plain(reply["text"], gists[kind], names)
    sweep(rig, at("2026-11-24T15:00:00-05:00"))  # nudges
    for kind, when in (
        ("leaderboard", "2026-11-24T12:00:00-05:00"),
        ("daily", "2026-11-24T17:30:00-05:00"),
    ):
        outcome = run_ritual(
            rig.services,
            team_id(rig),
            occurrence_at(process, kind, at(when)),
            at(when),
            pacer=ChannelPacer(0),
            owner="test",
        )
        assert outcome.status == "posted", (kind, outcome)
    rig.now = at("2026-11-25T11:00:00-05:00")
    assert_plain(rig.run("/contest", "end", MGR)["text"], "Result: Call Blitz", names)
    sent = [c.params for c in rig.slack.calls_to("chat.postMessage")]
    expected = {
        "welcome": "Welcome to Sales in Pacer: you're on the team as",
        "credited": "@Alex Chen credited you with 1 Sales Accepted Opportunities",
        "lag suggestion": "Calls / Emails: 4% of pace this week; a catch-up contest is ready",
        "contest start": "New contest: Call Blitz",
        "coaching opening": "Coaching session with Maria Lopez",
        "nudge": "Nothing logged today (Tue 24 Nov) yet.",
        "leaderboard post": "Leaderboards · Sales · Tue 24 Nov 2026",
        "daily digest": "Daily digest · Sales · Tue 24 Nov 2026",
        "contest result": "Result: Call Blitz",
    }
    for kind, gist in expected.items():
        found = [p for p in sent if p.get("text", "").startswith(gist)]
        assert found, (kind, [p.get("text") for p in sent])
    for params in sent:
        assert_plain(params["text"], "", names)


def test_weekly_and_monthly_digests_have_plain_texts(rig):
    rig.now = at("2026-11-23T10:00:00-05:00")
    rig.text("/log", "calls 10", NY)
    with rig.services.unit_of_work() as session:
        process, _ = team_process(session, team_id(rig))
    rig.slack.reset()
    for kind, when in (
        ("weekly", "2026-11-30T09:00:00-05:00"),
        ("monthly", "2026-12-01T09:00:00-05:00"),
    ):
        run_ritual(
            rig.services,
            team_id(rig),
            occurrence_at(process, kind, at(when)),
            at(when),
            pacer=ChannelPacer(0),
            owner="test",
        )
    texts = [c.params["text"] for c in rig.slack.calls_to("chat.postMessage")]
    assert any(t.startswith("Weekly digest · Sales · Mon 23 – Sun 29 Nov 2026") for t in texts)
    assert any(t.startswith("Monthly digest · Sales · November 2026") for t in texts)
    for text in texts:
        assert_plain(text, "", {NY: "Maria Lopez"})


def test_plain_turns_markup_into_words():
    assert messages.plain("*Logged* `/log calls 12` _Acme_ ~old~ for <@U1|maria>") == (
        "Logged /log calls 12 Acme old for @maria"
    )
    assert messages.plain("meetings_held <#C1|sales> <https://x.test|the docs>") == (
        "meetings_held #sales the docs"
    )
    assert messages.plain("<@U1> and <@U2>", {"U1": "Sam"}) == "@Sam and <@U2>"
    assert messages.message("*Bold* `code`", [])["text"] == "Bold code"
    assert messages.message("", [])["text"] == "Pacer"  # never empty
