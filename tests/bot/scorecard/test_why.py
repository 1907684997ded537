"""How a goal is computed, in Slack (bot/scorecard/why.py): `/scorecard calls why`, `/scorecard
why`, and the "How is this computed?" button, for a rep away on the Wednesday of Thanksgiving
week (Tue 24 Nov 2026, 11:00)."""

from datetime import date

import pytest

from bot.ids import Action
from storage import people_queries
from storage.models import TimeOff
from tests.bot.button_support import buttons, channel_rig, press, text_of
from tests.bot.support import AE, MGR, SDR, TUESDAY_11


@pytest.fixture
def rig(tmp_path):
    yield from channel_rig(tmp_path)


def away_wednesday(rig) -> None:
    with rig.services.unit_of_work() as session:
        member = people_queries.get_member(
            session, people_queries.all_workspaces(session)[0].id, SDR
        )
        session.add(
            TimeOff(
                workspace_id=member.workspace_id,
                user_id=SDR,
                day=date(2026, 11, 25),
                entered_by=MGR,
                entered_at=TUESDAY_11,
            )
        )


def test_calls_why_shows_the_days_counted_and_the_days_left_out(rig):
    away_wednesday(rig)
    text = rig.text("/scorecard", "calls why", SDR)
    assert "*Calls / Emails* · week goal (Mon 23 – Sun 29 Nov 2026): *180*" in text
    assert "• 60 a day × 3 of your days (Mon 23, Tue 24, Fri 27 Nov) = 180" in text
    assert "• not counted: Wed 25 Nov — away; Thu 26 Nov — Thanksgiving Day" in text
    assert "Conversations" not in text  # one KPI asked, one shown
    # The scorecard agrees: 180, and 40 calls against 75 due by now.
    card = rig.text("/scorecard", "", SDR)
    assert "40 of 180 (22%) · pace 53%" in card
    assert "due by Tue 24 Nov 11:00 America/New_York: 75" in text


def test_why_alone_takes_every_kpi_apart_and_a_monthly_goal_rounds_as_stated(rig):
    away_wednesday(rig)
    text = rig.text("/scorecard", f"<@{SDR}> why", MGR)
    assert f"*How <@{SDR}>'s goals for Mon 23 – Sun 29 Nov 2026 are computed*" in text
    assert "8 a week ÷ the team's 4 working days of that week = 2 a day × 3 of their days" in text
    # 6 SAOs a month over November's 19 working days, 18 of them the rep's: 5.68, shown as 6
    assert "6 a month ÷ the team's 19 working days of that month = 0.32 a day" in text
    assert "• shown as 6: no more decimals than the goal as stated" in text


def test_the_button_on_a_scorecard_answers_privately_for_whoever_may_see_it(rig):
    message = rig.run("/scorecard", "", SDR)
    why = buttons(message)[Action.SCORECARD_WHY]
    assert why["text"]["text"] == "How is this computed?"
    [answer] = press(rig, SDR, Action.SCORECARD_WHY, why["value"])
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "60 a day × 4 of your days (Mon 23, Tue 24, Wed 25, Fri 27 Nov) = 240" in text_of(answer)
    # Private scorecards: an AE may not see the SDR's; nothing is shown
    rig.text("/pacer", "visibility managers", MGR)
    [refused] = press(rig, AE, Action.SCORECARD_WHY, why["value"])
    assert "keeps scorecards to managers and the rep" in text_of(refused)
    assert "60 a day" not in text_of(refused)


def test_a_stale_button_says_to_ask_again(rig):
    [answer] = press(rig, SDR, Action.SCORECARD_WHY, "{}")
    assert "older Pacer message; nothing happened. Ask again with `/scorecard`" in text_of(answer)
