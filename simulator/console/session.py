"""One console session: the real app against the stand-in Slack, who you are, what is on screen,
and the console's own commands (`/as`, `:people`, `:time`, `:help` …)."""

import contextlib
import dataclasses
import logging
import textwrap
from datetime import datetime
from pathlib import Path

import yaml

from rituals import dates
from rituals.schedule import RITUAL_KINDS
from simulator.console.actions import SECRET, SlackActions
from simulator.console.clock import ConsoleClock, parse_moment
from simulator.console.forms import FormActions
from simulator.console.modal import Modal
from simulator.console.people import PeopleAndChannels
from simulator.console.screen import INDENT, Surface
from simulator.demo.cast import MANAGER
from simulator.offline_app import offline_app
from simulator.slack_standin import SlackStandin
from simulator.textview import WIDTH, Control
from storage import people_queries
from storage.db import make_engine
from storage.migrate import upgrade
from storage.unit_of_work import unit_of_work

# The repository's manifest.yml: the slash commands Slack knows the app has.
MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"

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


class Console(PeopleAndChannels, SlackActions, FormActions):
    """One console session: the app, the stand-in, who you are, and what is on screen."""

    def __init__(self, database_url: str, out, *, now: datetime | None = None, admins=()):
        self.out = out
        self.engine = make_engine(database_url)
        upgrade(self.engine)
        self.database_url = database_url
        with unit_of_work(self.engine) as session:
            workspace = next(iter(people_queries.all_workspaces(session)), None)
        self.slack_team = workspace.slack_team_id if workspace else "T0001"
        self.enterprise = (workspace.enterprise_id or None) if workspace else None
        self.empty = workspace is None
        self.standin = SlackStandin(team_id=self.slack_team).start()
        self.clock = ConsoleClock(now)
        self.services, self.app = offline_app(
            self.standin,
            self.engine,
            database_url,
            self.clock,
            token="xoxb-console",
            secret=SECRET,
            admins=",".join(sorted({MANAGER.user_id, *admins})),
        )
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
        with unit_of_work(self.engine) as session:
            teams = people_queries.teams(session)
            roles = {
                m.user_id: ("manager" if m.is_manager else m.role or "member")
                for m in people_queries.all_members(session, active_only=True)
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
        with unit_of_work(self.engine) as session:
            active = people_queries.all_members(session, active_only=True)
        members = {m.user_id: m for m in active}
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


def known_commands(path: Path = MANIFEST) -> list[str]:
    """Pacer's slash commands, from the app manifest (the list Slack knows)."""
    with contextlib.suppress(OSError, yaml.YAMLError, AttributeError, TypeError):
        manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [c["command"] for c in manifest["features"]["slash_commands"]]
    return []
