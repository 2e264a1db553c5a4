import json
import subprocess
import sys
from pathlib import Path

import pytest
import sample_truth
from builders import TITLE, xlsx

from iga_data.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


@pytest.fixture
def files(tmp_path):
    export = tmp_path / "ekspor.xlsx"
    export.write_bytes(
        xlsx(
            {
                "Ringkasan": [["Catatan"], ["dibuat otomatis"]],
                "OPD": TITLE
                + [
                    ["No", "Nama Perangkat Daerah", "Nama Inovasi", "Estimasi Skor Kematangan"],
                    [1, "Dinas Sosial", "Sedekah Beras", "72,5"],
                    [2, "Dinas Sosial", "Dapur Umum", 80],
                    [3, "UPT Parkir", "Parkir Daring", 75],
                    ["JUMLAH", None, None, None],
                ],
                "KELURAHAN": [["Nama Unit", "Judul Inovasi", "Nilai"], ["Bajak", "Ronda Digital", "65"]],
            }
        )
    )
    roster = tmp_path / "roster.xlsx"
    roster.write_bytes(
        xlsx(
            {
                "Unit": [
                    ["Nama Unit", "Jenis Unit"],
                    ["Dinas Sosial", "OPD"],
                    ["Kelurahan Bajak", "Kelurahan"],
                    ["SD Negeri 1", "SD"],
                ]
            }
        )
    )
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
    assert set(out["by_type"]) == {"OPD", "Kecamatan", "Kelurahan", "Desa", "Puskesmas", "SD", "SMP"}
    assert out["by_type"]["Kelurahan"] == {
        "expected": 1,
        "ready": 0,
        "needs_improvement": 0,
        "incomplete": 1,
        "none": 0,
    }
    assert out["by_type"]["Kecamatan"]["expected"] == 0
    assert out["unmatched_units"] == ["UPT Parkir"]
    assert out["skipped_rows"] == 1
    assert out["warnings"] == []  # nothing odd in this file, so nothing to warn about


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
    out = run_json(
        capsys, SAMPLE / "ekspor_inovasi_2024-07-10.xlsx", "--roster", SAMPLE / "daftar_unit_kota_bengkulu.xlsx"
    )
    truth = sample_truth.counts(10)
    assert out["units"] == {k: truth[k] for k in ("expected", "ready", "needs_improvement", "incomplete", "none")}
    assert out["innovations"] == truth["innovations"]
    assert out["unmatched_units"] == ["UPT Pengelolaan Sampah", "Forum Anak Kota Bengkulu"]
    assert out["skipped_rows"] == 3


@pytest.mark.parametrize(
    "make_args, message",
    [
        (lambda t, f: ["report", str(t / "tidak-ada.xlsx")], "tidak ditemukan"),
        (lambda t, f: ["report", str(f[0]), "--roster", str(t / "hilang.xlsx")], "tidak ditemukan"),
        (lambda t, f: ["report", str(t / "catatan.xlsx")], "Tidak ada lembar dengan kolom"),
        (lambda t, f: ["report", str(t / "rahasia.xlsx")], "kata sandi"),
        (lambda t, f: ["report", str(t / "rusak.xls")], "tidak dapat dibaca"),
        (lambda t, f: ["report", str(f[0]), "--threshold", "abc"], "argumen tidak valid"),
        (lambda t, f: ["report", str(f[0]), "--threshold", "200"], "ambang skor"),
        (lambda t, f: ["report"], "sebutkan berkas ekspor"),
        (lambda t, f: ["snapshots"], "argumen tidak valid"),
    ],
)
def test_bad_input_exits_2_with_one_indonesian_line(tmp_path, files, make_args, message):
    (tmp_path / "catatan.xlsx").write_bytes(xlsx({"Catatan": [["tidak ada data inovasi"]]}))
    (tmp_path / "rahasia.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le")
    )
    (tmp_path / "rusak.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 900)
    proc = subprocess.run(
        [sys.executable, "-m", "iga_data", *make_args(tmp_path, files)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert message in lines[0]
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "iga_data", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_ingest_snapshots_and_report_from_the_database(tmp_path):
    db = tmp_path / "data" / "iga.db"
    roster = SAMPLE / "daftar_unit_kota_bengkulu.xlsx"
    first = cli(
        "ingest", SAMPLE / "ekspor_inovasi_2024-07-08.xlsx", "--db", db, "--roster", roster, "--as-of", "2024-07-08"
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "1"
    second = cli("ingest", SAMPLE / "ekspor_inovasi_2024-07-10.xlsx", "--db", db)  # the date the export states
    assert second.stdout.strip() == "2"
    again = cli("ingest", SAMPLE / "ekspor_inovasi_2024-07-10.xlsx", "--db", db)
    assert again.returncode == 0 and again.stdout.strip() == "2"
    assert "sama dengan unggahan #2" in again.stderr
    listing = json.loads(cli("snapshots", "--db", db, "--format", "json").stdout)
    assert [(s["id"], s["as_of"], s["files"]) for s in listing] == [
        (2, "2024-07-10T16:00:00", ["ekspor_inovasi_2024-07-10.xlsx"]),
        (1, "2024-07-08T00:00:00", ["ekspor_inovasi_2024-07-08.xlsx"]),
    ]
    truth = sample_truth.counts(10)
    assert listing[0]["innovations"] == truth["innovations"] and listing[0]["units_ready"] == truth["ready"]
    assert "(data per 10 Juli 2024 16.00, ambang 70" in cli("report", "--db", db).stdout.splitlines()[0]
    latest = json.loads(cli("report", "--db", db, "--format", "json").stdout)
    direct = json.loads(
        cli("report", SAMPLE / "ekspor_inovasi_2024-07-10.xlsx", "--roster", roster, "--format", "json").stdout
    )
    assert latest == direct  # the roster stored with the snapshot is used
    old = json.loads(cli("report", "--db", db, "--snapshot", "1", "--format", "json").stdout)
    assert old["innovations"] == sample_truth.counts(8)["innovations"] and old["units"]["expected"] == 243


@pytest.mark.parametrize(
    "args, message",
    [
        (["ingest", "{tmp}/tidak-ada.xlsx", "--db", "{db}"], "tidak ditemukan"),
        (["ingest", "{sample}/riwayat_iga.csv", "--db", "{db}"], "Tidak ada lembar"),
        (["ingest", "{sample}/ekspor_inovasi_2024-07-09.xlsx", "--db", "{db}", "--as-of", "kemarin"], "--as-of"),
        (
            [
                "ingest",
                "{sample}/ekspor_inovasi_2024-07-09.xlsx",
                "--db",
                "{db}",
                "--roster",
                "{sample}/riwayat_iga.csv",
            ],
            "kolom nama unit",
        ),
        (["report", "--db", "{db}", "--snapshot", "99"], "Unggahan #99"),
        (["report", "--db", "{tmp}/lain.db"], "tidak ditemukan"),
    ],
)
def test_bad_input_leaves_the_database_byte_for_byte_unchanged(tmp_path, args, message):
    db = tmp_path / "iga.db"
    assert cli("ingest", SAMPLE / "ekspor_inovasi_2024-07-08.xlsx", "--db", db).returncode == 0
    before = db.read_bytes()
    proc = cli(*[a.format(tmp=tmp_path, db=db, sample=SAMPLE) for a in args])
    assert proc.returncode == 2
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before
    assert not (tmp_path / "lain.db").exists()


def test_a_corrupt_database_is_reported_not_crashed_on(tmp_path):
    db = tmp_path / "iga.db"
    db.write_bytes(b"ini bukan sqlite" * 100)
    proc = cli("snapshots", "--db", db)
    assert proc.returncode == 2 and "bukan basis data yang sah" in proc.stderr


def test_project_json(capsys):
    assert (
        main(
            [
                "project",
                str(SAMPLE / "ekspor_inovasi_2024-07-10.xlsx"),
                "--roster",
                str(SAMPLE / "daftar_unit_kota_bengkulu.xlsx"),
                "--rules",
                "2026",
                "--spd",
                "45",
                "--format",
                "json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert {"n", "divisor", "avg_kematangan", "skor_jumlah_inovasi", "sid", "iid", "predikat", "best_portfolio"} <= set(
        out
    )
    n = sample_truth.counts(10)["innovations"]
    assert out["n"] == n and out["divisor"] == n and out["skor_jumlah_inovasi"] == 76.0  # n > 200: the full count score
    assert out["iid"] == round((45 + out["sid"]) / 250 * 100, 2)
    assert out["best_portfolio"]["n"] == 200 and out["best_portfolio"]["iid"] >= out["iid"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--rules", "2019", "--spd", "45"], "aturan IID tahun 2019 tidak ada (tersedia: 2023, 2024, 2026)"),
        (["--rules", "2024", "--spd", "64"], "SPD"),
        (["--spd", "40"], "wajib diisi: --rules"),
    ],
)
def test_project_bad_options(capsys, args, message):
    assert main(["project", str(SAMPLE / "ekspor_inovasi_2024-07-10.xlsx"), *args]) == 2
    assert message in capsys.readouterr().err


def test_report_from_the_database_uses_the_settings_the_snapshot_was_stored_with(tmp_path):
    db = tmp_path / "iga.db"
    roster = SAMPLE / "daftar_unit_kota_bengkulu.xlsx"
    assert (
        cli(
            "ingest",
            SAMPLE / "ekspor_inovasi_2024-07-10.xlsx",
            "--db",
            db,
            "--roster",
            roster,
            "--threshold",
            "60",
            "--required",
            "1",
        ).returncode
        == 0
    )
    listed = json.loads(cli("snapshots", "--db", db, "--format", "json").stdout)[0]
    reported = json.loads(cli("report", "--db", db, "--format", "json").stdout)
    assert reported["threshold"] == 60.0 and reported["required_per_unit"] == 1
    assert reported["units"]["ready"] == listed["units_ready"]


def test_help_is_indonesian_and_skipped_sheets_are_named(capsys):
    proc = cli("report", "--help")
    assert proc.returncode == 0 and "penggunaan:" in proc.stdout and "pilihan:" in proc.stdout
    assert "usage:" not in proc.stdout and "show this help" not in proc.stdout
    out = run_json(capsys, SAMPLE / "ekspor_inovasi_2024-07-10.xlsx")
    assert out["sheets_skipped"] == [
        {
            "file": "ekspor_inovasi_2024-07-10.xlsx",
            "sheet": "Ringkasan",
            "reason": "bukan daftar inovasi (mis. ringkasan atau rekap): "
            "tidak ada kolom 'Nama unit' dan 'Nama inovasi'",
        }
    ]


def test_a_time_zone_in_as_of_is_turned_into_local_time(tmp_path):
    db = tmp_path / "iga.db"
    assert (
        cli(
            "ingest", SAMPLE / "ekspor_inovasi_2024-07-08.xlsx", "--db", db, "--as-of", "2024-07-08T16:00+07:00"
        ).returncode
        == 0
    )
    assert cli("ingest", SAMPLE / "ekspor_inovasi_2024-07-09.xlsx", "--db", db, "--as-of", "2024-07-09").returncode == 0
    listing = json.loads(cli("snapshots", "--db", db, "--format", "json").stdout)
    assert all("+" not in s["as_of"] for s in listing) and listing[0]["as_of"] == "2024-07-09T00:00:00"


def test_abbreviated_options_are_refused():
    proc = cli("report", str(SAMPLE / "ekspor_inovasi_2024-07-10.xlsx"), "--r", "60")
    assert proc.returncode == 2 and "tidak dikenal: --r" in proc.stderr
