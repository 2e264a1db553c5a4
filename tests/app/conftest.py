"""AppTest fixtures: the app on a database seeded with the sample data, in a temporary folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from builders import OPERATOR
from streamlit.testing.v1 import AppTest

from iga_data.ingest import seed_sample, settings_in_force, snapshot_analysis
from iga_data.storage import Store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
# Every page file: a new page is rendered by the tests without being listed here.
PAGES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    """No page under test ever reaches the repository's own data/ folder, even a rerun after a test ended."""
    monkeypatch.setenv("IGA_DATA_DIR", str(tmp_path / "tak-dipakai"))


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("seeded")
    store = Store(folder / "iga.db")
    seed_sample(store, settings_in_force(store), OPERATOR)
    return folder


@pytest.fixture
def data_dir(tmp_path, seeded_template, monkeypatch) -> Path:
    """A private copy of the seeded database, so tests that write do not affect others."""
    folder = tmp_path / "data"
    shutil.copytree(seeded_template, folder)
    monkeypatch.setenv("IGA_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def empty_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "kosong"
    monkeypatch.setenv("IGA_DATA_DIR", str(folder))
    return folder


def open_page(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def engine_view(folder: Path):
    """What the engine says about the latest snapshot, for comparing with the screen."""
    store = Store(folder / "iga.db")
    settings = settings_in_force(store)
    info = store.latest()
    return info, settings, snapshot_analysis(store.snapshot(info.id), settings)


def shown(element) -> str:
    """The text a Markdown element shows: uploaded text in it is backslash-escaped (safetext.md)."""
    return re.sub(r"\\(.)", r"\1", element.value)
