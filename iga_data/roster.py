"""The roster: every unit that must submit, read with the same tolerant reader as exports."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from .errors import InputError
from .guard import read_sources
from .names import compact_key, key_as, unit_name
from .reading import ROSTER_REQUIRED, Source
from .vocabulary import default_type

# Optional roster columns carried into Roster.units as they are written ("" when absent).
DETAILS = ("kecamatan", "pembina", "contact")


@dataclass(frozen=True)
class Roster:
    """Roster units, one row each: uid, name, type, short_name, key, bare, short_key, and the DETAILS
    kecamatan, pembina, contact."""

    units: pd.DataFrame
    name: str = ""
    sha256: str = ""
    warnings: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.units)


def roster_from_rows(rows: pd.DataFrame, city: str, name: str = "", sha256: str = "") -> Roster:
    """Build the roster from reader rows (unit, type_hint, short_name, and any DETAILS)."""
    units: list[dict] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    details = [rows[c] if c in rows else [""] * len(rows) for c in DETAILS]
    for unit, hint, short, *more in zip(rows["unit"], rows["type_hint"], rows["short_name"], *details):
        n = unit_name(unit, city)
        utype = hint or n.type or default_type()
        key = key_as(n, utype)
        if key in seen:
            warnings.append(f"Unit '{unit}' tercantum lebih dari sekali di daftar unit; dihitung satu kali.")
            continue
        seen[key] = len(units)
        units.append(
            {
                "uid": len(units),
                "name": unit,
                "type": utype,
                "short_name": short,
                "key": key,
                "bare": unit_name(key).bare,
                "short_key": compact_key(short) if short else "",
                **dict(zip(DETAILS, more)),
            }
        )
    frame = pd.DataFrame(units, columns=["uid", "name", "type", "short_name", "key", "bare", "short_key", *DETAILS])
    return Roster(frame, name, sha256, tuple(warnings))


def read_roster(source: Source, city: str) -> Roster:
    """Read a roster file; it needs at least a unit-name column."""
    load = read_sources([source], required=ROSTER_REQUIRED, extra=DETAILS)
    if not any(s.used for s in load.sheets):
        raise InputError(
            f"Daftar unit {source.name} tidak punya kolom nama unit; "
            "beri judul kolom seperti 'Nama Unit' dan, bila ada, 'Jenis Unit' dan 'Singkatan'."
        )
    roster = roster_from_rows(load.rows, city, source.name, source.sha256)
    if not len(roster):
        raise InputError(f"Daftar unit {source.name} tidak berisi satu unit pun.")
    return dataclasses.replace(roster, warnings=load.warnings + roster.warnings)
