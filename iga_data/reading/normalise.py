"""One table's body to normalised innovation rows: units resolved, text cleaned, scores and dates parsed,
types hinted; where the table ends; a wide recap turned into one row per innovation."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from .. import parsing
from ..levels import parse_levels
from ..names import type_from_label
from ..parsing import per_unique
from ..rules import max_score
from ..vocabulary import field_label
from .grids import Grid
from .headers import Header, label_field, map_header
from .model import (
    INDICATOR_COLUMNS,
    NUMERIC,
    ROW_COLUMNS,
    TEXT_FIELDS,
    SkippedRow,
    Source,
    cell_text,
    empty_rows,
    row_texts,
)
from .oddrows import ANY_HEADER, row_reasons, unit_cells
from .units import UnitPlan, resolve_units

OTHER_TABLE = "di luar tabel inovasi (judul atau tabel lain)"


@dataclass
class TableRows:
    """What one table gave: its rows, the rows set aside, warnings, and the row (0-based) where it ended."""

    rows: pd.DataFrame
    skipped: list[SkippedRow]
    warnings: list[str]
    end: int


def _fill_merged_down(grid: Grid, start: int) -> None:
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


def _patch_errors(grid: Grid, columns: dict[int, np.ndarray], start: int, keys: set[int]) -> None:
    """Put "#N/A" back into cells python-calamine read as empty, when a key or score column has empty cells
    (a sheet without them never pays for the look-up)."""
    if grid.error_cells is None or not any((pd.Series(columns[c], copy=False) == "").any()
                                           for c in keys if c in columns):
        return
    for (r, c), text in grid.error_cells().items():
        if c in columns and 0 <= r - start < len(columns[c]):
            columns[c][r - start] = text


def _melt(grid: Grid, h: Header, body: list[list[Any]], rows: np.ndarray
          ) -> tuple[Header, list[list[Any]], np.ndarray]:
    """A wide recap ("Inovasi 1 | Skor 1 | Inovasi 2 | Skor 2 ...") as one row per innovation: each row
    carries the shared cells, then its group's. A group with every cell empty is no innovation; a row
    whose groups are all empty stays once, so it is set aside with its reason."""
    if grid.error_cells is not None:  # wide recaps are small: restore error cells before the cells move
        for (r, c), text in grid.error_cells().items():
            if 0 <= r - h.data_start < len(body) and c < len(body[r - h.data_start]):
                body[r - h.data_start][c] = text
    fields = list(dict.fromkeys(f for g in h.groups for f in g))
    width = len(h.labels)
    out, numbers = [], []
    for row, number in zip(body, rows):
        slots = [[row[g[f]] if f in g and g[f] < len(row) else "" for f in fields] for g in h.groups]
        filled = [s for s in slots if any(cell_text(v) for v in s)] or slots[:1]
        for slot in filled:
            out.append([*row, *[""] * (width - len(row)), *slot])
            numbers.append(number)
    labels = [*h.labels, *(field_label(f) for f in fields)]
    mapping = {**h.mapping, **{f: width + i for i, f in enumerate(fields)}}
    melted = replace(h, labels=labels, mapping=mapping, groups=[], span=(h.span[0], len(labels)),
                     notes=[*h.notes, f"rekap mendatar: {len(h.groups)} kelompok kolom inovasi dibaca sebagai "
                                       "satu baris per inovasi"])
    return melted, out, np.asarray(numbers, dtype=int)


def table_end(body: list[list[Any]], h: Header, unit: pd.Series, innovation: pd.Series, cells: np.ndarray) -> int:
    """Where the table stops (index into body): a row opening another table below it, after an empty row
    (a recap headed "Jenis Unit | Jumlah", a legend). A header repeated with the same columns does not end it.
    Only rows after an empty row, or whose unit cell is a header word, are examined."""
    first, last = h.span if h.span != (0, 0) else (0, None)
    empty = [i for i in np.flatnonzero(((unit == "") & (innovation == "")).to_numpy())
             if not any(map(cell_text, body[i][first:last]))]
    candidates = {int(j) for i in empty for j in (i + 1, i + 2) if j < len(body)}
    for i in sorted({*candidates, *np.flatnonzero(cells & ANY_HEADER).tolist()}):
        if _opens_table(row_texts(body[i][first:last]), h, first):
            title = i  # a title line or two over it, after an empty row, belongs to it ("REKAP PER JENIS UNIT")
            while title > 0 and i - title < 2 and innovation.iat[title - 1] == "" and \
                    any(map(cell_text, body[title - 1][first:last])):
                title -= 1
            return title if title == 0 or not any(map(cell_text, body[title - 1][first:last])) else i
    return len(body)


def _opens_table(texts: list[str], h: Header, offset: int) -> bool:
    """A header-like row of another table: short labels, no numbers, at least one a field's synonym, and not
    the main header again (unit and innovation in the same columns)."""
    filled = [t for t in texts if t]
    if len(filled) < 2 or any(NUMERIC.fullmatch(t) or len(t) > 60 for t in filled):
        return False
    mapping = {f: c + offset for f, c in map_header(texts).items()}
    if not any((hit := label_field(t)) is not None and hit[0] == 0 for t in filled):
        return False
    same = [f for f in ("unit", "innovation") if f in h.mapping]
    return not (same and all(mapping.get(f) == h.mapping[f] for f in same))


def sheet_rows(
    src: Source, grid: Grid, h: Header, plan: UnitPlan, order_start: int, required: Sequence[str],
    extra: Sequence[str] = (),
) -> TableRows:
    """Normalised innovation rows of one table, the rows set aside, warnings, and where the table ended."""
    _fill_merged_down(grid, h.data_start)
    body = grid.rows[h.data_start:]
    excel_rows = np.arange(h.data_start + 1, h.data_start + 1 + len(body))
    wide = bool(h.groups)
    if wide:  # its error cells are restored before its cells move
        h, body, excel_rows = _melt(grid, h, body, excel_rows)
    if not body:
        return TableRows(empty_rows().assign(**dict.fromkeys(extra, "")), [], [], len(grid.rows))
    chain = {u.column for u in plan.chain}
    columns = _columns(body, {*h.mapping.values(), *chain})
    if not wide:
        _patch_errors(grid, columns, h.data_start, {*chain, *(h.mapping[f] for f in ("innovation", "score")
                                                              if f in h.mapping)})
    index = pd.RangeIndex(len(body))
    innovation = _text_column(columns.get(h.mapping["innovation"]) if "innovation" in h.mapping else None, index)
    units = resolve_units(plan, {c: _text_column(columns.get(c), index) for c in chain}, innovation)
    cells = unit_cells(units.unit)
    end = table_end(body, h, units.unit, innovation, cells) if "innovation" in required else len(body)
    end_row = int(excel_rows[end]) - 1 if end < len(body) else len(grid.rows)  # where another table may start
    if end < len(body):
        body, excel_rows, index = body[:end], excel_rows[:end], pd.RangeIndex(end)
        columns = {c: v[:end] for c, v in columns.items()}
        innovation, units, cells = innovation[:end], units.head(end), cells[:end]
    by_field = {name: columns[c] for name, c in h.mapping.items() if c in columns}
    unit = units.unit
    score = by_field.get("score")
    reason, row_text, has_content = row_reasons(body, h, unit, innovation, cells, score, "innovation" in required)
    keep = (has_content & (reason == "")).to_numpy()
    skipped_mask = has_content & (reason != "")
    skipped = [
        SkippedRow(src.name, grid.sheet, int(excel_rows[i]), reason.iat[i], shorten(row_text.iat[i]))
        for i in np.flatnonzero(skipped_mask.to_numpy())
    ]
    doubtful = [int(excel_rows[i]) for i in np.flatnonzero(((reason == "blok tanda tangan") & (unit != "")
                                                            & (innovation != "")).to_numpy())]

    kept = {name: values[keep] for name, values in by_field.items()}
    out = pd.DataFrame(index=pd.RangeIndex(int(keep.sum())))
    out["order"] = np.arange(order_start, order_start + len(out))
    out["file"] = src.name
    out["sheet"] = grid.sheet
    out["row"] = excel_rows[keep]
    for name in (*TEXT_FIELDS, *extra):
        done = {"unit": unit, "innovation": innovation}.get(name)
        text = done[keep].to_numpy() if done is not None else _text_column(kept.get(name), out.index)
        out[name] = pd.Series(text, index=out.index, dtype=object)
    where = f"{src.name} › {grid.sheet}"
    warnings = [f"{where}: {note}." for note in (*h.notes, *([plan.note] if plan.note else []))]
    warnings += _row_warnings(where, excel_rows, keep, units.continued, units.parent, plan)
    if doubtful:
        warnings.append(f"{where}: {len(doubtful)} baris berisi nama unit dan nama inovasi "
                        f"dianggap blok tanda tangan (baris {', '.join(map(str, doubtful[:10]))}); "
                        "periksa bila ternyata inovasi.")
    if "score" in kept:
        out["score"], problems = parsing.parse_scores(pd.Series(kept["score"], index=out.index), max_score())
        warnings += _problem_warnings(where, out, problems, {
            parsing.SCORE_OUT_OF_RANGE: f"nilai di luar rentang 0–{max_score():g} dianggap belum dinilai",
            parsing.SCORE_UNREADABLE: "nilai tidak terbaca sebagai angka dianggap belum dinilai",
            parsing.SCORE_EXCEL_ERROR: "nilai berisi galat Excel (mis. #N/A) dianggap belum dinilai",
            parsing.SCORE_LEADING: "nilai ditulis dengan tambahan (mis. \"75/111\", \"70 (tujuh puluh)\") "
                                   "dibaca dari angka di depannya",
        })
    else:
        out["score"] = np.nan
    if "input_date" in kept:
        out["input_date"], bad = parsing.parse_dates(pd.Series(kept["input_date"], index=out.index))
        warnings += _problem_warnings(where, out, bad.map({True: "bad", False: ""}), {
            "bad": "tanggal input tidak terbaca (diharapkan mis. 10/07/2024 atau 10 Juli 2024)",
        })
    else:
        out["input_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    # The type a row's unit has: its "Jenis Unit" cell, else the column its unit came from ("Kecamatan"),
    # else the sheet's name ("KELURAHAN").
    column_type = per_unique(out["type_label"], lambda t: type_from_label(t) or "").to_numpy(dtype=object)
    source_type = units.hint[keep].to_numpy(dtype=object)
    fallback = np.where(source_type != "", source_type, _section_type(grid, h) or type_from_label(grid.sheet) or "")
    out["type_hint"] = pd.Series(np.where(column_type != "", column_type, fallback), index=out.index, dtype=object)
    unknown_types = sorted(set(out.loc[(out["type_label"] != "").to_numpy() & (column_type == ""), "type_label"]))
    if unknown_types:
        warnings.append(
            f"{where}: jenis unit tidak dikenal ({', '.join(unknown_types[:5])}); "
            "jenis ditentukan dari nama lembar atau nama unit."
        )
    for column in INDICATOR_COLUMNS:
        number = int(column.removeprefix("ind_"))
        out[column] = parse_levels(pd.Series(kept[column], index=out.index), number) if column in kept else np.nan
    if "score" in kept:  # blank, "-" or "belum dinilai", and no indicator level to score from
        unscored = (problems == parsing.SCORE_OK).to_numpy() & out["score"].isna().to_numpy()
        levels = [c for c in INDICATOR_COLUMNS if c in kept]
        if levels and unscored.any():
            unscored &= out[levels].isna().all(axis=1).to_numpy()
        warnings += _problem_warnings(where, out, pd.Series(np.where(unscored, "blank", ""), index=out.index), {
            "blank": "inovasi belum dinilai (sel nilai kosong, \"-\" atau \"belum dinilai\")"})
    return TableRows(out[[*ROW_COLUMNS, *extra]], skipped, warnings, end_row)


def _section_type(grid: Grid, h: Header) -> str | None:
    """The unit type a title line just above the header names ("KELURAHAN" over one of several stacked tables)."""
    for row in grid.rows[max(h.row - 2, 0):h.row][::-1]:
        texts = [t for t in row_texts(row) if t]
        if len(texts) == 1 and len(texts[0].split()) <= 4:  # a section title, not a document's title block
            return type_from_label(texts[0])
    return None


def _row_warnings(where: str, excel_rows: np.ndarray, keep: np.ndarray, continued: np.ndarray, parent: np.ndarray,
                  plan: UnitPlan) -> list[str]:
    """The unit decisions that change a figure: rows continued from the unit above, rows given the parent."""
    out = []
    for mask, what in ((continued, "tanpa nama unit dianggap milik unit di baris atasnya (nama unit ditulis sekali)"),
                       (parent, f"tanpa {plan.chain[-1].label if plan.chain else 'sub-unit'} (kosong atau '-') "
                                f"dihitung untuk {plan.chain[0].label if plan.chain else 'induknya'}")):
        rows = excel_rows[mask & keep].tolist()
        if rows:
            out.append(f"{where}: {len(rows)} baris {what} (baris {_rows_text(rows)}).")
    return out


def _rows_text(rows: list[int], limit: int = 10) -> str:
    return ", ".join(map(str, rows[:limit])) + (" …" if len(rows) > limit else "")


def _problem_warnings(where: str, out: pd.DataFrame, problems: pd.Series, messages: Mapping[str, str]) -> list[str]:
    warnings = []
    for code, message in messages.items():
        rows = out["row"][(problems == code).to_numpy()].tolist()
        if rows:
            warnings.append(f"{where}: {len(rows)} {message} (baris {_rows_text(rows)}).")
    return warnings


def shorten(text: str, limit: int = 80) -> str:
    text = " | ".join(p for p in text.split(" | ") if p)
    return text if len(text) <= limit else text[: limit - 1] + "…"
