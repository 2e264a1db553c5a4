"""Workbooks built the way staff make them: title rows, merged cells, several sheets; and the actor tests write as."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import xlwt
from openpyxl import Workbook

from iga_data.accounts import Actor
from iga_data.reading import Source

Rows = Sequence[Sequence[Any]]


def xlsx(
    sheets: dict[str, Rows],
    merges: dict[str, Iterable[str]] | None = None,
    hidden: Iterable[str] = (),
    errors: dict[str, dict[str, str]] | None = None,
) -> bytes:
    """An .xlsx with one sheet per entry; merges are ranges like 'A1:E1' per sheet; errors are cells holding
    an Excel error value as a failed formula leaves it ({"Data": {"D3": "#N/A"}})."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for rng in (merges or {}).get(name, ()):
            ws.merge_cells(rng)
        for ref, value in (errors or {}).get(name, {}).items():
            ws[ref].value = value
            ws[ref].data_type = "e"  # written as <c t="e"><v>#N/A</v></c>, as Excel does
        if name in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls(sheets: dict[str, Rows], merges: dict[str, Iterable[tuple[int, int, int, int]]] | None = None) -> bytes:
    """A legacy .xls; merges are (first_row, last_row, first_col, last_col), 0-based."""
    wb = xlwt.Workbook()
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        merged = {(r0, c0): (r1, c1) for r0, r1, c0, c1 in (merges or {}).get(name, ())}
        covered = {
            (r, c) for (r0, c0), (r1, c1) in merged.items() for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
        }
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if (r, c) in merged:
                    r1, c1 = merged[(r, c)]
                    ws.write_merge(r, r1, c, c1, value)
                elif (r, c) not in covered:
                    ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: Rows, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if v is None else v for v in row] for row in rows
    )
    return buf.getvalue().encode(encoding)


def source(name: str, data: bytes) -> Source:
    return Source(name, data)


# Tests change data as the command line does: an operator, whatever accounts exist.
OPERATOR = Actor("penguji", "operator", "cli")

TITLE = [["REKAPITULASI INOVASI DAERAH KOTA BENGKULU TAHUN 2024"], ["Bappeda Kota Bengkulu"], []]
