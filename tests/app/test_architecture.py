"""What the page layer relies on: frozen cached objects, caches that follow the rule files, the pages/ shim,
clear errors for a broken database or rule file."""

import copy
import dataclasses
import shutil

import pandas as pd
import pytest
from conftest import PAGES, open_page, shown
from streamlit.runtime.pages_manager import PagesManager

import ui.data
from iga_data import tomlfile, uploads
from iga_data.storage import Store

pytestmark = pytest.mark.app


def test_streamlit_still_has_the_pages_directory_flag_the_shell_relies_on():
    """ui.shell.within_app() flips PagesManager.uses_pages_directory so a deep link to /unggah on a fresh
    server leaves Streamlit's legacy pages/ mode. If an upgrade renames the flag, fix within_app()."""
    assert hasattr(PagesManager, "uses_pages_directory"), "Streamlit renamed PagesManager.uses_pages_directory"


def test_a_page_opened_alone_gets_the_shared_sidebar(data_dir):
    at = open_page("pages/unggah.py")
    assert any("Data per" in shown(m) for m in at.sidebar.markdown)


def _same(a, b) -> bool:
    """Equal content, frames compared by value (pandas may reorganise a frame's blocks on read)."""
    if isinstance(a, pd.DataFrame):
        return a.columns.equals(b.columns) and a.dtypes.equals(b.dtypes) and a.equals(b)
    if dataclasses.is_dataclass(a):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def test_rendering_every_page_leaves_the_cached_objects_unchanged(data_dir):
    view = ui.data.view()
    analysis, sim = view.analysis, ui.data.simulation_of(view)
    progress = ui.data.progress(view)
    before = copy.deepcopy((analysis, sim, progress))
    at = open_page()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
    assert ui.data.view().analysis is analysis  # the pages were given these very objects
    for now, then in zip((analysis, sim, progress), before):
        assert _same(now, then), type(now).__name__


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    """A private copy of iga_data/config that a test may edit."""
    folder = tmp_path / "config"
    shutil.copytree(tomlfile.CONFIG_DIR, folder)
    monkeypatch.setattr(tomlfile, "CONFIG_DIR", folder)
    yield folder
    monkeypatch.undo()
    tomlfile.refresh()


def test_an_edited_rule_file_changes_the_figures_without_a_restart(data_dir, config_dir):
    at = open_page("pages/simulasi.py")
    before = [m.value for m in at.markdown if "Perkiraan IID" in m.value]
    rules = config_dir / "rules" / "2024.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("spd_max = 63", "spd_max = 163"), encoding="utf-8")
    at.run()
    assert not at.exception
    after = [m.value for m in at.markdown if "Perkiraan IID" in m.value]
    assert before and after != before  # a larger denominator: a lower index, with no restart


def test_a_broken_rule_file_is_a_clear_message_on_every_page(data_dir, config_dir):
    rules = config_dir / "rules" / "2024.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("k = 10", "k = 'sepuluh'"), encoding="utf-8")
    for page in PAGES:
        at = open_page(page)
        assert not at.exception, page
        messages = " ".join(shown(e) for e in at.error)
        assert "2024.toml" in messages and "'k'" in messages, page


def test_a_broken_database_is_a_clear_message_and_is_left_as_it_was(tmp_path, monkeypatch):
    folder = tmp_path / "rusak"
    folder.mkdir()
    (folder / "iga.db").write_bytes(b"ini bukan basis data SQLite" * 100)
    monkeypatch.setenv("IGA_DATA_DIR", str(folder))
    before = (folder / "iga.db").read_bytes()
    for page in PAGES:
        at = open_page(page)
        assert not at.exception, page
        assert any("bukan basis data yang sah" in shown(e) for e in at.error), page
    assert (folder / "iga.db").read_bytes() == before


def test_pengaturan_reset_restores_the_defaults(data_dir):
    at = open_page("pages/pengaturan.py")
    at.text_input[0].set_value("60")
    at.button[0].click().run()
    store = Store(data_dir / "iga.db")
    assert store.settings_overrides()["threshold"] == 60
    next(b for b in at.button if b.label == "Kembalikan ke nilai bawaan").click().run()
    assert not at.exception
    assert store.settings_overrides() == {}
    assert any("dikembalikan ke nilai bawaan" in shown(s) for s in at.success)


def test_many_uploads_without_a_kept_summary_are_analysed_in_the_background_with_progress(data_dir, monkeypatch):
    monkeypatch.setattr(ui.data, "INLINE_LIMIT", 0)
    at = open_page("pages/ringkasan.py")
    assert not at.exception
    job = next(iter(ui.data._catch_ups().values()))
    job.thread.join(60)
    assert not job.running and not job.failed and job.done == job.total == 2  # the upload in view was kept at once
    at.run()
    store = Store(data_dir / "iga.db")
    key = uploads.analysis_key(ui.data.settings())
    assert uploads.missing(store, store.snapshots(), key) == []
    ui.data._catch_ups().clear()
