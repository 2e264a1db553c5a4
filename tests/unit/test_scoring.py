"""IID projection, indicator scores, what-ifs and the best portfolio (figures computed by hand)."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iga_data.errors import InputError
from iga_data.rules import NOT_RATED, load_rules
from iga_data.scoring import (
    add_missing,
    best_portfolio,
    effective_scores,
    has_indicators,
    indicator_scores,
    project,
    raise_to_threshold,
    urusan_coverage,
)

YEARS = [2023, 2024, 2026]
WAJIB = [
    "Pendidikan",
    "Kesehatan",
    "Pekerjaan Umum dan Penataan Ruang",
    "Perumahan Rakyat dan Kawasan Permukiman",
    "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat",
    "Sosial",
]
OTHERS = ["Pariwisata", "Perhubungan", "", "Kesehatan dan Sosial"]
NAN = float("nan")


def cycle(urusan, n):
    return [urusan[i % len(urusan)] for i in range(n)]


# --- projection -------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_everything_at_maximum_gives_100(year):
    r = load_rules(year)
    p = project([111.0] * 200, cycle(WAJIB, 200), 63, r)
    assert p.n == 200 and p.divisor == 200
    assert p.avg_kematangan == pytest.approx(111)
    assert p.skor_jumlah_inovasi == pytest.approx(76)
    assert p.urusan_covered == 6 and p.urusan_ok
    assert p.iid == pytest.approx(100)
    assert p.predikat == "Sangat Inovatif"


SCORES_8 = [70, 80, 90, 100, 60, 50, 40, 30]  # Σ = 520


def test_eight_innovations_under_k12_2026():
    p = project(SCORES_8, cycle(WAJIB, 8), 45, load_rules(2026))
    assert p.n == 8
    assert p.divisor == 12
    assert p.total_kematangan == pytest.approx(520)
    assert p.avg_kematangan == pytest.approx(520 / 12)
    assert p.skor_jumlah_inovasi == pytest.approx(8 * 0.38)
    # (45 + 43.3333 + 3.04) / 250 × 100 = 36.5493
    assert p.iid == pytest.approx(36.549333, abs=1e-6)
    assert p.predikat == "Kurang Inovatif"


def test_eight_innovations_under_k10_2023():
    p = project(SCORES_8, cycle(WAJIB, 8), 45, load_rules(2023))
    assert p.divisor == 10
    # (45 + 52 + 3.04) / 2.5 = 40.016
    assert p.iid == pytest.approx(40.016)
    assert p.predikat == "Inovatif"


@pytest.mark.parametrize("year", YEARS)
def test_count_score_capped_at_200(year):
    p = project([80.0] * 250, cycle(WAJIB, 250), 40, load_rules(year))
    assert p.divisor == 250
    assert p.skor_jumlah_inovasi == pytest.approx(200 * 0.38) == 76
    assert p.sid == pytest.approx(80 + 76)


FOUR_URUSAN = cycle(WAJIB[:4] + ["Pariwisata"], 10)


def test_four_of_six_urusan_zeroes_count_score_in_2026():
    p = project([80.0] * 10, FOUR_URUSAN, 40, load_rules(2026))
    assert p.urusan_covered == 4
    assert not p.urusan_ok
    assert p.skor_jumlah_inovasi == 0
    assert p.sid == pytest.approx(800 / 12)


def test_four_of_six_urusan_is_fine_in_2024():
    p = project([80.0] * 10, FOUR_URUSAN, 40, load_rules(2024))
    assert p.urusan_covered == 4
    assert p.urusan_ok
    assert p.skor_jumlah_inovasi == pytest.approx(3.8)


def test_five_of_six_urusan_is_enough_in_2026():
    p = project([80.0] * 10, cycle(WAJIB[:5], 10), 40, load_rules(2026))
    assert p.urusan_covered == 5 and p.urusan_ok
    assert p.skor_jumlah_inovasi == pytest.approx(3.8)


def test_unscored_innovations_count_in_n_with_zero():
    r = load_rules(2023)
    p = project([100.0, NAN, NAN], ["Pendidikan"] * 3, 30, r)
    assert p.n == 3
    assert p.total_kematangan == 100
    assert p.divisor == 10
    assert p.skor_jumlah_inovasi == pytest.approx(3 * 0.38)
    assert p.iid == pytest.approx((30 + 10 + 1.14) / 2.5)


def test_no_innovation():
    r = load_rules(2026)
    zero = project([], [], 0, r)
    assert zero.n == 0 and zero.divisor == 12
    assert zero.iid == 0 and zero.predikat == NOT_RATED
    spd_only = project([], [], 45, r)
    assert spd_only.iid == pytest.approx(18)
    assert spd_only.skor_jumlah_inovasi == 0


@pytest.mark.parametrize("spd", [-0.1, 63.5, NAN, "banyak"])
def test_spd_out_of_range_is_refused(spd):
    with pytest.raises(InputError, match="SPD"):
        project([80.0], ["Pendidikan"], spd, load_rules(2026))


@pytest.mark.parametrize("score", [-1.0, 111.5])
def test_score_out_of_range_is_refused(score):
    with pytest.raises(InputError, match="kematangan"):
        project([80.0, score], ["Pendidikan", "Sosial"], 40, load_rules(2026))


def test_lengths_must_match():
    with pytest.raises(InputError, match="tidak sama"):
        project([80.0, 70.0], ["Pendidikan"], 40, load_rules(2026))


def test_urusan_coverage():
    cov = urusan_coverage(["Urusan Pendidikan Dasar", "PUPR", "Trantibum", "Pendidikanku"])
    assert list(cov) == WAJIB
    assert cov == {
        "Pendidikan": True,
        "Kesehatan": False,
        "Pekerjaan Umum dan Penataan Ruang": True,
        "Perumahan Rakyat dan Kawasan Permukiman": False,
        "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat": True,
        "Sosial": False,
    }
    assert sum(urusan_coverage(["Kesehatan & Sosial", NAN]).values()) == 2
    assert not any(urusan_coverage(["Kesehatanmu", ""]).values())


# --- indicators ---------------------------------------------------------------


def indicator_rows(levels: list[dict[int, float]], scores: list[float], numbers=range(16, 36)):
    data = {f"ind_{n}": [row.get(n, NAN) for row in levels] for n in numbers}
    return pd.DataFrame({"score": scores, **data}, index=[10 + i for i in range(len(scores))])


def test_indicator_scores():
    r = load_rules(2026)
    all3 = dict.fromkeys(range(16, 36), 3.0)
    no_rules_no_video = {**all3, 16: 0.0, 35: 0.0}
    rows = indicator_rows([all3, no_rules_no_video, {}, all3], [111.0, 100.0, 80.0, 111.4])
    out = indicator_scores(rows, r)
    assert list(out.index) == list(rows.index)
    assert out["computed"].tolist()[:2] == [111.0, 111.0 - 9 - 12]
    assert math.isnan(out["computed"].iloc[2])
    assert out["missing_mandatory"].tolist() == [[], [16, 35], [], []]
    assert out["differs"].tolist() == [False, True, False, False]
    strict = indicator_scores(rows, r, tolerance=0.1)
    assert strict["differs"].tolist() == [False, True, False, True]


def test_indicator_scores_only_columns_present():
    r = load_rules(2026)
    rows = indicator_rows([{16: 2.0, 18: 1.0}, {16: 0.0}, {18: NAN}], [NAN, NAN, NAN], numbers=[16, 18])
    out = indicator_scores(rows, r)
    assert out["computed"].tolist()[:2] == [3 * 2 + 2 * 1, 0.0]
    assert math.isnan(out["computed"].iloc[2])
    # 17, 32, 33, 35 are mandatory too but have no column: not flagged.
    assert out["missing_mandatory"].tolist() == [[], [16], []]
    assert not out["differs"].any()


def test_indicator_level_out_of_range_is_refused():
    rows = indicator_rows([{16: 4.0}], [NAN])
    with pytest.raises(InputError, match="indikator 16"):
        indicator_scores(rows, load_rules(2026))


def test_has_indicators():
    assert not has_indicators(pd.DataFrame({"score": [1.0]}))
    assert not has_indicators(indicator_rows([{}], [50.0]))
    assert has_indicators(indicator_rows([{}, {20: 1.0}], [50.0, NAN]))


def test_effective_scores_fill_missing_with_computed():
    rows = indicator_rows([dict.fromkeys(range(16, 36), 3.0), {16: 1.0}, {}], [90.0, NAN, NAN])
    eff = effective_scores(rows, load_rules(2026))
    assert eff.iloc[0] == 90.0 and eff.iloc[1] == 3.0 and math.isnan(eff.iloc[2])
    assert list(eff.index) == list(rows.index)


# --- what-ifs -----------------------------------------------------------------


def test_raise_to_threshold():
    assert raise_to_threshold([50.0, NAN, 80.0, 70.0], 70) == [70.0, 70.0, 80.0, 70.0]
    with pytest.raises(InputError):
        raise_to_threshold([50.0], -1)


def test_add_missing():
    scores, urusan = add_missing([80.0], ["Pendidikan"], [(75.0, "Sosial"), (NAN, "")])
    assert scores[:2] == [80.0, 75.0] and math.isnan(scores[2])
    assert urusan == ["Pendidikan", "Sosial", ""]


# --- best portfolio -------------------------------------------------------------


def test_leaving_out_a_weak_innovation_past_the_cap():
    r = load_rules(2023)
    scores = [100.0] * 100 + [10.0] + [100.0] * 100
    urusan = cycle(WAJIB, 201)
    best = best_portfolio(scores, urusan, 40, r)
    assert best.left_out == [100]
    assert best.keep == [i for i in range(201) if i != 100]
    assert best.projection.iid > project(scores, urusan, 40, r).iid
    assert best.projection.iid == pytest.approx((40 + 100 + 76) / 2.5)
    assert len(best.curve) == 201
    assert max(v for _, v in best.curve) == pytest.approx(best.projection.iid)


def rule_case():
    """200 strong Pendidikan innovations, ten middling Pariwisata ones (indices
    200-209) and five weak ones, one per other urusan wajib (210-214)."""
    scores = [111.0] * 200 + [50.0] * 10 + [5.0, 6.0, 7.0, 8.0, 9.0]
    urusan = ["Pendidikan"] * 200 + ["Pariwisata"] * 10 + WAJIB[1:]
    return scores, urusan


def test_urusan_rule_keeps_weak_innovations_in_2026():
    scores, urusan = rule_case()
    best = best_portfolio(scores, urusan, 40, load_rules(2026))
    # 200 × 111 + 6 + 7 + 8 + 9 = 22230 over 204, + 76: the weak ones are worth
    # their place for the count score; the stronger Pariwisata ones are not.
    assert best.left_out == list(range(200, 210)) + [210]
    assert best.projection.urusan_covered == 5 and best.projection.urusan_ok
    assert best.projection.iid == pytest.approx((40 + 22230 / 204 + 76) / 2.5)


def test_no_urusan_rule_drops_weak_innovations_in_2024():
    scores, urusan = rule_case()
    best = best_portfolio(scores, urusan, 40, load_rules(2024))
    assert best.keep == list(range(200))
    assert best.left_out == list(range(200, 215))
    assert best.projection.iid == pytest.approx((40 + 111 + 76) / 2.5)


def test_best_portfolio_of_nothing():
    best = best_portfolio([], [], 40, load_rules(2026))
    assert best.keep == [] and best.left_out == [] and best.curve == []
    assert best.projection.n == 0


def test_best_portfolio_accepts_series():
    scores = pd.Series([90.0, 20.0], index=[7, 3])
    urusan = pd.Series(["Pendidikan", "Sosial"], index=[7, 3])
    best = best_portfolio(scores, urusan, 40, load_rules(2024))
    assert best.keep == [0, 1]
    assert best.projection.total_kematangan == 110


# --- properties -------------------------------------------------------------------

URUSAN_CHOICES = WAJIB + OTHERS
score_st = st.one_of(st.just(NAN), st.floats(0, 111), st.sampled_from([0.0, 70.0, 111.0]))
innovations_st = st.lists(st.tuples(score_st, st.sampled_from(URUSAN_CHOICES)), min_size=1, max_size=40)
spd_st = st.floats(0, 63)
EPS = 1e-7


def iid_of(scores, urusan, idx, spd, r):
    return project([scores[i] for i in idx], [urusan[i] for i in idx], spd, r).iid


def check_local_optimum(scores, urusan, spd, r):
    best = best_portfolio(scores, urusan, spd, r)
    n = len(scores)
    assert best.keep and sorted(best.keep + best.left_out) == list(range(n))
    assert best.keep == sorted(best.keep)
    assert best.projection == project([scores[i] for i in best.keep], [urusan[i] for i in best.keep], spd, r)
    top = best.projection.iid
    assert top >= project(scores, urusan, spd, r).iid - EPS
    if len(best.keep) > 1:
        for i in best.keep:
            assert top >= iid_of(scores, urusan, [j for j in best.keep if j != i], spd, r) - EPS
    for i in best.left_out:
        assert top >= iid_of(scores, urusan, sorted(best.keep + [i]), spd, r) - EPS
    return best


@settings(max_examples=60, deadline=None)
@given(innovations_st, spd_st, st.sampled_from(YEARS))
def test_best_portfolio_is_locally_optimal(innovations, spd, year):
    scores, urusan = map(list, zip(*innovations))
    check_local_optimum(scores, urusan, spd, load_rules(year))


@settings(max_examples=15, deadline=None)
@given(st.integers(150, 260), st.integers(0, 2**32 - 1), spd_st, st.sampled_from(YEARS))
def test_best_portfolio_around_the_cap(n, seed, spd, year):
    rng = np.random.default_rng(seed)
    scores = np.where(rng.random(n) < 0.1, np.nan, rng.uniform(0, 111, n)).tolist()
    urusan = [URUSAN_CHOICES[i] for i in rng.integers(0, len(URUSAN_CHOICES), n)]
    check_local_optimum(scores, urusan, spd, load_rules(year))


def rule_variant(year, cap, k, urusan_min):
    """Real rules with a small cap/k so that small inputs reach the cap."""
    return dataclasses.replace(load_rules(year), count_cap=cap, k=k, urusan_wajib_min=urusan_min)


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.tuples(score_st, st.sampled_from(URUSAN_CHOICES)), min_size=1, max_size=7),
    spd_st,
    st.sampled_from(YEARS),
    st.integers(0, 8),
    st.integers(1, 12),
    st.integers(0, 6),
)
def test_best_portfolio_is_exact_against_brute_force(innovations, spd, year, cap, k, urusan_min):
    scores, urusan = map(list, zip(*innovations))
    r = rule_variant(year, cap, k, urusan_min)
    best = best_portfolio(scores, urusan, spd, r)
    n = len(scores)
    by_size = {
        size: max(iid_of(scores, urusan, idx, spd, r) for idx in itertools.combinations(range(n), size))
        for size in range(1, n + 1)
    }
    assert best.projection.iid == pytest.approx(max(by_size.values()), abs=EPS)
    assert [s for s, _ in best.curve] == list(range(1, n + 1))
    for size, value in best.curve:
        assert value == pytest.approx(by_size[size], abs=EPS)
