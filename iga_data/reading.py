"""Read innovation exports and rosters as staff really make them.

Every sheet of every file is examined. In each, the header row is searched
below title blocks; header cells are mapped to fields through the synonym
table (config/columns.toml); vertically merged cells are filled down; rows
that are not innovations (totals, signatures, notes) are set aside with a
reason. The result is one table of normalised rows plus a load report.

Excel files are read with python-calamine directly (the library behind
``pd.read_excel(engine="calamine")``): it gives the merged-cell ranges pandas
drops and skips pandas' text parser, which the benchmark shows is the slow part.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
import python_calamine as calamine

from . import parsing
from .parsing import per_unique
from .vocabulary import column_fields, field_label, row_words
from .errors import InputError
from .names import compact_key, norm_text, type_from_label
from .rules import indicator_names

HEADER_SCAN_ROWS = 30
INDICATOR_NUMBERS = range(16, 36)
INDICATOR_COLUMNS = [f"ind_{n}" for n in INDICATOR_NUMBERS]
TEXT_FIELDS = ["pemda", "unit", "innovation", "type_label", "stage", "urusan",
               "jenis_inovasi", "innovation_id", "short_name"]
# The normalised row table every reader produces and storage keeps.
ROW_COLUMNS = [
    "order", "file", "sheet", "row", "pemda", "unit", "innovation", "score",
    "type_label", "type_hint", "input_date", "stage", "urusan", "jenis_inovasi",
    "innovation_id", "short_name", *INDICATOR_COLUMNS,
]
SUPPORTED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv")
# Fields an operator maps by hand when a header is not recognised.
MANUAL_FIELDS = ("unit", "innovation", "score", "input_date", "type_label", "stage", "urusan", "jenis_inovasi")
EXPORT_REQUIRED = ("unit", "innovation")
NUMERIC_NAME = "nama inovasi berupa angka"
ROSTER_REQUIRED = ("unit",)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_NUMERIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def _words(words: Sequence[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


@cache
def _row_patterns() -> dict[str, re.Pattern[str]]:
    """Regexes built from config/rows.toml: totals, signature, block start, note, person's title."""
    w = row_words()
    return {
        "totals": re.compile(rf"^(?:{_words(w.totals)})\b"),
        "signature": re.compile(rf"^(?:{_words(w.signature)})\b"),
        "block_start": re.compile(rf"^(?:{_words(w.block_start)})\b"),
        "note": re.compile(rf"^\s*(?:{_words(w.notes)})\s*:", re.IGNORECASE),
        "title": re.compile(rf"^(?:{_words(w.titles_before)})\.\s|,\s*(?:s|m|d|a)\.\s?[a-z]{{1,5}}\.?(?:[\s,]|$)",
                            re.IGNORECASE),
    }


_INDICATOR_HEADER = re.compile(r"^(?:i|ind|indikator|no)?\s*(\d{2})(?:\s|$)")
_HEADER_SPLIT = re.compile(r"[/()\[\]|;,\n]+")


@dataclass(frozen=True)
class Source:
    """One uploaded or named file: its name and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> "Source":
        p = Path(path)
        try:
            return cls(p.name, p.read_bytes())
        except FileNotFoundError:
            raise InputError(f"Berkas {p} tidak ditemukan; periksa nama dan foldernya.") from None
        except IsADirectoryError:
            raise InputError(f"{p} adalah folder, bukan berkas Excel/CSV.") from None
        except OSError as exc:
            raise InputError(f"Berkas {p} tidak dapat dibuka: {exc.strerror}.") from None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class SheetReport:
    """What was understood of one sheet (shown on the upload page)."""

    file: str
    sheet: str
    used: bool
    reason: str = ""
    header_row: int | None = None  # 1-based, as Excel shows it
    columns: dict[str, str] = field(default_factory=dict)  # field -> header label
    mapping: dict[str, int] = field(default_factory=dict)  # field -> column index
    headers: list[str] = field(default_factory=list)  # all labels of the header row
    header_key: str = ""  # identifies the header layout for remembered mappings
    samples: list[str] = field(default_factory=list)  # first row under the header, to help map by hand
    rows: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class SkippedRow:
    file: str
    sheet: str
    row: int
    reason: str
    text: str


@dataclass
class LoadResult:
    rows: pd.DataFrame
    sheets: list[SheetReport]
    skipped: list[SkippedRow]
    warnings: list[str]
    files: list[tuple[str, str]]  # (name, sha256)

    def require_rows(self, what: str = "nama unit dan nama inovasi") -> "LoadResult":
        """Raise when no sheet could be used, or the sheets used hold no innovation row (a header
        alone is never an upload), naming the files and what is expected."""
        names = ", ".join(n for n, _ in self.files) or "berkas"
        if not any(s.used for s in self.sheets):
            raise InputError(
                f"Tidak ada lembar dengan kolom {what} di {names}; "
                "pastikan ada baris judul kolom seperti 'Perangkat Daerah' dan 'Nama Inovasi'."
            )
        if self.rows.empty:
            raise InputError(f"Tidak ada baris inovasi di {names} (hanya judul kolom, atau semua baris dilewati); "
                             "isi datanya atau pilih berkas ekspor yang lain.")
        return self


# ---------------------------------------------------------------- raw grids

@dataclass
class _Grid:
    sheet: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    hidden: bool = False


def _excel_grids(src: Source) -> list[_Grid]:
    encrypted = InputError(f"{src.name} dilindungi kata sandi; simpan ulang tanpa kata sandi lalu unggah lagi.")
    if src.data.startswith(_OLE_MAGIC) and _ENCRYPTED_MARK in src.data:
        raise encrypted
    try:
        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(src.data))
        grids = []
        for meta in wb.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            grids.append(
                _Grid(
                    sheet=meta.name,
                    rows=sheet.to_python(skip_empty_area=False),
                    merged=list(sheet.merged_cell_ranges or []),
                    hidden=meta.visible != calamine.SheetVisibleEnum.Visible,
                )
            )
        return grids
    except calamine.PasswordError:
        raise encrypted from None
    except Exception:  # calamine raises several types for damaged files
        raise InputError(
            f"{src.name} tidak dapat dibaca sebagai berkas Excel (rusak atau bukan .xlsx/.xls); "
            "buka di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi."
        ) from None


def _decode_text(src: Source) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return src.data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return src.data.decode("latin-1")


def _csv_grids(src: Source) -> list[_Grid]:
    text = _decode_text(src)
    # newline="": lines may end in CR alone (old Mac exports), and quoted fields may hold line breaks.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        rows = [list(r) for r in reader]
    except csv.Error:  # an unclosed quote swallowing the rest of the file, mostly
        raise InputError(f"{src.name}: baris {reader.line_num} tidak dapat dibaca sebagai CSV (tanda kutip \" "
                         "yang tidak ditutup, atau satu isian lebih dari 128 KB); perbaiki di Excel lalu unggah lagi.") from None
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([""] * (width - len(r)))
    return [_Grid(sheet=Path(src.name).stem, rows=rows, merged=[])]


def _delimiter(text: str) -> str:
    """The separator that splits most lines into the same number (> 1) of fields.

    Sturdier than csv.Sniffer on staff files: a title line with commas above a
    semicolon table, or decimal commas ("72,5") inside semicolon rows.
    """
    lines = [line for line in text.splitlines()[:100] if line.strip()]

    def consistency(delimiter: str) -> tuple[int, int]:
        counts = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter))
        width, lines_with_width = max(((w, n) for w, n in counts.items() if w > 1), key=lambda x: (x[1], x[0]),
                                      default=(1, 0))
        return lines_with_width, width

    return max(";,\t|", key=consistency)


def _grids(src: Source) -> list[_Grid]:
    if not src.data:
        raise InputError(f"{src.name} kosong (0 byte); ekspor ulang lalu unggah lagi.")
    ext = Path(src.name).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise InputError(f"Format {src.name} tidak didukung; unggah berkas .xlsx, .xlsm, .xls atau .csv.")
    if src.data.startswith(b"PK\x03\x04") or src.data.startswith(_OLE_MAGIC):
        return _excel_grids(src)  # the content decides: an .xls saved as .xlsx still reads
    if ext != ".csv":
        raise InputError(
            f"{src.name} bukan berkas Excel yang sah (isinya tidak dikenali); "
            "buka di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi."
        )
    if b"\x00" in src.data[:4096]:
        raise InputError(f"{src.name} bukan teks CSV (isinya tidak dikenali); unggah berkas .xlsx, .xlsm, .xls atau .csv.")
    return _csv_grids(src)


# ----------------------------------------------------------- header mapping

@cache
def _synonyms() -> dict[str, tuple[int, str]]:
    """Compact header label -> (rank among the field's synonyms, field)."""
    exact: dict[str, tuple[int, str]] = {}
    for spec in column_fields():
        for rank, syn in enumerate(spec.synonyms):
            exact.setdefault(compact_key(syn), (rank, spec.name))
    return exact


def cell_text(value: Any) -> str:
    """A cell as trimmed single-spaced text; whole floats lose their '.0'."""
    if isinstance(value, str):
        text = value.strip()
        # Collapsing inner whitespace is rarely needed; checking first is cheaper than always splitting.
        if "  " in text or "\n" in text or "\t" in text or "\xa0" in text or "\r" in text:
            text = " ".join(text.split())
        return text
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    return " ".join(str(value).split())


@cache
def _indicator_names() -> dict[str, int]:
    """Compact indicator name ("regulasiinovasidaerah") -> number, from every rule year."""
    return {compact_key(name): number for number, names in indicator_names().items() for name in names}


def _indicator_of(label: str) -> int | None:
    """16 for "16", "I16", "Indikator 16", "16. Regulasi Inovasi Daerah" or "Regulasi Inovasi Daerah"."""
    m = _INDICATOR_HEADER.match(norm_text(label))
    if m and int(m[1]) in INDICATOR_NUMBERS:
        return int(m[1])
    return _indicator_names().get(compact_key(label))


@lru_cache(maxsize=8192)
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


def _row_texts(row: list[Any]) -> list[str]:
    return [cell_text(v) for v in row]


@dataclass
class _Header:
    row: int  # 0-based index of the (top) header row
    data_start: int
    labels: list[str]
    mapping: dict[str, int]
    key: str
    notes: list[str] = field(default_factory=list)  # choices the operator should know about


def _best_guess_header(grid: _Grid) -> int | None:
    """The row that looks most like a header (most text cells), for manual mapping."""
    best, best_count = None, 1
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        count = sum(1 for v in row if isinstance(v, str) and v.strip())
        if count > best_count:
            best, best_count = r, count
    return best


def _find_header(
    grid: _Grid,
    required: Sequence[str],
    remembered: Mapping[str, Mapping[str, int]],
) -> _Header | None:
    best: _Header | None = None
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        labels = _row_texts(row)
        if sum(1 for x in labels if x) < len(required):
            continue
        key = header_key(labels)
        if key in remembered:
            mapping = {f: int(c) for f, c in remembered[key].items() if 0 <= int(c) < len(labels)}
            return _with_subheader(grid, _Header(r, r + 1, labels, mapping, key), fixed=True)
        mapping = map_header(labels)
        if all(f in mapping for f in required) and (best is None or len(mapping) > len(best.mapping)):
            best = _Header(r, r + 1, labels, mapping, key)
    return _prefer_specific_unit(grid, _with_subheader(grid, best)) if best else None


def _with_subheader(grid: _Grid, h: _Header, fixed: bool = False) -> _Header:
    """Take in a second header row and skip a row of column numbers ('1 2 3' or '(1) (2)') under the header.

    Two-row headers come in two shapes: a group label merged across columns
    over sub-labels ("Inovasi" over "Nama | Skor Kematangan | Tanggal Input",
    "Indikator" over "16 | 17 | ..."), or key columns merged down with the
    other labels on the second row.
    """
    nxt = h.row + 1
    if nxt < len(grid.rows):
        labels = _two_row_labels(grid, h, _row_texts(grid.rows[nxt]))
        if labels is not None:
            mapping = h.mapping if fixed else map_header(labels)
            if all(f in mapping for f in ("unit", "innovation") if f in h.mapping):
                h = _Header(h.row, nxt + 1, labels, mapping, h.key, h.notes)
    if h.data_start < len(grid.rows) and _is_numbering_row(_row_texts(grid.rows[h.data_start])):
        h.data_start += 1
    return h


def _two_row_labels(grid: _Grid, h: _Header, sub: list[str]) -> list[str] | None:
    """Labels combining the header row with the row under it, or None when that row is data."""
    groups: dict[int, str] = {}  # column -> label of the group merged across it
    for (r0, c0), (r1, c1) in grid.merged:
        if r0 <= h.row <= r1 and c1 > c0 and c0 < len(h.labels):
            groups.update({c: h.labels[c0] for c in range(c0, min(c1, len(h.labels) - 1) + 1)})
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
    return len(text) <= 60 and (not _NUMERIC.fullmatch(text) or _indicator_of(text) is not None)


def _prefer_specific_unit(grid: _Grid, h: _Header) -> _Header:
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


# --------------------------------------------------------------- data rows

def _fill_merged_down(grid: _Grid, start: int) -> None:
    """A unit name merged over its innovations' rows belongs to each of them."""
    for (r0, c0), (r1, _c1) in grid.merged:
        if r1 <= r0 or r1 < start:
            continue
        top = grid.rows[r0][c0] if r0 < len(grid.rows) and c0 < len(grid.rows[r0]) else ""
        for r in range(max(r0 + 1, start), min(r1, len(grid.rows) - 1) + 1):
            if c0 < len(grid.rows[r]):
                grid.rows[r][c0] = top


def _columns(body: list[list[Any]], wanted: set[int]) -> dict[int, np.ndarray]:
    """The wanted columns of the sheet body as object arrays (one C-level pass over the rows)."""
    width = len(body[0])
    if all(len(r) == width for r in body):
        grid = np.empty((len(body), width), dtype=object)
        grid[:] = body
        return {c: grid[:, c] for c in wanted if c < width}
    transposed = list(itertools.zip_longest(*body, fillvalue=""))
    return {c: np.array(transposed[c], dtype=object) for c in wanted if c < len(transposed)}


def _row_reasons(body: list[list[Any]], h: _Header, unit: pd.Series, innovation: pd.Series,
                 score: np.ndarray | None, needs_innovation: bool) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Why each row is not an innovation ("" when it is), its text for the report, and whether it has content.

    Cheap column checks find the rows that look odd (a key cell empty, a
    totals or header word, a signature or note without a score); only those
    are examined cell by cell.
    """
    index = unit.index
    no_unit = unit == ""
    no_innov = (innovation == "") if needs_innovation else pd.Series(False, index=index)
    reason = pd.Series("", index=index, dtype=object)
    reason[no_innov] = "nama inovasi kosong"
    reason[no_unit] = "nama unit kosong"
    reason[no_unit & no_innov] = "nama unit dan nama inovasi kosong"
    repeated_header = _header_word(unit, "unit")
    if "innovation" in h.mapping and repeated_header.any():
        repeated_header[repeated_header] = _header_word(innovation[repeated_header], "innovation")
    totals = _row_patterns()["totals"]
    totals_like = per_unique(unit, lambda u: bool(totals.match(norm_text(u))))
    numeric_name = pd.Series(needs_innovation and np.fromiter(
        (t[:1].isdigit() and _NUMERIC.fullmatch(t) is not None for t in innovation.tolist()), bool, len(innovation)),
        index=index)
    footer = _footer(body, h, unit, innovation, score)
    odd = no_unit | no_innov | totals_like | repeated_header | numeric_name | (footer != "")
    has_content = pd.Series(True, index=index)
    row_text = pd.Series("", index=index, dtype=object)
    for i in np.flatnonzero(odd.to_numpy()):
        texts = [t for t in map(cell_text, body[i]) if t]
        has_content[i] = bool(texts)
        row_text[i] = " | ".join(texts)
        if totals_like[i] or (texts and totals.match(norm_text(texts[0])) and (no_unit[i] or no_innov[i])):
            reason[i] = "baris jumlah/total"
        elif repeated_header[i]:
            reason[i] = "judul kolom berulang"
        elif footer[i] == "signature":
            reason[i] = "blok tanda tangan"
        elif footer[i] == "note":
            reason[i] = "baris catatan"
        elif numeric_name[i]:
            reason[i] = NUMERIC_NAME
    return reason, row_text, has_content


def _footer(body: list[list[Any]], h: _Header, unit: pd.Series, innovation: pd.Series,
            score: np.ndarray | None) -> pd.Series:
    """'signature' / 'note' for rows under the table, '' for the rest.

    Only rows without a score and without a row number before the key
    columns qualify: a numbered row is data whatever its text says. Titles
    and names under "Mengetahui," or "Bengkulu, 10 Juli 2024" belong to the
    block that line opens.
    """
    index = unit.index
    footer = pd.Series("", index=index, dtype=object)
    unscored = np.ones(len(index), bool) if score is None else ((score == "") | pd.isna(score))
    first_key = min(h.mapping.get("unit", 0), h.mapping.get("innovation", 0))
    candidates = [i for i in np.flatnonzero(unscored) if not _numbered(body[i], first_key)]
    if not candidates:
        return footer
    kinds = per_unique(pd.concat([unit[candidates], innovation[candidates]]), _footer_kind)
    first, second = kinds.iloc[:len(candidates)], kinds.iloc[len(candidates):]
    footer[candidates] = np.where(first != "", first, second)  # the unit cell says what the row is
    opens = _row_patterns()["block_start"]
    opened = [i for i in candidates if opens.match(norm_text(unit[i])) or _place_date(innovation[i])
              or _place_date(unit[i])]
    if opened:
        footer[[i for i in candidates if i > opened[0] and footer[i] == ""]] = "signature"
    return footer


def _numbered(row: list[Any], before: int) -> bool:
    """Whether a row number ("12") stands before the key columns: the mark of a data row."""
    texts = [cell_text(v) for v in row[:before]]
    return any(t.isdigit() for t in texts)


def _place_date(text: str) -> bool:
    """ "Bengkulu, 10 Juli 2024": where and when a letter was signed."""
    head, comma, tail = text.partition(",")
    return bool(comma) and 0 < len(head) <= 40 and parsing.parse_date_text(tail) is not None


def _footer_kind(text: str) -> str:
    """'signature' for "Mengetahui,", "NIP. ...", "Bengkulu, 10 Juli 2024", "Drs. H. Arif, M.Si";
    'note' for "Keterangan: ..."; '' otherwise."""
    if not text:
        return ""
    p = _row_patterns()
    if p["signature"].match(norm_text(text)) or p["title"].search(text) or _place_date(text):
        return "signature"
    return "note" if p["note"].match(text) else ""


def _text_column(values: np.ndarray | None, index: pd.Index) -> pd.Series:
    """A column as trimmed, single-spaced text ("" where empty or absent)."""
    if values is None:
        return pd.Series("", index=index, dtype=object)
    head = values[:500]
    if len(set(map(str, head))) > 0.9 * len(head):  # nearly all distinct (innovation names): no lookup table
        texts = np.empty(len(values), dtype=object)
        texts[:] = [cell_text(v) for v in values]
        return pd.Series(texts, index=index)
    return per_unique(pd.Series(values, index=index, dtype=object), cell_text)


def _sheet_rows(
    src: Source, grid: _Grid, h: _Header, order_start: int, required: Sequence[str]
) -> tuple[pd.DataFrame, list[SkippedRow], list[str]]:
    """Normalised innovation rows of one sheet, the rows set aside, and warnings."""
    _fill_merged_down(grid, h.data_start)
    body = grid.rows[h.data_start:]
    if not body:
        return empty_rows(), [], []
    index = pd.RangeIndex(len(body))
    excel_rows = np.arange(h.data_start + 1, h.data_start + 1 + len(body))
    get = h.mapping.get
    columns = _columns(body, set(h.mapping.values()))
    unit = _text_column(columns.get(get("unit")), index)
    innovation = _text_column(columns.get(get("innovation")), index)
    score = columns.get(get("score"))
    reason, row_text, has_content = _row_reasons(body, h, unit, innovation, score, "innovation" in required)
    keep = (has_content & (reason == "")).to_numpy()
    skipped_mask = has_content & (reason != "")
    skipped = [
        SkippedRow(src.name, grid.sheet, int(excel_rows[i]), reason.iat[i], _shorten(row_text.iat[i]))
        for i in np.flatnonzero(skipped_mask.to_numpy())
    ]
    doubtful = [int(excel_rows[i]) for i in np.flatnonzero(((reason == "blok tanda tangan") & (unit != "")
                                                            & (innovation != "")).to_numpy())]

    kept = {c: values[keep] for c, values in columns.items()}
    out = pd.DataFrame(index=pd.RangeIndex(int(keep.sum())))
    out["order"] = np.arange(order_start, order_start + len(out))
    out["file"] = src.name
    out["sheet"] = grid.sheet
    out["row"] = excel_rows[keep]
    for name in TEXT_FIELDS:
        done = {"unit": unit, "innovation": innovation}.get(name)
        text = done[keep].to_numpy() if done is not None else _text_column(kept.get(get(name)), out.index)
        out[name] = pd.Series(text, index=out.index, dtype=object)
    warnings = [f"{src.name} › {grid.sheet}: {note}." for note in h.notes]
    if doubtful:
        warnings.append(f"{src.name} › {grid.sheet}: {len(doubtful)} baris berisi nama unit dan nama inovasi "
                        f"dianggap blok tanda tangan (baris {', '.join(map(str, doubtful[:10]))}); "
                        "periksa bila ternyata inovasi.")
    score_col = get("score")
    if score_col is not None:
        out["score"], problems = parsing.parse_scores(pd.Series(kept[score_col], index=out.index))
        warnings += _problem_warnings(src, grid, out, problems, {
            parsing.SCORE_OUT_OF_RANGE: "nilai di luar rentang 0–111 dianggap belum dinilai",
            parsing.SCORE_UNREADABLE: "nilai tidak terbaca sebagai angka dianggap belum dinilai",
        })
    else:
        out["score"] = np.nan
    date_col = get("input_date")
    if date_col is not None:
        out["input_date"], bad = parsing.parse_dates(pd.Series(kept[date_col], index=out.index))
        warnings += _problem_warnings(src, grid, out, bad.map({True: "bad", False: ""}), {
            "bad": "tanggal input tidak terbaca (diharapkan mis. 10/07/2024 atau 10 Juli 2024)",
        })
    else:
        out["input_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    sheet_type = type_from_label(grid.sheet)
    column_type = out["type_label"].map(type_from_label)
    out["type_hint"] = column_type.where(column_type.notna(), sheet_type).fillna("").astype(object)
    unknown_types = sorted(set(out.loc[(out["type_label"] != "") & column_type.isna(), "type_label"]))
    if unknown_types:
        warnings.append(
            f"{src.name} › {grid.sheet}: jenis unit tidak dikenal ({', '.join(unknown_types[:5])}); "
            "jenis ditentukan dari nama lembar atau nama unit."
        )
    for n in INDICATOR_NUMBERS:
        col = get(f"ind_{n}")
        out[f"ind_{n}"] = _levels(pd.Series(kept[col], index=out.index)) if col is not None else np.nan
    return out[ROW_COLUMNS], skipped, warnings


def _header_word(values: pd.Series, field_name: str) -> pd.Series:
    """Cells that are themselves a header label of the field (a header repeated mid-sheet)."""
    synonyms = _synonyms()

    def is_label(v: str) -> bool:
        hit = synonyms.get(compact_key(v))
        if hit is None and _HEADER_SPLIT.search(v):  # "Perangkat Daerah / Unit Kerja"
            hit = (_label_field(v) or (0, 0, ""))[1:]
        return hit is not None and hit[1] == field_name

    return per_unique(values, is_label)


def _levels(values: pd.Series) -> pd.Series:
    """Indicator parameter levels 0-3; anything else is missing."""
    levels = parsing.parse_scores(values, max_score=3)[0]
    return levels.where(levels == levels.round())


def _problem_warnings(src: Source, grid: _Grid, out: pd.DataFrame, problems: pd.Series,
                      messages: Mapping[str, str]) -> list[str]:
    warnings = []
    for code, message in messages.items():
        rows = out["row"][(problems == code).to_numpy()].tolist()
        if rows:
            shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
            warnings.append(f"{src.name} › {grid.sheet}: {len(rows)} {message} (baris {shown}).")
    return warnings


def _shorten(text: str, limit: int = 80) -> str:
    text = " | ".join(p for p in text.split(" | ") if p)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -------------------------------------------------------------- entry point

def read_sources(
    sources: Iterable[Source],
    required: Sequence[str] = EXPORT_REQUIRED,
    remembered: Mapping[str, Mapping[str, int]] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> LoadResult:
    """Read files, in the order given, into one table of normalised rows.

    `remembered` maps a header layout key to a manual {field: column} mapping
    chosen by an operator; `progress(done, total, name)` is called before each
    file. Unreadable files raise InputError; sheets without the required
    columns are reported, not raised: call `require_rows()`.
    """
    sources = list(sources)
    remembered = remembered or {}
    frames, sheets, skipped, warnings = [], [], [], []
    order = 0
    with _gc_paused():
        for done, src in enumerate(sources):
            if progress:
                progress(done, len(sources), src.name)
            for grid in _grids(src):
                report, rows, sheet_skipped, sheet_warnings = _read_sheet(src, grid, required, remembered, order)
                sheets.append(report)
                if rows is not None:
                    frames.append(rows)
                    order += len(rows)
                skipped += sheet_skipped
                warnings += sheet_warnings
    rows = pd.concat(frames, ignore_index=True) if frames else empty_rows()
    return LoadResult(rows, sheets, skipped, warnings, [(src.name, src.sha256) for src in sources])


def _read_sheet(
    src: Source, grid: _Grid, required: Sequence[str], remembered: Mapping[str, Mapping[str, int]], order: int
) -> tuple[SheetReport, pd.DataFrame | None, list[SkippedRow], list[str]]:
    """One sheet: its report, and its rows when it has the required columns."""
    report = SheetReport(src.name, grid.sheet, used=False)
    if not any(cell_text(v) for row in grid.rows for v in row):
        report.reason = "lembar kosong"
        return report, None, [], []
    h = _find_header(grid, required, remembered)
    if h is None or not all(f in h.mapping for f in required):
        guess = _best_guess_header(grid)
        if guess is not None:
            report.header_row = guess + 1
            report.headers = _row_texts(grid.rows[guess])
            report.header_key = header_key(report.headers)
            report.samples = _first_row_under(grid, guess + 1, len(report.headers))
        report.reason = "tidak ada kolom " + " dan ".join(f"'{field_label(f)}'" for f in required)
        return report, None, [], []
    rows, skipped, warnings = _sheet_rows(src, grid, h, order, required)
    numeric = sum(1 for r in skipped if r.reason == NUMERIC_NAME)
    if numeric > len(rows):
        report.reason = "lembar ringkasan: kolom inovasi berisi angka, bukan nama inovasi"
        return report, None, [], []
    if grid.hidden:
        warnings = [f"{src.name} › {grid.sheet}: lembar tersembunyi ikut dibaca; sembunyikan bukan cara "
                    "mengecualikan data — hapus lembar itu bila isinya tidak dipakai.", *warnings]
    if not len(rows):
        warnings.append(f"{src.name} › {grid.sheet}: tidak ada baris inovasi di bawah judul kolom.")
    report.used = True
    report.header_row = h.row + 1
    report.headers = h.labels
    report.header_key = h.key
    report.samples = _first_row_under(grid, h.data_start, len(h.labels))
    report.columns = {f: h.labels[c] for f, c in h.mapping.items()}
    report.mapping = dict(h.mapping)
    report.rows = len(rows)
    report.skipped = len(skipped)
    return report, rows, skipped, warnings


def _first_row_under(grid: _Grid, start: int, width: int) -> list[str]:
    """Texts of the first non-empty row from `start` (merged cells not yet filled)."""
    for row in grid.rows[start:start + 20]:
        texts = _row_texts(row)[:width]
        if any(texts):
            return texts + [""] * (width - len(texts))
    return [""] * width


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Reading builds hundreds of thousands of short-lived cells without cycles; the cyclic
    collector would rescan them again and again (about 5% of a national-scale read)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def empty_rows() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in ROW_COLUMNS})
    frame["input_date"] = frame["input_date"].astype("datetime64[ns]")
    for c in ["order", "row"]:
        frame[c] = frame[c].astype(int)
    for c in ["score", *INDICATOR_COLUMNS]:
        frame[c] = frame[c].astype(float)
    return frame

