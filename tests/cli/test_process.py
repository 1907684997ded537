"""`pacer process load FILE` and `pacer process show` as an operator uses them."""

from datetime import UTC, datetime

import yaml

from rituals.process import default_process, dump_process
from storage import draft_queries, people_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.unit_of_work import unit_of_work
from tests.cli.support import pacer


def test_process_show_runs_the_default_when_nothing_was_loaded(tmp_path):
    result = pacer("process", "show", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "the built-in default" in result.stdout
    assert "Sales Accepted Opportunities" in result.stdout and "Deals Closed" in result.stdout


def test_process_load_stores_versions_and_show_reflects_them(tmp_path):
    data = yaml.safe_load(dump_process(default_process()))
    data["name"] = "Field sales"
    data["timezone"] = "Europe/Berlin"
    (tmp_path / "sales.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    first = pacer("process", "load", "sales.yml", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "version 1" in first.stdout
    second = pacer("process", "load", "sales.yml", cwd=tmp_path)
    assert "version 2" in second.stdout
    shown = pacer("process", "show", cwd=tmp_path)
    assert "Field sales" in shown.stdout and "version 2" in shown.stdout
    assert "Europe/Berlin" in pacer("process", "show", "--yaml", cwd=tmp_path).stdout


def test_a_bad_file_names_the_place_and_the_fix_and_stores_nothing(tmp_path):
    data = yaml.safe_load(dump_process(default_process()))
    data["roles"][0]["scorecard"][2] = "meetngs"
    data["timezone"] = "America/New_Yrok"
    (tmp_path / "bad.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = pacer("process", "load", "bad.yml", cwd=tmp_path)
    assert result.returncode == 1
    assert "was not stored" in result.stderr
    assert "meetngs" in result.stderr and "America/New_York" in result.stderr
    assert "the built-in default" in pacer("process", "show", cwd=tmp_path).stdout


def test_warnings_quote_the_method(tmp_path):
    data = yaml.safe_load(dump_process(default_process()))
    data["roles"][0]["scorecard"] = ["calls", "conversations", "meetings_scheduled"]
    data["roles"][0]["goals"].pop("sao")
    data["roles"][0]["aliases"] = {
        k: v for k, v in data["roles"][0].get("aliases", {}).items() if v != "sao"
    }
    (tmp_path / "warn.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = pacer("process", "load", "warn.yml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "lagging" in result.stderr
    assert (
        "Too many metrics creates a lack of focus" in result.stderr
        or "lagging indicator" in result.stderr
    )


def test_a_missing_file(tmp_path):
    result = pacer("process", "load", "nope.yml", cwd=tmp_path)
    assert result.returncode == 1 and "nope.yml" in result.stderr


def test_a_file_without_goal_changes_keeps_the_history_and_applies_from_today(tmp_path):
    """Editing the file to raise a goal is not retroactive: the new goal applies from today,
    earlier changes stay, and `show --yaml` shows the history kept after the file's own text."""
    clock = {"PACER_CLOCK": "2026-11-24T16:00:00+00:00"}
    data = yaml.safe_load(dump_process(default_process()))
    data["goal_changes"] = [{"from": "2026-11-02", "role": "sdr", "kpi": "calls", "goal": "70/day"}]
    (tmp_path / "first.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    assert pacer("process", "load", "first.yml", cwd=tmp_path, env_extra=clock).returncode == 0
    del data["goal_changes"]
    data["roles"][0]["goals"]["calls"] = "80/day"
    (tmp_path / "second.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    loaded = pacer("process", "load", "second.yml", cwd=tmp_path, env_extra=clock)
    assert loaded.returncode == 0, loaded.stderr
    shown = pacer("process", "show", cwd=tmp_path).stdout
    assert "from 2026-11-02: sdr role calls 70/day" in shown
    assert "from 2026-11-24: sdr role calls 80/day · set by pacer process load" in shown
    assert "Calls / Emails [calls, leading] · goal 60/day" in shown  # before any change
    stored = yaml.safe_load(pacer("process", "show", "--yaml", cwd=tmp_path).stdout)
    assert [c["goal"] for c in stored["goal_changes"]] == ["70/day", "80/day"]


def test_load_draft_needs_a_team(tmp_path):
    (tmp_path / "sales.yml").write_text(dump_process(default_process()))
    no_team = pacer("process", "load", "sales.yml", "--draft", cwd=tmp_path)
    assert no_team.returncode == 2 and "a draft belongs to a team" in no_team.stderr


NOW = datetime(2026, 11, 24, 16, tzinfo=UTC)


def _install_with_a_team(tmp_path):
    """A migrated SQLite install with a workspace and its team; the engine, the team's id, and
    the environment `pacer` runs with on it (its clock at NOW)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'pacer.db'}")
    upgrade(engine)
    with unit_of_work(engine) as session:
        workspace = people_queries.workspace_for(session, "T0001", None, NOW)
        team_id = people_queries.default_team(session, workspace.id, NOW).id
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'pacer.db'}", "PACER_CLOCK": NOW.isoformat()}
    return engine, team_id, env


def test_load_draft_fills_the_teams_draft_and_changes_nothing_in_force(tmp_path):
    engine, team_id, env = _install_with_a_team(tmp_path)
    data = yaml.safe_load(dump_process(default_process()))
    data["roles"][0]["goals"]["calls"] = "abc"
    (tmp_path / "bad.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    bad = pacer("process", "load", "bad.yml", "--draft", cwd=tmp_path, env_extra=env)
    assert bad.returncode == 1 and "bad.yml was not used" in bad.stderr
    assert "line " in bad.stderr and "(roles.sdr.goals.calls)" in bad.stderr
    data["roles"][0]["goals"]["calls"] = "90/day"
    (tmp_path / "good.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    good = pacer("process", "load", "good.yml", "--draft", cwd=tmp_path, env_extra=env)
    assert good.returncode == 0, good.stderr
    assert "Opened the draft of team" in good.stdout
    assert "goal sdr calls 60/day → 90/day" in good.stdout
    with unit_of_work(engine) as session:
        assert draft_queries.open_draft(session, team_id).author_id == "cli"
    assert "the built-in default" in pacer("process", "show", cwd=tmp_path, env_extra=env).stdout


def test_loading_a_file_while_a_draft_is_scheduled_says_what_the_draft_will_replace(tmp_path):
    engine, team_id, env = _install_with_a_team(tmp_path)
    (tmp_path / "sales.yml").write_text(dump_process(default_process()))
    quiet = pacer("process", "load", "sales.yml", cwd=tmp_path, env_extra=env)
    assert quiet.returncode == 0 and "scheduled" not in quiet.stderr
    assert (
        pacer("process", "load", "sales.yml", "--draft", cwd=tmp_path, env_extra=env).returncode
        == 0
    )
    with unit_of_work(engine) as session:
        row = draft_queries.open_draft(session, team_id)
        day = datetime(2026, 12, 1).date()
        assert draft_queries.schedule_draft(session, row, day, by="UMGR0001", at=NOW)
    loaded = pacer("process", "load", "sales.yml", cwd=tmp_path, env_extra=env)
    assert loaded.returncode == 0 and "as version 2" in loaded.stdout
    assert "draft of the process is scheduled to be published on 2026-12-01" in loaded.stderr
    assert "/pacer process discard" in loaded.stderr
