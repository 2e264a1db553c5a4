"""Files to grids: every worksheet of an .xlsx/.xlsm/.xls (fastexcel, straight into Arrow columns) or a CSV.

A grid is a sheet as columns. An Excel sheet is read by fastexcel in one pass
as Arrow text columns, without a Python object per cell: numbers, dates and
booleans arrive as their text ("72.5", "2024-07-10 09:00:00", "true") and are
read back as the values python-calamine gives (72.5, a datetime, True) only
where a step needs a value, and only once per distinct text. Rows are built
as Python lists only for the few rows a step looks at (the header search, rows
set aside). A CSV is text already.

The content decides the format (an .xls saved as .xlsx still reads); a damaged,
encrypted or unsupported file becomes an InputError that says what to do. A CSV
may be UTF-8 (with or without BOM), Windows-1252 or UTF-16 ("Unicode Text" saved
by Excel, tab-separated), with any line ending. fastexcel reads a cell holding
an Excel error (#N/A) as empty and knows no merged cells: both are found in the
sheet's XML (python-calamine for a legacy .xls), only when a sheet has empty
cells where they could matter, so a national export never pays for them.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeAlias
from xml.etree import ElementTree

import fastexcel
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from .model import SUPPORTED_EXTENSIONS, Source, cell_text

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")

_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>(?:(?!</?(?:\w+:)?c\b).)*?<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>", re.S)
_ERROR_TYPE = re.compile(rb"\bt=\"e\"")
_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# The text fastexcel gives a number (at most nine decimals), a date and time, or a boolean.
_NUMBER_TEXT = re.compile(r"-?\d+(?:\.\d+)?")
DATETIME_TEXT = r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?"
_DATETIME_TEXT = re.compile(DATETIME_TEXT)
_RENDERED = r"^(?:-?\d+(?:\.\d+)?|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|true|false)$"
# Rendered texts whose cell_text differs from the text itself (a plain number's does not: "72.5", "80").
_RENDERED_TEXT = r"^(?:-0|-?0\.0000\d*|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|true|false)$"
# Text cell_text would change: whitespace at either end, two in a row, or other than a plain space.
_WS = (
    "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}"
)
_UNTIDY = f"^[{_WS}]|[{_WS}]$|[{_WS}][{_WS}]|[\\t\\n\\r\\xa0]"

Merge = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first column), (last row, last column)), 0-based
Column: TypeAlias = "pa.Array | np.ndarray"  # Arrow text (null where empty), or Python values ("" where empty)


@dataclass
class Grid:
    """One sheet as columns of equal height.

    Arrow columns hold text; in a `rendered` grid (fastexcel) a number, date or
    boolean cell holds the text fastexcel gives it. NumPy columns hold Python
    values as python-calamine gives them (a wide recap melted, tests).
    """

    sheet: str
    columns: list[Column]
    height: int
    hidden: bool = False
    rendered: bool = False
    # Merged ranges and error cells, looked up on demand (None: the format has none).
    merged_lookup: Callable[[], list[Merge]] | None = None
    error_cells: Callable[[], dict[tuple[int, int], str]] | None = None
    _texts: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def from_rows(
        cls, sheet: str, rows: list[list[Any]], merged: list[Merge] | None = None, hidden: bool = False
    ) -> Grid:
        """A grid of Python values (rows padded with "" to the widest)."""
        width = max((len(r) for r in rows), default=0)
        table = np.full((len(rows), width), "", dtype=object)
        for i, row in enumerate(rows):
            table[i, : len(row)] = row
        saved = list(merged or [])
        return cls(
            sheet,
            [table[:, c].copy() for c in range(width)],
            len(rows),
            hidden,
            merged_lookup=(lambda: saved) if saved else None,
        )

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def merged(self) -> list[Merge]:
        return self.merged_lookup() if self.merged_lookup is not None else []

    def row(self, r: int) -> list[Any]:
        """Row r as python-calamine gives it: "" where empty, numbers, dates and booleans as values."""
        out = []
        for column in self.columns:
            value = column[r]
            if isinstance(column, np.ndarray):
                out.append(value)
            else:
                text = value.as_py()
                out.append("" if text is None else typed(text) if self.rendered else text)
        return out

    def rows(self, start: int = 0, stop: int | None = None) -> list[list[Any]]:
        return [self.row(r) for r in range(max(start, 0), min(self.height if stop is None else stop, self.height))]

    def texts(self, c: int) -> np.ndarray:
        """Column c as cell_text gives each cell (trimmed, single-spaced; "" where empty), once per distinct cell."""
        if c not in self._texts:
            column = self.columns[c]
            self._texts[c] = _per_distinct(
                column,
                _text_of if self.rendered else cell_text,
                pattern="|".join([_UNTIDY, *([_RENDERED_TEXT] if self.rendered else [])]),
            )
        return self._texts[c]

    def values(self, c: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Column c (or some of its rows) as python-calamine gives each cell ("" where empty), read once per
        distinct text."""
        column = self.columns[c]
        if isinstance(column, np.ndarray):
            return column if rows is None else column[rows]
        part = column if rows is None else column.take(pa.array(rows, type=pa.int64()))
        return _per_distinct(part, typed if self.rendered else _same, pattern=_RENDERED if self.rendered else "")

    def blank(self, c: int) -> np.ndarray:
        """Cells of column c that hold no text (empty, or only spaces), without reading their text."""
        column = self.columns[c]
        if c in self._texts or isinstance(column, np.ndarray):
            return self.texts(c) == ""
        spaces = pc.match_substring_regex(column, f"^[{_WS}]*$").fill_null(True)
        return spaces.to_numpy(zero_copy_only=False)

    def has_text(self) -> bool:
        """Whether any cell holds text (an empty sheet is reported as such)."""
        for column in self.columns:
            if isinstance(column, np.ndarray):
                if any(cell_text(v) for v in column):
                    return True
            elif pc.any(pc.match_substring_regex(column, f"[^{_WS}]")).as_py():
                return True
        return False

    def empty_below(self, start: int) -> bool:
        """Whether any cell from row `start` down is empty: only there can a merged range lie (Excel keeps no
        value in the cells a merged range covers), so a sheet without one never looks its ranges up."""
        for column in self.columns:
            if isinstance(column, np.ndarray):
                if (column[start:] == "").any():
                    return True
            elif column.slice(start).null_count:
                return True
        return False

    def write(self, c: int, rows: list[int], values: list[Any]) -> None:
        """Cells of column c written (a merged range's value filled down, an Excel error put back): the new
        values are raw cells as the column holds them (text in an Arrow column)."""
        column = self.columns[c]
        if isinstance(column, np.ndarray):
            cells = column.copy()
            cells[rows] = values
            self.columns[c] = cells
        else:
            cells = column.to_numpy(zero_copy_only=False).astype(object)
            cells[rows] = values
            self.columns[c] = pa.array(cells, type=pa.string())
        self._texts.pop(c, None)

    def raw(self, r: int, c: int) -> Any:
        """One cell as the column holds it (Arrow text or None; a Python value)."""
        value = self.columns[c][r]
        return value if isinstance(self.columns[c], np.ndarray) else value.as_py()

    def body(self, start: int, stop: int | None = None) -> Body:
        return Body(self, start, self.height if stop is None else stop)


@dataclass(frozen=True)
class Body:
    """Rows [start, stop) of a grid: a table's body, indexed from 0."""

    grid: Grid
    start: int
    stop: int

    def __len__(self) -> int:
        return self.stop - self.start

    def row(self, i: int) -> list[Any]:
        return self.grid.row(self.start + i)

    def texts(self, c: int) -> np.ndarray:
        return self.grid.texts(c)[self.start : self.stop]

    def blank(self, c: int) -> np.ndarray:
        return self.grid.blank(c)[self.start : self.stop]

    def values(self, c: int, rows: np.ndarray | None = None) -> np.ndarray:
        return self.grid.values(c, self.start + (np.arange(len(self)) if rows is None else rows))

    def empty(self, c: int) -> np.ndarray:
        """Cells of column c that are empty (no value at all, as an error cell or a merged range's other cells)."""
        column = self.grid.columns[c]
        if isinstance(column, np.ndarray):
            return column[self.start : self.stop] == ""
        return column.slice(self.start, len(self)).is_null().to_numpy(zero_copy_only=False)

    def head(self, n: int) -> Body:
        return Body(self.grid, self.start, self.start + n)


def _same(value: Any) -> Any:
    return value


def _per_distinct(column: Column, fn: Callable[[Any], Any], pattern: str) -> np.ndarray:
    """`fn` of every cell, called once per distinct cell; on Arrow text only for the distinct texts matching
    `pattern` (the others are already what `fn` gives), so most texts never pass through Python code."""
    if isinstance(column, np.ndarray):
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        mapped = np.empty(len(uniques), dtype=object)
        mapped[:] = [fn(u) for u in uniques]
        return mapped[codes]
    encoded = pc.dictionary_encode(column)
    dictionary = encoded.dictionary
    mapped = np.empty(len(dictionary) + 1, dtype=object)
    mapped[-1] = ""  # empty cells
    if len(dictionary):
        mapped[:-1] = dictionary.to_numpy(zero_copy_only=False)
        if pattern:
            for i in np.flatnonzero(pc.match_substring_regex(dictionary, pattern).to_numpy(zero_copy_only=False)):
                mapped[i] = fn(mapped[i])
    return mapped[encoded.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)]


def typed(text: str) -> Any:
    """The value python-calamine gives a cell fastexcel gave as this text: 72.5, a date, a time, True, or the text."""
    if _NUMBER_TEXT.fullmatch(text):
        return float(text)
    if (m := _DATETIME_TEXT.fullmatch(text)) is not None:
        y, mo, d, hh, mm, ss = (int(x) for x in m.groups()[:6])
        micro = int((m[7] or "0").ljust(6, "0")[:6])
        if (y, mo, d) in ((1899, 12, 31), (1899, 12, 30)):  # a time of day alone
            return dt.time(hh, mm, ss, micro)
        if (hh, mm, ss, micro) == (0, 0, 0, 0):
            return dt.date(y, mo, d)
        return dt.datetime(y, mo, d, hh, mm, ss, micro)
    if text in ("true", "false"):
        return text == "true"
    return text


def _text_of(text: str) -> str:
    """cell_text of the value a rendered cell stands for."""
    return cell_text(typed(text))


def _excel_grids(src: Source) -> list[Grid]:
    encrypted = InputError(f"{src.name} dilindungi kata sandi; simpan ulang tanpa kata sandi lalu unggah lagi.")
    if src.data.startswith(_OLE_MAGIC) and _ENCRYPTED_MARK in src.data:
        raise encrypted
    zipped = src.data.startswith(b"PK\x03\x04")
    try:
        reader = fastexcel.read_excel(src.data)
        kinds = _worksheets(src.data) if zipped else _legacy_worksheets(src.data)
        grids = []
        for name in reader.sheet_names:
            if kinds is not None and name not in kinds:
                continue  # a chart sheet, a dialog or macro sheet
            first: list[int] = []

            def every(column: Any, first: list[int] = first) -> bool:
                first.append(column.absolute_index)  # fastexcel leaves out empty columns on the left
                return True

            # Eager: fastexcel reads the sheet borrowing its shared strings, about 15% faster than a lazy sheet.
            batch = reader.load_sheet(
                name, header_row=None, skip_rows=0, dtypes="string", schema_sample_rows=1, use_columns=every, eager=True
            )
            columns: list[Column] = [pa.nulls(batch.num_rows, pa.string())] * min(first, default=0)
            columns += [batch.column(i) for i in range(batch.num_columns)]
            merged = _zip_lookup(src.data, name, 0) if zipped else _legacy_merges(src.data, name)
            grids.append(
                Grid(
                    sheet=name,
                    columns=columns,
                    height=batch.num_rows,
                    hidden=kinds is not None and kinds[name],
                    rendered=True,
                    merged_lookup=merged,
                    error_cells=_zip_lookup(src.data, name, 1) if zipped else None,
                )
            )
        return grids
    except InputError:
        raise
    except Exception as exc:  # the reader raises several types for damaged files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise encrypted from None
        raise InputError(
            f"{src.name} tidak dapat dibaca sebagai berkas Excel (rusak atau bukan .xlsx/.xls); "
            "buka di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi."
        ) from None


def _worksheets(data: bytes) -> dict[str, bool] | None:
    """An .xlsx's worksheets (not chart sheets) and whether each is hidden; None when the workbook part cannot
    tell (fastexcel then reads what it finds)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return None
    kinds = {e.get("Id"): e.get("Type", "").rsplit("/", 1)[-1] for e in rels}
    return {
        e.get("name", ""): e.get("state", "visible") != "visible"
        for e in workbook.iter()
        if e.tag.endswith("}sheet") and kinds.get(e.get(_REL_NS)) == "worksheet"
    }


def _legacy_worksheets(data: bytes) -> dict[str, bool]:
    """A legacy .xls's worksheets and whether each is hidden (python-calamine knows; such files are small)."""
    import python_calamine as calamine

    wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {
        m.name: m.visible != calamine.SheetVisibleEnum.Visible
        for m in wb.sheets_metadata
        if m.typ == calamine.SheetTypeEnum.WorkSheet
    }


def _legacy_merges(data: bytes, sheet: str) -> Callable[[], list[Merge]]:
    """A legacy .xls's merged ranges, read by python-calamine when first asked for."""

    @functools.cache
    def find() -> list[Merge]:
        import python_calamine as calamine

        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return list(wb.get_sheet_by_name(sheet).merged_cell_ranges or [])

    return find


def _zip_lookup(data: bytes, sheet: str, which: int) -> Callable[[], Any]:
    """A function giving one of what `_sheet_facts` finds in a sheet's XML (0: merged ranges, 1: error cells)."""
    return lambda: _sheet_facts(data, sheet)[which]


@functools.lru_cache(maxsize=4)
def _sheet_facts(data: bytes, sheet: str) -> tuple[list[Merge], dict[tuple[int, int], str]]:
    """The merged ranges and error cells of one sheet of an .xlsx, from one pass over its XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_part(archive, sheet)
            xml = archive.read(part) if part else b""
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return [], {}  # the sheet itself was read; only merges and errors cannot be told from empty cells
    return _merges(xml), _error_cells(xml) if b't="e"' in xml else {}


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip part holding a sheet: workbook.xml names it, its relationships give the file."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rid = next((e.get(_REL_NS) for e in workbook.iter() if e.tag.endswith("}sheet") and e.get("name") == sheet), None)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((e.get("Target", "") for e in rels if e.get("Id") == rid), "")
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _column_number(letters: bytes) -> int:
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column - 1


def _merges(xml: bytes) -> list[Merge]:
    """Merged ranges of a sheet's XML, 0-based, as python-calamine gives them."""
    tail = xml.rfind(b"</sheetData>")
    out = []
    for m in _MERGE_REF.finditer(xml, max(tail, 0)):
        first = (int(m[2]) - 1, _column_number(m[1]))
        last = (int(m[4]) - 1, _column_number(m[3])) if m[3] else first
        out.append((first, last))
    return out


def _error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> error text of every cell of type "e" in a sheet's XML (0-based, as the grid)."""
    found = {}
    for m in _ERROR_CELL.finditer(xml):
        attributes = m[1]
        ref = _CELL_REF.search(attributes)
        if ref is None or not _ERROR_TYPE.search(attributes):
            continue
        found[(int(ref[2]) - 1, _column_number(ref[1]))] = m[2].decode("utf-8", "replace")
    return found


def _decode_text(src: Source) -> str:
    data = src.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # Excel's "Unicode Text", with its byte order mark
    if len(data) > 3 and _looks_utf16(data):
        return data.decode("utf-16-le" if data[1] == 0 else "utf-16-be")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte order mark: every other byte of mostly-ASCII text is zero."""
    head = data[:4096]
    odd, even = head[1::2], head[0::2]
    return odd.count(0) > 0.7 * len(odd) or even.count(0) > 0.7 * len(even)


def _csv_grids(src: Source) -> list[Grid]:
    text = _decode_text(src)
    if "\x00" in text:
        raise InputError(
            f"{src.name} bukan teks CSV (isinya tidak dikenali); unggah berkas .xlsx, .xlsm, .xls atau .csv."
        )
    # newline="": lines may end in CR alone (old Mac exports), and quoted fields may hold line breaks.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        rows = [list(r) for r in reader]
    except csv.Error:  # an unclosed quote swallowing the rest of the file, mostly
        raise InputError(
            f'{src.name}: baris {reader.line_num} tidak dapat dibaca sebagai CSV (tanda kutip " '
            "yang tidak ditutup, atau satu isian lebih dari 128 KB); perbaiki di Excel lalu unggah lagi."
        ) from None
    return [Grid.from_rows(Path(src.name).stem, rows)]


def _delimiter(text: str) -> str:
    """The separator that splits most lines into the same number (> 1) of fields.

    Sturdier than csv.Sniffer on staff files: a title line with commas above a
    semicolon table, or decimal commas ("72,5") inside semicolon rows.
    """
    lines = [line for line in text.splitlines()[:100] if line.strip()]

    def consistency(delimiter: str) -> tuple[int, int]:
        try:
            counts = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            return 0, 0
        width, lines_with_width = max(
            ((w, n) for w, n in counts.items() if w > 1), key=lambda x: (x[1], x[0]), default=(1, 0)
        )
        return lines_with_width, width

    return max(";,\t|", key=consistency)


def read_grids(src: Source) -> list[Grid]:
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
    return _csv_grids(src)
