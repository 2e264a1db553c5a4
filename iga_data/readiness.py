"""Readiness of each unit: two innovations scoring at least 70, by default.

Status per unit, from the counts of distinct innovations uploaded and passing:
  ready              passing >= required
  needs_improvement  uploaded >= required, passing < required
  incomplete         0 < uploaded < required
  none               nothing uploaded
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import Settings, type_codes
from .fmt import score as fmt_score
from .names import innovation_key
from .roster import Roster

STATUSES = ["ready", "needs_improvement", "incomplete", "none"]
STATUS_LABELS = {
    "ready": "Siap",
    "needs_improvement": "Perlu perbaikan",
    "incomplete": "Belum lengkap",
    "none": "Belum mengunggah",
}


def dedupe(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (unit, innovation name): the latest input date wins, then the later row.

    Rows without a date lose to dated rows of the same innovation; several
    files given together are one sequence in the order given.
    """
    if rows.empty:
        return rows.assign(innovation_key=pd.Series(dtype=object))
    out = rows.assign(innovation_key=rows["innovation"].map(innovation_key))
    out = out.sort_values(["input_date", "order"], na_position="first", kind="stable")
    out = out.drop_duplicates(["unit_key", "innovation_key"], keep="last")
    return out.sort_values("order", kind="stable").reset_index(drop=True)


def _needs_text(missing: int, to_fix: int, unscored: int, threshold: float) -> str:
    """What a lagging unit still has to do, in words."""
    parts = []
    if missing:
        parts.append(f"perlu {missing} inovasi lagi")
    if to_fix:
        fixable = to_fix - min(unscored, to_fix)
        if fixable:
            parts.append(f"{fixable} inovasi di bawah {fmt_score(threshold)} perlu diperbaiki")
        if to_fix - fixable:
            parts.append(f"{to_fix - fixable} inovasi belum dinilai")
    return "; ".join(parts)


def unit_table(innovations: pd.DataFrame, roster: Roster | None, settings: Settings) -> pd.DataFrame:
    """Per unit: uploaded, passing, best scores, status and what it still needs.

    With a roster the units are the roster's (unmatched names are left out
    here and reported separately); without one, the units found in the files.
    """
    threshold, required = settings.threshold, settings.required_per_unit
    inn = innovations.assign(
        passing=innovations["score"] >= threshold,
        unscored=innovations["score"].isna(),
    )
    if roster is not None and len(roster):
        base = pd.DataFrame({
            "unit_key": "r" + roster.units["uid"].astype(str),
            "unit_name": roster.units["name"],
            "unit_type": roster.units["type"],
        })
        inn = inn[inn["matched"]]
    else:
        base = inn.drop_duplicates("unit_key")[["unit_key", "unit_name", "unit_type"]]
    grouped = inn.groupby("unit_key", sort=False)
    counts = pd.DataFrame({
        "uploaded": grouped.size(),
        "passing": grouped["passing"].sum(),
        "unscored": grouped["unscored"].sum(),
        "best_score": grouped["score"].max(),
        "scores": grouped["score"].agg(lambda s: sorted(s.dropna(), reverse=True)),
    })
    units = base.merge(counts, left_on="unit_key", right_index=True, how="left")
    for col in ("uploaded", "passing", "unscored"):
        units[col] = units[col].fillna(0).astype(int)
    units["scores"] = units["scores"].map(lambda v: v if isinstance(v, list) else [])
    uploaded, passing = units["uploaded"], units["passing"]
    units["status"] = np.select(
        [passing >= required, uploaded >= required, uploaded > 0],
        ["ready", "needs_improvement", "incomplete"],
        default="none",
    )
    units["missing"] = (required - uploaded).clip(lower=0)
    units["to_fix"] = (required - passing - units["missing"]).clip(lower=0)
    units["needs"] = [
        "belum mengunggah" if up == 0 else _needs_text(m, f, uns, threshold)
        for up, m, f, uns in zip(uploaded, units["missing"], units["to_fix"], units["unscored"])
    ]
    units["status_label"] = units["status"].map(STATUS_LABELS)
    order = {t: i for i, t in enumerate(type_codes())}
    units["_type_order"] = units["unit_type"].map(order).fillna(len(order))
    units = units.sort_values(["_type_order", "unit_name"], kind="stable").drop(columns="_type_order")
    return units.reset_index(drop=True)


def status_counts(units: pd.DataFrame) -> dict[str, int]:
    """{'expected', 'ready', 'needs_improvement', 'incomplete', 'none'} for a set of units."""
    counts = units["status"].value_counts()
    return {"expected": int(len(units)), **{s: int(counts.get(s, 0)) for s in STATUSES}}


def counts_by_type(units: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Status counts for every configured unit type (zeros when a type has no units)."""
    return {t: status_counts(units[units["unit_type"] == t]) for t in type_codes()}
