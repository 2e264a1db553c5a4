"""Reading files, in the order given, into one table of normalised rows plus a load report.

Every sheet of every file is examined: the header searched below title
blocks (headers.py), rows that are not innovations set aside with a reason
(oddrows.py), the rest normalised (normalise.py).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import pandas as pd

from ..vocabulary import field_label
from .grids import Grid, read_grids
from .headers import best_guess_header, find_header, header_key
from .model import (
    EXPORT_REQUIRED,
    NUMERIC_NAME,
    LoadResult,
    SheetReport,
    SkippedRow,
    Source,
    cell_text,
    empty_rows,
    row_texts,
)
from .normalise import sheet_rows


def read_sources(
    sources: Iterable[Source],
    required: Sequence[str] = EXPORT_REQUIRED,
    remembered: Mapping[str, Mapping[str, int]] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    extra: Sequence[str] = (),
) -> LoadResult:
    """Read files, in the order given, into one table of normalised rows.

    `remembered` maps a header layout key to a manual {field: column} mapping
    chosen by an operator; `progress(done, total, name)` is called before each
    file; `extra` names text fields kept beyond ROW_COLUMNS ("" when a sheet lacks
    them), for files that are not exports (a roster's Kecamatan, Pembina, Kontak).
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
                report, rows, sheet_skipped, sheet_warnings = _read_sheet(src, grid, required, remembered, order, extra)
                sheets.append(report)
                if rows is not None:
                    frames.append(rows)
                    order += len(rows)
                skipped += sheet_skipped
                warnings += sheet_warnings
    rows = pd.concat(frames, ignore_index=True) if frames else empty_rows().assign(**dict.fromkeys(extra, ""))
    return LoadResult(rows, tuple(sheets), tuple(skipped), tuple(warnings),
                      tuple((src.name, src.sha256) for src in sources))


def _read_sheet(
    src: Source, grid: Grid, required: Sequence[str], remembered: Mapping[str, Mapping[str, int]], order: int,
    extra: Sequence[str] = (),
) -> tuple[SheetReport, pd.DataFrame | None, list[SkippedRow], list[str]]:
    """One sheet: its report, and its rows when it has the required columns."""
    if not any(cell_text(v) for row in grid.rows for v in row):
        return SheetReport(src.name, grid.sheet, used=False, reason="lembar kosong"), None, [], []
    h = find_header(grid, required, remembered)
    if h is None or not all(f in h.mapping for f in required):
        reason = "tidak ada kolom " + " dan ".join(f"'{field_label(f)}'" for f in required)
        guess = best_guess_header(grid)
        if guess is None:
            return SheetReport(src.name, grid.sheet, used=False, reason=reason), None, [], []
        labels = row_texts(grid.rows[guess])
        return SheetReport(src.name, grid.sheet, used=False, reason=reason, header_row=guess + 1, headers=labels,
                           header_key=header_key(labels), samples=_first_row_under(grid, guess + 1, len(labels)),
                           ), None, [], []
    rows, skipped, warnings = sheet_rows(src, grid, h, order, required, extra)
    numeric = sum(1 for r in skipped if r.reason == NUMERIC_NAME)
    if numeric > len(rows):
        return SheetReport(src.name, grid.sheet, used=False,
                           reason="lembar ringkasan: kolom inovasi berisi angka, bukan nama inovasi"), None, [], []
    if grid.hidden:
        warnings = [f"{src.name} › {grid.sheet}: lembar tersembunyi ikut dibaca; sembunyikan bukan cara "
                    "mengecualikan data — hapus lembar itu bila isinya tidak dipakai.", *warnings]
    if not len(rows):
        warnings.append(f"{src.name} › {grid.sheet}: tidak ada baris inovasi di bawah judul kolom.")
    report = SheetReport(
        src.name, grid.sheet, used=True, header_row=h.row + 1, headers=h.labels, header_key=h.key,
        samples=_first_row_under(grid, h.data_start, len(h.labels)),
        columns={f: h.labels[c] for f, c in h.mapping.items()}, mapping=dict(h.mapping),
        rows=len(rows), skipped=len(skipped),
    )
    return report, rows, skipped, warnings


def _first_row_under(grid: Grid, start: int, width: int) -> list[str]:
    """Texts of the first non-empty row from `start` (merged cells not yet filled)."""
    for row in grid.rows[start:start + 20]:
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

