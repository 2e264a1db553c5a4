"""Words and files for people: the text summary, the one-line reading, the follow-up list."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import fmt, safetext
from .vocabulary import type_labels
from .pipeline import Analysis
from .readiness import LAGGING_FIRST
from .timeline import deadline_text


def local_need(summary: dict[str, Any]) -> int:
    """Innovations the local rule asks for: every expected unit times the number each must have."""
    return summary["units"]["expected"] * summary["required_per_unit"]


def not_ready(summary: dict[str, Any]) -> int:
    """Expected units that are not ready yet (those on the follow-up list)."""
    return summary["units"]["expected"] - summary["units"]["ready"]


def situation_line(summary: dict[str, Any]) -> str:
    """One sentence leaders read first: '138 unit belum siap; 46 belum mengunggah sama sekali'."""
    u = summary["units"]
    if not u["expected"]:
        return "Belum ada unit yang dapat dinilai."
    lagging = not_ready(summary)
    if not lagging:
        return f"Semua {fmt.num(u['expected'])} unit sudah siap."
    parts = [f"{fmt.num(lagging)} unit belum siap"]
    if u["none"]:
        parts.append(f"{fmt.num(u['none'])} belum mengunggah sama sekali")
    if u["needs_improvement"]:
        parts.append(f"{fmt.num(u['needs_improvement'])} perlu memperbaiki nilai")
    return "; ".join(parts) + "."


def text_summary(summary: dict[str, Any], files: list[str]) -> str:
    """The CLI's readable report."""
    u = summary["units"]
    lines = [
        f"Kesiapan IGA — {fmt.num(summary['innovations'])} inovasi dari {fmt.num(len(files))} berkas "
        f"(ambang {fmt.score(summary['threshold'])}, wajib {summary['required_per_unit']} per unit)",
        f"Unit siap: {fmt.num(u['ready'])} dari {fmt.num(u['expected'])} ({fmt.pct(u['ready'], u['expected'])}); "
        f"perlu perbaikan {fmt.num(u['needs_improvement'])}; belum lengkap {fmt.num(u['incomplete'])}; "
        f"belum mengunggah {fmt.num(u['none'])}",
        situation_line(summary),
        "",
        "Per jenis unit (siap/wajib):",
    ]
    labels = type_labels()
    for code, c in summary["by_type"].items():
        if c["expected"]:
            lines.append(
                f"  {labels.get(code, code):<24} {fmt.num(c['ready']):>5}/{fmt.num(c['expected']):<5}"
                f" perbaikan {fmt.num(c['needs_improvement'])}, belum lengkap {fmt.num(c['incomplete'])},"
                f" belum mengunggah {fmt.num(c['none'])}"
            )
    if summary["unmatched_units"]:
        names = summary["unmatched_units"]
        shown = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
        lines += ["", f"Nama unit tidak ada di daftar unit ({fmt.num(len(names))}): {shown}"]
    if summary["duplicates_removed"]:
        lines.append(f"Baris ganda digabung: {fmt.num(summary['duplicates_removed'])}")
    if summary["skipped_rows"]:
        lines.append(f"Baris dilewati (bukan inovasi): {fmt.num(summary['skipped_rows'])}")
    for sheet in summary["sheets_skipped"]:
        lines.append(f"Lembar tidak dibaca: {sheet['file']} › {sheet['sheet']} ({sheet['reason']})")
    for w in summary["warnings"]:
        lines.append(f"Peringatan: {w}")
    return "\n".join(lines)


FOLLOW_UP_COLUMNS = {
    "unit_name": "Unit",
    "type_label": "Jenis unit",
    "status_label": "Status",
    "needs": "Yang masih diperlukan",
    "to_improve": "Inovasi yang perlu diperbaiki (skor)",
    "uploaded": "Inovasi diunggah",
    "passing": "Inovasi memenuhi skor minimal",
    "best_1": "Skor terbaik",
}

FOLLOW_UP_WIDTHS = [42, 22, 18, 52, 60, 16, 16, 13]  # characters, in the column order above


def follow_up(analysis: Analysis) -> pd.DataFrame:
    """Every unit not ready, worst first: what it still needs and which of its innovations to improve."""
    units = analysis.units
    lagging = units[units["status"] != "ready"].copy()
    lagging["_o"] = lagging["status"].map(LAGGING_FIRST)
    lagging = lagging.sort_values(["_o", "unit_type", "unit_name"], kind="stable")
    lagging["type_label"] = lagging["unit_type"].map(type_labels()).fillna(lagging["unit_type"])
    lagging["to_improve"] = lagging["unit_key"].map(_weak_innovations(analysis)).fillna("–")
    return lagging[list(FOLLOW_UP_COLUMNS)].rename(columns=FOLLOW_UP_COLUMNS).reset_index(drop=True)


def _weak_innovations(analysis: Analysis) -> dict[str, str]:
    """Per unit: its innovations under the threshold or not assessed, 'Bank Sampah (65); Ronda (belum dinilai)'."""
    inn = analysis.innovations
    weak = inn[~(inn["score"] >= analysis.settings.threshold)]
    texts: dict[str, list[str]] = {}
    for key, name, score in zip(weak["unit_key"], weak["innovation"], weak["score"]):
        texts.setdefault(key, []).append(f"{name} ({'belum dinilai' if score != score else fmt.score(score)})")
    return {k: "; ".join(v) for k, v in texts.items()}


def follow_up_xlsx(analysis: Analysis, as_of: str) -> bytes:
    """The follow-up list as an .xlsx staff can forward: a title row, then a filterable table."""
    table = follow_up(analysis)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        ws = safetext.to_excel(table, writer, "Tindak Lanjut", startrow=2)  # unit and innovation names stay text
        ws["A1"] = f"Daftar tindak lanjut kesiapan IGA — data per {as_of}"
        ws["A1"].font = Font(bold=True, size=13)
        for i, width in enumerate(FOLLOW_UP_WIDTHS, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A4"
        ws.auto_filter.ref = f"A3:{get_column_letter(table.shape[1])}{len(table) + 3}"
    return buf.getvalue()


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


def headline(summary: dict[str, Any], as_of: dt.date, deadline: dt.date,
             previous: pd.Series | None = None) -> list[Metric]:
    """The five figures at the top of Ringkasan, with the change since the previous snapshot."""
    u = summary["units"]
    since = f"{previous['as_of']:%d/%m}" if previous is not None else ""
    before = (lambda key: int(previous[key])) if previous is not None else (lambda key: None)
    none_before = int(previous["expected"] - previous["uploaded"]) if previous is not None else None
    t = fmt.score(summary["threshold"])
    return [
        Metric("Inovasi diunggah", fmt.num(summary["innovations"]),
               f"Inovasi berbeda setelah baris ganda digabung ({fmt.num(summary['duplicates_removed'])} baris ganda).",
               _delta(summary["innovations"], before("innovations"), since)),
        Metric("Unit siap", f"{fmt.num(u['ready'])} / {fmt.num(u['expected'])}",
               f"{fmt.pct(u['ready'], u['expected'])} unit punya {summary['required_per_unit']} inovasi "
               f"dengan skor minimal {t}.", _delta(u["ready"], before("ready"), since)),
        Metric("Belum mengunggah", f"{fmt.num(u['none'])} unit", "Unit yang belum punya satu inovasi pun.",
               _delta(u["none"], none_before, since), "inverse")
        if summary["roster"] else
        Metric("Belum mengunggah", "–", "Tanpa daftar unit, unit yang belum mengunggah tidak dapat diketahui; "
               "unggah daftar unit di halaman Unggah Data."),
        Metric(f"Inovasi di bawah {t}", fmt.num(summary["below_threshold"]),
               f"Inovasi dengan skor di bawah {t}; {fmt.num(summary['not_assessed'])} lainnya belum dinilai."),
        Metric("Menuju tenggat", deadline_text(as_of, deadline),
               f"Dihitung dari tanggal data {fmt.date(as_of)} ke tenggat {fmt.date(deadline)}."),
    ]
