"""Files for people to forward: the follow-up workbook."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import fmt, safetext, wording
from .pipeline import Analysis
from .readiness import LAGGING_FIRST
from .vocabulary import type_labels

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
    lagging["status_label"] = lagging["status"].map(wording.STATUS_LABELS)
    lagging["needs"] = wording.unit_actions(analysis, lagging)
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


