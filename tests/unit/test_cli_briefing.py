"""`python -m iga_data briefing`: every file written into the folder with the data date in its name; one
Indonesian line and exit status 2 on bad input, with nothing written."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import sample_truth
from builders import OPERATOR

from iga_data.cli import main
from iga_data.ingest import SAMPLE_DIR, SAMPLE_ROSTER, seed_sample, settings_in_force
from iga_data.storage import Store

EXPORT = SAMPLE_DIR / "ekspor_inovasi_2024-07-10.xlsx"
KINDS = {
    "tindak_lanjut_iga_{d}.xlsx",
    "ringkasan_iga_{d}.xlsx",
    "ringkasan_iga_{d}.html",
    "ringkasan_iga_{d}.pdf",
    "pesan_wa_{d}_semua.txt",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "iga.db"
    store = Store(path)
    seed_sample(store, settings_in_force(store), OPERATOR)
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _follow_up_rows(folder: Path, day: str) -> int:
    ws = openpyxl.load_workbook(io.BytesIO((folder / f"tindak_lanjut_iga_{day}.xlsx").read_bytes())).worksheets[0]
    return ws.max_row - 4


def test_from_the_database_every_file_carries_the_snapshots_date(capsys, seeded, tmp_path):
    out = tmp_path / "rapat"
    code, stdout, err = run(capsys, "briefing", "--db", seeded, "--out", out)
    assert code == 0
    names = {p.name for p in out.iterdir()}
    assert {k.format(d="2024-07-10") for k in KINDS} <= names
    assert "pesan_wa_2024-07-10_dinas-pendidikan.txt" in names
    assert all("_2024-07-10" in n for n in names)
    assert stdout.split() == [str(out / n) for n in sorted(names, key=stdout.index)]
    assert "ditulis ke" in err
    truth = sample_truth.counts(10)
    assert _follow_up_rows(out, "2024-07-10") == truth["expected"] - truth["ready"]
    assert "Laju belum terukur" not in (out / "ringkasan_iga_2024-07-10.html").read_text(encoding="utf-8")


def test_an_earlier_snapshot_gives_that_days_files(capsys, seeded, tmp_path):
    first = Store(seeded).snapshots()[-1]
    code, _, _ = run(capsys, "briefing", "--db", seeded, "--snapshot", first.id, "--out", tmp_path)
    assert code == 0
    assert (tmp_path / "ringkasan_iga_2024-07-08.pdf").is_file()
    truth = sample_truth.counts(8)
    assert _follow_up_rows(tmp_path, "2024-07-08") == truth["expected"] - truth["ready"]


def test_from_files_there_is_no_history_and_the_pace_says_so(capsys, tmp_path):
    code, _, err = run(capsys, "briefing", EXPORT, "--roster", SAMPLE_DIR / SAMPLE_ROSTER, "--out", tmp_path)
    assert code == 0
    assert "data per 10 Juli 2024 16.00" in err  # without --as-of: the date the export states, as on Unggah Data
    assert {k.format(d="2024-07-10") for k in KINDS} <= {p.name for p in tmp_path.iterdir()}
    page = (tmp_path / "ringkasan_iga_2024-07-10.html").read_text(encoding="utf-8")
    assert "Laju belum terukur" in page and "perlu data dari minimal dua hari" in page


@pytest.mark.parametrize(
    "args",
    [
        ["nope.xlsx"],
        [],
        [EXPORT, "--db", "x.db"],
        [EXPORT, "--snapshot", "1"],
        ["--db", "tidak-ada.db"],
        ["--db", "{db}", "--snapshot", "999"],
        ["--db", "{db}", "--roster", EXPORT],
        [EXPORT, "--as-of", "kemarin"],
    ],
)
def test_bad_input_is_one_indonesian_line_exit_2_and_nothing_written(capsys, seeded, tmp_path, args):
    out = tmp_path / "keluar"
    code, stdout, err = run(capsys, "briefing", *[str(a).format(db=seeded) for a in args], "--out", out)
    assert code == 2 and stdout == ""
    assert err.startswith("galat: ") and err.count("\n") == 1
    assert not out.exists()


def test_a_folder_that_cannot_be_written_is_one_line(capsys, seeded, tmp_path):
    blocked = tmp_path / "berkas"
    blocked.write_text("bukan folder")
    code, _, err = run(capsys, "briefing", "--db", seeded, "--out", blocked / "rapat")
    assert code == 2 and err.startswith("galat: Folder") and err.count("\n") == 1
