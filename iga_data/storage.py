"""Snapshots of uploaded exports, kept in one SQLite file.

A snapshot is everything needed to recompute a past view without the
original files at hand: the raw bytes, the rows the reader produced, the
load report, the roster and the settings in force. Streamlit serves each
session in a thread and the CLI may run beside it, so every operation opens
its own connection (WAL, busy timeout) and every write is one explicit
``BEGIN IMMEDIATE`` transaction: all of it lands or none of it does.

Every change of data goes through `Store.change(actor)`: the actor's role is
checked inside the transaction (against the accounts as they are now), the
change and its audit rows commit together, and a backup is made first when
the change destroys something (and on the first change of a day). Deleting
a snapshot moves it to "Terhapus"; only a purge removes it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from . import audit, backups
from .accounts import Actor, authorize
from .aliases import Alias, alias_key
from .errors import InputError
from .reading import (
    ROW_COLUMNS,
    LoadResult,
    SheetReport,
    SkippedRow,
    Source,
)
from .schema import MIGRATIONS, decode_rows, encode_rows
from .settings import Settings

BUSY_TIMEOUT_MS = 10_000
# SQLite primary result codes that mean "this file is not a usable database".
_NOT_A_DATABASE = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_DISK = {10, 13}  # SQLITE_IOERR, SQLITE_FULL: the disk refused a write


def default_db_path() -> Path:
    """Where the dashboard keeps its data; IGA_DATA_DIR moves it (tests, second instance)."""
    return Path(os.environ.get("IGA_DATA_DIR", "data")) / "iga.db"


# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class SnapshotInfo:
    """What the history list shows about one snapshot (no bytes, no rows)."""

    id: int
    as_of: datetime
    created_at: datetime
    uploader: str
    files: list[str]
    innovations: int
    units_ready: int
    units_expected: int
    roster_name: str | None
    content_key: str
    deleted_at: datetime | None = None  # set while the snapshot is in Terhapus
    deleted_by: str | None = None
    pemda: str = ""  # the Pemda and IGA year in force when it was saved: progress never mixes two of them
    season: int | None = None

    def audit_view(self) -> dict[str, Any]:
        """What the audit trail keeps of a snapshot (no bytes, no rows)."""
        return {
            "id": self.id,
            "as_of": self.as_of.isoformat(),
            "files": self.files,
            "innovations": self.innovations,
            "uploader": self.uploader,
            "roster": self.roster_name,
        }


@dataclass
class StoredSnapshot:
    """A snapshot as ingested: enough to recompute every page without the files."""

    info: SnapshotInfo
    load: LoadResult
    files: list[Source]
    roster: Source | None
    settings: dict


@dataclass(frozen=True)
class IngestResult:
    snapshot_id: int
    created: bool  # False: identical content was already stored under snapshot_id


@dataclass(frozen=True)
class Change:
    """One change in progress: its connection (inside BEGIN IMMEDIATE) and its audit trail."""

    con: sqlite3.Connection
    actor: Actor

    def record(self, kind: str, target: str, before: Any = None, after: Any = None) -> None:
        """An audit row, committed with the change or not at all."""
        audit.record(self.con, self.actor, kind, target, before, after)


def content_key(file_sha256s: Sequence[str], roster_sha256: str | None, reading: str = "") -> str:
    """Identity of an upload: the same files in the same order, the same roster, read the same way
    (`reading` changes when an operator maps a sheet's columns by hand)."""
    text = json.dumps([list(file_sha256s), roster_sha256 or ""] + ([reading] if reading else []))
    return hashlib.sha256(text.encode()).hexdigest()


def reading_key(load: LoadResult) -> str:
    """Which sheets were read and which column fed each field."""
    used = [[s.file, s.sheet, s.header_row, sorted(s.mapping.items())] for s in load.sheets if s.used]
    return hashlib.sha256(json.dumps(used).encode()).hexdigest()


def _rebuild(cls: type, values: dict) -> Any:
    """A report dataclass from JSON, ignoring fields a newer/older version added."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in names})


def _now() -> str:
    return datetime.now().isoformat(timespec="microseconds")


def _iso(moment: datetime) -> str:
    # Fixed width so that text order is time order.
    return moment.isoformat(timespec="microseconds")


# -------------------------------------------------------------------- store


class Store:
    """The dashboard's database; safe to share between threads and processes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"Folder data {self.path.parent} tidak dapat dibuat ({exc.strerror}); "
                "setel IGA_DATA_DIR ke folder yang dapat ditulisi."
            ) from None
        self._migrate()

    # ---- connections

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One short-lived connection; a broken file becomes an InputError naming it."""
        con = None
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            _enable_wal(con)
            con.execute("PRAGMA foreign_keys=ON")
            yield con
        except sqlite3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in _NOT_A_DATABASE:
                raise InputError(
                    f"Berkas {self.path} bukan basis data yang sah (rusak atau berkas lain); "
                    "pindahkan berkas itu atau setel IGA_DATA_DIR ke folder lain."
                ) from None
            if code is not None and code & 0xFF == 14:  # SQLITE_CANTOPEN
                raise InputError(
                    f"Basis data {self.path} tidak dapat dibuka; periksa izin folder itu "
                    "atau setel IGA_DATA_DIR ke folder lain."
                ) from None
            if code is not None and code & 0xFF in _DISK:
                raise InputError(
                    f"Disk penuh atau tidak dapat ditulis di {self.path.parent}; tidak ada yang disimpan. "
                    "Kosongkan ruang disk (mis. cadangan lama), lalu ulangi."
                ) from None
            raise
        finally:
            if con is not None:
                con.close()

    @contextmanager
    def transaction(self, mode: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """BEGIN … COMMIT; any exception rolls back and is re-raised.

        Changes of data use `change()`; this is for reads ("DEFERRED") and for
        bookkeeping that is nobody's change (login failures, flags).
        """
        with self._connect() as con:
            con.execute(f"BEGIN {mode}")
            try:
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @contextmanager
    def change(self, actor: Actor, need: str = "operator", backup: str | None = None) -> Iterator[Change]:
        """The one way data changes: a backup first when `backup` names a destructive change (and on
        the first change of a day), then one transaction in which the actor's role is checked
        against the accounts as they are now, the change is made and its audit rows are written."""
        with self.transaction("DEFERRED") as con:
            authorize(con, actor, need)  # first, so a refused actor cannot make the app write backups
        backups.before_change(self, backup)
        with self.transaction() as con:
            authorize(con, actor, need)
            yield Change(con, actor)

    def _migrate(self) -> None:
        """Bring the schema to the latest version; the write lock serialises racing openers."""
        latest = len(MIGRATIONS)
        with self._connect() as con:
            if con.execute("PRAGMA user_version").fetchone()[0] == latest:
                return
        with self.transaction() as con:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version > latest:
                raise InputError(
                    f"Basis data {self.path} dibuat oleh versi aplikasi yang lebih baru "
                    f"(skema {version}); perbarui aplikasi atau setel IGA_DATA_DIR ke folder lain."
                )
            for number in range(version + 1, latest + 1):
                MIGRATIONS[number - 1](con)
                con.execute(f"PRAGMA user_version = {number}")

    # ---- snapshots

    def ingest(
        self,
        *,
        sources: Sequence[Source],
        load: LoadResult,
        roster: Source | None,
        settings: Settings,
        as_of: datetime,
        uploader: str,
        innovations: int,
        units_ready: int,
        units_expected: int,
        actor: Actor,
        activate_roster: bool = False,
    ) -> IngestResult:
        """Store one upload as a snapshot, or return the one with identical content.

        With `activate_roster` the roster also becomes the one in force, in the same transaction.
        Identical content waiting in Terhapus comes back under the new date and uploader.
        """
        shas = [s.sha256 for s in sources]
        if shas != [sha for _, sha in load.files]:
            raise ValueError("Berkas yang disimpan tidak sama dengan berkas yang dibaca (load.files).")
        if as_of.tzinfo is not None:
            raise ValueError("as_of harus waktu lokal tanpa zona waktu.")
        key = content_key(shas, roster.sha256 if roster is not None else None, reading_key(load))
        missing = [c for c in ROW_COLUMNS if c not in load.rows.columns]
        if missing:
            raise ValueError(f"Tabel baris tidak lengkap; kolom hilang: {', '.join(missing)}.")
        report = json.dumps(
            {
                "sheets": [dataclasses.asdict(s) for s in load.sheets],
                "skipped": [dataclasses.asdict(s) for s in load.skipped],
                "warnings": list(load.warnings),
                "files": [list(f) for f in load.files],
                "dtypes": {c: str(load.rows[c].dtype) for c in load.rows.columns},
            },
            ensure_ascii=False,
        )
        settings_json = json.dumps(settings.to_mapping(), ensure_ascii=False)
        # Built before taking the write lock, so other writers wait less.
        rows_blob = encode_rows(load.rows[ROW_COLUMNS])
        active = self.active_roster()
        replaces = activate_roster and roster is not None and (active is None or active.sha256 != roster.sha256)
        stamps = (_iso(as_of), _now())
        counts = (int(innovations), int(units_ready), int(units_expected))
        try:
            with self.change(actor, backup="ganti-daftar-unit" if replaces and active else None) as change:
                con = change.con
                roster_id = _roster_id(con, roster) if roster is not None else None
                if activate_roster and roster_id is not None:
                    _replace_roster(change, roster_id)
                found = con.execute("SELECT id, deleted_at FROM snapshots WHERE content_key = ?", (key,)).fetchone()
                if found and found[1] is None:
                    return IngestResult(found[0], created=False)
                if found:
                    before = _infos(con, snapshot_id=found[0], deleted=True)[0]
                    con.execute(
                        """UPDATE snapshots SET as_of = ?, created_at = ?, uploader = ?, settings_json = ?,
                               innovations = ?, units_ready = ?, units_expected = ?, deleted_at = NULL,
                               deleted_by = NULL WHERE id = ?""",
                        (*stamps, uploader, settings_json, *counts, found[0]),
                    )
                    change.record(
                        "snapshot.saved",
                        f"#{found[0]}",
                        {"terhapus": before.audit_view()},
                        _infos(con, snapshot_id=found[0])[0].audit_view(),
                    )
                    return IngestResult(found[0], created=True)
                snapshot_id = con.execute(
                    """INSERT INTO snapshots (as_of, created_at, uploader, content_key, roster_id,
                           settings_json, load_report_json, innovations, units_ready, units_expected, rows_arrow)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (*stamps, uploader, key, roster_id, settings_json, report, *counts, rows_blob),
                ).lastrowid
                con.executemany(
                    "INSERT INTO snapshot_files (snapshot_id, position, name, sha256, bytes) VALUES (?, ?, ?, ?, ?)",
                    [(snapshot_id, i, s.name, sha, s.data) for i, (s, sha) in enumerate(zip(sources, shas))],
                )
                assert snapshot_id is not None  # an INSERT always sets lastrowid
                change.record(
                    "snapshot.saved", f"#{snapshot_id}", None, _infos(con, snapshot_id=snapshot_id)[0].audit_view()
                )
                return IngestResult(snapshot_id, created=True)
        except sqlite3.IntegrityError:
            # Another writer stored the same content first (the UNIQUE key caught it).
            with self._connect() as con:
                found = con.execute("SELECT id FROM snapshots WHERE content_key = ?", (key,)).fetchone()
            if found is None:
                raise
            return IngestResult(found[0], created=False)

    def snapshots(self) -> list[SnapshotInfo]:
        """All snapshots not in Terhapus, newest as_of first (ties: latest stored first)."""
        with self.transaction("DEFERRED") as con:
            return _infos(con)

    def deleted_snapshots(self) -> list[SnapshotInfo]:
        """The snapshots in Terhapus (restorable until purged), same order."""
        with self.transaction("DEFERRED") as con:
            return _infos(con, deleted=True)

    def latest(self) -> SnapshotInfo | None:
        with self.transaction("DEFERRED") as con:
            infos = _infos(con, limit=1)
        return infos[0] if infos else None

    def snapshot(self, snapshot_id: int) -> StoredSnapshot:
        """Everything stored for one snapshot, rows with their original dtypes."""
        with self.transaction("DEFERRED") as con:
            infos = _infos(con, snapshot_id=snapshot_id)
            if not infos:
                raise _unknown(snapshot_id)
            settings_json, report_json, rows_blob, roster_name, roster_bytes = con.execute(
                """SELECT s.settings_json, s.load_report_json, s.rows_arrow, r.name, r.bytes
                   FROM snapshots s LEFT JOIN rosters r ON r.id = s.roster_id WHERE s.id = ?""",
                (snapshot_id,),
            ).fetchone()
            files = [
                Source(name, bytes(data))
                for name, data in con.execute(
                    "SELECT name, bytes FROM snapshot_files WHERE snapshot_id = ? ORDER BY position",
                    (snapshot_id,),
                )
            ]
        report = json.loads(report_json)
        load = LoadResult(
            rows=decode_rows(bytes(rows_blob), report.get("dtypes", {})),
            sheets=tuple(_rebuild(SheetReport, s) for s in report["sheets"]),
            skipped=tuple(_rebuild(SkippedRow, s) for s in report["skipped"]),
            warnings=tuple(report["warnings"]),
            files=tuple((name, sha) for name, sha in report["files"]),
        )
        roster = Source(roster_name, bytes(roster_bytes)) if roster_bytes is not None else None
        return StoredSnapshot(infos[0], load, files, roster, json.loads(settings_json))

    def delete(self, snapshot_id: int, actor: Actor) -> None:
        """Move a snapshot to Terhapus: hidden everywhere, restorable until purged."""
        self.delete_all([snapshot_id], actor)

    def delete_all(self, snapshot_ids: Sequence[int], actor: Actor) -> None:
        """Move several snapshots to Terhapus in one change (one backup, all or none)."""
        with self.change(actor, backup="hapus-snapshot") as change:
            for snapshot_id in snapshot_ids:
                infos = _infos(change.con, snapshot_id=snapshot_id)
                if not infos:
                    raise _unknown(snapshot_id)
                change.con.execute(
                    "UPDATE snapshots SET deleted_at = ?, deleted_by = ? WHERE id = ?",
                    (_now(), actor.name, snapshot_id),
                )
                change.record("snapshot.deleted", f"#{snapshot_id}", infos[0].audit_view())

    def restore_snapshot(self, snapshot_id: int, actor: Actor) -> None:
        """Bring a snapshot back from Terhapus."""
        with self.change(actor) as change:
            infos = _infos(change.con, snapshot_id=snapshot_id, deleted=True)
            if not infos:
                raise _not_deleted(snapshot_id)
            change.con.execute("UPDATE snapshots SET deleted_at = NULL, deleted_by = NULL WHERE id = ?", (snapshot_id,))
            change.record(
                "snapshot.restored",
                f"#{snapshot_id}",
                {
                    "deleted_at": _iso(infos[0].deleted_at) if infos[0].deleted_at else None,
                    "deleted_by": infos[0].deleted_by,
                },
                infos[0].audit_view(),
            )

    def purge(self, snapshot_id: int, actor: Actor) -> None:
        """Remove a snapshot in Terhapus for good; its files and rows go with it (ON DELETE CASCADE)."""
        with self.change(actor, backup="hapus-permanen") as change:
            con = change.con
            infos = _infos(con, snapshot_id=snapshot_id, deleted=True)
            if not infos:
                raise _not_deleted(snapshot_id)
            con.execute("DELETE FROM snapshots WHERE id = ?", (snapshot_id,))
            # A roster nobody uses any more is dead weight.
            con.execute(
                """DELETE FROM rosters
                   WHERE id NOT IN (SELECT roster_id FROM snapshots WHERE roster_id IS NOT NULL)
                     AND id NOT IN (SELECT roster_id FROM active_roster)"""
            )
            change.record("snapshot.purged", f"#{snapshot_id}", infos[0].audit_view())

    # ---- roster, settings, mappings, flags

    def active_roster(self) -> Source | None:
        """The roster new ingests are computed against."""
        with self._connect() as con:
            found = con.execute(
                "SELECT r.name, r.bytes FROM active_roster a JOIN rosters r ON r.id = a.roster_id"
            ).fetchone()
        return Source(found[0], bytes(found[1])) if found else None

    def set_active_roster(self, source: Source, actor: Actor) -> None:
        with self.change(actor, backup="ganti-daftar-unit") as change:
            _replace_roster(change, _roster_id(change.con, source))

    def settings_overrides(self) -> dict:
        """Settings saved on the Pengaturan page ({} when none)."""
        with self._connect() as con:
            return {k: json.loads(v) for k, v in con.execute("SELECT key, value_json FROM settings ORDER BY key")}

    def save_settings(self, values: dict, actor: Actor) -> None:
        """Replace the stored settings with `values` (JSON-able); nothing is written when they are unchanged."""
        encoded = [(str(k), json.dumps(v, ensure_ascii=False)) for k, v in values.items()]
        after = {k: json.loads(v) for k, v in sorted(encoded)}
        with self.change(actor, backup="ubah-pengaturan") as change:
            con = change.con
            before = {k: json.loads(v) for k, v in con.execute("SELECT key, value_json FROM settings ORDER BY key")}
            if before == after:
                return
            con.execute("DELETE FROM settings")
            con.executemany("INSERT INTO settings (key, value_json) VALUES (?, ?)", encoded)
            change.record("settings.changed", "pengaturan", before, after)

    def seasons(self) -> list[tuple[int, int, str, int | None, str]]:
        """Past seasons: (year, innovations, result, national rank or None, note), oldest first."""
        with self._connect() as con:
            return [
                tuple(r)
                for r in con.execute("SELECT year, innovations, result, national_rank, note FROM seasons ORDER BY year")
            ]

    def save_seasons(self, rows: Sequence[tuple[int, int, str, int | None, str]], actor: Actor) -> None:
        """Replace the past seasons with `rows` (checked by history.checked first); unchanged rows write nothing."""
        after = [list(r) for r in rows]
        with self.change(actor, backup="ubah-riwayat") as change:
            con = change.con
            before = [
                list(r)
                for r in con.execute("SELECT year, innovations, result, national_rank, note FROM seasons ORDER BY year")
            ]
            if before == sorted(after):
                return
            con.execute("DELETE FROM seasons")
            con.executemany(
                "INSERT INTO seasons (year, innovations, result, national_rank, note) VALUES (?, ?, ?, ?, ?)", rows
            )
            change.record("seasons.changed", "riwayat", before, after)

    def summaries(self, analysis_key: str) -> dict[int, dict[str, Any]]:
        """Each upload's summary computed under `analysis_key` (settings, rule files and code), by snapshot id."""
        with self._connect() as con:
            return {
                sid: json.loads(text)
                for sid, text in con.execute(
                    "SELECT snapshot_id, summary_json FROM summaries WHERE analysis_key = ?", (analysis_key,)
                )
            }

    def keep_summary(self, snapshot_id: int, analysis_key: str, summary: dict[str, Any]) -> None:
        """Keep an upload's summary (a cache, nobody's change: no audit row; a purged upload takes it along)."""
        with self.transaction() as con:
            if con.execute("SELECT 1 FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone():
                con.execute(
                    "INSERT OR REPLACE INTO summaries (snapshot_id, analysis_key, summary_json) VALUES (?, ?, ?)",
                    (snapshot_id, analysis_key, json.dumps(summary, ensure_ascii=False)),
                )

    def mappings(self) -> dict[str, dict[str, int]]:
        """Manual column mappings an operator chose, by header layout key."""
        with self._connect() as con:
            return {
                k: json.loads(v)
                for k, v in con.execute("SELECT header_key, mapping_json FROM column_mappings ORDER BY header_key")
            }

    def remember_mapping(self, header_key: str, mapping: dict[str, int], actor: Actor) -> None:
        encoded = json.dumps({str(f): int(c) for f, c in mapping.items()}, ensure_ascii=False)
        with self.change(actor) as change:
            con = change.con
            found = con.execute(
                "SELECT mapping_json FROM column_mappings WHERE header_key = ?", (header_key,)
            ).fetchone()
            change.record(
                "mapping.remembered", header_key, json.loads(found[0]) if found else None, json.loads(encoded)
            )
            con.execute(
                "INSERT INTO column_mappings (header_key, mapping_json, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (header_key) DO UPDATE SET mapping_json = excluded.mapping_json, "
                "updated_at = excluded.updated_at",
                (header_key, encoded, _now()),
            )

    # ---- unit aliases (issue 10): names the operator resolved by hand

    def aliases(self) -> tuple[Alias, ...]:
        """Every alias, in the order they were chosen."""
        with self._connect() as con:
            return tuple(
                Alias(w, u, by, at)
                for w, u, by, at in con.execute(
                    "SELECT written, unit_name, decided_by, decided_at FROM unit_aliases ORDER BY decided_at, name_key"
                )
            )

    def save_alias(self, written: str, unit: str, actor: Actor) -> None:
        """Read `written` as the roster unit `unit` ("" = not a unit in the roster) in every upload, stored and new;
        a name chosen again replaces its earlier choice."""
        key = alias_key(written)
        if not key:
            raise InputError("Nama di berkas kosong; tidak ada padanan yang disimpan.")
        with self.change(actor) as change:
            found = change.con.execute("SELECT unit_name FROM unit_aliases WHERE name_key = ?", (key,)).fetchone()
            change.record("alias.saved", written.strip(), found[0] if found else None, unit.strip())
            change.con.execute(
                "INSERT INTO unit_aliases (name_key, written, unit_name, decided_by, decided_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (name_key) DO UPDATE SET written = excluded.written, unit_name = excluded.unit_name, "
                "decided_by = excluded.decided_by, decided_at = excluded.decided_at",
                (key, written.strip(), unit.strip(), actor.name, _now()),
            )

    def delete_alias(self, written: str, actor: Actor) -> None:
        """Undo an alias: the name is matched by the rules again."""
        key = alias_key(written)
        with self.change(actor) as change:
            found = change.con.execute("SELECT unit_name FROM unit_aliases WHERE name_key = ?", (key,)).fetchone()
            if found is None:
                raise InputError(f"Padanan untuk '{written}' tidak ada; mungkin sudah dibatalkan. Muat ulang halaman.")
            change.record("alias.removed", written.strip(), found[0], None)
            change.con.execute("DELETE FROM unit_aliases WHERE name_key = ?", (key,))

    def get_flag(self, name: str) -> str | None:
        with self._connect() as con:
            found = con.execute("SELECT value FROM flags WHERE name = ?", (name,)).fetchone()
        return found[0] if found else None

    def set_flag(self, name: str, value: str) -> None:
        """Bookkeeping of the app itself (sample data loaded, day of the last backup); not audited."""
        with self.transaction() as con:
            con.execute(
                "INSERT INTO flags (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, str(value)),
            )


# ------------------------------------------------------------------ helpers


def _enable_wal(con: sqlite3.Connection) -> None:
    """Switch to WAL, retrying: SQLite answers "locked" at once, without its busy
    handler, when another process is switching a new database at the same moment."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            con.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorcode", 0) & 0xFF in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _replace_roster(change: Change, roster_id: int) -> None:
    """Make a roster the one in force, with an audit row when that changes anything."""
    con = change.con
    before = _active_roster_view(con)
    if before is not None and before["id"] == roster_id:
        return
    _activate(con, roster_id)
    change.record("roster.replaced", "daftar unit", before, _active_roster_view(con))


def _active_roster_view(con: sqlite3.Connection) -> dict[str, Any] | None:
    found = con.execute(
        "SELECT r.id, r.name, r.sha256 FROM active_roster a JOIN rosters r ON r.id = a.roster_id"
    ).fetchone()
    return {"id": found[0], "name": found[1], "sha256": found[2]} if found else None


def _activate(con: sqlite3.Connection, roster_id: int) -> None:
    con.execute(
        "INSERT INTO active_roster (slot, roster_id) VALUES (1, ?) "
        "ON CONFLICT (slot) DO UPDATE SET roster_id = excluded.roster_id",
        (roster_id,),
    )


def _roster_id(con: sqlite3.Connection, roster: Source) -> int:
    """A roster is stored once and referenced by every snapshot using it."""
    sha = roster.sha256
    con.execute(
        "INSERT INTO rosters (sha256, name, bytes, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        (sha, roster.name, roster.data, _now()),
    )
    return con.execute("SELECT id FROM rosters WHERE sha256 = ?", (sha,)).fetchone()[0]


def _infos(
    con: sqlite3.Connection, snapshot_id: int | None = None, limit: int | None = None, deleted: bool = False
) -> list[SnapshotInfo]:
    """Snapshots in view (or, with `deleted`, those in Terhapus)."""
    where = "WHERE s.deleted_at IS " + ("NOT NULL" if deleted else "NULL")
    params: list[Any] = []
    if snapshot_id is not None:
        where += " AND s.id = ?"
        params.append(snapshot_id)
    tail = f"LIMIT {int(limit)}" if limit is not None else ""
    found = con.execute(
        f"""SELECT s.id, s.as_of, s.created_at, s.uploader, s.innovations, s.units_ready,
                   s.units_expected, r.name, s.content_key, s.deleted_at, s.deleted_by,
                   json_extract(s.settings_json, '$.city'), json_extract(s.settings_json, '$.season_year')
            FROM snapshots s LEFT JOIN rosters r ON r.id = s.roster_id
            {where} ORDER BY s.as_of DESC, s.id DESC {tail}""",
        params,
    ).fetchall()
    if not found:
        return []
    names: dict[int, list[str]] = {row[0]: [] for row in found}
    file_rows = con.execute(
        f"SELECT f.snapshot_id, f.name FROM snapshot_files f JOIN snapshots s ON s.id = f.snapshot_id {where} "
        "ORDER BY f.snapshot_id, f.position",
        params,
    )
    for sid, name in file_rows:
        if sid in names:
            names[sid].append(name)
    return [
        SnapshotInfo(
            id=sid,
            as_of=datetime.fromisoformat(as_of),
            created_at=datetime.fromisoformat(created),
            uploader=uploader,
            files=names[sid],
            innovations=inn,
            units_ready=ready,
            units_expected=expected,
            roster_name=roster_name,
            content_key=key,
            deleted_at=datetime.fromisoformat(deleted_at) if deleted_at else None,
            deleted_by=deleted_by,
            pemda=pemda or "",
            season=season,
        )
        for sid, as_of, created, uploader, inn, ready, expected, roster_name, key, deleted_at, deleted_by, pemda, season in found
    ]


def _unknown(snapshot_id: int) -> InputError:
    return InputError(
        f"Unggahan #{snapshot_id} tidak ada; mungkin sudah dihapus. "
        "Muat ulang halaman untuk melihat daftar unggahan terbaru."
    )


def _not_deleted(snapshot_id: int) -> InputError:
    return InputError(
        f"Unggahan #{snapshot_id} tidak ada di Terhapus; hanya unggahan yang sudah dihapus yang dapat "
        "dipulihkan atau dihapus permanen."
    )
