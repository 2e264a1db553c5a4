"""Files to grids: every worksheet of an .xlsx/.xlsm/.xls (python-calamine, with merged ranges) or a CSV.

The content decides the format (an .xls saved as .xlsx still reads); a damaged,
encrypted or unsupported file becomes an InputError that says what to do.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine

from ..errors import InputError
from .model import SUPPORTED_EXTENSIONS, Source

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


@dataclass
class Grid:
    sheet: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    hidden: bool = False


def _excel_grids(src: Source) -> list[Grid]:
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
                Grid(
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


def _csv_grids(src: Source) -> list[Grid]:
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
    return [Grid(sheet=Path(src.name).stem, rows=rows, merged=[])]


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
    if b"\x00" in src.data[:4096]:
        raise InputError(f"{src.name} bukan teks CSV (isinya tidak dikenali); unggah berkas .xlsx, .xlsm, .xls atau .csv.")
    return _csv_grids(src)

