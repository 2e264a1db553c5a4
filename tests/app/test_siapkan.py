"""Siapkan untuk Pemda Anda: a roster for any Pemda without typing a kecamatan or kelurahan/desa."""

import datetime as dt

from builders import TITLE, xlsx
from conftest import open_page, shown

from iga_data import regions, tables
from iga_data.ingest import prepare, settings_in_force
from iga_data.reading import Source
from iga_data.roster import read_roster
from iga_data.roster_build import build_roster, opd_template
from iga_data.roster_diff import follow_current, roster_differences
from iga_data.storage import Store

PAGE = "pages/siapkan.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_EDITS = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}


def button(at, label):
    return next(b for b in at.button if b.label == label)


def summary(at):
    return next(d.value for d in at.dataframe if list(d.value.columns) == ["Jenis unit", "Jumlah unit"])


def test_it_opens_on_the_pemda_in_force_and_previews_what_the_engine_builds(data_dir):
    at = open_page(PAGE)
    assert not at.error
    assert at.selectbox(key="setup_province").value == "17"
    assert at.selectbox(key="setup_pemda_17").value == "17.71"
    pemda = regions.find_pemda("Kota Bengkulu")
    store = Store(data_dir / "iga.db")
    current = read_roster(store.active_roster(), pemda.name)
    built = build_roster(pemda, opd_template(pemda.kind).assign(use=True))
    expected = follow_current(built, roster_differences(built.roster(pemda.name), current, pemda.name), current)
    assert summary(at).equals(tables.roster_summary(expected.roster(pemda.name)))
    diff = next(d.value for d in at.data_editor if "follow" in d.value.columns)
    pairs = diff.loc[diff["type"] == "Kelurahan", ["new_name", "current_name"]].values.tolist()
    assert pairs == [["Kelurahan Bumu Ayu", "Kelurahan Bumi Ayu"], ["Kelurahan Jitra", "Kelurahan Pasar Jitra"]]
    assert any("CC BY 4.0" in c.value for c in at.caption)  # the source is named where it is used


def test_a_kabupaten_gets_its_desa_and_using_it_stores_the_roster_and_the_season(data_dir):
    at = open_page(PAGE)
    at.selectbox(key="setup_pemda_17").set_value("17.02").run()
    counts = dict(zip(*summary(at).T.values))
    assert counts["Desa"] == 122 and counts["Kelurahan"] == 34 and counts["Kecamatan"] == 15
    assert any("milik Kota Bengkulu: tidak dibandingkan" in c.value for c in at.caption)
    at.number_input(key="setup_season").set_value(2025).run()
    assert at.date_input(key="setup_deadline_2025").value == dt.date(2025, 7, 15)  # offered from the one in force
    at.date_input(key="setup_deadline_2025").set_value(dt.date(2025, 8, 1))
    assert at.checkbox(key="setup_move_others").value  # the sample uploads of Kota Bengkulu 2024
    button(at, "Pakai daftar unit ini").click().run()
    assert not at.exception and not at.error
    assert any(
        "Daftar unit Kabupaten Rejang Lebong" in shown(s) and "3 unggahan lain dipindahkan ke Terhapus" in shown(s)
        for s in at.success
    )
    store = Store(data_dir / "iga.db")
    settings = settings_in_force(store)
    assert (settings.city, settings.season_year, settings.deadline) == (
        "Kabupaten Rejang Lebong",
        2025,
        dt.date(2025, 8, 1),
    )
    assert not store.snapshots() and len(store.deleted_snapshots()) == 3  # restorable from Terhapus
    active = store.active_roster()
    assert active.name == "daftar_unit_kabupaten_rejang_lebong.xlsx"
    # The Pemda's own export is now read against its own units.
    desa = regions.region_units(regions.find_pemda("Rejang Lebong"))
    some = desa.loc[desa["type"] == "Desa", "name"].head(2).tolist()
    export = xlsx(
        {
            "Data": TITLE
            + [
                ["Nama Unit", "Nama Inovasi", "Skor"],
                [f"Kades {some[0][5:]}", "Ronda", 80],
                [some[1].upper(), "Lumbung", 75],
            ]
        }
    )
    analysis = prepare(store, [Source("ekspor.xlsx", export)], None, settings).require()
    assert dict(analysis.summary.by_type)["Desa"].expected == 122 and analysis.summary.unmatched_units == ()
    assert dict(analysis.summary.by_type)["Desa"].incomplete == 2


def test_ticked_opd_typed_units_and_a_school_list_make_the_roster(data_dir):
    at = open_page(PAGE)
    at.session_state["setup_opd_Kota"] = {**NO_EDITS, "edited_rows": {0: {"use": False}}}
    at.session_state["setup_typed_17.71"] = {
        **NO_EDITS,
        "added_rows": [{"name": "Kuala Lempuing", "type": "Puskesmas", "kecamatan": "Ratu Agung"}],
    }
    schools = xlsx(
        {
            "Sekolah": [
                ["NPSN", "Nama Sekolah", "Bentuk Pendidikan", "Kecamatan"],
                ["1", "SD NEGERI 05 KOTA BENGKULU", "SD", "Kec. Selebar"],
                ["2", "TK PERTIWI", "TK", "Kec. Selebar"],
            ]
        }
    )
    at.file_uploader(key="setup_schools").set_value([("sekolah.xlsx", schools, XLSX)]).run()
    assert not at.exception
    assert any("TK PERTIWI" in w.value for w in at.warning)  # left out, and said so
    button(at, "Pakai daftar unit ini").click().run()
    units = read_roster(Store(data_dir / "iga.db").active_roster(), "Kota Bengkulu").units.set_index("name")
    assert "Sekretariat Daerah" not in units.index
    assert units.loc["Kuala Lempuing", ["type", "kecamatan", "pembina"]].tolist() == [
        "Puskesmas",
        "Ratu Agung",
        "Dinas Kesehatan",
    ]  # as typed: the chosen type says what it is
    assert units.loc["SD NEGERI 05 KOTA BENGKULU", "kecamatan"] == "Selebar"
    assert "Kelurahan Bumi Ayu" in units.index  # the city's spelling kept, as suggested


def test_a_list_that_cannot_be_read_is_reported_and_left_out(data_dir):
    at = open_page(PAGE)
    bad = xlsx({"A": [["NPSN", "Alamat"], ["1", "Jl. Mawar"]]})
    at.file_uploader(key="setup_puskesmas").set_value([("pkm.xlsx", bad, XLSX)]).run()
    assert any("Daftar ini tidak dipakai" in shown(e) for e in at.error)
    assert summary(at) is not None


def test_on_a_fresh_install_the_first_roster_is_set_up_here(empty_dir):
    at = open_page(PAGE)
    assert not at.error
    button(at, "Pakai daftar unit ini").click().run()
    roster = read_roster(Store(empty_dir / "iga.db").active_roster(), "Kota Bengkulu")
    assert roster.units["type"].value_counts()["Kelurahan"] == 67


def test_pengaturan_links_here(data_dir):
    at = open_page("pages/pengaturan.py")
    assert any("Siapkan daftar unit" in link.value for link in at.page_link)
