import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iga_data import fmt
from iga_data.parsing import (
    MONTH_NAMES,
    SCORE_OUT_OF_RANGE,
    SCORE_UNREADABLE,
    parse_date_text,
    parse_dates,
    parse_number,
    parse_scores,
)


def parse_score(cell):
    """One cell through the column parser (numeric cells take its vectorised branch)."""
    return parse_scores(pd.Series([cell], dtype=object), 111)[0][0]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("72,5", 72.5),
        (" 72.5 ", 72.5),
        ("70,0", 70.0),
        (70, 70.0),
        (69.9, 69.9),
        ("111", 111.0),
        ("0", 0.0),
        ("\u00a072,5\u00a0", 72.5),
        ("7 2,5", 72.5),
    ],
)
def test_scores_written_the_indonesian_way_are_numbers(cell, expected):
    assert parse_score(cell) == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["", "-", "belum dinilai", "Belum Dinilai", "  ", None, float("nan"), "—"])
def test_blank_and_placeholder_scores_are_not_assessed_without_warning(cell):
    scores, problems = parse_scores(pd.Series([cell], dtype=object), 111)
    assert math.isnan(scores[0])
    assert problems[0] == ""


@pytest.mark.parametrize("cell", [112, "112", -1, "111,1", 1e9, "1.234,5", "1.234.567"])
def test_scores_outside_the_scale_are_flagged(cell):
    scores, problems = parse_scores(pd.Series([cell], dtype=object), 111)
    assert math.isnan(scores[0])
    assert problems[0] == SCORE_OUT_OF_RANGE


@pytest.mark.parametrize("cell", ["tujuh puluh", "72 (draft)", "70-80", True])
def test_text_that_is_not_a_number_is_flagged_unreadable(cell):
    scores, problems = parse_scores(pd.Series([cell], dtype=object), 111)
    assert math.isnan(scores[0])
    assert problems[0] == (SCORE_UNREADABLE if cell is not True else "")


tenths = st.integers(min_value=0, max_value=1110).map(lambda i: i / 10)


@given(tenths, st.sampled_from([",", "."]), st.sampled_from(["", " ", "  "]))
def test_any_score_on_the_scale_round_trips_through_text(x, sep, pad):
    text = f"{pad}{x:.1f}".replace(".", sep) + pad
    assert parse_score(text) == pytest.approx(x)


@given(st.floats(min_value=111.01, max_value=1e6) | st.floats(max_value=-0.01, min_value=-1e6))
def test_any_score_off_the_scale_is_not_assessed(x):
    assert math.isnan(parse_score(x))
    assert math.isnan(parse_score(f"{x:.2f}".replace(".", ",")))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10/07/2024", dt.datetime(2024, 7, 10)),
        ("10-07-2024", dt.datetime(2024, 7, 10)),
        ("1/7/24", dt.datetime(2024, 7, 1)),
        ("10 Juli 2024", dt.datetime(2024, 7, 10)),
        ("10 JULI 2024", dt.datetime(2024, 7, 10)),
        ("Rabu, 10 Juli 2024", dt.datetime(2024, 7, 10)),
        ("10 Agt 2024", dt.datetime(2024, 8, 10)),
        ("2024-07-10", dt.datetime(2024, 7, 10)),
        ("2024/07/10", dt.datetime(2024, 7, 10)),
        ("10 Jul 24", dt.datetime(2024, 7, 10)),
        ("10-Jul-2024", dt.datetime(2024, 7, 10)),
        ("2024-07-10 14:30:05", dt.datetime(2024, 7, 10, 14, 30, 5)),
        ("10/07/2024 14.30", dt.datetime(2024, 7, 10, 14, 30)),
    ],
)
def test_typed_dates_are_read_day_first(text, expected):
    assert parse_date_text(text) == expected


@pytest.mark.parametrize("text", ["31/02/2024", "10 Juliii 2024", "kemarin", "2024/13/01"])
def test_impossible_dates_are_not_guessed(text):
    assert parse_date_text(text) is None


def test_date_column_mixes_real_dates_serials_and_text():
    values = pd.Series(
        [dt.datetime(2024, 7, 10, 9), dt.date(2024, 7, 9), 45483.0, "8 Juli 2024", "", "bukan tanggal"], dtype=object
    )
    dates, bad = parse_dates(values)
    assert list(dates[:4]) == [
        pd.Timestamp(2024, 7, 10, 9),
        pd.Timestamp(2024, 7, 9),
        pd.Timestamp(2024, 7, 10),
        pd.Timestamp(2024, 7, 8),
    ]
    assert pd.isna(dates[4]) and pd.isna(dates[5])
    assert list(bad) == [False, False, False, False, False, True]


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(["dmy", "dmy-", "words", "iso"]),
)
def test_any_date_round_trips_through_the_ways_staff_type_it(d, style):
    text = {
        "dmy": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "dmy-": f"{d.day}-{d.month}-{d.year}",
        "words": f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}",
        "iso": d.isoformat(),
    }[style]
    assert parse_date_text(text) == dt.datetime(d.year, d.month, d.day)


@pytest.mark.parametrize(
    "text, value",
    [
        ("72,5", 72.5),
        ("72.5", 72.5),
        ("72.500", 72.5),
        ("1.234,5", 1234.5),
        (" 70 ", 70.0),
        ("12.50", 12.5),
        ("abc", None),
        ("1,2,3", None),
    ],
)
def test_numbers_written_either_way(text, value):
    assert parse_number(text) == value


def test_indonesian_number_formatting():
    assert fmt.num(1234) == "1.234"
    assert fmt.num(1234567.891, 2) == "1.234.567,89"
    assert fmt.score(72.5) == "72,5"
    assert fmt.score(70.0) == "70"
    assert fmt.pct(1, 3) == "33,3%"
    assert fmt.pct(1, 0) == "–"
    assert fmt.date(dt.date(2024, 7, 15)) == "15 Juli 2024"
    assert fmt.num(None) == "–"
    assert [fmt.decimal(x) for x in (72.25, 72.5, 70.0, 1234.5)] == ["72,25", "72,5", "70", "1.234,5"]


def test_a_setting_typed_with_a_comma_or_a_clear_error():
    from iga_data.errors import InputError
    from iga_data.parsing import setting_numbers

    assert setting_numbers({"Skor minimal": "72,5", "Skor SPD": "45"}) == {"Skor minimal": 72.5, "Skor SPD": 45.0}
    with pytest.raises(InputError) as caught:
        setting_numbers({"Skor minimal": "tujuh puluh", "Skor SPD": "45", "Target IID": "tinggi"})
    assert str(caught.value) == (
        'Harus berupa angka, mis. 72,5: Skor minimal (tertulis "tujuh puluh"); Target IID (tertulis "tinggi").'
    )
