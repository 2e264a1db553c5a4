"""Finding the header row under title blocks and mapping its labels to fields.

Labels map through the synonym table (config/columns.toml); indicator columns
by number or name (from the rule files); two-row headers and a numbering row
under the header are taken in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..names import compact_key, norm_text
from ..parsing import per_unique
from ..rules import indicator_names, indicator_numbers
from ..tomlfile import derived
from ..vocabulary import column_fields
from .grids import Grid
from .model import (
    HEADER_SCAN_ROWS,
    MANUAL_FIELDS,
    NUMERIC,
    SheetReport,
    cell_text,
    row_texts,
)

_INDICATOR_HEADER = re.compile(r"^(?:i|ind|indikator|no)?\s*(\d{2})(?:\s|$)")
_HEADER_SPLIT = re.compile(r"[/()\[\]|;,\n]+")


@derived()
def _synonyms() -> dict[str, tuple[int, str]]:
    """Compact header label -> (rank among the field's synonyms, field)."""
    exact: dict[str, tuple[int, str]] = {}
    for spec in column_fields():
        for rank, syn in enumerate(spec.synonyms):
            exact.setdefault(compact_key(syn), (rank, spec.name))
    return exact


@derived()
def _indicator_names() -> dict[str, int]:
    """Compact indicator name ("regulasiinovasidaerah") -> number, from every rule year."""
    return {compact_key(name): number for number, names in indicator_names().items() for name in names}


def _indicator_of(label: str) -> int | None:
    """16 for "16", "I16", "Indikator 16", "16. Regulasi Inovasi Daerah" or "Regulasi Inovasi Daerah"."""
    m = _INDICATOR_HEADER.match(norm_text(label))
    if m and int(m[1]) in indicator_numbers():
        return int(m[1])
    return _indicator_names().get(compact_key(label))


@derived(maxsize=8192)
def _label_field(label: str) -> tuple[int, int, str] | None:
    """(is_part, synonym rank, field) for one header label, or None.

    A whole label beats a part of a label ("Perangkat Daerah / Unit Kerja");
    a label naming an indicator (by number 16-35 or by name) maps to ind_16..ind_35.
    """
    synonyms = _synonyms()
    whole = synonyms.get(compact_key(label))
    if whole:
        return (0, whole[0], whole[1])
    parts = [p for p in _HEADER_SPLIT.split(label) if p.strip()]
    hits = [synonyms[k] for p in parts if (k := compact_key(p)) in synonyms]
    if hits and len(parts) > 1:
        rank, name = min(hits)
        return (1, rank, name)
    number = _indicator_of(label)
    return (2, 0, f"ind_{number}") if number is not None else None


def map_header(labels: Sequence[str]) -> dict[str, int]:
    """Map header labels to fields: {field: column index}.

    Whole labels beat parts, earlier synonyms beat later ones, then the
    leftmost column wins; each column serves one field.
    """
    candidates = sorted(
        (hit[0], hit[1], col, hit[2])
        for col, label in enumerate(labels)
        if label and (hit := _label_field(label)) is not None
    )
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _, _, col, name in candidates:
        if name not in mapping and col not in used:
            mapping[name] = col
            used.add(col)
    return mapping


def manual_mapping(sheet: SheetReport, chosen: Mapping[str, int]) -> dict[str, int]:
    """An operator's choice for the manual fields, keeping the sheet's other columns (indicators,
    Pemda, ID) unless a chosen field took that column."""
    taken = set(chosen.values())
    kept = {f: c for f, c in sheet.mapping.items() if f not in MANUAL_FIELDS and c not in taken}
    return {**kept, **chosen}


def header_key(labels: Sequence[str]) -> str:
    """A stable key of a header layout, for remembering a manual mapping."""
    joined = "|".join(compact_key(x) for x in labels)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


@dataclass
class Header:
    row: int  # 0-based index of the (top) header row
    data_start: int
    labels: list[str]
    mapping: dict[str, int]
    key: str
    notes: list[str] = field(default_factory=list)  # choices the operator should know about


def best_guess_header(grid: Grid) -> int | None:
    """The row that looks most like a header (most text cells), for manual mapping."""
    best, best_count = None, 1
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        count = sum(1 for v in row if isinstance(v, str) and v.strip())
        if count > best_count:
            best, best_count = r, count
    return best


def find_header(
    grid: Grid,
    required: Sequence[str],
    remembered: Mapping[str, Mapping[str, int]],
) -> Header | None:
    best: Header | None = None
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        labels = row_texts(row)
        if sum(1 for x in labels if x) < len(required):
            continue
        key = header_key(labels)
        if key in remembered:
            mapping = {f: int(c) for f, c in remembered[key].items() if 0 <= int(c) < len(labels)}
            return _with_subheader(grid, Header(r, r + 1, labels, mapping, key), fixed=True)
        mapping = map_header(labels)
        if all(f in mapping for f in required) and (best is None or len(mapping) > len(best.mapping)):
            best = Header(r, r + 1, labels, mapping, key)
    return _prefer_specific_unit(grid, _with_subheader(grid, best)) if best else None


def _with_subheader(grid: Grid, h: Header, fixed: bool = False) -> Header:
    """Take in a second header row and skip a row of column numbers ('1 2 3' or '(1) (2)') under the header.

    Two-row headers come in two shapes: a group label merged across columns
    over sub-labels ("Inovasi" over "Nama | Skor Kematangan | Tanggal Input",
    "Indikator" over "16 | 17 | ..."), or key columns merged down with the
    other labels on the second row.
    """
    nxt = h.row + 1
    if nxt < len(grid.rows):
        labels = _two_row_labels(grid, h, row_texts(grid.rows[nxt]))
        if labels is not None:
            mapping = h.mapping if fixed else map_header(labels)
            if all(f in mapping for f in ("unit", "innovation") if f in h.mapping):
                h = Header(h.row, nxt + 1, labels, mapping, h.key, h.notes)
    if h.data_start < len(grid.rows) and _is_numbering_row(row_texts(grid.rows[h.data_start])):
        h.data_start += 1
    return h


def _two_row_labels(grid: Grid, h: Header, sub: list[str]) -> list[str] | None:
    """Labels combining the header row with the row under it, or None when that row is data."""
    groups: dict[int, str] = {}  # column -> label of the group merged across it
    for (r0, c0), (r1, c1) in grid.merged:
        if r0 <= h.row <= r1 and c1 > c0 and c0 < len(h.labels):
            groups.update(dict.fromkeys(range(c0, min(c1, len(h.labels) - 1) + 1), h.labels[c0]))
    under_group = [sub[c] for c in groups if c < len(sub) and sub[c]]
    key_cols = [h.mapping[f] for f in ("unit", "innovation") if f in h.mapping]
    group_over_labels = (under_group and all(_looks_like_label(x) for x in under_group)
                         and all(c in groups or not sub[c] for c in key_cols))
    key_cols_merged_down = key_cols and all(not sub[c] for c in key_cols) and any(sub)
    if not (group_over_labels or key_cols_merged_down):
        return None
    labels = []
    for c, (top, below) in enumerate(zip(h.labels, sub)):
        group = groups.get(c)
        if group is not None and below:
            labels.append(below if _label_field(below) else f"{group} / {below}")
        else:
            labels.append(top or below)
    return labels if labels != h.labels else None


def _looks_like_label(text: str) -> bool:
    """Header text rather than data: short, and either words or an indicator number."""
    return len(text) <= 60 and (not NUMERIC.fullmatch(text) or _indicator_of(text) is not None)


def _prefer_specific_unit(grid: Grid, h: Header) -> Header:
    """When two columns both name units ("Perangkat Daerah" = Dinas Kesehatan, "Unit Kerja" =
    Puskesmas X), the innovations belong to the more specific one: the column with more distinct names."""
    candidates = [c for c, label in enumerate(h.labels)
                  if label and (hit := _label_field(label)) is not None and hit[2] == "unit"
                  and c not in {v for f, v in h.mapping.items() if f != "unit"}]
    if len(candidates) < 2:
        return h
    sample = grid.rows[h.data_start:h.data_start + 5000]
    distinct = {c: len({cell_text(r[c]) for r in sample if c < len(r)} - {""}) for c in candidates}
    best = max(candidates, key=lambda c: (distinct[c], -candidates.index(c)))
    if best != h.mapping["unit"]:
        other = h.labels[h.mapping["unit"]]
        h.notes.append(f"kolom '{other}' dan '{h.labels[best]}' sama-sama berisi nama unit; "
                       f"dipakai '{h.labels[best]}' yang lebih rinci")
        h.mapping = {**h.mapping, "unit": best}
    return h


def _is_numbering_row(texts: list[str]) -> bool:
    nums = [t.strip("()") for t in texts if t]
    if len(nums) < 3 or not all(n.isdigit() for n in nums):
        return False
    values = [int(n) for n in nums]
    return values == list(range(values[0], values[0] + len(values)))


def header_word(values: pd.Series, field_name: str) -> pd.Series:
    """Cells that are themselves a header label of the field (a header repeated mid-sheet)."""
    synonyms = _synonyms()

    def is_label(v: str) -> bool:
        hit = synonyms.get(compact_key(v))
        if hit is None and _HEADER_SPLIT.search(v):  # "Perangkat Daerah / Unit Kerja"
            hit = (_label_field(v) or (0, 0, ""))[1:]
        return hit is not None and hit[1] == field_name

    return per_unique(values, is_label)

