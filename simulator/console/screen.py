"""What one action made Slack show (a private reply, posts, direct messages, threads, forms, the
Home tab), drawn in order from the stand-in's record of the Web API calls Pacer made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from simulator.console.modal import Modal
from simulator.slack_standin import USER_ID, SlackStandin
from simulator.textview import Control, Field, mrkdwn_to_text, render_message, render_view

INDENT = "    "
# Calls nobody sees in Slack: lookups and the first step of an upload.
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


@dataclass
class Surface:
    """Where a button was drawn: a message (in a channel or DM; ephemeral or not) or a view."""

    kind: str  # message | modal | home
    channel: str | None = None
    ts: str | None = None
    message: dict | None = None
    ephemeral: bool = False
    view: dict | None = None


class Console(Protocol):
    """What a screen draws with (the console in session.py, which makes the screens)."""

    standin: SlackStandin
    seen_calls: int  # the stand-in's calls already drawn
    modals: list[Modal]
    homes: dict[str, dict]  # each person's published Home tab
    me: str | None
    on_home: bool
    placed: set[tuple[str, str]]
    controls: list[Control]

    def print(self, *lines: str) -> None: ...

    def name(self, user_id: str | None) -> str: ...

    def names(self) -> dict[str, str]: ...

    def where(self, channel: str) -> str: ...

    def next_view_id(self) -> str: ...


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
