"""Sentences for people, in Bahasa Indonesia, built from what the engine computed.

The engine modules (readiness, timeline, simulation, history) hold numbers and
codes; every sentence a page, the CLI or an export shows is written here, so
wording changes in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from . import fmt
from .pipeline import Summary
from .rules import RuleSet
from .scoring import Projection
from .settings import Settings
from .simulation import Scenario, Simulation, UrusanEffect
from .timeline import days_left
from .vocabulary import type_labels

STATUS_LABELS = {
    "ready": "Siap",
    "needs_improvement": "Perlu perbaikan",
    "incomplete": "Belum lengkap",
    "none": "Belum mengunggah",
}


def _needs_text(missing: int, to_fix: int, unscored: int, threshold: float) -> str:
    """What a lagging unit still has to do, in words."""
    parts = []
    if missing:
        parts.append(f"perlu {missing} inovasi lagi")
    if to_fix:
        fixable = to_fix - min(unscored, to_fix)
        if fixable:
            parts.append(f"{fixable} inovasi di bawah {fmt.score(threshold)} perlu diperbaiki")
        if to_fix - fixable:
            parts.append(f"{to_fix - fixable} inovasi belum dinilai")
    return "; ".join(parts)


def score_scale(settings: Settings) -> str:
    """ "skala 0–111": the kematangan scale of the rule year in force, beside every threshold shown."""
    return f"skala 0–{fmt.num(settings.rules.max_per_innovation)}"


def rules_line(settings: Settings) -> str:
    """The local rules in force, in one line."""
    return (f"skor minimal {fmt.decimal(settings.threshold)} ({score_scale(settings)}), "
            f"{settings.required_per_unit} inovasi per unit, tenggat {fmt.date(settings.deadline)}")


def needs(units: pd.DataFrame, threshold: float) -> pd.Series:
    """What each unit still has to do, in words ('' when ready)."""
    # Few distinct (uploaded, missing, to fix, unscored) combinations: word each once.
    combos = list(zip(*(units[c].tolist() for c in ("uploaded", "missing", "to_fix", "unscored"))))
    words = {(up, miss, fix, unscored): "belum mengunggah" if up == 0 else _needs_text(miss, fix, unscored, threshold)
             for up, miss, fix, unscored in set(combos)}
    return pd.Series([words[c] for c in combos], index=units.index, dtype=object)


def deadline_text(as_of: dt.date, deadline: dt.date) -> str:
    """'5 hari lagi', 'hari terakhir' or 'lewat 3 hari'."""
    n = days_left(as_of, deadline)
    if n > 0:
        return f"{fmt.num(n)} hari lagi"
    if n == 0:
        return "hari terakhir"
    return f"lewat {fmt.num(-n)} hari"


def situation_line(summary: Summary) -> str:
    """One sentence leaders read first: '138 unit belum siap; 46 belum mengunggah sama sekali'."""
    u = summary.units
    if not u.expected:
        return "Belum ada unit yang dapat dinilai."
    lagging = u.not_ready
    if not lagging:
        return f"Semua {fmt.num(u.expected)} unit sudah siap."
    parts = [f"{fmt.num(lagging)} unit belum siap"]
    if u.none:
        parts.append(f"{fmt.num(u.none)} belum mengunggah sama sekali")
    if u.needs_improvement:
        parts.append(f"{fmt.num(u.needs_improvement)} perlu memperbaiki nilai")
    return "; ".join(parts) + "."


def text_summary(summary: Summary, files: list[str]) -> str:
    """The CLI's readable report."""
    u = summary.units
    lines = [
        f"Kesiapan IGA — {fmt.num(summary.innovations)} inovasi dari {fmt.num(len(files))} berkas "
        f"(ambang {fmt.score(summary.threshold)}, wajib {summary.required_per_unit} per unit)",
        f"Unit siap: {fmt.num(u.ready)} dari {fmt.num(u.expected)} ({fmt.pct(u.ready, u.expected)}); "
        f"perlu perbaikan {fmt.num(u.needs_improvement)}; belum lengkap {fmt.num(u.incomplete)}; "
        f"belum mengunggah {fmt.num(u.none)}",
        situation_line(summary),
        "",
        "Per jenis unit (siap/wajib):",
    ]
    labels = type_labels()
    for code, c in summary.by_type:
        if c.expected:
            lines.append(
                f"  {labels.get(code, code):<24} {fmt.num(c.ready):>5}/{fmt.num(c.expected):<5}"
                f" perbaikan {fmt.num(c.needs_improvement)}, belum lengkap {fmt.num(c.incomplete)},"
                f" belum mengunggah {fmt.num(c.none)}"
            )
    if summary.unmatched_units:
        names = summary.unmatched_units
        shown = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
        lines += ["", f"Nama unit tidak ada di daftar unit ({fmt.num(len(names))}): {shown}"]
    if summary.duplicates_removed:
        lines.append(f"Baris ganda digabung: {fmt.num(summary.duplicates_removed)}")
    if summary.skipped_rows:
        lines.append(f"Baris dilewati (bukan inovasi): {fmt.num(summary.skipped_rows)}")
    for sheet in summary.sheets_skipped:
        lines.append(f"Lembar tidak dibaca: {sheet.file} › {sheet.sheet} ({sheet.reason})")
    for w in summary.warnings:
        lines.append(f"Peringatan: {w}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str = ""
    delta: str | None = None
    delta_color: str = "normal"  # "inverse" when a fall is good news


def _delta(now: int, before: int | None, since: str) -> str | None:
    if before is None:
        return None
    change = now - before
    # An ASCII sign: Streamlit colours the delta by its leading "+" or "-".
    return f"{'+' if change >= 0 else '-'}{fmt.num(abs(change))} sejak {since}"


def headline(summary: Summary, as_of: dt.date, deadline: dt.date,
             previous: pd.Series | None = None) -> list[Metric]:
    """The five figures at the top of Ringkasan, with the change since the previous snapshot."""
    u = summary.units
    since = f"{previous['as_of']:%d/%m}" if previous is not None else ""
    before = (lambda key: int(previous[key])) if previous is not None else (lambda key: None)
    none_before = int(previous["expected"] - previous["uploaded"]) if previous is not None else None
    t = fmt.score(summary.threshold)
    return [
        Metric("Inovasi diunggah", fmt.num(summary.innovations),
               f"Inovasi berbeda setelah baris ganda digabung ({fmt.num(summary.duplicates_removed)} baris ganda).",
               _delta(summary.innovations, before("innovations"), since)),
        Metric("Unit siap", f"{fmt.num(u.ready)} / {fmt.num(u.expected)}",
               f"{fmt.pct(u.ready, u.expected)} unit punya {summary.required_per_unit} inovasi "
               f"dengan skor minimal {t}.", _delta(u.ready, before("ready"), since)),
        Metric("Belum mengunggah", f"{fmt.num(u.none)} unit", "Unit yang belum punya satu inovasi pun.",
               _delta(u.none, none_before, since), "inverse")
        if summary.roster else
        Metric("Belum mengunggah", "–", "Tanpa daftar unit, unit yang belum mengunggah tidak dapat diketahui; "
               "unggah daftar unit di halaman Unggah Data."),
        Metric(f"Inovasi di bawah {t}", fmt.num(summary.below_threshold),
               f"Inovasi dengan skor di bawah {t}; {fmt.num(summary.not_assessed)} lainnya belum dinilai."),
        Metric("Menuju tenggat", deadline_text(as_of, deadline),
               f"Dihitung dari tanggal data {fmt.date(as_of)} ke tenggat {fmt.date(deadline)}."),
    ]


def history_reading(frame: pd.DataFrame, local_need: int, settings: Settings) -> str:
    """What the trend says, in one short paragraph."""
    current = frame[frame["current"]].iloc[-1]
    past = frame[~frame["current"]]
    parts = [f"Tahun {current['tahun']}: {fmt.num(current['jumlah_inovasi'])} inovasi sejauh ini"]
    if len(past):
        last = past.iloc[-1]
        diff = int(current["jumlah_inovasi"] - last["jumlah_inovasi"])
        word = "lebih banyak" if diff >= 0 else "lebih sedikit"
        parts.append(f"{fmt.num(abs(diff))} {word} dari {last['tahun']} ({fmt.num(last['jumlah_inovasi'])})")
    text = "; ".join(parts) + "."
    if local_need and current["jumlah_inovasi"] < local_need:
        text += (f" Kebutuhan lokal {fmt.num(local_need)} inovasi ({settings.required_per_unit} per unit) "
                 f"baru terpenuhi {fmt.pct(current['jumlah_inovasi'], local_need, 0)}.")
    elif local_need:
        text += (f" Jumlahnya sudah melewati kebutuhan lokal {fmt.num(local_need)} inovasi "
                 f"({settings.required_per_unit} per unit); kesiapan tiap unit ada di halaman Kesiapan Unit.")
    text += (f" Target: {settings.target_rank} besar nasional. Peringkat mengikuti Indeks Inovasi Daerah, "
             "bukan jumlah saja — lihat halaman Simulasi.")
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


def scenario_text(sim: Simulation, scenario: Scenario) -> tuple[str, str]:
    """A lever's label and its description."""
    t, a = fmt.score(sim.threshold), fmt.score(sim.added_score)
    return {
        "now": ("Data sekarang", f"{fmt.num(sim.current.n)} inovasi seperti adanya."),
        "raise": (f"Naikkan yang di bawah {t}",
                  f"Setiap inovasi di bawah {t} (dan yang belum dinilai) diperbaiki sampai {t}."),
        "add": ("Lengkapi unit yang kurang",
                f"{fmt.num(sim.additions)} inovasi baru dari unit yang belum lengkap, masing-masing skor {a}."),
        "both": ("Perbaiki dan lengkapi", "Kedua langkah di atas bersama-sama."),
        "best": ("Portofolio terbaik (data sekarang)",
                 f"Kirim {fmt.num(sim.portfolio.projection.n)} inovasi terbaik dan tinggalkan "
                 f"{fmt.num(len(sim.portfolio.left_out))} inovasi (daftarnya di bawah)."),
        "both_best": ("Perbaiki, lengkapi, lalu pilih terbaik",
                      f"Setelah perbaikan dan tambahan, kirim {fmt.num(sim.both_best.projection.n)} inovasi terbaik."),
    }[scenario.key]


def urusan_effect(effect: UrusanEffect) -> str:
    """Coverage of the six urusan wajib and what it does to the count score, now and under stricter years."""
    chosen = effect.rules
    text = f"Tercakup {effect.covered} dari {effect.of} urusan wajib pelayanan dasar. "
    if chosen.urusan_wajib_min:
        return text + (f"Aturan {chosen.year} mensyaratkan minimal {chosen.urusan_wajib_min}: "
                       + ("terpenuhi." if effect.ok else "tidak terpenuhi, sehingga skor jumlah inovasi menjadi 0."))
    text += f"Aturan {chosen.year} tidak mensyaratkan cakupan urusan wajib."
    later = effect.later
    if later is None:
        return text
    if effect.later_ok:
        return text + f" Dengan aturan {later.year} (minimal {later.urusan_wajib_min}) data ini tetap memenuhi syarat."
    return text + (f" Dengan aturan {later.year} (minimal {later.urusan_wajib_min}) skor jumlah inovasi akan 0 "
                   f"dan IID turun menjadi {fmt.num(effect.later_iid, 2)} "
                   f"(bukan {fmt.num(effect.later_iid_without_rule, 2)}).")
