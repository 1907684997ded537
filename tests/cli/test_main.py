"""The `pacer` command's settings: what is missing says so, a .env file is read."""

from tests.cli.support import pacer


def test_serve_without_settings_says_what_is_missing(tmp_path):
    result = pacer("serve", "--port", "0", cwd=tmp_path)
    assert result.returncode != 0
    assert "SLACK_BOT_TOKEN" in result.stderr and "SLACK_SIGNING_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def test_socket_mode_needs_an_app_token(tmp_path):
    result = pacer("socket", cwd=tmp_path, env_extra={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert result.returncode != 0
    assert (
        "SLACK_APP_TOKEN" in result.stderr and "SLACK_BOT_TOKEN" not in result.stderr.split("\n")[1]
    )


def test_settings_come_from_a_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\n")
    result = pacer("serve", "--port", "0", cwd=tmp_path)
    assert result.returncode != 0
    assert "SLACK_SIGNING_SECRET" in result.stderr and "SLACK_BOT_TOKEN —" not in result.stderr


def test_serve_help_says_how_workers_and_threads_are_chosen(tmp_path):
    result = pacer("serve", "--help", cwd=tmp_path)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--workers WORKERS processes (default: $WEB_CONCURRENCY, else one per usable" in text
    assert "On SQLite the writers of all workers take turns" in text
    assert "--threads THREADS threads per process (default 16)" in text


def test_serve_refuses_a_worker_or_thread_count_below_one(tmp_path):
    for flag in ("--workers", "--threads"):
        result = pacer("serve", flag, "0", cwd=tmp_path)
        assert result.returncode == 2
        assert f"argument {flag}: '0' is not a whole number of 1 or more" in result.stderr


def test_serve_with_a_web_concurrency_that_is_not_a_count_says_so(tmp_path):
    result = pacer("serve", "--workers", "2", cwd=tmp_path, env_extra={"WEB_CONCURRENCY": "lots"})
    assert result.returncode != 0
    assert "WEB_CONCURRENCY must be a whole number of processes, 1 or more (it is 'lots')" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
