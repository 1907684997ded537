"""A local stand-in for Slack's Web API, for end-to-end tests, `pacer demo` and the console.

Modelled on slackapi/bolt-python's ``tests/mock_web_api_server``: a stdlib HTTP server on
127.0.0.1 (port 0 by default) in a daemon thread, answering the Web API methods Pacer uses with
Slack-shaped JSON and recording every call. It never talks to Slack.

    with SlackStandin() as slack:
        client = WebClient(base_url=slack.url, token="xoxb-test")
        client.chat_postMessage(channel="C1", text="hi")
        assert slack.wait_for("chat.postMessage")[0].params["text"] == "hi"

Routes: ``POST /api/<method>`` (the Web API), ``POST|PUT /upload/<file_id>`` (the upload URL
from files.getUploadURLExternal), ``GET /files/<id>/<name>`` (a shared file's download, with the
bot token), ``POST|GET /response/<token>`` (a response_url) and
``GET /_standin/calls`` (the recorded calls as JSON, for a test in another process).
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import asdict, dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from simulator.slack_oauth import OAuthStandin
from simulator.slack_payloads import bad_blocks as _bad_blocks
from simulator.slack_payloads import decode_params as _decode_params
from simulator.slack_payloads import file_bytes as _file_bytes

NO_AUTH_METHODS = {"api.test", "oauth.access", "oauth.v2.access", "oauth.v2.exchange"}
MAX_MESSAGE_BLOCKS, MAX_VIEW_BLOCKS = 50, 100
RESPONSE_URL_MAX_USES = 5  # Slack: a response_url may be used 5 times
USER_ID = re.compile(r"^[UW][A-Z0-9]+$")


@dataclass
class Call:
    method: str
    params: dict
    token: str | None
    at: float
    failed_status: int | None = None


@dataclass
class _Fault:
    status: int
    retry_after: int
    delay: float
    body: dict | None


class SlackStandin(OAuthStandin):
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        team_id: str = "T0001",
        enterprise_id: str | None = None,
    ):
        self.host, self.port = host, port
        self.team_id, self.enterprise_id = team_id, enterprise_id
        self.calls: list[Call] = []
        self.history: dict[str, list[dict]] = {}  # channel -> messages posted there, oldest first
        self.responses: dict[str, list[dict]] = {}
        self.uploads: dict[str, bytes] = {}
        self.shared: dict[str, tuple[dict, bytes]] = {}  # files people shared: files.info, GET
        self.users: dict[str, dict] = {}
        self.channels: dict[str, str] = {}  # id -> name
        # user -> the hash of their Home tab as last published: views.publish with another
        # ``hash`` answers hash_conflict, as Slack does (a newer view is there)
        self.home_hashes: dict[str, str] = {}
        # Membership, as Slack models it: a channel not registered here is one Pacer is in.
        self.private: set[str] = set()  # private channels (groups): joined only by invitation
        self.outside: set[str] = set()  # channels Pacer is not a member of
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._ts = itertools.count(1_700_000_000_000_100, 100)  # microseconds; strictly increasing
        self._ids = itertools.count(1)
        self._dms: dict[tuple[str, ...], str] = {}  # sorted user ids -> D-channel id
        self._files: dict[str, dict] = {}  # file ids issued by getUploadURLExternal
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.init_oauth()  # OAuth installs, tokens and scopes (simulator/slack_oauth.py)

    # ---- lifecycle -------------------------------------------------------------------------

    def start(self) -> SlackStandin:
        handler = type("_BoundHandler", (_Handler,), {"standin": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._stopping.set()  # wakes handlers sleeping on an injected delay
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> SlackStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/api/"

    # ---- test helpers ----------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        real_name: str | None = None,
        tz: str = "America/New_York",
        is_bot: bool = False,
        team_id: str | None = None,
    ) -> None:
        real = real_name or name
        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        with self._lock:
            self.users[user_id] = {
                "id": user_id,
                "team_id": team_id or self.team_id,
                "name": name,
                "real_name": real,
                "tz": tz,
                "tz_offset": int(offset.total_seconds()) if offset else 0,
                "is_bot": is_bot,
                "deleted": False,
                "profile": {
                    "display_name": name,
                    "display_name_normalized": name,
                    "real_name": real,
                    "real_name_normalized": real,
                },
            }

    def add_channel(
        self, channel_id: str, name: str, *, private: bool = False, member: bool = True
    ) -> None:
        """A channel; ``member=False``: Pacer is not in it. Slack's rules for the bot then: it may
        post to a public one (chat:write.public) but not read it (conversations.history and
        .replies answer ``not_in_channel``) until it joins (conversations.join); a private one it
        cannot see at all (``channel_not_found``) nor join (``method_not_supported_for_channel_type``)
        until someone types ``/invite @Pacer`` there (:meth:`invite`)."""
        with self._lock:
            self.channels[channel_id] = name
            (self.private.add if private else self.private.discard)(channel_id)
            (self.outside.discard if member else self.outside.add)(channel_id)

    def invite(self, channel_id: str) -> None:
        """Someone typed ``/invite @Pacer`` in the channel."""
        with self._lock:
            self.outside.discard(channel_id)

    def remove_bot(self, channel_id: str) -> None:
        """Someone removed Pacer from the channel (``/remove @Pacer``)."""
        with self._lock:
            self.outside.add(channel_id)

    def share_file(self, name: str, content: bytes, user: str = "U0") -> dict:
        """A file someone shared (files.info answers it; its url_private_download serves it)."""
        file_id = f"F{next(self._ids):08d}"
        info = {"id": file_id, "name": name, "user": user, "size": len(content)}
        info |= {"filetype": name.rsplit(".", 1)[-1], "mimetype": "text/csv"}
        info["url_private_download"] = f"{self.base}/files/{file_id}/{name}"
        with self._lock:
            self.shared[file_id] = (info, content)
        return info

    def new_response_url(self) -> str:
        token = f"R{next(self._ids):06d}"
        with self._lock:
            self.responses[token] = []
        return f"{self.base}/response/{token}"

    def fail_next(
        self,
        method: str,
        status: int = 429,
        times: int = 1,
        retry_after: int = 1,
        delay: float = 0.0,
        body: dict | None = None,
    ) -> None:
        """Make the next `times` calls of `method` answer HTTP `status` (after `delay` seconds).

        status=200 with a delay gives a slow but successful answer (for client-timeout tests);
        status=200 with a ``body`` answers that body (e.g. {"ok": False, "error": "…"}).
        """
        with self._lock:
            for _ in range(times):
                self._faults[method].append(_Fault(status, retry_after, delay, body))

    def clear_faults(self) -> None:
        """Drop the faults not yet used (a test that ended before its call came)."""
        with self._lock:
            self._faults.clear()

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Poll until `count` calls of `method` arrived (work done after an ack is async)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                with self._lock:
                    seen = [c.method for c in self.calls]
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s, got {len(found)}; "
                    f"calls seen: {seen}"
                )
            time.sleep(0.02)

    def reset(self) -> None:
        """Forget traffic (calls, responses, uploads, faults); users and channels stay."""
        with self._lock:
            self.calls.clear()
            for posted in self.responses.values():
                posted.clear()  # issued response_urls stay valid
            self.uploads.clear()
            self.history.clear()
            self._faults.clear()

    # ---- the Web API -----------------------------------------------------------------------

    def _publish_home(self, p: dict, view: dict, view_id: str) -> dict:
        """views.publish: with ``hash``, only over the view that hash names (else
        hash_conflict, nothing changed); without it, over whatever is there. The answer's view
        carries its new hash."""
        user = str(p.get("user_id") or "")
        with self._lock:
            current = self.home_hashes.get(user)
            if p.get("hash") and current is not None and p["hash"] != current:
                return _error("hash_conflict")
            new_hash = f"{next(self._ids)}.{uuid.uuid4().hex[:8]}"
            self.home_hashes[user] = new_hash
        published = view | {"id": view_id, "team_id": self.team_id, "hash": new_hash}
        return {"ok": True, "view": published}

    def _next_ts(self) -> str:
        with self._lock:
            n = next(self._ts)
        return f"{n // 1_000_000}.{n % 1_000_000:06d}"

    def _user(self, user_id: str) -> dict | None:
        with self._lock:
            if user_id not in self.users and USER_ID.match(user_id or ""):
                self.add_user(user_id, user_id.lower())  # synthesize, so tests needn't register all
            return self.users.get(user_id)

    def _dm(self, users: list[str]) -> str:
        key = tuple(sorted(users))
        with self._lock:
            if key not in self._dms:
                self._dms[key] = f"D{next(self._ids):08d}"
            return self._dms[key]

    def _channel(self, channel_id: str) -> dict:
        with self._lock:
            name = self.channels.get(channel_id, channel_id.lower())
            private, member = channel_id in self.private, channel_id not in self.outside
        is_im = channel_id.startswith("D")
        return {
            "id": channel_id,
            "name": name,
            "is_channel": not is_im and not private,
            "is_group": private,
            "is_im": is_im,
            "is_private": private or is_im,
            "is_member": member,
        }

    def _refusal(self, method: str, channel: str) -> str | None:
        """Slack's answer to the bot in a channel it is not a member of, or None when it may.
        Posting needs membership only in a private channel (chat:write.public covers public
        ones); reading a channel's history or threads needs it everywhere."""
        with self._lock:
            if channel not in self.outside:
                return None
            private = channel in self.private
        if private:  # a private channel is invisible to non-members
            return "channel_not_found"
        if method in ("conversations.history", "conversations.replies"):
            return "not_in_channel"
        return None

    def _join(self, channel: str) -> dict:
        """conversations.join: public channels only (channels:join); a private one needs an
        invitation."""
        if not channel:
            return _error("channel_not_found")
        with self._lock:
            if channel in self.private or channel.startswith("D"):
                return _error("method_not_supported_for_channel_type")
            already = channel not in self.outside
            self.outside.discard(channel)
        answer: dict[str, Any] = {"ok": True, "channel": self._channel(channel)}
        if already:
            answer |= {
                "warning": "already_in_channel",
                "response_metadata": {"warnings": ["already_in_channel"]},
            }
        return answer

    def _answer(self, method: str, p: dict) -> dict:
        """The JSON body for an authenticated call of `method` with params `p`."""
        ok: dict[str, Any] = {"ok": True}
        if method == "oauth.v2.access":
            return self._oauth_v2_access(p)
        installed = self.token_workspaces.get(p.get("_token") or "")
        if method == "auth.test" and installed:
            return ok | {"url": "https://standin.slack.com/"} | installed
        if method == "auth.test":
            return ok | {
                "url": "https://standin.slack.com/",
                "team": "Standin",
                "user": "pacer",
                "team_id": self.team_id,
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "enterprise_id": self.enterprise_id,
                "is_enterprise_install": False,
            }
        if method == "users.info":
            user = self._user(p.get("user", ""))
            return ok | {"user": user} if user else _error("user_not_found")
        if method == "users.list":
            with self._lock:
                return ok | {"members": list(self.users.values())}
        if method == "conversations.open":
            users = [u for u in str(p.get("users", "")).split(",") if u]
            if not users and not p.get("channel"):
                return _error("users_list_not_supplied")
            return ok | {"channel": {"id": p.get("channel") or self._dm(users), "is_im": True}}
        if method == "conversations.info":
            if self._refusal(method, p.get("channel", "")) == "channel_not_found":
                return _error("channel_not_found")
            return ok | {"channel": self._channel(p.get("channel", ""))}
        if method == "conversations.join":
            return self._join(p.get("channel", ""))
        if method in ("chat.postMessage", "conversations.history", "conversations.replies"):
            refusal = self._refusal(method, p.get("channel", ""))
            if refusal:
                return _error(refusal)
        if method == "conversations.list":
            with self._lock:
                channels = [self._channel(c) for c in self.channels]
            return ok | {"channels": channels, "response_metadata": {"next_cursor": ""}}
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            if not p.get("channel"):
                return _error("channel_not_found")
            if not p.get("text") and not p.get("blocks") and method != "chat.update":
                return _error("no_text")
            if _bad_blocks(p.get("blocks"), MAX_MESSAGE_BLOCKS):
                return _error("invalid_blocks")
            channel = p["channel"]
            if USER_ID.match(channel):  # posting to a user id lands in the DM with them
                channel = self._dm([channel])
            if method == "chat.postEphemeral":
                return ok | {"message_ts": self._next_ts()}
            ts = p.get("ts") if method == "chat.update" else self._next_ts()
            message = {"type": "message", "user": "UBOT", "bot_id": "BBOT", "ts": ts}
            message |= {k: p[k] for k in ("text", "blocks", "thread_ts", "metadata") if k in p}
            if method == "chat.postMessage":
                with self._lock:
                    self.history.setdefault(channel, []).append(message)
            return ok | {
                "channel": channel,
                "ts": ts,
                "text": p.get("text", ""),
                "message": message,
            }
        if method == "conversations.history":
            # Newest first, like Slack; metadata only when asked for (include_all_metadata);
            # ``oldest``/``latest`` bounds exclusive unless ``inclusive``; pages by ``cursor``.
            with self._lock:
                messages = list(self.history.get(p.get("channel", ""), []))
            oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or 9e12)
            inclusive = str(p.get("inclusive", "")).lower() in ("1", "true")

            def within(ts: float) -> bool:
                if inclusive:
                    return oldest <= ts <= latest
                return (oldest < ts or not p.get("oldest")) and (ts < latest or not p.get("latest"))

            found = [
                m for m in reversed(messages) if within(float(m["ts"])) and "thread_ts" not in m
            ]
            if str(p.get("include_all_metadata", "")).lower() not in ("1", "true"):
                found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
            start, limit = int(p.get("cursor") or 0), int(p.get("limit") or 100)
            page, more = found[start : start + limit], len(found) > start + limit
            return ok | {
                "messages": page,
                "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""},
            }
        if method == "conversations.replies":
            # The thread's parent and its replies, oldest first, like Slack.
            ts = p.get("ts", "")
            with self._lock:
                messages = list(self.history.get(p.get("channel", ""), []))
            thread = [m for m in messages if m["ts"] == ts or m.get("thread_ts") == ts]
            if not thread:
                return _error("thread_not_found")
            if str(p.get("include_all_metadata", "")).lower() not in ("1", "true"):
                thread = [{k: v for k, v in m.items() if k != "metadata"} for m in thread]
            return ok | {"messages": thread, "has_more": False}
        if method == "chat.delete":
            return ok | {"channel": p.get("channel"), "ts": p.get("ts")}
        if method == "files.info":
            found = self.shared.get(p.get("file", ""))
            return ok | {"file": found[0]} if found else _error("file_not_found")
        if method == "files.getUploadURLExternal":
            if not p.get("filename") or not str(p.get("length", "")).isdigit():
                return _error("invalid_arguments")
            file_id = f"F{next(self._ids):08d}"
            with self._lock:
                self._files[file_id] = {"id": file_id, "name": p["filename"]}
            return ok | {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = p.get("files")
            if not isinstance(files, list) or not files:
                return _error("invalid_arguments")
            with self._lock:
                if any(f.get("id") not in self._files for f in files):
                    return _error("file_not_found")
                done = [
                    self._files[f["id"]]
                    | {"title": f.get("title"), "size": len(self.uploads.get(f["id"], b""))}
                    for f in files
                ]
            if p.get("channel_id"):  # shared in the channel (or a thread): a message with files
                message = {"type": "message", "user": "UBOT", "ts": self._next_ts(), "files": done}
                if p.get("thread_ts"):
                    message["thread_ts"] = p["thread_ts"]
                with self._lock:
                    self.history.setdefault(p["channel_id"], []).append(message)
            return ok | {"files": done}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            view = p.get("view")
            if not isinstance(view, dict):
                return _error("invalid_arguments")
            if _bad_blocks(view.get("blocks"), MAX_VIEW_BLOCKS):
                return _error("invalid_blocks")
            view_id = p.get("view_id") or f"V{next(self._ids):08d}"
            if method == "views.publish":
                return self._publish_home(p, view, view_id)
            return ok | {"view": view | {"id": view_id, "team_id": self.team_id}}
        return ok  # reactions.add and everything else


def _error(code: str) -> dict:
    return {"ok": False, "error": code}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    standin: SlackStandin  # set on the subclass that SlackStandin.start() builds

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: Any, headers: dict | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        kind = "text/plain" if isinstance(body, bytes) else "application/json; charset=utf-8"
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. a timeout test)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        s, path = self.standin, urlsplit(self.path).path
        with s._lock:
            if path == "/_standin/calls":
                return self._send(200, [asdict(c) for c in s.calls])
            if path.startswith("/response/"):
                return self._send(200, s.responses.get(path.rsplit("/", 1)[1], []))
            file_id = path.split("/")[2] if path.startswith("/files/") else ""
            shared = s.shared.get(file_id)  # a file people shared, else one uploaded earlier
            content = shared[1] if shared else s.uploads.get(file_id)
        if content is not None and self.headers.get("Authorization", "").startswith("Bearer xox"):
            return self._send(200, content)
        self._send(404, _error("not_found"))

    def do_POST(self) -> None:
        s, parts = self.standin, urlsplit(self.path)
        path, body = parts.path, self._body()
        content_type = self.headers.get("Content-Type", "")
        if path.startswith("/api/"):
            return self._api(path[len("/api/") :], body, content_type, parts.query)
        key = path.rsplit("/", 1)[1]
        if path.startswith("/upload/"):
            with s._lock:
                if key not in s._files:
                    return self._send(404, b"unknown upload url")
                s.uploads[key] = _file_bytes(body, content_type)
            return self._send(200, f"OK - {len(body)}".encode())
        if path.startswith("/response/"):
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                return self._send(400, b"invalid_payload")
            with s._lock:
                posted = s.responses.get(key)
                if posted is None or len(posted) >= RESPONSE_URL_MAX_USES:
                    return self._send(404, b"used_url" if posted else b"expired_url")
                posted.append(payload)
            return self._send(200, b"ok")
        self._send(404, _error("unknown_method"))

    do_PUT = do_POST  # an upload URL takes either

    def _api(self, method: str, body: bytes, content_type: str, query: str) -> None:
        s = self.standin
        try:
            params = _decode_params(body, content_type, query)
        except ValueError:
            return self._send(200, _error("invalid_json"))
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else params.get("token")
        if auth.startswith("Basic ") and method.startswith("oauth."):
            # slack_sdk sends the client id and secret of oauth.v2.access as Basic auth
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            params |= {"client_id": client_id, "client_secret": secret}
        call = Call(method, params, token, time.monotonic())
        with s._lock:
            fault = s._faults[method].popleft() if s._faults.get(method) else None
            if fault and fault.status != 200:
                call.failed_status = fault.status
            s.calls.append(call)
        if fault and fault.delay > 0:
            s._stopping.wait(fault.delay)
        if fault and fault.status == 200 and fault.body is not None:
            return self._send(200, fault.body)  # Slack's usual refusal: 200 with ok false
        if fault and fault.status != 200:
            headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else None
            default = "ratelimited" if fault.status == 429 else "internal_error"
            return self._send(fault.status, fault.body or _error(default), headers)
        if method not in NO_AUTH_METHODS:
            if not token:
                return self._send(200, _error("not_authed"))
            if not token.startswith(("xoxb-", "xoxp-")):
                return self._send(200, _error("invalid_auth"))
            if token in s.expired_tokens:  # replaced by a token rotation
                return self._send(200, _error("token_expired"))
            if token in s.revoked_tokens:
                return self._send(200, _error("token_revoked"))
        answer = s._answer(method, params | ({"_token": token} if token else {}))
        if method == "auth.test" and answer.get("ok"):
            scopes = ",".join(s.granted_scopes(token))
            return self._send(200, answer, {"x-oauth-scopes": scopes})
        self._send(200, answer)
