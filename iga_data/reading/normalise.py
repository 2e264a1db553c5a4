"""One sheet's body to normalised innovation rows: text cleaned, scores and dates parsed, types hinted."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import parsing
from ..levels import parse_levels
from ..names import type_from_label
from ..parsing import per_unique
from ..rules import max_score
from .grids import Grid
from .headers import Header
from .model import (
    INDICATOR_COLUMNS,
    ROW_COLUMNS,
    TEXT_FIELDS,
    SkippedRow,
    Source,
    cell_text,
    empty_rows,
)
from .oddrows import row_reasons


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


def sheet_rows(
    src: Source, grid: Grid, h: Header, order_start: int, required: Sequence[str], extra: Sequence[str] = ()
) -> tuple[pd.DataFrame, list[SkippedRow], list[str]]:
    """Normalised innovation rows of one sheet, the rows set aside, and warnings."""
    _fill_merged_down(grid, h.data_start)
    body = grid.rows[h.data_start:]
    if not body:
        return empty_rows().assign(**dict.fromkeys(extra, "")), [], []
    index = pd.RangeIndex(len(body))
    excel_rows = np.arange(h.data_start + 1, h.data_start + 1 + len(body))
    columns = _columns(body, set(h.mapping.values()))
    by_field = {name: columns[c] for name, c in h.mapping.items() if c in columns}
    unit = _text_column(by_field.get("unit"), index)
    innovation = _text_column(by_field.get("innovation"), index)
    score = by_field.get("score")
    reason, row_text, has_content = row_reasons(body, h, unit, innovation, score, "innovation" in required)
    keep = (has_content & (reason == "")).to_numpy()
    skipped_mask = has_content & (reason != "")
    skipped = [
        SkippedRow(src.name, grid.sheet, int(excel_rows[i]), reason.iat[i], _shorten(row_text.iat[i]))
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
    warnings = [f"{src.name} › {grid.sheet}: {note}." for note in h.notes]
    if doubtful:
        warnings.append(f"{src.name} › {grid.sheet}: {len(doubtful)} baris berisi nama unit dan nama inovasi "
                        f"dianggap blok tanda tangan (baris {', '.join(map(str, doubtful[:10]))}); "
                        "periksa bila ternyata inovasi.")
    if "score" in kept:
        out["score"], problems = parsing.parse_scores(pd.Series(kept["score"], index=out.index), max_score())
        warnings += _problem_warnings(src, grid, out, problems, {
            parsing.SCORE_OUT_OF_RANGE: f"nilai di luar rentang 0–{max_score():g} dianggap belum dinilai",
            parsing.SCORE_UNREADABLE: "nilai tidak terbaca sebagai angka dianggap belum dinilai",
        })
    else:
        out["score"] = np.nan
    if "input_date" in kept:
        out["input_date"], bad = parsing.parse_dates(pd.Series(kept["input_date"], index=out.index))
        warnings += _problem_warnings(src, grid, out, bad.map({True: "bad", False: ""}), {
            "bad": "tanggal input tidak terbaca (diharapkan mis. 10/07/2024 atau 10 Juli 2024)",
        })
    else:
        out["input_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    sheet_type = type_from_label(grid.sheet)
    column_type = out["type_label"].map(type_from_label)
    out["type_hint"] = column_type.where(column_type.notna(), sheet_type).fillna("").astype(object)
    unknown_types = sorted(set(out.loc[(out["type_label"] != "") & column_type.isna(), "type_label"]))
    if unknown_types:
        warnings.append(
            f"{src.name} › {grid.sheet}: jenis unit tidak dikenal ({', '.join(unknown_types[:5])}); "
            "jenis ditentukan dari nama lembar atau nama unit."
        )
    for column in INDICATOR_COLUMNS:
        number = int(column.removeprefix("ind_"))
        out[column] = parse_levels(pd.Series(kept[column], index=out.index), number) if column in kept else np.nan
    return out[[*ROW_COLUMNS, *extra]], skipped, warnings



def _problem_warnings(src: Source, grid: Grid, out: pd.DataFrame, problems: pd.Series,
                      messages: Mapping[str, str]) -> list[str]:
    warnings = []
    for code, message in messages.items():
        rows = out["row"][(problems == code).to_numpy()].tolist()
        if rows:
            shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
            warnings.append(f"{src.name} › {grid.sheet}: {len(rows)} {message} (baris {shown}).")
    return warnings


def _shorten(text: str, limit: int = 80) -> str:
    text = " | ".join(p for p in text.split(" | ") if p)
    return text if len(text) <= limit else text[: limit - 1] + "…"

