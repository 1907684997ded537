"""The shape of the code, as tests (README "Architecture"): no import cycle anywhere, imports of
Pacer's own modules at the top of a module (deferred only on purpose), no database session used
outside storage/, small modules, and a test module for every source module.
The layer contracts themselves are import-linter's (pyproject.toml, `lint-imports` in CI)."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "api", "tv", "rituals", "storage", "templates", "cli", "simulator")
PRODUCT = ("bot", "api", "tv", "rituals", "storage", "cli", "simulator")
MAX_LINES = 600

# Imports inside functions, each deferred on purpose.
DEFERRED = {
    ("bot.server", "bot.delivery.clock"): "only `pacer serve --with-clock` runs the scheduler",
    ("cli.main", "*"): "each subcommand imports what it needs: `pacer --help` stays fast",
    ("cli.api", "*"): "`pacer --help` builds the api parser; only `pacer api …` needs the rest",
    ("bot.oauth.setup", "storage.installations"): (
        "single-workspace mode never loads slack_sdk's SQLAlchemy stores (nor sqlalchemy.asyncio)"
    ),
}

# Source modules without a test module of their own, and where they are tested instead.
TESTED_ELSEWHERE = {
    "bot/app.py": "every test through the Rig builds the app (tests/bot/support.py)",
    **{
        f"bot/{feature}/listeners.py": f"every test in tests/bot/{feature}/ goes through it"
        for feature in ("admin", "coaching", "contests", "leaderboard", "log", "scorecard")
    },
    "bot/ids.py": "constants; every listener test presses them",
    "bot/admin/tv.py": "tests/e2e/test_tv.py: /pacer tv and its mistakes over signed HTTP",
    "bot/services.py": "the Rig and every e2e test build Services",
    "bot/socket.py": "tests/cli/test_main.py (Socket Mode's missing-token error)",
    "bot/settings.py": "tests/cli/test_main.py and tests/e2e (the environment)",
    "cli/__main__.py": "tests/cli/ run the command as `python -m cli` (tests/cli/support.py)",
    "rituals/refusals.py": "tests/bot/test_replies.py walks every refusal type",
    "storage/errors.py": "tests/storage/test_unit_of_work.py (a busy database)",
    "storage/migrate.py": "tests/storage/test_migrations.py",
    "storage/models.py": "every storage test",
    "storage/api_models.py": "the tests of storage/api_queries.py and storage/ingest_queries.py",
    # OAuth installs: in process (tests/bot/oauth/test_oauth_mode.py), over HTTP (e2e/test_oauth)
    **{
        f"bot/oauth/{name}.py": "tests/bot/oauth/test_oauth_mode.py and tests/e2e/test_oauth.py"
        for name in ("authorize", "flow", "setup", "tokens")
    },
    "bot/tokens.py": "tests/bot/oauth/test_oauth_mode.py (both token sources)",
    "storage/installation_tables.py": "tests/storage/test_installations.py (the stores' tables)",
    "simulator/slack_oauth.py": "tests/e2e/test_oauth.py and tests/bot/oauth/ (oauth.v2.access)",
}


def modules() -> dict[str, Path]:
    found = {}
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _resolve(name: str, known: dict) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports(known: dict[str, Path]) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Every module's imports of Pacer's modules, and those made inside functions."""
    graph: dict[str, set[str]] = defaultdict(set)
    deferred = []
    for module, path in known.items():
        tree = ast.parse(path.read_text())
        inside = {
            id(node)
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(fn)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                if name.split(".")[0] not in PACKAGES:
                    continue
                target = _resolve(name, known)
                if target and target != module:
                    graph[module].add(target)
                    if id(node) in inside:
                        deferred.append((module, target))
    return graph, deferred


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_anywhere():
    known = modules()
    graph, _ = imports(known)
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_pacer_modules_are_imported_at_the_top_unless_deferred_on_purpose():
    _, deferred = imports(modules())
    unexplained = sorted(
        {
            (module, target)
            for module, target in deferred
            if (module, target) not in DEFERRED and (module, "*") not in DEFERRED
        }
    )
    assert unexplained == []


SESSION_CALLS = {"exec", "execute", "get", "add", "add_all", "delete", "flush", "commit"}
SESSION_CALLS |= {"rollback", "begin_nested", "refresh", "merge", "query", "scalar", "scalars"}


def test_no_database_session_is_used_outside_storage():
    """Outside storage/ a session is an opaque handle passed to storage's functions."""
    used = []
    for module, path in modules().items():
        if module.startswith("storage"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            owner_name = (
                owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            )
            if owner_name in ("session", "s") and node.func.attr in SESSION_CALLS:
                used.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner_name}.{node.func.attr}")
    assert used == []


def test_modules_are_small():
    big = {
        str(path.relative_to(ROOT)): lines
        for path in modules().values()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert big == {}


def test_every_source_module_has_a_test_module():
    """tests/ mirrors the tree: bot/log/form.py → tests/bot/log/test_form.py (or a folder of
    tests for it, tests/bot/log/form/)."""
    missing = []
    for path in modules().values():
        relative = path.relative_to(ROOT)
        if path.name == "__init__.py" or str(relative) in TESTED_ELSEWHERE:
            continue
        if relative.parts[0] == "templates":
            continue
        folder = ROOT / "tests" / relative.parent
        if not ((folder / f"test_{path.stem}.py").exists() or (folder / path.stem).is_dir()):
            missing.append(str(relative))
    assert missing == []


def test_dates_are_formatted_portably():
    """strftime's ``%-d`` (a day without its leading zero) is glibc-only: rituals/dates.py
    writes the day number itself."""
    uses = [
        str(path.relative_to(ROOT))
        for path in modules().values()
        if "%-d" in path.read_text() and path.name != "dates.py"
    ]
    assert uses == []
