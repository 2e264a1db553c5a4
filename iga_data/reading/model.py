"""The shapes every reader step shares: a source file, the normalised row table, the load report."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..rules import indicator_numbers
from ..vocabulary import field_label

HEADER_SCAN_ROWS = 30
# Indicator columns: every number a rule file defines (changing the set needs a restart and a storage migration).
INDICATOR_COLUMNS = [f"ind_{n}" for n in indicator_numbers()]
TEXT_FIELDS = [
    "pemda",
    "unit",
    "innovation",
    "type_label",
    "stage",
    "urusan",
    "jenis_inovasi",
    "innovation_id",
    "short_name",
]
# The normalised row table every reader produces and storage keeps.
ROW_COLUMNS = [
    "order",
    "file",
    "sheet",
    "row",
    "pemda",
    "unit",
    "innovation",
    "score",
    "type_label",
    "type_hint",
    "input_date",
    "stage",
    "urusan",
    "jenis_inovasi",
    "innovation_id",
    "short_name",
    *INDICATOR_COLUMNS,
]
SUPPORTED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv")
# Fields an operator maps by hand when a header is not recognised.
MANUAL_FIELDS = ("unit", "innovation", "score", "input_date", "type_label", "stage", "urusan", "jenis_inovasi")
EXPORT_REQUIRED = ("unit", "innovation")
# Fields a row's unit can come from when a sheet has no unit column (columns.toml explains the order).
UNIT_SOURCES = ("unit", "kecamatan", "kelurahan", "account")
# What a sheet turned out to be (SheetReport.kind).
DATA, EMPTY, SUMMARY, UNMAPPED = "data", "empty", "summary", "unmapped"
NUMERIC_NAME = "nama inovasi berupa angka"
ROSTER_REQUIRED = ("unit",)
NUMERIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Source:
    """One uploaded or named file: its name and its bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> Source:
        p = Path(path)
        try:
            return cls(p.name, p.read_bytes())
        except FileNotFoundError:
            raise InputError(f"Berkas {p} tidak ditemukan; periksa nama dan foldernya.") from None
        except IsADirectoryError:
            raise InputError(f"{p} adalah folder, bukan berkas Excel/CSV.") from None
        except OSError as exc:
            raise InputError(f"Berkas {p} tidak dapat dibuka: {exc.strerror}.") from None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class SheetReport:
    """What was understood of one sheet (shown on the upload page)."""

    file: str
    sheet: str
    used: bool
    reason: str = ""
    header_row: int | None = None  # 1-based, as Excel shows it
    columns: dict[str, str] = field(default_factory=dict)  # field -> header label
    mapping: dict[str, int] = field(default_factory=dict)  # field -> column index
    headers: list[str] = field(default_factory=list)  # all labels of the header row
    header_key: str = ""  # identifies the header layout for remembered mappings
    samples: list[str] = field(default_factory=list)  # first row under the header, to help map by hand
    rows: int = 0
    skipped: int = 0
    kind: str = ""  # DATA, EMPTY, SUMMARY (no innovations: a recap, a chart) or UNMAPPED (columns to pick)
    missing: list[str] = field(default_factory=list)  # fields not found that the operator may pick by hand
    stated_date: str = ""  # ISO date the sheet says the export was made ("Diunduh: 10 Juli 2024 ...")
    unit_from: str = ""  # where the unit came from when not a unit column: a column's label or the sheet name

    @property
    def needs_mapping(self) -> bool:
        """A sheet the operator should map by hand: unread with a header, or read but lacking a score column."""
        if self.used:
            return "score" in self.missing
        return bool(self.headers) and self.kind in ("", UNMAPPED)


@dataclass(frozen=True)
class SkippedRow:
    file: str
    sheet: str
    row: int
    reason: str
    text: str


@dataclass(frozen=True)
class LoadResult:
    rows: pd.DataFrame
    sheets: tuple[SheetReport, ...]
    skipped: tuple[SkippedRow, ...]
    warnings: tuple[str, ...]
    files: tuple[tuple[str, str], ...]  # (name, sha256)

    def require_rows(self) -> LoadResult:
        """Raise when no sheet could be used, naming for each sheet the column it lacks, or when the sheets
        used hold no innovation row (a header alone is never an upload)."""
        names = ", ".join(n for n, _ in self.files) or "berkas"
        if not any(s.used for s in self.sheets):
            why = "; ".join(f"lembar '{s.sheet}': {s.reason}" for s in self.sheets if s.reason)
            raise InputError(
                f"Tidak ada lembar dengan kolom yang diperlukan di {names}" + (f" ({why})" if why else "") + ". "
                "Pastikan ada baris judul kolom seperti 'Perangkat Daerah' dan 'Nama Inovasi', "
                "atau pilih kolomnya di halaman Unggah Data."
            )
        if self.rows.empty:
            raise InputError(
                f"Tidak ada baris inovasi di {names} (hanya judul kolom, atau semua baris dilewati); "
                "isi datanya atau pilih berkas ekspor yang lain."
            )
        return self

    @property
    def stated_date(self) -> str:
        """The latest date the files say they were made (ISO), "" when none says."""
        return max((s.stated_date for s in self.sheets if s.stated_date), default="")


def cell_text(value: Any) -> str:
    """A cell as trimmed single-spaced text; whole floats lose their '.0'."""
    if isinstance(value, str):
        text = value.strip()
        # Collapsing inner whitespace is rarely needed; checking first is cheaper than always splitting.
        if "  " in text or "\n" in text or "\t" in text or "\xa0" in text or "\r" in text:
            text = " ".join(text.split())
        return text
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    return " ".join(str(value).split())


def row_texts(row: list[Any]) -> list[str]:
    return [cell_text(v) for v in row]


def missing_reason(missing: list[str]) -> str:
    """ "tidak ada kolom 'Nama unit'": the columns a sheet lacks, by name."""
    return "tidak ada kolom " + " dan ".join(f"'{field_label(f)}'" for f in missing)


def empty_rows() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in ROW_COLUMNS})
    frame["input_date"] = frame["input_date"].astype("datetime64[ns]")
    for c in ["order", "row"]:
        frame[c] = frame[c].astype(int)
    for c in ["score", *INDICATOR_COLUMNS]:
        frame[c] = frame[c].astype(float)
    return frame
