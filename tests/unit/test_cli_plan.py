"""`python -m iga_data plan` and `template`: the JSON contract, the workbook written, exit 2 on bad input."""

import json

import pytest
from builders import xlsx
from openpyxl import load_workbook

from iga_data import selfassessment as sa
from iga_data.cli import main
from iga_data.plan import make_plan
from iga_data.plan_text import NO_LEVELS, PARAPHRASE_NOTE, step_words
from iga_data.rules import load_rules

RULES = load_rules(2026)


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "ekspor.xlsx"
    path.write_bytes(
        xlsx(
            {
                "Data": [
                    ["Nama Unit", "Nama Inovasi", "Skor", "16", "35"],
                    ["Dinas Sosial", "Dapur Umum", None, 1, 2],
                    ["Dinas Sosial", "Lumbung", 80, None, None],
                    ["Kelurahan Bajak", "Ronda", 50, None, None],
                ]
            }
        )
    )
    return path


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(
        xlsx(
            {
                "Unit": [
                    ["Nama Unit", "Jenis Unit", "Singkatan"],
                    ["Dinas Sosial", "OPD", "Dinsos"],
                    ["Kelurahan Bajak", "Kelurahan", ""],
                ]
            }
        )
    )
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_json_contract(capsys, export):
    code, out, _ = run(capsys, "plan", export, "--rules", 2026, "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result["rules"] == 2026 and result["threshold"] == 70.0 and result["levels_paraphrased"] is True
    dapur, ronda = result["innovations"]
    expected = make_plan({16: 1, 35: 2}, RULES, 70)
    assert dapur["unit"] == "Dinas Sosial" and dapur["innovation"] == "Dapur Umum"
    assert dapur["score"] == dapur["level_score"] == 11 and dapur["target"] == 70
    assert dapur["levels_known"] and dapur["reachable"] and dapur["score_after"] == expected.after
    assert dapur["steps"][0] == {
        "indicator": 17,
        "name": "Ketersediaan dan Peran SDM",
        "from_level": 0,
        "to_level": 1,
        "points": 2.0,
        "mandatory": True,
    }  # mandatory at 0 first
    assert [(s["indicator"], s["from_level"], s["to_level"], s["points"]) for s in dapur["steps"]] == [
        (s.indicator.number, s.from_level, s.to_level, s.points) for s in expected.steps
    ]
    assert ronda == {
        "unit": "Kelurahan Bajak",
        "innovation": "Ronda",
        "score": 50.0,
        "target": 70.0,
        "levels_known": False,
        "level_score": None,
        "steps": [],
        "reachable": None,
        "score_after": None,
        "summary": NO_LEVELS,
    }


def test_plan_threshold_option_and_text(capsys, export, roster):
    code, out, _ = run(capsys, "plan", export, "--roster", roster, "--rules", 2026, "--threshold", 85)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "Jalan ke 85 — 3 inovasi di bawah 85 atau belum dinilai (aturan 2026); 1 dengan level indikator diketahui."
    )
    expected = make_plan({16: 1, 35: 2}, RULES, 85)
    assert f"  1. {step_words(expected.steps[0])}" in lines
    assert f"  {NO_LEVELS}." in lines and lines[-1] == PARAPHRASE_NOTE


@pytest.mark.parametrize(
    "args, message",
    [
        (["plan", "tidak_ada.xlsx"], "tidak ditemukan"),
        (["plan", "{export}", "--rules", "1999"], "aturan IID tahun 1999 tidak ada"),
        (["plan", "{export}", "--threshold", "200"], "ambang skor harus di antara 0 dan 111"),
        (["plan", "{export}", "--format", "xml"], "argumen tidak valid"),
        (["template", "--out", "{tmp}/lembar.xls"], "--out harus berkas .xlsx"),
        (["template", "--out", "{tmp}/lembar.xlsx", "--unit", "A", "--pembina", "B"], "pilih --unit atau --pembina"),
        (
            ["template", "--out", "{tmp}/lembar.xlsx", "--roster", "{roster}", "--unit", "Dinas Antah"],
            "Unit 'Dinas Antah' tidak ada di daftar unit roster.xlsx",
        ),
        (
            ["template", "--out", "{tmp}/lembar.xlsx", "--roster", "{roster}", "--pembina", "Bu Ani"],
            "Pembina 'Bu Ani' tidak ada di daftar unit",
        ),
        (["template", "--out", "{tmp}/tidak/ada/lembar.xlsx"], "tidak dapat ditulis"),
    ],
)
def test_bad_input_exits_2_with_one_indonesian_line(capsys, tmp_path, export, roster, args, message):
    filled = [a.format(export=export, roster=roster, tmp=tmp_path) for a in args]
    code, out, err = run(capsys, *filled)
    assert code == 2 and out == ""
    assert err.startswith("galat: ") and message in err and err.count("\n") == 1


def test_template_for_one_unit_prefilled_from_the_files(capsys, tmp_path, export, roster):
    out_file = tmp_path / "lembar.xlsx"
    code, out, _ = run(
        capsys, "template", export, "--out", out_file, "--roster", roster, "--unit", "Dinsos", "--rules", 2026
    )
    assert code == 0 and out == f"Lembar Penilaian Mandiri tersimpan di {out_file}.\n"
    ws = load_workbook(out_file)[sa.SHEET]
    assert ws["A2"].value == "Unit: Dinas Sosial"
    first = sa.HEADER_ROW + 1
    assert [ws.cell(first + i, 3).value for i in range(3)] == ["Dapur Umum", "Lumbung", None]
    assert ws.cell(first, 4).value == "1 – SK Kepala Perangkat Daerah"


def test_blank_template_offers_the_rosters_units(capsys, tmp_path, roster):
    out_file = tmp_path / "kosong.xlsx"
    assert run(capsys, "template", "--out", out_file, "--roster", roster)[0] == 0
    wb = load_workbook(out_file)
    assert wb[sa.SHEET].cell(sa.HEADER_ROW + 1, 3).value is None
    names = [c.value for c in wb[sa.GUIDE]["B"] if c.value in ("Dinas Sosial", "Kelurahan Bajak")]
    assert names == ["Dinas Sosial", "Kelurahan Bajak"]
