"""The HTTP servers of the acknowledgement benchmarks: `pacer serve` and the bare Bolt app, each a
subprocess in a process group of its own (gunicorn's master and its workers), always stopped.

Only 127.0.0.1 is ever contacted."""

import atexit
import http.client
import os
import signal
import subprocess
import time
from pathlib import Path

from bench.common import free_port

_RUNNING: set["Served"] = set()  # stopped at exit too, should a caller forget
_STARTED: list["Served"] = []  # every server this process started, for left_running()


class Served:
    """One server subprocess, waited for on GET /healthz. `{port}` in argv becomes its port."""

    def __init__(self, name: str, argv: list[str], env: dict, cwd: Path, log_path: Path):
        self.name, self.env, self.cwd, self.log_path = name, env, cwd, log_path
        self.port = free_port()
        self.argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.process: subprocess.Popen | None = None
        self.started_in = 0.0

    @property
    def group(self) -> int | None:
        """The process group of the server and its workers (the server leads its own session)."""
        return self.process.pid if self.process else None

    def start(self) -> "Served":
        began = time.perf_counter()
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _RUNNING.add(self)
        _STARTED.append(self)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.tail()}")
            if self._healthy():
                self.started_in = time.perf_counter() - began
                return self
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not become healthy: {self.tail()}")

    def _healthy(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def terminate(self) -> None:
        """SIGTERM to the server: gunicorn's master stops and reaps its workers."""
        if self.process and self.process.poll() is None:
            self.process.terminate()

    def stop(self) -> None:
        """Terminate the server, wait for it, then SIGKILL whatever of its process group is left.
        Only the processes this object started."""
        _RUNNING.discard(self)
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        deadline = time.monotonic() + 5
        while not self.gone():
            if time.monotonic() > deadline:
                _signal_group(self.group, signal.SIGKILL)
                break
            time.sleep(0.05)

    def gone(self) -> bool:
        """True once no process of the server's group is left."""
        return self.group is None or not _signal_group(self.group, 0)

    def tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""


def _signal_group(group: int, sig: int) -> bool:
    """Send `sig` to the group; False when the group has no process left."""
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # the id was reused by someone else's group: ours is gone
        return False
    return True


def stop_all(servers: list[Served]) -> None:
    """Stop several servers, shutting them down side by side."""
    for served in servers:
        served.terminate()
    for served in servers:
        served.stop()


def left_running() -> list[str]:
    """The servers this process started whose processes (or workers) are still there."""
    return [f"{s.name} (group {s.group})" for s in _STARTED if not s.gone()]


def child_env(root: Path, extra: dict) -> dict:
    """This environment without Slack, Pacer and database settings, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "PACER_", "DATABASE_URL"))
    }
    env.update(PYTHONPATH=str(root), PYTHONUNBUFFERED="1", **extra)
    return env


@atexit.register
def _stop_forgotten() -> None:
    stop_all(list(_RUNNING))
