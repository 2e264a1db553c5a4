"""Kematangan from indicators, the IID projection, what-ifs and the best portfolio.

All formulas follow docs/DEVELOPING.md ("The index") with the constants of a `RuleSet` (one per
IGA year, see rules.py):

    SID = Σ kematangan / MAX(k, n) + Skor Jumlah Inovasi
    Skor Jumlah Inovasi = MIN(n, count_cap) × count_weight   (0 when the year's
                          urusan wajib rule is not met)
    IID = (SPD + SID) / total_max × 100

Unscored innovations (NaN) still count in n, with kematangan 0, because the
portal counts every reported innovation, rejected ones included.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from .errors import InputError
from .names import norm_text
from .rules import MAX_LEVEL, RuleSet
from .tomlfile import derived
from .vocabulary import urusan_wajib

_IND_PREFIX = "ind_"
# IIDs closer than this are a tie; the portfolio then keeps more innovations.
_TIE = 1e-9


# --- kematangan from indicator levels ---------------------------------------


def indicator_scores(rows: pd.DataFrame, rules: RuleSet, tolerance: float = 0.5) -> pd.DataFrame:
    """Kematangan recomputed from the indicator levels, to check the stated score.

    Columns (same index as `rows`):
      computed           Σ bobot × level over the indicator columns present;
                         NaN when the row has no indicator value at all. In a row
                         that has some values, an empty cell counts as level 0
                         (no evidence), as the portal scores it.
      missing_mandatory  numbers of the mandatory indicators at level 0 (only
                         among the columns present; empty for rows without values)
      differs            stated score and computed both known and further apart
                         than `tolerance`
    """
    n = len(rows)
    present = [ind for ind in rules.indicators if f"{_IND_PREFIX}{ind.number}" in rows.columns]
    computed = np.full(n, np.nan)
    missing: list[list[int]] = [[] for _ in range(n)]
    if present:
        values = rows[[f"{_IND_PREFIX}{ind.number}" for ind in present]].to_numpy(dtype=float)
        known = ~np.isnan(values)
        bad = known & ((values < 0) | (values > MAX_LEVEL))
        if bad.any():
            j = int(np.flatnonzero(bad.any(axis=0))[0])
            raise InputError(
                f"Nilai indikator {present[j].number} harus 0 sampai {MAX_LEVEL}; "
                f"ditemukan {values[bad[:, j], j][0]:g} pada {int(bad[:, j].sum())} baris."
            )
        has_any = known.any(axis=1)
        filled = np.where(known, values, 0.0)
        weights = np.array([ind.bobot for ind in present])
        computed = np.where(has_any, filled @ weights, np.nan)
        mand = [j for j, ind in enumerate(present) if ind.mandatory]
        mand_numbers = np.array([present[j].number for j in mand], dtype=int)
        flags = (filled[:, mand] == 0) & has_any[:, None]
        missing = [mand_numbers[row].tolist() for row in flags]
    stated = _stated(rows)
    differs = ~np.isnan(stated) & ~np.isnan(computed) & (np.abs(stated - computed) > tolerance)
    return pd.DataFrame(
        {
            "computed": computed,
            "missing_mandatory": pd.Series(missing, index=rows.index, dtype=object),
            "differs": differs,
        },
        index=rows.index,
    )


def _stated(rows: pd.DataFrame) -> np.ndarray:
    if "score" not in rows.columns:
        return np.full(len(rows), np.nan)
    return rows["score"].to_numpy(dtype=float)


def has_indicators(rows: pd.DataFrame) -> bool:
    """True when any indicator column holds a value (so per-indicator views make sense)."""
    return any(str(c).startswith(_IND_PREFIX) and rows[c].notna().any() for c in rows.columns)


def effective_scores(rows: pd.DataFrame, rules: RuleSet) -> pd.Series:
    """The stated score, or the one computed from indicators when none is stated."""
    stated = pd.Series(_stated(rows), index=rows.index)
    computed = indicator_scores(rows, rules)["computed"]
    return stated.where(stated.notna(), computed).rename("score")


# --- urusan wajib -----------------------------------------------------------


@derived()
def _aliases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(norm_text(a) for a in aliases) for _, aliases in urusan_wajib())


def _urusan_key(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return norm_text(value)


def _coverage(urusan: Iterable[object]) -> np.ndarray:
    """Boolean matrix (innovation × urusan wajib): which ones each innovation covers.

    An urusan covers one when its text equals or contains an alias as whole
    words ("Urusan Pendidikan Dasar" covers Pendidikan). Decided once per distinct text.
    """
    aliases = _aliases()
    values = np.empty(len(urusan := list(urusan)), dtype=object)
    values[:] = urusan
    codes, uniques = pd.factorize(values)  # blanks (None, NaN) are -1: no urusan
    keys = [_urusan_key(u) for u in uniques] + [""]
    covers = np.array(
        [[any(key == a or f" {a} " in f" {key} " for a in group) for group in aliases] for key in keys], dtype=bool
    ).reshape(len(keys), len(aliases))
    return covers[codes]


def urusan_coverage(urusan: Iterable[str]) -> dict[str, bool]:
    """Each of the six urusan wajib pelayanan dasar -> covered by at least one innovation."""
    covered = np.asarray(_coverage(urusan).any(axis=0))
    return {name: bool(covered[i]) for i, (name, _) in enumerate(urusan_wajib())}


# --- projection -------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """The IID a set of innovations would give, with every intermediate figure."""

    n: int
    divisor: int
    total_kematangan: float
    avg_kematangan: float
    skor_jumlah_inovasi: float
    urusan_covered: int
    urusan_ok: bool
    sid: float
    iid: float
    predikat: str


def _same_length(scores: Sequence[float], urusan: Sequence[str]) -> None:
    if len(scores) != len(urusan):
        raise InputError(f"Jumlah skor ({len(scores)}) dan jumlah urusan ({len(urusan)}) tidak sama.")


def _inputs(
    scores: Sequence[float], urusan: Sequence[str], spd: float, rules: RuleSet
) -> tuple[np.ndarray, np.ndarray]:
    """Checked scores (NaN -> 0) and the coverage matrix; bad values raise, never clamp."""
    _same_length(scores, urusan)
    try:
        spd_value = float(spd)
    except (TypeError, ValueError):
        raise InputError(f"Skor SPD harus berupa angka; tertulis {spd!r}.") from None
    if not (0 <= spd_value <= rules.spd_max):
        raise InputError(f"Skor SPD harus di antara 0 dan {rules.spd_max:g}; tertulis {spd_value:g}.")
    try:
        s = np.asarray(scores, dtype=float).reshape(len(scores))
    except (TypeError, ValueError):
        raise InputError("Skor kematangan harus berupa angka.") from None
    bad = ~np.isnan(s) & ((s < 0) | (s > rules.max_per_innovation))
    if bad.any():
        raise InputError(
            f"Skor kematangan harus di antara 0 dan {rules.max_per_innovation:g}; ditemukan {s[bad][0]:g}."
        )
    return np.nan_to_num(s, nan=0.0), _coverage(urusan)


def _iid(spd: float, total, n, urusan_ok, rules: RuleSet):
    """IID for arrays of Σ kematangan and n (the portfolio search); project() spells out the same formula."""
    count = np.where(urusan_ok, np.minimum(n, rules.count_cap) * rules.count_weight, 0.0)
    return (spd + total / np.maximum(rules.k, n) + count) / rules.total_max * 100


def project(scores: Sequence[float], urusan: Sequence[str], spd: float, rules: RuleSet) -> Projection:
    """The IID if exactly these innovations are submitted (NaN score = counted with 0)."""
    s, cov = _inputs(scores, urusan, spd, rules)
    n = len(s)
    divisor = max(rules.k, n)  # k >= 1, so never 0
    total = float(s.sum())
    covered = int(cov.any(axis=0).sum())
    ok = rules.urusan_wajib_min == 0 or covered >= rules.urusan_wajib_min
    count = min(n, rules.count_cap) * rules.count_weight if ok else 0.0
    avg = total / divisor
    sid = avg + count
    iid = (float(spd) + sid) / rules.total_max * 100
    return Projection(
        n=n,
        divisor=divisor,
        total_kematangan=total,
        avg_kematangan=avg,
        skor_jumlah_inovasi=float(count),
        urusan_covered=covered,
        urusan_ok=bool(ok),
        sid=sid,
        iid=iid,
        predikat=rules.predikat_for(iid),
    )


# --- what-ifs ---------------------------------------------------------------


def raise_to_threshold(scores: Sequence[float], threshold: float) -> list[float]:
    """Scores if every innovation under `threshold` (or unscored) were improved up to it."""
    t = float(threshold)
    if not math.isfinite(t) or t < 0:
        raise InputError(f"Ambang skor harus angka tidak negatif; tertulis {threshold}.")
    return [t if math.isnan(x) or x < t else x for x in map(float, scores)]


def add_missing(
    scores: Sequence[float], urusan: Sequence[str], additions: Sequence[tuple[float, str]]
) -> tuple[list[float], list[str]]:
    """Scores and urusan with new innovations (score, urusan) appended."""
    _same_length(scores, urusan)
    return (
        [float(x) for x in scores] + [float(s) for s, _ in additions],
        list(urusan) + [u for _, u in additions],
    )


# --- best portfolio ---------------------------------------------------------


@dataclass(frozen=True)
class Portfolio:
    """The submission that maximises the IID.

    keep / left_out: sorted indices into the inputs; curve: (n, best IID with
    exactly n innovations) for n = 1..N.
    """

    keep: list[int]
    left_out: list[int]
    projection: Projection
    curve: list[tuple[int, float]]


def best_portfolio(scores: Sequence[float], urusan: Sequence[str], spd: float, rules: RuleSet) -> Portfolio:
    """The non-empty subset of innovations with the highest IID (exact).

    Why leaving innovations out can help: SID = Σ/MAX(k, n) + MIN(n, cap) × w.
    Up to `count_cap` each innovation adds w to the count score, but past the
    cap it adds nothing there, and an innovation scoring below the current
    average pulls the average (and so the IID) down. Below the cap a weak
    innovation can also cost more in average than the w it adds.

    Method. For a fixed n, among sets that do not rely on the urusan rule the
    top-n by score is best (its real coverage is then checked). A set that
    meets the rule (≥ urusan_wajib_min urusan wajib covered) can be exchanged,
    without lowering Σ or coverage, for one holding the best innovation of
    each "coverage group" it uses (innovations grouped by the exact set of
    urusan wajib they cover) plus the best remaining ones; a minimal set of
    such groups has at most urusan_wajib_min members. So the candidates are:
    top-n, and for every such small combination of groups whose union is
    large enough, "best of each group + best remaining". Groups dominated by
    a group covering more with a score at least as high are skipped. With one
    urusan per innovation this is exactly "best innovation of each urusan in
    C + best remaining" over the sets C of urusan wajib. Each candidate is
    evaluated for every n at once with sort + cumsum. Near-ties (1e-9) go to
    the larger n, so nothing is left out for no gain.
    """
    scores, urusan = list(scores), list(urusan)  # positional, even for a Series
    s, cov = _inputs(scores, urusan, spd, rules)
    N = len(s)
    if N == 0:
        return Portfolio([], [], project([], [], spd, rules), [])
    spd = float(spd)
    m = rules.urusan_wajib_min
    order = np.lexsort((np.arange(N), -s))  # best first, ties by position
    n_all = np.arange(1, N + 1)

    # Candidate "top-n" with its real coverage.
    if m:
        ok = np.logical_or.accumulate(cov[order], axis=0).sum(axis=1) >= m
    else:
        ok = np.ones(N, dtype=bool)
    best = _iid(spd, np.cumsum(s[order]), n_all, ok, rules)
    choice = np.full(N, -1)  # -1 = top-n, else index into `forced_sets`
    forced_sets: list[tuple[np.ndarray, np.ndarray]] = []

    if m:
        masks = (cov.astype(np.int64) << np.arange(cov.shape[1])).sum(axis=1)
        uniq, first = np.unique(masks[order], return_index=True)
        top_of = {int(mk): int(order[i]) for mk, i in zip(uniq, first) if mk}
        groups = [g for g in top_of if not any(h != g and g & h == g and s[top_of[h]] >= s[top_of[g]] for h in top_of)]
        for size in range(1, min(m, len(groups)) + 1):
            for combo in combinations(groups, size):
                union = 0
                for g in combo:
                    union |= g
                if union.bit_count() < m:
                    continue
                forced = np.array(sorted(top_of[g] for g in combo))
                rest = order[~np.isin(order, forced)]
                totals = s[forced].sum() + np.concatenate(([0.0], np.cumsum(s[rest])))
                n_c = np.arange(len(forced), N + 1)
                values = _iid(spd, totals, n_c, True, rules)
                better = values > best[n_c - 1]
                if better.any():
                    best[n_c[better] - 1] = values[better]
                    choice[n_c[better] - 1] = len(forced_sets)
                    forced_sets.append((forced, rest))

    n_best = int(np.flatnonzero(best >= best.max() - _TIE)[-1]) + 1
    c = int(choice[n_best - 1])
    if c < 0:
        kept = order[:n_best]
    else:
        forced, rest = forced_sets[c]
        kept = np.concatenate((forced, rest[: n_best - len(forced)]))
    keep = sorted(int(i) for i in kept)
    keep_set = set(keep)
    projection = project([scores[i] for i in keep], [urusan[i] for i in keep], spd, rules)
    return Portfolio(
        keep=keep,
        left_out=[i for i in range(N) if i not in keep_set],
        projection=projection,
        curve=[(int(n), float(v)) for n, v in zip(n_all, best)],
    )
