"""The benchmark's helpers (no timing here: speed is measured by `make bench` only)."""

from __future__ import annotations

import pandas as pd

from iga_data import bench
from iga_data.reading import Source, read_sources


def test_a_variant_is_new_content_with_the_same_rows(tmp_path):
    """The history bench stores the same rows many times: each copy must get its own content key."""
    data = bench.generate(tmp_path / "kecil.xlsx", innovations=40, pemda=3).read_bytes()
    first, second = bench.variant(data, 1), bench.variant(data, 2)
    assert len({data, first, second}) == 3
    assert bench.variant(data, 1) == first  # the same day gives the same bytes
    rows = [read_sources([Source("x.xlsx", d)]).require_rows().rows for d in (data, first, second)]
    pd.testing.assert_frame_equal(rows[0], rows[1])
    pd.testing.assert_frame_equal(rows[0], rows[2])


def test_the_floor_reads_every_sheet(tmp_path):
    path = bench.generate(tmp_path / "kecil.xlsx", innovations=10, pemda=2)
    batches = bench.read_fastexcel(path)
    assert len(batches) == 1 and batches[0].num_rows == 14  # title block, blank row, header, 10 rows


def test_medians_keep_the_order_of_the_measures():
    calls: list[str] = []
    assert len(bench._medians([lambda: calls.append("a"), lambda: calls.append("b")], 3)) == 2
    assert calls == ["a", "b"] * 3  # taken in turn, so a busy spell hits both alike


def test_checks_say_which_target_is_missed():
    result = bench.Result(
        fastexcel=0.3, calamine=0.5, openpyxl=5.0, pipeline=0.36, unguarded=0.35, peak_mb=249, rerun_ms=149
    )
    assert [passed for _, _, passed in result.checks()] == [True, True, True, True]
    result.pipeline = 0.4
    assert [passed for _, _, passed in result.checks()] == [False, True, True, True]
    result.history = bench.History(60, 100.0, {"Ringkasan": 2.5, "Tren": 1.0}, {"Ringkasan": 90, "Tren": 151}, 61)
    assert [passed for _, _, passed in result.checks()][4:] == [False, True, True, False, False]
    result.first_page_s = 2.4
    assert [passed for _, _, passed in result.checks()][4] is True  # the browser's first page, before history
