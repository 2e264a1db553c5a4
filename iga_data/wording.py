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
from .pipeline import Analysis, Summary
from .rules import RuleSet
from .scoring import Projection
from .settings import Settings
from .simulation import Scenario, Simulation, UrusanEffect
from .storage import SnapshotInfo
from .timeline import WINDOW_DAYS, Pace, days_left
from .vocabulary import type_labels

STATUS_LABELS = {
    "ready": "Siap",
    "needs_improvement": "Perlu perbaikan",
    "incomplete": "Belum lengkap",
    "none": "Belum mengunggah",
}


def score_scale(settings: Settings) -> str:
    """ "skala 0–111": the kematangan scale of the rule year in force, beside every threshold shown."""
    return f"skala 0–{fmt.num(settings.rules.max_per_innovation)}"


def rules_line(settings: Settings) -> str:
    """The local rules in force, in one line."""
    return (
        f"skor minimal {fmt.decimal(settings.threshold)} ({score_scale(settings)}), "
        f"{settings.required_per_unit} inovasi per unit, tenggat {fmt.date(settings.deadline)}"
    )


def unit_action(analysis: Analysis, name: str) -> str:
    """One unit's whole task in a sentence (Kesiapan Unit's road to 70 starts with it): what it must still
    upload as well as what to raise."""
    units = analysis.units[analysis.units["unit_name"] == name]
    action = unit_actions(analysis, units).iloc[0] if len(units) else ""
    return f"Yang masih diperlukan: {action}." if action else "Unit ini sudah siap."


def unit_actions(analysis: Analysis, units: pd.DataFrame | None = None) -> pd.Series:
    """What each unit still has to do before the deadline, as an action ('' when ready), aligned with `units`
    (default: every unit of the analysis).

    "unggah 1 inovasi lagi dengan skor ≥ 70 dan naikkan skor 'Bank Sampah' dari 62 ke 70 sebelum 15 Juli":
    the innovations to raise are the unit's own, closest to the threshold first, unscored ones last.
    """
    units = analysis.units if units is None else units
    s = analysis.settings
    t, by = fmt.score(s.threshold), f"sebelum {fmt.day_month(s.deadline)}"
    inn = analysis.innovations
    weak = inn[~(inn["score"] >= s.threshold)].sort_values(
        ["unit_key", "score"], ascending=[True, False], na_position="last", kind="stable"
    )
    weak_of: dict[str, list[tuple[str, float]]] = {}
    for key, name, score in zip(weak["unit_key"], weak["innovation"], weak["score"]):
        weak_of.setdefault(key, []).append((name, score))
    texts = []
    for key, status, missing, to_fix in zip(units["unit_key"], units["status"], units["missing"], units["to_fix"]):
        if status == "ready":
            texts.append("")
            continue
        parts = []
        if missing:
            more = " lagi" if status != "none" else ""
            parts.append(f"unggah {fmt.num(missing)} inovasi{more} dengan skor ≥ {t}")
        for name, score in weak_of.get(key, [])[:to_fix]:
            parts.append(
                f"minta '{name}' dinilai" if score != score else f"naikkan skor '{name}' dari {fmt.score(score)} ke {t}"
            )
        texts.append(" dan ".join(parts) + f" {by}")
    return pd.Series(texts, index=units.index, dtype=object)


def deadline_text(as_of: dt.date, deadline: dt.date) -> str:
    """'5 hari lagi', 'hari terakhir' or 'lewat 3 hari'."""
    n = days_left(as_of, deadline)
    if n > 0:
        return f"{fmt.num(n)} hari lagi"
    if n == 0:
        return "hari terakhir"
    return f"lewat {fmt.num(-n)} hari"


def situation_line(summary: Summary) -> str:
    """One sentence leaders read first: '138 unit belum siap; 46 belum mengunggah sama sekali'; without a roster
    it says that units with nothing uploaded cannot be seen."""
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
    unseen = " (tanpa daftar unit: unit yang belum mengunggah tidak terlihat)" if summary.roster is None else ""
    return "; ".join(parts) + unseen + "."


def text_summary(summary: Summary, files: list[str], as_of: dt.datetime | None = None) -> str:
    """The CLI's readable report; `as_of` (a stored upload's data date) heads it when known."""
    u = summary.units
    when = f"data per {fmt.datetime(as_of)}, " if as_of is not None else ""
    lines = [
        f"Kesiapan IGA — {fmt.num(summary.innovations)} inovasi dari {fmt.num(len(files))} berkas "
        f"({when}ambang {fmt.score(summary.threshold)}, wajib {summary.required_per_unit} per unit)",
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


def headline(summary: Summary, as_of: dt.date, deadline: dt.date, previous: pd.Series | None = None) -> list[Metric]:
    """The five figures at the top of Ringkasan, with the change since the previous snapshot."""
    u = summary.units
    since = f"{previous['as_of']:%d/%m}" if previous is not None else ""
    before = (lambda key: int(previous[key])) if previous is not None else (lambda key: None)
    none_before = int(previous["expected"] - previous["uploaded"]) if previous is not None else None
    t = fmt.score(summary.threshold)
    return [
        Metric(
            "Inovasi diunggah",
            fmt.num(summary.innovations),
            f"Inovasi berbeda setelah baris ganda digabung ({fmt.num(summary.duplicates_removed)} baris ganda).",
            _delta(summary.innovations, before("innovations"), since),
        ),
        Metric(
            "Unit siap",
            f"{fmt.num(u.ready)} / {fmt.num(u.expected)}",
            f"{fmt.pct(u.ready, u.expected)} unit punya {summary.required_per_unit} inovasi dengan skor minimal {t}.",
            _delta(u.ready, before("ready"), since),
        ),
        Metric(
            "Belum mengunggah",
            f"{fmt.num(u.none)} unit",
            "Unit yang belum punya satu inovasi pun.",
            _delta(u.none, none_before, since),
            "inverse",
        )
        if summary.roster
        else Metric(
            "Belum mengunggah",
            "–",
            "Tanpa daftar unit, unit yang belum mengunggah tidak dapat diketahui; "
            "unggah daftar unit di halaman Unggah Data.",
        ),
        Metric(
            f"Inovasi di bawah {t}",
            fmt.num(summary.below_threshold),
            f"Inovasi dengan skor di bawah {t}; {fmt.num(summary.not_assessed)} lainnya belum dinilai.",
        ),
        Metric(
            "Menuju tenggat",
            deadline_text(as_of, deadline),
            f"Dihitung dari tanggal data {fmt.date(as_of)} ke tenggat {fmt.date(deadline)}.",
        ),
    ]


def history_reading(
    frame: pd.DataFrame, local_need: int, settings: Settings, ready: tuple[int, int] | None = None
) -> str:
    """What the trend says, in one short paragraph; `ready` (units ready, units required) keeps a count near the
    local need from reading as readiness (surplus and low-scoring innovations count too)."""
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
        text += (
            f" Jumlah ini {fmt.pct(current['jumlah_inovasi'], local_need, 0)} dari kebutuhan lokal "
            f"{fmt.num(local_need)} inovasi ({settings.required_per_unit} per unit)"
        )
        text += (
            f", tetapi yang menentukan adalah tiap unit: baru {fmt.num(ready[0])} dari {fmt.num(ready[1])} unit "
            f"memenuhi aturan kota."
            if ready
            else "."
        )
    elif local_need:
        text += (
            f" Jumlahnya sudah melewati kebutuhan lokal {fmt.num(local_need)} inovasi "
            f"({settings.required_per_unit} per unit); kesiapan tiap unit ada di halaman Kesiapan Unit."
        )
    text += (
        f" Target: {settings.target_rank} besar nasional. Peringkat mengikuti Indeks Inovasi Daerah, "
        "bukan jumlah saja — lihat halaman Simulasi."
    )
    return text


def projection_help(rules: RuleSet) -> str:
    """What the IID figure is, for the help tooltip."""
    return (
        f"Perkiraan: IID = (SPD + SID) ÷ {fmt.num(rules.total_max)} × 100, dengan SPD dari Pengaturan dan SID "
        "dari skor kematangan semua inovasi. Nilai resmi ditetapkan BSKDN setelah verifikasi."
    )


def iid_estimate(sim: Simulation, spd: float) -> str:
    """ "Perkiraan IID 63,42 (61,42–65,42 bila SPD 40–50; SPD diasumsikan 45)": the figure with what it rests on."""
    low, high = sim.iid_range
    a, b = sim.spd_range
    return (
        f"Perkiraan IID {fmt.num(sim.current.iid, 2)} ({fmt.num(low, 2)}–{fmt.num(high, 2)} bila SPD "
        f"{fmt.decimal(a)}–{fmt.decimal(b)}; SPD diasumsikan {fmt.decimal(spd)}), predikat {sim.current.predikat}."
    )


def target_assumption(sim: Simulation, settings: Settings) -> str:
    return (
        f"target IID {fmt.num(sim.target_iid, 2)} untuk {settings.target_rank} besar ditetapkan sendiri, tanpa "
        f"angka resmi; SPD diasumsikan {fmt.decimal(settings.spd)}"
    )


def target_reach(sim: Simulation, settings: Settings) -> str:
    """Is the target rank within reach? One sentence, with the assumption it rests on."""
    rank, assumption = f"{settings.target_rank} besar", target_assumption(sim, settings)
    if sim.current.iid >= sim.target_iid:
        return (
            f"{rank.capitalize()}: dalam jangkauan — perkiraan IID sekarang {fmt.num(sim.current.iid, 2)} sudah "
            f"di atas target ({assumption})."
        )
    closing = sim.closing()
    if closing is not None:
        label = scenario_text(sim, closing)[0].lower()
        cost = ""
        if closing.key in ("best", "both_best"):
            left_out = len((sim.portfolio if closing.key == "best" else sim.both_best).left_out)
            cost = f", dengan tidak mengirim {fmt.num(left_out)} inovasi — bertentangan dengan aturan kota"
        return (
            f'{rank.capitalize()}: terjangkau bila langkah "{label}" dijalankan{cost}; perkiraan IID '
            f"{fmt.num(closing.projection.iid, 2)} ({assumption})."
        )
    best = max(sim.scenarios, key=lambda x: x.projection.iid).projection.iid
    return (
        f"{rank.capitalize()}: belum terjangkau dengan langkah mana pun di sini — paling tinggi perkiraan IID "
        f"{fmt.num(best, 2)}, kurang {fmt.num(sim.target_iid - best, 2)} poin ({assumption})."
    )


def verdict(p: Projection, target_iid: float) -> str:
    """Predikat and the distance to the (self-set) target, in one sentence."""
    head = f"Predikat perkiraan **{p.predikat}**. "
    if p.iid >= target_iid:
        return head + f"Sudah mencapai target IID {fmt.num(target_iid, 2)} (target ditetapkan sendiri)."
    return head + (
        f"Kurang **{fmt.num(target_iid - p.iid, 2)} poin** dari target IID {fmt.num(target_iid, 2)} "
        "(target ditetapkan sendiri)."
    )


def count_cap_sentences(rules: RuleSet) -> str:
    """Why more innovations stop helping, in two plain sentences (Simulasi opens with them)."""
    cap = fmt.num(rules.count_cap)
    return (
        f"Skor jumlah inovasi berhenti bertambah di {cap} inovasi: sampai ke-{cap} setiap inovasi menambah "
        f"{fmt.num(rules.count_weight, 2)} poin, sesudahnya tidak lagi. Lewat dari {cap}, yang menentukan IID adalah "
        "rata-rata skor kematangan — inovasi tambahan yang skornya di bawah rata-rata justru menurunkan IID."
    )


@dataclass(frozen=True)
class Option:
    """One side of the decision on Simulasi."""

    title: str
    iid: str
    takes: str
    costs: str


def decision(sim: Simulation, settings: Settings) -> tuple[Option, Option]:
    """The city's rule against the highest IID, side by side: what each gives, takes and costs."""
    t, q = fmt.score(settings.threshold), settings.required_per_unit
    local, high = sim.local_rule.projection, sim.highest.projection
    left_out = len(sim.both_best.left_out)
    rule = Option(
        f"Aturan kota: setiap unit {q} inovasi ≥ {t}",
        fmt.num(local.iid, 2),
        f"unggah {fmt.num(sim.additions)} inovasi baru (dianggap skor {fmt.score(sim.added_score)}) dan naikkan "
        f"{fmt.num(sim.raised)} inovasi sampai {t}; semua {fmt.num(local.n)} inovasi dikirim.",
        "tidak ada unit yang ditinggalkan; "
        + (
            "IID sama dengan pilihan IID tertinggi."
            if left_out == 0
            else f"IID {fmt.num(high.iid - local.iid, 2)} poin di bawah pilihan IID tertinggi."
        ),
    )
    best = Option(
        "IID tertinggi",
        fmt.num(high.iid, 2),
        f"langkah yang sama, lalu kirim hanya {fmt.num(high.n)} inovasi terbaik.",
        "tidak ada yang ditinggalkan."
        if left_out == 0
        else f"{fmt.num(left_out)} inovasi tidak dikirim; {fmt.num(sim.both_best_broken_units)} unit tidak lagi punya "
        f"{q} inovasi ≥ {t} di kiriman — bertentangan dengan instruksi kota.",
    )
    return rule, best


UNCERTAIN_LABELS = {
    "k": "nilai k (pembagi minimum)",
    "indicators": "daftar dan bobot indikator",
    "levels": "uraian level parameter",
    "urusan_wajib_min": "syarat cakupan urusan wajib",
    "bobot": "bobot indikator",
    "mandatory": "indikator wajib",
}


def uncertain_text(rules: RuleSet) -> str:
    """Which figures of a rule year are not confirmed by a source, in words ('' when all are)."""
    if not rules.uncertain:
        return ""
    names = ", ".join(UNCERTAIN_LABELS.get(u, u) for u in rules.uncertain)
    return (
        f"Belum pasti pada aturan {rules.year}: {names}. Bila ada sumber resmi, minta pengelola aplikasi "
        "memperbarui berkas aturan tahun itu."
    )


def portfolio_note(rules: RuleSet) -> str:
    """Why sending fewer innovations can raise the index, in the rule year's own figures."""
    cap, weight = rules.count_cap, fmt.num(rules.count_weight, 2)
    return (
        f"Sampai {fmt.num(cap)} inovasi, setiap inovasi menambah {weight} pada skor jumlah inovasi. "
        f"Setelah {fmt.num(cap)}, inovasi tambahan yang skornya di bawah rata-rata justru menurunkan IID."
    )


def scenario_text(sim: Simulation, scenario: Scenario) -> tuple[str, str]:
    """A lever's label and its description."""
    t, a = fmt.score(sim.threshold), fmt.score(sim.added_score)
    return {
        "now": ("Data sekarang", f"{fmt.num(sim.current.n)} inovasi seperti adanya."),
        "raise": (
            f"Naikkan yang di bawah {t}",
            f"Setiap inovasi di bawah {t} (dan yang belum dinilai) diperbaiki sampai {t}.",
        ),
        "add": (
            "Lengkapi unit yang kurang",
            f"{fmt.num(sim.additions)} inovasi baru dari unit yang belum lengkap, masing-masing skor {a}.",
        ),
        "both": ("Perbaiki dan lengkapi", "Kedua langkah di atas bersama-sama."),
        "best": (
            "Portofolio terbaik (data sekarang)",
            f"Kirim {fmt.num(sim.portfolio.projection.n)} inovasi terbaik dan tinggalkan "
            f"{fmt.num(len(sim.portfolio.left_out))} inovasi (daftarnya di bawah).",
        ),
        "both_best": (
            "Perbaiki, lengkapi, lalu pilih terbaik",
            f"Setelah perbaikan dan tambahan, kirim {fmt.num(sim.both_best.projection.n)} inovasi terbaik.",
        ),
    }[scenario.key]


def urusan_effect(effect: UrusanEffect) -> str:
    """Coverage of the six urusan wajib and what it does to the count score, now and under stricter years."""
    chosen = effect.rules
    text = f"Tercakup {effect.covered} dari {effect.of} urusan wajib pelayanan dasar. "
    if effect.total and effect.unknown == effect.total:
        text = (
            f"Urusan inovasi tidak diketahui: berkas tidak punya kolom Urusan (atau kolomnya kosong), jadi "
            f"cakupan urusan wajib dihitung 0 dari {effect.of}. Unggah ekspor yang memuat kolom Urusan "
            "untuk angka yang benar. "
        )
    elif effect.unknown:
        text += f"({fmt.num(effect.unknown)} inovasi tanpa urusan tidak dihitung.) "
    if chosen.urusan_wajib_min:
        return text + (
            f"Aturan {chosen.year} mensyaratkan minimal {chosen.urusan_wajib_min}: "
            + ("terpenuhi." if effect.ok else "tidak terpenuhi, sehingga skor jumlah inovasi menjadi 0.")
        )
    text += f"Aturan {chosen.year} tidak mensyaratkan cakupan urusan wajib."
    later = effect.later
    if later is None:
        return text
    if effect.later_ok:
        return text + f" Dengan aturan {later.year} (minimal {later.urusan_wajib_min}) data ini tetap memenuhi syarat."
    return text + (
        f" Dengan aturan {later.year} (minimal {later.urusan_wajib_min}) skor jumlah inovasi akan 0 "
        f"dan IID turun menjadi {fmt.num(effect.later_iid, 2)} "
        f"(bukan {fmt.num(effect.later_iid_without_rule, 2)})."
    )


PACE_LEVELS = {"done": "success", "green": "success", "amber": "warning", "red": "error", "unknown": "warning"}
PACE_HEADLINES = {
    "done": "Semua siap",
    "green": "Laju cukup",
    "amber": "Laju belum pasti cukup",
    "red": "Laju tidak cukup",
    "unknown": "Laju belum terukur",
}


def _rate(x: float | None) -> str:
    """A pace in units a day; a falling count (units dropping below 70 after a re-score) says so in words."""
    if x is None:
        return "–"
    return f"turun {fmt.num(-x, 1)} unit/hari" if x < 0 else f"{fmt.num(x, 1)} unit/hari"


def pace_statement(p: Pace, deadline: dt.date) -> str:
    """The pace verdict in words: what is needed, what happens, when all would be ready, and what it rests on."""
    if p.verdict == "done":
        return "Semua unit sudah siap."
    if p.deadline_passed:
        text = f"Tenggat {fmt.date(deadline)} sudah lewat; {fmt.num(p.remaining)} unit belum siap."
    elif p.per_day is None:
        text = (
            f"Laju belum dapat dihitung: perlu data dari minimal dua hari. Sampai tenggat "
            f"{fmt.date(deadline)} perlu {_rate(p.needed_per_day)} unit siap."
        )
    else:
        need = f"Perlu {_rate(p.needed_per_day)} sampai tenggat {fmt.date(deadline)}; "
        actual = (
            f"laju {p.days_seen} hari terakhir {_rate(p.per_day)} (hari paling lambat "
            f"{_rate(p.cautious_per_day)}, paling cepat {_rate(p.fast_per_day)}). "
        )
        if p.finish is None and (p.per_day or 0) <= 0:
            when = "Jumlah unit siap tidak bertambah, jadi tidak ada perkiraan kapan semua siap."
        elif p.verdict == "green":
            when = (
                f"Bahkan dengan laju paling lambat semua unit siap pada {fmt.date(p.finish)} "
                f"(paling cepat {fmt.date(p.finish_fast)}), sebelum tenggat."
            )
        else:
            late = (
                f"{fmt.date(p.finish)}, {fmt.num((p.finish - deadline).days)} hari setelah tenggat"
                if p.finish is not None
                else "tidak pernah (pada hari paling lambat unit siap tidak bertambah)"
            )
            when = f"Dengan laju paling lambat semua unit baru siap pada {late}" + (
                f"; dengan laju paling cepat {fmt.date(p.finish_fast)}." if p.finish_fast else "."
            )
        text = need + actual + when
    if p.none_left:
        text += (
            f" {fmt.num(p.none_left)} unit belum mengunggah sama sekali — biasanya paling lambat bergerak; "
            "dahulukan mereka."
        )
    return text


def pace_basis(p: Pace) -> str:
    """What the pace estimate rests on, in one sentence (shown under the chart)."""
    if p.per_day is None or p.verdict == "done":
        return ""
    caution = " — baru satu kenaikan harian, jadi laju hati-hati dianggap separuhnya" if p.gains_seen == 1 else ""
    return (
        f"Perkiraan ini bertumpu pada {fmt.num(p.gains_seen)} kenaikan harian unit siap dalam "
        f"{WINDOW_DAYS} hari terakhir (satu titik per hari, yang terakhir){caution}; laju hati-hati = "
        "kenaikan harian terkecil. Unit yang belum mulai bisa lebih lambat dari itu."
    )


@dataclass(frozen=True)
class Answer:
    """One of the four questions leaders ask first, answered in a few words."""

    question: str
    value: str
    note: str
    tone: str = "neutral"  # good | warn | bad | neutral


PACE_TONES = {"done": "good", "green": "good", "amber": "warn", "red": "bad", "unknown": "warn"}


def answers(
    summary: Summary,
    as_of: dt.datetime,
    settings: Settings,
    pace: Pace,
    sim: Simulation,
    previous: pd.Series | None = None,
) -> tuple[Answer, ...]:
    """When is the data from, how many units are ready, are we on pace, what index: the first screen."""
    u = summary.units
    change = ""
    if previous is not None:
        gained = u.ready - int(previous["ready"])
        change = f"{'+' if gained >= 0 else '−'}{fmt.num(abs(gained))} sejak {previous['as_of']:%d/%m}; "
    pace_note = (
        f"perlu {_rate(pace.needed_per_day)}, hati-hati {_rate(pace.cautious_per_day)}"
        if pace.per_day is not None and pace.verdict != "done"
        else f"{fmt.num(pace.remaining)} unit belum siap"
        if pace.verdict != "done"
        else ""
    )
    if pace.none_left and pace.verdict != "done":
        pace_note += f"; {fmt.num(pace.none_left)} belum mengunggah"
    gap = sim.target_iid - sim.current.iid
    low, high = sim.iid_range
    return (
        Answer(
            "Data per",
            fmt.datetime(as_of),
            f"{deadline_text(as_of.date(), settings.deadline)} ke tenggat {fmt.day_month(settings.deadline)}"
            if days_left(as_of.date(), settings.deadline) >= 0
            else f"tenggat {fmt.day_month(settings.deadline)} sudah {deadline_text(as_of.date(), settings.deadline)}",
        ),
        Answer(
            "Unit siap",
            f"{fmt.num(u.ready)} dari {fmt.num(u.expected)} ({fmt.pct(u.ready, u.expected, 0)})",
            change + f"{settings.required_per_unit} inovasi ≥ {fmt.score(settings.threshold)}",
            "good" if u.expected and u.ready == u.expected else "neutral",
        ),
        Answer("Laju", PACE_HEADLINES[pace.verdict], pace_note, PACE_TONES[pace.verdict]),
        Answer(
            "Perkiraan IID",
            f"{fmt.num(sim.current.iid, 2)} ({fmt.num(low, 1)}–{fmt.num(high, 1)})",
            (
                f"kurang {fmt.num(gap, 2)} dari target {fmt.num(sim.target_iid, 2)}"
                if gap > 0
                else f"di atas target {fmt.num(sim.target_iid, 2)}"
            )
            + " (ditetapkan sendiri)",
            "good" if gap <= 0 else "neutral",
        ),
    )


def local_need_text(summary: Summary) -> str:
    """What "kebutuhan lokal" means, with its figures."""
    return (
        f"{fmt.num(summary.units.expected)} unit wajib × {summary.required_per_unit} inovasi = "
        f"{fmt.num(summary.local_need)} inovasi, banyaknya inovasi bila setiap unit memenuhi aturan kota"
    )


def partial_upload(innovations: int, latest: SnapshotInfo) -> str:
    """Why an upload much smaller than the latest one should be added to it rather than replace it."""
    return (
        f"Berkas ini berisi {fmt.num(innovations)} inovasi, sedangkan unggahan terakhir (#{latest.id}, data per "
        f"{fmt.datetime(latest.as_of)}) berisi {fmt.num(latest.innovations)}. Bila berkas ini hanya sebagian "
        '(rekap satu bagian, Lembar Penilaian Mandiri), pilih "tambahan untuk unggahan terakhir": bila '
        "disimpan sebagai pengganti, dasbor hanya menampilkan isinya dan unit lain tampak belum mengunggah."
    )


def other_histories(n: int) -> str:
    """Why some earlier uploads are not on the progress chart."""
    return (
        f"{fmt.num(n)} unggahan sebelumnya milik Pemda atau tahun IGA lain (mis. data contoh) tidak ikut "
        "dihitung di grafik dan laju ini. Pindahkan ke Terhapus di halaman Unggah Data bila tidak diperlukan."
    )
