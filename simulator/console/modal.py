"""An open form (a Slack modal): the view, what is filled in, the errors on its fields; and how a
typed choice picks one of an input's or a menu's options."""

from dataclasses import dataclass, field

from simulator.textview import Field, initial_state


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


def option_text(option: dict) -> str:
    return str((option.get("text") or {}).get("text", ""))


def pick_option(options: list[dict], choice: str) -> dict | None:
    """An option by its number (1-based), its text or its value; None if none or ambiguous."""
    choice = choice.strip()
    if not choice:
        return None
    if choice.isdigit() and 1 <= int(choice) <= len(options):
        return options[int(choice) - 1]
    wanted = choice.casefold()
    for test in (
        lambda o: (
            option_text(o).casefold() == wanted or str(o.get("value", "")).casefold() == wanted
        ),
        lambda o: option_text(o).casefold().startswith(wanted),
    ):
        found = [o for o in options if test(o)]
        if len(found) == 1:
            return found[0]
    return None
