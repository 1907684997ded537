"""Example commands built from the process, so every hint shows a word this rep can type."""

from rituals.process import Process


def article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def log_words(process: Process) -> dict[str, dict[str, str]]:
    """The word to show in a `/log` example for each role's KPI: the role's own word, else the
    KPI's key when it is one plain word, else its first one-word alias."""
    words = {}
    for role in process.roles:
        own: dict[str, str] = {}
        for word, kpi in role.aliases.items():
            own.setdefault(kpi, word)
        words[role.key] = {key: own.get(key) or _plain_word(process, key) for key in role.scorecard}
    return words


def example_log(process: Process, role: str) -> str:
    """A /log a rep of this role could type as it is: their first KPI they record themselves."""
    words = log_words(process)[role]
    own = [k for k in process.role(role).scorecard if not process.kpi(k).recorded_by]
    return f"{words[own[0] if own else process.role(role).scorecard[0]]} 12"


def _plain_word(process: Process, key: str) -> str:
    if "_" not in key:
        return key
    return next((a for a in process.kpi(key).aliases if " " not in a and "_" not in a), key)
