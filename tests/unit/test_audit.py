"""Audit trail, Terhapus (soft delete), backups and restore, and a full disk: every change is
recorded with it, a deleted upload comes back, and nothing is ever half-written."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from contextlib import closing, contextmanager
from functools import cache

import pytest
from argon2 import PasswordHasher
from builders import OPERATOR, source, xlsx

from iga_data import accounts, audit, backups, ingest, storage
from iga_data.errors import InputError
from iga_data.reading import Source, read_sources
from iga_data.settings import default_settings
from iga_data.storage import Store

SETTINGS = default_settings()


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: hasher)


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "data" / "iga.db")


@cache  # built once: a workbook saved a second later has other bytes (its timestamp), so other content
def export(tag: str, rows: int = 3) -> Source:
    body = [["Perangkat Daerah", "Nama Inovasi", "Skor"]] + [
        [f"Dinas {tag}", f"Inovasi {tag} {i}", 70 + i] for i in range(rows)
    ]
    return source(f"ekspor_{tag}.xlsx", xlsx({"Data": body}))


ROSTER_A = source("unit_a.xlsx", xlsx({"R": [["Nama Unit"], ["Dinas a"]]}))
ROSTER_B = source("unit_b.xlsx", xlsx({"R": [["Nama Unit"], ["Dinas a"], ["Dinas b"]]}))


def save(store: Store, tag: str, roster: Source | None = None, day: int = 10) -> int:
    prepared = ingest.prepare(store, [export(tag)], roster, SETTINGS)
    return ingest.save(store, prepared, dt.datetime(2024, 7, day, 16), "Rina", OPERATOR).snapshot_id


def kinds(store: Store) -> list[str]:
    return [e.kind for e in reversed(audit.entries(store))]


def backup_files(store: Store) -> list[str]:
    return sorted(p.name for p in backups.folder_for(store.path).glob(backups.PATTERN))


# --------------------------------------------------------------- audit


def test_every_kind_of_change_leaves_its_audit_row(store, tmp_path):
    sid = save(store, "a", ROSTER_A)  # snapshot.saved (the first roster: no replacement)
    save(store, "b", ROSTER_B)  # snapshot.saved + roster.replaced
    store.set_active_roster(ROSTER_A, OPERATOR)  # roster.replaced
    store.save_settings({"threshold": 60}, OPERATOR)  # settings.changed
    store.save_seasons([(2023, 221, "", None, "")], OPERATOR)  # seasons.changed
    store.remember_mapping("abc", {"unit": 0}, OPERATOR)  # mapping.remembered
    store.save_alias("dinkes_kotabkl", "Dinas Kesehatan", OPERATOR)  # alias.saved
    store.delete_alias("dinkes_kotabkl", OPERATOR)  # alias.removed
    store.delete(sid, OPERATOR)  # snapshot.deleted
    store.restore_snapshot(sid, OPERATOR)  # snapshot.restored
    store.delete(sid, OPERATOR)
    store.purge(sid, OPERATOR)  # snapshot.purged
    accounts.add_user(store, "budi", "operator", "rahasia-sekali", OPERATOR)  # user.added
    accounts.set_password(store, "budi", "rahasia-lain-1", OPERATOR)  # user.password
    accounts.remove_user(store, "budi", OPERATOR)  # user.removed
    copy = backups.backup(store.path, tmp_path / "luar")
    backups.restore(copy, store, OPERATOR)  # database.restored
    assert set(kinds(store)) == set(audit.KINDS)


def test_an_audit_row_says_who_when_what_before_and_after(store):
    store.save_settings({"threshold": 60}, OPERATOR)
    store.save_settings({"threshold": 65, "spd": 40}, OPERATOR)
    store.save_settings({"threshold": 65, "spd": 40}, OPERATOR)  # unchanged: no row
    latest = audit.entries(store)
    assert len(latest) == 2
    entry = latest[0]
    assert (entry.actor, entry.role, entry.via, entry.kind, entry.label) == (
        "penguji",
        "operator",
        "cli",
        "settings.changed",
        "Pengaturan diubah",
    )
    assert (entry.before, entry.after) == ({"threshold": 60}, {"spd": 40, "threshold": 65})
    assert entry.changes() == [("spd", None, 40), ("threshold", 60, 65)]
    assert abs(entry.at - dt.datetime.now()) < dt.timedelta(minutes=5)


def test_a_snapshot_row_keeps_what_was_saved_not_the_bytes(store):
    sid = save(store, "a")
    entry = audit.entries(store, kind="snapshot.saved")[0]
    assert entry.target == f"#{sid}" and entry.before is None
    assert entry.after == {
        "id": sid,
        "as_of": "2024-07-10T16:00:00",
        "files": ["ekspor_a.xlsx"],
        "innovations": 3,
        "uploader": "Rina",
        "roster": None,
    }


def test_a_failed_change_leaves_neither_the_change_nor_its_row(store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("gagal di tengah")

    with monkeypatch.context() as patch:
        patch.setattr(storage, "_infos", broken)  # after the snapshot's INSERT, before its audit row
        with pytest.raises(RuntimeError):
            save(store, "a")
    assert store.snapshots() == [] and audit.entries(store) == []


def test_unknown_audit_kinds_are_refused(store):
    with pytest.raises(ValueError, match="add it to audit.KINDS"), store.change(OPERATOR) as change:
        change.record("snapshot.renamed", "#1")


# ------------------------------------------------------------ Terhapus


def test_a_deleted_snapshot_is_hidden_until_restored(store):
    old, new = save(store, "a", day=9), save(store, "b", day=10)
    store.delete(new, OPERATOR)
    assert [s.id for s in store.snapshots()] == [old] and store.latest().id == old
    gone = store.deleted_snapshots()
    assert [s.id for s in gone] == [new] and gone[0].deleted_by == "penguji"
    with pytest.raises(InputError, match=f"Unggahan #{new} tidak ada"):
        store.snapshot(new)
    store.restore_snapshot(new, OPERATOR)
    assert [s.id for s in store.snapshots()] == [new, old] and store.deleted_snapshots() == []
    assert store.snapshot(new).load.rows["innovation"].tolist() == ["Inovasi b 0", "Inovasi b 1", "Inovasi b 2"]


def test_only_a_snapshot_in_terhapus_can_be_restored_or_purged(store):
    sid = save(store, "a")
    for act in (store.restore_snapshot, store.purge):
        with pytest.raises(InputError, match="tidak ada di Terhapus"):
            act(sid, OPERATOR)
    with pytest.raises(InputError, match="Unggahan #99 tidak ada"):
        store.delete(99, OPERATOR)
    assert [s.id for s in store.snapshots()] == [sid]


def test_saving_content_that_waits_in_terhapus_brings_it_back_with_the_new_date(store):
    sid = save(store, "a", day=9)
    store.delete(sid, OPERATOR)
    again = ingest.save(
        store, ingest.prepare(store, [export("a")], None, SETTINGS), dt.datetime(2024, 7, 12, 8), "Tono", OPERATOR
    )
    assert again.snapshot_id == sid and again.created
    info = store.latest()
    assert (info.id, info.as_of, info.uploader) == (sid, dt.datetime(2024, 7, 12, 8), "Tono")
    assert audit.entries(store, limit=1)[0].before["terhapus"]["as_of"] == "2024-07-09T16:00:00"


# ------------------------------------------------------------- backups


def test_destructive_changes_back_up_first_and_ordinary_ones_once_a_day(store):
    save(store, "a")
    save(store, "b")
    assert [name.split("-", 5)[5] for name in backup_files(store)] == ["harian.db"]
    store.delete(store.latest().id, OPERATOR)
    store.save_settings({"threshold": 60}, OPERATOR)
    labels = [name.split("-", 5)[5] for name in backup_files(store)]
    assert labels == ["harian.db", "hapus-snapshot.db", "ubah-pengaturan.db"]


def test_automatic_backups_keep_only_the_newest(store, monkeypatch):
    monkeypatch.setattr(backups, "load_limits", lambda: storage_limits(keep=2))
    for threshold in (60, 61, 62, 63):
        store.save_settings({"threshold": threshold}, OPERATOR)
    assert len(backup_files(store)) == 2


def storage_limits(keep: int):
    from iga_data.limits import load_limits

    return load_limits().replace(backup={"keep": keep})


def test_a_destructive_change_is_refused_when_its_backup_cannot_be_made(store):
    sid = save(store, "a")
    folder = backups.folder_for(store.path)
    for path in folder.glob("*"):
        path.unlink()
    folder.rmdir()
    folder.write_text("bukan folder")  # the backup folder cannot be created
    with pytest.raises(InputError, match="Perubahan dibatalkan"):
        store.delete(sid, OPERATOR)
    assert [s.id for s in store.snapshots()] == [sid]


def test_backup_and_restore_round_trip(store, tmp_path):
    first = save(store, "a")
    copy = backups.backup(store.path, tmp_path / "luar")
    save(store, "b")
    store.save_settings({"threshold": 50}, OPERATOR)
    saved = backups.restore(copy, store, OPERATOR)
    assert [s.id for s in store.snapshots()] == [first] and store.settings_overrides() == {}
    assert audit.entries(store, limit=1)[0].kind == "database.restored"
    assert saved.name.endswith("sebelum-pulih.db")
    backups.restore(saved, store, OPERATOR)  # a restore can itself be undone
    assert len(store.snapshots()) == 2 and store.settings_overrides() == {"threshold": 50}


def test_a_restore_is_seen_by_connections_already_open(store, tmp_path):
    save(store, "a")
    copy = backups.backup(store.path, tmp_path / "luar")
    running_app = Store(store.path)  # the dashboard's own Store, opened before the restore
    save(running_app, "b")
    backups.restore(copy, store, OPERATOR)
    assert len(running_app.snapshots()) == 1
    with closing(sqlite3.connect(store.path)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_backup_taken_while_another_connection_writes_is_consistent(store, tmp_path):
    save(store, "a")
    stop = threading.Event()
    errors = []

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            try:
                store.save_settings({"threshold": 50 + n % 40}, OPERATOR)
            except Exception as exc:
                errors.append(exc)
                return

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [backups.backup(store.path, tmp_path / "luar") for _ in range(5)]
    finally:
        stop.set()
        thread.join()
    assert errors == []
    for copy in copies:
        with closing(sqlite3.connect(copy)) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = dict(con.execute("SELECT key, value_json FROM settings"))
            last = con.execute(
                "SELECT after_json FROM audit WHERE kind = 'settings.changed' ORDER BY id DESC LIMIT 1"
            ).fetchone()
            assert last is None or f'"threshold": {stored["threshold"]}' in last[0]  # change and row together


def test_the_manual_backup_folder_keeps_what_it_is_told(store, tmp_path):
    for _ in range(4):
        backups.backup(store.path, tmp_path / "luar", keep=3)
    assert len(list((tmp_path / "luar").glob(backups.PATTERN))) == 3


@pytest.mark.parametrize(
    "content, message",
    [
        (b"bukan basis data" * 100, "bukan cadangan basis data dasbor"),
        (None, "tidak ditemukan"),
    ],
)
def test_restore_refuses_what_is_not_a_sound_backup(store, tmp_path, content, message):
    save(store, "a")
    path = tmp_path / "cadangan.db"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        backups.restore(path, store, OPERATOR)
    assert len(store.snapshots()) == 1


def test_restore_refuses_a_backup_from_a_newer_version_and_the_database_itself(store, tmp_path):
    copy = backups.backup(store.path, tmp_path / "luar")
    with closing(sqlite3.connect(copy)) as con:
        con.execute("PRAGMA user_version = 99")
        con.commit()
    with pytest.raises(InputError, match="versi aplikasi yang lebih baru"):
        backups.restore(copy, store, OPERATOR)
    with pytest.raises(InputError, match="sama dengan basis data"):
        backups.restore(store.path, store, OPERATOR)


# ----------------------------------------------------------- disk full


def test_a_full_disk_stores_nothing_and_says_so(store, monkeypatch):
    save(store, "a")
    real = Store._connect

    @contextmanager
    def nearly_full(self):
        with real(self) as con:
            pages = con.execute("PRAGMA page_count").fetchone()[0]
            con.execute(f"PRAGMA max_page_count = {pages + 1}")
            yield con

    monkeypatch.setattr(Store, "_connect", nearly_full)
    big = [["Perangkat Daerah", "Nama Inovasi", "Skor"]] + [[f"Dinas {i}", "x" * 200 + str(i), 80] for i in range(500)]
    src = source("besar.xlsx", xlsx({"D": big}))
    with pytest.raises(InputError, match="Disk penuh"):
        store.ingest(
            sources=[src],
            load=read_sources([src]),
            roster=None,
            settings=SETTINGS,
            as_of=dt.datetime(2024, 7, 11),
            uploader="x",
            innovations=500,
            units_ready=0,
            units_expected=0,
            actor=OPERATOR,
        )
    monkeypatch.undo()
    assert len(store.snapshots()) == 1 and len(audit.entries(store)) == 1
    with closing(sqlite3.connect(store.path)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
