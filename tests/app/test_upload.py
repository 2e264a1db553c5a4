"""The upload page driven through st.file_uploader: preview, manual mapping, save, snapshots, roster."""

import datetime as dt
from pathlib import Path

import pytest
from builders import OPERATOR, TITLE, csv_bytes, xlsx
from conftest import open_page, shown

from iga_data.settings import default_settings
from iga_data.storage import Store

pytestmark = pytest.mark.app

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def save_button(at):
    """The save button, whose label carries the data date ("Simpan sebagai unggahan per 10 Juli 2024 16.00")."""
    return next(b for b in at.button if b.label.startswith("Simpan sebagai unggahan per "))


def confirm_full(at):
    """Say that a small upload is a full export replacing the latest one (the page asks when it shrinks the picture)."""
    at.checkbox(key="confirm_replace").check().run()


def pickers(at):
    """The column pickers of the mapping forms on the page, by field."""
    return {
        s.key.split("_", 2)[2]: s for s in at.selectbox if (s.key or "").startswith("pick_") and s.key.count("_") >= 2
    }


def upload_page():
    return open_page("pages/unggah.py")


def fresh_export() -> bytes:
    return xlsx(
        {
            "OPD": TITLE
            + [
                ["No", "Perangkat Daerah", "Nama Inovasi", "Skor", "Tanggal Input"],
                [1, "Dinas Sosial", "Sedekah Beras", "75,5", "11/07/2024"],
                [2, "Dinas Sosial", "Dapur Umum Warga", 82, "11/07/2024"],
                [3, "Unit Entah", "Inovasi Tanpa Roster", 90, "11/07/2024"],
            ]
        }
    )


def test_the_data_date_defaults_to_the_files_latest_input_and_can_be_now(data_dir):
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("ekspor_11_juli.xlsx", fresh_export(), XLSX)]).run()
    choice = at.radio(key="as_of_choice")
    assert choice.value == "latest" and list(choice.options)[0].startswith("tanggal input terakhir di berkas")
    assert save_button(at).label == "Simpan sebagai unggahan per 11 Juli 2024 00.00"
    choice.set_value("now").run()
    assert save_button(at).label != "Simpan sebagai unggahan per 11 Juli 2024 00.00"
    choice.set_value("latest").run()
    confirm_full(at)
    save_button(at).click().run()
    assert Store(data_dir / "iga.db").latest().as_of == dt.datetime(2024, 7, 11)


def test_the_data_date_defaults_to_the_date_the_export_states(empty_dir):
    """The sample exports say "Diunduh: 10 Juli 2024 pukul 16.00 WIB" in their title block."""
    at = upload_page()
    data = (SAMPLE / "ekspor_inovasi_2024-07-10.xlsx").read_bytes()
    at.file_uploader(key="up_files").set_value([("ekspor_inovasi_2024-07-10.xlsx", data, XLSX)]).run()
    assert at.radio(key="as_of_choice").value == "stated"
    save_button(at).click().run()
    assert not at.exception
    assert Store(empty_dir / "iga.db").latest().as_of == dt.datetime(2024, 7, 10, 16, 0)


def test_a_data_date_of_ones_own_choosing_is_the_snapshots_date(data_dir):
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("ekspor_11_juli.xlsx", fresh_export(), XLSX)]).run()
    at.radio(key="as_of_choice").set_value("other").run()
    at.date_input(key="as_of_day").set_value(dt.date(2024, 7, 12)).run()
    at.time_input(key="as_of_time").set_value(dt.time(9, 30)).run()
    confirm_full(at)
    save_button(at).click().run()
    assert not at.exception
    assert Store(data_dir / "iga.db").latest().as_of == dt.datetime(2024, 7, 12, 9, 30)


def test_upload_preview_then_save_creates_a_snapshot_shown_on_the_dashboard(data_dir):
    store = Store(data_dir / "iga.db")
    before = len(store.snapshots())
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("ekspor_11_juli.xlsx", fresh_export(), XLSX)]).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Inovasi berbeda"] == "3"
    assert metrics["Nama unit tidak cocok"] == "1"
    at.text_input(key="uploader").input("Rina (Bappeda)").run()
    confirm_full(at)
    save_button(at).click().run()
    assert not at.exception
    snaps = store.snapshots()
    assert len(snaps) == before + 1
    assert snaps[0].uploader == "Rina (Bappeda)" and snaps[0].files == ["ekspor_11_juli.xlsx"]
    assert snaps[0].roster_name == "daftar_unit_kota_bengkulu.xlsx"  # the roster in force
    assert any(f"Tersimpan sebagai unggahan #{snaps[0].id}" in shown(s) for s in at.success)
    at.switch_page("pages/ringkasan.py").run()
    assert {m.label: m.value for m in at.metric}["Inovasi diunggah"] == "3"  # the dashboard shows it


def test_uploading_identical_content_again_says_which_snapshot_it_is(data_dir):
    store = Store(data_dir / "iga.db")
    before = store.snapshots()
    at = upload_page()
    data = (SAMPLE / "ekspor_inovasi_2024-07-10.xlsx").read_bytes()
    at.file_uploader(key="up_files").set_value([("ekspor_inovasi_2024-07-10.xlsx", data, XLSX)]).run()
    save_button(at).click().run()
    assert len(store.snapshots()) == len(before)
    assert any(f"sama dengan unggahan #{before[0].id}" in shown(s) for s in at.success)


def test_a_broken_file_shows_a_message_and_stores_nothing(data_dir):
    path = data_dir / "iga.db"
    store = Store(path)
    before = len(store.snapshots())
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("rusak.xlsx", b"PK\x03\x04 rusak" * 30, XLSX)]).run()
    assert not at.exception
    assert any("tidak dapat dibaca" in e.value and "Tidak ada data yang disimpan" in shown(e) for e in at.error)
    assert at.status[0].label == "Berkas tidak dapat dibaca" and at.status[0].state == "error"
    assert len(store.snapshots()) == before


def test_headers_that_cannot_be_mapped_are_picked_by_hand_and_remembered(data_dir):
    odd = xlsx(
        {
            "Data": [
                ["Kolom A", "Kolom B", "Kolom C"],
                ["Dinas Sosial", "Sedekah Beras", "88"],
                ["Dinas Kesehatan", "Posyandu Remaja", "91"],
            ]
        }
    )
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("aneh.xlsx", odd, XLSX)]).run()
    assert any("Pilih kolom" in w.value for w in at.warning)
    picker = pickers(at)
    assert set(picker) == {"unit", "innovation", "score"}  # only what is missing is asked
    unit, innovation, score = picker["unit"], picker["innovation"], picker["score"]
    assert button(at, "Pakai pemetaan ini").disabled  # unit and innovation not chosen yet
    unit.set_value(0)
    innovation.set_value(1)
    score.set_value(2).run()
    button(at, "Pakai pemetaan ini").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Inovasi berbeda"] == "2"
    # The same header layout is understood at once next time, in a new session.
    again = upload_page()
    again.file_uploader(key="up_files").set_value([("aneh_lagi.xlsx", odd, XLSX)]).run()
    assert {m.label: m.value for m in again.metric}["Inovasi berbeda"] == "2"


def test_deleting_a_snapshot_needs_confirmation(data_dir):
    store = Store(data_dir / "iga.db")
    snaps = store.snapshots()
    at = upload_page()
    assert not any(b.label == "Hapus" for b in at.button)  # nothing chosen yet
    at.selectbox(key="pick_delete").set_value(snaps[-1].id).run()
    assert button(at, "Hapus").disabled
    at.checkbox(key=f"sure_delete_{snaps[-1].id}").check().run()
    at.selectbox(key="pick_delete").set_value(snaps[0].id).run()
    assert button(at, "Hapus").disabled  # the confirmation was for the other snapshot
    at.selectbox(key="pick_delete").set_value(snaps[-1].id).run()
    assert button(at, "Hapus").disabled  # coming back asks again too
    at.checkbox(key=f"sure_delete_{snaps[-1].id}").check().run()
    button(at, "Hapus").click().run()
    assert [s.id for s in store.snapshots()] == [s.id for s in snaps[:-1]]
    assert any(f"Unggahan #{snaps[-1].id} dihapus" in shown(s) for s in at.success)
    assert not any(b.label == "Hapus" for b in at.button)  # and nothing is pre-selected afterwards


def test_replacing_the_roster_can_recompute_the_latest_snapshot(data_dir):
    store = Store(data_dir / "iga.db")
    latest = store.latest()
    roster = xlsx({"Unit": [["Nama Unit", "Jenis Unit"], ["Dinas Sosial", "OPD"], ["Kelurahan Bajak", "Kelurahan"]]})
    at = upload_page()
    at.file_uploader(key="roster_new").set_value(("roster_baru.xlsx", roster, XLSX)).run()
    assert not at.exception
    button(at, "Pakai daftar unit ini").click().run()
    assert store.active_roster().name == "roster_baru.xlsx"
    newest = store.snapshots()[0]
    assert newest.id != latest.id and newest.as_of == latest.as_of
    assert newest.units_expected == 2 and newest.roster_name == "roster_baru.xlsx"
    assert store.snapshot(latest.id).roster.name == "daftar_unit_kota_bengkulu.xlsx"  # old one keeps its meaning


def test_replacing_the_roster_without_recounting_keeps_every_snapshot(data_dir):
    store = Store(data_dir / "iga.db")
    before = [s.id for s in store.snapshots()]
    roster = xlsx({"Unit": [["Nama Unit", "Jenis Unit"], ["Dinas Sosial", "OPD"]]})
    at = upload_page()
    at.file_uploader(key="roster_new").set_value(("roster_baru.xlsx", roster, XLSX)).run()
    at.checkbox(key="roster_recompute").uncheck().run()
    button(at, "Pakai daftar unit ini").click().run()
    assert not at.exception
    assert store.active_roster().name == "roster_baru.xlsx"
    assert [s.id for s in store.snapshots()] == before  # nothing recounted, nothing added
    assert any("roster_baru.xlsx (1 unit) sekarang berlaku" in shown(s) for s in at.success)


def test_an_empty_database_offers_the_sample_data(empty_dir):
    at = upload_page()
    button(at, "Muat data contoh (ekspor 8–10 Juli 2024)").click().run()
    assert not at.exception
    assert len(Store(empty_dir / "iga.db").snapshots()) == 3


def test_a_column_understood_automatically_can_be_changed_and_is_remembered(data_dir):
    export = xlsx(
        {
            "Data": [
                ["Perangkat Daerah", "Nama Inovasi", "Nilai", "Nilai Akhir"],
                ["Dinas Sosial", "Sedekah Beras", 50, 85],
                ["Dinas Sosial", "Dapur Umum", 55, 90],
            ]
        }
    )
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("nilai_dua.xlsx", export, XLSX)]).run()
    assert {m.label: m.value for m in at.metric}["Inovasi berbeda"] == "2"
    assert not pickers(at)  # every column was understood: no form until asked for
    at.toggle(key="map_change").set_value(True).run()
    score = pickers(at)["score"]
    assert score.value == 2  # "Nilai" was taken first
    score.set_value(3).run()
    button(at, "Pakai pemetaan ini").click().run()
    assert not at.exception
    confirm_full(at)
    save_button(at).click().run()
    stored = Store(data_dir / "iga.db").snapshot(Store(data_dir / "iga.db").latest().id)
    assert stored.load.rows["score"].tolist() == [85.0, 90.0]


def test_a_file_that_makes_the_reader_abort_is_refused_and_the_app_lives_on(data_dir):
    """python-calamine aborts the whole process on this 5 KB file; read in the guard's child
    process it is one error line, and the same session goes on to upload a good file."""
    from hostile import far_cell_bomb

    store = Store(data_dir / "iga.db")
    before = len(store.snapshots())
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("sel_jauh.xlsx", far_cell_bomb(), XLSX)]).run()
    assert not at.exception
    assert any("tidak dapat dibaca dengan aman" in shown(e) for e in at.error)
    at.file_uploader(key="up_files").set_value([("ekspor_11_juli.xlsx", fresh_export(), XLSX)]).run()
    assert {m.label: m.value for m in at.metric}["Inovasi berbeda"] == "3"
    assert len(store.snapshots()) == before


def test_a_small_upload_asks_before_it_replaces_the_picture_or_adds_to_the_latest(data_dir):
    store = Store(data_dir / "iga.db")
    latest = store.latest()
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("rekap_dinsos.xlsx", fresh_export(), XLSX)]).run()
    assert any("tambahan untuk unggahan terakhir" in shown(w) for w in at.warning)
    assert save_button(at).disabled  # until the operator says it is a full export, or picks "add"
    at.radio(key="upload_mode").set_value("add").run()
    assert not at.exception and not save_button(at).disabled
    assert int({m.label: m.value for m in at.metric}["Inovasi berbeda"].replace(".", "")) > latest.innovations
    save_button(at).click().run()
    saved = store.latest()
    assert saved.id != latest.id and saved.files[-1] == "rekap_dinsos.xlsx" and len(saved.files) > 1
    assert any("sudah disimpan sebagai unggahan" in shown(s) for s in at.success)  # no second save of the same file


def test_another_pemdas_uploads_are_no_part_of_its_progress(data_dir):
    """After Siapkan sets up Kota Padang, the sample uploads of Kota Bengkulu stay out of Padang's pace."""
    store = Store(data_dir / "iga.db")
    store.save_settings(default_settings().replace(city="Kota Padang").to_mapping(), OPERATOR)
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("ekspor_11_juli.xlsx", fresh_export(), XLSX)]).run()
    confirm_full(at)
    save_button(at).click().run()
    at.switch_page("pages/ringkasan.py").run()
    assert not at.exception
    assert any("3 unggahan sebelumnya milik Pemda atau tahun IGA lain" in shown(c) for c in at.caption)
    assert any("minimal dua hari" in shown(m) for m in [*at.warning, *at.error, *at.success, *at.info])


def test_formula_text_from_an_upload_stays_text_in_the_tables_own_download(data_dir):
    """st.dataframe's toolbar downloads CSV of what it shows: an innovation named "=HYPERLINK(…)" is shown, and so
    downloaded, as "'=HYPERLINK(…)", which a spreadsheet keeps as text."""
    export = csv_bytes(
        [
            ["Perangkat Daerah", "Nama Inovasi", "Skor"],
            ["Dinas Sosial", '=HYPERLINK("http://x")', "80"],
            ["Dinas Sosial", '=HYPERLINK("http://x")', "81"],
        ]
    )
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("rumus.csv", export, "text/csv")]).run()
    assert not at.exception
    merged = next(d.value for d in at.dataframe if "Dipakai baris" in d.value.columns)
    assert merged["Inovasi"].tolist() == ['\'=HYPERLINK("http://x")']


def test_a_file_with_no_readable_sheet_opens_the_column_form_at_once(data_dir):
    headless = xlsx(
        {"Data": [["Rekap"], ["Dinas Sosial", "Sedekah Beras", "88"], ["Dinas Kesehatan", "Posyandu Remaja", "91"]]}
    )
    at = upload_page()
    at.file_uploader(key="up_files").set_value([("rekap.xlsx", headless, XLSX)]).run()
    assert not at.exception
    assert any("Pilih kolomnya di bawah" in w.value for w in at.warning)
    assert {"unit", "innovation"} <= set(pickers(at))  # the form is there without looking for a switch
