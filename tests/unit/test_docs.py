"""The docs name only what exists, and every setting and rule file is documented (Datasette's habit)."""

import dataclasses
import re
from pathlib import Path

import pytest

from iga_data.cli import build_parser
from iga_data.settings import Settings
from iga_data.tomlfile import CONFIG_DIR

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DEVELOPING = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")
IGNORED = set((ROOT / ".gitignore").read_text().split())
RUNTIME = {"cadangan/"}  # made by the app beside its database (backups.folder_for)
PATH = re.compile(r"`((?:[\w.-]+/)*[\w.<>-]+\.(?:py|toml|md|csv|xlsx|txt|ini|gz|cfg)|(?:[\w.-]+/)+)`")


def _text(doc: Path) -> str:
    return doc.read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_file_a_doc_names_exists(doc):
    missing = []
    for name in PATH.findall(_text(doc)):
        if "<" in name or name.startswith(("$", "~", "../")) or name in IGNORED or name in RUNTIME:
            continue  # a pattern (rules/<year>.toml), a folder the app creates (data/), or one outside the repository
        if (ROOT / "iga_data" / f"{name.split('.')[0]}.py").exists() and "/" not in name:
            continue  # a function: `safetext.md`
        candidates = [ROOT / name, ROOT / "iga_data" / name, CONFIG_DIR / name, ROOT / "docs" / name]
        if not any(c.exists() for c in candidates) and not any(ROOT.glob(f"**/{name}")):
            missing.append(name)
    assert not missing, f"{doc.name} names files that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_command_a_doc_names_exists(doc):
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    named = set(re.findall(r"python -m iga_data ([a-z-]+)", _text(doc)))
    assert named <= commands, f"{doc.name} names unknown commands: {named - commands}"
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.M))
    made = set(re.findall(r"`make ([a-z-]+)`", _text(doc))) | set(re.findall(r"^make ([a-z-]+)$", _text(doc), re.M))
    assert made <= targets, f"{doc.name} names unknown make targets: {made - targets}"


def test_every_setting_and_config_file_is_in_the_where_a_rule_lives_table():
    table = DEVELOPING.split("## Where a rule lives", 1)[1].split("\n## ", 1)[0]
    settings_file = (CONFIG_DIR / "settings.toml").read_text(encoding="utf-8")
    for f in dataclasses.fields(Settings):
        assert re.search(rf"^{f.name} = ", settings_file, re.M), f"settings.toml lacks {f.name}"
    for path in CONFIG_DIR.glob("*.toml"):
        assert f"iga_data/config/{path.name}" in table, f"{path.name} is missing from 'Where a rule lives'"
    assert "iga_data/config/rules/<year>.toml" in table
