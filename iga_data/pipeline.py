"""From files (or stored rows) to the figures every page and the CLI show.

    load = read_sources(files)            # guard.py around reading.py: what the files say
    analysis = analyse(load, roster, settings)   # match, de-duplicate, readiness
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .guard import read_sources
from .matching import assign_units
from .pembina import units_pembina
from .readiness import StatusCounts, counts_by_type, dedupe, status_counts, unit_table
from .reading import LoadResult, Source
from .roster import Roster
from .rules import load_rules
from .scoring import effective_scores, has_indicators, indicator_scores
from .settings import Settings


@dataclass(frozen=True)
class SkippedSheet:
    file: str
    sheet: str
    reason: str


@dataclass(frozen=True)
class Summary:
    """The headline figures of one analysis; `to_json()` is the contract of `report --format json`."""

    innovations: int
    threshold: float
    required_per_unit: int
    units: StatusCounts
    by_type: tuple[tuple[str, StatusCounts], ...]  # (type code, counts) for every configured type, in order
    unmatched_units: tuple[str, ...]
    skipped_rows: int
    warnings: tuple[str, ...]
    duplicates_removed: int
    below_threshold: int
    not_assessed: int
    roster: str | None
    sheets_skipped: tuple[SkippedSheet, ...]

    @property
    def local_need(self) -> int:
        """Innovations the local rule asks for: every expected unit times the number each must have."""
        return self.units.expected * self.required_per_unit

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["units"] = dataclasses.asdict(self.units)
        out["by_type"] = {code: dataclasses.asdict(c) for code, c in self.by_type}
        out["unmatched_units"] = list(self.unmatched_units)
        out["warnings"] = list(self.warnings)
        out["sheets_skipped"] = [dataclasses.asdict(x) for x in self.sheets_skipped]
        return out


@dataclass(frozen=True)
class Analysis:
    """Everything computed from one set of rows under one roster and settings; never changed after analyse()."""

    settings: Settings
    roster: Roster | None
    rows: pd.DataFrame  # every innovation row read, with its unit assigned
    innovations: pd.DataFrame  # distinct innovations (after de-duplication)
    units: pd.DataFrame  # one row per expected unit, with its status
    unmatched: pd.DataFrame  # names that match no roster unit: name, type, innovations
    load: LoadResult  # what the reader understood: sheets, skipped rows, warnings
    warnings: tuple[str, ...]
    summary: Summary

    @property
    def duplicates_removed(self) -> int:
        return len(self.rows) - len(self.innovations)


def _warnings(load: LoadResult, roster: Roster | None, innovations: pd.DataFrame) -> tuple[str, ...]:
    """The reader's and the roster's warnings, then the indicator checks."""
    checks = []
    if n := int(innovations["differs"].sum()):
        checks.append(f"{n} inovasi: skor tertulis berbeda dari hitungan indikator (lihat halaman Inovasi).")
    if n := int(innovations["missing_mandatory"].map(bool).sum()):
        checks.append(f"{n} inovasi: ada indikator wajib yang bernilai 0 (lihat halaman Inovasi).")
    return (*load.warnings, *(roster.warnings if roster is not None else []), *checks)


def _summary(settings: Settings, roster: Roster | None, rows: pd.DataFrame, innovations: pd.DataFrame,
             units: pd.DataFrame, unmatched: pd.DataFrame, load: LoadResult, warnings: tuple[str, ...]) -> Summary:
    threshold = settings.threshold
    return Summary(
        innovations=int(len(innovations)),
        threshold=float(threshold),
        required_per_unit=int(settings.required_per_unit),
        units=status_counts(units),
        by_type=tuple(counts_by_type(units).items()),
        unmatched_units=tuple(unmatched["name"].tolist()),
        skipped_rows=len(load.skipped),
        warnings=warnings,
        duplicates_removed=int(len(rows) - len(innovations)),
        below_threshold=int((innovations["score"] < threshold).sum()),
        not_assessed=int(innovations["score"].isna().sum()),
        roster=roster.name if roster is not None else None,
        sheets_skipped=tuple(SkippedSheet(s.file, s.sheet, s.reason) for s in load.sheets if not s.used),
    )


def unmatched_names(innovations: pd.DataFrame) -> pd.DataFrame:
    """Unit names found in the files but not in the roster, with their innovation counts."""
    un = innovations[~innovations["matched"]]
    if un.empty:
        return pd.DataFrame(columns=["name", "unit_type", "innovations", "files"])
    g = un.groupby("unit_key", sort=False)
    return pd.DataFrame({
        "name": g["unit"].first(),
        "unit_type": g["unit_type"].first(),
        "innovations": g.size(),
        "files": g["file"].agg(lambda s: ", ".join(dict.fromkeys(s))),
    }).reset_index(drop=True)


def with_indicator_scores(rows: pd.DataFrame, rule_year: int) -> pd.DataFrame:
    """Where a file carries indicator levels: the computed kematangan, used when no score is stated,
    and the checks (mandatory indicator at 0, stated score differing from the computed one)."""
    if not has_indicators(rows):
        return rows.assign(score_computed=np.nan, differs=False, missing_mandatory=[[]] * len(rows))
    rules = load_rules(rule_year)
    checks = indicator_scores(rows, rules)
    return rows.assign(
        score=effective_scores(rows, rules), score_computed=checks["computed"], differs=checks["differs"],
        missing_mandatory=checks["missing_mandatory"],
    )


def analyse(load: LoadResult, roster: Roster | None, settings: Settings) -> Analysis:
    """Match units, de-duplicate innovations and compute readiness."""
    assigned = with_indicator_scores(assign_units(load.rows, roster, settings.city), settings.rule_year)
    innovations = dedupe(assigned)
    units = unit_table(innovations, roster, settings)
    pembina, contact = units_pembina(units, roster, settings.city)
    units = units.assign(pembina=pembina, contact=contact)
    with_roster = roster is not None and len(roster) > 0
    unmatched = unmatched_names(innovations if with_roster else innovations.iloc[0:0])
    warnings = _warnings(load, roster, innovations)
    summary = _summary(settings, roster, assigned, innovations, units, unmatched, load, warnings)
    return Analysis(settings, roster, assigned, innovations, units, unmatched, load, warnings, summary)


def analyse_sources(sources: Iterable[Source], roster: Roster | None, settings: Settings) -> Analysis:
    """Read files and analyse them; raises InputError when nothing usable is found."""
    return analyse(read_sources(list(sources)).require_rows(), roster, settings)
