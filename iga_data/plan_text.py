"""Plans in words, for pages, the CLI and messages to units (Bahasa Indonesia, Indonesian numbers)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import fmt
from .pipeline import Analysis
from .plan import Plan, Step

NO_LEVELS = "Level indikator belum diketahui — unit perlu mengisi Lembar Penilaian Mandiri"
PARAPHRASE_NOTE = "Teks level adalah parafrase, bukan teks resmi BSKDN; cocokkan dengan petunjuk teknis."


def step_words(step: Step) -> str:
    """ "Indikator 16 Regulasi Inovasi Daerah: dari 'SK Kepala Perangkat Daerah' ke 'SK Kepala Daerah' (+3 poin)"."""
    ind = step.indicator
    must = " (wajib, tidak boleh 0)" if ind.mandatory and step.from_level == 0 else ""
    return (
        f"Indikator {ind.number} {ind.name}{must}: dari '{ind.levels[step.from_level]}' "
        f"ke '{ind.levels[step.to_level]}' (+{fmt.score(step.points)} poin)"
    )


def outcome(plan: Plan) -> str:
    """Where the plan ends, in one sentence."""
    if not plan.reachable:
        return (
            f"Skor {fmt.score(plan.threshold)} tidak dapat dicapai; skor tertinggi yang mungkin "
            f"{fmt.score(plan.after)}."
        )
    if not plan.steps:
        return f"Level indikator sudah memberi skor {fmt.score(plan.start)}, mencapai {fmt.score(plan.threshold)}."
    return (
        f"{fmt.num(len(plan.steps))} langkah: skor {fmt.score(plan.start)} menjadi {fmt.score(plan.after)} "
        f"(minimal {fmt.score(plan.threshold)})."
    )


def plan_lines(plan: Plan) -> list[str]:
    """Every step in words, then the outcome (callers add PARAPHRASE_NOTE once when `plan.paraphrased`)."""
    return [step_words(s) for s in plan.steps] + [outcome(plan)]


def _grouped(steps: tuple[Step, ...]) -> list[tuple[Step, int, float]]:
    """Consecutive steps of one indicator as (first step, last level, points)."""
    out: list[tuple[Step, int, float]] = []
    for s in steps:
        if out and out[-1][0].indicator == s.indicator and out[-1][1] == s.from_level:
            first, _, points = out[-1]
            out[-1] = (first, s.to_level, points + s.points)
        else:
            out.append((s, s.to_level, s.points))
    return out


def plan_summary(plan: Plan | None) -> str:
    """One line for a table cell: 'Ke 71 dalam 3 langkah: Ind. 35 Video Inovasi 0→2 (+8); …'."""
    if plan is None:
        return NO_LEVELS
    if not plan.steps:
        return outcome(plan)
    parts = [
        f"Ind. {first.indicator.number} {first.indicator.name} {first.from_level}→{last} (+{fmt.score(points)}"
        + (", wajib" if first.indicator.mandatory and first.from_level == 0 else "")
        + ")"
        for first, last, points in _grouped(plan.steps)
    ]
    head = (
        f"Ke {fmt.score(plan.after)} dalam {fmt.num(len(plan.steps))} langkah"
        if plan.reachable
        else f"Tidak dapat mencapai {fmt.score(plan.threshold)}; paling tinggi {fmt.score(plan.after)}"
    )
    return f"{head}: " + "; ".join(parts)


def plan_message(unit: str, innovation: str, score: float, plan: Plan | None, threshold: float) -> str:
    """A WhatsApp message to the unit: the innovation, its score, and the steps to the threshold."""
    now = "belum dinilai" if score is None or math.isnan(score) else fmt.score(score)
    lines = [f"*{innovation}* ({unit})", f"Skor sekarang: {now}; skor minimal {fmt.score(threshold)}."]
    if plan is None:
        return "\n".join(lines + [NO_LEVELS + ", lalu kirim kembali ke Bappeda."])
    if now == "belum dinilai" or abs(plan.start - score) > 0.05:
        lines.append(f"Menurut level indikator: {fmt.score(plan.start)}.")
    if plan.steps:
        lines.append(f"Langkah menuju {fmt.score(threshold)}:")
        lines += [f"{i}. {step_words(s)}" for i, s in enumerate(plan.steps, 1)]
    lines.append(outcome(plan))
    if plan.paraphrased:
        lines.append(f"_{PARAPHRASE_NOTE}_")
    return "\n".join(lines)


def gap_text(plan: Plan) -> str:
    """The calculator's 'kurang' figure: points still missing, or 'tercapai'."""
    return "tercapai" if plan.gap <= 0 else fmt.score(plan.gap)


def mandatory_warning(plan: Plan) -> str:
    """'' or a warning naming the mandatory indicators still at level 0."""
    if not plan.missing_mandatory:
        return ""
    return (
        f"Indikator wajib masih level 0: {', '.join(map(str, plan.missing_mandatory))} — inovasi dapat "
        "dinyatakan tidak memenuhi syarat; naikkan dulu ke level 1."
    )


def plans_table(plans: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Pages: one row per innovation under the threshold with its road there (from `plan.plans_for`)."""
    ordered = plans.sort_values(["unit_name", "innovation"], kind="stable")
    return pd.DataFrame(
        {
            "Inovasi": ordered["innovation"],
            "Unit": ordered["unit_name"],
            "Skor": ordered["score"].map(fmt.score),
            f"Jalan ke {fmt.score(threshold)}": ordered["plan"].map(plan_summary),
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class PlanItem:
    """One innovation under the threshold and its road there, in words (a list on a page, lines in the CLI)."""

    unit: str
    innovation: str
    score: str  # "skor 62" or "belum dinilai"
    steps: tuple[str, ...]  # the numbered steps
    outcome: str  # where the steps end, or what the unit must do first when its levels are unknown


def plan_items(plans: pd.DataFrame) -> list[PlanItem]:
    """Every row of `plan.plans_for` in words, in its order."""
    items = []
    for row in plans.itertuples():
        score = "belum dinilai" if math.isnan(row.score) else f"skor {fmt.score(row.score)}"
        lines = [f"{NO_LEVELS}."] if row.plan is None else plan_lines(row.plan)
        items.append(PlanItem(row.unit_name, row.innovation, score, tuple(lines[:-1]), lines[-1]))
    return items


def plans_text(plans: pd.DataFrame, threshold: float, year: int, paraphrased: bool) -> str:
    """The CLI's readable list: every innovation under the threshold with its steps."""
    t = fmt.score(threshold)
    known = int(plans["plan"].notna().sum())
    lines = [
        f"Jalan ke {t} — {fmt.num(len(plans))} inovasi di bawah {t} atau belum dinilai (aturan {year}); "
        f"{fmt.num(known)} dengan level indikator diketahui."
    ]
    for item in plan_items(plans):
        lines += [
            "",
            f"{item.unit} — {item.innovation}: {item.score}",
            *(f"  {i}. {step}" for i, step in enumerate(item.steps, 1)),
            f"  {item.outcome}",
        ]
    if paraphrased and known:
        lines += ["", PARAPHRASE_NOTE]
    return "\n".join(lines)


def unknown_levels_note(analysis: Analysis, index: int) -> str:
    """Kalkulator Skor, for an innovation whose levels are unknown: its recorded score, and why the calculator
    starts from 0 all the same."""
    score = analysis.innovations.loc[index, "score"]
    recorded = "belum dinilai" if score != score else f"skor tercatat {fmt.score(score)}"
    return (
        f"Inovasi ini {recorded} di berkas, tetapi level indikatornya belum diketahui, jadi kalkulator dimulai "
        "dari level 0. Isi level sesuai bukti, atau minta unitnya mengisi Lembar Penilaian Mandiri."
    )


def innovation_choices(analysis: Analysis) -> dict[int, str]:
    """Kalkulator Skor: every innovation in view (index -> 'Inovasi — Unit (skor)'), by unit then name."""
    inn = analysis.innovations.sort_values(["unit_name", "innovation"], kind="stable")
    return {
        i: f"{name} — {unit} ({'belum dinilai' if score != score else fmt.score(score)})"
        for i, name, unit, score in zip(inn.index, inn["innovation"], inn["unit_name"], inn["score"])
    }
