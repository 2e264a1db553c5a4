"""What today's entries give on the Indeks Inovasi Daerah, and what each lever would change.

The local rule (two innovations of at least 70 per unit) and the national
index pull in different directions past 200 innovations: an extra innovation
under the average lowers the IID. This module puts both side by side.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .pipeline import Analysis
from .rules import RuleSet, available_years, load_rules
from .scoring import (
    Portfolio,
    Projection,
    add_missing,
    best_portfolio,
    project,
    raise_to_threshold,
)
from .settings import Settings
from .vocabulary import unit_types, urusan_wajib


@dataclass(frozen=True)
class Scenario:
    """One lever: `key` names it (now, raise, add, both, best, both_best); wording.py says it in words."""

    key: str
    projection: Projection


@dataclass(frozen=True)
class Simulation:
    rules: RuleSet
    current: Projection
    scenarios: tuple[Scenario, ...]
    portfolio: Portfolio  # best subset of today's entries
    target_iid: float
    threshold: float
    added_score: float  # score assumed for each innovation a lagging unit still has to upload
    additions: int  # how many such innovations
    raised: int  # innovations under the threshold (or unscored) the "raise" lever improves
    both_best: Portfolio  # best subset after raising and adding
    spd_range: tuple[float, float]  # the plausible SPD interval of Pengaturan
    iid_range: tuple[float, float]  # today's IID at either end of it
    broken_units: int  # units ready today that the best portfolio of today's entries leaves short
    both_best_broken_units: int  # units the best portfolio after raising and adding leaves short

    @property
    def local_rule(self) -> Scenario:
        """Every unit with its innovations at the threshold: what the city asks for."""
        return self.lever("both")

    @property
    def highest(self) -> Scenario:
        """The highest IID within reach: the best subset after raising and adding."""
        return self.lever("both_best")

    def lever(self, key: str) -> Scenario:
        return next(s for s in self.scenarios if s.key == key)

    @property
    def gap(self) -> float:
        """IID still missing to the target (0 when reached)."""
        return max(self.target_iid - self.current.iid, 0.0)

    def closing(self) -> Scenario | None:
        """The first lever (in the order shown) that reaches the target, if any."""
        return next((s for s in self.scenarios if s.projection.iid >= self.target_iid), None)


def entries(analysis: Analysis) -> tuple[list[float], list[str]]:
    """Scores (NaN = unscored, counted with 0) and urusan of every distinct innovation."""
    inn = analysis.innovations
    return inn["score"].astype(float).tolist(), inn["urusan"].astype(str).tolist()


def missing_additions(analysis: Analysis, score: float) -> list[tuple[float, str, str]]:
    """One (score, urusan, unit key) per innovation lagging units still have to upload."""
    urusan_of = {t.code: t.urusan for t in unit_types()}
    units = analysis.units
    return [
        (score, urusan_of.get(t, ""), key)
        for key, t, m in zip(units["unit_key"], units["unit_type"], units["missing"])
        for _ in range(m)
    ]


def broken_units(units: list[str], scores: list[float], keep: list[int], threshold: float, required: int) -> int:
    """Units with `required` innovations at the threshold among all entries that keep fewer in `keep`."""

    def passing(indices: Iterable[int]) -> Counter[str]:
        return Counter(units[i] for i in indices if scores[i] >= threshold)

    before, after = passing(range(len(scores))), passing(keep)
    return sum(1 for unit, n in before.items() if n >= required and after[unit] < required)


def simulate(analysis: Analysis, settings: Settings, added_score: float) -> Simulation:
    """Today's projection and the levers, under the rule year chosen in Pengaturan."""
    rules = load_rules(settings.rule_year)
    spd, threshold, required = settings.spd, settings.threshold, settings.required_per_unit
    scores, urusan = entries(analysis)
    units = analysis.innovations["unit_key"].astype(str).tolist()
    raised = raise_to_threshold(scores, threshold)
    additions = missing_additions(analysis, added_score)
    pairs = [(score, u) for score, u, _ in additions]
    added_scores, added_urusan = add_missing(scores, urusan, pairs)
    both_scores, both_urusan = add_missing(raised, urusan, pairs)
    both_units = units + [key for _, _, key in additions]
    portfolio = best_portfolio(scores, urusan, spd, rules)
    both_best = best_portfolio(both_scores, both_urusan, spd, rules)
    scenarios = (
        Scenario("now", project(scores, urusan, spd, rules)),
        Scenario("raise", project(raised, urusan, spd, rules)),
        Scenario("add", project(added_scores, added_urusan, spd, rules)),
        Scenario("both", project(both_scores, both_urusan, spd, rules)),
        Scenario("best", portfolio.projection),
        Scenario("both_best", both_best.projection),
    )
    low, high = (project(scores, urusan, x, rules).iid for x in (settings.spd_low, settings.spd_high))
    return Simulation(
        rules,
        scenarios[0].projection,
        scenarios,
        portfolio,
        settings.target_iid,
        threshold,
        added_score,
        len(additions),
        sum(1 for x in scores if not x >= threshold),
        both_best,
        (settings.spd_low, settings.spd_high),
        (low, high),
        broken_units(units, scores, portfolio.keep, threshold, required),
        broken_units(both_units, both_scores, both_best.keep, threshold, required),
    )


@dataclass(frozen=True)
class UrusanEffect:
    """Coverage of the six urusan wajib, whether the chosen year's rule is met, and what a stricter later
    year would do to the count score (None when the chosen year has a rule itself or no later year does)."""

    covered: int
    of: int
    rules: RuleSet
    ok: bool
    later: RuleSet | None = None
    later_ok: bool = True
    later_iid: float = 0.0  # the IID under the later year's rule
    later_iid_without_rule: float = 0.0  # the same, had the count score been kept
    unknown: int = 0  # innovations with no urusan in the files (they cover nothing)
    total: int = 0


def urusan_effect(analysis: Analysis, settings: Settings) -> UrusanEffect:
    scores, urusan = entries(analysis)
    chosen = load_rules(settings.rule_year)
    now = project(scores, urusan, settings.spd, chosen)
    effect = UrusanEffect(
        now.urusan_covered,
        len(urusan_wajib()),
        chosen,
        now.urusan_ok,
        unknown=sum(not u.strip() for u in urusan),
        total=len(urusan),
    )
    stricter = [y for y in available_years() if y > chosen.year and load_rules(y).urusan_wajib_min]
    if chosen.urusan_wajib_min or not stricter:
        return effect
    later = load_rules(stricter[0])
    p = project(scores, urusan, settings.spd, later)
    count = min(p.n, later.count_cap) * later.count_weight
    return dataclasses.replace(
        effect,
        later=later,
        later_ok=p.urusan_ok,
        later_iid=p.iid,
        later_iid_without_rule=p.iid + (0 if p.urusan_ok else count / later.total_max * 100),
    )
