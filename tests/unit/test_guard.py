"""The guard: hostile files end as one clean InputError, in a child bounded in memory and time,
and ordinary files read exactly as the reader reads them."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import hostile
import pandas as pd
import pytest
from builders import csv_bytes, xls, xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iga_data import guard, reading
from iga_data.errors import InputError
from iga_data.limits import LIMITS_FILE, load_limits, parse_limits
from iga_data.reading import ROSTER_REQUIRED, Source

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_data").glob("*.xlsx"))
LIMITS = load_limits()
SMALL = LIMITS.replace(reader={"memory_mb": 512, "timeout_s": 20})


@pytest.fixture
def forked(monkeypatch):
    """Fresh readers forked from this process, so a reader patched here is the one the child runs."""
    guard.stop()
    monkeypatch.setattr(guard, "_context", lambda threaded=None: multiprocessing.get_context("fork"))
    yield
    guard.stop()


# ------------------------------------------------------- hostile files

HOSTILE_SCRIPT = """
import json, sys
from hostile import CASES
from iga_data import guard
from iga_data.errors import InputError
from iga_data.limits import load_limits
from iga_data.reading import Source

limits = load_limits().replace(reader={"memory_mb": 512, "timeout_s": 20})
for name in sys.argv[1:]:
    filename, build, _ = CASES[name]
    try:
        out = {"rows": len(guard.read_sources([Source(filename, build())], limits=limits).require_rows().rows)}
    except guard.ReaderCrash as exc:
        out = {"crash": str(exc)}
    except InputError as exc:
        out = {"error": str(exc)}
    print(json.dumps({name: out}), flush=True)
"""


def _cap_parent() -> None:
    """The process standing in for the Streamlit server gets 3 GB of address space in all."""
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, resource.RLIM_INFINITY))


@pytest.fixture(scope="module")
def hostile_results() -> dict[str, dict]:
    """Every hostile file through the guard in one subprocess under a memory cap; a file that took
    the process down would leave its name out of the answers."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    done = subprocess.run(
        [sys.executable, "-c", HOSTILE_SCRIPT, *hostile.CASES],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        preexec_fn=_cap_parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = {}
    for line in done.stdout.splitlines():
        results.update(json.loads(line))
    return results


@pytest.mark.parametrize("name", list(hostile.CASES))
def test_a_hostile_file_ends_as_one_clean_indonesian_line(hostile_results, name):
    _, _, expected = hostile.CASES[name]
    answer = hostile_results[name]
    if isinstance(expected, int):
        assert answer == {"rows": expected}
    else:
        assert "error" in answer, answer
        assert expected in answer["error"]
        assert "\n" not in answer["error"]


# ------------------------------------------------------ static checks


def test_every_sample_and_a_national_shaped_export_pass_the_checks():
    for path in SAMPLES:
        guard.check(Source.from_path(path), LIMITS.files)
    wide = xlsx({"Data": [[f"Kolom {i}" for i in range(60)]] + [[f"nilai {r}"] * 60 for r in range(2000)]})
    guard.check(Source("lebar.xlsx", wide), LIMITS.files)


@pytest.mark.parametrize(
    "change, data, name, message",
    [
        ({"max_file_mb": 0.001}, hostile.valid_xlsx(), "x.xlsx", "melebihi batas 0.001 MB"),
        ({"max_entries": 3}, hostile.valid_xlsx(), "x.xlsx", "9 bagian (batas 3)"),
        ({"max_unpacked_mb": 0.01}, hostile.valid_xlsx(), "x.xlsx", "membesar menjadi"),
        ({"max_cells": 5}, hostile.valid_xlsx(), "x.xlsx", "3 baris × 4 kolom"),
        ({"max_columns": 5}, b"a;b\n" + b";" * 10 + b"\n", "x.csv", "11 kolom (batas 5)"),
        ({"max_line_kb": 1}, b"a,b\n" + b"x" * 2000, "x.csv", "panjangnya 2 KB"),
        ({"max_cells": 10}, b"a,b\n" * 20, "x.csv", "21 baris (batas 10)"),
    ],
)
def test_each_limit_is_checked(change, data, name, message):
    with pytest.raises(InputError, match=re.escape(message)):
        guard.check(Source(name, data), LIMITS.replace(files=change).files)


def test_a_csv_with_many_separators_spread_over_lines_passes():
    rows = [["Perangkat Daerah", "Nama Inovasi", "Keterangan"]] + [
        ["Dinas", f"Inovasi {i}", "a, b, c"] for i in range(3000)
    ]
    guard.check(Source("x.csv", csv_bytes(rows)), LIMITS.files)


def test_xml_spreadsheet_2003_is_named():
    data = b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    with pytest.raises(InputError, match="XML Spreadsheet 2003"):
        guard.check(Source("rekap.xls", data), LIMITS.files)


# -------------------------------------------------------- the child


def test_guarded_read_equals_the_reader_and_reports_progress():
    sources = [Source.from_path(p) for p in SAMPLES[1:]] + [Source("b.csv", csv_bytes(hostile.ROWS))]
    steps = []
    guarded = guard.read_sources(sources, progress=lambda *step: steps.append(step), limits=SMALL)
    direct = reading.read_sources(sources)
    pd.testing.assert_frame_equal(guarded.rows, direct.rows, check_exact=True)
    assert (guarded.sheets, guarded.skipped, guarded.warnings, guarded.files) == (
        direct.sheets,
        direct.skipped,
        direct.warnings,
        direct.files,
    )
    assert [s[:2] for s in steps] == [(i, len(sources)) for i in range(len(sources))]


def test_required_fields_and_remembered_mappings_pass_through():
    data = xlsx({"Data": [["Kolom A", "Kolom B"], ["Dinas Sosial", "Sedekah Beras"]]})
    first = guard.read_sources([Source("x.xlsx", data)], limits=SMALL)
    assert not first.sheets[0].used
    remembered = {first.sheets[0].header_key: {"unit": 0, "innovation": 1}}
    load = guard.read_sources([Source("x.xlsx", data)], remembered=remembered, limits=SMALL)
    assert load.rows["innovation"].tolist() == ["Sedekah Beras"]
    roster = guard.read_sources(
        [Source("r.xlsx", xlsx({"U": [["Nama Unit"], ["Dinas Sosial"]]}))], required=ROSTER_REQUIRED, limits=SMALL
    )
    assert roster.rows["unit"].tolist() == ["Dinas Sosial"]


def test_the_fork_server_gives_the_same_result():
    source = Source("a.xlsx", hostile.valid_xlsx())
    context = guard._context(threaded=True)
    guard.start()
    with guard._turn(SMALL):
        load = guard._in_child(context, ([source], reading.EXPORT_REQUIRED, {}, (), None), None, SMALL)
    pd.testing.assert_frame_equal(load.rows, reading.read_sources([source]).rows)
    guard.stop()


def test_a_reader_stays_warm_for_the_next_file_and_one_that_ended_is_replaced(forked):
    source = Source("a.xlsx", hostile.valid_xlsx())
    guard.read_sources([source], limits=SMALL)
    first = guard._IDLE[0].process.pid
    with pytest.raises(InputError, match="ciri berkas bom arsip"):
        guard.read_sources([Source("b.xlsx", hostile.whitespace_bomb())], limits=SMALL)
    guard.read_sources([source], limits=SMALL)
    assert [r.process.pid for r in guard._IDLE] == [first]  # a refusal leaves the reader sound
    guard._IDLE[0].process.kill()
    guard._IDLE[0].process.join()
    assert len(guard.read_sources([source], limits=SMALL).rows) == 2
    assert guard._IDLE[0].process.pid != first


def test_without_fork_files_are_checked_and_read_in_process(monkeypatch):
    monkeypatch.setattr(guard, "_context", lambda threaded=None: None)
    assert len(guard.read_sources([Source("a.xlsx", hostile.valid_xlsx())]).rows) == 2
    with pytest.raises(InputError, match="ciri berkas bom arsip"):
        guard.read_sources([Source("b.xlsx", hostile.whitespace_bomb())])


def _slow(*args, **kwargs):
    time.sleep(30)


def _greedy(*args, **kwargs):
    return bytearray(4 * 1024**3)


def _buggy(*args, **kwargs):
    return {}["no such key"]


def _aborting(*args, **kwargs):
    os.abort()


@pytest.mark.parametrize(
    "reader, error, message",
    [
        (_slow, InputError, "tidak selesai dibaca dalam 1 detik"),
        (_greedy, InputError, "batas memori 512 MB"),
        (_aborting, InputError, "batas memori 512 MB atau berkasnya rusak"),
        (_buggy, guard.ReaderCrash, r"kesalahan pembaca: KeyError"),
    ],
)
def test_a_reader_that_hangs_eats_memory_crashes_or_dies_is_one_clean_refusal(
    forked, monkeypatch, reader, error, message
):
    monkeypatch.setattr(reading, "read_sources", reader)
    limits = SMALL.replace(reader={"timeout_s": 1})
    with pytest.raises(error, match=message):
        guard.read_sources([Source("x.xlsx", hostile.valid_xlsx())], limits=limits)
    guard.stop()
    assert multiprocessing.active_children() == []


def test_packing_keeps_every_value_and_dtype():
    load = reading.read_sources([Source("a.xlsx", hostile.valid_xlsx())])
    rows = load.rows.copy()
    rows.loc[0, "urusan"] = None  # a missing text keeps its column plain
    packed = guard._unpack(guard._pack(reading.LoadResult(rows, [], [], [], [])))
    pd.testing.assert_frame_equal(packed.rows, rows, check_exact=True)
    empty = guard._unpack(guard._pack(reading.LoadResult(reading.empty_rows(), [], [], [], [])))
    pd.testing.assert_frame_equal(empty.rows, reading.empty_rows())


# ------------------------------------------------------------ fuzz

_BASES = {
    "x.xlsx": xlsx({"Data": hostile.ROWS}),
    "x.xls": xls({"Data": hostile.ROWS}),
    "x.csv": csv_bytes(hostile.ROWS),
}


@st.composite
def _mutated(draw) -> Source:
    name = draw(st.sampled_from(sorted(_BASES)))
    data = bytearray(_BASES[name])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if action == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 256))] * draw(st.integers(2, 50))
        if not data:
            data = bytearray(b"\x00")
    return Source(name, bytes(data))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_the_reader_answers_mutated_workbooks_with_rows_or_an_input_error_only(source):
    try:
        guard.read_sources([source], limits=SMALL.replace(reader={"memory_mb": 256, "timeout_s": 10}))
    except guard.ReaderCrash:
        raise
    except InputError:
        pass


# ----------------------------------------------------------- limits


def test_upload_limit_agrees_with_streamlit_config():
    streamlit_config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert streamlit_config["server"]["maxUploadSize"] == LIMITS.files.max_file_mb


def test_every_limit_is_documented():
    docs = (ROOT / "docs" / "DEVELOPING.md").read_text()
    raw = tomllib.loads(LIMITS_FILE.read_text())
    missing = [
        f"{section}.{key}" for section, values in raw.items() for key in values if f"`{section}.{key}`" not in docs
    ]
    assert missing == []


def test_limits_with_a_wrong_key_or_value_name_the_problem():
    raw = tomllib.loads(LIMITS_FILE.read_text())
    with pytest.raises(InputError, match=r"\[reader\] tidak dikenal: memori"):
        parse_limits({**raw, "reader": {**raw["reader"], "memori": 1}})
    with pytest.raises(InputError, match=r"timeout_s harus angka positif"):
        parse_limits({**raw, "reader": {**raw["reader"], "timeout_s": -1}})
    with pytest.raises(InputError, match=r"parallel harus bilangan bulat positif"):
        parse_limits({**raw, "reader": {**raw["reader"], "parallel": 1.5}})


def test_an_administrator_file_overrides_some_limits(tmp_path, monkeypatch):
    override = tmp_path / "batas.toml"
    override.write_text("[files]\nmax_file_mb = 20\n")
    monkeypatch.setenv("IGA_LIMITS", str(override))
    load_limits.cache_clear()
    try:
        assert load_limits().files.max_file_mb == 20
        assert load_limits().reader == LIMITS.reader
    finally:
        load_limits.cache_clear()
