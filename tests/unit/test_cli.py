import json
import subprocess
import sys
from pathlib import Path

import pytest

from builders import TITLE, xlsx
from iga_data.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


@pytest.fixture
def files(tmp_path):
    export = tmp_path / "ekspor.xlsx"
    export.write_bytes(xlsx({
        "Ringkasan": [["Catatan"], ["dibuat otomatis"]],
        "OPD": TITLE + [["No", "Nama Perangkat Daerah", "Nama Inovasi", "Estimasi Skor Kematangan"],
                        [1, "Dinas Sosial", "Sedekah Beras", "72,5"], [2, "Dinas Sosial", "Dapur Umum", 80],
                        [3, "UPT Parkir", "Parkir Daring", 75], ["JUMLAH", None, None, None]],
        "KELURAHAN": [["Nama Unit", "Judul Inovasi", "Nilai"], ["Bajak", "Ronda Digital", "65"]],
    }))
    roster = tmp_path / "roster.xlsx"
    roster.write_bytes(xlsx({"Unit": [["Nama Unit", "Jenis Unit"], ["Dinas Sosial", "OPD"],
                                      ["Kelurahan Bajak", "Kelurahan"], ["SD Negeri 1", "SD"]]}))
    return export, roster


def run_json(capsys, *args):
    assert main(["report", *map(str, args), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_contract(capsys, files):
    export, roster = files
    out = run_json(capsys, export, "--roster", roster)
    assert out["innovations"] == 4
    assert out["threshold"] == 70.0 and out["required_per_unit"] == 2
    assert out["units"] == {"expected": 3, "ready": 1, "needs_improvement": 0, "incomplete": 1, "none": 1}
    assert set(out["by_type"]) == {"OPD", "Kecamatan", "Kelurahan", "Puskesmas", "SD", "SMP"}
    assert out["by_type"]["Kelurahan"] == {"expected": 1, "ready": 0, "needs_improvement": 0, "incomplete": 1,
                                           "none": 0}
    assert out["by_type"]["Kecamatan"]["expected"] == 0
    assert out["unmatched_units"] == ["UPT Parkir"]
    assert out["skipped_rows"] == 1
    assert isinstance(out["warnings"], list)


def test_threshold_and_required_options(capsys, files):
    export, roster = files
    out = run_json(capsys, export, "--roster", roster, "--threshold", "60", "--required", "1")
    assert out["threshold"] == 60.0 and out["required_per_unit"] == 1
    assert out["units"]["ready"] == 2


def test_without_roster_units_are_those_found(capsys, files):
    export, _ = files
    out = run_json(capsys, export)
    assert out["units"]["expected"] == 3 and out["units"]["none"] == 0
    assert out["unmatched_units"] == []


def test_text_report_is_indonesian(capsys, files):
    export, roster = files
    assert main(["report", str(export), "--roster", str(roster)]) == 0
    text = capsys.readouterr().out
    assert "Unit siap: 1 dari 3 (33,3%)" in text
    assert "Nama unit tidak ada di daftar unit (1): UPT Parkir" in text


def test_sample_export_reports_its_exact_readiness(capsys):
    out = run_json(capsys, SAMPLE / "ekspor_inovasi_2024-07-10.xlsx", "--roster",
                   SAMPLE / "daftar_unit_kota_bengkulu.xlsx")
    assert out["units"]["expected"] == 243
    assert sum(out["units"][k] for k in ("ready", "needs_improvement", "incomplete", "none")) == 243
    assert out["unmatched_units"] == ["UPT Pengelolaan Sampah", "Forum Anak Kota Bengkulu"]
    assert out["skipped_rows"] == 3


@pytest.mark.parametrize("make_args, message", [
    (lambda t, f: ["report", str(t / "tidak-ada.xlsx")], "tidak ditemukan"),
    (lambda t, f: ["report", str(f[0]), "--roster", str(t / "hilang.xlsx")], "tidak ditemukan"),
    (lambda t, f: ["report", str(t / "catatan.xlsx")], "Tidak ada lembar dengan kolom"),
    (lambda t, f: ["report", str(t / "rahasia.xlsx")], "kata sandi"),
    (lambda t, f: ["report", str(t / "rusak.xls")], "tidak dapat dibaca"),
    (lambda t, f: ["report", str(f[0]), "--threshold", "abc"], "argumen tidak valid"),
    (lambda t, f: ["report", str(f[0]), "--threshold", "200"], "ambang skor"),
    (lambda t, f: ["report"], "argumen tidak valid"),
])
def test_bad_input_exits_2_with_one_indonesian_line(tmp_path, files, make_args, message):
    (tmp_path / "catatan.xlsx").write_bytes(xlsx({"Catatan": [["tidak ada data inovasi"]]}))
    (tmp_path / "rahasia.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le"))
    (tmp_path / "rusak.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 900)
    proc = subprocess.run([sys.executable, "-m", "iga_data", *make_args(tmp_path, files)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
