"""What `pip install .` ships: every package, template, migration and the default process."""

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_is_shipped():
    shipped = set(find_packages(str(ROOT), include=CONFIG["packages"]["find"]["include"]))
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in ("bot", "rituals", "storage", "templates", "cli", "simulator")
        for path in (ROOT / top).rglob("__init__.py")
    }
    assert on_disk <= shipped, on_disk - shipped


def test_data_files_are_shipped():
    data = CONFIG["package-data"]
    assert "*.j2" in data["templates"] and list((ROOT / "templates").glob("*.j2"))
    assert "*.yml" in data["rituals"] and (ROOT / "rituals" / "default_process.yml").exists()
    assert "migrations/script.py.mako" in data["storage"]
    # `pacer manifest` reads it from the package: a link to the repository's manifest.yml
    assert "manifest.yml" in data["cli"]
    assert (ROOT / "cli" / "manifest.yml").read_text() == (ROOT / "manifest.yml").read_text()
