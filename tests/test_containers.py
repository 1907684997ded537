"""The container files (Dockerfile, compose.yaml): compose.yaml is valid Compose (the
specification's JSON schema, through check-jsonschema), and the image's own entry commands
(migrate, serve with its HEALTHCHECK, clock), read out of the Dockerfile and compose.yaml so they
can't drift, work from this venv on PostgreSQL (or SQLite) as they would in the image: PATH puts
the venv first, as the image's ENV does. The image itself is built and run by
tests/test_container_image.py where an engine answers."""

import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from bench.common import postgres_database
from simulator.slack_standin import SlackStandin
from storage.migrate import head_revision
from tests.e2e.conftest import CLOCK
from tests.e2e.harness import PacerServer, Workspace

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def final_stage() -> list[tuple[str, str]]:
    steps = dockerfile()
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def exec_form(arguments: str) -> list[str]:
    """CMD ["pacer", "serve"] → ["pacer", "serve"] (the exec form: no shell in between)."""
    return json.loads(arguments)


def image_env() -> dict:
    env = {}
    for word, rest in final_stage():
        if word == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


# -- compose.yaml ------------------------------------------------------------------------------


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_file_is_valid_against_the_compose_specification():
    result = _check_jsonschema(ROOT / "compose.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schema_check_refuses_a_broken_compose_file(tmp_path):
    """The check can fail: a depends_on condition Compose doesn't know is refused."""
    broken = compose()
    broken["services"]["web"]["depends_on"]["postgres"]["condition"] = "service_ready"
    path = tmp_path / "compose.yaml"
    path.write_text(yaml.safe_dump(broken))
    result = _check_jsonschema(path)
    assert result.returncode == 1
    assert "service_ready" in result.stdout + result.stderr


def test_compose_runs_web_replicas_one_clock_and_postgres_on_a_named_volume():
    services = compose()["services"]
    assert set(services) == {"postgres", "migrate", "web", "clock"}
    # Any number of web replicas: a host port range (one port each), never one fixed port.
    (ports,) = services["web"]["ports"]
    host, _, container = ports.rpartition(":")
    assert container == "3000" and re.fullmatch(r"\$\{PACER_WEB_PORTS:-\d+-\d+\}", host)
    assert services["web"]["environment"]["PORT"] == "3000"
    assert services["clock"]["deploy"]["replicas"] == 1
    assert "pgdata" in compose()["volumes"]
    assert services["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"][1]
    for name in ("web", "clock"):
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
        assert services[name]["env_file"] == ".env"
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    # The image's HEALTHCHECK is on /healthz: the processes without HTTP turn it off.
    assert (
        services["clock"]["healthcheck"] == services["migrate"]["healthcheck"] == {"disable": True}
    )
    assert "healthcheck" not in services["web"]


def test_the_image_is_multi_stage_slim_non_root_with_a_healthcheck():
    steps = dockerfile()
    froms = [rest for word, rest in steps if word == "FROM"]
    assert froms == ["${PYTHON_IMAGE} AS build", "${PYTHON_IMAGE}"]
    assert ("ARG", "PYTHON_IMAGE=python:3.11-slim") in steps
    final = final_stage()
    # Only the built venv crosses over: no sources, no pip cache, no compilers installed.
    assert [rest for word, rest in final if word == "COPY"] == [
        "--from=build /opt/pacer /opt/pacer"
    ]
    assert not any("apt-get" in rest or "pip " in rest for word, rest in final if word == "RUN")
    users = [rest for word, rest in final if word == "USER"]
    assert users == ["pacer"]
    assert "--uid 10001" in next(rest for word, rest in final if word == "RUN")
    (healthcheck,) = [rest for word, rest in final if word == "HEALTHCHECK"]
    assert "/healthz" in healthcheck
    assert image_env()["PATH"].startswith("/opt/pacer/bin:")
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".env", ".git", "*.db"} <= set(ignored)


# -- the entry commands, run as the image runs them --------------------------------------------


def entry_commands() -> dict[str, list[str]]:
    services = compose()["services"]
    (cmd,) = [rest for word, rest in final_stage() if word == "CMD"]
    return {
        "image": exec_form(cmd),
        "migrate": services["migrate"]["command"],
        "web": services["web"]["command"],
        "clock": services["clock"]["command"],
    }


def test_the_entry_commands_are_pacers():
    assert entry_commands() == {
        "image": ["pacer", "serve"],
        "migrate": ["pacer", "migrate"],
        "web": ["pacer", "serve"],
        "clock": ["pacer", "clock"],
    }


@pytest.fixture
def own_standin():
    with SlackStandin() as standin:
        yield standin


@pytest.fixture
def database_url(tmp_path):
    """The compose file's database (PostgreSQL) when TEST_DATABASE_URL is set, else SQLite."""
    if not os.environ.get("TEST_DATABASE_URL"):
        yield f"sqlite:///{tmp_path / 'pacer.db'}"
        return
    with postgres_database(os.environ["TEST_DATABASE_URL"], "pacer_compose") as url:
        yield url


class ImageServer(PacerServer):
    """`pacer serve` started with the image's command line and environment (PATH, PORT)."""

    def __init__(self, *args, command: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.command = command

    def env(self) -> dict:
        return image_process_env(super().env(), self.port)

    def start(self) -> "ImageServer":
        log = open(self.log_path, "ab")  # noqa: SIM115 - the server process owns it
        self.process = subprocess.Popen(
            self.command,
            cwd=self.log_path.parent,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command} exited: {self.log_path.read_text()[-3000:]}")
            if healthcheck(self.env()).returncode == 0:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"{self.command} never healthy: {self.log_path.read_text()[-3000:]}")


def image_process_env(env: dict, port: int) -> dict:
    """The image's ENV over ``env``: this venv's bin stands where the image has /opt/pacer/bin.
    PORT is the compose file's 3000 in the image; here a free port, as tests run side by side."""
    env = dict(env)
    for key, value in image_env().items():
        if key == "PATH":
            value = value.replace("/opt/pacer/bin", str(BIN)).replace("$PATH", env["PATH"])
        env[key] = value
    env["PORT"] = str(port)
    env.pop("WEB_CONCURRENCY", None)
    return env


def healthcheck(env: dict) -> subprocess.CompletedProcess:
    """The image's HEALTHCHECK command, as Docker runs it (exec form) in the container."""
    (line,) = [rest for word, rest in final_stage() if word == "HEALTHCHECK"]
    command = exec_form(line.split(" CMD ", 1)[1])
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=10)


def test_the_images_entry_commands_migrate_serve_and_run_the_clock(
    tmp_path, own_standin, database_url
):
    commands = entry_commands()
    server = ImageServer(
        own_standin, database_url, CLOCK, tmp_path / "web.log", command=commands["web"]
    )
    env = image_process_env(server.env(), server.port)

    migrated = subprocess.run(
        commands["migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.endswith(f"migrated from empty to {head_revision()}.\n")

    # Nothing listens yet: the HEALTHCHECK fails, as it must for a container still starting.
    assert healthcheck(env).returncode != 0
    server.start()
    try:
        assert healthcheck(server.env()).returncode == 0
        ws = Workspace(server)
        ws.setup_team()
        reply = ws.log("USDR00001", "call 12")
        assert reply.status == 200
        assert "Logged *12 Calls / Emails*" in reply.text
        assert server.stored(ws.team_id) == 1

        # The clock: started as the image starts it, its first tick stamps the heartbeat that
        # `pacer doctor` reads.
        clock_log = open(tmp_path / "clock.log", "ab")  # noqa: SIM115 - closed below
        clock = subprocess.Popen(
            commands["clock"], cwd=tmp_path, env=env, stdout=clock_log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            beats = []
            while time.monotonic() < deadline and not beats and clock.poll() is None:
                beats = server.rows("SELECT owner FROM clock_heartbeat")
                time.sleep(0.2)
            assert clock.poll() is None, (tmp_path / "clock.log").read_text()[-3000:]
            assert len(beats) == 1
            doctor = subprocess.run(
                ["pacer", "doctor"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert "ok    clock: " in doctor.stdout, doctor.stdout + doctor.stderr
            assert "ok    database: " in doctor.stdout
        finally:
            clock.terminate()
            clock.wait(15)
            clock_log.close()
    finally:
        server.stop()
