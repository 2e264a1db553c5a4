"""With accounts configured, a visitor must sign in; pimpinan view and download; only operators change data."""

from pathlib import Path

import pytest
from builders import OPERATOR
from conftest import APP, PAGES, shown
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from iga_data import accounts
from iga_data.accounts import Actor
from iga_data.storage import Store

pytestmark = pytest.mark.app
OPERATOR_PAGES = ["pages/unggah.py", "pages/pengaturan.py", "pages/siapkan.py", "pages/riwayat.py"]
LEADER_PAGES = [
    "pages/ringkasan.py",
    "pages/kesiapan.py",
    "pages/inovasi.py",
    "pages/tren.py",
    "pages/simulasi.py",
    "pages/kalkulator.py",
]


@pytest.fixture
def staffed(data_dir):
    store = Store(data_dir / "iga.db")
    accounts.add_user(store, "rina", "operator", "kata-sandi-rina", OPERATOR)
    accounts.add_user(store, "pak sekda", "pimpinan", "kata-sandi-sekda", OPERATOR)
    return store


def app_as(actor: Actor | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if actor is not None:
        at.session_state["actor"] = actor
    return at.run()


def page_as(actor: Actor | None, page: str) -> AppTest:
    """Open `page` as a browser would by its address: a page the session may not open is registered
    under its address only (as a stand-in that leads to the sign-in page)."""
    at = app_as(actor)
    try:
        at.switch_page(page)
    except ValueError:  # registered only as a stand-in: AppTest switches by file, a browser by address
        at._page_hash = calc_hash(Path(page).stem)
    return at.run()


@pytest.mark.parametrize("page", [p for p in PAGES if p != "pages/masuk.py"])
def test_a_visitor_who_has_not_signed_in_gets_the_sign_in_form_for_every_address(staffed, page):
    at = page_as(None, page)
    assert not at.exception
    assert [t.value for t in at.title] == ["Masuk"]
    assert [w.label for w in at.text_input] == ["Nama akun", "Kata sandi"]
    assert not at.metric and not at.dataframe  # no figure leaks before signing in


@pytest.mark.parametrize("page", OPERATOR_PAGES)
def test_a_pimpinan_deep_link_to_an_operator_page_shows_the_sign_in_page(staffed, page):
    at = page_as(Actor("pak sekda", "pimpinan"), page)
    assert not at.exception
    assert [t.value for t in at.title] == ["Akun"]
    assert any("hanya untuk operator" in c.value for c in at.caption)
    assert "Masuk sebagai pak sekda (pimpinan)" in " ".join(shown(c) for c in at.sidebar.caption)


@pytest.mark.parametrize("page", LEADER_PAGES)
def test_a_pimpinan_sees_the_leader_pages_and_their_downloads(staffed, page):
    at = page_as(Actor("pak sekda", "pimpinan"), page)
    assert not at.exception and not at.error
    assert at.title and at.title[0].value != "Masuk"


def test_a_pimpinan_session_cannot_write_even_if_a_button_slipped_through(staffed):
    with pytest.raises(accounts.AccessDenied):
        staffed.save_settings({"threshold": 0}, Actor("pak sekda", "pimpinan"))
    with pytest.raises(accounts.AccessDenied):
        staffed.delete(staffed.latest().id, Actor.open_mode())  # open mode ends once an account exists
    assert staffed.settings_overrides() == {}


def test_signing_in_opens_the_operator_pages_and_signing_out_closes_them(staffed):
    at = page_as(None, "pages/masuk.py")
    at.text_input[0].input("rina")
    at.text_input[1].input("salah sekali")
    at.button[0].click().run()
    assert any("Nama atau kata sandi salah" in shown(e) for e in at.error)
    assert "actor" not in at.session_state
    at.text_input[1].input("kata-sandi-rina")
    at.button[0].click().run()
    assert at.session_state["actor"] == Actor("rina", "operator")
    assert [t.value for t in at.title] == ["Ringkasan kesiapan IGA"]  # the sign-in page leads to the answers
    assert [t.value for t in at.toast] == ["Selamat datang, rina."]
    at.switch_page("pages/unggah.py").run()
    assert [t.value for t in at.title] == ["Unggah data"]
    at.switch_page("pages/masuk.py").run()
    next(b for b in at.button if b.label == "Keluar").click().run()
    assert "actor" not in at.session_state
    at._page_hash = calc_hash("ringkasan")  # the dashboard's address now shows the sign-in page only
    assert [t.value for t in at.run().title] == ["Masuk"]


def test_an_idle_session_ends(staffed):
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["actor"] = Actor("rina", "operator")
    at.session_state["last_seen"] = 0.0  # 1970: long idle
    at.run()
    assert [t.value for t in at.title] == ["Masuk"] and "actor" not in at.session_state


def test_without_accounts_every_page_says_it_is_open_and_how_to_close_it(data_dir):
    for page in ["pages/ringkasan.py", "pages/unggah.py"]:
        at = page_as(None, page)
        assert any("python -m iga_data user add" in c.value and "Mode terbuka" in c.value for c in at.caption), page


def test_the_audit_page_lists_changes_and_restores_a_deleted_upload(data_dir):
    store = Store(data_dir / "iga.db")
    gone = store.latest().id
    store.delete(gone, OPERATOR)
    at = page_as(None, "pages/riwayat.py")  # open mode: no account yet
    trail = at.dataframe[0].value
    assert "Unggahan dipindah ke Terhapus" in trail["Perubahan"].tolist()
    assert at.dataframe[1].value["Unggahan"].tolist() == [f"#{gone}"]
    next(b for b in at.button if b.label == "Pulihkan").click().run()
    assert store.latest().id == gone and not store.deleted_snapshots()
