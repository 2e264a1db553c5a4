"""Reading files, in the order given, into one table of normalised rows plus a load report.

Every sheet of every file is examined: the header searched below title
blocks (headers.py), where each row's unit comes from (units.py), rows that
are not innovations set aside with a reason (oddrows.py), the rest normalised
(normalise.py). A sheet without innovations (a recap) is named as such; the
date an export states about itself ("Diunduh: 10 Juli 2024") is kept.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import pandas as pd

from ..names import norm_text
from ..parsing import stated_date
from ..vocabulary import row_words
from .grids import Grid, read_grids
from .headers import Header, best_guess_header, find_header, header_key
from .model import (
    DATA,
    EMPTY,
    EXPORT_REQUIRED,
    HEADER_SCAN_ROWS,
    NUMERIC,
    NUMERIC_NAME,
    SUMMARY,
    UNMAPPED,
    LoadResult,
    SheetReport,
    SkippedRow,
    Source,
    cell_text,
    empty_rows,
    missing_reason,
    row_texts,
)
from .normalise import OTHER_TABLE, sheet_rows, shorten
from .units import unit_plan


def read_sources(
    sources: Iterable[Source],
    required: Sequence[str] = EXPORT_REQUIRED,
    remembered: Mapping[str, Mapping[str, int]] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    extra: Sequence[str] = (),
    known_unit: Callable[[str], bool] | None = None,
) -> LoadResult:
    """Read files, in the order given, into one table of normalised rows.

    `remembered` maps a header layout key to a manual {field: column} mapping
    chosen by an operator; `progress(done, total, name)` is called before each
    file; `extra` names text fields kept beyond ROW_COLUMNS ("" when a sheet lacks
    them), for files that are not exports (a roster's Kecamatan, Pembina, Kontak);
    `known_unit(name)` says whether a name is a roster unit, so a sheet with
    innovations but no unit column named "Dinkes" is read as Dinkes's (a picklable
    callable, such as a bound `Matcher.knows`).
    Unreadable files raise InputError; sheets without the required
    columns are reported, not raised: call `require_rows()`.
    """
    sources = list(sources)
    remembered = remembered or {}
    frames, sheets, skipped, warnings = [], [], [], []
    order = 0
    with _gc_paused():
        for done, src in enumerate(sources):
            if progress:
                progress(done, len(sources), src.name)
            for grid in read_grids(src):
                report, rows, sheet_skipped, sheet_warnings = _read_sheet(
                    src, grid, required, remembered, order, extra, known_unit
                )
                sheets.append(report)
                if rows is not None:
                    frames.append(rows)
                    order += len(rows)
                skipped += sheet_skipped
                warnings += sheet_warnings
    rows = pd.concat(frames, ignore_index=True) if frames else empty_rows().assign(**dict.fromkeys(extra, ""))
    return LoadResult(
        rows, tuple(sheets), tuple(skipped), tuple(warnings), tuple((src.name, src.sha256) for src in sources)
    )


def _read_sheet(
    src: Source,
    grid: Grid,
    required: Sequence[str],
    remembered: Mapping[str, Mapping[str, int]],
    order: int,
    extra: Sequence[str] = (),
    known_unit: Callable[[str], bool] | None = None,
) -> tuple[SheetReport, pd.DataFrame | None, list[SkippedRow], list[str]]:
    """One sheet: its report, and its rows when it has the required columns (a second table below the
    first is read too when it has them; rows outside every table are set aside)."""
    if not grid.has_text():
        return SheetReport(src.name, grid.sheet, used=False, reason="lembar kosong", kind=EMPTY), None, [], []
    export = "innovation" in required
    h = find_header(grid, required, remembered)
    stated = _stated_date(grid, h.row if h else HEADER_SCAN_ROWS)
    sheet_unit = ""
    if h is not None and h.missing == ["unit"] and export and known_unit is not None and known_unit(grid.sheet):
        sheet_unit, h.missing = grid.sheet, []
    if h is None or h.missing:
        return _unread(src, grid, h, required, stated), None, [], []
    plan = unit_plan(grid, h, sheet_unit)
    table = sheet_rows(src, grid, h, plan, order, required, extra)
    numeric = sum(1 for r in table.skipped if r.reason == NUMERIC_NAME)
    if numeric > len(table.rows):
        return (
            SheetReport(
                src.name,
                grid.sheet,
                used=False,
                kind=SUMMARY,
                stated_date=stated,
                reason="lembar ringkasan: kolom inovasi berisi angka, bukan nama inovasi",
            ),
            None,
            [],
            [],
        )
    frames, skipped, warnings = [table.rows], list(table.skipped), list(table.warnings)
    start = table.end
    while start < grid.height:  # what lies below the table: another table of innovations, or rows set aside
        below = find_header(grid, required, remembered, start)
        found = below is not None and not below.missing
        stop = below.row if found and below is not None else grid.height
        skipped += _outside(src, grid, start, stop)
        if not found or below is None:
            break
        more = sheet_rows(src, grid, below, unit_plan(grid, below), order + sum(map(len, frames)), required, extra)
        frames.append(more.rows)
        skipped += more.skipped
        warnings += more.warnings
        start = max(more.end, below.data_start)
    rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if grid.hidden:
        warnings = [
            f"{src.name} › {grid.sheet}: lembar tersembunyi ikut dibaca; sembunyikan bukan cara "
            "mengecualikan data — hapus lembar itu bila isinya tidak dipakai.",
            *warnings,
        ]
    if not len(rows):
        warnings.append(f"{src.name} › {grid.sheet}: tidak ada baris inovasi di bawah judul kolom.")
    has_score = (
        "score" in h.mapping or any("score" in g for g in h.groups) or any(f.startswith("ind_") for f in h.mapping)
    )  # levels give the score
    missing = ["score"] if export and not has_score else []
    if missing and len(rows):
        warnings.append(
            f"{src.name} › {grid.sheet}: tidak ada kolom skor kematangan, jadi {len(rows)} inovasi "
            "dihitung belum dinilai; bila skornya ada di kolom lain, pilih kolom itu di halaman "
            "Unggah Data."
        )
    report = SheetReport(
        src.name,
        grid.sheet,
        used=True,
        header_row=h.row + 1,
        headers=h.labels,
        header_key=h.key,
        samples=_first_row_under(grid, h.data_start, len(h.labels)),
        columns=_columns_read(h),
        mapping=dict(h.mapping),
        rows=len(rows),
        skipped=len(skipped),
        kind=DATA,
        missing=missing,
        stated_date=stated,
        unit_from=plan.unit_from,
    )
    return report, rows, skipped, warnings


def _columns_read(h: Header) -> dict[str, str]:
    """field -> the header label(s) it was read from (a wide recap's groups joined: "Inovasi 1, Inovasi 2")."""
    out = {f: h.labels[c] for f, c in h.mapping.items() if c < len(h.labels)}
    for name in dict.fromkeys(f for g in h.groups for f in g):
        out[name] = ", ".join(h.labels[g[name]] for g in h.groups if name in g)
    return out


def _unread(src: Source, grid: Grid, h: Header | None, required: Sequence[str], stated: str) -> SheetReport:
    """A sheet not read: what it lacks, and whether it is a summary (skipped) or a table to map by hand."""
    missing = h.missing if h is not None else list(required)
    row = h.row if h is not None else best_guess_header(grid)
    summary = _summary_like(grid, row, "innovation" in missing)
    reason = ("bukan daftar inovasi (mis. ringkasan atau rekap): " if summary else "") + missing_reason(missing)
    if row is None:
        return SheetReport(
            src.name, grid.sheet, used=False, reason=reason, kind=SUMMARY, missing=missing, stated_date=stated
        )
    labels = row_texts(grid.row(row))
    return SheetReport(
        src.name,
        grid.sheet,
        used=False,
        reason=reason,
        header_row=row + 1,
        headers=labels,
        header_key=header_key(labels),
        samples=_first_row_under(grid, row + 1, len(labels)),
        columns={f: labels[c] for f, c in h.mapping.items() if c < len(labels)} if h else {},
        mapping=dict(h.mapping) if h else {},
        kind=SUMMARY if summary else UNMAPPED,
        missing=missing,
        stated_date=stated,
    )


def _summary_like(grid: Grid, header: int | None, no_innovation: bool) -> bool:
    """A sheet without innovations: named like a recap ("Ringkasan", "Rekap") or holding no column of names
    (several words) under its header; only asked when no innovation column was found."""
    if not no_innovation:
        return False
    name = f" {norm_text(grid.sheet)} "
    if any(f" {norm_text(w)} " in name for w in row_words().summary_sheets):
        return True
    start = 0 if header is None else header + 1
    for column in zip(*grid.rows(start, start + 50)):
        texts = [t for t in map(cell_text, column) if t]
        names = [t for t in texts if " " in t and not NUMERIC.fullmatch(t.replace(" ", ""))]
        if texts and len(names) >= max(1, len(texts) // 2):
            return False
    return True


def _outside(src: Source, grid: Grid, start: int, stop: int) -> list[SkippedRow]:
    """Rows below a table that belong to none (another table, a recap): set aside, each with its reason."""
    out = []
    for r in range(start, stop):
        texts = [t for t in row_texts(grid.row(r)) if t]
        if texts:
            out.append(SkippedRow(src.name, grid.sheet, r + 1, OTHER_TABLE, shorten(" | ".join(texts))))
    return out


def _stated_date(grid: Grid, header: int) -> str:
    """The date a sheet says the export was made, from the title rows above its header or the last rows
    ("Diunduh: 10 Juli 2024 pukul 16.00 WIB"); "" when none says. ISO text, to store in the report."""
    rows = [*grid.rows(0, min(header, HEADER_SCAN_ROWS)), *grid.rows(max(header + 1, grid.height - 10))]
    for row in rows:
        for value in row:
            if isinstance(value, str) and value and (found := stated_date(value)) is not None:
                return found.isoformat(timespec="minutes")
    return ""


def _first_row_under(grid: Grid, start: int, width: int) -> list[str]:
    """Texts of the first non-empty row from `start` (merged cells not yet filled)."""
    for row in grid.rows(start, start + 20):
        texts = row_texts(row)[:width]
        if any(texts):
            return texts + [""] * (width - len(texts))
    return [""] * width


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Reading builds hundreds of thousands of short-lived cells without cycles; the cyclic
    collector would rescan them again and again (about 5% of a national-scale read)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
