"""Rows under a header that are not innovations: totals, repeated headers, signature blocks, notes.

The words come from config/rows.toml. Cheap column checks find the rows that
look odd; only those are examined cell by cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import parsing
from ..names import norm_text
from ..parsing import per_unique
from ..tomlfile import derived
from ..vocabulary import row_words
from .headers import Header, header_word
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
        "title": re.compile(rf"^(?:{_words(w.titles_before)})\.\s|,\s*(?:s|m|d|a)\.\s?[a-z]{{1,5}}\.?(?:[\s,]|$)",
                            re.IGNORECASE),
    }



def row_reasons(body: list[list[Any]], h: Header, unit: pd.Series, innovation: pd.Series,
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
    repeated_header = header_word(unit, "unit")
    if "innovation" in h.mapping and repeated_header.any():
        repeated_header[repeated_header] = header_word(innovation[repeated_header], "innovation")
    totals = _row_patterns()["totals"]
    totals_like = per_unique(unit, lambda u: bool(totals.match(norm_text(u))))
    numeric_name = pd.Series(needs_innovation and np.fromiter(
        (t[:1].isdigit() and NUMERIC.fullmatch(t) is not None for t in innovation.tolist()), bool, len(innovation)),
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


def _footer(body: list[list[Any]], h: Header, unit: pd.Series, innovation: pd.Series,
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

