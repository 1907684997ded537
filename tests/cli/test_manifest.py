"""`pacer manifest --url https://your.host` and `--socket`: the app manifest to paste into Slack,
valid YAML that keeps every command, scope and event of manifest.yml, which ships inside the
package (a pip-installed Pacer has no checkout beside it)."""

import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml

from cli.main import main
from cli.manifest import PLACEHOLDER, ManifestError, base_url, read_template

TEMPLATE = yaml.safe_load(read_template())


def manifest(capsys, *args) -> tuple[int, str, str]:
    code = main(["manifest", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def urls(node) -> list[str]:
    """Every url / request_url value anywhere in the manifest."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("url", "request_url"):
                found.append(value)
            found += urls(value)
    elif isinstance(node, list):
        for value in node:
            found += urls(value)
    return found


def same_contents(made: dict) -> None:
    assert [c["command"] for c in made["features"]["slash_commands"]] == [
        c["command"] for c in TEMPLATE["features"]["slash_commands"]
    ]
    assert made["oauth_config"]["scopes"] == TEMPLATE["oauth_config"]["scopes"]  # every scope
    events = made["settings"]["event_subscriptions"]["bot_events"]
    assert events == TEMPLATE["settings"]["event_subscriptions"]["bot_events"]
    assert made["features"]["app_home"] == TEMPLATE["features"]["app_home"]
    assert made["settings"]["interactivity"]["is_enabled"] is True


@pytest.mark.parametrize(
    "typed", ["https://pacer.acme.io", "https://pacer.acme.io/", "HTTPS://Pacer.Acme.io"]
)
def test_http_manifest_points_every_url_at_the_host(capsys, typed):
    code, out, err = manifest(capsys, "--url", typed)
    assert code == 0 and err == ""
    made = yaml.safe_load(out)
    same_contents(made)
    found = urls(made)
    # six slash commands, the event subscriptions and interactivity
    assert len(found) == len(TEMPLATE["features"]["slash_commands"]) + 2
    assert set(found) == {"https://pacer.acme.io/slack/events"}
    # OAuth installs: Slack sends the installer back to the host too
    assert made["oauth_config"]["redirect_urls"] == ["https://pacer.acme.io/slack/oauth_redirect"]
    assert PLACEHOLDER not in out and "pacer.example.com" not in out
    assert made["settings"]["socket_mode_enabled"] is False
    assert out.startswith("# Slack app manifest for Pacer at https://pacer.acme.io")


def test_a_port_is_kept():
    assert base_url("https://pacer.acme.io:8443") == "https://pacer.acme.io:8443"


def test_socket_manifest_has_no_urls(capsys):
    code, out, _ = manifest(capsys, "--socket")
    assert code == 0
    made = yaml.safe_load(out)
    same_contents(made)
    assert made["settings"]["socket_mode_enabled"] is True
    assert urls(made) == []
    assert "url:" not in out and "pacer.example.com" not in out
    assert "redirect_urls" not in made["oauth_config"]
    assert "pacer socket" in out  # the comment says how to run it


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("http://pacer.acme.io", "must start with https://"),
        ("pacer.acme.io", "--url https://pacer.acme.io"),
        ("https://pacer.acme.io/slack/events", "Use --url https://pacer.acme.io"),
        ("https://pacer.acme.io/?x=1", "must be just the host"),
        ("https://", "no valid host name"),
        ("https://localhost", "no valid host name"),
        ("https://user@pacer.acme.io", "no valid host name"),
        ("https://YOUR-HOST", "is a placeholder"),
        ("https://your.host", "is a placeholder"),
        ("https://your-pacer-host.acme.io", "is a placeholder"),
        ("https://<your host>", "is a placeholder"),
        ("https://{host}", "is a placeholder"),
        ("https://pacer.invalid", "is a placeholder"),
    ],
)
def test_a_bad_url_exits_2_and_says_what_would_work(capsys, typed, says):
    code, out, err = manifest(capsys, "--url", typed)
    assert code == 2 and out == ""
    assert err.startswith("pacer manifest: ") and says in err
    with pytest.raises(ManifestError):
        base_url(typed)


def test_url_or_socket_is_required_and_not_both(capsys):
    for args in ([], ["--url", "https://pacer.acme.io", "--socket"]):
        with pytest.raises(SystemExit) as exit_:
            main(["manifest", *args])
        assert exit_.value.code == 2
        assert "--url" in capsys.readouterr().err


def test_the_templates_own_host_is_a_real_url_and_accepted(capsys):
    """https://pacer.example.com is the template's host, but a valid URL: a team whose Pacer
    runs there gets a manifest pointing at it."""
    code, out, err = manifest(capsys, "--url", "https://pacer.example.com")
    assert code == 0 and err == ""
    made = yaml.safe_load(out)
    same_contents(made)
    assert set(urls(made)) == {"https://pacer.example.com/slack/events"}
    assert len(urls(made)) == len(TEMPLATE["features"]["slash_commands"]) + 2


def test_the_manifest_is_read_from_the_package():
    shipped = resources.files("cli").joinpath("manifest.yml").read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "manifest.yml"
    assert shipped == checkout.read_text(encoding="utf-8") == read_template()


def test_an_installed_copy_without_a_checkout_makes_the_manifest(tmp_path):
    """The ``cli`` package copied as a wheel installs it (symlinks resolved), with no
    manifest.yml anywhere beside it: `pacer manifest` still works from package data."""
    shutil.copytree(Path(__file__).resolve().parents[2] / "cli", tmp_path / "cli", symlinks=False)
    assert not (tmp_path / "manifest.yml").exists()
    code = "import sys; from cli.manifest import run; sys.exit(run('https://pacer.acme.io', False))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "url: https://pacer.acme.io/slack/events" in done.stdout
