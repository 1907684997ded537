"""The image for real, where a container engine answers: built from the Dockerfile, started
with compose.yaml (postgres, migrate, three web replicas, the clock), each replica's /healthz and a
signed /log answered, the clock's heartbeat stored, `pacer doctor` run inside a web container.

Skipped, saying why, when no engine or no compose answers (CI runs tests/test_containers.py
there). Without Docker Hub, name stand-in base images:
PACER_TEST_PYTHON_IMAGE (for python:3.11-slim) and PACER_TEST_POSTGRES_IMAGE (for postgres:16).
The Slack stand-in listens on the host; the containers reach it as host.docker.internal."""

import os
import shutil
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml

from simulator.signed_requests import command_body, signed_headers
from simulator.slack_standin import SlackStandin
from tests.e2e.harness import free_port

ROOT = Path(__file__).resolve().parents[1]
SECRET = "image-signing-secret"


def _engine_problem() -> str | None:
    if not shutil.which("docker"):
        return "no container engine: the docker command is not installed"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=60)
    if info.returncode != 0:
        return f"no container engine answers (docker info: {info.stderr.strip()[:200]})"
    if _compose() is None:
        return "no compose: neither `docker compose` nor `docker-compose` is installed"
    return None


def _compose() -> list[str] | None:
    if shutil.which("docker"):
        found = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if found.returncode == 0:
            return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


pytestmark = pytest.mark.skipif(
    os.environ.get("PACER_TEST_IMAGE") == "0" or bool(_engine_problem()),
    reason=_engine_problem() or "PACER_TEST_IMAGE=0",
)


def _run(args, cwd, timeout=900, check=True):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


@pytest.fixture
def slack():
    with SlackStandin(host="0.0.0.0") as standin:
        yield standin


def _have_image(image: str) -> None:
    """The base image here, or pulled; else the test is skipped saying why (an engine without a
    registry, as in a VM without Docker Hub)."""
    if subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode == 0:
        return
    pulled = subprocess.run(["docker", "pull", image], capture_output=True, text=True, timeout=600)
    if pulled.returncode != 0:
        pytest.skip(
            f"the engine can't get {image} ({pulled.stderr.strip()[:200]}); name a local "
            "stand-in with PACER_TEST_PYTHON_IMAGE / PACER_TEST_POSTGRES_IMAGE"
        )


def test_the_image_built_and_run_with_compose_answers_healthz_and_a_signed_log(tmp_path, slack):
    tag = f"pacer-test:{uuid.uuid4().hex[:8]}"
    python_image = os.environ.get("PACER_TEST_PYTHON_IMAGE", "python:3.11-slim")
    _have_image(python_image)
    _have_image(os.environ.get("PACER_TEST_POSTGRES_IMAGE", "postgres:16"))
    started = time.monotonic()
    _run(
        ["docker", "build", "--build-arg", f"PYTHON_IMAGE={python_image}", "-t", tag, str(ROOT)],
        ROOT,
    )
    print(f"docker build: {time.monotonic() - started:.1f} s")

    # The project: compose.yaml as shipped, a .env, and an override naming the test's images,
    # ports and the way to the host's Slack stand-in.
    shutil.copy(ROOT / "compose.yaml", tmp_path / "compose.yaml")
    first = free_port()
    (tmp_path / ".env").write_text(
        "SLACK_BOT_TOKEN=xoxb-image-test\n"
        f"SLACK_SIGNING_SECRET={SECRET}\n"
        f"SLACK_API_URL=http://host.docker.internal:{slack.port}/api/\n"
        "PACER_ADMINS=UADMIN0001\n"
        "POSTGRES_PASSWORD=image-test\n"
        f"PACER_WEB_PORTS={first}-{first + 2}\n"
    )
    pacer_service = {"image": tag, "extra_hosts": ["host.docker.internal:host-gateway"]}
    override = {"services": {name: dict(pacer_service) for name in ("migrate", "web", "clock")}}
    if os.environ.get("PACER_TEST_POSTGRES_IMAGE"):
        override["services"]["postgres"] = {"image": os.environ["PACER_TEST_POSTGRES_IMAGE"]}
    (tmp_path / "compose.override.yaml").write_text(yaml.safe_dump(override))
    project = f"pacertest{uuid.uuid4().hex[:8]}"
    compose = [*_compose(), "-p", project, "-f", "compose.yaml", "-f", "compose.override.yaml"]
    try:
        started = time.monotonic()
        _run([*compose, "up", "-d", "--no-build", "--scale", "web=3"], tmp_path)
        # Every replica healthy: the image's own HEALTHCHECK on /healthz says so.
        deadline = time.monotonic() + 180
        while True:
            ids = _run([*compose, "ps", "-q", "web"], tmp_path).stdout.split()
            states = [
                _run(
                    ["docker", "inspect", "-f", "{{.State.Health.Status}}", i], tmp_path
                ).stdout.strip()
                for i in ids
            ]
            if len(ids) == 3 and states == ["healthy"] * 3:
                print(f"compose up to 3 healthy web replicas: {time.monotonic() - started:.1f} s")
                break
            assert time.monotonic() < deadline, (
                states,
                _run([*compose, "logs"], tmp_path, check=False).stdout[-5000:],
            )
            time.sleep(2)
        ports = sorted(
            int(
                _run([*compose, "port", "--index", str(i), "web", "3000"], tmp_path)
                .stdout.strip()
                .rsplit(":", 1)[1]
            )
            for i in (1, 2, 3)
        )
        # One host port each, from the range (which one is the engine's choice).
        assert len(set(ports)) == 3 and all(first <= p <= first + 2 for p in ports), ports
        for port in ports:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                assert (response.status, response.read()) == (200, b"ok\n")
            body = command_body(
                "/log",
                "call 12",
                "UADMIN0001",
                team_id="TIMAGE0001",
                response_url=slack.new_response_url(),
            )
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/slack/events",
                data=body.encode(),
                headers=signed_headers(SECRET, body),
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200
                assert response.read()  # the acknowledgement's reply
        # Unsigned: refused at the edge.
        request = urllib.request.Request(
            f"http://127.0.0.1:{ports[0]}/slack/events", data=b"command=/log", method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401
        # migrate ran once and exited 0; the clock is one and beats.
        migrate = _run([*compose, "ps", "-a", "-q", "migrate"], tmp_path).stdout.split()
        assert len(migrate) == 1
        assert (
            _run(
                ["docker", "inspect", "-f", "{{.State.ExitCode}}", migrate[0]], tmp_path
            ).stdout.strip()
            == "0"
        )
        assert len(_run([*compose, "ps", "-q", "clock"], tmp_path).stdout.split()) == 1
        deadline = time.monotonic() + 90
        while True:
            doctor = _run([*compose, "exec", "-T", "web", "pacer", "doctor"], tmp_path, check=False)
            if "ok    clock:" in doctor.stdout or time.monotonic() > deadline:
                break
            time.sleep(3)
        assert "ok    clock:" in doctor.stdout, doctor.stdout + doctor.stderr
        assert "ok    database:" in doctor.stdout and "ok    bot token:" in doctor.stdout
        user = _run([*compose, "exec", "-T", "web", "id", "-u"], tmp_path).stdout.strip()
        assert user == "10001"
    finally:
        _run([*compose, "down", "-v", "--remove-orphans"], tmp_path, check=False)
        _run(["docker", "rmi", "-f", tag], tmp_path, check=False)
