"""From files (or stored rows) to the figures every page and the CLI show.

load = read_sources(files)            # guard.py around reading.py: what the files say
analysis = analyse(load, roster, settings)   # match, de-duplicate, readiness
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .aliases import Alias, alias_key
from .guard import read_sources
from .matching import Matcher, assign_units
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
    unmatched_units: tuple[str, ...]  # names no roster unit matched and no alias resolved
    not_in_roster: tuple[str, ...]  # names an alias declares outside the roster (still counted as innovations)
    aliases_applied: int  # distinct names matched through an alias
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
    unmatched: pd.DataFrame  # names that match no roster unit: name, type, innovations, files, rows,
    # excluded (an alias says it is no roster unit), closest (roster units most like it, with similarity)
    load: LoadResult  # what the reader understood: sheets, skipped rows, warnings
    warnings: tuple[str, ...]
    summary: Summary

    @property
    def duplicates_removed(self) -> int:
        return len(self.rows) - len(self.innovations)


NO_ROSTER = (
    "Tanpa daftar unit: hanya unit yang ada di berkas yang dihitung, sehingga unit yang belum mengunggah "
    "tidak terlihat dan ejaan nama yang berbeda terhitung sebagai unit berbeda. Pakai daftar unit "
    "(--roster, atau unggah di Unggah Data) untuk angka kesiapan yang benar."
)


def _warnings(
    load: LoadResult, roster: Roster | None, innovations: pd.DataFrame, rows: pd.DataFrame, stale: list[Alias]
) -> tuple[str, ...]:
    """The reader's and the roster's warnings, the aliases applied or not, then the indicator checks."""
    checks = [] if roster is not None and len(roster) else [NO_ROSTER]
    aliased = _aliased(rows)
    if len(aliased):
        pairs = "; ".join(f"{u} → {n}" for u, n in aliased.head(10).itertuples(index=False))
        checks.append(
            f"{len(aliased)} nama unit dicocokkan lewat padanan yang dipilih operator ({pairs}"
            f"{' …' if len(aliased) > 10 else ''})."
        )
    if stale:
        names = "; ".join(f"{a.written} → {a.unit}" for a in stale[:10])
        checks.append(
            f"{len(stale)} padanan nama tidak dipakai karena unitnya tidak ada di daftar unit ({names}); "
            "pilih ulang unitnya."
        )
    if n := int(innovations["differs"].sum()):
        checks.append(f"{n} inovasi: skor tertulis berbeda dari hitungan indikator (lihat halaman Inovasi).")
    if n := int(innovations["missing_mandatory"].map(bool).sum()):
        checks.append(f"{n} inovasi: ada indikator wajib yang bernilai 0 (lihat halaman Inovasi).")
    return (*load.warnings, *(roster.warnings if roster is not None else []), *checks)


def _aliased(rows: pd.DataFrame) -> pd.DataFrame:
    """The names matched through an alias (one per alias, however they are spelt) and the unit each became."""
    hit = rows.loc[rows["match_method"] == "alias", ["unit", "unit_name"]]
    return hit[~hit["unit"].map(alias_key).duplicated()]


def _summary(
    settings: Settings,
    roster: Roster | None,
    rows: pd.DataFrame,
    innovations: pd.DataFrame,
    units: pd.DataFrame,
    unmatched: pd.DataFrame,
    load: LoadResult,
    warnings: tuple[str, ...],
) -> Summary:
    threshold = settings.threshold
    return Summary(
        innovations=int(len(innovations)),
        threshold=float(threshold),
        required_per_unit=int(settings.required_per_unit),
        units=status_counts(units),
        by_type=tuple(counts_by_type(units).items()),
        unmatched_units=tuple(unmatched.loc[~unmatched["excluded"], "name"].tolist()),
        not_in_roster=tuple(unmatched.loc[unmatched["excluded"], "name"].tolist()),
        aliases_applied=len(_aliased(rows)),
        skipped_rows=len(load.skipped),
        warnings=warnings,
        duplicates_removed=int(len(rows) - len(innovations)),
        below_threshold=int((innovations["score"] < threshold).sum()),
        not_assessed=int(innovations["score"].isna().sum()),
        roster=roster.name if roster is not None else None,
        sheets_skipped=tuple(SkippedSheet(s.file, s.sheet, s.reason) for s in load.sheets if not s.used),
    )


UNMATCHED_COLUMNS = ["name", "unit_type", "innovations", "files", "rows", "excluded", "closest"]


def unmatched_names(innovations: pd.DataFrame, rows: pd.DataFrame, matcher: Matcher | None) -> pd.DataFrame:
    """Unit names found in the files but not in the roster: their innovation counts, where they are
    written ("Data baris 5, 9"), whether an alias set them outside the roster, and the closest roster units."""
    un = innovations[~innovations["matched"]]
    if un.empty or matcher is None:
        return pd.DataFrame({c: pd.Series(dtype=bool if c == "excluded" else object) for c in UNMATCHED_COLUMNS})
    g = un.groupby("unit_key", sort=False)
    out = pd.DataFrame(
        {
            "name": g["unit"].first(),
            "unit_type": g["unit_type"].first(),
            "innovations": g.size(),
            "files": g["file"].agg(lambda s: ", ".join(dict.fromkeys(s))),
            "excluded": g["match_method"].first() == "excluded",
        }
    )
    where = rows.loc[rows["unit_key"].isin(out.index), ["unit_key", "file", "sheet", "row"]]
    out["rows"] = where.groupby("unit_key", sort=False).apply(_where_written, include_groups=False)
    out["closest"] = [matcher.closest(name) for name in out["name"]]
    return out.reset_index(drop=True)[UNMATCHED_COLUMNS]


def _where_written(rows: pd.DataFrame, limit: int = 8) -> str:
    """ "Data baris 5, 9, 12; OPD baris 3": where a name is written, sheet by sheet."""
    parts = []
    for sheet, group in rows.groupby("sheet", sort=False):
        numbers = group["row"].tolist()
        shown = ", ".join(map(str, numbers[:limit])) + (" …" if len(numbers) > limit else "")
        parts.append(f"{sheet} baris {shown}")
    return "; ".join(parts)


def with_indicator_scores(rows: pd.DataFrame, rule_year: int) -> pd.DataFrame:
    """Where a file carries indicator levels: the computed kematangan, used when no score is stated,
    and the checks (mandatory indicator at 0, stated score differing from the computed one)."""
    if not has_indicators(rows):
        return rows.assign(score_computed=np.nan, differs=False, missing_mandatory=[[]] * len(rows))
    rules = load_rules(rule_year)
    checks = indicator_scores(rows, rules)
    return rows.assign(
        score=effective_scores(rows, rules),
        score_computed=checks["computed"],
        differs=checks["differs"],
        missing_mandatory=checks["missing_mandatory"],
    )


def analyse(load: LoadResult, roster: Roster | None, settings: Settings, aliases: Sequence[Alias] = ()) -> Analysis:
    """Match units (the operator's aliases first), de-duplicate innovations and compute readiness."""
    matcher = Matcher(roster, settings.city, aliases) if roster is not None and len(roster) else None
    assigned = with_indicator_scores(assign_units(load.rows, matcher, settings.city), settings.rule_year)
    innovations = dedupe(assigned)
    units = unit_table(innovations, roster, settings)
    pembina, contact = units_pembina(units, roster, settings.city)
    units = units.assign(pembina=pembina, contact=contact)
    unmatched = unmatched_names(innovations, assigned, matcher)
    warnings = _warnings(load, roster, innovations, assigned, matcher.stale if matcher else [])
    summary = _summary(settings, roster, assigned, innovations, units, unmatched, load, warnings)
    return Analysis(settings, roster, assigned, innovations, units, unmatched, load, warnings, summary)


def analyse_sources(
    sources: Iterable[Source], roster: Roster | None, settings: Settings, aliases: Sequence[Alias] = ()
) -> Analysis:
    """Read files and analyse them; raises InputError when nothing usable is found. With a roster, a sheet
    without a unit column whose name is a roster unit ("Dinkes") is read as that unit's."""
    known = Matcher(roster, settings.city, aliases).knows if roster is not None and len(roster) else None
    return analyse(read_sources(list(sources), known_unit=known).require_rows(), roster, settings, aliases)
