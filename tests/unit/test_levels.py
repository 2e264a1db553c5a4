"""Indicator levels written as words are read back as 0..3."""

import math

import pandas as pd
import pytest
from builders import source, xlsx

from iga_data.levels import level_label, level_of_text, parse_levels
from iga_data.reading import read_sources
from iga_data.rules import load_rules

RULES = {ind.number: ind for ind in load_rules(2026).indicators}


@pytest.mark.parametrize(
    "text, number, level",
    [
        ("2 – SK Kepala Daerah", 16, 2),  # the workbook's label
        ("SK Kepala Daerah", 16, 2),  # the level text alone
        ("sk kepala daerah.", 16, 2),  # case and punctuation ignored
        ("1–10 orang SDM", 17, 1),  # a level text that starts with a number
        ("11–30 orang SDM", 17, 2),
        ("2 – 11–30 orang SDM", 17, 2),
        ("3 - Lebih dari 30 orang SDM", 17, 3),
        ("2. SK Kepala Daerah", 16, 2),
        ("2-SK Kepala Daerah", 16, 2),
        ("Level 2", 16, 2),
        ("level 0: tidak ada", 16, 0),
    ],
)
def test_level_texts_and_labels(text, number, level):
    assert level_of_text(text, number) == level


@pytest.mark.parametrize("text", ["2.5", "4 – lebih", "tidak tahu", "SK Kepala Daerah dan lainnya"])
def test_other_texts_are_not_levels(text):
    assert math.isnan(level_of_text(text, 16))


def test_every_label_reads_back_as_its_level():
    for ind in RULES.values():
        labels = pd.Series([level_label(ind, lv) for lv in range(len(ind.levels))] + list(ind.levels), dtype=object)
        assert parse_levels(labels, ind.number).tolist() == [0, 1, 2, 3] * 2


def test_numbers_still_read_and_odd_values_are_missing():
    values = pd.Series([0, 3, 2.0, "1", "2,0", None, "", "-", 2.5, 4, "x"], dtype=object)
    read = parse_levels(values, 16).tolist()
    assert read[:5] == [0, 3, 2, 1, 2]
    assert all(math.isnan(x) for x in read[5:])


def test_the_reader_turns_level_texts_into_levels():
    data = xlsx(
        {
            "Data": [
                ["Nama Unit", "Nama Inovasi", "16. Regulasi Inovasi Daerah", "17"],
                ["Dinas Sosial", "Dapur Umum", "2 – SK Kepala Daerah", "1–10 orang SDM"],
                ["Dinas Sosial", "Lumbung", "Peraturan Kepala Daerah atau Peraturan Daerah", 0],
            ]
        }
    )
    rows = read_sources([source("ekspor.xlsx", data)]).rows
    assert rows["ind_16"].tolist() == [2, 3]
    assert rows["ind_17"].tolist() == [1, 0]
