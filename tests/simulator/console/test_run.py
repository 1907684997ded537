"""`pacer console` itself: the database it opens, and the installed command end to end."""

import io
import subprocess
import sys
from pathlib import Path

from simulator.console.run import default_database, run_console


def test_the_default_database_and_demo_with_a_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_database() == "sqlite:///pacer.db"
    (tmp_path / "pacer-demo").mkdir()
    (tmp_path / "pacer-demo" / "pacer-demo.db").touch()
    assert default_database() == f"sqlite:///{tmp_path / 'pacer-demo' / 'pacer-demo.db'}"
    assert run_console(database="sqlite:///x.db", demo=True, stdout=io.StringIO()) == 2


def test_the_installed_pacer_command_runs_a_session_on_the_demo_data(tmp_path):
    """The entry point end to end: `pacer console --demo` builds the sample team, then a piped
    session logs as one of its reps and reads a teammate's scorecard."""
    pacer = Path(sys.executable).parent / "pacer"
    script = (
        "/as Maria Lopez\n/log call 12\n/scorecard @sam\n:run leaderboard\n:quit\n/log call 1\n"
    )
    result = subprocess.run(
        [str(pacer), "console", "--demo", "--weeks", "1"],
        input=script,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Pick who you are: `/as maria`. People: Maria Lopez (sdr)" in out
    assert "Maria Lopez › /log call 12" in out and "✅ Logged 12 Calls / Emails" in out
    assert "Scorecard · @Sam Okafor · Sales Development Rep" in out
    assert "Leaderboard" in out
    assert "/log call 1\n" not in out  # :quit ended the session
    assert (tmp_path / "pacer-demo" / "pacer-demo.db").exists()
    assert "Traceback" not in result.stderr
