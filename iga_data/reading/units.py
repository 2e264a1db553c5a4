"""Where each row's unit comes from, and a unit written once continuing down the rows below it.

The unit of a row is, by what the sheet has (config/columns.toml explains it):
two unit columns, a parent ("Perangkat Daerah") and a sub-unit ("Unit Kerja"),
where a blank or "-" sub-unit means the parent; one unit column; without a
unit column, the more specific filled one of "Kecamatan" and "Kelurahan"/"Desa",
else "Nama Akun", else the sheet's name when it is a roster unit. A blank unit
cell continues the unit above while the row has an innovation; an empty row, a
totals row or "-" stops that. All of it per column, with one forward fill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..names import expand_short, names_nothing, norm_text, type_from_label, unit_name
from ..parsing import per_unique
from ..vocabulary import unit_types
from .grids import Grid
from .headers import Header, is_header_label, is_parent_label, label_field
from .oddrows import footer_kind, is_totals


@dataclass(frozen=True)
class UnitColumn:
    column: int
    label: str
    hint: str = ""  # the unit type the column itself says ("Kecamatan"); "" when names or the sheet tell


@dataclass
class UnitPlan:
    chain: list[UnitColumn] = field(default_factory=list)  # from the most general to the most specific
    sheet: str = ""  # the sheet's name is every row's unit
    note: str = ""  # the choice, said in the load report when it is not a single unit column
    unit_from: str = ""  # what the report shows as the source when it is not a unit column


def unit_plan(grid: Grid, h: Header, sheet_unit: str = "") -> UnitPlan:
    """How a sheet's rows get their unit: unit columns, region columns, the account, or the sheet's name."""
    if sheet_unit:
        return UnitPlan(
            sheet=sheet_unit,
            unit_from=f"nama lembar '{sheet_unit}'",
            note=f"tidak ada kolom unit; nama lembar '{sheet_unit}' dipakai sebagai nama unit",
        )
    taken = {c for f, c in h.mapping.items() if f != "unit"}
    units = [
        c
        for c in h.columns()
        if c not in taken
        and h.labels[c]  # by name, not by a question's words
        and (hit := label_field(h.labels[c])) is not None
        and hit[2] == "unit"
        and hit[0] <= 1
    ]
    if "unit" in h.mapping and h.mapping["unit"] not in units:
        units = [h.mapping["unit"]]  # a column the operator chose by hand
    if len(units) >= 2:
        return _parent_and_sub(grid, h, units)
    if units:
        return UnitPlan([UnitColumn(units[0], h.labels[units[0]])])
    regions = (
        [UnitColumn(h.mapping["kecamatan"], h.labels[h.mapping["kecamatan"]], "Kecamatan")]
        if "kecamatan" in h.mapping
        else []
    )
    if "kelurahan" in h.mapping:
        c = h.mapping["kelurahan"]
        regions.append(UnitColumn(c, h.labels[c], type_from_label(h.labels[c]) or ""))
    if regions:
        labels = [f"'{u.label}'" for u in regions]
        note = (
            f"tidak ada kolom unit; dipakai {labels[-1]}, dan {labels[0]} bila {labels[-1]} kosong atau '-'"
            if len(regions) == 2
            else f"tidak ada kolom unit; kolom {labels[0]} dipakai sebagai nama unit"
        )
        return UnitPlan(regions, note=note, unit_from=" / ".join(labels))
    if "account" in h.mapping:
        c = h.mapping["account"]
        return UnitPlan(
            [UnitColumn(c, h.labels[c])],
            unit_from=f"'{h.labels[c]}'",
            note=f"tidak ada kolom unit; kolom '{h.labels[c]}' dipakai sebagai nama unit "
            "(nama akun yang tidak cocok dapat dipadankan di halaman Unggah Data)",
        )
    return UnitPlan()


def _parent_and_sub(grid: Grid, h: Header, units: list[int]) -> UnitPlan:
    """Two unit columns: the one columns.toml calls a parent is general; otherwise the one with fewer distinct
    names is (Perangkat Daerah = Dinas Kesehatan over Unit Kerja = Puskesmas X)."""
    distinct = {c: len(set(grid.texts(c)[h.data_start : h.data_start + 5000]) - {""}) for c in units}
    parents = [c for c in units if is_parent_label(h.labels[c])]
    others = [c for c in units if c not in parents]
    if parents and others:
        general, specific = parents[0], max(others, key=lambda c: (distinct[c], -units.index(c)))
    else:
        specific = max(units, key=lambda c: (distinct[c], -units.index(c)))
        general = next(c for c in units if c != specific)
    g, s = h.labels[general], h.labels[specific]
    return UnitPlan(
        [UnitColumn(general, g), UnitColumn(specific, s)],
        note=f"kolom '{g}' dan '{s}' sama-sama berisi nama unit; dipakai '{s}' yang lebih rinci, "
        f"dan '{g}' bila '{s}' kosong atau '-'",
    )


@dataclass(frozen=True)
class Units:
    unit: pd.Series  # the unit text of each row ("" when none; the cell's own text when it names nothing)
    hint: pd.Series  # the unit type the source column says ("" when it says none)
    continued: np.ndarray  # rows whose blank unit cell continued the unit above
    parent: np.ndarray  # rows whose blank or "-" sub-unit meant the parent

    def head(self, end: int) -> Units:
        return Units(self.unit[:end], self.hint[:end], self.continued[:end], self.parent[:end])


BLANK, UNIT, PLACEHOLDER, OTHER = 0, 1, 2, 3


def resolve_units(plan: UnitPlan, texts: dict[int, pd.Series], innovation: pd.Series) -> Units:
    """Each row's unit by the plan (texts: the chain's columns as text)."""
    index = innovation.index
    n = len(index)
    none = np.zeros(n, bool)
    if plan.sheet or not plan.chain:
        unit = pd.Series(plan.sheet, index=index, dtype=object)
        return Units(unit, pd.Series("", index=index, dtype=object), none, none)
    spec = plan.chain[-1]
    if len(plan.chain) == 1 and not (texts[spec.column] == "").any():  # every row names its unit or names nothing
        return Units(texts[spec.column], pd.Series(spec.hint, index=index, dtype=object), none, none)
    states = [_states(texts[u.column]) for u in plan.chain]
    s_text, s_kind = texts[spec.column].to_numpy(dtype=object), states[-1]
    has_innovation = (innovation != "").to_numpy()
    s_blank, s_real = s_kind == BLANK, s_kind == UNIT
    unit = np.where(s_real, s_text, "").astype(object)
    hint = np.full(n, spec.hint, dtype=object)
    decided = s_real.copy()
    stop = ~s_blank & ~s_real  # "JUMLAH", "-" with no parent: the row names no unit
    placeholder = s_kind == PLACEHOLDER
    parent = none
    if len(states) > 1:
        gen, p_kind = plan.chain[0], states[0]
        p_text = texts[gen.column].to_numpy(dtype=object)
        p_blank, p_real = p_kind == BLANK, p_kind == UNIT
        # The parent written once continues down its sub-units' rows.
        carried = _carry(p_real, (~p_blank & ~p_real) | (p_blank & s_blank & ~has_innovation))
        own_parent = s_blank & p_real  # the sub-unit left blank: the parent on this row
        parent = own_parent | (placeholder & (carried >= 0))  # "-": the parent, written here or above
        source = np.where(own_parent, np.arange(n), carried)
        unit[parent] = p_text[source[parent]]
        hint[parent] = gen.hint
        decided |= parent
        stop = (stop & ~parent) | (s_blank & ~p_blank & ~p_real)
        raw = np.where(s_blank, p_text, s_text)
        if not spec.hint:  # "Jalan Gedang" under Dinas Kesehatan is its puskesmas, not the kelurahan
            under = s_real & (carried >= 0)
            hint[under] = per_unique(pd.Series(p_text[carried[under]], dtype=object), _type_under).to_numpy()
    else:
        raw = s_text
    unit[stop] = raw[stop]  # kept as written, so the row is set aside with its reason
    blank = ~decided & ~stop
    source = _carry(decided, stop | (blank & ~has_innovation))
    continued = blank & has_innovation & (source >= 0)
    unit[continued] = unit[source[continued]]
    hint[continued] = hint[source[continued]]
    return Units(pd.Series(unit, index=index), pd.Series(hint, index=index), continued, parent)


def _type_under(parent: str) -> str:
    """The unit type whose default pembina (unit_types.toml) a parent unit is: Puskesmas under "Dinas
    Kesehatan" or "Dinkes"; "" when none or several (SD and SMP under Dinas Pendidikan)."""
    full = expand_short(parent) or unit_name(parent).key
    found = [t.code for t in unit_types() if t.pembina and "{" not in t.pembina and _same_body(full, t.pembina)]
    return found[0] if len(found) == 1 else ""


def _same_body(name: str, pembina: str) -> bool:
    """ "Dinas Kesehatan", "Dinas Kesehatan Kota X", "Dinas Pendidikan dan Kebudayaan" are the body a pembina
    names; "Dinas Kesehatan Hewan" is another."""
    key = norm_text(pembina)
    rest = name[len(key) :].split() if name.startswith(key) else None
    return rest is not None and (not rest or rest[0] in ("dan", "kota", "kabupaten", "kab", "provinsi"))


def _states(texts: pd.Series) -> np.ndarray:
    """BLANK, UNIT, PLACEHOLDER or OTHER for each cell, decided once per distinct text."""
    codes, uniques = pd.factorize(texts.to_numpy(dtype=object), use_na_sentinel=False)
    return np.fromiter(map(_kind, uniques), np.int8, len(uniques))[codes]


def _kind(text: str) -> int:
    """What a unit cell holds: BLANK, PLACEHOLDER ("-", "n/a", "#N/A"), OTHER (a totals word, a repeated
    header, a signature: never a unit a row below could continue) or UNIT."""
    if not text:
        return BLANK
    if names_nothing(text):
        return PLACEHOLDER
    if is_totals(text) or footer_kind(text) or is_header_label(text, "unit"):
        return OTHER
    return UNIT


def _carry(anchor: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """For each row, the nearest anchor row at or above it with no stop row in between (-1: none)."""
    n = len(anchor)
    marks = np.where(anchor, np.arange(n, dtype=float), np.where(stop, -1.0, np.nan))
    return pd.Series(marks).ffill().fillna(-1).to_numpy(dtype=np.int64)
