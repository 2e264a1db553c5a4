"""The self-assessment workbook: drop-downs of level texts, read back by the reader, scored from levels only."""

from __future__ import annotations

import io

import pytest
from builders import source, xlsx
from openpyxl import load_workbook

from iga_data import selfassessment as sa
from iga_data.errors import InputError
from iga_data.levels import level_label
from iga_data.pipeline import analyse
from iga_data.plan import make_plan, plans_for
from iga_data.readiness import units_of_pembina
from iga_data.reading import map_header, read_sources
from iga_data.roster import Roster, read_roster
from iga_data.rules import load_rules
from iga_data.settings import default_settings

SETTINGS = default_settings().replace(rule_year=2026)
RULES = load_rules(2026)
FIRST_ROW = sa.HEADER_ROW + 1
HOSTILE = '=HYPERLINK("http://x","y")'


def sheets(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return wb[sa.SHEET], wb[sa.GUIDE]


def column_of(ws, header: str) -> int:
    return next(c.column for c in ws[sa.HEADER_ROW] if c.value == header)


def read_back(data: bytes, roster: Roster | None = None):
    return analyse(read_sources([source("lembar.xlsx", data)]), roster, SETTINGS)


def fill(data: bytes, rows: dict[int, dict[int, int]], score: float | None = None, extra=None) -> bytes:
    """Choose levels as a unit would: the labels offered by each column's drop-down."""
    ws, guide = sheets(data)
    wb = ws.parent
    for r, levels in rows.items():
        for number, level in levels.items():
            ind = next(i for i in RULES.indicators if i.number == number)
            ws.cell(
                FIRST_ROW + r,
                column_of(ws, f"{number}. {ind.name}" + (" (wajib)" if ind.mandatory else "")),
                level_label(ind, level),
            )
        if score is not None:
            ws.cell(FIRST_ROW + r, column_of(ws, sa.SCORE_HEADER), score)  # tampered: the engine must ignore it
    for r, values in (extra or {}).items():
        for c, value in enumerate(values, 2):
            ws.cell(FIRST_ROW + r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_drop_downs_offer_each_indicators_level_texts():
    ws, guide = sheets(sa.workbook(RULES, 70, "Unit: Dinas Sosial", ["Dinas Sosial"]))
    validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    for ind in RULES.indicators:
        col = ws.cell(
            sa.HEADER_ROW, column_of(ws, f"{ind.number}. {ind.name}" + (" (wajib)" if ind.mandatory else ""))
        ).column_letter
        dv = validations[f"{col}{FIRST_ROW}"]
        assert dv.type == "list" and dv.showErrorMessage
        ref = dv.formula1.split("!")[1].replace("$", "")
        offered = [c.value for row in guide[ref] for c in row]
        assert offered == [level_label(ind, lv) for lv in range(4)]
    unit_list = validations[f"B{FIRST_ROW}"].formula1.split("!")[1].replace("$", "")
    assert [c.value for row in guide[unit_list] for c in row] == ["Dinas Sosial"]
    instructions = " ".join(str(c.value) for c in guide["A"] if c.value)
    assert "Indikator wajib (16, 17, 32, 33, 35) tidak boleh level 0" in instructions
    assert "parafrase" in instructions  # 2026.toml lists "levels" as uncertain


def test_round_trip_same_scores_and_plans_and_a_tampered_score_is_ignored():
    entries = [sa.Entry("Dinas Sosial", "Dapur Umum", {16: 1}), sa.Entry("Dinas Sosial", "Lumbung")]
    blank = sa.workbook(RULES, 70, "Unit: Dinas Sosial", ["Dinas Sosial"], entries)
    passing = {16: 3, 17: 3, 18: 3, 19: 3, 21: 3, 28: 1, 31: 3, 32: 3, 33: 3, 35: 3}  # 71
    chosen = {0: {16: 2, 17: 1, 35: 3}, 1: passing, 2: {16: 1}}
    filled = fill(blank, chosen, score=100, extra={2: ["Dinas Sosial", "Inovasi Baru"]})
    a = read_back(filled)
    inn = a.innovations.set_index("innovation")
    for r, name in enumerate(["Dapur Umum", "Lumbung", "Inovasi Baru"]):
        expected = make_plan(chosen[r], RULES, 70)
        assert inn.loc[name, "score"] == expected.start, "scored from the levels, not from the score column"
        assert not inn.loc[name, "differs"]
    assert inn.loc["Lumbung", "score"] == 71
    plans = plans_for(a).set_index("innovation")["plan"]
    assert plans.to_dict() == {
        "Dapur Umum": make_plan(chosen[0], RULES, 70),
        "Inovasi Baru": make_plan(chosen[2], RULES, 70),
    }
    assert not [s for s in a.load.sheets if s.sheet == sa.SHEET][0].columns.get("score")


def test_a_prefilled_level_stays_and_empty_rows_are_not_innovations():
    blank = sa.workbook(
        RULES, 70, "Unit: Dinas Sosial", ["Dinas Sosial"], [sa.Entry("Dinas Sosial", "Dapur Umum", {16: 1, 35: 2})]
    )
    a = read_back(blank)
    assert a.innovations["innovation"].tolist() == ["Dapur Umum"]
    assert a.innovations["score"].tolist() == [1 * 3 + 2 * 4]
    assert a.load.skipped == () and a.load.warnings == ()


def test_no_formula_is_built_from_uploaded_text():
    names = [HOSTILE, "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]
    data = sa.workbook(RULES, 70, f"Unit: {HOSTILE}", names, [sa.Entry(n, n) for n in names])
    ws, guide = sheets(data)
    score_cols = {column_of(ws, sa.SCORE_HEADER), column_of(ws, "Kurang dari 70")}
    for sheet in (ws, guide):
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert sheet is ws and cell.column in score_cols and cell.row >= FIRST_ROW
                    assert "HYPERLINK" not in cell.value and "SUM(A1)" not in cell.value
    written = [ws.cell(FIRST_ROW + i, 2) for i in range(len(names))]
    assert [c.value for c in written] == [n.replace("\r", "\n") for n in names]  # XML reads CR back as LF
    assert all(c.data_type == "s" for c in written)
    assert all(c.quotePrefix for c in written), "Excel keeps them text when the cell is edited"
    assert ws["A2"].value == f"Unit: {HOSTILE}" and ws["A2"].data_type == "s"
    read = read_back(fill(data, {0: {16: 1}}))
    assert HOSTILE in read.innovations["unit_name"].tolist()


def test_the_score_columns_are_never_read_as_a_score():
    """The workbook's own score is for the unit's eyes: its header must stay out of the score synonyms."""
    assert map_header([sa.SCORE_HEADER, "Kurang dari 70", "Kurang dari 72,5"]) == {}


def test_workbook_for_units_of_the_data_in_view():
    export = xlsx(
        {
            "Data": [
                ["Nama Unit", "Nama Inovasi", "Skor", "16", "35"],
                ["Dinas Sosial", "Lumbung", None, 2, 1],
                ["Dinas Sosial", "Dapur Umum", 60, None, None],
                ["Kelurahan Bajak", "Ronda", 50, None, None],
            ]
        }
    )
    a = analyse(read_sources([source("ekspor.xlsx", export)]), None, SETTINGS)
    assert sa.entries_for(a, ["Dinas Sosial"]) == [
        sa.Entry("Dinas Sosial", "Dapur Umum", {}),
        sa.Entry("Dinas Sosial", "Lumbung", {16: 2.0, 35: 1.0}),
    ]
    ws, _ = sheets(sa.unit_workbook(a, "Dinas Sosial"))
    assert ws["A2"].value == "Unit: Dinas Sosial"
    assert [ws.cell(FIRST_ROW + i, 3).value for i in range(3)] == ["Dapur Umum", "Lumbung", None]
    assert ws.cell(FIRST_ROW + 1, 4).value == "2 – SK Kepala Daerah"
    ws, _ = sheets(sa.pembina_workbook(a, "Bu Ani", ["Kelurahan Bajak", "Dinas Sosial"]))
    assert ws["A2"].value == "Pembina: Bu Ani (2 unit)"
    assert [ws.cell(FIRST_ROW + i, 2).value for i in range(3)] == ["Kelurahan Bajak", "Dinas Sosial", "Dinas Sosial"]
    ws, guide = sheets(sa.blank_workbook(SETTINGS))
    assert ws.cell(FIRST_ROW, 2).value is None and len(ws.data_validations.dataValidation) == len(RULES.indicators)


def roster_with_pembina() -> Roster:
    data = xlsx(
        {
            "Unit": [
                ["Nama Unit", "Jenis Unit", "Pembina"],
                ["Dinas Sosial", "OPD", "Bu Ani"],
                ["Kelurahan Bajak", "Kelurahan", "Bu Ani"],
                ["SD Negeri 1", "SD", "Pak Budi"],
            ]
        }
    )
    return read_roster(source("roster.xlsx", data), "Kota Bengkulu")


def test_pembina_from_the_roster():
    roster = roster_with_pembina()
    empty = read_sources([source("x.xlsx", xlsx({"Data": [["Nama Unit", "Nama Inovasi"]]}))])
    mapping = units_of_pembina(analyse(empty, roster, default_settings()).units)
    assert mapping == {"Bu Ani": ["Dinas Sosial", "Kelurahan Bajak"], "Pak Budi": ["SD Negeri 1"]}
    assert sa.pembina_units(mapping, "bu  ani") == ("Bu Ani", ["Dinas Sosial", "Kelurahan Bajak"])
    with pytest.raises(InputError, match="Pembina 'Bu Cici' tidak ada di daftar unit"):
        sa.pembina_units(mapping, "Bu Cici")
    with pytest.raises(InputError, match="Belum ada unit dengan pembina"):
        sa.pembina_units({}, "Bu Ani")


def test_a_typed_unit_name_means_the_rosters_unit():
    roster = roster_with_pembina()
    empty = read_sources([source("x.xlsx", xlsx({"Data": [["Nama Unit", "Nama Inovasi"]]}))])
    a = analyse(empty, roster, SETTINGS)
    assert sa.resolve_unit(a, "Kel. Bajak") == "Kelurahan Bajak"
    assert sa.resolve_unit(a, "SDN 1") == "SD Negeri 1"
    with pytest.raises(InputError, match="Unit 'SD Negeri 9' tidak ada di daftar unit roster.xlsx"):
        sa.resolve_unit(a, "SD Negeri 9")
    without = analyse(empty, None, SETTINGS)
    assert sa.resolve_unit(without, " Dinas Baru ") == "Dinas Baru"
