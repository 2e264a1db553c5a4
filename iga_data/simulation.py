"""What today's entries give on the Indeks Inovasi Daerah, and what each lever would change.

The local rule (two innovations of at least 70 per unit) and the national
index pull in different directions past 200 innovations: an extra innovation
under the average lowers the IID. This module puts both side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import fmt
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
    key: str
    label: str
    description: str
    projection: Projection


@dataclass(frozen=True)
class Simulation:
    rules: RuleSet
    current: Projection
    scenarios: list[Scenario]
    portfolio: Portfolio  # best subset of today's entries
    target_iid: float

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
    t, a = fmt.score(threshold), fmt.score(added_score)
    scenarios = [
        Scenario("now", "Data sekarang", f"{fmt.num(len(scores))} inovasi seperti adanya.",
                 project(scores, urusan, spd, rules)),
        Scenario("raise", f"Naikkan yang di bawah {t}",
                 f"Setiap inovasi di bawah {t} (dan yang belum dinilai) diperbaiki sampai {t}.",
                 project(raised, urusan, spd, rules)),
        Scenario("add", "Lengkapi unit yang kurang",
                 f"{fmt.num(len(additions))} inovasi baru dari unit yang belum lengkap, masing-masing skor {a}.",
                 project(added_scores, added_urusan, spd, rules)),
        Scenario("both", "Perbaiki dan lengkapi", "Kedua langkah di atas bersama-sama.",
                 project(both_scores, both_urusan, spd, rules)),
        Scenario("best", "Portofolio terbaik (data sekarang)",
                 f"Kirim {fmt.num(portfolio.projection.n)} inovasi terbaik dan tinggalkan "
                 f"{fmt.num(len(portfolio.left_out))} inovasi (daftarnya di bawah).", portfolio.projection),
        Scenario("both_best", "Perbaiki, lengkapi, lalu pilih terbaik",
                 f"Setelah perbaikan dan tambahan, kirim {fmt.num(both_best.projection.n)} inovasi terbaik.",
                 both_best.projection),
    ]
    return Simulation(rules, scenarios[0].projection, scenarios, portfolio, settings.target_iid)


def scenarios_table(sim: Simulation) -> pd.DataFrame:
    return pd.DataFrame([{
        "Langkah": s.label,
        "Inovasi dikirim": fmt.num(s.projection.n),
        "Rata-rata kematangan": fmt.num(s.projection.avg_kematangan, 2),
        "Skor jumlah inovasi": fmt.num(s.projection.skor_jumlah_inovasi, 2),
        "IID": fmt.num(s.projection.iid, 2),
        "Predikat": s.projection.predikat,
        "Target tercapai": "ya" if s.projection.iid >= sim.target_iid else "belum",
        "Keterangan": s.description,
    } for s in sim.scenarios])


def projection_rows(p: Projection, rules: RuleSet, spd: float) -> pd.DataFrame:
    """The computation step by step, as a hand computation would show it."""
    six = len(urusan_wajib())
    rule = (f"minimal {rules.urusan_wajib_min} dari {six} urusan wajib" if rules.urusan_wajib_min
            else "tidak ada syarat urusan wajib")
    return pd.DataFrame([
        ("Jumlah inovasi (n)", fmt.num(p.n), "yang belum dinilai ikut dihitung dengan skor 0"),
        ("Pembagi MAX(k, n)", fmt.num(p.divisor), f"k = {rules.k}"),
        ("Jumlah skor kematangan", fmt.num(p.total_kematangan, 2), "skala 0–111 per inovasi"),
        ("Rata-rata kematangan", fmt.num(p.avg_kematangan, 2), "jumlah skor ÷ pembagi"),
        ("Skor jumlah inovasi", fmt.num(p.skor_jumlah_inovasi, 2),
         f"MIN(n, {rules.count_cap}) × {fmt.num(rules.count_weight, 2)}; {rule}; "
         f"tercakup {p.urusan_covered} dari {six}"),
        ("SID", fmt.num(p.sid, 2), "rata-rata + skor jumlah"),
        ("SPD", fmt.num(spd, 2), f"perkiraan (maks. {fmt.num(rules.spd_max)}), diisi di Pengaturan"),
        ("IID", fmt.num(p.iid, 2), f"(SPD + SID) ÷ {fmt.num(rules.total_max)} × 100"),
        ("Predikat", p.predikat, f"aturan {rules.year}"),
    ], columns=["Langkah", "Nilai", "Keterangan"])


def left_out_table(analysis: Analysis, portfolio: Portfolio) -> pd.DataFrame:
    """Innovations the best portfolio leaves out, and whether that breaks the local rule for a unit."""
    inn = analysis.innovations
    out = inn.iloc[portfolio.left_out]
    kept = inn.iloc[portfolio.keep]
    threshold, required = analysis.settings.threshold, analysis.settings.required_per_unit
    passing_kept = kept[kept["score"] >= threshold].groupby("unit_key").size()
    status = dict(zip(analysis.units["unit_key"], analysis.units["status"]))
    broken = f"unit tidak lagi punya {required} inovasi ≥ {fmt.score(threshold)}"
    conflict = [
        broken if status.get(k) == "ready" and passing_kept.get(k, 0) < required else "–"
        for k in out["unit_key"]
    ]
    table = pd.DataFrame({
        "Inovasi": out["innovation"], "Unit": out["unit_name"], "Skor": out["score"].map(fmt.score),
        "Aturan lokal": conflict, "_score": out["score"].fillna(-1),
    })
    return table.sort_values("_score", kind="stable").drop(columns="_score").reset_index(drop=True)


def urusan_effect(analysis: Analysis, settings: Settings) -> str:
    """Coverage of the six urusan wajib and what it does to the count score, now and under stricter years."""
    scores, urusan = entries(analysis)
    chosen = load_rules(settings.rule_year)
    now = project(scores, urusan, settings.spd, chosen)
    text = f"Tercakup {now.urusan_covered} dari {len(urusan_wajib())} urusan wajib pelayanan dasar. "
    if chosen.urusan_wajib_min:
        text += (f"Aturan {chosen.year} mensyaratkan minimal {chosen.urusan_wajib_min}: "
                 + ("terpenuhi." if now.urusan_ok else
                    "tidak terpenuhi, sehingga skor jumlah inovasi menjadi 0."))
        return text
    text += f"Aturan {chosen.year} tidak mensyaratkan cakupan urusan wajib."
    stricter = [y for y in available_years() if y > chosen.year and load_rules(y).urusan_wajib_min]
    if stricter:
        later = load_rules(stricter[0])
        p = project(scores, urusan, settings.spd, later)
        if p.urusan_ok:
            text += f" Dengan aturan {later.year} (minimal {later.urusan_wajib_min}) data ini tetap memenuhi syarat."
        else:
            count = min(p.n, later.count_cap) * later.count_weight
            no_rule = p.iid + count / later.total_max * 100
            text += (f" Dengan aturan {later.year} (minimal {later.urusan_wajib_min}) skor jumlah inovasi akan 0 "
                     f"dan IID turun menjadi {fmt.num(p.iid, 2)} (bukan {fmt.num(no_rule, 2)}).")
    return text


def projection_help(rules: RuleSet) -> str:
    """What the IID figure is, for the help tooltip."""
    return (f"Perkiraan: IID = (SPD + SID) ÷ {fmt.num(rules.total_max)} × 100, dengan SPD dari Pengaturan dan SID "
            "dari skor kematangan semua inovasi. Nilai resmi ditetapkan BSKDN setelah verifikasi.")


def verdict(p: Projection, target_iid: float) -> str:
    """Predikat and the distance to the target, in one sentence."""
    head = f"Predikat **{p.predikat}**. "
    if p.iid >= target_iid:
        return head + f"Sudah mencapai target IID {fmt.num(target_iid, 2)}."
    return head + f"Kurang **{fmt.num(target_iid - p.iid, 2)} poin** dari target IID {fmt.num(target_iid, 2)}."


UNCERTAIN_LABELS = {
    "k": "nilai k (pembagi minimum)", "indicators": "daftar dan bobot indikator", "levels": "uraian level parameter",
    "urusan_wajib_min": "syarat cakupan urusan wajib", "bobot": "bobot indikator", "mandatory": "indikator wajib",
}


def uncertain_text(rules: RuleSet) -> str:
    """Which figures of a rule year are not confirmed by a source, in words ('' when all are)."""
    if not rules.uncertain:
        return ""
    names = ", ".join(UNCERTAIN_LABELS.get(u, u) for u in rules.uncertain)
    return f"Belum pasti pada aturan {rules.year}: {names}. Ubah berkas iga_data/config/rules/{rules.year}.toml bila ada sumber resmi."


def portfolio_note(rules: RuleSet) -> str:
    """Why sending fewer innovations can raise the index, in the rule year's own figures."""
    cap, weight = rules.count_cap, fmt.num(rules.count_weight, 2)
    return (f"Sampai {fmt.num(cap)} inovasi, setiap inovasi menambah {weight} pada skor jumlah inovasi. "
            f"Setelah {fmt.num(cap)}, inovasi tambahan yang skornya di bawah rata-rata justru menurunkan IID.")
