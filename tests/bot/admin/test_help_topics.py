"""bot/admin/help_topics.py: `/pacer help scoring` explains paces, statuses, the overall score
and ties with the team's own thresholds, caps and weights; an unknown topic says which exist."""

from rituals.process import load_process_dict
from rituals.teams import change_process
from storage import people_queries
from tests.bot.support import ADMIN, SDR, assert_within_slack_limits


def test_help_scoring_explains_the_rules_with_the_defaults(rig):
    rig.team()
    text = rig.text("/pacer", "help scoring", SDR)
    assert "*How Pacer scores your team*" in text
    assert "on pace from 100%, at risk from 80%" in text
    assert "in the first 10% of a day, week or month (working time), pace reads _early_" in text
    assert "_final_, and _hit_ or _missed_" in text
    assert '"month 2 of 6"' in text and "60 a day is 300 a week" in text
    assert "Sales Development Rep: each KPI capped at 150%; every KPI weighs 1." in text
    assert "share a rank (1, 2, 2, 4) and are listed by name" in text
    assert "`scoring: {cap: 150%, weights: {calls: 1, sao: 2}}`" in text
    assert "`/pacer help scoring`" in rig.text("/pacer", "help", SDR)  # listed in the help


def test_help_scoring_shows_the_teams_own_cap_and_weights(rig):
    rig.team()

    def weigh(process):
        data = process.to_dict()
        data["roles"][0]["scoring"] = {"cap": "120%", "weights": {"calls": 2, "sao": 0}}
        data["pace_thresholds"] = {"on_pace": 0.9, "at_risk": 0.7}
        return load_process_dict(data)

    with rig.services.unit_of_work() as session:
        team = people_queries.teams(session)[0]
        change_process(session, team, weigh, loaded_by=ADMIN, change="test", now=rig.now)
    text = rig.text("/pacer", "help scoring", SDR)
    assert (
        "Sales Development Rep: each KPI capped at 120%; weights Calls / Emails 2, "
        "Sales Accepted Opportunities 0, every other KPI 1." in text
    )
    assert "Account Executive: each KPI capped at 150%; every KPI weighs 1." in text
    assert "on pace from 90%, at risk from 70%" in text


def test_an_unknown_help_topic_names_the_topics_and_changes_nothing(rig):
    message = rig.run("/pacer", "help <!channel>", SDR)
    assert_within_slack_limits(message)
    text = message["blocks"][0]["text"]["text"]
    assert "There's no help on `&lt;!channel&gt;`" in text
    assert "`/pacer help scoring`" in text and text.rstrip(".").endswith("every command")
