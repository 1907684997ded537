"""`/pacer help TOPIC`: the help that needs more than a line of `/pacer help`, with the team's own
numbers. `scoring`: how pace, early and final, the overall score and ties work."""

from collections.abc import Callable

from bot import messages
from rituals.pacing import EARLY_SHARE
from rituals.process import Process


def scoring_help(process: Process) -> dict:
    """`/pacer help scoring`: paces, statuses, the overall score and ranks, with this team's
    thresholds, caps and weights."""
    roles = [
        {
            "name": role.name,
            "cap": messages.percent(role.scoring.cap),
            "weights": [
                (process.kpi(k).name, f"{w:g}") for k, w in role.scoring.weights.items() if w != 1
            ],
        }
        for role in process.roles
    ]
    return messages.text_message(
        "help_scoring.md.j2",
        roles=roles,
        on_pace=messages.percent(process.thresholds.on_pace),
        at_risk=messages.percent(process.thresholds.at_risk),
        early=messages.percent(EARLY_SHARE),
    )


# topic word -> its message (`/pacer help scoring`)
HELP_TOPICS: dict[str, Callable[[Process], dict]] = {"scoring": scoring_help}
