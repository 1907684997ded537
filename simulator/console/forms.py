"""A form in the console: `:set N VALUE` fills an input (checked as Slack's own client checks
it), `:submit` sends it, `:close` closes it."""

import re
import uuid
from datetime import date, time

from simulator.console.actions import SECRET, reply_json
from simulator.console.modal import Modal, pick_option
from simulator.console.screen import Screen
from simulator.signed_requests import interaction_body, signed_headers, view_submission_payload
from simulator.textview import initial_state, options_of, state_text


class FormActions:
    """Part of Console (session.py): the open forms are its ``modals``, the last one on top."""

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
        answer = reply_json(response.body)
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
