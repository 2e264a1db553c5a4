"""Readiness of each unit: two innovations scoring at least 70, by default.

Status per unit, from the counts of distinct innovations uploaded and passing:
  ready              passing >= required
  needs_improvement  uploaded >= required, passing < required
  incomplete         0 < uploaded < required
  none               nothing uploaded
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .fmt import scores as fmt_scores
from .names import innovation_keys
from .roster import Roster
from .settings import Settings
from .vocabulary import type_codes

STATUSES = ["ready", "needs_improvement", "incomplete", "none"]
BEST_COLUMNS = ["best_1", "best_2", "best_3"]
# Lists of units put the ones furthest from ready first.
LAGGING_FIRST = {"none": 0, "incomplete": 1, "needs_improvement": 2, "ready": 3}
_NUMBER = re.compile(r"\d+")


def lagging_first(units: pd.DataFrame) -> pd.DataFrame:
    """Units with nothing uploaded first, then incomplete, then to improve, then ready; within each by name with
    numbers in their order (SD Negeri 2 before SD Negeri 10), as every list and workbook shows them."""
    by_name = units["unit_name"].map(lambda n: _NUMBER.sub(lambda m: m.group().zfill(8), str(n).casefold()))
    order = units.assign(_o=units["status"].map(LAGGING_FIRST), _n=by_name).sort_values(["_o", "_n"], kind="stable")
    return order.drop(columns=["_o", "_n"])


@dataclass(frozen=True)
class StatusCounts:
    """How many units are expected and how many are in each status."""

    expected: int
    ready: int
    needs_improvement: int
    incomplete: int
    none: int

    @property
    def not_ready(self) -> int:
        """Expected units that are not ready yet (those on the follow-up list)."""
        return self.expected - self.ready

    @property
    def uploaded(self) -> int:
        """Units with at least one innovation."""
        return self.expected - self.none


def dedupe(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (unit, innovation name): the latest input date wins, then the later row.

    Rows without a date lose to dated rows of the same innovation; several
    files given together are one sequence in the order given.
    """
    if rows.empty:
        return rows.assign(innovation_key=pd.Series(dtype=object))
    out = rows.assign(innovation_key=innovation_keys(rows["innovation"]))
    group = _codes(out["unit_key"], out["innovation_key"])
    dates = out["input_date"].to_numpy(dtype="datetime64[ns]").view("int64")  # NaT is the smallest
    ranked = np.lexsort((out["order"].to_numpy(), dates, group))
    last = np.r_[group[ranked][1:] != group[ranked][:-1], True]
    return out.iloc[np.sort(ranked[last])].reset_index(drop=True)


def merged_rows(rows: pd.DataFrame, innovations: pd.DataFrame) -> pd.DataFrame:
    """The rows `dedupe` set aside, each beside the row kept for its innovation (kept_file, kept_sheet, kept_row,
    kept_score, kept_input_date), so a merge never hides a figure."""
    kept = innovations[["unit_key", "innovation_key", "file", "sheet", "row", "score", "input_date"]]
    kept = kept.rename(columns={c: f"kept_{c}" for c in ["file", "sheet", "row", "score", "input_date"]})
    dropped = rows[~rows["order"].isin(innovations["order"])]
    dropped = dropped.assign(innovation_key=innovation_keys(dropped["innovation"]))
    return dropped.merge(kept, on=["unit_key", "innovation_key"], how="left").reset_index(drop=True)


def _codes(*columns: pd.Series) -> np.ndarray:
    """One integer per distinct combination of the columns' values."""
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        c, uniques = pd.factorize(column)
        codes = codes * (len(uniques) + 1) + c
    return codes


def unit_table(innovations: pd.DataFrame, roster: Roster | None, settings: Settings) -> pd.DataFrame:
    """Per unit: uploaded, passing, best scores, status and what it still needs.

    With a roster the units are the roster's (unmatched names are left out
    here and reported separately); without one, the units found in the files.
    """
    threshold, required = settings.threshold, settings.required_per_unit
    if roster is not None and len(roster):
        units = pd.DataFrame(
            {
                "unit_key": ("r" + roster.units["uid"].astype(str)).astype(object),
                "unit_name": roster.units["name"].astype(object),
                "unit_type": roster.units["type"].astype(object),
                "short_name": roster.units["short_name"].astype(object),
            }
        )
        inn = innovations[innovations["matched"].to_numpy(dtype=bool)]
        unit = pd.Index(units["unit_key"]).get_indexer(inn["unit_key"])
    else:
        inn = innovations
        unit, keys = pd.factorize(inn["unit_key"])  # the units in order of first appearance
        _, first = np.unique(unit, return_index=True)
        units = pd.DataFrame(
            {
                "unit_key": pd.Series(keys, dtype=inn["unit_key"].dtype),
                **{c: inn[c].iloc[first].reset_index(drop=True) for c in ("unit_name", "unit_type")},
                "short_name": "",
            }
        )
    # Counting by position with bincount: no groupby, no merge (15,000+ units nationally).
    score = inn["score"].to_numpy(dtype=float)
    n = len(units)
    units["uploaded"] = np.bincount(unit, minlength=n)
    units["passing"] = np.bincount(unit, weights=score >= threshold, minlength=n).astype(int)
    units["unscored"] = np.bincount(unit, weights=np.isnan(score), minlength=n).astype(int)
    for i, best in enumerate(_top_scores(unit, score, n).T, 1):
        units[f"best_{i}"] = best
    uploaded, passing = units["uploaded"], units["passing"]
    units["status"] = np.select(
        [passing >= required, uploaded >= required, uploaded > 0],
        ["ready", "needs_improvement", "incomplete"],
        default="none",
    )
    units["missing"] = (required - uploaded).clip(lower=0)
    units["to_fix"] = (required - passing - units["missing"]).clip(lower=0)
    type_order = pd.Categorical(units["unit_type"], categories=type_codes(), ordered=True).codes
    ranked = np.lexsort((units["unit_name"].to_numpy(dtype=str), np.where(type_order < 0, 99, type_order)))
    return units.iloc[ranked].reset_index(drop=True)


def _top_scores(unit: np.ndarray, score: np.ndarray, n_units: int, top: int = 3) -> np.ndarray:
    """Each unit's best scores, highest first, as an (n_units x top) array padded with NaN.

    One sort for all units, not one per group.
    """
    scored = ~np.isnan(score)
    unit, score = unit[scored], score[scored]
    ranked = np.lexsort((-score, unit))
    unit, score = unit[ranked], score[ranked]
    starts = np.r_[True, unit[1:] != unit[:-1]] if len(unit) else np.zeros(0, dtype=bool)
    position = np.arange(len(unit)) - np.maximum.accumulate(np.where(starts, np.arange(len(unit)), 0))
    best = np.full((n_units, top), np.nan)
    chosen = position < top
    best[unit[chosen], position[chosen]] = score[chosen]
    return best


def best_scores(units: pd.DataFrame) -> pd.Series:
    """Each unit's best scores as text: '90; 72,5' ('–' when none)."""
    columns = [units[c].tolist() for c in BEST_COLUMNS]
    return pd.Series([fmt_scores([x for x in row if x == x]) for row in zip(*columns)], index=units.index)


def status_counts(units: pd.DataFrame) -> StatusCounts:
    """Expected units and how many are in each status."""
    counts = units["status"].value_counts()
    return StatusCounts(int(len(units)), *(int(counts.get(s, 0)) for s in STATUSES))


def counts_by_type(units: pd.DataFrame) -> dict[str, StatusCounts]:
    """Status counts for every configured unit type (zeros when a type has no units), in configured order."""
    pairs = units.groupby(["unit_type", "status"]).size().to_dict()
    out = {}
    for t in type_codes():
        counts = [int(pairs.get((t, s), 0)) for s in STATUSES]
        out[t] = StatusCounts(sum(counts), *counts)
    return out


def by_pembina(units: pd.DataFrame) -> pd.DataFrame:
    """Per pembina (who answers for the units): units, ready, lagging, and the lagging units' keys worst first.

    Pembina with the most lagging units come first; units without a known pembina are grouped under "".
    """
    ranked = lagging_first(units)
    rows = []
    for name, group in ranked.groupby("pembina", sort=False):
        lagging = group[group["status"] != "ready"]
        rows.append(
            {
                "pembina": name,
                "units": len(group),
                "ready": int((group["status"] == "ready").sum()),
                "lagging": len(lagging),
                "none": int((group["status"] == "none").sum()),
                "lagging_keys": tuple(lagging["unit_key"]),
            }
        )
    out = pd.DataFrame(rows, columns=["pembina", "units", "ready", "lagging", "none", "lagging_keys"])
    return out.sort_values(["lagging", "pembina"], ascending=[False, True], kind="stable").reset_index(drop=True)


def units_of_pembina(units: pd.DataFrame) -> dict[str, list[str]]:
    """Pembina -> the names of their units, in unit order (one self-assessment workbook per pembina)."""
    return {p: g["unit_name"].tolist() for p, g in units[units["pembina"] != ""].groupby("pembina", sort=True)}
