"""The roster: every unit that must submit, read with the same tolerant reader as exports."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .vocabulary import default_type
from .errors import InputError
from .names import compact_key, key_as, unit_name
from .guard import read_sources
from .reading import ROSTER_REQUIRED, Source


@dataclass
class Roster:
    """Roster units, one row each: uid, name, type, short_name, key, bare, short_key."""

    units: pd.DataFrame
    name: str = ""
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.units)


def roster_from_rows(rows: pd.DataFrame, city: str, name: str = "", sha256: str = "") -> Roster:
    """Build the roster from reader rows (unit, type_hint, short_name)."""
    units, warnings, seen = [], [], {}
    for unit, hint, short in zip(rows["unit"], rows["type_hint"], rows["short_name"]):
        n = unit_name(unit, city)
        utype = hint or n.type or default_type()
        key = key_as(n, utype)
        if key in seen:
            warnings.append(f"Unit '{unit}' tercantum lebih dari sekali di daftar unit; dihitung satu kali.")
            continue
        seen[key] = len(units)
        units.append({
            "uid": len(units), "name": unit, "type": utype, "short_name": short,
            "key": key, "bare": unit_name(key).bare, "short_key": compact_key(short) if short else "",
        })
    frame = pd.DataFrame(units, columns=["uid", "name", "type", "short_name", "key", "bare", "short_key"])
    return Roster(frame, name, sha256, warnings)


def read_roster(source: Source, city: str) -> Roster:
    """Read a roster file; it needs at least a unit-name column."""
    load = read_sources([source], required=ROSTER_REQUIRED)
    if not any(s.used for s in load.sheets):
        raise InputError(
            f"Daftar unit {source.name} tidak punya kolom nama unit; "
            "beri judul kolom seperti 'Nama Unit' dan, bila ada, 'Jenis Unit' dan 'Singkatan'."
        )
    roster = roster_from_rows(load.rows, city, source.name, source.sha256)
    if not len(roster):
        raise InputError(f"Daftar unit {source.name} tidak berisi satu unit pun.")
    roster.warnings = load.warnings + roster.warnings
    return roster

