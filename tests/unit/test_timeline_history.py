import datetime as dt

import pytest

from iga_data.errors import InputError
from iga_data.history import load_history, parse_history, with_current
from iga_data.settings import default_settings
from iga_data.tables import history_table
from iga_data.timeline import days_left, history_until, pace, previous_point, progress_frame
from iga_data.wording import deadline_text, history_reading

DEADLINE = dt.date(2024, 7, 15)


@pytest.mark.parametrize("as_of, text", [
    (dt.date(2024, 7, 10), "5 hari lagi"), (dt.date(2024, 7, 15), "hari terakhir"),
    (dt.date(2024, 7, 18), "lewat 3 hari"), (dt.date(2023, 7, 15), "366 hari lagi"),
])
def test_days_to_the_deadline_from_the_data_date(as_of, text):
    assert deadline_text(as_of, DEADLINE) == text
    assert days_left(as_of, DEADLINE) == (DEADLINE - as_of).days


def frame(*points):
    return progress_frame([(d, dt.datetime(2024, 7, d, 16), ready, ready + 50, 243, ready * 2) for d, ready in points])


def test_pace_that_finishes_before_the_deadline():
    p = pace(frame((8, 23), (9, 53), (10, 119)), DEADLINE)
    assert p.per_day == pytest.approx(48.0)
    assert p.enough and p.finish_date == dt.date(2024, 7, 13)  # 124 left at 48/day from 10 July 16.00
    assert "sebelum tenggat" in p.statement and "48,0 unit/hari" in p.statement


def test_pace_that_is_not_enough_says_when_and_what_is_needed():
    p = pace(frame((8, 20), (9, 30), (10, 40)), DEADLINE)
    assert not p.enough
    assert p.finish_date == dt.date(2024, 7, 30)
    assert "tidak cukup" in p.statement and "hari setelah tenggat" in p.statement
    assert p.needed_per_day == pytest.approx(203 / (5 + 8 / 24 - 1 / 1440), rel=1e-3)


def test_pace_with_one_snapshot_or_no_progress():
    assert "minimal dua hari" in pace(frame((10, 40)), DEADLINE).statement
    flat = pace(frame((8, 40), (10, 40)), DEADLINE)
    assert not flat.enough and "tidak bertambah" in flat.statement
    assert pace(frame((9, 243), (10, 243)), DEADLINE).statement == "Semua unit sudah siap."
    assert "Belum ada data" in pace(progress_frame([]), DEADLINE).statement


def test_a_recount_with_the_same_as_of_replaces_the_older_point():
    f = progress_frame([(5, dt.datetime(2024, 7, 10, 16), 119, 197, 243, 356),
                        (6, dt.datetime(2024, 7, 10, 16), 121, 199, 245, 356),
                        (4, dt.datetime(2024, 7, 9, 16), 53, 150, 243, 245)])
    assert f["id"].tolist() == [4, 6] and f["expected"].tolist() == [243, 245]


def test_history_until_the_snapshot_in_view():
    from types import SimpleNamespace as S
    snaps = [S(id=3, as_of=dt.datetime(2024, 7, 10)), S(id=2, as_of=dt.datetime(2024, 7, 9)),
             S(id=1, as_of=dt.datetime(2024, 7, 8))]
    assert [s.id for s in history_until(snaps, snaps[1])] == [2, 1]


def test_previous_point_is_the_latest_before():
    f = frame((8, 23), (9, 53), (10, 119))
    assert previous_point(f, dt.datetime(2024, 7, 10, 16))["ready"] == 53
    assert previous_point(f, dt.datetime(2024, 7, 8, 16)) is None


def test_history_file_in_sample_data_has_the_past_seasons():
    h = load_history()
    assert h["tahun"].tolist()[:2] == [2022, 2023]
    assert h["jumlah_inovasi"].tolist()[:2] == [202, 221]


def test_history_with_the_current_season_and_its_reading():
    h = parse_history("tahun,jumlah_inovasi,hasil\n2022,202,10 besar\n2023,221,Kota Sangat Inovatif\n")
    f = with_current(h, 2024, 275)
    assert f["tahun"].tolist() == [2022, 2023, 2024] and f["current"].tolist() == [False, False, True]
    text = history_reading(f, 486, default_settings())
    assert "275 inovasi" in text and "54 lebih banyak dari 2023" in text and "57%" in text
    assert history_table(f)["Jumlah inovasi"].tolist() == ["202", "221", "275"]


@pytest.mark.parametrize("text, message", [
    ("tahun,hasil\n2022,x\n", "jumlah_inovasi"),
    ("tahun,jumlah_inovasi\n2022,dua ratus\n", "baris 2: kolom jumlah_inovasi"),
    ("tahun,jumlah_inovasi,peringkat\n2022,202,sepuluh\n", "peringkat"),
])
def test_a_broken_history_file_names_the_problem(text, message):
    with pytest.raises(InputError, match=message):
        parse_history(text)


def test_missing_history_file_is_an_empty_history(tmp_path):
    assert load_history(tmp_path / "tidak_ada.csv").empty
    assert with_current(load_history(tmp_path / "tidak_ada.csv"), 2024, 10)["jumlah_inovasi"].tolist() == [10]


def test_reading_when_the_count_already_passes_the_local_need():
    f = with_current(parse_history("tahun,jumlah_inovasi\n2023,221\n"), 2024, 300)
    text = history_reading(f, 245, default_settings().replace(required_per_unit=1))
    assert "sudah melewati kebutuhan lokal 245 inovasi (1 per unit)" in text and "100%" not in text


def test_history_error_names_the_row_of_the_bad_value(tmp_path):
    text = "tahun,jumlah_inovasi,peringkat\n2021,150,\n2022,202,10\n2023,221,sepuluh\n"
    with pytest.raises(InputError, match="baris 4: kolom peringkat"):
        parse_history(text)
    path = tmp_path / "riwayat.csv"
    path.write_bytes("tahun,jumlah_inovasi,hasil\n2023,221,Kota Sangat Inovatif – kota\n".encode("cp1252"))
    assert load_history(path)["hasil"].tolist() == ["Kota Sangat Inovatif – kota"]
