"""Rows under a header that are not innovations: totals, repeated headers, signature blocks, notes,
names that name nothing ("-", "tidak ada", "#N/A").

The words come from config/rows.toml. Cheap column checks find the rows that
look odd; only those are examined cell by cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import parsing
from ..names import names_nothing, norm_text
from ..parsing import is_excel_error, per_unique
from ..tomlfile import derived
from ..vocabulary import row_words
from .grids import Body
from .headers import Header, header_word, is_header_label, label_field
from .model import NUMERIC, NUMERIC_NAME, cell_text


def _words(words: Sequence[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


@derived()
def _row_patterns() -> dict[str, re.Pattern[str]]:
    """Regexes built from config/rows.toml: totals, signature, block start, note, person's title."""
    w = row_words()
    return {
        "totals": re.compile(rf"^(?:{_words(w.totals)})\b"),
        "signature": re.compile(rf"^(?:{_words(w.signature)})\b"),
        "block_start": re.compile(rf"^(?:{_words(w.block_start)})\b"),
        "note": re.compile(rf"^\s*(?:{_words(w.notes)})\s*:", re.IGNORECASE),
        "title": re.compile(
            rf"^(?:{_words(w.titles_before)})\.\s|,\s*(?:s|m|d|a)\.\s?[a-z]{{1,5}}\.?(?:[\s,]|$)", re.IGNORECASE
        ),
    }


UNIT_EMPTY = "nama unit kosong"
INNOVATION_EMPTY = "nama inovasi kosong"
UNIT_NOTHING = 'nama unit tidak diisi (mis. "-")'
INNOVATION_NOTHING = 'nama inovasi tidak diisi (mis. "-", "tidak ada")'
EXCEL_ERROR = "sel berisi galat Excel (mis. #N/A)"


def is_totals(text: str) -> bool:
    """A unit cell opening a totals row ("JUMLAH", "Total Inovasi")."""
    return bool(_row_patterns()["totals"].match(norm_text(text)))


@derived()
def _longest_nothing() -> int:
    """Texts that name nothing are short: longer ones (nearly every innovation name) are not examined."""
    return max(len(w) for w in (*row_words().not_a_name, *row_words().excel_errors)) + 2


def _nothing(values: pd.Series) -> pd.Series:
    """Cells that name nothing ("-", "tidak ada", "#N/A"), examined once per distinct short text."""
    texts = values.to_numpy(dtype=object)
    longest = _longest_nothing()
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    short = (lengths > 0) & (lengths <= longest)
    out = pd.Series(False, index=values.index)
    if short.any():
        out[short] = per_unique(values[short], names_nothing).astype(bool).to_numpy()
    return out


TOTALS, UNIT_HEADER, ANY_HEADER, NOTHING = 1, 2, 4, 8


def unit_cells(unit: pd.Series) -> np.ndarray:
    """What each unit cell is, as bits, in one pass over the distinct texts: TOTALS ("JUMLAH"), UNIT_HEADER
    (the unit column's header repeated), ANY_HEADER (any field's header, as another table's header row has),
    NOTHING ("-", "n/a", "#N/A")."""

    def bits(text: str) -> int:
        if not text:
            return 0
        hit = label_field(text)
        return (
            TOTALS * is_totals(text)
            | UNIT_HEADER * is_header_label(text, "unit")
            | ANY_HEADER * (hit is not None and hit[0] == 0)
            | NOTHING * names_nothing(text)
        )

    return per_unique(unit, bits).to_numpy(dtype=np.int64)


def row_reasons(
    body: Body,
    h: Header,
    unit: pd.Series,
    innovation: pd.Series,
    cells: np.ndarray,
    score: np.ndarray | None,
    needs_innovation: bool,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Why each row is not an innovation ("" when it is), its text for the report, and whether it has content.

    Cheap column checks find the rows that look odd (a key cell empty or
    naming nothing, a totals or header word, a signature or note without a
    score); only those are examined cell by cell, within the table's columns.
    """
    index = unit.index
    no_unit = unit == ""
    no_innov = (innovation == "") if needs_innovation else pd.Series(False, index=index)
    reason = pd.Series("", index=index, dtype=object)
    unit_nothing = (cells & NOTHING) > 0
    innov_nothing = _nothing(innovation) if needs_innovation else pd.Series(False, index=index)
    reason[no_innov] = INNOVATION_EMPTY
    reason[innov_nothing] = INNOVATION_NOTHING
    reason[no_unit] = UNIT_EMPTY
    reason[unit_nothing] = UNIT_NOTHING
    reason[no_unit & no_innov] = "nama unit dan nama inovasi kosong"
    errors = unit_nothing | innov_nothing
    if errors.any():
        flagged = errors.to_numpy().nonzero()[0]
        excel = [i for i in flagged if is_excel_error(unit.iat[i]) or is_excel_error(innovation.iat[i])]
        reason.iloc[excel] = EXCEL_ERROR
    repeated_header = pd.Series((cells & UNIT_HEADER) > 0, index=index)
    if "innovation" in h.mapping and repeated_header.any():
        repeated_header[repeated_header] = header_word(innovation[repeated_header], "innovation")
    totals = _row_patterns()["totals"]
    totals_like = pd.Series((cells & TOTALS) > 0, index=index)
    numeric_name = pd.Series(
        needs_innovation
        and np.fromiter(
            (t[:1].isdigit() and NUMERIC.fullmatch(t) is not None for t in innovation.tolist()), bool, len(innovation)
        ),
        index=index,
    )
    footer = _footer(body, h, unit, innovation, score)
    odd = (
        no_unit
        | no_innov
        | unit_nothing
        | innov_nothing
        | totals_like
        | repeated_header
        | numeric_name
        | (footer != "")
    )
    has_content = pd.Series(True, index=index)
    row_text = pd.Series("", index=index, dtype=object)
    first, last = h.span if h.span != (0, 0) else (0, None)
    for i in np.flatnonzero(odd.to_numpy()).tolist():
        texts = [t for t in map(cell_text, body.row(i)[first:last]) if t]
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


def _footer(body: Body, h: Header, unit: pd.Series, innovation: pd.Series, score: np.ndarray | None) -> pd.Series:
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
    unscored_rows = np.flatnonzero(unscored)
    candidates = unscored_rows[~_numbered(body, first_key, unscored_rows)].tolist()
    if not candidates:
        return footer
    kinds = per_unique(pd.concat([unit[candidates], innovation[candidates]]), footer_kind)
    first, second = kinds.iloc[: len(candidates)], kinds.iloc[len(candidates) :]
    footer[candidates] = np.where(first != "", first, second)  # the unit cell says what the row is
    opens = _row_patterns()["block_start"]
    opened = [
        i for i in candidates if opens.match(norm_text(unit[i])) or _place_date(innovation[i]) or _place_date(unit[i])
    ]
    if opened:
        footer[[i for i in candidates if i > opened[0] and footer[i] == ""]] = "signature"
    # A note after an empty row opens a block (a legend under the table): the rows under it are notes.
    notes = [i for i in candidates if footer[i] == "note" and (i == 0 or not any(map(cell_text, body.row(i - 1))))]
    if notes:
        footer[[i for i in candidates if i > notes[0] and footer[i] == ""]] = "note"
    return footer


def _numbered(body: Body, before: int, rows: np.ndarray) -> np.ndarray:
    """Which of `rows` have a row number ("12") before the key columns: the mark of a data row."""
    out = np.zeros(len(rows), dtype=bool)
    for c in range(min(before, body.grid.width)):
        out |= per_unique(pd.Series(body.values(c, rows), dtype=object), lambda v: cell_text(v).isdigit()).to_numpy(
            dtype=bool
        )
    return out


def _place_date(text: str) -> bool:
    """ "Bengkulu, 10 Juli 2024": where and when a letter was signed."""
    head, comma, tail = text.partition(",")
    return bool(comma) and 0 < len(head) <= 40 and parsing.parse_date_text(tail) is not None


def footer_kind(text: str) -> str:
    """'signature' for "Mengetahui,", "NIP. ...", "Bengkulu, 10 Juli 2024", "Drs. H. Arif, M.Si";
    'note' for "Keterangan: ..."; '' otherwise."""
    if not text:
        return ""
    p = _row_patterns()
    if p["signature"].match(norm_text(text)) or p["title"].search(text) or _place_date(text):
        return "signature"
    return "note" if p["note"].match(text) else ""
