"""What Slack sends the app when you act in the console (a slash command, a button pressed, the
Home tab opened) and a ritual run now; what the app makes Slack show is drawn by a Screen."""

import json
import time as wallclock
from datetime import date

from slack_bolt.request import BoltRequest

from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from rituals import contests, dates
from rituals.schedule import RITUAL_KINDS, occurrence_at, ritual_kind
from rituals.teams import team_process
from simulator.console.modal import option_text, pick_option
from simulator.console.people import handle_of
from simulator.console.screen import Screen, Surface
from simulator.signed_requests import (
    block_action_payload,
    command_body,
    event_body,
    interaction_body,
    json_headers,
    signed_headers,
)
from simulator.textview import Control, options_of
from storage.unit_of_work import unit_of_work

SECRET = "pacer-console-signing-secret"
MESSAGE_KEYS = ("text", "blocks", "thread_ts", "metadata", "attachments")


class SlackActions:
    """Part of Console (session.py): each action signed and dispatched to the app as Slack would
    deliver it, then what it caused drawn."""

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
            user_name=handle_of(self.name(self.me)),
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
        reply = reply_json(response.body)
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
            faces = ", ".join(f"{c.number} {face_of(c)}" for c, _ in self.controls)
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
        payload["user"]["name"] = handle_of(self.name(self.me))
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
        self.print(f"(you press [{number} · {face_of(control)}] {place_of(self, surface)})")
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
                listed = " · ".join(f"{i} {option_text(o)}" for i, o in enumerate(options, 1))
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
        with unit_of_work(self.engine) as session:
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


def face_of(control: Control) -> str:
    element = control.element
    if element.get("type") == "button":
        return option_text(element) or "?"
    return option_text({"text": element.get("placeholder") or {}}) or element.get("type", "?")


def place_of(console, surface: Surface) -> str:
    if surface.kind == "home":
        return "on your Home tab"
    if surface.kind == "modal":
        return "in the form"
    if surface.channel:
        return f"on Pacer's message ({console.where(surface.channel)})"
    return "on Pacer's message"


def reply_json(body) -> dict:
    try:
        data = json.loads(body or "{}")
    except ValueError:
        return {"text": str(body)}
    return data if isinstance(data, dict) else {}
