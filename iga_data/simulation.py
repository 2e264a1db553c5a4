"""What today's entries give on the Indeks Inovasi Daerah, and what each lever would change.

The local rule (two innovations of at least 70 per unit) and the national
index pull in different directions past 200 innovations: an extra innovation
under the average lowers the IID. This module puts both side by side.
"""

from __future__ import annotations

import dataclasses
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
    both_best: Portfolio  # best subset after raising and adding

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


def missing_additions(analysis: Analysis, score: float) -> list[tuple[float, str]]:
    """One (score, urusan) per innovation lagging units still have to upload."""
    urusan_of = {t.code: t.urusan for t in unit_types()}
    units = analysis.units
    return [(score, urusan_of.get(t, "")) for t, m in zip(units["unit_type"], units["missing"]) for _ in range(m)]


def simulate(analysis: Analysis, settings: Settings, added_score: float) -> Simulation:
    """Today's projection and the levers, under the rule year chosen in Pengaturan."""
    rules = load_rules(settings.rule_year)
    spd, threshold = settings.spd, settings.threshold
    scores, urusan = entries(analysis)
    raised = raise_to_threshold(scores, threshold)
    additions = missing_additions(analysis, added_score)
    added_scores, added_urusan = add_missing(scores, urusan, additions)
    both_scores, both_urusan = add_missing(raised, urusan, additions)
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
    return Simulation(rules, scenarios[0].projection, scenarios, portfolio, settings.target_iid, threshold,
                      added_score, len(additions), both_best)


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


def urusan_effect(analysis: Analysis, settings: Settings) -> UrusanEffect:
    scores, urusan = entries(analysis)
    chosen = load_rules(settings.rule_year)
    now = project(scores, urusan, settings.spd, chosen)
    effect = UrusanEffect(now.urusan_covered, len(urusan_wajib()), chosen, now.urusan_ok)
    stricter = [y for y in available_years() if y > chosen.year and load_rules(y).urusan_wajib_min]
    if chosen.urusan_wajib_min or not stricter:
        return effect
    later = load_rules(stricter[0])
    p = project(scores, urusan, settings.spd, later)
    count = min(p.n, later.count_cap) * later.count_weight
    return dataclasses.replace(effect, later=later, later_ok=p.urusan_ok, later_iid=p.iid,
                               later_iid_without_rule=p.iid + (0 if p.urusan_ok else count / later.total_max * 100))
