"""A real `streamlit run` on a free port, visited page by page in headless Debian chromium.

Screenshots of every page (desktop and phone width) are saved under
tests/e2e/artifacts/ (or $IGA_ARTIFACTS_DIR) for people to look at.
Skipped, with the reason, when chromium is not installed; CI sets
IGA_REQUIRE_BROWSER=1 so a missing browser fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iga_data.bench import CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("IGA_ARTIFACTS_DIR", ROOT / "tests" / "e2e" / "artifacts"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGES = {
    "ringkasan": ("", "Ringkasan kesiapan IGA"),
    "kesiapan": ("kesiapan", "Kesiapan unit"),
    "inovasi": ("inovasi", "Inovasi"),
    "tren": ("tren", "Tren & target"),
    "simulasi": ("simulasi", "Simulasi Indeks Inovasi Daerah"),
    "kalkulator": ("kalkulator", "Kalkulator skor"),
    "unggah": ("unggah", "Unggah data"),
    "pengaturan": ("pengaturan", "Pengaturan"),
    "siapkan": ("siapkan", "Siapkan untuk Pemda Anda"),
    "riwayat": ("riwayat", "Riwayat perubahan"),
}
ERROR_TEXTS = ["Traceback", "Error:", "Exception", "KeyError", "NameError", "not defined"]

if CHROMIUM is None:
    if os.environ.get("IGA_REQUIRE_BROWSER"):
        pytest.fail(
            "chromium tidak terpasang tetapi IGA_REQUIRE_BROWSER=1 (CI): pasang paket Debian 'chromium'.", pytrace=False
        )
    pytest.skip(
        "chromium tidak terpasang: uji peramban dilewati (pasang paket Debian 'chromium').", allow_module_level=True
    )

pytestmark = pytest.mark.browser

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("data")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _settle(page) -> None:
    """Wait until the script has finished and charts have drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_timeout(800)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def _screenshot(page, filename: str) -> None:
    """The whole page: Streamlit scrolls inside its main area, so grow the viewport to fit it."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(600)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / filename, full_page=True)


@pytest.mark.parametrize("width, label", [(1366, "desktop"), (390, "ponsel")])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_errors(server, browser, name, width, label):
    path, heading = PAGES[name]
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(f"{server}/{path}")
        _settle(page)
        page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
        _screenshot(page, f"{name}-{label}.png")
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.locator('[data-testid="stMain"]').inner_text()
        for text in ERROR_TEXTS:
            assert text not in body, f"'{text}' tampil di halaman {name}"
        if name != "unggah":
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    finally:
        page.close()


def test_a_broken_upload_shows_a_message_and_changes_nothing(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{server}/unggah")
        _settle(page)
        broken = tmp_path / "rusak.xlsx"
        broken.write_bytes(b"PK\x03\x04 bukan excel" * 20)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(broken))
        page.get_by_text("tidak dapat dibaca sebagai berkas Excel").first.wait_for(timeout=30_000)
        _settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "Tidak ada data yang disimpan" in page.locator('[data-testid="stMain"]').inner_text()
        _screenshot(page, "unggah-berkas-rusak.png")
    finally:
        page.close()


def test_a_deep_link_opened_first_on_a_fresh_server_gets_the_whole_app(browser, tmp_path):
    """Streamlit would run pages/unggah.py without app.py until app.py has run once (ui.py handles it)."""
    with serve(tmp_path) as url:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        try:
            page.goto(f"{url}/unggah")
            _settle(page)
            page.get_by_role("heading", name="Unggah data").first.wait_for(timeout=30_000)
            assert "Data per 10 Juli 2024 16.00" in page.locator('[data-testid="stSidebar"]').inner_text()
            assert "Pilih berkas" in page.locator('[data-testid="stMain"]').inner_text()
            page.reload()  # from now on app.py routes every visit: its own page names in the sidebar
            _settle(page)
            sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
            assert "Operator" in sidebar and "Unggah Data" in sidebar and "Data per" in sidebar
        finally:
            page.close()


def test_a_workbook_as_staff_make_it_is_previewed_with_every_reading_decision(server, browser, tmp_path):
    """A unit written once under a parent column, a decorated score, a name for the operator, a recap sheet."""
    sys.path.insert(0, str(ROOT / "tests"))
    from builders import TITLE, xlsx

    workbook = tmp_path / "rekap_staf.xlsx"
    workbook.write_bytes(
        xlsx(
            {
                "OPD": TITLE
                + [
                    ["No", "Perangkat Daerah", "Unit Kerja", "Judul Inovasi", "Nilai Akhir"],
                    [1, "Dinas Kesehatan", "-", "Sehat Jiwa", 80],
                    [2, None, "PKM Jalan Gedang", "Posyandu", 72],
                    [3, None, None, "Cegah Stunting", "75/111"],
                    [4, "Dinsos Kota", None, "Sedekah Beras", 90],
                ],
                "Ringkasan": [["Tahapan", "Jumlah"], ["Penerapan", 4]],
            }
        )
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{server}/unggah")
        _settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(workbook))
        page.get_by_text("Baris inovasi dibaca").first.wait_for(timeout=60_000)
        _settle(page)
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "1 baris tanpa nama unit dianggap milik unit di baris atasnya" in body
        assert 'Lembar "Ringkasan" (rekap_staf.xlsx) dilewati' in body
        assert "Dinsos Kota — 1 inovasi (OPD baris 8)" in body and "Simpan padanan" in body
        assert page.locator('[data-testid="stException"]').count() == 0
        _screenshot(page, "unggah-rekap-staf.png")
    finally:
        page.close()


def test_with_an_operator_account_a_deep_link_shows_the_sign_in_form_and_signing_in_opens_the_page(browser, tmp_path):
    """A real server with one account: nobody reaches an operator page by its address without signing in."""
    env = {**os.environ, "IGA_DATA_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "iga_data", "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "-m", "iga_data", "user", "add", "rina", "--role", "operator", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input="kata-sandi-rina\n",
        text=True,
        check=True,
        capture_output=True,
    )
    with serve(tmp_path) as url:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        try:
            page.goto(f"{url}/unggah")
            _settle(page)
            page.get_by_role("heading", name="Masuk").first.wait_for(timeout=30_000)
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert "Unggah data" not in main and "Data per" not in main
            _screenshot(page, "masuk-ponsel.png")
            page.get_by_label("Nama akun").fill("rina")
            page.get_by_label("Kata sandi").fill("kata-sandi-rina")
            page.get_by_role("button", name="Masuk").click()
            page.get_by_role("heading", name="Unggah data").first.wait_for(timeout=30_000)
        finally:
            page.close()
        page = browser.new_page(viewport={"width": 390, "height": 844})
        try:  # the sign-in page's own address, in a new session: the form, and Ringkasan once signed in
            page.goto(f"{url}/masuk")
            _settle(page)
            assert "not found" not in page.inner_text("body").lower()
            page.get_by_label("Nama akun").fill("rina")
            page.get_by_label("Kata sandi").fill("kata-sandi-rina")
            page.get_by_role("button", name="Masuk").click()
            page.get_by_role("heading", name="Ringkasan kesiapan IGA").first.wait_for(timeout=30_000)
            page.reload()  # a phone reloads tabs: the sign-in holds (the browser keeps a cookie)
            _settle(page)
            page.get_by_role("heading", name="Ringkasan kesiapan IGA").first.wait_for(timeout=30_000)
            page.goto(f"{url}/masuk")
            _settle(page)
            page.get_by_role("button", name="Keluar").click()
            _settle(page)
            page.reload()  # signed out stays signed out
            _settle(page)
            page.get_by_label("Nama akun").wait_for(timeout=30_000)
        finally:
            page.close()
