"""One table's body to normalised innovation rows: units resolved, text cleaned, scores and dates parsed,
types hinted; where the table ends; a wide recap turned into one row per innovation."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import parsing
from ..levels import parse_levels
from ..names import type_from_label
from ..parsing import per_unique
from ..rules import max_score
from ..vocabulary import field_label
from .grids import DATETIME_TEXT, Body, Grid
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
    if not grid.empty_below(start):
        return
    for (r0, c0), (r1, _c1) in grid.merged:
        if r1 <= r0 or r1 < start or r0 >= grid.height or c0 >= grid.width:
            continue
        rows = list(range(max(r0 + 1, start), min(r1, grid.height - 1) + 1))
        if rows:
            grid.write(c0, rows, [grid.raw(r0, c0)] * len(rows))


def _error_cells(grid: Grid, body: Body, keys: set[int]) -> dict[int, dict[int, str]]:
    """Excel errors ("#N/A") python-calamine and fastexcel read as empty cells, by column and body row, when a
    key or score column has empty cells (a sheet without them never pays for the look-up)."""
    if grid.error_cells is None or not any(body.empty(c).any() for c in keys if c < grid.width):
        return {}
    out: dict[int, dict[int, str]] = {}
    for (r, c), text in grid.error_cells().items():
        if 0 <= r - body.start < len(body):
            out.setdefault(c, {})[r - body.start] = text
    return out


def _patched(
    values: np.ndarray, errors: dict[int, str], rows: np.ndarray | None = None, fn: Callable[[Any], Any] = lambda v: v
) -> np.ndarray:
    """A column with its error cells put back (`rows`: the body rows `values` holds, when not all)."""
    if not errors:
        return values
    values = values.copy()
    where = {int(r): i for i, r in enumerate(rows)} if rows is not None else None
    for r, text in errors.items():
        i = r if where is None else where.get(r)
        if i is not None and i < len(values):
            values[i] = fn(text)
    return values


def _melt(grid: Grid, h: Header, rows: np.ndarray) -> tuple[Header, Grid, np.ndarray]:
    """A wide recap ("Inovasi 1 | Skor 1 | Inovasi 2 | Skor 2 ...") as one row per innovation: each row
    carries the shared cells, then its group's. A group with every cell empty is no innovation; a row
    whose groups are all empty stays once, so it is set aside with its reason."""
    if grid.error_cells is not None:  # wide recaps are small: restore error cells before the cells move
        by_column: dict[int, dict[int, str]] = {}
        for (r, c), text in grid.error_cells().items():
            if h.data_start <= r < grid.height and c < grid.width:
                by_column.setdefault(c, {})[r] = text
        for c, cells in by_column.items():
            grid.write(c, list(cells), list(cells.values()))
    body = grid.rows(h.data_start)
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
    melted = replace(
        h,
        labels=labels,
        mapping=mapping,
        groups=[],
        span=(h.span[0], len(labels)),
        notes=[
            *h.notes,
            f"rekap mendatar: {len(h.groups)} kelompok kolom inovasi dibaca sebagai satu baris per inovasi",
        ],
    )
    return melted, Grid.from_rows(grid.sheet, out), np.asarray(numbers, dtype=int)


def table_end(body: Body, h: Header, unit: pd.Series, innovation: pd.Series, cells: np.ndarray) -> int:
    """Where the table stops (index into body): a row opening another table below it, after an empty row
    (a recap headed "Jenis Unit | Jumlah", a legend). A header repeated with the same columns does not end it.
    Only rows after an empty row, or whose unit cell is a header word, are examined."""
    first, last = h.span if h.span != (0, 0) else (0, None)
    empty = [
        i
        for i in np.flatnonzero(((unit == "") & (innovation == "")).to_numpy()).tolist()
        if not any(map(cell_text, body.row(i)[first:last]))
    ]
    candidates = {int(j) for i in empty for j in (i + 1, i + 2) if j < len(body)}
    for i in sorted({*candidates, *np.flatnonzero(cells & ANY_HEADER).tolist()}):
        if _opens_table(row_texts(body.row(i)[first:last]), h, first):
            title = i  # a title line or two over it, after an empty row, belongs to it ("REKAP PER JENIS UNIT")
            while (
                title > 0
                and i - title < 2
                and innovation.iat[title - 1] == ""
                and any(map(cell_text, body.row(title - 1)[first:last]))
            ):
                title -= 1
            return title if title == 0 or not any(map(cell_text, body.row(title - 1)[first:last])) else i
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
    src: Source,
    grid: Grid,
    h: Header,
    plan: UnitPlan,
    order_start: int,
    required: Sequence[str],
    extra: Sequence[str] = (),
) -> TableRows:
    """Normalised innovation rows of one table, the rows set aside, warnings, and where the table ended."""
    _fill_merged_down(grid, h.data_start)
    excel_rows = np.arange(h.data_start + 1, grid.height + 1)
    wide = bool(h.groups)
    table_grid = grid
    if wide:  # its error cells are restored before its cells move
        h, table_grid, excel_rows = _melt(grid, h, excel_rows)
    body = table_grid.body(0 if wide else h.data_start)
    if not len(body):
        return TableRows(empty_rows().assign(**dict.fromkeys(extra, "")), [], [], grid.height)
    chain = {u.column for u in plan.chain}
    errors = (
        {}
        if wide
        else _error_cells(grid, body, {*chain, *(h.mapping[f] for f in ("innovation", "score") if f in h.mapping)})
    )
    errors = {c: e for c, e in errors.items() if c in {*h.mapping.values(), *chain}}

    def texts(c: int | None, n: int) -> pd.Series:
        if c is None or c >= table_grid.width:
            return pd.Series("", index=pd.RangeIndex(n), dtype=object)
        return pd.Series(_patched(body.texts(c)[:n], errors.get(c, {}), fn=cell_text), dtype=object)

    innovation = texts(h.mapping.get("innovation"), len(body))
    units = resolve_units(plan, {c: texts(c, len(body)) for c in chain}, innovation)
    cells = unit_cells(units.unit)
    end = table_end(body, h, units.unit, innovation, cells) if "innovation" in required else len(body)
    end_row = int(excel_rows[end]) - 1 if end < len(body) else grid.height  # where another table may start
    if end < len(body):
        body, excel_rows = body.head(end), excel_rows[:end]
        innovation, units, cells = innovation[:end], units.head(end), cells[:end]
    fields = {name: c for name, c in h.mapping.items() if c < table_grid.width}
    unit = units.unit
    score = _patched(body.values(fields["score"]), errors.get(fields["score"], {})) if "score" in fields else None
    reason, row_text, has_content = row_reasons(body, h, unit, innovation, cells, score, "innovation" in required)
    keep = (has_content & (reason == "")).to_numpy()
    skipped_mask = has_content & (reason != "")
    skipped = [
        SkippedRow(src.name, grid.sheet, int(excel_rows[i]), reason.iat[i], shorten(row_text.iat[i]))
        for i in np.flatnonzero(skipped_mask.to_numpy())
    ]
    doubtful = [
        int(excel_rows[i])
        for i in np.flatnonzero(((reason == "blok tanda tangan") & (unit != "") & (innovation != "")).to_numpy())
    ]

    kept_rows = np.flatnonzero(keep)
    out = pd.DataFrame(index=pd.RangeIndex(len(kept_rows)))

    def kept(name: str) -> pd.Series:
        c = fields[name]
        return pd.Series(
            _patched(body.values(c, kept_rows), errors.get(c, {}), kept_rows), index=out.index, dtype=object
        )

    out["order"] = np.arange(order_start, order_start + len(out))
    out["file"] = src.name
    out["sheet"] = grid.sheet
    out["row"] = excel_rows[keep]
    for name in (*TEXT_FIELDS, *extra):
        done = {"unit": unit, "innovation": innovation}.get(name)
        text = done if done is not None else texts(fields.get(name), len(body))
        out[name] = pd.Series(text[keep].to_numpy(), index=out.index, dtype=object)
    where = f"{src.name} › {grid.sheet}"
    warnings = [f"{where}: {note}." for note in (*h.notes, *([plan.note] if plan.note else []))]
    warnings += _row_warnings(where, excel_rows, keep, units.continued, units.parent, plan)
    if doubtful:
        warnings.append(
            f"{where}: {len(doubtful)} baris berisi nama unit dan nama inovasi "
            f"dianggap blok tanda tangan (baris {', '.join(map(str, doubtful[:10]))}); "
            "periksa bila ternyata inovasi."
        )
    if score is not None:
        out["score"], problems = parsing.parse_scores(pd.Series(score[keep], index=out.index), max_score())
        warnings += _problem_warnings(
            where,
            out,
            problems,
            {
                parsing.SCORE_OUT_OF_RANGE: f"nilai di luar rentang 0–{max_score():g} dianggap belum dinilai",
                parsing.SCORE_UNREADABLE: "nilai tidak terbaca sebagai angka dianggap belum dinilai",
                parsing.SCORE_EXCEL_ERROR: "nilai berisi galat Excel (mis. #N/A) dianggap belum dinilai",
                parsing.SCORE_LEADING: 'nilai ditulis dengan tambahan (mis. "75/111", "70 (tujuh puluh)") '
                "dibaca dari angka di depannya",
            },
        )
    else:
        out["score"] = np.nan
    if "input_date" in fields:
        out["input_date"], bad = _dates(body, fields["input_date"], kept_rows, errors.get(fields["input_date"], {}))
        warnings += _problem_warnings(
            where,
            out,
            bad.map({True: "bad", False: ""}),
            {
                "bad": "tanggal input tidak terbaca (diharapkan mis. 10/07/2024 atau 10 Juli 2024)",
            },
        )
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
        out[column] = parse_levels(kept(column), number) if column in fields else np.nan
    if "score" in fields:  # blank, "-" or "belum dinilai", and no indicator level to score from
        unscored = (problems == parsing.SCORE_OK).to_numpy() & out["score"].isna().to_numpy()
        levels = [c for c in INDICATOR_COLUMNS if c in fields]
        if levels and unscored.any():
            unscored &= out[levels].isna().all(axis=1).to_numpy()
        warnings += _problem_warnings(
            where,
            out,
            pd.Series(np.where(unscored, "blank", ""), index=out.index),
            {"blank": 'baris inovasi belum dinilai (sel nilai kosong, "-" atau "belum dinilai")'},
        )
    return TableRows(out[[*ROW_COLUMNS, *extra]], skipped, warnings, end_row)


def _dates(body: Body, c: int, rows: np.ndarray, errors: dict[int, str]) -> tuple[pd.Series, pd.Series]:
    """parse_dates of some rows of a date column. Dates and times fastexcel gave as text ("2024-07-10
    09:00:00") are read in one vectorised step; the other cells pass through parse_dates as their values."""
    grid = body.grid
    column = grid.columns[c]
    index = pd.RangeIndex(len(rows))
    if not grid.rendered or isinstance(column, np.ndarray) or errors:
        return parsing.parse_dates(pd.Series(_patched(body.values(c, rows), errors, rows), index=index, dtype=object))
    cells = column.take(pa.array(body.start + rows, type=pa.int64()))
    stamped = (
        pc.and_(pc.match_substring_regex(cells, f"^{DATETIME_TEXT}$"), pc.invert(pc.starts_with(cells, "1899-12-3")))
        .fill_null(False)
        .to_numpy(zero_copy_only=False)
    )
    dates = np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = np.zeros(len(rows), dtype=bool)
    if stamped.any():
        dates[stamped] = pc.cast(cells.filter(pa.array(stamped)), pa.timestamp("ns")).to_numpy(zero_copy_only=False)
    if not stamped.all():
        rest = ~stamped
        parsed, unreadable = parsing.parse_dates(pd.Series(body.values(c, rows[rest]), dtype=object))
        dates[rest] = parsed.to_numpy(dtype="datetime64[ns]")
        bad[rest] = unreadable.to_numpy()
    return pd.Series(dates, index=index), pd.Series(bad, index=index)


def _section_type(grid: Grid, h: Header) -> str | None:
    """The unit type a title line just above the header names ("KELURAHAN" over one of several stacked tables)."""
    for row in grid.rows(max(h.row - 2, 0), h.row)[::-1]:
        texts = [t for t in row_texts(row) if t]
        if len(texts) == 1 and len(texts[0].split()) <= 4:  # a section title, not a document's title block
            return type_from_label(texts[0])
    return None


def _row_warnings(
    where: str, excel_rows: np.ndarray, keep: np.ndarray, continued: np.ndarray, parent: np.ndarray, plan: UnitPlan
) -> list[str]:
    """The unit decisions that change a figure: rows continued from the unit above, rows given the parent."""
    out = []
    for mask, what in (
        (continued, "tanpa nama unit dianggap milik unit di baris atasnya (nama unit ditulis sekali)"),
        (
            parent,
            f"tanpa {plan.chain[-1].label if plan.chain else 'sub-unit'} (kosong atau '-') "
            f"dihitung untuk {plan.chain[0].label if plan.chain else 'induknya'}",
        ),
    ):
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
