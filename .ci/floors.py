"""Print a pip constraints file that pins every dependency in pyproject.toml (and the test
extra) to its floor, so CI can install exactly the lowest versions Pacer claims to work on.
Tools that only check the code (ruff, import-linter) keep their own versions."""

import re
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())[
    "project"
]
CHECKERS = {"ruff", "import-linter"}
for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
    match = re.match(r"([A-Za-z0-9_.-]+)(?:\[([a-z,]+)\])?\s*>=\s*([0-9][^,;\s]*)", spec)
    if not match or match.group(1) in CHECKERS:
        continue  # no floor (tzdata: any release has the zones we need)
    name, extras, floor = match.groups()
    print(f"{name}=={floor}")
    for extra in (extras or "").split(","):
        if extra:  # psycopg[binary] installs psycopg-binary of the same version
            print(f"{name}-{extra}=={floor}")
