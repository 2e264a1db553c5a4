"""Read innovation exports and rosters as staff really make them.

    load = read_sources([Source.from_path("ekspor.xlsx")])   # rows + load report

One module per step: grids.py (files to grids), headers.py (header search and
column mapping), oddrows.py (rows that are not innovations), normalise.py (a
sheet's rows to the normalised table) and load.py (the orchestration).
"""

from .headers import header_key, manual_mapping, map_header
from .load import read_sources
from .model import (
    EXPORT_REQUIRED,
    INDICATOR_COLUMNS,
    MANUAL_FIELDS,
    ROSTER_REQUIRED,
    ROW_COLUMNS,
    SUPPORTED_EXTENSIONS,
    LoadResult,
    SheetReport,
    SkippedRow,
    Source,
    cell_text,
    empty_rows,
)

__all__ = [
    "EXPORT_REQUIRED",
    "INDICATOR_COLUMNS",
    "MANUAL_FIELDS",
    "ROSTER_REQUIRED",
    "ROW_COLUMNS",
    "SUPPORTED_EXTENSIONS",
    "LoadResult",
    "SheetReport",
    "SkippedRow",
    "Source",
    "cell_text",
    "empty_rows",
    "header_key",
    "manual_mapping",
    "map_header",
    "read_sources",
]
