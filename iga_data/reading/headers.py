"""Finding the header row under title blocks and mapping its labels to fields.

Labels map through the synonym table (config/columns.toml), a score column
also by its words ("Skor Penilaian Mandiri"); indicator columns by number or
name (from the rule files); two-row headers and a numbering row under the
header are taken in. Wide recaps ("Inovasi 1 | Skor 1 | Inovasi 2 ...") are
recognised as numbered groups, and a table's columns stop at an empty column,
so a side table never lends its columns to the main one.
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
    UNIT_SOURCES,
    SheetReport,
    row_texts,
)

_INDICATOR_HEADER = re.compile(r"^(?:i|ind|indikator|no)?\s*(\d{2})(?:\s|$)")
_HEADER_SPLIT = re.compile(r"[/()\[\]|;,\n]+")
# "Inovasi 1", "Judul Inovasi ke-2", "Skor 3", "Inovasi 1 / Skor" (a numbered group over sub-labels).
_NUMBERED = re.compile(r"^(?P<stem>.*?[a-z])\s*(?:ke\s*)?(?P<n>\d{1,2})(?:\s*/\s*(?P<sub>.+))?$")
# Fields a numbered group of a wide recap may carry; the others are shared by the row.
_GROUP_FIELDS = ("innovation", "score", "input_date", "stage", "urusan", "jenis_inovasi", "innovation_id")
_ORDINALS = {
    "pertama": 1,
    "kesatu": 1,
    "kedua": 2,
    "ketiga": 3,
    "keempat": 4,
    "kelima": 5,
    "keenam": 6,
    "ketujuh": 7,
    "kedelapan": 8,
    "kesembilan": 9,
    "kesepuluh": 10,
}


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


@derived()
def _meanings() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str], re.Pattern[str] | None], ...]:
    """(field, words, with, not) patterns of the fields whose columns.toml entry has a `meaning`."""

    def words(ws: tuple[str, ...]) -> re.Pattern[str]:
        return re.compile(r"\b(?:" + "|".join(re.escape(norm_text(w)) for w in ws) + r")\b")

    return tuple(
        (spec.name, words(m.words), words(m.with_words), words(m.not_words) if m.not_words else None)
        for spec in column_fields()
        if (m := spec.meaning) is not None
    )


def _field_by_meaning(label: str) -> str | None:
    """The field a header names by its words ("Total Skor Kematangan" -> score; "Skor SPD" -> None)."""
    text = norm_text(label)
    for name, words, with_words, not_words in _meanings():
        if words.search(text) and with_words.search(text) and not (not_words and not_words.search(text)):
            return name
    return None


@derived(maxsize=8192)
def label_field(label: str) -> tuple[int, int, str] | None:
    """(kind, synonym rank, field) for one header label, or None.

    A whole label beats a part of a label ("Perangkat Daerah / Unit Kerja"),
    which beats a label naming a field by its words (`meaning`); a label naming
    an indicator (by number 16-35 or by name) maps to ind_16..ind_35.
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
    if (meant := _field_by_meaning(label)) is not None:
        return (2, 0, meant)
    number = _indicator_of(label)
    return (3, 0, f"ind_{number}") if number is not None else None


def is_parent_label(label: str) -> bool:
    """A unit column naming the unit a sub-unit belongs to ("Perangkat Daerah" over "Unit Kerja")."""
    key = compact_key(label)
    return any(key == compact_key(p) for spec in column_fields() for p in spec.parent)


def _group_label(label: str) -> tuple[str | None, int | None]:
    """(field, number) of a wide recap's column: ("innovation", 2) for "Inovasi 2", "Inovasi ke-2",
    "Inovasi Kedua" or "Inovasi 2 / Nama"; ("score", None) for "Skor"; (None, None) for other columns."""
    text = " ".join(label.lower().replace("-", " ").split())
    number = None
    if (m := _NUMBERED.match(text)) is not None:
        stem, sub, number = m["stem"], m["sub"], int(m["n"])
        tries = [f"{sub} {stem}", f"{stem} {sub}", sub] if sub else [stem]
    else:
        words = text.split()
        ordinal = next((w for w in words if w in _ORDINALS), None)
        if ordinal is not None:
            number = _ORDINALS[ordinal]
            words.remove(ordinal)
        tries = [" ".join(words)]
    name = next((hit[2] for t in tries if t and (hit := label_field(t)) is not None), None)
    return (name, number) if name in _GROUP_FIELDS else (None, None)


def wide_groups(labels: Sequence[str]) -> list[dict[str, int]]:
    """The groups of a wide recap, in order: [{"innovation": 2, "score": 3}, {"innovation": 4, ...}] for
    "Inovasi 1 | Skor 1 | Inovasi 2 | Skor 2", "Inovasi Pertama | Skor | Inovasi Kedua | Skor" or
    "Inovasi | Skor | Inovasi | Skor"; [] for a table with one innovation column. A numbered column joins
    its number's group; an unnumbered one the innovation to its left, when its field repeats (a field
    written once, such as "Tanggal Input" at the end, is the row's)."""
    parsed: list[tuple[int, str, int | None]] = []
    for c, label in enumerate(labels):
        if label and _indicator_of(label) is None and (found := _group_label(label))[0] is not None:
            parsed.append((c, str(found[0]), found[1]))
    innovations = [(c, n) for c, name, n in parsed if name == "innovation"]
    if not innovations or (len(innovations) == 1 and innovations[0][1] is None):
        return []
    group_of = {c: n if n is not None else k + 1 for k, (c, n) in enumerate(innovations)}
    repeated = {name for name in {x[1] for x in parsed} if sum(1 for x in parsed if x[1] == name) > 1}
    groups: dict[int, dict[str, int]] = {}
    for c, name, n in parsed:
        if name == "innovation":
            group = group_of[c]
        elif n is not None and n in group_of.values():
            group = n
        elif name in repeated and (left := [i for i in group_of if i < c]):
            group = group_of[left[-1]]
        else:
            continue
        groups.setdefault(group, {}).setdefault(name, c)
    return [groups[g] for g in sorted(groups)]


def map_header(labels: Sequence[str]) -> dict[str, int]:
    """Map header labels to fields: {field: column index}.

    Whole labels beat parts, earlier synonyms beat later ones, then the
    leftmost column wins; each column serves one field.
    """
    candidates = sorted(
        (hit[0], hit[1], col, hit[2])
        for col, label in enumerate(labels)
        if label and (hit := label_field(label)) is not None
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
    groups: list[dict[str, int]] = field(default_factory=list)  # numbered groups of a wide recap
    span: tuple[int, int] = (0, 0)  # the table's columns [first, last); (0, 0) = the whole row
    missing: list[str] = field(default_factory=list)  # required fields not found

    def columns(self) -> range:
        return range(*self.span) if self.span != (0, 0) else range(len(self.labels))


def missing_fields(mapping: Mapping[str, int], groups: list[dict[str, int]], required: Sequence[str]) -> list[str]:
    """Required fields a header lacks. In an export (innovation required) the unit may come from a
    Kecamatan, Kelurahan/Desa or Nama Akun column; the innovation from a wide recap's groups."""
    export = "innovation" in required
    out = []
    for name in required:
        if name == "innovation":
            found = name in mapping or bool(groups)
        elif name == "unit" and export:
            found = any(f in mapping for f in UNIT_SOURCES)
        else:
            found = name in mapping
        if not found:
            out.append(name)
    return out


def best_guess_header(grid: Grid) -> int | None:
    """The row that looks most like a header (most text cells), for manual mapping."""
    best, best_count = None, 1
    for r, row in enumerate(grid.rows(0, HEADER_SCAN_ROWS)):
        count = sum(1 for v in row if isinstance(v, str) and v.strip())
        if count > best_count:
            best, best_count = r, count
    return best


def find_header(
    grid: Grid,
    required: Sequence[str],
    remembered: Mapping[str, Mapping[str, int]],
    start: int = 0,
) -> Header | None:
    """The header row among the HEADER_SCAN_ROWS rows from `start`: a remembered layout at once; else the
    first row meeting all of `required`; else the one meeting most of it, then mapping most fields, which
    keeps in `missing` what it lacks (an unread sheet then names the column it needs); None when no row
    meets any."""
    best: Header | None = None
    best_rank = (0, 0)
    for r in range(start, min(start + HEADER_SCAN_ROWS, grid.height)):
        labels = row_texts(grid.row(r))
        if not any(labels):
            continue
        key = header_key(labels)
        if key in remembered:
            mapping = {f: int(c) for f, c in remembered[key].items() if 0 <= int(c) < len(labels)}
            groups = [] if "innovation" in mapping else wide_groups(labels)
            h = _with_subheader(grid, Header(r, r + 1, labels, mapping, key, groups=groups), fixed=True)
            h.missing = missing_fields(h.mapping, h.groups, required)
            return h  # the operator's choice, even across an empty column
        mapping, groups = _with_groups(map_header(labels), wide_groups(labels))
        missing = missing_fields(mapping, groups, required)
        if missing and not all(_looks_like_label(x) for x in labels if x):
            continue  # a data row ("OPD | 2") is no header, even when one of its cells is a field's name
        rank = (len(required) - len(missing), len(mapping) + len(groups))
        if rank[0] and rank > best_rank:
            best, best_rank = Header(r, r + 1, labels, mapping, key, groups=groups, missing=missing), rank
        if not missing:
            break  # the first full header: a table further down is read after this one, not instead of it
    if best is None:
        return None
    h = _with_subheader(grid, best)
    if not h.groups:  # a group label merged over sub-labels ("Inovasi 1" over "Nama | Skor")
        h.mapping, h.groups = _with_groups(h.mapping, wide_groups(h.labels))
    h.missing = missing_fields(h.mapping, h.groups, required)
    return _within_table(grid, h)


def _with_groups(mapping: dict[str, int], groups: list[dict[str, int]]) -> tuple[dict[str, int], list[dict[str, int]]]:
    """A wide recap's columns belong to its groups, not to the row ("Inovasi | Skor | Inovasi | Skor")."""
    taken = {c for g in groups for c in g.values()}
    return {f: c for f, c in mapping.items() if c not in taken}, groups


def _within_table(grid: Grid, h: Header) -> Header:
    """Keep the columns of the table holding the key columns: a table beside it (a side list, a legend,
    a recap headed "Jenis Unit") after an empty column never lends its columns."""
    keys = (
        [h.mapping[f] for f in ("innovation", "unit") if f in h.mapping]
        or [c for g in h.groups for c in g.values()]
        or list(h.mapping.values())
    )
    if not keys:
        return h
    width = len(h.labels)

    def occupied(c: int) -> bool:
        return bool(h.labels[c]) or not grid.blank(c)[h.data_start : h.data_start + 200].all()

    first, last = min(keys), max(keys)
    while first > 0 and occupied(first - 1):
        first -= 1
    while last + 1 < width and occupied(last + 1):
        last += 1
    if (first, last + 1) == (0, width):
        return h
    inside = range(first, last + 1)
    dropped = sorted({f for f, c in h.mapping.items() if c not in inside})
    h.mapping = {f: c for f, c in h.mapping.items() if c in inside}
    h.groups = [g for g in ({f: c for f, c in g.items() if c in inside} for g in h.groups) if "innovation" in g]
    h.span = (first, last + 1)
    if dropped:
        h.notes.append(
            "kolom di luar tabel inovasi tidak dipakai (tabel lain di sampingnya): "
            + ", ".join(
                f"'{h.labels[c]}'" for c in sorted({c for c in range(width) if c not in inside and h.labels[c]})[:5]
            )
        )
    return h


def _with_subheader(grid: Grid, h: Header, fixed: bool = False) -> Header:
    """Take in a second header row and skip a row of column numbers ('1 2 3' or '(1) (2)') under the header.

    Two-row headers come in two shapes: a group label merged across columns
    over sub-labels ("Inovasi" over "Nama | Skor Kematangan | Tanggal Input",
    "Indikator" over "16 | 17 | ..."), or key columns merged down with the
    other labels on the second row.
    """
    nxt = h.row + 1
    if nxt < grid.height:
        labels = _two_row_labels(grid, h, row_texts(grid.row(nxt)))
        if labels is not None:
            mapping = h.mapping if fixed else map_header(labels)
            if all(f in mapping for f in ("unit", "innovation") if f in h.mapping):
                h = Header(h.row, nxt + 1, labels, mapping, h.key, h.notes)
    if h.data_start < grid.height and _is_numbering_row(row_texts(grid.row(h.data_start))):
        h.data_start += 1
    return h


def _two_row_labels(grid: Grid, h: Header, sub: list[str]) -> list[str] | None:
    """Labels combining the header row with the row under it, or None when that row is data."""
    groups: dict[int, str] = {}  # column -> label of the group merged across it
    # A range merged over the header row leaves a cell of that row empty; without one, the ranges are not looked up.
    for (r0, c0), (r1, c1) in grid.merged if "" in h.labels else []:
        if r0 <= h.row <= r1 and c1 > c0 and c0 < len(h.labels):
            groups.update(dict.fromkeys(range(c0, min(c1, len(h.labels) - 1) + 1), h.labels[c0]))
    under_group = [sub[c] for c in groups if c < len(sub) and sub[c]]
    key_cols = [h.mapping[f] for f in ("unit", "innovation") if f in h.mapping]
    group_over_labels = (
        under_group
        and all(_looks_like_label(x) for x in under_group)
        and all(c in groups or not sub[c] for c in key_cols)
    )
    key_cols_merged_down = key_cols and all(not sub[c] for c in key_cols) and any(sub)
    if not (group_over_labels or key_cols_merged_down):
        return None
    labels = []
    for c, (top, below) in enumerate(zip(h.labels, sub)):
        group = groups.get(c)
        if group is not None and below:
            labels.append(below if label_field(below) else f"{group} / {below}")
        else:
            labels.append(top or below)
    return labels if labels != h.labels else None


def _looks_like_label(text: str) -> bool:
    """Header text rather than data: short, and either words or an indicator number."""
    return len(text) <= 60 and (not NUMERIC.fullmatch(text) or _indicator_of(text) is not None)


def _is_numbering_row(texts: list[str]) -> bool:
    nums = [t.strip("()") for t in texts if t]
    if len(nums) < 3 or not all(n.isdigit() for n in nums):
        return False
    values = [int(n) for n in nums]
    return values == list(range(values[0], values[0] + len(values)))


def is_header_label(text: str, field_name: str) -> bool:
    """Whether a cell is itself a header label of the field (a header repeated mid-sheet)."""
    hit = _synonyms().get(compact_key(text))
    if hit is None and _HEADER_SPLIT.search(text):  # "Perangkat Daerah / Unit Kerja"
        hit = (label_field(text) or (0, 0, ""))[1:]
    return hit is not None and hit[1] == field_name


def header_word(values: pd.Series, field_name: str) -> pd.Series:
    """Cells that are themselves a header label of the field, once per distinct text."""
    return per_unique(values, lambda v: is_header_label(v, field_name))
