"""A roster for any Pemda without typing it: the kecamatan and kelurahan/desa from the region reference,
the standard perangkat daerah, and the schools and puskesmas from lists the operator already has.

The result is an ordinary roster workbook (Nama Unit, Jenis Unit, Singkatan, Kecamatan, Pembina,
Kontak) that `roster.read_roster` reads like any other. Pembina are written out with the type's
default so the operator sees them and can change them in the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import safetext
from .errors import InputError
from .names import keys_as, type_from_label, unit_name
from .pembina import default_pembina, kecamatan_name
from .reading import ROSTER_REQUIRED, Source, read_sources
from .regions import ATTRIBUTION, Pemda, place_unit_name, region_units
from .roster import Roster, roster_from_rows
from .tomlfile import CONFIG_DIR, read_toml
from .vocabulary import default_type, type_labels, unit_types

# Roster columns as the workbook heads them (each a synonym in config/columns.toml).
HEADERS = {
    "name": "Nama Unit",
    "type": "Jenis Unit",
    "short_name": "Singkatan",
    "kecamatan": "Kecamatan",
    "pembina": "Pembina",
    "contact": "Kontak",
}
COLUMNS = list(HEADERS)
TEMPLATE_FILE = CONFIG_DIR / "opd_template.toml"
_WIDTHS = {"name": 48, "type": 12, "short_name": 14, "kecamatan": 20, "pembina": 30, "contact": 20}


def _text(value: object) -> str:
    """A cell typed in or read as tidy text; empty cells (None, NaN) are ""."""
    return "" if value is None or value != value else " ".join(str(value).split())


def _some(names: Sequence[str], shown: int = 5) -> str:
    """The first few names of a list, for a note: "A, B, C, D, E …"."""
    return ", ".join(names[:shown]) + (" …" if len(names) > shown else "")


def _units(**columns: Iterable[str]) -> pd.DataFrame:
    """A unit table with every column, "" where not given."""
    frame = pd.DataFrame({c: pd.Series(list(v), dtype=object) for c, v in columns.items()})
    return frame.reindex(columns=COLUMNS, fill_value="").fillna("").astype(object)


def list_types() -> tuple[str, ...]:
    """Types that come from the operator's lists: not OPD (the template) and not places (the reference)."""
    return tuple(t.code for t in unit_types() if not t.region and t.code != default_type())


def opd_template(kind: str | None = None) -> pd.DataFrame:
    """The standard perangkat daerah for a kind of Pemda ("Kabupaten", "Kota"; None = all): name, short_name."""
    rows = []
    for i, entry in enumerate(read_toml(TEMPLATE_FILE).get("opd", []), 1):
        if not str(entry.get("name", "")).strip():
            raise InputError(f"{TEMPLATE_FILE.name}: perangkat daerah ke-{i} tidak punya 'name'.")
        if kind is None or kind in entry.get("pemda", [kind]):
            rows.append({"name": str(entry["name"]).strip(), "short_name": str(entry.get("short", "")).strip()})
    return pd.DataFrame(rows, columns=["name", "short_name"], dtype=object)


def opd_units(chosen: pd.DataFrame) -> pd.DataFrame:
    """OPD rows (name, short_name, and `use` when the operator ticks them) as units; rows without a name,
    or not ticked, are left out."""
    names, shorts = chosen["name"].map(_text), chosen["short_name"].map(_text)
    kept = (names != "") & (chosen["use"].fillna(False).astype(bool) if "use" in chosen else True)
    return _units(name=names[kept], type=[default_type()] * int(kept.sum()), short_name=shorts[kept])


def typed_units(table: pd.DataFrame, assumed: str | None = None, origin: str = "") -> tuple[pd.DataFrame, list[str]]:
    """Rows of name, type (a type column as written), kecamatan, and optionally hint (the type a sheet's name
    suggests), typed in or read from a list, as units of the list types.

    The type is the row's type column, else what the name says ("SDN 5", "SD IT Al Fatih"), else the
    hint, else `assumed` (a puskesmas list); a name that does not say its type gets it written before it
    unless a type column stated it ("Kuala Lempuing" -> "Puskesmas Kuala Lempuing"). Rows of other types
    (TK, SMA, a kelurahan) are left out and named in a note.
    """
    allowed = list_types()
    hints = table["hint"] if "hint" in table else pd.Series("", index=table.index)
    units, left_out = [], []
    for name, written_type, kecamatan, hint in zip(
        *(table[c].map(_text) for c in ("name", "type", "kecamatan")), hints.map(_text)
    ):
        if not name:
            continue
        stated = type_from_label(written_type) if written_type else None
        said = unit_name(name).type or type_from_label(name)
        utype = stated or said or hint or assumed
        if utype not in allowed:
            left_out.append(name)
            continue
        units.append(
            {
                "name": name if stated or said else place_unit_name(name, utype),
                "type": utype,
                "kecamatan": kecamatan_name(kecamatan) if kecamatan else "",
            }
        )
    notes = []
    if left_out:
        labels = type_labels()
        notes.append(
            f"{origin or 'Daftar yang diketik'}: {len(left_out)} baris bukan "
            f"{' / '.join(labels[t] for t in allowed)} dilewati ({_some(left_out)})."
        )
    frame = _units(**{c: [u[c] for u in units] for c in ("name", "type", "kecamatan")})
    return frame, notes


def list_units(source: Source, assumed: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Units from a list the operator already has, read with the tolerant reader: schools (NPSN, Nama Sekolah,
    Bentuk Pendidikan, Kecamatan) or puskesmas (Nama Puskesmas, Kecamatan; `assumed` = "Puskesmas")."""
    load = read_sources([source], required=ROSTER_REQUIRED, extra=("kecamatan", "school_status"))
    if not any(s.used for s in load.sheets):
        raise InputError(
            f"{source.name} tidak punya kolom nama; beri judul kolom seperti 'Nama Sekolah' atau "
            "'Nama Puskesmas', dan bila ada 'Bentuk Pendidikan' dan 'Kecamatan'."
        )
    rows = load.rows
    private = rows["school_status"].map(_text).str.casefold().str.contains("swasta") | rows["unit"].map(
        _text
    ).str.casefold().str.contains(r"\bswasta\b")
    table = pd.DataFrame(
        {"name": rows["unit"], "type": rows["type_label"], "kecamatan": rows["kecamatan"], "hint": rows["type_hint"]}
    )
    units, notes = typed_units(table[~private], assumed, source.name)
    if private.any():
        notes.append(
            f"{source.name}: {int(private.sum())} sekolah swasta dilewati — bukan unit Pemda "
            f"({_some(rows.loc[private, 'unit'].map(_text).tolist())})."
        )
    return units, notes


@dataclass
class BuiltRoster:
    """A roster built for one Pemda: the unit table (COLUMNS) and what the operator should know."""

    pemda: Pemda
    units: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return "daftar_unit_" + re.sub(r"[^0-9a-z]+", "_", self.pemda.name.lower()).strip("_") + ".xlsx"

    def counts(self) -> dict[str, int]:
        """Units per type, in the configured type order."""
        present = self.units["type"].value_counts()
        return {t: int(present[t]) for t in type_labels() if t in present}

    def roster(self, city: str) -> Roster:
        """The units as the dashboard reads them (the same as reading `workbook()` back)."""
        u = self.units
        rows = pd.DataFrame(
            {
                "unit": u["name"],
                "type_hint": u["type"],
                "short_name": u["short_name"],
                "kecamatan": u["kecamatan"],
                "pembina": u["pembina"],
                "contact": u["contact"],
            }
        )
        return roster_from_rows(rows, city, self.file_name)

    def workbook(self) -> bytes:
        """The roster as an .xlsx: a title, the source of the places, then the table."""
        wb = Workbook()
        ws = wb.active
        ws.title = "Daftar Unit"
        safetext.append(ws, [f"Daftar unit wajib inovasi — {self.pemda.name}"])
        ws["A1"].font = Font(bold=True, size=13)
        safetext.append(ws, [f"Kecamatan dan kelurahan/desa: {ATTRIBUTION}"])
        ws.append([])
        safetext.append(ws, list(HEADERS.values()))
        for row in self.units[COLUMNS].itertuples(index=False):
            safetext.append(ws, list(row))  # names from the operator's own lists stay text
        for i, column in enumerate(COLUMNS, 1):
            ws.column_dimensions[get_column_letter(i)].width = _WIDTHS[column]
        ws.freeze_panes = "A5"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


def assemble(pemda: Pemda, parts: Sequence[pd.DataFrame], notes: Sequence[str] = ()) -> BuiltRoster:
    """One roster from unit tables: empty pembina get the type's default; a unit listed twice is kept once."""
    units = pd.concat([_units(), *parts], ignore_index=True) if parts else _units()
    blank = units["pembina"].str.strip() == ""
    units.loc[blank, "pembina"] = [
        default_pembina(t, k) for t, k in zip(units.loc[blank, "type"], units.loc[blank, "kecamatan"])
    ]
    twice = pd.Series(keys_as(units["name"], units["type"], pemda.name)).duplicated()
    notes = list(notes)
    if twice.any():
        names = units.loc[twice.to_numpy(), "name"].tolist()
        notes.append(f"{len(names)} unit tercantum lebih dari sekali dan dipakai sekali: {_some(names)}.")
    return BuiltRoster(pemda, units[~twice.to_numpy()].reset_index(drop=True), notes)


def build_roster(
    pemda: Pemda, opd: pd.DataFrame | None = None, lists: Sequence[pd.DataFrame] = (), notes: Sequence[str] = ()
) -> BuiltRoster:
    """Every kecamatan and kelurahan/desa of the Pemda with its kecamatan as pembina, then the OPD rows
    (name, short_name, use: see `opd_units`) and the unit tables from `list_units` / `typed_units`."""
    places = region_units(pemda)
    renamed = places[places["renamed"]]
    found = []
    if len(renamed):
        found.append(
            f"{len(renamed)} kelurahan/desa bernama sama di Pemda ini; namanya ditambah kecamatannya "
            f"agar dapat dibedakan (mis. {renamed['name'].iloc[0]})."
        )
    parts = [_units(name=places["name"], type=places["type"], kecamatan=places["kecamatan"])]
    if opd is not None:
        parts.append(opd_units(opd))
    return assemble(pemda, [*parts, *lists], [*found, *notes])
