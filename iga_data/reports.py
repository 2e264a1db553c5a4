"""Words and files for people: the text summary, the one-line reading, the follow-up list."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from . import fmt
from .config import unit_types
from .pipeline import Analysis


def situation_line(summary: dict[str, Any]) -> str:
    """One sentence leaders read first: '138 unit belum siap; 46 belum mengunggah sama sekali'."""
    u = summary["units"]
    if not u["expected"]:
        return "Belum ada unit yang dapat dinilai."
    not_ready = u["expected"] - u["ready"]
    if not not_ready:
        return f"Semua {fmt.num(u['expected'])} unit sudah siap."
    parts = [f"{fmt.num(not_ready)} unit belum siap"]
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
    labels = {t.code: t.label for t in unit_types()}
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
    for w in summary["warnings"]:
        lines.append(f"Peringatan: {w}")
    return "\n".join(lines)


FOLLOW_UP_COLUMNS = {
    "unit_name": "Unit",
    "unit_type": "Jenis unit",
    "status_label": "Status",
    "uploaded": "Inovasi diunggah",
    "passing": "Inovasi memenuhi ambang",
    "best": "Skor tertinggi",
    "needs": "Yang masih diperlukan",
}


def follow_up(analysis: Analysis) -> pd.DataFrame:
    """Every unit not ready and what it still needs, worst first, with Indonesian headers."""
    units = analysis.units
    lagging = units[units["status"] != "ready"].copy()
    order = {"none": 0, "incomplete": 1, "needs_improvement": 2}
    lagging["_o"] = lagging["status"].map(order)
    lagging = lagging.sort_values(["_o", "unit_type", "unit_name"], kind="stable")
    lagging["best"] = lagging["scores"].map(lambda s: "; ".join(fmt.score(x) for x in s[:3]) or "–")
    return lagging[list(FOLLOW_UP_COLUMNS)].rename(columns=FOLLOW_UP_COLUMNS).reset_index(drop=True)


def follow_up_xlsx(analysis: Analysis, as_of: str) -> bytes:
    """The follow-up list as an .xlsx staff can forward: a title row, then the table."""
    table = follow_up(analysis)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name="Tindak Lanjut", index=False, startrow=2)
        ws = writer.sheets["Tindak Lanjut"]
        ws["A1"] = f"Daftar tindak lanjut kesiapan IGA — data per {as_of}"
        ws["A1"].font = ws["A1"].font.copy(bold=True, size=13)
        widths = {"A": 42, "B": 14, "C": 18, "D": 16, "E": 22, "F": 16, "G": 52}
        for col, width in widths.items():
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A4"
    return buf.getvalue()
