"""The audit trail: who changed what, when, with the state before and after (JSON).

Rows are written by `Store.change(...).record(...)` in the transaction of the
change itself, so a change without its row (or a row without its change) cannot
exist. The trail is append-only: nothing in the app edits or deletes it.

Adding a kind of change is one line in KINDS (the label the "Riwayat perubahan"
view and the CLI show); `record` refuses kinds not listed, so a typo fails at once.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .accounts import Actor
    from .storage import Store

KINDS = {
    "snapshot.saved": "Unggahan disimpan",
    "snapshot.deleted": "Unggahan dipindah ke Terhapus",
    "snapshot.restored": "Unggahan dipulihkan dari Terhapus",
    "snapshot.purged": "Unggahan dihapus permanen",
    "roster.replaced": "Daftar unit diganti",
    "settings.changed": "Pengaturan diubah",
    "seasons.changed": "Riwayat tahun sebelumnya diubah",
    "mapping.remembered": "Pemetaan kolom diingat",
    "alias.saved": "Padanan nama unit disimpan",
    "alias.removed": "Padanan nama unit dibatalkan",
    "user.added": "Akun ditambahkan",
    "user.removed": "Akun dihapus",
    "user.password": "Kata sandi diganti",
    "database.restored": "Basis data dipulihkan dari cadangan",
}


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    role: str
    via: str  # "akun" | "terbuka" | "cli"
    kind: str
    target: str
    before: Any
    after: Any

    @property
    def label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(key, before, after) for each value that differs, when both sides are mappings (settings, mappings)."""
        if not isinstance(self.before, dict) or not isinstance(self.after, dict):
            return []
        keys = sorted(set(self.before) | set(self.after))
        return [(k, self.before.get(k), self.after.get(k)) for k in keys if self.before.get(k) != self.after.get(k)]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "role": self.role,
            "via": self.via,
            "kind": self.kind,
            "label": self.label,
            "target": self.target,
            "before": self.before,
            "after": self.after,
        }


def record(
    con: sqlite3.Connection, actor: Actor, kind: str, target: str, before: Any = None, after: Any = None
) -> None:
    """One audit row on the change's own connection (inside its transaction)."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}; add it to audit.KINDS")
    con.execute(
        "INSERT INTO audit (at, actor, role, via, kind, target, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            datetime.now().isoformat(timespec="microseconds"),
            actor.name,
            actor.role,
            actor.kind,
            kind,
            str(target),
            _encode(before),
            _encode(after),
        ),
    )


def entries(store: Store, limit: int | None = None, kind: str | None = None) -> list[Entry]:
    """The trail, newest first."""
    where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
    tail = f"LIMIT {int(limit)}" if limit is not None else ""
    with store.transaction("DEFERRED") as con:
        rows = con.execute(
            f"SELECT id, at, actor, role, via, kind, target, before_json, after_json FROM audit {where} "
            f"ORDER BY id DESC {tail}",
            params,
        ).fetchall()
    return [
        Entry(i, datetime.fromisoformat(at), actor, role, via, kind, target, _decode(before), _decode(after))
        for i, at, actor, role, via, kind, target, before, after in rows
    ]


def _encode(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)
