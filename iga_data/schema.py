"""The database schema as versioned migrations, and the format a snapshot's rows are stored in.

Applied in order by Store; the number of applied steps is PRAGMA user_version. Never edit a
released step: append a new one. The row blob's format lives here because a migration writes it.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable

import pandas as pd
from pyarrow import feather


def encode_rows(rows: pd.DataFrame) -> bytes:
    """A snapshot's rows as one Arrow IPC (Feather, zstd) blob: every column and dtype kept, loaded in one step."""
    buf = io.BytesIO()
    feather.write_feather(rows.reset_index(drop=True), buf, compression="zstd")
    return buf.getvalue()


def decode_rows(blob: bytes, dtypes: dict[str, str]) -> pd.DataFrame:
    """The rows as read at ingest: text columns back to the object dtype the engine works with."""
    frame = feather.read_table(io.BytesIO(blob)).to_pandas()
    return frame.astype({c: d for c, d in dtypes.items() if c in frame.columns and str(frame[c].dtype) != d})


def _rows_frame_v1(records: list[tuple], dtypes: dict[str, str]) -> pd.DataFrame:
    """Rows stored one per row (schema 1 to 3), rebuilt with the dtypes they had at ingest (for the migration)."""
    names = [name for name, _ in _ROW_COLUMNS_V1]
    columns = list(zip(*records)) if records else [()] * len(names)
    data = {}
    for name, values in zip(names, columns):
        raw = pd.Series(list(values), dtype=object)
        dtype = dtypes.get(name, "object")
        data[name] = (
            pd.to_datetime(raw, format="ISO8601").astype(dtype) if dtype.startswith("datetime64") else raw.astype(dtype)
        )
    return pd.DataFrame(data, columns=names)


# Frozen copy of the row layout at schema version 1: a migration must never
# change meaning when reading.ROW_COLUMNS later changes (add a migration then).
_ROW_COLUMNS_V1 = [
    ("order", "INTEGER"),
    ("file", "TEXT"),
    ("sheet", "TEXT"),
    ("row", "INTEGER"),
    ("pemda", "TEXT"),
    ("unit", "TEXT"),
    ("innovation", "TEXT"),
    ("score", "REAL"),
    ("type_label", "TEXT"),
    ("type_hint", "TEXT"),
    ("input_date", "TEXT"),
    ("stage", "TEXT"),
    ("urusan", "TEXT"),
    ("jenis_inovasi", "TEXT"),
    ("innovation_id", "TEXT"),
    ("short_name", "TEXT"),
    *[(f"ind_{n}", "REAL") for n in range(16, 36)],
]


def _migration_1(con: sqlite3.Connection) -> None:
    """Initial schema."""
    row_columns = ",\n".join(f'    "{name}" {sql_type}' for name, sql_type in _ROW_COLUMNS_V1)
    for statement in [
        """CREATE TABLE rosters (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            bytes BLOB NOT NULL,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY,
            as_of TEXT NOT NULL,
            created_at TEXT NOT NULL,
            uploader TEXT NOT NULL,
            content_key TEXT NOT NULL UNIQUE,
            roster_id INTEGER REFERENCES rosters(id),
            settings_json TEXT NOT NULL,
            load_report_json TEXT NOT NULL,
            innovations INTEGER NOT NULL,
            units_ready INTEGER NOT NULL,
            units_expected INTEGER NOT NULL)""",
        "CREATE INDEX snapshots_as_of ON snapshots(as_of, id)",
        """CREATE TABLE snapshot_files (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            bytes BLOB NOT NULL,
            PRIMARY KEY (snapshot_id, position))""",
        f"""CREATE TABLE rows (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
        {row_columns},
            PRIMARY KEY (snapshot_id, pos)) WITHOUT ROWID""",
        """CREATE TABLE active_roster (
            slot INTEGER PRIMARY KEY CHECK (slot = 1),
            roster_id INTEGER NOT NULL REFERENCES rosters(id))""",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL)",
        """CREATE TABLE column_mappings (
            header_key TEXT PRIMARY KEY,
            mapping_json TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        "CREATE TABLE flags (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]:
        con.execute(statement)


def _migration_2(con: sqlite3.Connection) -> None:
    """Accounts, login slowing, the audit trail, and soft delete of snapshots."""
    for statement in [
        "ALTER TABLE snapshots ADD COLUMN deleted_at TEXT",
        "ALTER TABLE snapshots ADD COLUMN deleted_by TEXT",
        """CREATE TABLE users (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('operator', 'pimpinan')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL)""",
        """CREATE TABLE login_failures (
            bucket TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_at REAL NOT NULL)""",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            via TEXT NOT NULL,
            kind TEXT NOT NULL,
            target TEXT NOT NULL,
            before_json TEXT,
            after_json TEXT)""",
    ]:
        con.execute(statement)


def _migration_seasons(con: sqlite3.Connection) -> None:
    """Past IGA seasons of the Pemda, edited on Pengaturan (they were a CSV in sample_data/)."""
    con.execute("""CREATE TABLE seasons (
        year INTEGER PRIMARY KEY,
        innovations INTEGER NOT NULL,
        result TEXT NOT NULL DEFAULT '',
        national_rank INTEGER,
        note TEXT NOT NULL DEFAULT '')""")


def _migration_arrow_rows(con: sqlite3.Connection) -> None:
    """A snapshot's rows as one Arrow blob instead of a table row per row (about 20 times faster to load, and a
    rule year's new indicator columns need no schema change); and each upload's summary kept per analysis key,
    so the progress across uploads is never recomputed from the rows after a restart."""
    con.execute("ALTER TABLE snapshots ADD COLUMN rows_arrow BLOB")
    names = ", ".join(f'"{name}"' for name, _ in _ROW_COLUMNS_V1)
    for snapshot_id, report_json in con.execute("SELECT id, load_report_json FROM snapshots").fetchall():
        records = con.execute(f"SELECT {names} FROM rows WHERE snapshot_id = ? ORDER BY pos", (snapshot_id,))
        frame = _rows_frame_v1(records.fetchall(), json.loads(report_json).get("dtypes", {}))
        con.execute("UPDATE snapshots SET rows_arrow = ? WHERE id = ?", (encode_rows(frame), snapshot_id))
    con.execute("DROP TABLE rows")
    con.execute("""CREATE TABLE summaries (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
        analysis_key TEXT NOT NULL,
        summary_json TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, analysis_key)) WITHOUT ROWID""")


def _migration_unit_aliases(con: sqlite3.Connection) -> None:
    """Names the operator resolved by hand (issue 10): a name as written -> a roster unit's name, or ""
    when the name is not a unit in the roster. Keyed by aliases.alias_key (case, spacing, punctuation ignored)."""
    con.execute(
        """CREATE TABLE unit_aliases (
            name_key TEXT PRIMARY KEY,
            written TEXT NOT NULL,
            unit_name TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL)"""
    )


def _migration_sign_ins(con: sqlite3.Connection) -> None:
    """Sign-ins a browser keeps across reloads: the sha256 of a random token in the browser's cookie, never the
    token itself; gone with the account, on a password change, on signing out or after the idle time."""
    con.execute(
        """CREATE TABLE sign_ins (
            token_hash TEXT PRIMARY KEY,
            name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            created_at REAL NOT NULL,
            last_seen REAL NOT NULL)"""
    )


# Applied in order; the number of applied steps is PRAGMA user_version.
# Never edit a released step: append a new one.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_seasons,
    _migration_arrow_rows,
    _migration_unit_aliases,
    _migration_sign_ins,
]
