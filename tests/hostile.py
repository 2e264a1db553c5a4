"""Hostile files for the guard's tests, each built from a small valid export.

CASES maps a name to (file name, builder, what the guard must answer): a piece of
the refusal's message, or the number of innovation rows when the file is merely odd
(a CSV whose lines end in CR alone is a real export and must be read).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable

import xlwt
from builders import csv_bytes, xlsx

HEADER = ["No", "Perangkat Daerah", "Nama Inovasi", "Skor Kematangan"]
ROWS = [HEADER, [1, "Dinas Sosial", "Sedekah Beras", 80], [2, "Dinas Kesehatan", "Posyandu Digital", 75]]
SHEET = "xl/worksheets/sheet1.xml"


def valid_xlsx() -> bytes:
    return xlsx({"Data": ROWS})


def rezip(
    data: bytes, change: dict[str, Callable[[bytes], bytes]] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """The archive with some parts rewritten or added (maximum compression, as a bomb maker would)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for part in source.infolist():
            body = source.read(part.filename)
            archive.writestr(part.filename, (change or {}).get(part.filename, lambda b: b)(body))
        for name, body in (add or {}).items():
            archive.writestr(name, body)
    return out.getvalue()


def dimension_bomb() -> bytes:
    """1.6 KB that declares a sheet of 17 billion cells."""
    return rezip(
        valid_xlsx(), {SHEET: lambda b: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', b)}
    )


def far_cell_bomb() -> bytes:
    """An honest small dimension, and one cell at the sheet's far corner: python-calamine
    allocates the whole grid and aborts the process when it cannot."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    return rezip(valid_xlsx(), {SHEET: lambda b: b.replace(b"</sheetData>", far)})


def shared_strings_bomb() -> bytes:
    """Three million shared strings (48 MB) squeezed into a few tens of KB."""
    count = 3_000_000
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (count, count)
        + b"<si><t>x</t></si>" * count
        + b"</sst>"
    )
    rel = (
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    return rezip(
        valid_xlsx(),
        {"xl/_rels/workbook.xml.rels": lambda b: b.replace(b"</Relationships>", rel)},
        add={"xl/sharedStrings.xml": strings},
    )


def declared_strings_bomb() -> bytes:
    """A small shared-strings part that declares a billion strings (readers size tables from it)."""
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000" '
        b'uniqueCount="1000000000"><si><t>x</t></si></sst>'
    )
    return rezip(valid_xlsx(), add={"xl/sharedStrings.xml": strings})


def whitespace_bomb() -> bytes:
    """A sheet padded with 60 MB of spaces between its rows."""
    return rezip(valid_xlsx(), {SHEET: lambda b: b.replace(b"</row>", b"</row>" + b" " * 60_000_000, 1)})


def lying_bomb() -> bytes:
    """The whitespace bomb with every declared unpacked size rewritten to 1 KB: only the
    child process's limits stand between it and the server."""
    data = bytearray(whitespace_bomb())
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        for found in re.finditer(re.escape(signature), data):
            data[found.start() + offset : found.start() + offset + 4] = struct.pack("<I", 1024)
    return bytes(data)


def wide_csv() -> bytes:
    """A line with a million separators."""
    return b"Perangkat Daerah,Nama Inovasi\n" + b"," * 1_000_000 + b"\nDinas Sosial,Sedekah Beras\n"


def endless_csv() -> bytes:
    """One line of 2 MB."""
    return b"Perangkat Daerah,Nama Inovasi\n" + b"x" * 2_000_000


def unclosed_quote_csv() -> bytes:
    """A quote opened and never closed: the field swallows the rest of the file."""
    return b'Perangkat Daerah,Nama Inovasi\nDinas Sosial,"Sedekah\n' + b"lanjutan teks\n" * 20_000


def encrypted() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE file with an EncryptedPackage stream."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(500)


def truncated() -> bytes:
    data = valid_xlsx()
    return data[: len(data) // 2]


def html_as_xls() -> bytes:
    """What many web portals hand out as "Excel": an HTML table."""
    cells = "".join(f"<tr>{''.join(f'<td>{v}</td>' for v in row)}</tr>" for row in ROWS)
    return f"<html><head><meta charset='utf-8'></head><body><table>{cells}</table></body></html>".encode()


def cr_only_csv() -> bytes:
    return csv_bytes(ROWS).replace(b"\r\n", b"\r")


def header_only() -> bytes:
    return xlsx({"Data": [["Rekap inovasi"], HEADER]})


def xls_far_cell() -> bytes:
    """A legacy .xls with a value in its last possible cell (65,536 × 256)."""
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Data")
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws.write(65535, 255, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CASES: dict[str, tuple[str, Callable[[], bytes], str | int]] = {
    "dimension_bomb": ("dimensi.xlsx", dimension_bomb, "melebihi batas 5.000.000 sel"),
    "far_cell_bomb": ("sel_jauh.xlsx", far_cell_bomb, "batas memori"),
    "shared_strings_bomb": ("teks.xlsx", shared_strings_bomb, "ciri berkas bom arsip"),
    "declared_strings_bomb": ("teks_klaim.xlsx", declared_strings_bomb, "teks berbeda"),
    "whitespace_bomb": ("spasi.xlsx", whitespace_bomb, "ciri berkas bom arsip"),
    "lying_bomb": ("bohong.xlsx", lying_bomb, "tidak dapat dibaca"),
    "wide_csv": ("lebar.csv", wide_csv, "satu baris"),
    "endless_csv": ("panjang.csv", endless_csv, "satu baris panjangnya"),
    "unclosed_quote_csv": ("kutip.csv", unclosed_quote_csv, "tanda kutip"),
    "encrypted": ("rahasia.xlsx", encrypted, "dilindungi kata sandi"),
    "truncated": ("terpotong.xlsx", truncated, "rusak atau terpotong"),
    "html_as_xls": ("portal.xls", html_as_xls, "halaman web (HTML)"),
    "cr_only_csv": ("mac_lama.csv", cr_only_csv, 2),
    "header_only": ("kosong.xlsx", header_only, "Tidak ada baris inovasi"),
    "xls_far_cell": ("sel_jauh.xls", xls_far_cell, "tidak dapat dibaca"),
}
