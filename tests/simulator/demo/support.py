"""Reading the demo's printed story: the reply under a typed command, a printed message."""

from datetime import date

TODAY = date(2026, 11, 19)  # a Thursday


def replies(output: str) -> dict[str, str]:
    """`Who › /command text` → the reply printed under it (the last one, for repeats)."""
    found, typed, lines = {}, None, []
    for line in output.splitlines():
        if " › " in line and not line.startswith(" "):
            if typed:
                found[typed] = "\n".join(lines)
            typed, lines = line, []
        elif typed and lines and line.startswith("      ") and line[6] != "·":
            lines[-1] += " " + line.strip()  # a long line the renderer wrapped
        elif typed and line.startswith("    "):
            lines.append(line.strip())
        elif typed and not line.strip() and lines:
            found[typed], typed = "\n".join(lines), None
    if typed:
        found[typed] = "\n".join(lines)
    return found


def printed(output: str, key: str) -> str:
    found = replies(output)
    assert key in found, f"{key!r} not in the output"
    return found[key]


def reply_to(output: str, who, command: str) -> str:
    return printed(output, f"{who.name} › {command}")
