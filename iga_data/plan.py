"""The road to the threshold: which indicator levels to raise, fewest steps first.

Kematangan = Σ bobot × level over the year's indicators. A step raises one
indicator by one level and gains its bobot. A plan first raises every mandatory
indicator at level 0 to 1 (at 0 it can disqualify the innovation), then takes
the fewest steps that reach the threshold.

Why counting the largest steps gives the fewest: every step of an indicator is
worth its bobot whatever the level, and it can take MAX_LEVEL - level of them,
so the steps on offer are a multiset of values. k steps gain at most the sum of
the k largest, so the fewest steps is the smallest k whose k largest reach the
gap. Among plans of that length the one that overshoots least wins (it lands on
the threshold exactly when a plan of that length can), then the one using larger
steps. Within one bobot the lowest level goes first (evidence for a first level is
the easiest to add), then the lower indicator number.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .errors import InputError
from .names import innovation_keys
from .pipeline import Analysis
from .rules import MAX_LEVEL, Indicator, RuleSet, load_rules

# Scores are sums of float bobot: closer than this counts as equal.
_EPS = 1e-9


@dataclass(frozen=True)
class Step:
    """One indicator raised by one level."""

    indicator: Indicator
    from_level: int

    @property
    def to_level(self) -> int:
        return self.from_level + 1

    @property
    def points(self) -> float:
        return self.indicator.bobot


@dataclass(frozen=True)
class Plan:
    """The steps from an innovation's levels to the threshold (or as close as the scale allows)."""

    year: int
    threshold: float
    start: float  # Σ bobot × level before the plan
    steps: tuple[Step, ...]
    reachable: bool
    missing_mandatory: tuple[int, ...]  # mandatory indicators at level 0 before the plan
    paraphrased: bool  # the level texts are paraphrases (rule file's `uncertain` lists "levels")

    @property
    def after(self) -> float:
        """The score once every step is taken (the best reachable score when the threshold is out of reach)."""
        return self.start + sum(s.points for s in self.steps)

    @property
    def gap(self) -> float:
        """Points still missing to the threshold (0 when reached)."""
        return max(0.0, self.threshold - self.start)


def make_plan(levels: Mapping[int, float | None], rules: RuleSet, threshold: float) -> Plan:
    """The plan for one innovation; an indicator missing from `levels` (or NaN) counts as level 0,
    as the portal scores an empty one."""
    by_number = {ind.number: ind for ind in rules.indicators}
    unknown = sorted(set(levels) - set(by_number))
    if unknown:
        raise InputError(f"Indikator {unknown[0]} tidak ada pada aturan {rules.year}.")
    t = float(threshold)
    if not math.isfinite(t) or t < 0:
        raise InputError(f"Ambang skor harus angka tidak negatif; tertulis {threshold}.")
    return _plan(tuple(_level(levels.get(ind.number), ind) for ind in rules.indicators), rules, t)


def _level(value: float | None, ind: Indicator) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    if value != int(value) or not 0 <= value <= MAX_LEVEL:
        raise InputError(f"Level indikator {ind.number} harus 0 sampai {MAX_LEVEL}; tertulis {value:g}.")
    return int(value)


@lru_cache(maxsize=4096)
def _plan(levels: tuple[int, ...], rules: RuleSet, threshold: float) -> Plan:
    """Cached per level vector: many innovations share the same levels."""
    indicators = rules.indicators
    start = sum(ind.bobot * lv for ind, lv in zip(indicators, levels))
    current = list(levels)
    fixes = [Step(ind, 0) for ind, lv in zip(indicators, levels) if ind.mandatory and lv == 0]
    for step in fixes:
        current[indicators.index(step.indicator)] = 1
    gap = threshold - start - sum(s.points for s in fixes)

    values = sorted({ind.bobot for ind in indicators}, reverse=True)
    capacity = [sum(MAX_LEVEL - lv for ind, lv in zip(indicators, current) if ind.bobot == v) for v in values]
    counts = _counts(values, capacity, gap)
    reachable = counts is not None
    steps: list[Step] = []
    for v, n in zip(values, counts if counts is not None else capacity):
        steps += _lowest_first([(i, ind) for i, ind in enumerate(indicators) if ind.bobot == v], current, n)
    steps.sort(key=lambda s: (-s.points, s.indicator.number, s.from_level))
    return Plan(
        year=rules.year,
        threshold=threshold,
        start=start,
        steps=tuple(fixes + steps),
        reachable=reachable,
        missing_mandatory=tuple(s.indicator.number for s in fixes),
        paraphrased=paraphrased(rules),
    )


def paraphrased(rules: RuleSet) -> bool:
    """Whether the rule file marks its level texts as paraphrases (its `uncertain` lists "levels")."""
    return "levels" in rules.uncertain


def _lowest_first(group: list[tuple[int, Indicator]], current: list[int], n: int) -> list[Step]:
    """`n` steps among indicators of equal bobot: always the one at the lowest level, then the lower number."""
    heap = [(current[i], ind.number, i, ind) for i, ind in group if current[i] < MAX_LEVEL]
    heapq.heapify(heap)
    steps = []
    for _ in range(n):
        level, number, i, ind = heapq.heappop(heap)
        steps.append(Step(ind, level))
        current[i] = level + 1
        if level + 1 < MAX_LEVEL:
            heapq.heappush(heap, (level + 1, number, i, ind))
    return steps


def _counts(values: list[float], capacity: list[int], gap: float) -> list[int] | None:
    """Steps to take per bobot value (values descending): fewest reaching `gap`, then least
    overshoot, then larger steps. None when every step together falls short."""
    m = len(values)
    if gap <= _EPS:
        return [0] * m
    if sum(v * c for v, c in zip(values, capacity)) < gap - _EPS:
        return None
    greedy, gained = [0] * m, 0.0
    for j, (v, c) in enumerate(zip(values, capacity)):
        greedy[j] = min(c, max(0, math.ceil((gap - gained) / v - _EPS)))
        gained += greedy[j] * v
        if gained >= gap - _EPS:
            break
    k = sum(greedy)
    best, best_total = greedy, gained

    def extreme(j: int, left: int, largest: bool) -> float:
        """The most (or least) `left` steps from values j.. can add."""
        total = 0.0
        order = range(j, m) if largest else range(m - 1, j - 1, -1)
        for i in order:
            take = min(capacity[i], left)
            total += take * values[i]
            left -= take
        return total

    def search(j: int, left: int, total: float, chosen: list[int]) -> None:
        nonlocal best, best_total
        if best_total <= gap + _EPS:
            return  # lands on the threshold: nothing beats it
        if left == 0:
            if gap - _EPS <= total < best_total - _EPS:
                best, best_total = chosen.copy(), total
            return
        if j == m or sum(capacity[j:]) < left:
            return
        if total + extreme(j, left, True) < gap - _EPS or total + extreme(j, left, False) >= best_total - _EPS:
            return
        for n in range(min(capacity[j], left), -1, -1):  # larger steps first: ties keep them
            chosen[j] = n
            search(j + 1, left - n, total + n * values[j], chosen)
        chosen[j] = 0

    search(0, k, 0.0, [0] * m)
    return best


# --- every innovation under the threshold -------------------------------------


def innovation_levels(analysis: Analysis) -> pd.DataFrame:
    """Known levels per innovation: index of `analysis.innovations`, one column per indicator number
    of the rule year, all NaN where no level is known.

    When the row kept for an innovation has no levels (a dated export row beats an undated
    self-assessment workbook row of the same innovation), the latest row of that innovation
    that has levels supplies them: the workbook still drives the plan.
    """
    rules = load_rules(analysis.settings.rule_year)
    numbers = [ind.number for ind in rules.indicators]
    inn, rows = analysis.innovations, analysis.rows
    own = _level_columns(inn, numbers)
    unknown = own.isna().all(axis=1).to_numpy()
    if unknown.any() and len(rows):
        theirs = _level_columns(rows, numbers)
        has = theirs.notna().any(axis=1).to_numpy()
        if has.any():
            donors = rows[has]
            dates = donors["input_date"].to_numpy(dtype="datetime64[ns]").view("int64")  # NaT is the smallest
            ranked = np.lexsort((donors["order"].to_numpy(), dates))
            keys = (donors["unit_key"].astype(str) + "\x1f" + innovation_keys(donors["innovation"])).to_numpy()[ranked]
            latest = theirs[has].iloc[ranked].set_axis(keys)
            latest = latest[~latest.index.duplicated(keep="last")]
            wanted = inn.loc[unknown, "unit_key"].astype(str) + "\x1f" + innovation_keys(inn.loc[unknown, "innovation"])
            own.loc[unknown] = latest.reindex(wanted.to_numpy()).to_numpy()
    return own


def _level_columns(frame: pd.DataFrame, numbers: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {n: frame[f"ind_{n}"].astype(float) if f"ind_{n}" in frame else np.nan for n in numbers},
        index=frame.index,
    )


def known_levels(levels: pd.Series) -> dict[int, float] | None:
    """One row of `innovation_levels` as {indicator: level} without the unknown ones (which
    `make_plan` counts as 0); None when no level is known at all."""
    known = levels.dropna()
    return {int(n): float(v) for n, v in known.items()} if len(known) else None


def plans_for(analysis: Analysis, units: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per innovation under the threshold or not yet scored, in the order of `analysis.innovations`
    (only those of `units`, by display name, when given).

    Columns: unit_key, unit_name, innovation, score (as the dashboard uses it), plan (a Plan,
    or None when no indicator level is known: the unit should fill in the self-assessment workbook).
    """
    inn = analysis.innovations
    threshold = analysis.settings.threshold
    under = ~(inn["score"].to_numpy(dtype=float) >= threshold)
    if units is not None:
        under &= inn["unit_name"].isin(list(units)).to_numpy()
    rules = load_rules(analysis.settings.rule_year)
    levels = innovation_levels(analysis)[under]
    numbers = levels.columns.tolist()
    plans = [
        None if np.isnan(row).all() else make_plan(dict(zip(numbers, row)), rules, threshold)
        for row in levels.to_numpy(dtype=float)
    ]  # arrays, not iterrows: national data has 10,000s
    chosen = inn[under]
    return pd.DataFrame(
        {
            "unit_key": chosen["unit_key"],
            "unit_name": chosen["unit_name"],
            "innovation": chosen["innovation"],
            "score": chosen["score"].astype(float),
            "plan": pd.Series(plans, index=chosen.index, dtype=object),
        },
        index=chosen.index,
    )


def plan_record(plan: Plan | None) -> dict:
    """The numbers of a plan for JSON (`python -m iga_data plan`); nulls when no level is known."""
    if plan is None:
        return {"levels_known": False, "level_score": None, "steps": [], "reachable": None, "score_after": None}
    return {
        "levels_known": True,
        "level_score": plan.start,
        "steps": [
            {
                "indicator": s.indicator.number,
                "name": s.indicator.name,
                "from_level": s.from_level,
                "to_level": s.to_level,
                "points": s.points,
                "mandatory": s.indicator.mandatory,
            }
            for s in plan.steps
        ],
        "reachable": plan.reachable,
        "score_after": plan.after,
    }
