"""`pacer console`: Pacer in a terminal, offline. The real app (the same `build_app`, handlers and
rituals as in Slack) gets signed requests built as Slack builds them (`simulator.signed_requests`), its Web API
calls go to a local stand-in for Slack (`simulator.slack_standin`), and whatever Slack would show (the
private reply, posts in channels, direct messages, threads, forms, the Home tab) is drawn as text
(`simulator.textview`). It is a thin driver: every answer comes from the app; the console only types,
clicks and draws.

    Maria Lopez › /log call 12
    Pacer (only visible to you)
        ✅ Logged 12 Calls / Emails · today, Tue 24 Nov. …

Reads commands from a terminal (with readline history) or from a pipe (a script), one a line."""

import contextlib
import dataclasses
import io
import json
import logging
import os
import re
import sys
import textwrap
import time as wallclock
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import yaml
from slack_bolt.request import BoltRequest
from sqlmodel import Session, select

from bot.app import build_app
from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from bot.services import Services, make_client
from bot.settings import load_settings
from cli import manifest as manifest_cli
from rituals import contests, dates
from rituals.process import default_process
from rituals.schedule import RITUAL_KINDS, occurrence_at, ritual_kind
from rituals.teams import team_process
from simulator.demo import AES, CHANNEL_ID, CHANNEL_NAME, MANAGER, OUTSIDER, SDRS, TZ, working_days
from simulator.signed_requests import (
    block_action_payload,
    command_body,
    event_body,
    interaction_body,
    json_headers,
    signed_headers,
    view_submission_payload,
)
from simulator.slack_standin import USER_ID, SlackStandin
from simulator.textview import (
    WIDTH,
    Control,
    Field,
    initial_state,
    mrkdwn_to_text,
    options_of,
    render_message,
    render_view,
    state_text,
)
from storage import people_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Member, SalesTeam, UserProfile, Workspace

SECRET = "pacer-console-signing-secret"
DEMO_DATABASE = Path("pacer-demo") / "pacer-demo.db"
DEMO_CLOCK = time(16, 0)  # --demo opens at 16:00 on the demo's last day, after its last command
INDENT = "    "
HISTORY = Path.home() / ".pacer_console_history"
QUIET = {"pacer.requests": logging.WARNING, "pacer.rituals": logging.WARNING}
QUIET |= {"slack_bolt": logging.ERROR}  # "unhandled request" for a command Pacer doesn't have
MESSAGE_KEYS = ("text", "blocks", "thread_ts", "metadata", "attachments")
HIDDEN = {
    "users.info",
    "users.list",
    "conversations.open",
    "conversations.info",
    "conversations.list",
    "conversations.history",
    "conversations.replies",
    "conversations.join",
    "auth.test",
    "files.getUploadURLExternal",
}

HELP = """\
Type as in Slack; the console's own commands start with a colon.
  /as NAME               be someone: a name, a first name or a user id (a new name adds a person)
  /log call 12 …         any of Pacer's slash commands; @name, #channel and @here become
                         mentions, as Slack makes them
  N   or  :press N       press button N of the last thing shown (:press N CHOICE for a menu)
  :set N VALUE           fill input N of the open form; :submit sends it, :close closes it
  :home                  open your Home tab (Slack's app_home_opened)
  :run KIND              run a ritual now: {kinds}
  :time 2026-11-24T11:00 set the clock (team time, or with an offset); `:time 17:30` the same day;
                         `:time now` the real time; `:time` shows it
  :people                who is in this workspace;  :add NAME  adds a person to it
  :help   :quit"""


class ConsoleClock:
    """Services.clock: the real time, or the instant `:time` set."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at or datetime.now(UTC)


class Inline:
    """After-ack work (and Bolt's lazy listeners) done before dispatch returns, so what a
    command causes is on screen before the next one is typed."""

    def submit(self, job, *args, **kwargs) -> None:
        job(*args, **kwargs)

    def shutdown(self, wait: bool = True) -> None:
        pass


@dataclass
class Surface:
    """Where a button was drawn: a message (in a channel or DM; ephemeral or not) or a view."""

    kind: str  # message | modal | home
    channel: str | None = None
    ts: str | None = None
    message: dict | None = None
    ephemeral: bool = False
    view: dict | None = None


@dataclass
class Modal:
    """An open form: the view as opened, what is filled in (block_id → the input's state, as a
    view_submission reports it), and the errors Pacer put on its fields."""

    view: dict
    state: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    fields: list[Field] = field(default_factory=list)

    @classmethod
    def opened(cls, view: dict, view_id: str, keep: dict | None = None) -> "Modal":
        """A view as opened; ``keep`` (an updated view's old state) carries over what was typed
        in inputs whose block_id and kind are unchanged, as Slack does."""
        view = dict(view) | {"id": view.get("id") or view_id}
        blocks = []
        for index, block in enumerate(view.get("blocks") or []):
            if block.get("type") == "input" and not block.get("block_id"):
                block = dict(block) | {"block_id": f"input{index}"}  # Slack names unnamed blocks
            blocks.append(block)
        view["blocks"] = blocks
        state = {}
        for b in blocks:
            if b.get("type") == "input":
                fresh = initial_state(b.get("element") or {})
                kept = (keep or {}).get(b["block_id"])
                state[b["block_id"]] = kept if kept and kept.get("type") == fresh["type"] else fresh
        return cls(view, state)

    def values(self) -> dict:
        """view.state.values as Slack sends it: block_id → action_id → state."""
        out = {}
        for block in self.view.get("blocks") or []:
            if block.get("type") == "input":
                action_id = (block.get("element") or {}).get("action_id") or "value"
                out[block["block_id"]] = {action_id: self.state.get(block["block_id"], {})}
        return out

    def as_sent(self) -> dict:
        """The view as it comes back in a payload: with its id, state and hash."""
        return self.view | {"state": {"values": self.values()}, "hash": "console"}


class Console:
    """One console session: the app, the stand-in, who you are, and what is on screen."""

    def __init__(self, database_url: str, out, *, now: datetime | None = None, admins=()):
        self.out = out
        self.engine = make_engine(database_url)
        upgrade(self.engine)
        self.database_url = database_url
        with Session(self.engine) as session:
            workspace = session.exec(select(Workspace).order_by(Workspace.id)).first()
        self.slack_team = workspace.slack_team_id if workspace else "T0001"
        self.enterprise = (workspace.enterprise_id or None) if workspace else None
        self.empty = workspace is None
        self.standin = SlackStandin(team_id=self.slack_team).start()
        settings = load_settings(
            {
                "SLACK_BOT_TOKEN": "xoxb-console",
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": self.standin.url,
                "DATABASE_URL": database_url,
                "PACER_ADMINS": ",".join(sorted({MANAGER.user_id, *admins})),
            }
        )
        self.clock = ConsoleClock(now)
        self.services = Services(
            settings, self.engine, make_client(settings), self.clock, background=Inline()
        )
        self.app = build_app(self.services)
        # The Home tab is published by a lazy listener: run it inline too, not in Bolt's threads.
        self.app.listener_runner.lazy_listener_runner.executor = Inline()
        self.me: str | None = None
        self.controls: list[tuple[Control, Surface]] = []
        self.modals: list[Modal] = []
        self.homes: dict[str, dict] = {}
        self.on_home = False  # looking at the Home tab: Pacer's refreshes of it are drawn
        self.seen_calls = 0
        self.placed: set[tuple[str, str]] = set()  # (channel, ts) of posts already drawn
        self.commands = known_commands()
        self.load_people()

    def close(self) -> None:
        self.standin.stop()
        self.engine.dispose()

    # -- who and where ------------------------------------------------------------------------

    def load_people(self) -> None:
        """Everyone the database knows (names and timezones Pacer cached from Slack) becomes a
        person in the stand-in Slack; the demo's cast too, on the demo's database."""
        with Session(self.engine) as session:
            profiles = list(session.exec(select(UserProfile)))
            members = list(session.exec(select(Member)))
            teams = list(session.exec(select(SalesTeam)))
        for profile in profiles:
            self.standin.add_user(profile.user_id, profile.display_name, tz=_tz(profile.tz))
        if any(m.user_id == MANAGER.user_id for m in members):
            for person in (MANAGER, OUTSIDER, *SDRS, *AES):
                if person.user_id not in self.standin.users:
                    self.standin.add_user(person.user_id, person.name, tz=str(TZ))
        for member in members:
            if member.user_id not in self.standin.users:
                self.standin.add_user(member.user_id, member.user_id.lower())
        self.standin.add_channel(CHANNEL_ID, CHANNEL_NAME)
        for team in teams:
            for channel in (team.channel_id, team.coaching_channel_id):
                if channel and channel not in self.standin.channels:
                    self.standin.add_channel(channel, channel.lower())

    def names(self) -> dict[str, str]:
        return {uid: u.get("real_name") or u["name"] for uid, u in self.standin.users.items()}

    def name(self, user_id: str | None) -> str:
        return self.names().get(user_id or "", user_id or "nobody")

    def find(self, query: str) -> list[str]:
        """People a name could mean: a user id, a full name, or the start of a name."""
        wanted = query.strip().lstrip("@").casefold()
        people = self.names()
        if not wanted:
            return []
        if wanted.upper() in people:
            return [wanted.upper()]
        exact = [u for u, n in people.items() if n.casefold() == wanted]
        if exact:
            return exact
        return [
            u
            for u, n in people.items()
            if n.casefold().startswith(wanted)
            or any(w.startswith(wanted) for w in n.casefold().split())
        ]

    def my_team(self) -> SalesTeam | None:
        """The team of whoever you are, else the workspace's first team."""
        with Session(self.engine) as session:
            member = session.exec(
                select(Member).where(Member.user_id == (self.me or ""), Member.active)
            ).first()
            if member is not None:
                return session.get(SalesTeam, member.team_id)
            return session.exec(select(SalesTeam).order_by(SalesTeam.id)).first()

    def team_tz(self):
        team = self.my_team()
        if team is None:
            return default_process().calendar.tz
        with Session(self.engine) as session:
            return team_process(session, team.id)[0].calendar.tz

    def channel(self) -> str:
        """Where commands are typed: the team's channel, else #sales."""
        team = self.my_team()
        return (team.channel_id if team else None) or CHANNEL_ID

    def where(self, channel: str) -> str:
        if channel in self.standin.channels:
            return "#" + self.standin.channels[channel]
        if USER_ID.match(channel):
            return f"direct message to {self.name(channel)}"
        if channel.startswith("D"):
            dms = {v: k for k, v in getattr(self.standin, "_dms", {}).items()}
            users = dms.get(channel, ())
            if len(users) == 1:
                return f"direct message to {self.name(users[0])}"
            if users:
                return "group message with " + ", ".join(self.name(u) for u in users)
            return "a direct message"
        return "#" + channel.lower()

    # -- typing, as Slack delivers it -----------------------------------------------------------

    def slack_text(self, text: str) -> str:
        """What Slack sends for what was typed (should_escape): &, <, > escaped; @name, @here
        and #channel made into mentions, as Slack's autocomplete does."""
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out, i = [], 0
        while i < len(text):
            before = text[i - 1] if i else " "
            if text[i] == "@" and not (before.isalnum() or before in "@/"):
                hit = self.mention_at(text, i + 1)
                if hit:
                    out.append(hit[1])
                    i += 1 + hit[0]
                    continue
            if text[i] == "#" and before.isspace():
                found = re.match(r"[A-Za-z0-9][\w-]*", text[i + 1 :])
                if found and re.search("[A-Za-z]", found.group()):
                    out.append(self.channel_mention(found.group().lower()))
                    i += 1 + len(found.group())
                    continue
            out.append(text[i])
            i += 1
        return "".join(out)

    def mention_at(self, text: str, start: int) -> tuple[int, str] | None:
        rest = text[start:]
        special = re.match(r"(channel|here|everyone)\b", rest)
        if special:
            return len(special.group()), f"<!{special.group()}>"
        for user_id, name in sorted(self.names().items(), key=lambda p: -len(p[1])):
            after = rest[len(name) : len(name) + 1]
            if rest[: len(name)].casefold() == name.casefold() and not after.isalnum():
                return len(name), f"<@{user_id}|{_handle(name)}>"
        token = re.match(r"[\w.'-]*\w", rest)
        if token:
            found = self.find(token.group())
            if len(found) == 1:
                return len(token.group()), f"<@{found[0]}|{_handle(token.group())}>"
        return None

    def channel_mention(self, name: str) -> str:
        known = {n: c for c, n in self.standin.channels.items()}
        if name not in known:
            channel = f"C0CON{len(self.standin.channels) + 1:04d}"
            self.standin.add_channel(channel, name)
            self.print(f"(#{name} is a new channel in the stand-in Slack)")
            known[name] = channel
        return f"<#{known[name]}|{name}>"

    # -- the loop -------------------------------------------------------------------------------

    def print(self, *lines: str) -> None:
        """Lines to the screen; the console's own sentences wrapped like Pacer's messages (drawn
        messages are indented and wrapped already, typed lines are left as typed)."""
        out = []
        for line in lines:
            if len(line) > WIDTH and not line.startswith((" ", self.prompt())):
                out += textwrap.wrap(line, WIDTH, subsequent_indent="  ")
            else:
                out.append(line)
        print(*out, sep="\n", file=self.out)

    def prompt(self) -> str:
        return f"{self.name(self.me) if self.me else 'you'} › "

    def handle(self, line: str) -> bool:
        """One line typed; False when the session ends."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        word, rest = word.lower(), rest.strip()
        if word in (":quit", ":q", ":exit", "/quit", "/exit"):
            return False
        try:
            if word == "/as":
                self.be(rest)
            elif line.isdigit():
                self.press(int(line), "")
            elif word in (":press", ":p"):
                number, _, choice = rest.partition(" ")
                if not number.isdigit():
                    self.print("Type the button's number: `:press 2`, or just `2`.")
                else:
                    self.press(int(number), choice.strip())
            elif word == ":set":
                self.set_field(rest)
            elif word == ":submit":
                self.submit()
            elif word in (":close", ":cancel"):
                self.close_modal()
            elif word == ":home":
                self.home()
            elif word == ":run":
                self.run(rest)
            elif word == ":time":
                self.set_time(rest)
            elif word == ":people":
                self.people()
            elif word == ":add":
                self.add(rest)
            elif word in (":help", ":h", "/help", "help"):
                self.print(HELP.format(kinds=", ".join(RITUAL_KINDS)))
            elif word.startswith("/"):
                self.slash(word, rest)
            elif word.startswith(":"):
                self.print(f"`{word}` isn't a console command; `:help` lists them.")
            else:
                self.print(
                    "Type a slash command as in Slack (`/log call 12`), a button's number, or "
                    "`:help` for the console's commands."
                )
        except Exception as error:  # the console survives whatever it is fed
            logging.getLogger("pacer.console").exception("console: %s failed", line)
            self.print(f"(the console could not do that: {type(error).__name__}: {error})")
        return True

    def intro(self) -> None:
        with Session(self.engine) as session:
            teams = people_queries.teams(session)
            roles = {
                m.user_id: ("manager" if m.is_manager else m.role or "member")
                for m in session.exec(select(Member).where(Member.active))
            }
        self.print(
            "Pacer console · the real app against a local stand-in for Slack; nothing leaves "
            "this computer.",
            f"Database: {self.database_url} · "
            + (
                ", ".join(
                    f"{t.name} ({self.where(t.channel_id) if t.channel_id else 'no channel'})"
                    for t in teams
                )
                or "no team yet"
            ),
        )
        self.show_time()
        if self.empty:
            self.print(
                "An empty database: `/as yourname` adds you to the stand-in Slack as a Pacer "
                "admin, `:add Sam Okafor` adds a teammate; then set the team up as in Slack: "
                "`/pacer team add @sam sdr`, `/pacer manager @yourname`, `/pacer channel #sales`.",
            )
        else:
            known = [f"{self.name(u)} ({r})" for u, r in roles.items()]
            example = self.name(next(iter(roles), "maria")).split()[0].lower()
            self.print(f"Pick who you are: `/as {example}`. People: " + ", ".join(known) + ".")
        self.print("`:help` lists the console's commands.", "")

    def people(self) -> None:
        with Session(self.engine) as session:
            members = {m.user_id: m for m in session.exec(select(Member).where(Member.active))}
        lines = []
        for user_id, name in sorted(self.names().items(), key=lambda p: p[1]):
            member = members.get(user_id)
            role = (
                ("manager" if member.is_manager else member.role or "member")
                if member
                else "not on a team"
            )
            you = " ← you" if user_id == self.me else ""
            lines.append(f"{INDENT}{name} ({user_id}) · {role}{you}")
        self.print(*(lines or [f"{INDENT}nobody yet: `/as yourname`"]), "")

    def be(self, who: str) -> None:
        if not who:
            self.print(
                "Say who: `/as maria` (a name, a first name or a user id); `:people` lists them."
            )
            return
        found = self.find(who)
        if len(found) > 1:
            self.print(
                f"“{who}” could be "
                + ", ".join(self.name(u) for u in found)
                + ": type more of the name, or the user id."
            )
            return
        if found:
            self.switch(found[0])
            self.print(f"You are {self.name(self.me)} ({self.me}).", "")
            return
        user_id = self.new_user_id(who)
        self.standin.add_user(user_id, who, tz=str(self.team_tz()))
        self.switch(user_id)
        note = ""
        if self.empty and not self.promoted():
            admins = self.services.settings.admins | {user_id}
            self.services.settings = dataclasses.replace(self.services.settings, admins=admins)
            note = (
                " As the first person on an empty database you are a Pacer admin (as if "
                f"PACER_ADMINS={user_id}), so you can set the team up: `/pacer team add @name sdr`."
            )
        others = [n for u, n in self.names().items() if u != user_id]
        known = f" (people here: {', '.join(sorted(others))})" if others else ""
        self.print(
            f"Nobody here is called “{who}”{known}, so {who} ({user_id}) joins the stand-in "
            f"Slack, and you are {who}.{note}",
            "",
        )

    def switch(self, user_id: str) -> None:
        """Become someone else: their screen has the channels' posts, not the last person's
        private replies, forms or Home tab."""
        if user_id != self.me:
            self.modals.clear()
            self.on_home = False
            self.controls = [
                (control, surface)
                for control, surface in self.controls
                if surface.kind == "message"
                and not surface.ephemeral
                and (surface.channel or "").startswith(("C", "G"))
            ]
        self.me = user_id

    def add(self, who: str) -> None:
        """A new person in the stand-in Slack (a teammate to mention), without becoming them."""
        if not who:
            self.print("Say who: `:add Sam Okafor`.")
            return
        found = [u for u in self.find(who) if self.name(u).casefold() == who.casefold()]
        if found:
            self.print(f"{self.name(found[0])} ({found[0]}) is already here.")
            return
        user_id = self.new_user_id(who)
        self.standin.add_user(user_id, who, tz=str(self.team_tz()))
        self.print(
            f"{who} ({user_id}) joins the stand-in Slack; mention them as @{who.split()[0]}."
        )

    def promoted(self) -> bool:
        return any(u not in (MANAGER.user_id,) for u in self.services.settings.admins)

    def new_user_id(self, name: str) -> str:
        stem = re.sub(r"[^A-Z0-9]", "", name.upper())[:7] or "PERSON"
        user_id, n = f"U0{stem}", 1
        while user_id in self.standin.users:
            n += 1
            user_id = f"U0{stem}{n}"
        return user_id

    # -- Slack's side of each action ----------------------------------------------------------

    def dispatch(self, body: str, headers: dict):
        return self.app.dispatch(BoltRequest(body=body, headers=headers))

    def slash(self, command: str, text: str) -> None:
        if self.me is None:
            self.print("Pick who you are first: `/as maria` (`:people` lists who is here).")
            return
        if self.commands and command not in self.commands:
            self.print(
                f"Slack would say: {command} is not a valid command. Pacer's commands are "
                f"{', '.join(self.commands)}; the console's own start with a colon (`:help`)."
            )
            return
        url = self.standin.new_response_url()
        channel = self.channel()
        self.on_home = False  # slash commands are typed in a channel
        body = command_body(
            command,
            self.slack_text(text),
            self.me,
            team_id=self.slack_team,
            channel_id=channel,
            response_url=url,
            enterprise_id=self.enterprise,
            user_name=_handle(self.name(self.me)),
        )
        response = self.dispatch(body, signed_headers(SECRET, body))
        shown = Screen(self)
        if response.status == 404:
            self.print(
                f"Slack would say: {command} is not a valid command (Pacer doesn't handle it)."
            )
            return
        if response.status != 200:
            self.print(
                f"Slack would say: {command} failed with the error “http_error_{response.status}”."
            )
        reply = _json(response.body)
        if reply.get("text") or reply.get("blocks"):
            if reply.get("response_type") == "in_channel":
                head = f"Pacer › {self.where(channel)} (everyone sees it, under your command)"
            else:
                head = "Pacer (only visible to you)"
            shown.message(head, reply, Surface("message", channel, None, reply, ephemeral=True))
        shown.responses(url, Surface("message", channel, None, None, ephemeral=True))
        shown.calls()
        shown.done()

    def press(self, number: int, choice: str) -> None:
        if self.me is None:
            self.print("Pick who you are first: `/as maria`.")
            return
        if not self.controls:
            self.print("No button on screen: a command's reply, a post or `:home` shows some.")
            return
        chosen = [(c, s) for c, s in self.controls if c.number == number]
        if not chosen:
            faces = ", ".join(f"{c.number} {_face(c)}" for c, _ in self.controls)
            self.print(f"There's no button {number} on screen; the ones there are: {faces}.")
            return
        control, surface = chosen[0]
        action = self.action(control, choice)
        if action is None:
            return
        url = self.standin.new_response_url() if surface.kind == "message" else None
        self.on_home = surface.kind == "home" or (self.on_home and surface.kind == "modal")
        view = None
        if surface.kind == "modal" and self.modals:
            view = self.modals[-1].as_sent()
        elif surface.kind == "home":
            view = surface.view
        payload = block_action_payload(
            self.me,
            action["action_id"],
            action.get("value", ""),
            team_id=self.slack_team,
            channel_id=surface.channel if surface.kind == "message" else None,
            message_ts=surface.ts,
            response_url=url or "",
            view=view,
            block_id=control.block_id,
        )
        payload["actions"] = [action]
        payload["user"]["name"] = _handle(self.name(self.me))
        if surface.kind == "message" and surface.channel:
            payload["channel"]["name"] = self.where(surface.channel).lstrip("#")
            if surface.ephemeral:
                payload["container"]["is_ephemeral"] = True
                payload.pop("message", None)  # Slack doesn't send an ephemeral message back
            else:
                payload["message"] = {"type": "message", "user": "UBOT", "bot_id": "BBOT"}
                shown = {k: v for k, v in (surface.message or {}).items() if k in MESSAGE_KEYS}
                payload["message"] |= shown | {"ts": surface.ts}
        else:
            payload.pop("response_url", None)  # buttons in views have none
        if self.enterprise:
            payload["enterprise"] = {"id": self.enterprise}
        self.print(f"(you press [{number} · {_face(control)}] {_place(self, surface)})")
        body = interaction_body(payload)
        response = self.dispatch(body, signed_headers(SECRET, body))
        shown = Screen(self)
        if response.status == 404:
            self.print("(Pacer doesn't handle this button: nothing happens, as in Slack.)")
        if url:
            shown.responses(url, surface)
        shown.calls()
        shown.done()

    def action(self, control: Control, choice: str) -> dict | None:
        """The block_actions ``actions[0]`` for pressing this control (choosing ``choice``)."""
        element = control.element
        kind = element.get("type", "button")
        action = {
            "type": kind,
            "action_id": element.get("action_id", ""),
            "block_id": control.block_id,
            "action_ts": f"{wallclock.time():.6f}",
        }
        if kind == "button":
            action["text"] = element.get("text")
            if "value" in element:
                action["value"] = element["value"]
            return action
        if kind in ("static_select", "external_select", "overflow", "radio_buttons"):
            options = options_of(element)
            picked = pick_option(options, choice)
            if picked is None:
                listed = " · ".join(f"{i} {_text(o)}" for i, o in enumerate(options, 1))
                self.print(
                    f"Button {control.number} is a menu: `:press {control.number} CHOICE`, one of: {listed}"
                )
                return None
            action["selected_option"] = picked
            return action
        if kind == "datepicker":
            try:
                action["selected_date"] = date.fromisoformat(choice).isoformat()
            except ValueError:
                self.print(
                    f"Button {control.number} picks a day: `:press {control.number} 2026-11-24`."
                )
                return None
            return action
        if kind == "users_select":
            found = self.find(choice)
            if len(found) != 1:
                self.print(
                    f"Button {control.number} picks a person: `:press {control.number} @maria`."
                )
                return None
            action["selected_user"] = found[0]
            return action
        self.print(f"The console can't work a {kind.replace('_', ' ')} outside a form.")
        return None

    # -- forms --------------------------------------------------------------------------------

    def set_field(self, rest: str) -> None:
        if not self.modals:
            self.print("No form is open: a button or a command (e.g. `/log` alone) opens one.")
            return
        modal = self.modals[-1]
        number, _, value = rest.partition(" ")
        if not number.isdigit() or not 1 <= int(number) <= len(modal.fields):
            span = f"1–{len(modal.fields)}" if modal.fields else "none"
            self.print(f"`:set N VALUE`, N being the input's number ({span} in this form).")
            return
        target = modal.fields[int(number) - 1]
        state, problem = self.fill(target.element, value.strip())
        if problem:
            self.print(f"Slack would not take that for “{target.label}”: {problem}")
            return
        modal.state[target.block_id] = state
        modal.errors.pop(target.block_id, None)
        shown = Screen(self)
        shown.modal("The form now reads:")
        shown.done()

    def fill(self, element: dict, value: str) -> tuple[dict, str | None]:
        """An input's new state from what was typed, checked as Slack's own client checks it
        (a number field takes only numbers, a select only its options)."""
        kind = element.get("type", "")
        state = initial_state(element)
        for key in list(state):
            if key != "type":
                state[key] = [] if isinstance(state[key], list) else None
        if not value:
            return state, None
        if kind == "number_input":
            try:
                number = float(value) if element.get("is_decimal_allowed") else int(value)
            except ValueError:
                whole = "" if element.get("is_decimal_allowed") else "whole "
                return state, f"it takes a {whole}number."
            low, high = element.get("min_value"), element.get("max_value")
            if low is not None and number < float(low):
                return state, f"the smallest it takes is {low}."
            if high is not None and number > float(high):
                return state, f"the largest it takes is {high}."
            state["value"] = value
        elif kind in ("plain_text_input", "email_text_input", "url_text_input"):
            text = value.replace("\\n", "\n")
            longest = element.get("max_length")
            if longest and len(text) > int(longest):
                return state, f"it takes at most {longest} characters."
            state["value"] = text
        elif kind in ("static_select", "external_select", "radio_buttons"):
            picked = pick_option(options_of(element), value)
            if picked is None:
                return state, "choose one of its options (by number or by name)."
            state["selected_option"] = picked
        elif kind in ("multi_static_select", "multi_external_select", "checkboxes"):
            chosen = [pick_option(options_of(element), v.strip()) for v in value.split(",")]
            if None in chosen:
                return state, "choose among its options (numbers or names, commas between)."
            state["selected_options"] = chosen
        elif kind == "users_select":
            found = self.find(value)
            if len(found) != 1:
                return (
                    state,
                    f"pick one person: @name ({'nobody' if not found else 'several'} match).",
                )
            state["selected_user"] = found[0]
        elif kind == "multi_users_select":
            people = []
            for word in re.split(r"[,\s]+(?=@)|,\s*", value):
                found = self.find(word)
                if len(found) != 1:
                    return state, f"“{word}” is {'nobody here' if not found else 'ambiguous'}."
                people.append(found[0])
            state["selected_users"] = list(dict.fromkeys(people))
        elif kind in (
            "conversations_select",
            "channels_select",
            "multi_conversations_select",
            "multi_channels_select",
        ):
            ids = [
                re.match(r"<#(\w+)", self.channel_mention(v.strip().lstrip("#"))).group(1)
                for v in value.split()
            ]
            key = {
                "conversations_select": "selected_conversation",
                "channels_select": "selected_channel",
            }
            if kind in key:
                state[key[kind]] = ids[0]
            else:
                state[
                    "selected_conversations" if "conversations" in kind else "selected_channels"
                ] = ids
        elif kind == "datepicker":
            try:
                state["selected_date"] = date.fromisoformat(value).isoformat()
            except ValueError:
                return state, "pick a day as YYYY-MM-DD."
        elif kind == "timepicker":
            try:
                state["selected_time"] = time.fromisoformat(value).strftime("%H:%M")
            except ValueError:
                return state, "pick a time as HH:MM."
        else:
            return state, f"the console can't fill a {kind.replace('_', ' ')}."
        return state, None

    def submit(self) -> None:
        if not self.modals:
            self.print("No form is open to submit.")
            return
        modal = self.modals[-1]
        if not modal.view.get("submit"):
            self.print("This view has no submit button; `:close` closes it.")
            return
        missing = {
            f.block_id: "Please complete this required field."
            for f in modal.fields
            if not f.block.get("optional") and not state_text(modal.state.get(f.block_id))
        }
        if missing:  # Slack's client refuses before anything is sent
            modal.errors = missing
            shown = Screen(self)
            shown.modal("Slack keeps the form open (nothing sent):")
            shown.done()
            return
        view = modal.as_sent()
        payload = view_submission_payload(
            self.me,
            view.get("callback_id", ""),
            view["state"]["values"],
            team_id=self.slack_team,
            private_metadata=view.get("private_metadata", ""),
            view_id=view["id"],
        )
        payload["view"] = view | {"team_id": self.slack_team, "app_id": "A0PACER01"}
        body = interaction_body(payload)
        response = self.dispatch(body, signed_headers(SECRET, body))
        answer = _json(response.body)
        shown = Screen(self)
        action = answer.get("response_action")
        if response.status != 200:
            self.print(
                f"Slack would show: “We had some trouble connecting” (HTTP {response.status})."
            )
        elif action == "errors":
            modal.errors = answer.get("errors") or {}
            shown.modal("Pacer keeps the form open, with what to fix:")
        elif action == "update":
            self.modals[-1] = Modal.opened(answer.get("view") or {}, view["id"], modal.state)
            shown.modal("The form changes to:")
        elif action == "push":
            self.modals.append(Modal.opened(answer.get("view") or {}, self.next_view_id()))
            shown.modal("A second form opens on top:")
        elif action == "clear":
            self.modals.clear()
            self.print("(every form closes)")
        else:
            self.modals.pop()
            self.print("(the form closes)")
        shown.calls()
        shown.done()

    def close_modal(self) -> None:
        if not self.modals:
            self.print("No form is open.")
            return
        modal = self.modals.pop()
        self.print("(the form closes)")
        if modal.view.get("notify_on_close"):
            payload = {
                "type": "view_closed",
                "user": {"id": self.me, "team_id": self.slack_team},
                "team": {"id": self.slack_team},
                "api_app_id": "A0PACER01",
                "view": modal.as_sent(),
                "is_cleared": False,
            }
            body = interaction_body(payload)
            self.dispatch(body, signed_headers(SECRET, body))
            shown = Screen(self)
            shown.calls()
            shown.done()
        elif self.modals:
            shown = Screen(self)
            shown.modal("Back to:")
            shown.done()

    def next_view_id(self) -> str:
        """A fresh view id, unique like Slack's (Pacer may key exactly-once on it)."""
        return "V" + uuid.uuid4().hex[:10].upper()

    # -- Home, rituals, time ------------------------------------------------------------------

    def home(self) -> None:
        if self.me is None:
            self.print("Pick who you are first: `/as maria`.")
            return
        event = {
            "type": "app_home_opened",
            "user": self.me,
            "channel": f"D{self.me[1:]}",  # the person's conversation with Pacer
            "tab": "home",
            "event_ts": f"{wallclock.time():.6f}",
        }
        if self.me in self.homes:
            event["view"] = self.homes[self.me]
        self.on_home = True
        body = event_body(event, team_id=self.slack_team)
        self.dispatch(body, json_headers(SECRET, body))
        shown = Screen(self)
        shown.calls()
        if not shown.published_home:
            self.print("(Pacer published no Home tab.)")
        shown.done()

    def run(self, word: str) -> None:
        if not word:
            self.print(f"Which ritual? `:run daily` (one of {', '.join(RITUAL_KINDS)}).")
            return
        try:
            kind = ritual_kind(word)
        except ValueError as error:
            self.print(f"{error}.")
            return
        team = self.my_team()
        if team is None:
            self.print("No team yet: set one up first (`/pacer team add @sam sdr`).")
            return
        now = self.clock()
        with Session(self.engine) as session:
            process, _ = team_process(session, team.id)
            if kind == "standings":
                owed = [
                    contests.standings_occurrence(contest, process, now)
                    for contest in contests.running(session, team.id, now)
                ]
            else:
                owed = [occurrence_at(process, kind, now)]
        if not owed:
            self.print("No contest is running: start one with `/contest start`.")
            return
        local = now.astimezone(process.calendar.tz)
        for occurrence in owed:
            outcome = run_ritual(
                self.services, team.id, occurrence, now, pacer=ChannelPacer(0), owner="console"
            )
            if outcome.status == "settled":
                self.print(
                    f"({kind} {occurrence.period_key}: {outcome.detail} already. A ritual runs "
                    "once for its period; `:time` to a later day or week runs the next one.)"
                )
            else:
                when = f"{dates.short_time(local)}"
                self.print(f"({kind} {occurrence.period_key}, as of {when}: {outcome})")
        shown = Screen(self)
        shown.calls()
        shown.done()

    def set_time(self, text: str) -> None:
        tz = self.team_tz()
        if text.lower() == "now":
            self.clock.at = None
        elif text:
            try:
                self.clock.at = parse_moment(text, self.clock().astimezone(tz), tz)
            except ValueError:
                self.print(
                    "`:time` takes a moment in team time (`:time 2026-11-24T11:00`, "
                    "`:time 2026-11-24`, `:time 17:30`), one with an offset "
                    "(`2026-11-24T11:00-05:00`), or `:time now`."
                )
                return
        self.show_time()

    def show_time(self) -> None:
        tz = self.team_tz()
        local = self.clock().astimezone(tz)
        real = "" if self.clock.at else ", the real time"
        self.print(f"Clock: {dates.long_time(local)} {tz}{real} (`:time` moves it).")


class Screen:
    """What one action made Slack show, drawn in order; the buttons drawn become the ones a
    number presses."""

    def __init__(self, console: Console) -> None:
        self.c = console
        self.controls: list[Control] = []
        self.surfaces: list[Surface] = []
        self.published_home = False
        self.replaced: list[Surface] = []  # messages Pacer replaced: their old buttons are gone

    def draw(self, head: str, text: str, surface: Surface, indent: str = INDENT) -> None:
        self.surfaces += [surface] * (len(self.controls) - len(self.surfaces))
        lines = [indent + line if line else "" for line in text.splitlines()]
        self.c.print(head, *lines, "")

    def message(self, head: str, message: dict, surface: Surface, indent: str = INDENT) -> None:
        text = render_message(
            message, self.c.names(), self.c.standin.channels, controls=self.controls
        )
        self.draw(head, text, surface, indent)

    def modal(self, head: str) -> None:
        modal = self.c.modals[-1]
        fields: list[Field] = []
        text = render_view(
            modal.view,
            self.c.names(),
            self.c.standin.channels,
            controls=self.controls,
            fields=fields,
            state=modal.state,
            errors=modal.errors,
        )
        modal.fields = fields
        hint = "`:set N VALUE` fills input N, `:submit` sends, `:close` closes" if fields else ""
        self.draw(head + (f" ({hint})" if hint else ""), text, Surface("modal"))

    def responses(self, url: str, surface: Surface) -> None:
        """What Pacer sent to the response_url (respond()): a private reply, or a replacement."""
        for payload in self.c.standin.responses.get(url.rsplit("/", 1)[1], []):
            where = self.c.where(surface.channel or "")
            if payload.get("replace_original") or payload.get("delete_original"):
                self.replaced.append(surface)
            if payload.get("delete_original"):
                self.c.print(f"Pacer deletes the message the button was on ({where})", "")
                continue
            if payload.get("replace_original"):
                head = f"Pacer replaces the message the button was on ({where}) with"
                new = Surface("message", surface.channel, surface.ts, payload, surface.ephemeral)
            elif payload.get("response_type") == "in_channel":
                head = f"Pacer › {where} (everyone sees it)"
                new = Surface("message", surface.channel, None, payload, ephemeral=True)
            else:
                head = "Pacer (only visible to you)"
                new = Surface("message", surface.channel, None, payload, ephemeral=True)
            self.message(head, payload, new)

    def calls(self) -> None:
        """Every Web API call Pacer made since the last action, as what people would see."""
        c = self.c
        calls = c.standin.calls[c.seen_calls :]
        c.seen_calls += len(calls)
        for call in calls:
            p, method = call.params, call.method
            if method in HIDDEN or call.failed_status:
                continue
            if method == "chat.postMessage":
                channel, ts = self.place(p)
                surface = Surface("message", channel, ts, p)
                if p.get("thread_ts"):
                    self.message(
                        f"  ↳ Pacer replies in the thread ({c.where(channel)})",
                        p,
                        surface,
                        INDENT + "  ",
                    )
                else:
                    self.message(f"Pacer › {c.where(channel)}", p, surface)
            elif method == "chat.postEphemeral":
                channel = p.get("channel", "")
                head = f"Pacer › {c.where(channel)}, only visible to {c.name(p.get('user'))}"
                self.message(head, p, Surface("message", channel, None, p, ephemeral=True))
            elif method == "chat.update":
                channel = p.get("channel", "")
                self.replaced.append(Surface("message", channel, p.get("ts")))
                head = f"Pacer updates its message in {c.where(channel)}"
                self.message(head, p, Surface("message", channel, p.get("ts"), p))
            elif method == "chat.delete":
                self.replaced.append(Surface("message", p.get("channel", ""), p.get("ts")))
                c.print(f"Pacer deletes its message in {c.where(p.get('channel', ''))}", "")
            elif method == "reactions.add":
                emoji = mrkdwn_to_text(f":{p.get('name', '')}:")
                c.print(f"Pacer reacts {emoji} to a message in {c.where(p.get('channel', ''))}", "")
            elif method == "files.completeUploadExternal":
                where = c.where(p.get("channel_id") or "")
                thread = " (in the thread)" if p.get("thread_ts") else ""
                shared = {"files": [dict(f) | {"name": ""} for f in p.get("files") or []]}
                self.message(f"Pacer shares a file in {where}{thread}", shared, Surface("message"))
            elif method == "views.open":
                c.modals = [Modal.opened(p.get("view") or {}, c.next_view_id())]
                self.modal("A form opens")
            elif method == "views.push":
                c.modals.append(Modal.opened(p.get("view") or {}, c.next_view_id()))
                self.modal("A second form opens on top")
            elif method == "views.update":
                self.update_view(p)
            elif method == "views.publish":
                self.publish(p)
            else:
                c.print(f"(Pacer called {method})", "")

    def place(self, params: dict) -> tuple[str, str]:
        """The channel and ts the stand-in gave a posted message."""
        wanted = params.get("channel", "")
        for channel, posted in self.c.standin.history.items():
            if not USER_ID.match(wanted) and channel != wanted:
                continue
            for message in posted:
                key = (channel, message["ts"])
                if key in self.c.placed:
                    continue
                if all(message.get(k) == params.get(k) for k in ("text", "blocks", "thread_ts")):
                    self.c.placed.add(key)
                    return key
        return wanted, ""

    def update_view(self, params: dict) -> None:
        c = self.c
        view = params.get("view") or {}
        for index, modal in enumerate(c.modals):
            if modal.view.get("id") == params.get("view_id") or (
                params.get("external_id") and modal.view.get("external_id") == params["external_id"]
            ):
                c.modals[index] = Modal.opened(view, modal.view["id"], modal.state)
                if index == len(c.modals) - 1:
                    self.modal("The form changes to")
                return
        for user, home in c.homes.items():
            if home.get("id") == params.get("view_id"):
                self.publish({"user_id": user, "view": view | {"id": home["id"]}})
                return
        if c.modals:
            c.modals[-1] = Modal.opened(view, c.modals[-1].view["id"], c.modals[-1].state)
            self.modal("The form changes to")

    def publish(self, params: dict) -> None:
        c = self.c
        user = params.get("user_id", "")
        view = dict(params.get("view") or {})
        view["id"] = c.homes.get(user, {}).get("id") or c.next_view_id()
        c.homes[user] = view
        if user != c.me:
            c.print(f"(Pacer refreshes {c.name(user)}'s Home tab)", "")
            return
        if not c.on_home:
            c.print("(Pacer refreshes your Home tab: `:home` shows it)", "")
            return
        self.published_home = True
        text = render_view(view, c.names(), c.standin.channels, controls=self.controls)
        self.draw(
            "Your Home tab in Pacer", text, Surface("home", view=view | {"state": {"values": {}}})
        )

    def done(self) -> None:
        """The buttons drawn by this action are now the ones numbers press; if it drew none,
        the ones before stay, except those on a message Pacer replaced or deleted."""
        if self.controls:
            self.surfaces += [Surface("message")] * (len(self.controls) - len(self.surfaces))
            self.c.controls = list(zip(self.controls, self.surfaces, strict=True))
            return

        def gone(surface: Surface) -> bool:
            return any(
                surface is old
                or (old.ts and (old.channel, old.ts) == (surface.channel, surface.ts))
                for old in self.replaced
            )

        self.c.controls = [(c, s) for c, s in self.c.controls if not gone(s)]


# -- helpers ------------------------------------------------------------------------------------


def _tz(name: str | None) -> str:
    return name or str(TZ)


def _handle(name: str) -> str:
    """A Slack handle from a name: "Maria Lopez" → "maria.lopez"."""
    return ".".join(name.lower().split()) or "someone"


def _text(option: dict) -> str:
    return str((option.get("text") or {}).get("text", ""))


def _face(control: Control) -> str:
    element = control.element
    if element.get("type") == "button":
        return _text(element) or "?"
    return _text({"text": element.get("placeholder") or {}}) or element.get("type", "?")


def _place(console: Console, surface: Surface) -> str:
    if surface.kind == "home":
        return "on your Home tab"
    if surface.kind == "modal":
        return "in the form"
    if surface.channel:
        return f"on Pacer's message ({console.where(surface.channel)})"
    return "on Pacer's message"


def _json(body) -> dict:
    try:
        data = json.loads(body or "{}")
    except ValueError:
        return {"text": str(body)}
    return data if isinstance(data, dict) else {}


def pick_option(options: list[dict], choice: str) -> dict | None:
    """An option by its number (1-based), its text or its value; None if none or ambiguous."""
    choice = choice.strip()
    if not choice:
        return None
    if choice.isdigit() and 1 <= int(choice) <= len(options):
        return options[int(choice) - 1]
    wanted = choice.casefold()
    for test in (
        lambda o: _text(o).casefold() == wanted or str(o.get("value", "")).casefold() == wanted,
        lambda o: _text(o).casefold().startswith(wanted),
    ):
        found = [o for o in options if test(o)]
        if len(found) == 1:
            return found[0]
    return None


def parse_moment(text: str, current: datetime, tz) -> datetime:
    """`:time`'s argument: an ISO moment (team time unless it has an offset), a day (same time
    of day), or a time (same day)."""
    text = text.strip().replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", text) else text
    if re.fullmatch(r"\d{1,2}:\d\d", text):
        moment = datetime.combine(current.date(), time.fromisoformat(text.zfill(5)))
    elif re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        moment = datetime.combine(date.fromisoformat(text), current.time().replace(tzinfo=None))
    else:
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def known_commands() -> list[str]:
    """Pacer's slash commands, from the app manifest (the list Slack knows)."""
    with contextlib.suppress(manifest_cli.ManifestError, yaml.YAMLError, AttributeError, TypeError):
        manifest = yaml.safe_load(manifest_cli.read_template())
        return [c["command"] for c in manifest["features"]["slash_commands"]]
    return []


def default_database() -> str:
    if DEMO_DATABASE.exists():
        return f"sqlite:///{DEMO_DATABASE.resolve()}"
    return "sqlite:///pacer.db"


def demo_moment(today: date | None) -> datetime:
    """--demo opens at 16:00 on the demo's last working day, after everything it played."""
    today = today or datetime.now(TZ).date()
    return datetime.combine(working_days(today, 1)[-1], DEMO_CLOCK, TZ).astimezone(UTC)


def lines_of(stream, console: Console, echo: bool) -> Iterable[str]:
    for line in stream:
        if echo:
            console.print(console.prompt() + line.rstrip("\n"))
        yield line


def interactive_lines(console: Console) -> Iterable[str]:
    """Lines from a terminal, with readline's editing and a history kept between sessions."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input()
        readline = None
    if readline is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(HISTORY)
        readline.set_history_length(1000)
    try:
        while True:
            try:
                yield input(console.prompt())
            except EOFError:
                console.print("")
                return
            except KeyboardInterrupt:
                console.print("", "(`:quit` ends the session)")
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(HISTORY)


def run_console(
    database: str | None = None,
    demo: bool = False,
    *,
    stdin=None,
    stdout=None,
    now: datetime | None = None,
    demo_out: str = "pacer-demo",
    demo_today: date | None = None,
    demo_weeks: int = 6,
) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    if demo and database:
        print(
            "pacer console: --demo opens on the demo's own database; drop --database.",
            file=sys.stderr,
        )
        return 2
    levels = {name: logging.getLogger(name).level for name in QUIET}
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
    try:
        if demo:
            from simulator.demo import run_demo

            print("Building the demo's sample team (as `pacer demo` does)…", file=stdout)
            code = run_demo(weeks=demo_weeks, out=demo_out, today=demo_today, stream=io.StringIO())
            if code != 0:
                print(
                    f"pacer console: the demo failed (exit {code}); `pacer demo` shows why.",
                    file=sys.stderr,
                )
                return code
            database = f"sqlite:///{(Path(demo_out) / 'pacer-demo.db').resolve()}"
            now = now or demo_moment(demo_today)
        admins = [a.strip() for a in os.environ.get("PACER_ADMINS", "").split(",") if a.strip()]
        console = Console(database or default_database(), stdout, now=now, admins=admins)
        try:
            console.intro()
            tty = hasattr(stdin, "isatty") and stdin.isatty() and stdin is sys.stdin
            lines = interactive_lines(console) if tty else lines_of(stdin, console, echo=True)
            for line in lines:
                if not console.handle(line):
                    break
        except KeyboardInterrupt:
            print("", file=stdout)
            return 130
        finally:
            console.close()
        return 0
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
