"""Uploaded text stays inert wherever the app writes or shows it.

Anyone who can upload a file chooses the text of file names, sheet names and cells.
That text must never become a formula in a workbook the app writes or in a CSV a user
downloads, nor a link, image or heading in what Streamlit renders as Markdown.

- Workbooks: `to_excel` writes a table, `text_cell` and `append` single cells and rows, every text as a
  string cell (openpyxl turns a str starting with "=" into a formula; the cell's type is set back to string).
- CSV downloads: `csv_frame` prefixes text that a spreadsheet would evaluate with "'".
- Markdown (st.markdown, st.warning/st.error/st.success, captions, expander and widget
  labels, metric help): `md` backslash-escapes every character Markdown or Streamlit's
  directives (":red[…]", "$…$") give a meaning. Escape when showing, not when storing:
  the load report's warnings keep the plain text the CLI prints.
- HTML (st.html, unsafe_allow_html): `html_text`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

# What a spreadsheet evaluates when it begins a cell typed in or read from CSV.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_MAX = 32_767  # characters Excel keeps in one cell
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&^=\"'])")
_LINE_BREAKS = str.maketrans({"\r": " ", "\n": " ", "\t": " "})


def workbook_value(value: Any) -> Any:
    """A value openpyxl can store: text without the control characters it refuses, cut to what Excel keeps."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_MAX]
    return value


def text_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """One cell written so that text stays text: never a formula, and marked so Excel keeps it text when
    someone edits it (a quote prefix on text a spreadsheet would evaluate)."""
    cell = ws.cell(row=row, column=column, value=workbook_value(value))
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def append(ws: Worksheet, values: Sequence[Any]) -> None:
    """`ws.append` with every text inert (see `text_cell`)."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, 1):
        if value is not None:
            text_cell(ws, row, column, value)


def to_excel(frame: pd.DataFrame, writer: pd.ExcelWriter, sheet_name: str, startrow: int = 0) -> Worksheet:
    """`frame.to_excel` (openpyxl writer, no index) with every text written as text, never as a formula."""
    clean = frame.copy()
    for name in clean.columns:
        if clean[name].dtype == object or pd.api.types.is_string_dtype(clean[name]):
            clean[name] = clean[name].map(workbook_value)
    clean.to_excel(writer, sheet_name=sheet_name, index=False, startrow=startrow)
    sheet = writer.sheets[sheet_name]
    for row in sheet.iter_rows(min_row=startrow + 1):
        for cell in row:
            if cell.data_type == "f":  # the app writes no formulas: this one came from the data
                cell.data_type = "s"
    return sheet


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as the text it is: "'=1+1" for "=1+1"."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for CSV download (st.download_button, st.dataframe's own download) with inert text."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == object or pd.api.types.is_string_dtype(out[name]):
            out[name] = out[name].map(csv_cell)
    return out


def md(value: Any) -> str:
    """Text shown literally by Streamlit's Markdown: `[x](https://…)`, `![](…)`, `# x`, `:red[x]` stay text.

    Line breaks become spaces: uploaded text never starts a new block.
    """
    text = "" if value is None else str(value)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.translate(_LINE_BREAKS))


def html_text(value: Any) -> str:
    """Text for st.html or unsafe_allow_html: tags and quotes escaped."""
    return html.escape("" if value is None else str(value), quote=True)
