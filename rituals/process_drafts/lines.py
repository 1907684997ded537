"""A process file's problems by line: the loader names places by their path in the data
("kpis.calls.kind", "journey[2].name"); a person reading a file they sent wants "line 14"."""

from __future__ import annotations

import re

import yaml

from rituals.process import Problem

_PART = re.compile(r"\.|(?=\[)")


def _index(text: str) -> dict[str, int]:
    """path -> 1-based line, for every mapping key and list item of the YAML text."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    out: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                child = f"{path}.{key.value}" if path else str(key.value)
                out.setdefault(child, key.start_mark.line + 1)
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                child = f"{path}[{i}]"
                out.setdefault(child, item.start_mark.line + 1)
                if isinstance(item, yaml.MappingNode):
                    keyed = next(
                        (
                            v.value
                            for k, v in item.value
                            if isinstance(k, yaml.ScalarNode)
                            and k.value == "key"
                            and isinstance(v, yaml.ScalarNode)
                        ),
                        None,
                    )
                    if keyed is not None:  # the loader names a keyed item by its key
                        out.setdefault(f"{path}.{keyed}", item.start_mark.line + 1)
                        walk(item, f"{path}.{keyed}")
                walk(item, child)

    if root is not None:
        walk(root, "")
    return out


def line_of(index: dict[str, int], path: str) -> int | None:
    """The line of ``path``, else of the nearest place above it that the file has."""
    parts = [p for p in _PART.split(path) if p]
    while parts:
        candidate = ".".join(parts).replace(".[", "[")
        if candidate in index:
            return index[candidate]
        parts.pop()
    return None


def by_line(text: str, problems: list[Problem]) -> list[str]:
    """Each problem as "line N: what. Fix: how." (its path where no line is known), in file
    order."""
    index = _index(text)
    found: list[tuple[int, str]] = []
    for problem in problems:
        line = None if problem.path.startswith("line ") else line_of(index, problem.path)
        if line is None:
            found.append((0, str(problem)))
            continue
        shown = Problem(f"line {line} ({problem.path})", problem.message, problem.fix)
        found.append((line, str(shown)))
    return [text for _, text in sorted(found, key=lambda item: item[0])]
