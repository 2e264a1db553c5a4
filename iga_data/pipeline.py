"""From files (or stored rows) to the figures every page and the CLI show.

    load = read_sources(files)            # guard.py around reading.py: what the files say
    analysis = analyse(load, roster, settings)   # match, de-duplicate, readiness
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .settings import Settings
from .matching import assign_units
from .readiness import counts_by_type, dedupe, status_counts, unit_table
from .guard import read_sources
from .reading import LoadResult, Source
from .roster import Roster
from .rules import load_rules
from .scoring import effective_scores, has_indicators, indicator_scores


@dataclass
class Analysis:
    """Everything computed from one set of rows under one roster and settings."""

    settings: Settings
    roster: Roster | None
    rows: pd.DataFrame  # every innovation row read, with its unit assigned
    innovations: pd.DataFrame  # distinct innovations (after de-duplication)
    units: pd.DataFrame  # one row per expected unit, with its status
    unmatched: pd.DataFrame  # names that match no roster unit: name, type, innovations
    load: LoadResult  # what the reader understood: sheets, skipped rows, warnings

    @property
    def warnings(self) -> list[str]:
        roster_warnings = self.roster.warnings if self.roster is not None else []
        inn = self.innovations
        checks = []
        if n := int(inn["differs"].sum()):
            checks.append(f"{n} inovasi: skor tertulis berbeda dari hitungan indikator (lihat halaman Inovasi).")
        if n := int(inn["missing_mandatory"].map(bool).sum()):
            checks.append(f"{n} inovasi: ada indikator wajib yang bernilai 0 (lihat halaman Inovasi).")
        return [*self.load.warnings, *roster_warnings, *checks]

    @property
    def duplicates_removed(self) -> int:
        return len(self.rows) - len(self.innovations)

    @cached_property
    def summary(self) -> dict[str, Any]:
        """The JSON contract of `python -m iga_data report --format json`."""
        inn = self.innovations
        threshold = self.settings.threshold
        return {
            "innovations": int(len(inn)),
            "threshold": float(threshold),
            "required_per_unit": int(self.settings.required_per_unit),
            "units": status_counts(self.units),
            "by_type": counts_by_type(self.units),
            "unmatched_units": self.unmatched["name"].tolist(),
            "skipped_rows": len(self.load.skipped),
            "warnings": list(self.warnings),
            "duplicates_removed": int(self.duplicates_removed),
            "below_threshold": int((inn["score"] < threshold).sum()),
            "not_assessed": int(inn["score"].isna().sum()),
            "roster": self.roster.name if self.roster is not None else None,
            "sheets_skipped": [{"file": s.file, "sheet": s.sheet, "reason": s.reason}
                               for s in self.load.sheets if not s.used],
        }


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
    with_roster = roster is not None and len(roster) > 0
    unmatched = unmatched_names(innovations if with_roster else innovations.iloc[0:0])
    return Analysis(settings, roster, assigned, innovations, units, unmatched, load)


def analyse_sources(sources: Iterable[Source], roster: Roster | None, settings: Settings) -> Analysis:
    """Read files and analyse them; raises InputError when nothing usable is found."""
    return analyse(read_sources(list(sources)).require_rows(), roster, settings)
