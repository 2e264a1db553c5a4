"""Rule sets: the shipped files hold the published figures, and broken files are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from iga_data.errors import InputError
from iga_data.rules import NOT_RATED, available_years, indicator_names, load_rules
from iga_data.tomlfile import config_file

RULES_DIR = config_file("rules")

SOURCE_2026 = (RULES_DIR / "2026.toml").read_text(encoding="utf-8")
SOURCE_LINE = next(line for line in SOURCE_2026.splitlines() if line.startswith("source = "))
MANDATORY = {16, 17, 32, 33, 35}
BOBOT = {
    16: 3,
    17: 2,
    18: 2,
    19: 2,
    20: 1,
    21: 2,
    22: 1,
    23: 1,
    24: 1,
    25: 1,
    26: 1,
    27: 1,
    28: 2,
    29: 1,
    30: 2,
    31: 3,
    32: 2,
    33: 3,
    34: 2,
    35: 4,
}


def test_shipped_years():
    assert available_years() == [2023, 2024, 2026]


@pytest.mark.parametrize("year", [2023, 2024, 2026])
def test_every_year_totals(year):
    r = load_rules(year)
    assert r.year == year
    assert r.total_max == pytest.approx(250)
    assert r.max_per_innovation == 111
    assert r.spd_max == 63
    assert r.count_cap == 200
    assert r.count_weight == pytest.approx(0.38)
    assert {i.number: i.bobot for i in r.indicators} == BOBOT
    assert sum(i.bobot for i in r.indicators) == 37
    assert {i.number for i in r.indicators if i.mandatory} == MANDATORY == set(r.mandatory)
    assert all(len(i.levels) == 4 for i in r.indicators)
    assert "levels" in r.uncertain
    assert r.source


@pytest.mark.parametrize(
    "year, k, mins, urusan_min",
    [
        (2023, 10, (60.01, 35.00, 0.01), 0),
        (2024, 10, (60.01, 35.00, 0.01), 0),
        (2026, 12, (65.01, 40.01, 0.01), 5),
    ],
)
def test_year_figures(year, k, mins, urusan_min):
    r = load_rules(year)
    assert r.k == k
    assert tuple(m for _, m in r.predikat) == mins
    assert [label for label, _ in r.predikat] == ["Sangat Inovatif", "Inovatif", "Kurang Inovatif"]
    assert r.urusan_wajib_min == urusan_min


def test_uncertain_marks():
    assert "k" in load_rules(2024).uncertain
    assert "k" not in load_rules(2026).uncertain
    assert "indicators" in load_rules(2023).uncertain
    assert "indicators" in load_rules(2024).uncertain
    assert load_rules(2023).indicators == load_rules(2026).indicators


@pytest.mark.parametrize(
    "year, iid, expected",
    [
        (2023, 60.00, "Inovatif"),
        (2023, 60.01, "Sangat Inovatif"),
        (2023, 100, "Sangat Inovatif"),
        (2023, 35.00, "Inovatif"),
        (2023, 34.99, "Kurang Inovatif"),
        (2023, 0.01, "Kurang Inovatif"),
        (2023, 0, NOT_RATED),
        (2024, 60.00, "Inovatif"),
        (2024, 60.01, "Sangat Inovatif"),
        (2024, 34.99, "Kurang Inovatif"),
        (2026, 65.00, "Inovatif"),
        (2026, 65.01, "Sangat Inovatif"),
        (2026, 40.00, "Kurang Inovatif"),
        (2026, 40.01, "Inovatif"),
        (2026, 0.004, NOT_RATED),  # shown as 0.00
        # The portal shows 2 decimals: the rounded IID decides.
        (2026, 65.006, "Sangat Inovatif"),
        (2026, 0.006, "Kurang Inovatif"),
        (2023, 34.996, "Inovatif"),
        (2026, 0, NOT_RATED),
    ],
)
def test_predikat_boundaries(year, iid, expected):
    assert load_rules(year).predikat_for(iid) == expected


def test_unknown_year_lists_available():
    with pytest.raises(InputError) as exc:
        load_rules(2019)
    msg = str(exc.value)
    assert "2019" in msg and "2023" in msg and "2026" in msg


def test_indicator_names():
    names = indicator_names()
    assert sorted(names) == list(range(16, 36))
    assert names[16] == ["Regulasi Inovasi Daerah"]
    assert names[35] == ["Video Inovasi"]


# --- files in a temporary directory -----------------------------------------


def write(directory: Path, year: int, text: str) -> None:
    (directory / f"{year}.toml").write_text(text, encoding="utf-8")


def mutated(old: str, new: str, text: str = SOURCE_2026) -> str:
    assert old in text, f"test setup: {old!r} not in the rule file"
    return text.replace(old, new, 1)


def test_copy_of_shipped_file_loads(tmp_path):
    write(tmp_path, 2026, SOURCE_2026)
    assert load_rules(2026, tmp_path) == load_rules(2026)


def test_adding_a_year_is_adding_a_file(tmp_path):
    write(tmp_path, 2026, SOURCE_2026)
    write(tmp_path, 2027, mutated("year = 2026", "year = 2027").replace("k = 12", "k = 15"))
    assert available_years(tmp_path) == [2026, 2027]
    assert load_rules(2027, tmp_path).k == 15


def test_edited_file_is_read_again(tmp_path):
    write(tmp_path, 2026, SOURCE_2026)
    assert load_rules(2026, tmp_path).k == 12
    path = tmp_path / "2026.toml"
    write(tmp_path, 2026, mutated("k = 12", "k = 14"))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert load_rules(2026, tmp_path).k == 14


BROKEN = [
    ("k", "k = 12\n", ""),  # missing
    ("k", "k = 12", 'k = "dua belas"'),  # wrong type
    ("k", "k = 12", "k = 0"),  # MAX(0, 0) would divide by zero
    ("count_weight", "count_weight = 0.38", "count_weight = true"),
    ("source", SOURCE_LINE, "source = 5"),
    ("source", SOURCE_LINE + "\n", ""),
    ("count_wieght", "count_cap = 200", "count_cap = 200\ncount_wieght = 1"),  # typo
    ("uncertain", 'uncertain = ["levels"]', 'uncertain = ["kk"]'),
    ("urusan_wajib_min", "urusan_wajib_min = 5", "urusan_wajib_min = 7"),
    ("bobot", "bobot = 4", "bobot = 0"),
    ("bobot", "bobot = 4", "bobot = -4"),
    ("bobot", "bobot = 4", 'bobot = "empat"'),
    ("mandatory", "mandatory = true", 'mandatory = "ya"'),
    ("levels", 'levels = ["Tidak ada video", ', "levels = ["),  # 3 labels
    ("levels", 'levels = ["Tidak ada video", ', 'levels = ["", '),
    ("number", "number = 35", "number = 34"),  # duplicate
    ("name", 'name = "Video Inovasi"\n', ""),  # missing in an indicator
    ("min", "min = 40.01", "min = 70"),  # not descending
    ("min", "min = 0.01", "min = 0"),  # 0 must stay "Tidak Dapat Dinilai"
    ("max_per_innovation", "max_per_innovation = 111", "max_per_innovation = 120"),
    ("max_per_innovation", "bobot = 4", "bobot = 5"),  # Σ bobot × 3 = 114
    ("indicators_from", "urusan_wajib_min = 5", "urusan_wajib_min = 5\nindicators_from = 2023"),
]


@pytest.mark.parametrize("field, old, new", BROKEN)
def test_broken_file_names_file_and_field(tmp_path, field, old, new):
    write(tmp_path, 2026, mutated(old, new))
    with pytest.raises(InputError) as exc:
        load_rules(2026, tmp_path)
    msg = str(exc.value)
    assert "2026.toml" in msg
    assert f"'{field}'" in msg


def test_year_must_match_file_name(tmp_path):
    write(tmp_path, 2025, SOURCE_2026)
    with pytest.raises(InputError) as exc:
        load_rules(2025, tmp_path)
    assert "2025.toml" in str(exc.value) and "'year'" in str(exc.value)


def test_toml_syntax_error_names_file(tmp_path):
    write(tmp_path, 2026, SOURCE_2026 + "\nk = = 3\n")
    with pytest.raises(InputError, match="2026.toml"):
        load_rules(2026, tmp_path)


HEAD_2026 = SOURCE_2026.partition("\n[[indicators]]\nnumber = 16")[0]


def _reusing(year: int, source_year: int) -> str:
    text = mutated("year = 2026", f"year = {year}", HEAD_2026)
    return mutated("urusan_wajib_min = 5", f"urusan_wajib_min = 5\nindicators_from = {source_year}", text)


def test_indicators_from_reuses_list(tmp_path):
    write(tmp_path, 2026, SOURCE_2026)
    write(tmp_path, 2023, _reusing(2023, 2026))
    assert load_rules(2023, tmp_path).indicators == load_rules(2026, tmp_path).indicators


def test_indicators_from_missing_year(tmp_path):
    write(tmp_path, 2026, SOURCE_2026)
    write(tmp_path, 2023, _reusing(2023, 2019))
    with pytest.raises(InputError) as exc:
        load_rules(2023, tmp_path)
    assert "2023.toml" in str(exc.value) and "'indicators_from'" in str(exc.value)
    assert "2019" in str(exc.value) and "tidak ada" in str(exc.value)


def test_indicators_from_chain(tmp_path):
    write(tmp_path, 2026, SOURCE_2026)
    write(tmp_path, 2023, _reusing(2023, 2026))
    write(tmp_path, 2024, _reusing(2024, 2023))
    with pytest.raises(InputError) as exc:
        load_rules(2024, tmp_path)
    assert "2024.toml" in str(exc.value) and "'indicators_from'" in str(exc.value)
    assert "berantai" in str(exc.value)


def test_indicators_from_self(tmp_path):
    write(tmp_path, 2026, _reusing(2026, 2026))
    with pytest.raises(InputError, match="'indicators_from' tidak boleh merujuk tahunnya sendiri"):
        load_rules(2026, tmp_path)


def test_neither_indicators_nor_reference(tmp_path):
    write(tmp_path, 2026, HEAD_2026)
    with pytest.raises(InputError, match="'indicators' belum ada"):
        load_rules(2026, tmp_path)


def test_a_broken_year_does_not_hide_the_indicator_names_of_the_others(tmp_path):
    for year in (2024, 2026):
        (tmp_path / f"{year}.toml").write_text(
            (RULES_DIR / f"{year}.toml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "2024.toml").write_text("year = 2024\nk = [", encoding="utf-8")
    names = indicator_names(tmp_path)
    assert names[16] == ["Regulasi Inovasi Daerah"]
    with pytest.raises(InputError, match="2024.toml"):
        load_rules(2024, tmp_path)
