"""Files to grids: every worksheet of an .xlsx/.xlsm/.xls (python-calamine, with merged ranges) or a CSV.

The content decides the format (an .xls saved as .xlsx still reads); a damaged,
encrypted or unsupported file becomes an InputError that says what to do. A CSV
may be UTF-8 (with or without BOM), Windows-1252 or UTF-16 ("Unicode Text" saved
by Excel, tab-separated), with any line ending. python-calamine reads a cell
holding an Excel error (#N/A) as empty; `Grid.error_cells` finds them in the
sheet's XML, only when a sheet has empty cells where it matters.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import python_calamine as calamine

from ..errors import InputError
from .model import SUPPORTED_EXTENSIONS, Source

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>(?:(?!</?(?:\w+:)?c\b).)*?<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>", re.S)
_ERROR_TYPE = re.compile(rb"\bt=\"e\"")
_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d+)\"")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class Grid:
    sheet: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    hidden: bool = False
    # (row, column) -> "#N/A" of cells holding an Excel error, looked up on demand (None: the format has none).
    error_cells: Callable[[], dict[tuple[int, int], str]] | None = None


def _excel_grids(src: Source) -> list[Grid]:
    encrypted = InputError(f"{src.name} dilindungi kata sandi; simpan ulang tanpa kata sandi lalu unggah lagi.")
    if src.data.startswith(_OLE_MAGIC) and _ENCRYPTED_MARK in src.data:
        raise encrypted
    try:
        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(src.data))
        zipped = src.data.startswith(b"PK\x03\x04")
        grids = []
        for meta in wb.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            grids.append(
                Grid(
                    sheet=meta.name,
                    rows=sheet.to_python(skip_empty_area=False),
                    merged=list(sheet.merged_cell_ranges or []),
                    hidden=meta.visible != calamine.SheetVisibleEnum.Visible,
                    error_cells=_error_lookup(src.data, meta.name) if zipped else None,
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


def _error_lookup(data: bytes, sheet: str) -> Callable[[], dict[tuple[int, int], str]]:
    """A function finding the error cells of one sheet of an .xlsx, called only when needed (then kept)."""
    @functools.cache
    def find() -> dict[tuple[int, int], str]:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                part = _sheet_part(archive, sheet)
                return _error_cells(archive.read(part)) if part else {}
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
            return {}  # the sheet itself was read; only the errors cannot be told from empty cells
    return find


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip part holding a sheet: workbook.xml names it, its relationships give the file."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rid = next((e.get(_REL_NS) for e in workbook.iter() if e.tag.endswith("}sheet") and e.get("name") == sheet), None)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((e.get("Target", "") for e in rels if e.get("Id") == rid), "")
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)


def _error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> error text of every cell of type "e" in a sheet's XML (0-based, as the grid)."""
    found = {}
    for m in _ERROR_CELL.finditer(xml):
        attributes = m[1]
        ref = _CELL_REF.search(attributes)
        if ref is None or not _ERROR_TYPE.search(attributes):
            continue
        column = 0
        for letter in ref[1]:
            column = column * 26 + letter - 64
        found[(int(ref[2]) - 1, column - 1)] = m[2].decode("utf-8", "replace")
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
        raise InputError(f"{src.name} bukan teks CSV (isinya tidak dikenali); unggah berkas .xlsx, .xlsm, .xls atau .csv.")
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
    return [Grid(sheet=Path(src.name).stem, rows=rows, merged=[])]


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
        width, lines_with_width = max(((w, n) for w, n in counts.items() if w > 1), key=lambda x: (x[1], x[0]),
                                      default=(1, 0))
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

