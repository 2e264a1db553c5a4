"""`python -m iga_data roster pemda | build`: the contract scripts rely on."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import xlsx

from iga_data.cli import main
from iga_data.reading import Source
from iga_data.roster import read_roster

ROOT = Path(__file__).resolve().parents[2]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "iga_data", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def test_pemda_search_lists_codes_closest_first(capsys):
    assert main(["roster", "pemda", "--search", "Bengkulu"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "17.71  Kota Bengkulu (Bengkulu)"
    assert "17.02  Kabupaten Rejang Lebong (Bengkulu)" in lines and len(lines) == 10


def test_pemda_search_json(capsys):
    assert main(["roster", "pemda", "--search", "kab. rejang lebong", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"code": "17.02", "name": "Kabupaten Rejang Lebong", "kind": "Kabupaten", "province": "Bengkulu"}
    ]


def test_build_writes_a_roster_the_dashboard_reads(tmp_path, capsys):
    out = tmp_path / "daftar.xlsx"
    assert main(["roster", "build", "--pemda", "Kota Bengkulu", "--opd-template", "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert said.out.startswith("Daftar unit Kota Bengkulu: ") and "9 Kecamatan, 67 Kelurahan" in said.out
    roster = read_roster(Source.from_path(out), "Kota Bengkulu")
    counts = roster.units["type"].value_counts()
    assert counts["Kecamatan"] == 9 and counts["Kelurahan"] == 67 and counts["OPD"] > 30
    assert "Kelurahan Bumu Ayu" in set(roster.units["name"])  # as the reference writes it


def test_build_takes_the_schools_and_puskesmas_lists(tmp_path, capsys):
    schools, puskesmas, out = tmp_path / "sekolah.xlsx", tmp_path / "pkm.xlsx", tmp_path / "daftar.xlsx"
    schools.write_bytes(
        xlsx(
            {
                "Sekolah": [
                    ["NPSN", "Nama Sekolah", "Bentuk Pendidikan", "Kecamatan"],
                    ["1", "SD NEGERI 1 CURUP", "SD", "Kec. Curup"],
                    ["2", "SMA NEGERI 1 CURUP", "SMA", "Kec. Curup"],
                ]
            }
        )
    )
    puskesmas.write_bytes(xlsx({"Data": [["Nama Puskesmas", "Kecamatan"], ["Curup", "Curup"]]}))
    assert (
        main(
            [
                "roster",
                "build",
                "--pemda",
                "Rejang Lebong",
                "--schools",
                str(schools),
                "--puskesmas",
                str(puskesmas),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    said = capsys.readouterr()
    assert "122 Desa" in said.out and "1 SD Negeri" in said.out and "1 Puskesmas" in said.out
    assert "SMA NEGERI 1 CURUP" in said.err  # left out, and said so
    units = read_roster(Source.from_path(out), "Kabupaten Rejang Lebong").units.set_index("name")
    assert units.loc["Puskesmas Curup", ["kecamatan", "pembina"]].tolist() == ["Curup", "Dinas Kesehatan"]
    assert units.loc["SD NEGERI 1 CURUP", "pembina"] == "Dinas Pendidikan"


@pytest.mark.parametrize(
    "args, message",
    [
        (["roster", "build", "--pemda", "Kota Bengkulo", "--out", "{tmp}/r.xlsx"], "Yang paling mirip: Kota Bengkulu"),
        (["roster", "build", "--pemda", "Kupang", "--out", "{tmp}/r.xlsx"], "Kabupaten Kupang atau Kota Kupang"),
        (["roster", "build", "--pemda", "Kota Bengkulu", "--out", "{tmp}/r.csv"], "berkas .xlsx"),
        (["roster", "build", "--pemda", "Kota Bengkulu", "--out", "{tmp}/tidak/ada/r.xlsx"], "tidak ada"),
        (
            ["roster", "build", "--pemda", "Kota Bengkulu", "--schools", "{tmp}/hilang.xlsx", "--out", "{tmp}/r.xlsx"],
            "tidak ditemukan",
        ),
        (["roster", "build", "--pemda", "Kota Bengkulu"], "wajib diisi: --out"),
        (["roster", "pemda", "--search", "Bengkulo"], "Yang paling mirip: Kota Bengkulu"),
        (["roster"], "wajib diisi"),
    ],
)
def test_bad_input_exits_2_with_one_indonesian_line(tmp_path, args, message):
    proc = cli(*(a.format(tmp=tmp_path) for a in args))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert proc.stdout == "" and not (tmp_path / "r.xlsx").exists()
