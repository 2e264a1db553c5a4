"""Files for people to forward: the follow-up workbook (all units not ready, one sheet per pembina), the
briefing workbook, and every file of the briefing under a name that carries the data date.

Workbooks print as they are: a title with the data date and the rules, landscape, one page wide, the
header row repeated on every page and frozen on screen. Uploaded text (unit, innovation and pembina names)
is written through safetext, so it is never a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from . import briefing_html, briefing_pdf, fmt, messages, safetext, tables, wording
from .briefing import Briefing, pace_lines
from .pipeline import Analysis
from .readiness import by_pembina
from .vocabulary import type_labels

HEADER_ROW = 4  # rows 1-3: title, data date and rules, what the sheet lists
HEADER_FILL = PatternFill(fill_type="solid", fgColor="DCE6EF")
COUNT_FORMAT = "#,##0"  # shown 1.234 where Excel runs in Indonesian; scores keep General: 72,5 there
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_RESERVED_SHEETS = {"history"}  # Excel keeps this name for itself

ALL_SHEET = "Semua belum siap"
WIDTHS = {  # characters, for the columns of every sheet that have them; others fit their header
    "No": 5,
    "Unit": 30,
    "Jenis unit": 16,
    "Status": 16,
    "Yang masih diperlukan": 48,
    "Diunggah": 10,
    "Memenuhi skor minimal": 12,
    "Skor terbaik": 12,
    "Pembina": 26,
    "Kontak": 20,
    "Inovasi": 40,
    "Unit belum siap": 90,
    "Urusan": 30,
    "Uraian": 30,
    "Nilai": 16,
    "Keterangan": 90,
}
PLAN_WIDTH = 48
COUNT_COLUMNS = (
    "No",
    "Diunggah",
    "Memenuhi skor minimal",
    "Unit",
    "Wajib",
    "Siap",
    "Belum siap",
    "Belum mengunggah",
    "Perlu perbaikan",
    "Belum lengkap",
)


def sheet_name(name: str, taken: Iterable[str]) -> str:
    """A sheet name Excel accepts for any text (a pembina from an upload): no [ ] : * ? / \\, at most 31
    characters, no quote at either end, not blank, and unique ignoring case ("Dinas (2)")."""
    used = {t.lower() for t in taken} | _RESERVED_SHEETS
    base = re.sub(r"\s+", " ", _SHEET_FORBIDDEN.sub(" ", name)).strip().strip("'").strip() or "Pembina"
    candidate, n = base[:SHEET_NAME_MAX].strip(), 2
    while candidate.lower() in used:
        tail = f" ({n})"
        candidate, n = base[: SHEET_NAME_MAX - len(tail)].strip() + tail, n + 1
    return candidate


def plan_column(threshold: float) -> str:
    return f"Jalan ke {fmt.score(threshold)}"


def follow_up(analysis: Analysis) -> pd.DataFrame:
    """Every unit not ready, in Kesiapan Unit's order: what it still needs, the road to the threshold where
    indicator levels are known, its counts, pembina and contact."""
    s = analysis.settings
    lagging = messages.lagging_units(analysis)
    plans = messages.unit_plans(analysis)
    weak = set(analysis.innovations.loc[~(analysis.innovations["score"] >= s.threshold), "unit_key"])
    labels = type_labels()
    return pd.DataFrame(
        {
            "No": range(1, len(lagging) + 1),
            "Unit": lagging["unit_name"],
            "Jenis unit": lagging["unit_type"].map(lambda t: labels.get(t, t)),
            "Status": lagging["status"].map(wording.STATUS_LABELS),
            "Yang masih diperlukan": lagging["action"],
            plan_column(s.threshold): [messages.plan_cell(plans.get(k, []), k in weak) for k in lagging["unit_key"]],
            "Diunggah": lagging["uploaded"].astype(int),
            "Memenuhi skor minimal": lagging["passing"].astype(int),
            "Skor terbaik": lagging["best_1"].astype(float),  # a number, sortable; empty when none is scored
            "Pembina": lagging["pembina"].replace("", messages.NO_PEMBINA),
            "Kontak": lagging["contact"].replace("", "–"),
        }
    ).reset_index(drop=True)


def follow_up_xlsx(analysis: Analysis, as_of: dt.datetime) -> bytes:
    """The follow-up workbook: a sheet of every unit not ready, then one per pembina with units not ready
    (most lagging first), each ready to print and forward."""
    s, u = analysis.settings, analysis.summary.units
    head = [messages.title(s, "Daftar tindak lanjut kesiapan"), messages.data_line(s, as_of)]
    table = follow_up(analysis)
    widths = {plan_column(s.threshold): PLAN_WIDTH}
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        _table_sheet(
            writer, table, ALL_SHEET, [*head, wording.situation_line(analysis.summary)] if u.expected else head, widths
        )
        taken = [ALL_SHEET]
        for group in by_pembina(analysis.units).itertuples():
            if not group.lagging:
                continue
            pembina = group.pembina or messages.NO_PEMBINA
            name = sheet_name(pembina, taken)
            taken.append(name)
            mine = table[table["Pembina"] == pembina].drop(columns="Pembina").assign(No=range(1, group.lagging + 1))
            _table_sheet(
                writer, mine, name, [*head, messages.pembina_line(group.pembina, group.lagging, group.units)], widths
            )
    return buf.getvalue()


def briefing_xlsx(b: Briefing) -> bytes:
    """The briefing workbook: the headline figures and the rules in force, readiness by type and by pembina,
    and every innovation."""
    a, s = b.analysis, b.settings
    head = [messages.title(s, "Ringkasan kesiapan"), messages.data_line(s, b.as_of)]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        _table_sheet(writer, summary_table(b), "Ringkasan", [*head, wording.situation_line(a.summary)])
        _table_sheet(writer, tables.type_summary(a.units), "Per jenis unit", head)
        _table_sheet(writer, tables.pembina_table(a.units), "Per pembina", head)
        _table_sheet(writer, tables.innovations_table(a), "Inovasi", head)
    return buf.getvalue()


def summary_table(b: Briefing) -> pd.DataFrame:
    """The Ringkasan sheet: figures as numbers (so they can be reused), each with what it means."""
    a, s, sim = b.analysis, b.settings, b.sim
    summary, u = a.summary, a.summary.units
    t = fmt.score(s.threshold)
    rows = [
        ("Unit wajib", u.expected, "unit yang wajib mengunggah"),
        ("Unit siap", u.ready, f"{fmt.pct(u.ready, u.expected)} punya {s.required_per_unit} inovasi ≥ {t}"),
        *((wording.STATUS_LABELS[k], getattr(u, k), "") for k in ("needs_improvement", "incomplete", "none")),
        ("Inovasi diunggah", summary.innovations, f"{fmt.num(summary.duplicates_removed)} baris ganda digabung"),
        (f"Inovasi di bawah {t}", summary.below_threshold, f"{fmt.num(summary.not_assessed)} lainnya belum dinilai"),
        ("Laju", wording.PACE_HEADLINES[b.pace.verdict], " ".join(pace_lines(b))),
        ("Perkiraan IID", round(sim.current.iid, 2), wording.iid_estimate(sim, s.spd)),
        (f"Target IID ({s.target_rank} besar)", round(sim.target_iid, 2), wording.target_reach(sim, s)),
        ("Skor minimal", s.threshold, wording.score_scale(s)),
        ("Inovasi wajib per unit", s.required_per_unit, ""),
        ("Tenggat", fmt.date(s.deadline), wording.deadline_text(b.as_of.date(), s.deadline)),
        ("Tahun IGA", str(s.season_year), ""),  # text: a year is not 2.024
        ("Tahun aturan IID", str(s.rule_year), wording.projection_help(sim.rules)),
        ("SPD diasumsikan", s.spd, f"rentang {fmt.decimal(s.spd_low)}–{fmt.decimal(s.spd_high)}"),
    ]
    return pd.DataFrame(rows, columns=["Uraian", "Nilai", "Keterangan"], dtype=object)


def _table_sheet(
    writer: pd.ExcelWriter,
    frame: pd.DataFrame,
    sheet: str,
    heading: Sequence[str],
    widths: dict[str, int] | None = None,
) -> Worksheet:
    """A table under its heading lines, laid out to read on screen and to print."""
    ws = safetext.to_excel(frame, writer, sheet, startrow=HEADER_ROW - 1)
    for row, line in enumerate(heading, 1):
        cell = safetext.text_cell(ws, row, 1, line)
        cell.font = Font(bold=row == 1, size=13 if row == 1 else 10)
    columns = list(frame.columns)
    sized = {**WIDTHS, **(widths or {})}
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, name in enumerate(columns, 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = sized.get(name, max(10, min(40, len(name) + 2)))
        header = ws.cell(HEADER_ROW, i)
        header.font, header.fill, header.alignment = Font(bold=True), HEADER_FILL, wrap
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(frame)):
        for cell, name in zip(row, columns):
            cell.alignment = wrap
            if isinstance(cell.value, bool) or cell.value is None:
                continue
            if isinstance(cell.value, int) or name in COUNT_COLUMNS and isinstance(cell.value, float):
                cell.number_format = COUNT_FORMAT
            if name == "Status" and cell.value in tables.STATUS_TINTS:
                cell.fill = PatternFill(fill_type="solid", fgColor=tables.STATUS_TINTS[cell.value].lstrip("#"))
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(frame)}"
    ws.freeze_panes = f"{'C' if 'No' in columns else 'A'}{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.oddFooter.center.text = "Halaman &P dari &N"
    return ws


# --- every file of the briefing ------------------------------------------------

FOLLOW_UP = "tindak_lanjut_iga"
BRIEFING = "ringkasan_iga"
WHATSAPP = "pesan_wa"


def file_name(stem: str, as_of: dt.datetime, suffix: str, who: str = "") -> str:
    """'ringkasan_iga_2024-07-10.pdf', 'pesan_wa_2024-07-10_dinas-pendidikan.txt': the data date in every
    name; `who` (a pembina from an upload) reduced to letters, digits and dashes, so it names no folder."""
    slug = re.sub(r"[^a-z0-9]+", "-", who.lower()).strip("-")[:40].strip("-")
    return f"{stem}_{as_of:%Y-%m-%d}" + (f"_{slug}" if slug else "") + suffix


def message_files(msgs: Sequence[messages.Message], as_of: dt.datetime) -> dict[str, str]:
    """The WhatsApp texts as .txt: '…_semua.txt' for the message to all, then one per pembina (names unique)."""
    out: dict[str, str] = {}
    for m in msgs:
        name = file_name(WHATSAPP, as_of, ".txt", m.pembina or "semua")
        n = 2
        while name in out:
            name, n = file_name(WHATSAPP, as_of, f"-{n}.txt", m.pembina or "semua"), n + 1
        out[name] = m.text + "\n"
    return out


def outputs(b: Briefing) -> dict[str, bytes]:
    """Every file the briefing command writes, by name: the follow-up and briefing workbooks, the page as
    .html and .pdf, and the WhatsApp texts."""
    return {
        file_name(FOLLOW_UP, b.as_of, ".xlsx"): follow_up_xlsx(b.analysis, b.as_of),
        file_name(BRIEFING, b.as_of, ".xlsx"): briefing_xlsx(b),
        file_name(BRIEFING, b.as_of, ".html"): briefing_html.page(b).encode("utf-8"),
        file_name(BRIEFING, b.as_of, ".pdf"): briefing_pdf.pdf(b),
        **{
            name: text.encode("utf-8")
            for name, text in message_files(messages.whatsapp(b.analysis, b.as_of), b.as_of).items()
        },
    }
