"""Resolving unit names by hand on Unggah Data and Inovasi, the forms that appear only when a sheet needs
them, and uploaded text that stays text (issue 10)."""

import pytest
from builders import xlsx
from conftest import engine_view, open_page

import ui.data
from iga_data.storage import Store

pytestmark = pytest.mark.app

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def picker_for(at, name):
    """The alias picker whose label names `name` (labels are escaped Markdown)."""
    return next(
        s
        for s in at.selectbox
        if (s.key or "").endswith(tuple(f"_alias_{i}" for i in range(30)))
        and s.label.replace("\\", "").startswith(name)
    )


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_a_name_resolved_on_inovasi_recounts_every_snapshot_and_can_be_undone(data_dir):
    store = Store(data_dir / "iga.db")
    _, _, before = engine_view(data_dir)
    assert set(before.summary.unmatched_units) == {"UPT Pengelolaan Sampah", "Forum Anak Kota Bengkulu"}
    at = open_page("pages/inovasi.py")
    picker_for(at, "UPT Pengelolaan Sampah").set_value("Dinas Lingkungan Hidup")
    picker_for(at, "Forum Anak Kota Bengkulu").set_value("\x00bukan")
    button(at, "Simpan padanan").click().run()
    assert not at.exception
    assert {(a.written, a.unit) for a in store.aliases()} == {
        ("UPT Pengelolaan Sampah", "Dinas Lingkungan Hidup"),
        ("Forum Anak Kota Bengkulu", ""),
    }
    assert any("2 padanan nama unit disimpan" in s.value for s in at.success)
    assert any("0 belum dipadankan" in e.label for e in at.expander), [e.label for e in at.expander]
    after = ui.data.view().analysis  # what every page now shows: recounted with the aliases
    assert after.summary.unmatched_units == () and after.summary.not_in_roster == ("Forum Anak Kota Bengkulu",)
    uploaded = {
        a: x.units.set_index("unit_name").loc["Dinas Lingkungan Hidup", "uploaded"]
        for a, x in (("before", before), ("after", after))
    }
    assert uploaded["after"] == uploaded["before"] + 1
    # Undo one: the name is pending again.
    at.switch_page("pages/inovasi.py").run()
    at.selectbox(key="inv_undo").set_value("UPT Pengelolaan Sampah").run()
    button(at, "Batalkan").click().run()
    assert not at.exception
    assert [a.written for a in store.aliases()] == ["Forum Anak Kota Bengkulu"]
    assert any("1 belum dipadankan" in e.label for e in at.expander)


def test_an_alias_chosen_in_the_upload_preview_changes_the_preview(data_dir):
    export = xlsx(
        {
            "OPD": [
                ["Perangkat Daerah", "Nama Inovasi", "Skor"],
                ["dinsos_kotabkl", "Sedekah Beras", 80],
                ["Sosial Kota", "Dapur Umum", 90],
                ["Sosial Kota", "Lumbung", 90],
            ]
        }
    )
    at = open_page("pages/unggah.py")
    at.file_uploader(key="up_files").set_value([("akun.xlsx", export, XLSX)]).run()
    assert metrics(at)["Nama unit tidak cocok"] == "1"  # the login matched by itself; "Sosial Kota" did not
    picker = picker_for(at, "Sosial Kota")
    assert picker.options[0].startswith("Dinas Sosial (")  # the closest roster unit first, with its similarity
    picker.set_value("Dinas Sosial")
    button(at, "Simpan padanan").click().run()
    assert not at.exception
    assert metrics(at)["Nama unit tidak cocok"] == "0"


def test_the_form_appears_only_for_a_sheet_that_needs_it_and_asks_what_is_missing(data_dir):
    export = xlsx(
        {
            "Data": [["Perangkat Daerah", "Nama Inovasi", "Nilai Ujian"], ["Dinas Sosial", "Sedekah", 85]],
            "Lengkap": [["Perangkat Daerah", "Nama Inovasi", "Skor"], ["Dinas Sosial", "Dapur Umum", 90]],
            "Ringkasan": [["Tahapan", "Jumlah"], ["Penerapan", 2]],
        }
    )
    at = open_page("pages/unggah.py")
    at.file_uploader(key="up_files").set_value([("campur.xlsx", export, XLSX)]).run()
    forms = [e.label for e in at.expander if "pilih kolom" in e.label]
    assert len(forms) == 1 and "Data" in forms[0] and "skor kematangan" in forms[0]  # not "Lengkap"
    asked = {
        s.key.rsplit("_", 1)[-1] for s in at.selectbox if (s.key or "").startswith("pick_") and s.key.count("_") >= 2
    }
    assert asked == {"score"}
    assert any("Ringkasan" in c.value and "dilewati" in c.value for c in at.caption)
    next(s for s in at.selectbox if (s.key or "").endswith("_score")).set_value(2).run()
    button(at, "Pakai pemetaan ini").click().run()
    assert not at.exception
    assert not [e.label for e in at.expander if "pilih kolom" in e.label]  # remembered: nothing left to ask


def test_uploaded_text_is_shown_as_text(data_dir):
    export = xlsx({"Data": [["Perangkat Daerah", "Nama Inovasi"], ["Dinas Sosial", "Tanpa Skor"]]})
    at = open_page("pages/unggah.py")
    at.file_uploader(key="up_files").set_value([("[klik](http://contoh.invalid).xlsx", export, XLSX)]).run()
    assert not at.exception
    shown = [w.value for w in at.warning] + [e.label for e in at.expander]
    assert any(r"\[klik\]\(http\:" in text for text in shown)
    assert not any("[klik](http" in text for text in shown)
