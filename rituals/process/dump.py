"""Writing a process out as YAML, laid out like default_process.yml (without its comments)."""

from __future__ import annotations

from typing import Any

import yaml

from rituals.process.loader import SECTIONS
from rituals.process.model import Process


class _Flow(dict):
    """A mapping written on one line: {key: a, name: B}."""


class _FlowList(list):
    """A list written on one line: [a, b, c]."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


def dump_process(p: Process) -> str:
    """YAML text of p.to_dict(), laid out like default_process.yml (without its comments)."""
    data = p.to_dict()
    out: dict[str, Any] = {}
    for section in SECTIONS:
        if section not in data:  # goal_changes, when there are none
            continue
        value = data[section]
        if section == "working_days":
            value = _FlowList(value)
        elif section in ("working_hours", "pace_thresholds", "limits", "contests", "review"):
            value = _Flow(value)
        elif section == "holidays":
            value = _Flow(
                {
                    **value,
                    **({"add": [_Flow(item) for item in value["add"]]} if "add" in value else {}),
                    **({"remove": _FlowList(value["remove"])} if "remove" in value else {}),
                }
            )
        elif section == "rituals":
            value = {
                name: (
                    [_Flow({**item, "kpis": _FlowList(item["kpis"])}) for item in entry]
                    if isinstance(entry, list)
                    else _Flow(entry)
                    if isinstance(entry, dict)
                    else entry
                )
                for name, entry in value.items()
            }
        elif section in ("journey", "activities"):
            value = [_Flow(item) for item in value]
        elif section == "kpis":
            value = [{**item, "aliases": _FlowList(item["aliases"])} for item in value]
        elif section == "roles":
            value = [
                {
                    **item,
                    "scorecard": _FlowList(item["scorecard"]),
                    "aliases": _Flow(item["aliases"]),
                    "goals": _Flow(item["goals"]),
                    **({"scoring": _Flow(item["scoring"])} if "scoring" in item else {}),
                    **({"ramp": _FlowList(item["ramp"])} if "ramp" in item else {}),
                }
                for item in value
            ]
        elif section == "overrides":
            value = {user: _Flow(goals) for user, goals in value.items()}
        elif section == "sources":
            value = {
                name: {k: _Flow(v) if isinstance(v, dict) else v for k, v in entry.items()}
                for name, entry in value.items()
            }
        elif section == "goal_changes":
            value = [_Flow(item) for item in value]
        out[section] = value
    return yaml.dump(
        out,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
