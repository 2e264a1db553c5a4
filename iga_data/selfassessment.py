"""The self-assessment workbook ("Lembar Penilaian Mandiri") units fill in and send back.

One row per innovation, one column per indicator of the rule year with a drop-down of its
level labels (levels.py writes them and the reader reads them back), and a score column the
workbook computes for the unit's own view. That column's header is deliberately not a score
synonym (config/columns.toml), so the reader never maps it: the engine scores the innovation
from the levels alone and a number typed or tampered with there changes nothing.

Names come from uploads and rosters, so every text cell is written as text: a unit named
'=HYPERLINK(...)' stays a name, never a formula. The only formulas are the ones built here.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import fmt, safetext
from .errors import InputError
from .levels import level_label
from .matching import Matcher
from .names import norm_text, unit_name
from .pipeline import Analysis
from .plan import innovation_levels, known_levels, paraphrased
from .plan_text import PARAPHRASE_NOTE
from .rules import MAX_LEVEL, RuleSet, load_rules
from .settings import Settings

SHEET = "Penilaian Mandiri"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GUIDE = "Petunjuk"
# Not a score synonym on purpose (see the module docstring); a test keeps it so.
SCORE_HEADER = "Perkiraan Skor Mandiri"
HEADER_ROW = 5
BLANK_ROWS = 20  # empty rows with drop-downs, for innovations not uploaded yet
# Excel would read a typed value starting with these as a formula.
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", start_color="DDEBF7")
_MANDATORY_FILL = PatternFill("solid", start_color="FCE4D6")
_SCORE_FILL = PatternFill("solid", start_color="E2EFDA")


@dataclass(frozen=True)
class Entry:
    """One pre-filled row: an innovation of a unit and the levels known so far (others left blank)."""

    unit: str
    innovation: str
    levels: Mapping[int, float] = field(default_factory=dict)


def workbook(
    rules: RuleSet, threshold: float, heading: str, units: Sequence[str] = (), entries: Sequence[Entry] = ()
) -> bytes:
    """The .xlsx: the assessment sheet (pre-filled `entries`, a unit drop-down when `units` are
    given) and the instructions sheet, which also holds the drop-down lists."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    guide = wb.create_sheet(GUIDE)
    level_rows, unit_range = _guide(guide, rules, threshold, units)

    t = fmt.score(threshold)
    numbers = [ind.number for ind in rules.indicators]
    safetext.text_cell(ws, 1, 1, "LEMBAR PENILAIAN MANDIRI KEMATANGAN INOVASI DAERAH").font = Font(bold=True, size=14)
    safetext.text_cell(ws, 2, 1, heading).font = _BOLD
    safetext.text_cell(
        ws,
        3,
        1,
        f"Aturan IID tahun {rules.year}: skor minimal {t} dari {fmt.score(rules.max_per_innovation)}. "
        f"Pilih level tiap indikator dari daftar; petunjuk ada di lembar '{GUIDE}'.",
    )
    headers = [
        "No",
        "Nama Unit",
        "Nama Inovasi",
        *[f"{ind.number}. {ind.name}" + (" (wajib)" if ind.mandatory else "") for ind in rules.indicators],
        SCORE_HEADER,
        f"Kurang dari {t}",
    ]
    for c, label in enumerate(headers, 1):
        cell = safetext.text_cell(ws, HEADER_ROW, c, label)
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = _HEAD_FILL
    first_ind = 4
    score_col = first_ind + len(numbers)
    for j, ind in enumerate(rules.indicators):
        if ind.mandatory:
            ws.cell(HEADER_ROW, first_ind + j).fill = _MANDATORY_FILL

    last = HEADER_ROW + len(entries) + max(BLANK_ROWS, len(units))
    for i, e in enumerate(entries):
        r = HEADER_ROW + 1 + i
        ws.cell(r, 1, i + 1)
        safetext.text_cell(ws, r, 2, e.unit)
        safetext.text_cell(ws, r, 3, e.innovation)
        for j, ind in enumerate(rules.indicators):
            level = e.levels.get(ind.number)
            if level is not None and not math.isnan(level):
                safetext.text_cell(ws, r, first_ind + j, level_label(ind, int(level)))
    ind_cols = [get_column_letter(first_ind + j) for j in range(len(numbers))]
    s, gap = get_column_letter(score_col), get_column_letter(score_col + 1)
    for r in range(HEADER_ROW + 1, last + 1):
        terms = ",".join(
            f'IFERROR(VALUE(LEFT({c}{r},FIND(" ",{c}{r}&" ")-1)),0)*{ind.bobot:g}'
            for c, ind in zip(ind_cols, rules.indicators)
        )
        ws[f"{s}{r}"] = f'=IF(COUNTA({ind_cols[0]}{r}:{ind_cols[-1]}{r})=0,"",SUM({terms}))'
        ws[f"{gap}{r}"] = f'=IF({s}{r}="","",MAX(0,{threshold:g}-{s}{r}))'
        ws[f"{s}{r}"].fill = _SCORE_FILL

    for j, (c, ind) in enumerate(zip(ind_cols, rules.indicators)):
        dv = DataValidation(
            type="list",
            formula1=f"'{GUIDE}'!$E${level_rows[j]}:${get_column_letter(5 + MAX_LEVEL)}${level_rows[j]}",
            allow_blank=True,
        )
        dv.error, dv.errorTitle = "Pilih salah satu level dari daftar.", "Level tidak dikenal"
        dv.prompt, dv.promptTitle = (f"{ind.name} (bobot {fmt.score(ind.bobot)})"[:255], f"Indikator {ind.number}"[:32])
        dv.showErrorMessage = dv.showInputMessage = True
        dv.add(f"{c}{HEADER_ROW + 1}:{c}{last}")
        ws.add_data_validation(dv)
    if unit_range:
        dv = DataValidation(type="list", formula1=unit_range, allow_blank=True, errorStyle="warning")
        dv.error, dv.errorTitle = "Nama unit ini tidak ada di daftar; pastikan penulisannya benar.", "Nama unit"
        dv.showErrorMessage = True
        dv.add(f"B{HEADER_ROW + 1}:B{last}")
        ws.add_data_validation(dv)

    for col, width in {"A": 5, "B": 32, "C": 40, s: 14, gap: 12}.items():
        ws.column_dimensions[col].width = width
    for c in ind_cols:
        ws.column_dimensions[c].width = 24
    ws.row_dimensions[HEADER_ROW].height = 60
    ws.freeze_panes = f"D{HEADER_ROW + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _guide(ws: Worksheet, rules: RuleSet, threshold: float, units: Sequence[str]) -> tuple[list[int], str]:
    """The instructions, the meaning of every level (also the drop-down source) and the unit list.

    Returns the row of each indicator's level labels and the unit list's range ('' when none).
    """
    t = fmt.score(threshold)
    numbers = [ind.number for ind in rules.indicators]
    mandatory = ", ".join(map(str, rules.mandatory)) or "tidak ada"
    lines = [
        "Lembar ini untuk menilai sendiri kematangan inovasi sebelum mengisi portal Indeks Inovasi Daerah.",
        "Satu baris untuk satu inovasi. Baris yang sudah terisi berasal dari data yang diunggah Bappeda; "
        "inovasi lain ditulis di baris kosong di bawahnya, dengan nama unit dari daftar pilihan.",
        f"Di setiap kolom indikator ({numbers[0]}–{numbers[-1]}) pilih level sesuai bukti yang dimiliki. "
        "Kolom kosong dihitung level 0 (tidak ada bukti).",
        f"Indikator wajib ({mandatory}) tidak boleh level 0: inovasi dapat dinyatakan tidak memenuhi syarat.",
        f"Kolom '{SCORE_HEADER}' menghitung jumlah bobot × level (paling tinggi "
        f"{fmt.score(rules.max_per_innovation)}); skor minimal {t}.",
        "Dasbor menghitung ulang skor dari level yang dipilih; angka di kolom perkiraan tidak dipakai.",
        "Jangan mengubah judul kolom. Simpan sebagai .xlsx lalu kirim kembali ke Bappeda.",
        f"Aturan IID tahun {rules.year}. Sumber: {rules.source}.",
    ] + ([PARAPHRASE_NOTE] if paraphrased(rules) else [])
    safetext.text_cell(ws, 1, 1, "PETUNJUK PENGISIAN LEMBAR PENILAIAN MANDIRI").font = Font(bold=True, size=14)
    for i, line in enumerate(lines, 1):
        safetext.text_cell(ws, 1 + i, 1, f"{i}. {line}")
    top = len(lines) + 3
    safetext.text_cell(ws, top, 1, "Arti level tiap indikator").font = _BOLD
    for c, label in enumerate(
        ["No", "Indikator", "Bobot", "Wajib", *[f"Level {lv}" for lv in range(MAX_LEVEL + 1)]], 1
    ):
        safetext.text_cell(ws, top + 1, c, label).font = _BOLD
    rows = []
    for i, ind in enumerate(rules.indicators):
        r = top + 2 + i
        rows.append(r)
        ws.cell(r, 1, ind.number)
        safetext.text_cell(ws, r, 2, ind.name)
        ws.cell(r, 3, ind.bobot)
        safetext.text_cell(ws, r, 4, "wajib" if ind.mandatory else "")
        for lv in range(MAX_LEVEL + 1):
            safetext.text_cell(ws, r, 5 + lv, level_label(ind, lv))
    unit_range = ""
    if units:
        start = rows[-1] + 3
        safetext.text_cell(ws, start - 1, 1, "Daftar unit (pilihan kolom Nama Unit)").font = _BOLD
        for i, name in enumerate(units):
            safetext.text_cell(ws, start + i, 2, name)
        unit_range = f"'{GUIDE}'!$B${start}:$B${start + len(units) - 1}"
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for c in range(5, 6 + MAX_LEVEL):
        ws.column_dimensions[get_column_letter(c)].width = 34
    return rows, unit_range


# --- which units and innovations ------------------------------------------------


def entries_for(analysis: Analysis, units: Sequence[str]) -> list[Entry]:
    """The innovations of these units (by display name) with their known levels, unit by unit."""
    inn = analysis.innovations
    chosen = inn[inn["unit_name"].isin(list(units))]
    if chosen.empty:
        return []
    levels = innovation_levels(analysis).loc[chosen.index]
    order = {name: i for i, name in enumerate(units)}
    rows = sorted(
        zip(chosen["unit_name"], chosen["innovation"], (known_levels(lv) for _, lv in levels.iterrows())),
        key=lambda x: (order[x[0]], norm_text(x[1])),
    )
    return [Entry(u, name, lv or {}) for u, name, lv in rows]


def for_units(analysis: Analysis, units: Sequence[str], heading: str) -> bytes:
    """The workbook of some units of the data in view, pre-filled with their innovations."""
    s = analysis.settings
    return workbook(load_rules(s.rule_year), s.threshold, heading, units, entries_for(analysis, units))


def unit_workbook(analysis: Analysis, unit: str) -> bytes:
    """Kesiapan Unit: one unit's workbook."""
    return for_units(analysis, [unit], f"Unit: {unit}")


def pembina_workbook(analysis: Analysis, pembina: str, units: Sequence[str]) -> bytes:
    """Kesiapan Unit: the workbook of every unit a pembina looks after."""
    return for_units(analysis, units, f"Pembina: {pembina} ({fmt.num(len(units))} unit)")


def blank_workbook(settings: Settings, units: Sequence[str] = ()) -> bytes:
    """Unggah Data: an empty workbook (with the roster's units in the drop-down when given)."""
    return workbook(load_rules(settings.rule_year), settings.threshold, "Lembar kosong untuk unit mana pun", units)


def file_name(who: str) -> str:
    """'lembar_penilaian_mandiri_dinas_sosial.xlsx' for a unit or pembina; without a name for a blank one."""
    slug = "_".join(norm_text(who).split()[:8])
    return f"lembar_penilaian_mandiri{'_' + slug if slug else ''}.xlsx"


def pembina_units(mapping: Mapping[str, Sequence[str]], pembina: str) -> tuple[str, list[str]]:
    """The pembina a typed name means and its units; InputError naming the choices when unknown."""
    if not mapping:
        raise InputError("Belum ada unit dengan pembina; tambahkan kolom Pembina di daftar unit atau pilih --unit.")
    for name, units in mapping.items():
        if norm_text(name) == norm_text(pembina):
            return name, list(units)
    raise InputError(f"Pembina '{pembina}' tidak ada di daftar unit (yang ada: {', '.join(sorted(mapping))}).")


def resolve_unit(analysis: Analysis, name: str) -> str:
    """The unit a typed name means, spelt as the roster (or the files) spell it.

    With a roster the name must match one of its units; with files only, one of their units
    or the name as typed (a unit that has not uploaded anything yet).
    """
    roster = analysis.roster
    if roster is not None and len(roster):
        match = Matcher(roster, analysis.settings.city).match(name, "")
        if match is None:
            raise InputError(f"Unit '{name}' tidak ada di daftar unit {roster.name}; periksa penulisannya.")
        return match.unit_name
    city = analysis.settings.city
    key = unit_name(name, city).key
    found = [u for u in analysis.units["unit_name"] if unit_name(u, city).key == key]
    return found[0] if found else name.strip()
