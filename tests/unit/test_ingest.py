import datetime as dt

import pytest
from builders import OPERATOR, source, xlsx

from iga_data import ingest
from iga_data.errors import InputError
from iga_data.pipeline import analyse
from iga_data.reading import read_sources
from iga_data.settings import default_settings
from iga_data.storage import Store

SETTINGS = default_settings()
ROSTER = source(
    "roster.xlsx", xlsx({"R": [["Nama Unit", "Jenis Unit"], ["Dinas Sosial", "OPD"], ["Kelurahan Bajak", "Kelurahan"]]})
)


def export(*rows, name="e.xlsx"):
    return source(name, xlsx({"Data": [["Perangkat Daerah", "Nama Inovasi", "Skor"], *rows]}))


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "iga.db")


def test_prepare_then_save_keeps_the_roster_in_force(store):
    prepared = ingest.prepare(store, [export(["Dinas Sosial", "A", 80], ["Dinas Sosial", "B", 90])], ROSTER, SETTINGS)
    assert prepared.analysis.summary.to_json()["units"] == {
        "expected": 2,
        "ready": 1,
        "needs_improvement": 0,
        "incomplete": 0,
        "none": 1,
    }
    result = ingest.save(store, prepared, dt.datetime(2024, 7, 10, 16), "Rina", OPERATOR)
    assert result.created
    assert store.active_roster().sha256 == ROSTER.sha256
    info = store.latest()
    assert (info.innovations, info.units_ready, info.units_expected, info.uploader) == (2, 1, 2, "Rina")
    # A later upload without a roster uses the one in force.
    later = ingest.prepare(store, [export(["Kel. Bajak", "C", 75])], None, SETTINGS)
    assert later.roster_source.name == "roster.xlsx"


def test_unmapped_sheets_are_offered_for_manual_mapping_and_saving_them_is_refused(store):
    odd = source("aneh.xlsx", xlsx({"Data": [["Kolom A", "Kolom B"], ["Dinas Sosial", "A"]]}))
    prepared = ingest.prepare(store, [odd], None, SETTINGS)
    assert prepared.analysis is None
    assert [s.headers for s in prepared.sheets_to_map()] == [["Kolom A", "Kolom B"]]
    with pytest.raises(InputError, match="Tidak ada lembar"):
        ingest.save(store, prepared, dt.datetime(2024, 7, 10), "x", OPERATOR)
    assert store.snapshots() == []
    store.remember_mapping(prepared.sheets_to_map()[0].header_key, {"unit": 0, "innovation": 1}, OPERATOR)
    assert ingest.prepare(store, [odd], None, SETTINGS).analysis.summary.to_json()["innovations"] == 1


def test_seed_loads_the_three_sample_days_once(store):
    results = ingest.seed_sample(store, SETTINGS, OPERATOR)
    assert [r.created for r in results] == [True, True, True]
    assert [s.as_of for s in store.snapshots()] == [dt.datetime(2024, 7, d, 16) for d in (10, 9, 8)]
    for s in store.snapshots():
        store.delete(s.id, OPERATOR)
    assert ingest.seed_sample(store, SETTINGS, OPERATOR) == []  # deleted samples do not come back
    assert store.snapshots() == []


def test_recompute_with_a_new_roster_is_a_new_snapshot_and_the_old_keeps_its_roster(store):
    first = ingest.save(
        store,
        ingest.prepare(store, [export(["Dinas Sosial", "A", 80])], ROSTER, SETTINGS),
        dt.datetime(2024, 7, 10, 16),
        "Rina",
        OPERATOR,
    )
    bigger = source(
        "roster2.xlsx", xlsx({"R": [["Nama Unit"], ["Dinas Sosial"], ["Dinas Kesehatan"], ["Kelurahan Bajak"]]})
    )
    again = ingest.recompute_with_roster(store, first.snapshot_id, bigger, SETTINGS, OPERATOR)
    assert again.created and again.snapshot_id != first.snapshot_id
    new, old = store.snapshot(again.snapshot_id), store.snapshot(first.snapshot_id)
    assert new.info.as_of == old.info.as_of and new.info.units_expected == 3
    assert old.roster.name == "roster.xlsx" and old.info.units_expected == 2
    analysis = ingest.snapshot_analysis(old, SETTINGS)
    assert analysis.summary.to_json()["units"]["expected"] == 2


def test_settings_in_force_are_the_defaults_overridden_by_what_was_stored(store):
    assert ingest.settings_in_force(store) == SETTINGS
    store.save_settings({**SETTINGS.to_mapping(), "threshold": 60, "retired_option": 1}, OPERATOR)
    assert ingest.settings_in_force(store).threshold == 60


def test_indicator_levels_give_the_score_when_none_is_stated_and_flag_problems():
    header = ["Perangkat Daerah", "Nama Inovasi", "Skor", *[str(n) for n in range(16, 36)]]
    full = [3] * 20
    weak = [0, 3, *[3] * 18]  # indicator 16 (mandatory, bobot 3) at level 0
    rows = [
        ["Dinas Sosial", "Lengkap", None, *full],
        ["Dinas Sosial", "Regulasi Kosong", 111, *weak],
        ["Dinas Sosial", "Tanpa Indikator", 80, *[None] * 20],
    ]
    analysis = analyse(read_sources([source("i.xlsx", xlsx({"Data": [header, *rows]}))]), None, SETTINGS)
    inn = analysis.innovations.set_index("innovation")
    assert inn.loc["Lengkap", "score"] == 111
    assert inn.loc["Regulasi Kosong", "score_computed"] == 102
    assert bool(inn.loc["Regulasi Kosong", "differs"]) and inn.loc["Regulasi Kosong", "missing_mandatory"] == [16]
    assert inn.loc["Tanpa Indikator", "score"] == 80 and not bool(inn.loc["Tanpa Indikator", "differs"])
    assert any("berbeda dari hitungan indikator" in w for w in analysis.warnings)
    assert any("indikator wajib yang bernilai 0" in w for w in analysis.warnings)


def test_indicator_issues_table_lists_what_to_check():
    from iga_data.tables import indicator_issues

    header = ["Perangkat Daerah", "Nama Inovasi", "Skor", *[str(n) for n in range(16, 36)]]
    rows = [["Dinas Sosial", "Regulasi Kosong", 111, 0, *[3] * 19], ["Dinas Sosial", "Rapi", None, *[3] * 20]]
    analysis = analyse(read_sources([source("i.xlsx", xlsx({"Data": [header, *rows]}))]), None, SETTINGS)
    table = indicator_issues(analysis)
    assert table.to_dict("records") == [
        {
            "Inovasi": "Regulasi Kosong",
            "Unit": "Dinas Sosial",
            "Skor dipakai": "111",
            "Hitungan indikator": "102",
            "Masalah": "skor tertulis berbeda dari hitungan indikator; indikator wajib bernilai 0: 16",
        }
    ]


def test_latest_input_date_in_the_files_never_in_the_future(store):
    rows = [["Dinas Sosial", "A", 80, "08/07/2024"], ["Dinas Sosial", "B", 80, "10 Juli 2024 14.30"]]
    header = ["Perangkat Daerah", "Nama Inovasi", "Skor", "Tanggal Input"]
    prepared = ingest.prepare(store, [source("e.xlsx", xlsx({"D": [header, *rows]}))], None, SETTINGS)
    assert ingest.latest_input(prepared, dt.datetime(2026, 1, 1)) == dt.datetime(2024, 7, 10, 14, 30)
    assert ingest.latest_input(prepared, dt.datetime(2024, 7, 9, 8, 0)) is None
    undated = ingest.prepare(store, [export(["Dinas Sosial", "A", 80])], None, SETTINGS)
    assert ingest.latest_input(undated, dt.datetime(2026, 1, 1)) is None


def test_the_data_date_is_what_the_export_states_else_its_latest_input_else_now(store):
    titled = source(
        "e.xlsx",
        xlsx(
            {
                "D": [
                    ["Data per 9 Juli 2024 pukul 15.00 WIB"],
                    [],
                    ["Perangkat Daerah", "Nama Inovasi", "Tanggal Input"],
                    ["Dinas Sosial", "A", "08/07/2024 10:00"],
                ]
            }
        ),
    )
    now = dt.datetime(2024, 7, 12, 8, 0)
    assert ingest.data_dates(ingest.prepare(store, [titled], None, SETTINGS), now) == {
        "stated": dt.datetime(2024, 7, 9, 15),
        "latest": dt.datetime(2024, 7, 8, 10),
        "now": now,
    }
    dated = source(
        "f.xlsx",
        xlsx({"D": [["Perangkat Daerah", "Nama Inovasi", "Tanggal Input"], ["Dinas Sosial", "A", "08/07/2024 10:00"]]}),
    )
    assert list(ingest.data_dates(ingest.prepare(store, [dated], None, SETTINGS), now)) == ["latest", "now"]
    future = ingest.prepare(store, [titled], None, SETTINGS)
    assert list(ingest.data_dates(future, dt.datetime(2024, 7, 8, 12))) == ["latest", "now"]  # never in the future


def test_stored_aliases_apply_to_an_upload_and_to_every_stored_snapshot(store):
    first = ingest.save(
        store,
        ingest.prepare(store, [export(["Dinsos Kota", "A", 80], ["Dinsos Kota", "B", 90])], ROSTER, SETTINGS),
        dt.datetime(2024, 7, 9),
        "x",
        OPERATOR,
    )
    old = store.snapshot(first.snapshot_id)
    assert ingest.snapshot_analysis(old, SETTINGS).summary.units.ready == 0
    store.save_alias("Dinsos Kota", "Dinas Sosial", OPERATOR)
    assert ingest.snapshot_analysis(old, SETTINGS, store.aliases()).summary.units.ready == 1
    later = ingest.prepare(store, [export(["DINSOS  KOTA", "C", 85], ["Dinsos Kota", "D", 70])], None, SETTINGS)
    assert later.analysis.summary.units.ready == 1 and later.analysis.summary.aliases_applied == 1


def test_a_sheet_named_after_a_roster_unit_is_read_at_ingest(store):
    sheet = source("dinsos.xlsx", xlsx({"Dinas Sosial": [["No", "Nama Inovasi", "Skor"], [1, "A", 80], [2, "B", 75]]}))
    prepared = ingest.prepare(store, [sheet], ROSTER, SETTINGS)
    assert prepared.analysis.summary.units.ready == 1
    alone = ingest.prepare(None, [sheet], None, SETTINGS)  # no roster: the sheet's name cannot be checked
    assert alone.analysis is None and alone.load.sheets[0].reason == "tidak ada kolom 'Nama unit'"
