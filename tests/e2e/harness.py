"""`pacer serve` as a subprocess, a local Slack stand-in, and signed HTTP requests."""

import itertools
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bench.common import free_port
from simulator.signed_requests import command_body, responses_to, signed_headers
from simulator.slack_standin import SlackStandin
from storage.db import normalize_url

SECRET = "e2e-signing-secret"
TOKEN = "xoxb-e2e-token"
ADMIN = "UADMIN0001"
ROOT = Path(__file__).resolve().parents[2]


def _as_sqlite(value):
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return value


@dataclass
class Reply:
    status: int
    body: dict | str
    response_url: str | None = None  # the command's: its follow-ups land there

    @property
    def text(self) -> str:
        """Everything the person would read: the fallback and every block's text."""
        if not isinstance(self.body, dict):
            return str(self.body)
        parts = [self.body.get("text", "")]
        for block in self.body.get("blocks", []):
            if block.get("text"):
                parts.append(block["text"]["text"])
            for element in block.get("elements", []):
                parts.append(
                    element.get("text", "") if isinstance(element.get("text"), str) else ""
                )
        return "\n".join(parts)


class PacerServer:
    """One `pacer serve` process; restartable on the same database."""

    def __init__(
        self,
        standin: SlackStandin,
        database_url: str,
        clock: str,
        log_path: Path,
        admins: str = ADMIN,
        extra_args: tuple[str, ...] = (),
        api_url: str | None = None,
    ):
        self.standin, self.database_url, self.clock, self.log_path = (
            standin,
            database_url,
            clock,
            log_path,
        )
        self.admins, self.extra_args = admins, extra_args
        self.api_url = api_url  # where the server's Web API calls go: the stand-in by default
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._reader: Engine | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            # WEB_CONCURRENCY too: the server chooses its workers as it does by default
            if not k.startswith(("SLACK_", "PACER_", "DATABASE_URL", "WEB_CONCURRENCY"))
        }
        env.update(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=self.api_url or self.standin.url,
            DATABASE_URL=self.database_url,
            PACER_ADMINS=self.admins,
            PACER_CLOCK=self.clock,
            # Home refreshes at once: a debounced one from an earlier test (same user IDs, same
            # stand-in) must not land in the next test's calls. bot/debounce.py has its own tests.
            PACER_HOME_REFRESH_DELAY="0",
            # ...and the quiet lane's work (standings replies, Home refreshes) without waiting
            # for a pause in the traffic, which the next test's requests would put off.
            PACER_AFTER_ACK_WAIT="0",
            PACER_PUBLIC_URL=self.url,  # the TV links /pacer tv gives point here
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> "PacerServer":
        log = open(self.log_path, "ab")  # noqa: SIM115 - the server process owns it
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cli.main",
                "serve",
                "--port",
                str(self.port),
                "--threads",
                "8",
                "--host",
                "127.0.0.1",
                *self.extra_args,
            ],
            cwd=self.log_path.parent,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pacer serve exited: {self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(
            f"pacer serve did not become healthy: {self.log_path.read_text()[-3000:]}"
        )

    def stop(self) -> None:
        if self._reader is not None:
            self._reader.dispose()
            self._reader = None
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def rows(self, sql: str, *args) -> list[tuple]:
        """Rows read straight from the server's database (SQLite or PostgreSQL), with ``?``
        placeholders; dates come back as ISO text, as SQLite keeps them, so a test reads the
        same on both."""
        if self._reader is None:
            self._reader = create_engine(normalize_url(self.database_url))
        numbers = itertools.count()
        named = re.sub(r"\?", lambda _: f":p{next(numbers)}", sql)
        with self._reader.connect() as conn:
            found = conn.execute(text(named), {f"p{i}": a for i, a in enumerate(args)})
            return [tuple(_as_sqlite(v) for v in row) for row in found]

    def stored(self, team_id: str, table: str = "activity_log") -> int:
        """Rows the server stored for a workspace, read straight from its database."""
        return self.rows(
            f"SELECT count(*) FROM {table} t JOIN workspace w ON w.id = t.workspace_id "  # noqa: S608
            "WHERE w.slack_team_id = ?",
            team_id,
        )[0][0]

    # -- requests, as Slack sends them ---------------------------------------------------

    def post(self, body: str | bytes, headers: dict) -> Reply:
        data = body if isinstance(body, bytes) else body.encode()
        request = urllib.request.Request(
            self.url + "/slack/events", data=data, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw, status = response.read().decode(), response.status
        except urllib.error.HTTPError as error:
            raw, status = error.read().decode(), error.code
        try:
            return Reply(status, json.loads(raw) if raw else {})
        except json.JSONDecodeError:
            return Reply(status, raw)


class Workspace:
    """One Slack workspace's view of the server: each test gets its own, so tests never share data."""

    def __init__(self, server: PacerServer, team_id: str | None = None):
        self.server = server
        self.team_id = team_id or "T" + uuid.uuid4().hex[:10].upper()

    def body(self, command: str, text: str, user: str, trigger_id: str | None = None) -> str:
        return command_body(
            command,
            text,
            user,
            team_id=self.team_id,
            trigger_id=trigger_id,
            response_url=self.server.standin.new_response_url(),
        )

    def command(self, command: str, text: str, user: str, trigger_id: str | None = None) -> Reply:
        body = self.body(command, text, user, trigger_id)
        reply = self.server.post(body, signed_headers(SECRET, body))
        reply.response_url = parse_qs(body)["response_url"][0]
        return reply

    def followed(self, reply: Reply, timeout: float = 10.0) -> Reply:
        """What replaced ``reply`` through its response_url after the acknowledgement (/log's
        standings): polled for, as work after the ack is; fails if nothing came in time."""
        assert reply.response_url, "a command's reply"
        deadline = time.monotonic() + timeout
        while True:
            posted = responses_to(self.server.standin, reply.response_url)
            replacing = [p for p in posted if p.get("replace_original")]
            if replacing:
                return Reply(200, replacing[-1], reply.response_url)
            assert time.monotonic() < deadline, f"no follow-up to {reply.body!r}"
            time.sleep(0.02)

    def responses(self, reply: Reply) -> list[dict]:
        """Everything posted to the reply's response_url so far."""
        return responses_to(self.server.standin, reply.response_url or "")

    def log(self, user: str, text: str, **kw) -> Reply:
        return self.command("/log", text, user, **kw)

    def scorecard(self, user: str, text: str = "") -> Reply:
        return self.command("/scorecard", text, user)

    def pacer(self, user: str, text: str) -> Reply:
        return self.command("/pacer", text, user)

    def setup_team(self, sdrs=("USDR00001",), aes=("UAE000001",), managers=("UMGR00001",)) -> None:
        for user in sdrs:
            assert self.pacer(ADMIN, f"team add <@{user}> sdr").status == 200
        for user in aes:
            assert self.pacer(ADMIN, f"team add <@{user}> ae").status == 200
        for user in managers:
            assert self.pacer(ADMIN, f"manager <@{user}>").status == 200
