"""Backups of the database with SQLite's online backup API, and restoring one.

`sqlite3.Connection.backup` copies a consistent state of the database while the
app keeps reading and writing it. The app makes one before every destructive
change (delete, purge, roster replaced, settings changed, restore) and one on
the first change of each day, into the folder named in limits.toml beside the
database; the oldest beyond `keep` are removed.

Restoring copies the backup *into* the live database with the same API: it takes
SQLite's write lock, so open connections (a running dashboard) simply see the
restored content afterwards; no file is swapped under them. The current content
is backed up first, so a restore can itself be undone.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing, suppress
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .limits import load_limits

if TYPE_CHECKING:
    from .accounts import Actor
    from .storage import Store

log = logging.getLogger(__name__)

PATTERN = "iga-*.db"
DAY_FLAG = "backup_day"
BUSY_SECONDS = 10


def folder_for(db_path: str | Path) -> Path:
    """Where automatic backups of this database go."""
    return Path(db_path).parent / load_limits().backup.folder


def backup(db_path: str | Path, out_dir: str | Path, keep: int | None = None, label: str = "") -> Path:
    """A consistent copy of the database in `out_dir` as iga-YYYYmmdd-HHMMSS-ffffff[-label].db.

    Written under a temporary name and renamed when complete, so a half-written
    backup (disk full) never looks like a backup. With `keep`, only the newest
    `keep` backups in the folder remain.
    """
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.is_file():
        raise InputError(f"Basis data {db_path} tidak ditemukan; tidak ada yang dicadangkan.")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    final = out_dir / f"iga-{stamp}-{os.getpid()}{'-' + label if label else ''}.db"
    partial = final.with_name(final.name + ".sebagian")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with (
            closing(sqlite3.connect(db_path, timeout=BUSY_SECONDS)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(partial, final)
    except (sqlite3.Error, OSError) as exc:
        with suppress(OSError):
            partial.unlink()
        raise InputError(
            f"Cadangan tidak dapat ditulis ke {out_dir} ({_reason(exc)}); kosongkan ruang disk atau pilih folder lain."
        ) from None
    if keep:
        prune(out_dir, keep)
    return final


def prune(out_dir: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups in the folder (names sort by time)."""
    doomed = sorted(out_dir.glob(PATTERN))[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def before_change(store: Store, label: str | None) -> None:
    """Called by Store.change: a backup before a destructive change (refusing the change when
    it cannot be made), else one on the first change of the day (a failure is only logged:
    the day's work goes on)."""
    today = date.today().isoformat()
    if label is None and store.get_flag(DAY_FLAG) == today:
        return
    try:
        backup(store.path, folder_for(store.path), keep=load_limits().backup.keep, label=label or "harian")
    except InputError as exc:
        if label is not None:
            raise InputError(f"{exc} Perubahan dibatalkan agar tetap dapat dikembalikan.") from None
        log.warning("Cadangan harian gagal: %s", exc)
        return
    store.set_flag(DAY_FLAG, today)


def check_backup(path: str | Path, latest_schema: int) -> None:
    """Refuse a file that is not a sound backup of this app's database, or one from a newer version."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Berkas cadangan {path} tidak ditemukan.")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)) as con:
            ok = con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            version = con.execute("PRAGMA user_version").fetchone()[0]
            has_snapshots = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'"
            ).fetchone()
    except sqlite3.Error:
        ok, has_snapshots, version = False, None, 0
    if not ok or not has_snapshots:
        raise InputError(f"{path.name} bukan cadangan basis data dasbor yang utuh; pilih berkas cadangan lain.")
    if version > latest_schema:
        raise InputError(
            f"{path.name} dibuat oleh versi aplikasi yang lebih baru (skema {version}); perbarui aplikasi dulu."
        )


def restore(backup_file: str | Path, store: Store, actor: Actor) -> Path:
    """Put a backup's content into the live database; returns the backup of what was there before."""
    from .storage import MIGRATIONS, Store

    backup_file = Path(backup_file)
    check_backup(backup_file, len(MIGRATIONS))
    if backup_file.resolve() == store.path.resolve():
        raise InputError("Berkas cadangan sama dengan basis data yang akan dipulihkan; pilih berkas cadangan.")
    saved = backup(store.path, folder_for(store.path), keep=load_limits().backup.keep, label="sebelum-pulih")
    try:
        with (
            closing(sqlite3.connect(backup_file)) as source,
            closing(sqlite3.connect(store.path, timeout=BUSY_SECONDS)) as live,
        ):
            source.backup(live)
    except sqlite3.Error as exc:
        raise InputError(
            f"Pemulihan gagal ({_reason(exc)}); basis data tidak berubah, dan isinya juga tersimpan di {saved}."
        ) from None
    restored = Store(store.path)  # an older backup is brought to the current schema
    with restored.change(actor) as change:
        change.record("database.restored", backup_file.name, {"saved_as": str(saved)}, {"from": str(backup_file)})
    return saved


def _reason(exc: Exception) -> str:
    if isinstance(exc, sqlite3.Error) and getattr(exc, "sqlite_errorcode", 0) & 0xFF == 13:
        return "disk penuh"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
