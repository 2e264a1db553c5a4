"""The road to the threshold: fewest steps (checked against brute force), mandatory first, words."""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest
from builders import source, xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from iga_data.errors import InputError
from iga_data.pipeline import analyse
from iga_data.plan import innovation_levels, make_plan, plan_record, plans_for
from iga_data.plan_text import (
    NO_LEVELS,
    PARAPHRASE_NOTE,
    gap_text,
    mandatory_warning,
    outcome,
    plan_lines,
    plan_message,
    plan_summary,
    plans_table,
    step_words,
)
from iga_data.reading import read_sources
from iga_data.rules import MAX_LEVEL, Indicator, load_rules
from iga_data.settings import default_settings

RULES = load_rules(2026)
EPS = 1e-9


def small_rules(bobot, mandatory):
    """A rule set with a few indicators numbered from 16, for brute force."""
    indicators = tuple(
        Indicator(16 + i, f"Indikator uji {i}", float(b), m, tuple(f"L{lv}" for lv in range(4)))
        for i, (b, m) in enumerate(zip(bobot, mandatory))
    )
    return dataclasses.replace(RULES, indicators=indicators, max_per_innovation=sum(bobot) * MAX_LEVEL)


def final_levels(plan, levels, rules):
    out = {ind.number: int(levels.get(ind.number, 0)) for ind in rules.indicators}
    for s in plan.steps:
        assert out[s.indicator.number] == s.from_level, "each step starts where the previous one left off"
        out[s.indicator.number] = s.to_level
    return out


def brute_force(levels, rules, threshold):
    """(fewest steps, lowest score with that many steps) over every reachable level vector; None when
    no vector reaches the threshold."""
    best = None
    ranges = [range(max(levels[ind.number], 1 if ind.mandatory else 0), MAX_LEVEL + 1) for ind in rules.indicators]
    for target in itertools.product(*ranges):
        score = sum(ind.bobot * lv for ind, lv in zip(rules.indicators, target))
        if score < threshold - EPS:
            continue
        steps = sum(t - levels[ind.number] for ind, t in zip(rules.indicators, target))
        if best is None or (steps, score) < (best[0], best[1] - EPS):
            best = (steps, score)
    return best


def check_against_brute_force(levels, rules, threshold):
    plan = make_plan(levels, rules, threshold)
    after = final_levels(plan, levels, rules)
    assert all(0 <= lv <= MAX_LEVEL for lv in after.values())
    assert all(after[n] >= 1 for n in rules.mandatory), "no mandatory indicator is left at 0"
    assert plan.after == pytest.approx(sum(ind.bobot * after[ind.number] for ind in rules.indicators))
    expected = brute_force(levels, rules, threshold)
    if expected is None:
        assert not plan.reachable
        assert plan.after == pytest.approx(rules.max_per_innovation), "the best reachable score is the top"
    else:
        assert plan.reachable
        assert len(plan.steps) == expected[0], "fewest steps"
        assert plan.after == pytest.approx(expected[1]), "least overshoot among the fewest steps"
    return plan


# --- the plan is minimal ---------------------------------------------------------


@pytest.mark.parametrize(
    "bobot, mandatory, levels, threshold",
    [
        ((4, 3, 2), (False, False, False), (0, 0, 0), 5),  # 3 + 2 lands on 5; 4 + 3 would overshoot
        ((3, 1), (False, False), (0, 0), 4),  # 3 + 1, not 3 + 3
        ((2, 2, 2), (True, False, True), (0, 3, 0), 0),  # threshold met, mandatory still raised
        ((1, 1), (False, False), (3, 2), 6),  # one step left: 5 -> 6
        ((2, 1), (False, False), (0, 0), 10),  # out of reach: everything to the top (9)
        ((1.5, 2.5, 0.5), (False, True, False), (1, 0, 2), 9.5),  # fractional bobot
    ],
)
def test_small_cases_match_brute_force(bobot, mandatory, levels, threshold):
    rules = small_rules(bobot, mandatory)
    check_against_brute_force(dict(zip((16, 17, 18), levels)), rules, threshold)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_random_levels_and_bobot_match_brute_force(data):
    n = data.draw(st.integers(1, 5), label="indicators")
    bobot = data.draw(st.lists(st.sampled_from([0.5, 1, 1.5, 2, 3, 4, 5]), min_size=n, max_size=n), label="bobot")
    mandatory = data.draw(st.lists(st.booleans(), min_size=n, max_size=n), label="mandatory")
    levels = data.draw(st.lists(st.integers(0, MAX_LEVEL), min_size=n, max_size=n), label="levels")
    rules = small_rules(bobot, mandatory)
    threshold = data.draw(st.floats(0, rules.max_per_innovation + 3, allow_nan=False), label="threshold")
    check_against_brute_force({16 + i: lv for i, lv in enumerate(levels)}, rules, threshold)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, MAX_LEVEL), min_size=20, max_size=20), st.sampled_from([60, 70, 72.5, 90, 111]))
def test_real_rules_reach_the_threshold_without_wasted_steps(levels, threshold):
    """The 2026 rules (20 indicators): too many vectors for brute force, so check the defining facts."""
    by_number = {ind.number: lv for ind, lv in zip(RULES.indicators, levels)}
    plan = make_plan(by_number, RULES, threshold)
    after = final_levels(plan, by_number, RULES)
    assert plan.reachable and plan.after >= threshold - EPS
    assert all(after[n] >= 1 for n in RULES.mandatory)
    fixes = [s for s in plan.steps if s.indicator.mandatory and s.from_level == 0]
    assert plan.steps[: len(fixes)] == tuple(fixes), "mandatory indicators at 0 come first"
    # One step fewer (after the forced ones) can never reach: the largest steps on offer fall short.
    forced = plan.start + sum(s.points for s in fixes)
    free = len(plan.steps) - len(fixes)
    if free:
        on_offer = sorted(
            (
                ind.bobot
                for ind in RULES.indicators
                for _ in range(MAX_LEVEL - max(by_number[ind.number], int(ind.mandatory)))
            ),
            reverse=True,
        )
        assert forced + sum(on_offer[: free - 1]) < threshold - EPS
    assert make_plan(by_number, RULES, threshold) == plan, "deterministic"


def test_lowest_level_first_then_lower_number():
    rules = small_rules((2, 2, 2), (False, False, False))
    plan = make_plan({16: 2, 17: 0, 18: 0}, rules, 4 + 2)  # one step of 2 needed
    assert [(s.indicator.number, s.from_level) for s in plan.steps] == [(17, 0)]
    plan = make_plan({16: 2, 17: 0, 18: 0}, rules, 4 + 6)  # three steps: 17 and 18 to 1, then 17 to 2
    assert sorted((s.indicator.number, s.from_level) for s in plan.steps) == [(17, 0), (17, 1), (18, 0)]


def test_already_there_needs_no_step():
    levels = {ind.number: MAX_LEVEL for ind in RULES.indicators}
    plan = make_plan(levels, RULES, 70)
    assert plan.steps == () and plan.reachable and plan.gap == 0
    assert plan.start == plan.after == RULES.max_per_innovation
    assert outcome(plan) == "Level indikator sudah memberi skor 111, mencapai 70."
    assert gap_text(plan) == "tercapai" and mandatory_warning(plan) == ""


def test_scale_comes_from_the_rule_set():
    """Nothing hard-coded: a rule set with other bobot and fewer indicators is planned on its own scale."""
    rules = small_rules((5, 5), (True, False))
    plan = make_plan({}, rules, 30)
    assert plan.reachable and plan.after == 30 and len(plan.steps) == 6
    out_of_reach = make_plan({}, rules, 31)
    assert not out_of_reach.reachable and out_of_reach.after == 30
    assert outcome(out_of_reach) == "Skor 31 tidak dapat dicapai; skor tertinggi yang mungkin 30."


@pytest.mark.parametrize(
    "levels, threshold, message",
    [
        ({16: 4}, 70, "Level indikator 16 harus 0 sampai 3; tertulis 4."),
        ({16: 1.5}, 70, "Level indikator 16 harus 0 sampai 3; tertulis 1.5."),
        ({99: 1}, 70, "Indikator 99 tidak ada pada aturan 2026."),
        ({16: 1}, -1, "Ambang skor harus angka tidak negatif; tertulis -1."),
    ],
)
def test_bad_input_is_refused_in_indonesian(levels, threshold, message):
    with pytest.raises(InputError, match=message.replace(".", r"\.")):
        make_plan(levels, RULES, threshold)


def test_unknown_levels_count_as_zero():
    assert make_plan({16: float("nan"), 17: None}, RULES, 70) == make_plan({}, RULES, 70)


# --- words ----------------------------------------------------------------------------


def one_step_on_16():
    """Every indicator at the top except 16 at level 1; the threshold needs one step of 3."""
    levels = {ind.number: MAX_LEVEL for ind in RULES.indicators} | {16: 1}
    return make_plan(levels, RULES, RULES.max_per_innovation - 3)


def test_a_step_in_words_uses_the_rule_files_level_texts():
    plan = one_step_on_16()
    assert [step_words(s) for s in plan.steps] == [
        "Indikator 16 Regulasi Inovasi Daerah: dari 'SK Kepala Perangkat Daerah' ke 'SK Kepala Daerah' (+3 poin)"
    ]
    assert plan_lines(plan) == [step_words(plan.steps[0]), "1 langkah: skor 105 menjadi 108 (minimal 108)."]
    assert plan_summary(plan) == "Ke 108 dalam 1 langkah: Ind. 16 Regulasi Inovasi Daerah 1→2 (+3)"


def test_mandatory_steps_are_marked_and_one_indicators_steps_grouped_in_the_summary():
    plan = make_plan({ind.number: MAX_LEVEL for ind in RULES.indicators} | {35: 0}, RULES, 111)
    assert step_words(plan.steps[0]).startswith("Indikator 35 Video Inovasi (wajib, tidak boleh 0): dari 'Tidak ada")
    assert plan_summary(plan) == "Ke 111 dalam 3 langkah: Ind. 35 Video Inovasi 0→3 (+12, wajib)"
    assert mandatory_warning(plan).startswith("Indikator wajib masih level 0: 35")


def test_paraphrase_is_said_where_the_rule_file_says_so():
    plan = one_step_on_16()
    assert plan.paraphrased  # 2026.toml: uncertain = ["levels"]
    message = plan_message("Dinas Kesehatan", "SLAWE", 105, plan, plan.threshold)
    assert message.endswith(f"_{PARAPHRASE_NOTE}_")
    certain = dataclasses.replace(RULES, uncertain=())
    official = make_plan({ind.number: MAX_LEVEL for ind in RULES.indicators} | {16: 1}, certain, 108)
    assert not official.paraphrased
    assert PARAPHRASE_NOTE not in plan_message("Dinas Kesehatan", "SLAWE", 105, official, 108)


def test_message_to_the_unit():
    plan = one_step_on_16()
    assert plan_message("Dinas Kesehatan", "SLAWE", 105, plan, 108).split("\n")[:4] == [
        "*SLAWE* (Dinas Kesehatan)",
        "Skor sekarang: 105; skor minimal 108.",
        "Langkah menuju 108:",
        "1. " + step_words(plan.steps[0]),
    ]
    assert plan_message("Dinas Kesehatan", "SLAWE", 99, plan, 108).split("\n")[2] == "Menurut level indikator: 105."
    assert plan_message("Kelurahan Bajak", "Ronda", math.nan, None, 70) == (
        "*Ronda* (Kelurahan Bajak)\nSkor sekarang: belum dinilai; skor minimal 70.\n"
        f"{NO_LEVELS}, lalu kirim kembali ke Bappeda."
    )


def test_record_for_json():
    plan = one_step_on_16()
    assert plan_record(plan) == {
        "levels_known": True,
        "level_score": 105.0,
        "reachable": True,
        "score_after": 108.0,
        "steps": [
            {
                "indicator": 16,
                "name": "Regulasi Inovasi Daerah",
                "from_level": 1,
                "to_level": 2,
                "points": 3.0,
                "mandatory": True,
            }
        ],
    }
    assert plan_record(None) == {
        "levels_known": False,
        "level_score": None,
        "steps": [],
        "reachable": None,
        "score_after": None,
    }


# --- every innovation under the threshold ---------------------------------------------

HEADER = ["Nama Unit", "Nama Inovasi", "Skor", "Tanggal Input", "16", "35"]


def analysis_of(*files, **settings):
    load = read_sources([source(name, data) for name, data in files])
    return analyse(load, None, default_settings().replace(rule_year=2026, **settings))


def test_plans_for_every_innovation_under_the_threshold():
    export = xlsx(
        {
            "Data": [
                HEADER,
                ["Dinas Sosial", "Dapur Umum", None, None, 1, 2],  # levels known: 11, under 70
                ["Dinas Sosial", "Sedekah Beras", 62, None, None, None],  # score without levels
                ["Dinas Sosial", "Lumbung", 80, None, None, None],  # passing: no plan
                ["Kelurahan Bajak", "Ronda", None, None, None, None],  # not scored
            ]
        }
    )
    a = analysis_of(("ekspor.xlsx", export))
    plans = plans_for(a)
    assert plans["innovation"].tolist() == ["Dapur Umum", "Sedekah Beras", "Ronda"]
    dapur = plans["plan"].iloc[0]
    assert dapur.start == 11 and dapur.after >= 70 and dapur.reachable
    assert dapur == make_plan({16: 1, 35: 2}, RULES, 70)
    assert plans["plan"].iloc[1] is None and plans["plan"].iloc[2] is None
    assert plans_for(a, ["Kelurahan Bajak"])["innovation"].tolist() == ["Ronda"]
    table = plans_table(plans, 70)
    assert list(table.columns) == ["Inovasi", "Unit", "Skor", "Jalan ke 70"]
    assert table["Jalan ke 70"].tolist()[1:] == [NO_LEVELS, NO_LEVELS]  # Kelurahan Bajak after Dinas Sosial
    assert table["Skor"].tolist() == ["11", "62", "–"]


def test_levels_from_a_workbook_row_that_lost_to_a_dated_export_row():
    """The export (dated) wins the de-duplication, but the plan still uses the unit's self-assessment."""
    export = xlsx({"Data": [HEADER[:4], ["Dinas Sosial", "Dapur Umum", 62, "10/07/2024"]]})
    workbook = xlsx({"Penilaian": [["Nama Unit", "Nama Inovasi", "16", "35"], ["Dinas Sosial", "Dapur umum", 2, 3]]})
    a = analysis_of(("ekspor.xlsx", export), ("lembar.xlsx", workbook))
    assert a.innovations["score"].tolist() == [62]
    levels = innovation_levels(a)
    assert levels.loc[0, 16] == 2 and levels.loc[0, 35] == 3 and math.isnan(levels.loc[0, 17])
    plan = plans_for(a)["plan"].iloc[0]
    assert plan == make_plan({16: 2, 35: 3}, RULES, 70)
