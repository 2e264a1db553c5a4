"""The tables pages show, with Indonesian headers and numbers written the Indonesian way.

Scores are shown as text ("72,5") because the grid cannot be told to use a
decimal comma; tables come pre-sorted in the order people read them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pandas as pd

from . import audit, fmt, wording
from .aliases import NOT_IN_ROSTER, Alias
from .names import compact_key, norm_text, unit_name
from .pipeline import Analysis
from .readiness import (
    STATUSES,
    best_scores,
    by_pembina,
    counts_by_type,
    lagging_first,
    merged_rows,
)
from .reading import LoadResult
from .roster import Roster
from .rules import RuleSet
from .scoring import Portfolio, Projection, urusan_coverage
from .simulation import Simulation
from .storage import SnapshotInfo
from .vocabulary import field_label, type_labels, urusan_must_cover, urusan_wajib
from .wording import STATUS_LABELS


def filter_units(
    units: pd.DataFrame,
    types: Iterable[str] = (),
    statuses: Iterable[str] = (),
    query: str = "",
    pembina: str | None = None,
) -> pd.DataFrame:
    """Units of the chosen types, statuses and pembina whose name contains the query (any case/punctuation)."""
    mask = pd.Series(True, index=units.index)
    if pembina is not None:
        mask &= units["pembina"] == pembina
    types, statuses = list(types), list(statuses)
    if types:
        mask &= units["unit_type"].isin(types)
    if statuses:
        mask &= units["status"].isin(statuses)
    if norm_text(query):
        mask &= _names_unit(units, query)
    return units[mask]


def _names_unit(units: pd.DataFrame, query: str) -> pd.Series:
    """Whether the query names each unit: part of its name, the same name written another way
    ("sdn 89" = SD Negeri 89, "pkm jalan gedang"), or its short name ("Dukcapil")."""
    key = f" {unit_name(query).key} "
    short = compact_key(query)
    return (
        _contains(units["unit_name"], query)
        | units["unit_name"].map(lambda n: key in f" {unit_name(n).key} ")
        | (units["short_name"].map(compact_key) == short)
    )


def _contains(values: pd.Series, query: str) -> pd.Series:
    """From the start of a word, case and punctuation ignored, numbers whole:
    "pasar jit" finds "Kel. Pasar Jitra", "SD Negeri 8" does not find "SD Negeri 89"."""
    pattern = re.compile(rf"(?:^| ){re.escape(norm_text(query))}(?!\d)")
    return values.map(lambda v: pattern.search(norm_text(v)) is not None)


def units_table(analysis: Analysis, units: pd.DataFrame) -> pd.DataFrame:
    """Kesiapan Unit: one row per unit of `units` (a selection of the analysis' units), lagging units first."""
    u = lagging_first(units)
    labels = type_labels()
    # Status and what is missing come right after the name: on a phone only the first columns show.
    return pd.DataFrame(
        {
            "Unit": u["unit_name"],
            "Status": u["status"].map(STATUS_LABELS),
            "Yang masih diperlukan": wording.unit_actions(analysis, u).replace("", "–"),
            "Diunggah": u["uploaded"],
            "Memenuhi skor minimal": u["passing"],
            "Skor terbaik": best_scores(u),
            "Jenis": u["unit_type"].map(lambda t: labels.get(t, t)),
        }
    ).reset_index(drop=True)


def innovations_table(analysis: Analysis) -> pd.DataFrame:
    """Inovasi: every distinct innovation, best score first."""
    inn = analysis.innovations.sort_values(
        ["score", "unit_name"], ascending=[False, True], na_position="last", kind="stable"
    )
    labels = type_labels()
    threshold = analysis.settings.threshold
    # Score and verdict right after the name: on a phone only the first columns show.
    return pd.DataFrame(
        {
            "Inovasi": inn["innovation"],
            "Skor": inn["score"].map(fmt.score),
            "Memenuhi": inn["score"].map(
                lambda x: "belum dinilai" if x != x else ("ya" if x >= threshold else "tidak")
            ),
            "Unit": inn["unit_name"],
            "Jenis unit": inn["unit_type"].map(lambda t: labels.get(t, t)),
            "Tahapan": inn["stage"].replace("", "–"),
            "Urusan": inn["urusan"].replace("", "–"),
            "Digital / non digital": inn["jenis_inovasi"].replace("", "–"),
            "Tanggal input": inn["input_date"].map(lambda d: fmt.date(d) if pd.notna(d) else "–"),
            "Terdaftar": inn["matched"].map({True: "ya", False: "tidak"}) if analysis.roster is not None else "–",
        }
    ).reset_index(drop=True)


def flagship_table(analysis: Analysis) -> pd.DataFrame:
    """The city's flagship innovations (Pengaturan) with their status, found or not."""
    inn = analysis.innovations
    threshold = analysis.settings.threshold
    rows = []
    for name in analysis.settings.flagship:
        hit = inn[_contains(inn["innovation"], name)] if norm_text(name) else inn.iloc[0:0]
        if hit.empty:
            rows.append({"Unggulan": name, "Status": "belum diunggah", "Skor": "–", "Inovasi": "–", "Unit": "–"})
            continue
        for _, r in hit.iterrows():
            score = r["score"]
            status = (
                "belum dinilai"
                if score != score
                else ("memenuhi" if score >= threshold else f"di bawah {fmt.score(threshold)}")
            )
            rows.append(
                {
                    "Unggulan": name,
                    "Status": status,
                    "Skor": fmt.score(score),
                    "Inovasi": r["innovation"],
                    "Unit": r["unit_name"],
                }
            )
    return pd.DataFrame(rows, columns=["Unggulan", "Status", "Skor", "Inovasi", "Unit"])


def sheets_table(load: LoadResult) -> pd.DataFrame:
    """What the reader understood of each sheet (for operators)."""
    return pd.DataFrame(
        [
            {
                "Berkas": s.file,
                "Lembar": s.sheet,
                "Dipakai": "ya" if s.used else "tidak",
                "Baris judul": s.header_row or "–",
                "Kolom dikenali": ", ".join(
                    [f"{label} → {field_label(f)}" for f, label in s.columns.items()]
                    + ([f"{s.unit_from} → {field_label('unit')}"] if s.unit_from else [])
                )
                or "–",
                "Baris inovasi": s.rows,
                "Baris dilewati": s.skipped,
                "Keterangan": s.reason or "–",
            }
            for s in load.sheets
        ]
    )


def skipped_table(load: LoadResult) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"Berkas": r.file, "Lembar": r.sheet, "Baris": r.row, "Alasan": r.reason, "Isi": r.text}
            for r in load.skipped
        ],
        columns=["Berkas", "Lembar", "Baris", "Alasan", "Isi"],
    )


def merged_table(analysis: Analysis) -> pd.DataFrame:
    """Rows merged into another row of the same innovation of the same unit, with the row used and why."""
    m = merged_rows(analysis.rows, analysis.innovations)
    newer = m["kept_input_date"].notna() & (m["input_date"].isna() | (m["kept_input_date"] > m["input_date"]))
    return pd.DataFrame(
        {
            "Berkas": m["file"],
            "Lembar": m["sheet"],
            "Baris": m["row"],
            "Unit": m["unit_name"],
            "Inovasi": m["innovation"],
            "Skor": m["score"],
            "Dipakai baris": [
                f"{f} · {sh} baris {r}" for f, sh, r in zip(m["kept_file"], m["kept_sheet"], m["kept_row"], strict=True)
            ],
            "Skor dipakai": m["kept_score"],
            "Alasan": newer.map(
                {
                    True: "inovasi sama di unit yang sama; baris dipakai bertanggal input lebih baru",
                    False: "inovasi sama di unit yang sama; dipakai baris yang lebih akhir",
                }
            ),
        }
    )


def unmatched_table(analysis: Analysis) -> pd.DataFrame:
    """Names no roster unit matched: where they are written and the roster units most like them."""
    labels = type_labels()
    un = analysis.unmatched
    return pd.DataFrame(
        {
            "Nama tertulis": un["name"],
            "Jenis (perkiraan)": un["unit_type"].map(lambda t: labels.get(t, t)),
            "Inovasi": un["innovations"],
            "Berkas": un["files"],
            "Baris": un["rows"],
            "Paling mirip di daftar unit": un["closest"].map(
                lambda found: "; ".join(f"{name} ({fmt.num(score, 0)}%)" for name, score in found) or "–"
            ),
            "Status": un["excluded"].map({True: "bukan unit dalam daftar", False: "belum dipadankan"}),
        }
    )


def alias_table(aliases: Iterable[Alias]) -> pd.DataFrame:
    """The names the operator resolved by hand, newest first."""
    rows = sorted(aliases, key=lambda a: a.at, reverse=True)
    return pd.DataFrame(
        {
            "Nama di berkas": [a.written for a in rows],
            "Nama unit": [a.unit or NOT_IN_ROSTER for a in rows],
            "Dipilih oleh": [a.by for a in rows],
            "Waktu": [fmt.datetime(dt.datetime.fromisoformat(a.at)) if a.at else "–" for a in rows],
        },
        dtype=object,
    )


def status_options() -> dict[str, str]:
    return {s: STATUS_LABELS[s] for s in STATUSES}


def type_summary(units: pd.DataFrame) -> pd.DataFrame:
    """Per unit type: how many must submit and how many are in each status."""
    labels = type_labels()
    rows = []
    for code, c in counts_by_type(units).items():
        if c.expected:
            rows.append(
                {
                    "Jenis unit": labels.get(code, code),
                    "Wajib": c.expected,
                    "Siap": c.ready,
                    "% siap": fmt.pct(c.ready, c.expected, 0),
                    **{STATUS_LABELS[s]: getattr(c, s) for s in STATUSES if s != "ready"},
                }
            )
    return pd.DataFrame(rows)


STATUS_TINTS = {
    STATUS_LABELS["ready"]: "#d7f0da",
    STATUS_LABELS["needs_improvement"]: "#fdf0c4",
    STATUS_LABELS["incomplete"]: "#fde0c8",
    STATUS_LABELS["none"]: "#f8d3d3",
}


def style_status(table: pd.DataFrame, column: str = "Status"):
    """Colour the status cells (green / yellow / orange / red) for a quick scan."""
    return table.style.map(lambda v: f"background-color: {STATUS_TINTS.get(v, '')}", subset=[column])


def urusan_counts(innovations: pd.DataFrame) -> pd.Series:
    """Innovations per urusan wajib pelayanan dasar (an urusan with none shows 0)."""
    names = [name for name, _ in urusan_wajib()]
    counts = dict.fromkeys(names, 0)
    for value, n in innovations["urusan"].value_counts().items():
        for name, covered in urusan_coverage([value]).items():
            counts[name] += int(n) if covered else 0
    return pd.Series(counts)


def urusan_notes(counts: pd.Series) -> list[tuple[str, str]]:
    """(level, sentence) about urusan coverage: those with no innovation, and the ones the local
    drive singles out (config/urusan.toml `must_cover`)."""
    notes = []
    missing = [name for name, n in counts.items() if n == 0]
    if missing:
        notes.append(("warning", "Belum ada inovasi untuk urusan: " + ", ".join(missing) + "."))
    for name in urusan_must_cover():
        n = int(counts.get(name, 0))
        notes.append(
            ("error", f"Urusan {name} wajib ada di antara inovasi yang dikirim.")
            if n == 0
            else ("info", f"{name}: {fmt.num(n)} inovasi.")
        )
    return notes


def types_present(units: pd.DataFrame) -> list[str]:
    """Unit types that have at least one unit, in configured order."""
    present = set(units["unit_type"])
    return [t for t in type_labels() if t in present]


def search(table: pd.DataFrame, query: str, columns: list[str]) -> pd.DataFrame:
    """Rows where any of the columns contains the query (case and punctuation ignored)."""
    if not norm_text(query):
        return table
    mask = pd.Series(False, index=table.index)
    for c in columns:
        mask |= _contains(table[c], query)
    return table[mask]


def snapshots_table(snapshots: list[SnapshotInfo]) -> pd.DataFrame:
    """Stored snapshots, newest first, as operators scan them."""
    return pd.DataFrame(
        [
            {
                "Snapshot": f"#{s.id}",
                "Data per": fmt.datetime(s.as_of),
                "Berkas": ", ".join(s.files),
                "Inovasi": fmt.num(s.innovations),
                "Unit siap": f"{fmt.num(s.units_ready)} dari {fmt.num(s.units_expected)}",
                "Daftar unit": s.roster_name or "–",
                "Diunggah oleh": s.uploader or "–",
                "Disimpan": fmt.datetime(s.created_at),
            }
            for s in snapshots
        ]
    )


def roster_summary(roster: Roster) -> pd.DataFrame:
    """Units per type in a roster."""
    labels = type_labels()
    counts = roster.units["type"].value_counts()
    rows = [{"Jenis unit": labels.get(t, t), "Jumlah unit": int(counts.get(t, 0))} for t in labels if t in counts]
    rows.append({"Jenis unit": "Jumlah", "Jumlah unit": len(roster)})
    return pd.DataFrame(rows)


def indicator_issues(analysis: Analysis) -> pd.DataFrame:
    """Innovations whose indicator levels disagree with the stated score or leave a mandatory one at 0."""
    inn = analysis.innovations
    flagged = inn[inn["differs"].astype(bool) | inn["missing_mandatory"].map(bool)]
    problems = [
        "; ".join(
            p
            for p in (
                "skor tertulis berbeda dari hitungan indikator" if differs else "",
                ("indikator wajib bernilai 0: " + ", ".join(map(str, missing))) if missing else "",
            )
            if p
        )
        for differs, missing in zip(flagged["differs"], flagged["missing_mandatory"])
    ]
    return pd.DataFrame(
        {
            "Inovasi": flagged["innovation"],
            "Unit": flagged["unit_name"],
            "Skor dipakai": flagged["score"].map(fmt.score),
            "Hitungan indikator": flagged["score_computed"].map(fmt.score),
            "Masalah": problems,
        }
    ).reset_index(drop=True)


def approximate_matches(analysis: Analysis) -> pd.DataFrame:
    """Names matched to a roster unit despite a typo, for the operator to confirm."""
    rows = analysis.rows[analysis.rows["match_method"] == "fuzzy"].drop_duplicates("unit")
    return pd.DataFrame(
        {
            "Nama tertulis": rows["unit"],
            "Dianggap sebagai": rows["unit_name"],
            "Kemiripan": rows["similarity"].map(lambda x: fmt.num(x, 0) + "%"),
        }
    ).reset_index(drop=True)


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The history table as leaders read it."""
    return pd.DataFrame(
        {
            "Tahun": frame["tahun"].astype(str),
            "Jumlah inovasi": frame["jumlah_inovasi"].map(fmt.num),
            "Hasil": frame["hasil"].replace("", "–"),
            "Peringkat nasional": frame["peringkat"].map(lambda r: "–" if pd.isna(r) else fmt.num(r)),
            "Catatan": frame["catatan"].replace("", "–"),
        }
    )


def scenarios_table(sim: Simulation) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Langkah": wording.scenario_text(sim, s)[0],
                "Inovasi dikirim": fmt.num(s.projection.n),
                "Rata-rata kematangan": fmt.num(s.projection.avg_kematangan, 2),
                "Skor jumlah inovasi": fmt.num(s.projection.skor_jumlah_inovasi, 2),
                "IID": fmt.num(s.projection.iid, 2),
                "Predikat": s.projection.predikat,
                "Target tercapai": "ya" if s.projection.iid >= sim.target_iid else "belum",
                "Keterangan": wording.scenario_text(sim, s)[1],
            }
            for s in sim.scenarios
        ]
    )


def projection_rows(p: Projection, rules: RuleSet, spd: float) -> pd.DataFrame:
    """The computation step by step, as a hand computation would show it."""
    six = len(urusan_wajib())
    rule = (
        f"minimal {rules.urusan_wajib_min} dari {six} urusan wajib"
        if rules.urusan_wajib_min
        else "tidak ada syarat urusan wajib"
    )
    return pd.DataFrame(
        [
            ("Jumlah inovasi (n)", fmt.num(p.n), "yang belum dinilai ikut dihitung dengan skor 0"),
            ("Pembagi MAX(k, n)", fmt.num(p.divisor), f"k = {rules.k}"),
            (
                "Jumlah skor kematangan",
                fmt.num(p.total_kematangan, 2),
                f"skala 0–{fmt.num(rules.max_per_innovation)} per inovasi",
            ),
            ("Rata-rata kematangan", fmt.num(p.avg_kematangan, 2), "jumlah skor ÷ pembagi"),
            (
                "Skor jumlah inovasi",
                fmt.num(p.skor_jumlah_inovasi, 2),
                f"MIN(n, {rules.count_cap}) × {fmt.num(rules.count_weight, 2)}; {rule}; "
                f"tercakup {p.urusan_covered} dari {six}",
            ),
            ("SID", fmt.num(p.sid, 2), "rata-rata + skor jumlah"),
            ("SPD", fmt.num(spd, 2), f"perkiraan (maks. {fmt.num(rules.spd_max)}), diisi di Pengaturan"),
            ("IID", fmt.num(p.iid, 2), f"(SPD + SID) ÷ {fmt.num(rules.total_max)} × 100"),
            ("Predikat", p.predikat, f"aturan {rules.year}"),
        ],
        columns=["Langkah", "Nilai", "Keterangan"],
    )


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
        broken if status.get(k) == "ready" and passing_kept.get(k, 0) < required else "–" for k in out["unit_key"]
    ]
    table = pd.DataFrame(
        {
            "Inovasi": out["innovation"],
            "Unit": out["unit_name"],
            "Skor": out["score"].map(fmt.score),
            "Aturan lokal": conflict,
            "_score": out["score"].fillna(-1),
        }
    )
    return table.sort_values("_score", kind="stable").drop(columns="_score").reset_index(drop=True)


def pembina_table(units: pd.DataFrame, groups: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per pembina: how many of their units are ready, and the names of those that are not (worst first).
    `groups` is `by_pembina(units)` when the caller has it already."""
    groups = by_pembina(units) if groups is None else groups
    names = dict(zip(units["unit_key"], units["unit_name"]))
    return pd.DataFrame(
        {
            "Pembina": groups["pembina"].replace("", "(belum ditentukan)"),
            "Unit": groups["units"],
            "Siap": [f"{fmt.num(r)} ({fmt.pct(r, n, 0)})" for r, n in zip(groups["ready"], groups["units"])],
            "Belum siap": groups["lagging"],
            "Belum mengunggah": groups["none"],
            "Unit belum siap": [", ".join(names[k] for k in keys) or "–" for keys in groups["lagging_keys"]],
        }
    )


CARD_NAMES = 12  # lagging names per pembina card; the table under it and Kesiapan Unit have them all


def pembina_cards(
    units: pd.DataFrame, shown: int = CARD_NAMES, groups: pd.DataFrame | None = None
) -> list[dict[str, str]]:
    """Per pembina as cards that read on a phone and a laptop (Ringkasan): who, how many ready, and the first
    `shown` units not ready, worst first. `groups` is `by_pembina(units)` when the caller has it already."""
    groups = by_pembina(units) if groups is None else groups
    names = dict(zip(units["unit_key"], units["unit_name"]))
    cards = []
    for g in groups.itertuples():
        waiting = f", {fmt.num(g.none)} belum mengunggah" if g.none else ""
        lagging = [names[k] for k in g.lagging_keys]
        more = f" … dan {fmt.num(len(lagging) - shown)} lainnya" if len(lagging) > shown else ""
        cards.append(
            {
                "name": g.pembina or "(belum ditentukan)",
                "pembina": f"{fmt.num(g.units)} unit · {fmt.num(g.lagging)} belum siap{waiting}",
                "status": f"siap {fmt.num(g.ready)} ({fmt.pct(g.ready, g.units, 0)})",
                "tone": "good" if not g.lagging else "bad" if g.ready * 2 < g.units else "warn",
                "action": (", ".join(lagging[:shown]) + more) or "semua unit siap",
            }
        )
    return cards


def unit_cards(analysis: Analysis, units: pd.DataFrame) -> list[dict[str, str]]:
    """The units of `units`, lagging first, as name, status, tone and the action still needed (Kesiapan Unit)."""
    u = lagging_first(units)
    actions = wording.unit_actions(analysis, u)
    tone = {"ready": "good", "needs_improvement": "warn", "incomplete": "warn", "none": "bad"}
    return [
        {"name": n, "status": STATUS_LABELS[s], "tone": tone[s], "action": a or "sudah siap", "pembina": p}
        for n, s, a, p in zip(u["unit_name"], u["status"], actions, u["pembina"])
    ]


def pembina_options(units: pd.DataFrame) -> list[str]:
    """Pembina that have units, for a filter: the ones with most units not ready first."""
    return [p for p in by_pembina(units)["pembina"] if p]


SEASON_COLUMNS = {
    "tahun": "Tahun",
    "jumlah_inovasi": "Jumlah inovasi",
    "hasil": "Hasil",
    "peringkat": "Peringkat nasional",
    "catatan": "Catatan",
}


def seasons_editor(frame: pd.DataFrame) -> pd.DataFrame:
    """Past seasons as text columns with Indonesian headers, for the editable table on Pengaturan."""
    return (
        frame.rename(columns=SEASON_COLUMNS)
        .astype(object)
        .where(frame.rename(columns=SEASON_COLUMNS).notna(), "")
        .astype(str)
    )


def seasons_from_editor(frame: pd.DataFrame) -> pd.DataFrame:
    """The edited table back under the engine's column names (history.checked checks it)."""
    return frame.rename(columns={v: k for k, v in SEASON_COLUMNS.items()})


def _value(v: object) -> str:
    return "–" if v is None or v == "" else ", ".join(map(str, v)) if isinstance(v, list) else str(v)


def audit_table(entries: list[audit.Entry]) -> pd.DataFrame:
    """The audit trail, newest first, as operators read it: when, who, what, and what changed."""

    def detail(e: audit.Entry) -> str:
        changed = e.changes()
        if changed:
            return "; ".join(f"{k}: {_value(b)} → {_value(a)}" for k, b, a in changed)
        return "" if e.after is None or isinstance(e.after, (dict, list)) else _value(e.after)

    return pd.DataFrame(
        {
            "Waktu": [fmt.datetime(e.at) for e in entries],
            "Oleh": [f"{e.actor} ({e.role})" for e in entries],
            "Perubahan": [e.label for e in entries],
            "Sasaran": [e.target for e in entries],
            "Rincian": [detail(e) or "–" for e in entries],
        },
        columns=["Waktu", "Oleh", "Perubahan", "Sasaran", "Rincian"],
    )


def deleted_table(snapshots: list[SnapshotInfo]) -> pd.DataFrame:
    """Uploads in Terhapus: restorable until purged."""
    return pd.DataFrame(
        [
            {
                "Unggahan": f"#{s.id}",
                "Data per": fmt.datetime(s.as_of),
                "Berkas": ", ".join(s.files),
                "Inovasi": fmt.num(s.innovations),
                "Dihapus": fmt.datetime(s.deleted_at),
                "Oleh": s.deleted_by or "–",
            }
            for s in snapshots
        ],
        columns=["Unggahan", "Data per", "Berkas", "Inovasi", "Dihapus", "Oleh"],
    )
