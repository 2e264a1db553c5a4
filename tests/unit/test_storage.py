"""Storage: snapshots round trip exactly, ingest is all-or-nothing, and
threads/processes writing the same database at once all land intact."""

from __future__ import annotations

import datetime as dt
import functools
import io
import multiprocessing
import sqlite3
import threading

import numpy as np
import openpyxl
import pandas as pd
import pytest
from builders import OPERATOR

from iga_data import storage
from iga_data.errors import InputError
from iga_data.reading import ROW_COLUMNS, LoadResult, Source, read_sources
from iga_data.settings import default_settings
from iga_data.storage import Store, default_db_path

HEADER = ["Perangkat Daerah", "Nama Inovasi", "Skor", "Tanggal Input", "Indikator 16", "Indikator 17"]


def workbook(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@functools.cache  # openpyxl stamps the save time into the bytes; one Source per tag
def export(tag: str = "a", n: int = 4) -> Source:
    """An export with every awkward value: NaN score, NaT date, a totals row, bad cells."""
    rows = [["Rekap inovasi daerah"], HEADER]
    for i in range(n):
        rows.append(
            [
                f"Dinas {tag} {i % 3}",
                f"Inovasi {tag} {i}",
                None if i % 3 == 1 else 40 + i + 0.25,
                None if i % 4 == 2 else dt.datetime(2024, 7, 1 + i % 28, 9, 30),
                i % 4 if i % 2 == 0 else None,
                3,
            ]
        )
    rows.append(["Dinas X", "Inovasi X", "tidak tahu", "bukan tanggal", 9, 1])
    rows.append(["Jumlah", "", 123, None, None, None])
    data = workbook(
        {
            "OPD": rows,
            "Kecamatan": [["Kecamatan", "Nama Inovasi"], ["Kec. Satu", "Inovasi K"]],
            "Catatan": [["catatan saja"]],
        }
    )
    return Source(f"ekspor_{tag}.xlsx", data)


@functools.cache
def roster(tag: str = "r") -> Source:
    return Source(f"daftar_unit_{tag}.xlsx", workbook({"Unit": [["Perangkat Daerah"], [f"Dinas {tag}"]]}))


def ingest(
    store: Store,
    sources: list[Source],
    roster_src: Source | None = None,
    as_of: dt.datetime = dt.datetime(2024, 7, 10, 16, 0),
    load: LoadResult | None = None,
):
    load = load or read_sources(sources)
    return store.ingest(
        sources=sources,
        load=load,
        roster=roster_src,
        settings=default_settings(),
        as_of=as_of,
        uploader="operator",
        innovations=len(load.rows),
        units_ready=2,
        units_expected=5,
        actor=OPERATOR,
    )


def count(path, table: str, where: str = "", params: tuple = ()) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table} {where}", params).fetchone()[0]
    finally:
        con.close()


def dump(path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "data" / "iga.db")


# ------------------------------------------------------------ round trip


def test_round_trip_restores_load_files_roster_and_settings(store):
    files = [export("a"), export("b", n=6)]
    load = read_sources(files)
    rows = load.rows
    # The fixture must really contain the values that are hard to round trip.
    assert rows["score"].isna().any() and rows["score"].notna().any()
    assert rows["input_date"].isna().any() and rows["input_date"].notna().any()
    assert rows["ind_16"].notna().any() and rows["ind_18"].isna().all()
    assert load.skipped and load.warnings and any(not s.used for s in load.sheets)
    ros = roster()
    as_of = dt.datetime(2024, 7, 10, 16, 0, 5, 123456)

    result = ingest(store, files, ros, as_of=as_of)
    assert result.created
    got = store.snapshot(result.snapshot_id)

    pd.testing.assert_frame_equal(got.load.rows, rows, check_exact=True)
    assert list(got.load.rows.columns) == ROW_COLUMNS
    assert got.load.rows.dtypes.to_dict() == rows.dtypes.to_dict()
    assert got.load.sheets == load.sheets
    assert got.load.skipped == load.skipped
    assert got.load.warnings == load.warnings
    assert got.load.files == load.files
    assert got.files == files
    assert got.roster == ros
    assert got.settings == default_settings().to_mapping()
    info = got.info
    assert info.id == result.snapshot_id
    assert info.as_of == as_of
    assert info.files == ["ekspor_a.xlsx", "ekspor_b.xlsx"]
    assert (info.uploader, info.innovations, info.units_ready, info.units_expected) == ("operator", len(rows), 2, 5)
    assert info.roster_name == ros.name
    assert isinstance(info.created_at, dt.datetime)


def test_round_trip_of_a_load_without_rows(store):
    src = Source("kosong.xlsx", workbook({"Lembar1": [["bukan judul kolom"], ["apa saja"]]}))
    load = read_sources([src])
    assert load.rows.empty

    got = store.snapshot(ingest(store, [src], load=load).snapshot_id)

    pd.testing.assert_frame_equal(got.load.rows, load.rows)
    assert got.load.sheets == load.sheets
    assert got.roster is None and got.info.roster_name is None


def test_ingest_rejects_a_load_of_other_files(store):
    with pytest.raises(ValueError):
        ingest(store, [export("a")], load=read_sources([export("b")]))
    assert store.snapshots() == []


def test_thirty_thousand_rows_round_trip_exactly(store):
    """Speed is measured by `make bench`, never by a timed unit test."""
    base = read_sources([export("a", n=20)])
    rows = pd.concat([base.rows] * (30_000 // len(base.rows) + 1), ignore_index=True).iloc[:30_000]
    rows["order"] = np.arange(len(rows))
    rows["ind_35"] = np.where(rows["order"] % 2 == 0, 1.0, np.nan)  # every column bound
    load = LoadResult(rows, base.sheets, base.skipped, base.warnings, base.files)

    result = ingest(store, [export("a", n=20)], load=load)
    pd.testing.assert_frame_equal(store.snapshot(result.snapshot_id).load.rows, rows, check_exact=True)


# ------------------------------------------------------------- identity


def test_identical_content_is_stored_once(store):
    files, ros = [export("a"), export("b")], roster()
    first = ingest(store, files, ros)
    again = ingest(store, files, ros, as_of=dt.datetime(2024, 8, 1))

    assert first.created and not again.created
    assert again.snapshot_id == first.snapshot_id
    assert len(store.snapshots()) == 1
    assert len(store.snapshot(first.snapshot_id).load.rows) == len(read_sources(files).rows)


def test_other_roster_or_other_file_order_is_new_content(store):
    files = [export("a"), export("b")]
    ids = {
        ingest(store, files, roster("r1")).snapshot_id,
        ingest(store, files, roster("r2")).snapshot_id,
        ingest(store, files, None).snapshot_id,
        ingest(store, files[::-1], roster("r1")).snapshot_id,
    }
    assert len(ids) == 4
    assert len(store.snapshots()) == 4
    assert count(store.path, "rosters") == 2


# ------------------------------------------------------------- listing


def test_snapshots_newest_first_and_latest(store):
    assert store.snapshots() == [] and store.latest() is None
    july = dt.datetime(2024, 7, 10, 16)
    mid = ingest(store, [export("m")], as_of=july).snapshot_id
    old = ingest(store, [export("o")], as_of=july - dt.timedelta(days=2)).snapshot_id
    new = ingest(store, [export("n")], as_of=july + dt.timedelta(seconds=1)).snapshot_id
    tie = ingest(store, [export("t")], as_of=july).snapshot_id

    assert [s.id for s in store.snapshots()] == [new, tie, mid, old]
    assert store.latest().id == new
    assert store.latest().files == ["ekspor_n.xlsx"]


# -------------------------------------------------------------- delete


def test_purge_removes_files_and_rows_of_that_snapshot_only(store):
    keep = ingest(store, [export("a")], roster("r1")).snapshot_id
    gone = ingest(store, [export("b"), export("c")], roster("r2")).snapshot_id
    kept_rows = store.snapshot(keep).load.rows

    store.delete(gone, OPERATOR)
    assert count(store.path, "snapshots", "WHERE id = ? AND rows_arrow IS NOT NULL", (gone,)) == 1  # in Terhapus
    store.purge(gone, OPERATOR)

    assert [s.id for s in store.snapshots()] == [keep]
    assert count(store.path, "snapshots", "WHERE id = ?", (gone,)) == 0  # its rows went with it
    assert count(store.path, "snapshot_files", "WHERE snapshot_id = ?", (gone,)) == 0
    pd.testing.assert_frame_equal(store.snapshot(keep).load.rows, kept_rows)
    assert count(store.path, "rosters") == 1  # r2 was used by nothing else
    assert store.snapshot(keep).roster == roster("r1")


def test_delete_keeps_the_active_roster(store):
    store.set_active_roster(roster("r1"), OPERATOR)
    store.delete(ingest(store, [export("a")], roster("r1")).snapshot_id, OPERATOR)
    assert store.active_roster() == roster("r1")


def test_unknown_snapshot_is_an_input_error(store):
    ingest(store, [export("a")])
    with pytest.raises(InputError, match="Unggahan #999 tidak ada"):
        store.snapshot(999)
    with pytest.raises(InputError, match="Unggahan #999 tidak ada"):
        store.delete(999, OPERATOR)
    assert len(store.snapshots()) == 1


# ----------------------------------------------------------- atomicity


def _fail_after_rows(monkeypatch, load):
    """The snapshot and its rows are written, then the audit row fails: all of it must roll back."""

    def fail(*args, **kwargs):
        raise RuntimeError("disk penuh (simulasi)")

    monkeypatch.setattr(storage.audit, "record", fail)
    return RuntimeError


def _unencodable_value(monkeypatch, load):
    load.rows.loc[len(load.rows) - 1, "unit"] = object()  # no Arrow type holds it: refused before writing
    return Exception


@pytest.mark.parametrize("inject", [_fail_after_rows, _unencodable_value])
def test_failed_ingest_leaves_the_database_exactly_as_before(store, monkeypatch, inject):
    ingest(store, [export("a")], roster("r1"))
    before = dump(store.path)
    counts = {t: count(store.path, t) for t in ["snapshots", "snapshot_files", "rosters"]}
    files = [export("b"), export("c")]
    load = read_sources(files)
    error = inject(monkeypatch, load)

    with pytest.raises(error):
        ingest(store, files, roster("r2"), load=load)

    assert {t: count(store.path, t) for t in counts} == counts
    assert dump(store.path) == before
    monkeypatch.undo()
    assert ingest(store, files, roster("r2")).created  # nothing half-stored blocks a retry


# ---------------------------------------------------------- concurrency


def test_threads_ingesting_at_once_all_land_intact(store):
    tags = ["a", "b", "c", "d"]
    loads = {t: read_sources([export(t, n=30)]) for t in tags}
    barrier = threading.Barrier(len(tags))
    results, errors = {}, []

    def work(tag):
        try:
            barrier.wait()
            results[tag] = ingest(store, [export(tag, n=30)], load=loads[tag])
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in tags]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert all(r.created for r in results.values())
    assert len({r.snapshot_id for r in results.values()}) == len(tags)
    for tag, result in results.items():
        sid = result.snapshot_id
        pd.testing.assert_frame_equal(store.snapshot(sid).load.rows, loads[tag].rows)


def test_threads_ingesting_the_same_content_store_it_once(store):
    files = [export("a")]
    load = read_sources(files)
    barrier = threading.Barrier(4)
    results = []

    def work():
        barrier.wait()
        results.append(ingest(store, files, load=load))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert len(results) == 4
    assert sum(r.created for r in results) == 1
    assert len({r.snapshot_id for r in results}) == 1
    assert count(store.path, "snapshots") == 1


def _process_ingest(path, source, barrier, queue):
    """Runs in a spawned process: open the (possibly new) database and ingest at once."""
    try:
        load = read_sources([source])
        barrier.wait(60)
        store = Store(path)  # both processes may create the schema at the same moment
        barrier.wait(60)
        result = ingest(store, [source], load=load)
        queue.put((source.name, result.snapshot_id, result.created, len(load.rows)))
    except BaseException as exc:
        barrier.abort()  # the other process fails fast instead of waiting out the timeout
        queue.put((source.name, "error", repr(exc), 0))


@pytest.fixture
def spawned(tmp_path, monkeypatch):
    """Spawned children import the parent's __main__ again: after an AppTest in the same worker that is app.py,
    so give them a data folder of their own, never the repository's."""
    monkeypatch.setenv("IGA_DATA_DIR", str(tmp_path / "anak"))


def _run_processes(path, sources):
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(len(sources)), ctx.Queue()
    procs = [ctx.Process(target=_process_ingest, args=(str(path), s, barrier, queue)) for s in sources]
    for p in procs:
        p.start()
    out = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * len(procs)
    assert [o for o in out if o[1] == "error"] == []
    return out


def test_processes_ingesting_at_once_all_land_intact(tmp_path, spawned):
    path = tmp_path / "iga.db"
    sources = {s.name: s for s in [export("p", n=40), export("q", n=40)]}
    out = _run_processes(path, list(sources.values()))

    assert all(created for _, _, created, _ in out)
    assert len({sid for _, sid, _, _ in out}) == 2
    store = Store(path)
    for name, sid, _, n in out:
        assert len(store.snapshot(sid).load.rows) == n
        got = store.snapshot(sid)
        assert got.files == [sources[name]]
        pd.testing.assert_frame_equal(got.load.rows, read_sources([sources[name]]).rows)
    assert count(path, "snapshots") == 2


def test_processes_ingesting_the_same_content_store_it_once(tmp_path, spawned):
    path = tmp_path / "iga.db"
    source = export("s", n=40)
    out = _run_processes(path, [source, source])

    assert sorted(created for _, _, created, _ in out) == [False, True]
    assert len({sid for _, sid, _, _ in out}) == 1
    assert count(path, "snapshots") == 1
    assert len(Store(path).snapshot(out[0][1]).load.rows) == out[0][3]


# ----------------------------------------------------------- migrations


def user_version(path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


def test_fresh_database_reaches_the_latest_schema(tmp_path):
    path = tmp_path / "new" / "folder" / "iga.db"
    Store(path)
    assert user_version(path) == len(storage.MIGRATIONS) >= 1
    con = sqlite3.connect(path)
    try:
        columns = [r[1] for r in con.execute("PRAGMA table_info(snapshots)")]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        con.close()
    assert "rows_arrow" in columns and "rows" not in tables and "summaries" in tables
    assert mode == "wal"


def test_reopening_applies_only_new_migrations_once(tmp_path, monkeypatch):
    path = tmp_path / "iga.db"
    store = Store(path)
    sid = ingest(store, [export("a")]).snapshot_id
    applied = []

    def migration_next(con):
        applied.append(True)
        con.execute("CREATE TABLE extra (x INTEGER)")

    monkeypatch.setattr(storage, "MIGRATIONS", [*storage.MIGRATIONS, migration_next])
    Store(path)
    Store(path)

    assert applied == [True]
    assert user_version(path) == len(storage.MIGRATIONS)
    assert Store(path).snapshot(sid).info.id == sid  # data survived


def test_failed_migration_is_rolled_back(tmp_path, monkeypatch):
    path = tmp_path / "iga.db"
    Store(path)

    def broken(con):
        con.execute("CREATE TABLE half (x INTEGER)")
        raise RuntimeError("migrasi gagal")

    released = len(storage.MIGRATIONS)
    monkeypatch.setattr(storage, "MIGRATIONS", [*storage.MIGRATIONS, broken])
    with pytest.raises(RuntimeError):
        Store(path)
    assert user_version(path) == released
    assert count(path, "sqlite_master", "WHERE name = 'half'") == 0


def test_database_of_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "iga.db"
    Store(path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(InputError, match="versi aplikasi yang lebih baru"):
        Store(path)


def test_garbage_file_is_an_input_error_naming_it(tmp_path):
    path = tmp_path / "iga.db"
    garbage = b"ini bukan basis data SQLite, hanya teks biasa. " * 100
    path.write_bytes(garbage)
    with pytest.raises(InputError, match="bukan basis data yang sah") as err:
        Store(path)
    assert str(path) in str(err.value) and "IGA_DATA_DIR" in str(err.value)
    assert path.read_bytes() == garbage  # left for the operator to inspect


def test_default_db_path_follows_iga_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("IGA_DATA_DIR", str(tmp_path / "x"))
    assert default_db_path() == tmp_path / "x" / "iga.db"
    monkeypatch.delenv("IGA_DATA_DIR")
    assert default_db_path() == storage.Path("data") / "iga.db"


# ---------------------------------------------- settings, mappings, flags


def test_settings_overrides_round_trip_and_replace(store):
    assert store.settings_overrides() == {}
    store.save_settings({"threshold": 60.5, "flagship": ["Sipintar", "Lapor"], "deadline": "2024-07-31"}, OPERATOR)
    assert store.settings_overrides() == {
        "threshold": 60.5,
        "flagship": ["Sipintar", "Lapor"],
        "deadline": "2024-07-31",
    }
    store.save_settings({"target_rank": 3}, OPERATOR)
    assert Store(store.path).settings_overrides() == {"target_rank": 3}


def test_mappings_are_remembered_and_updated(store):
    assert store.mappings() == {}
    store.remember_mapping("abc123", {"unit": 0, "innovation": 2}, OPERATOR)
    store.remember_mapping("def456", {"unit": 1}, OPERATOR)
    store.remember_mapping("abc123", {"unit": 3, "innovation": 2, "score": 5}, OPERATOR)
    assert store.mappings() == {
        "abc123": {"unit": 3, "innovation": 2, "score": 5},
        "def456": {"unit": 1},
    }


def test_flags_round_trip(store):
    assert store.get_flag("sample_seeded") is None
    store.set_flag("sample_seeded", "1")
    store.set_flag("sample_seeded", "2")
    store.set_flag("other", "x")
    assert (store.get_flag("sample_seeded"), store.get_flag("other")) == ("2", "x")


def test_active_roster_round_trip(store):
    assert store.active_roster() is None
    store.set_active_roster(roster("r1"), OPERATOR)
    assert store.active_roster() == roster("r1")
    store.set_active_roster(roster("r2"), OPERATOR)
    assert store.active_roster() == roster("r2")
    store.set_active_roster(roster("r1"), OPERATOR)  # already stored: reused, not duplicated
    assert store.active_roster() == roster("r1")
    assert count(store.path, "rosters") == 2
