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
