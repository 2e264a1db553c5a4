import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from iga_data import wording
from iga_data.errors import InputError
from iga_data.history import checked, from_records, load_history, parse_history, to_records, with_current
from iga_data.settings import default_settings
from iga_data.tables import history_table
from iga_data.timeline import (
    daily_gains,
    days_left,
    history_until,
    other_histories,
    pace,
    previous_point,
    progress_frame,
)
from iga_data.wording import deadline_text, history_reading

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
DEADLINE = dt.date(2024, 7, 15)


@pytest.mark.parametrize(
    "as_of, text",
    [
        (dt.date(2024, 7, 10), "5 hari lagi"),
        (dt.date(2024, 7, 15), "hari terakhir"),
        (dt.date(2024, 7, 18), "lewat 3 hari"),
        (dt.date(2023, 7, 15), "366 hari lagi"),
    ],
)
def test_days_to_the_deadline_from_the_data_date(as_of, text):
    assert deadline_text(as_of, DEADLINE) == text
    assert days_left(as_of, DEADLINE) == (DEADLINE - as_of).days


def frame(*points, none=50):
    """Progress points (day of July, ready units) at 16.00; `none` units have uploaded nothing."""
    return progress_frame([(d, dt.datetime(2024, 7, d, 16), ready, 243 - none, 243, ready * 2) for d, ready in points])


def test_a_pace_whose_slowest_day_still_finishes_in_time_is_green():
    p = pace(frame((8, 23), (9, 53), (10, 119)), DEADLINE)  # gains of 30 and 66 a day; 124 left
    assert p.verdict == "green"
    assert p.per_day == pytest.approx(48.0) and p.cautious_per_day == 30 and p.fast_per_day == 66
    assert p.finish == dt.date(2024, 7, 14) and p.finish_fast == dt.date(2024, 7, 12)  # 124/30 and 124/66 days on
    text = wording.pace_statement(p, DEADLINE)
    assert "sebelum tenggat" in text and "30,0 unit/hari" in text
    assert "50 unit belum mengunggah sama sekali" in text  # said even when the pace is enough


def test_the_verdict_turns_amber_then_red_as_the_cautious_estimate_passes_the_deadline():
    # 124 left after 10 July 16.00; the deadline is the end of 15 July (5,3 days away)
    amber = pace(frame((8, 23), (9, 35), (10, 119)), DEADLINE)  # slowest day 12: 10,3 days; average 48: in time
    assert amber.verdict == "amber" and amber.finish > DEADLINE >= amber.finish_fast
    red = pace(frame((8, 80), (9, 95), (10, 119)), DEADLINE)  # 15 and 24 a day: even the average is late
    assert red.verdict == "red" and red.finish > DEADLINE
    text = wording.pace_statement(red, DEADLINE)
    assert "hari setelah tenggat" in text and "Perlu" in text
    assert wording.PACE_LEVELS[amber.verdict] == "warning" and wording.PACE_LEVELS[red.verdict] == "error"


def test_one_day_to_day_gain_is_taken_at_half_speed_and_said_so():
    p = pace(frame((9, 53), (10, 119)), DEADLINE)  # one gain of 66
    assert p.cautious_per_day == 33 and p.gains_seen == 1
    assert "separuhnya" in wording.pace_basis(p)


def test_the_rate_needed_is_what_is_left_over_the_time_to_the_deadline():
    p = pace(frame((8, 20), (9, 30), (10, 40)), DEADLINE)
    assert p.needed_per_day == pytest.approx(203 / (5 + 8 / 24 - 1 / 1440), rel=1e-3)
    assert p.verdict == "red"


def test_pace_with_one_snapshot_or_no_progress():
    one = pace(frame((10, 40)), DEADLINE)
    assert one.verdict == "unknown" and "minimal dua hari" in wording.pace_statement(one, DEADLINE)
    flat = pace(frame((8, 40), (10, 40)), DEADLINE)
    assert flat.verdict == "red" and "tidak bertambah" in wording.pace_statement(flat, DEADLINE)
    done = pace(frame((9, 243), (10, 243), none=0), DEADLINE)
    assert done.verdict == "done" and wording.pace_statement(done, DEADLINE) == "Semua unit sudah siap."
    assert pace(progress_frame([]), DEADLINE).verdict == "unknown"


def test_two_uploads_on_one_day_count_as_that_day_once():
    f = progress_frame(
        [
            (1, dt.datetime(2024, 7, 9, 9), 20, 100, 243, 40),
            (2, dt.datetime(2024, 7, 9, 16), 50, 120, 243, 90),
            (3, dt.datetime(2024, 7, 10, 16), 80, 150, 243, 150),
        ]
    )
    assert daily_gains(f).tolist() == [30.0]


def test_a_recount_with_the_same_as_of_replaces_the_older_point():
    f = progress_frame(
        [
            (5, dt.datetime(2024, 7, 10, 16), 119, 197, 243, 356),
            (6, dt.datetime(2024, 7, 10, 16), 121, 199, 245, 356),
            (4, dt.datetime(2024, 7, 9, 16), 53, 150, 243, 245),
        ]
    )
    assert f["id"].tolist() == [4, 6] and f["expected"].tolist() == [243, 245]


def test_history_until_the_snapshot_in_view():
    from types import SimpleNamespace as S

    snaps = [
        S(id=3, as_of=dt.datetime(2024, 7, 10), pemda="Kota Bengkulu", season=2024),
        S(id=2, as_of=dt.datetime(2024, 7, 9), pemda="Kota Bengkulu", season=2024),
        S(id=1, as_of=dt.datetime(2024, 7, 8), pemda="Kota Bengkulu", season=2024),
    ]
    assert [s.id for s in history_until(snaps, snaps[1])] == [2, 1]
    padang = S(id=4, as_of=dt.datetime(2024, 7, 11), pemda="Kota Padang", season=2024)
    assert [s.id for s in history_until([padang, *snaps], padang)] == [4]  # another Pemda's uploads are no progress
    assert other_histories([padang, *snaps], padang) == 3 and other_histories(snaps, snaps[0]) == 0


def test_previous_point_is_the_latest_before():
    f = frame((8, 23), (9, 53), (10, 119))
    assert previous_point(f, dt.datetime(2024, 7, 10, 16))["ready"] == 53
    assert previous_point(f, dt.datetime(2024, 7, 8, 16)) is None


def test_history_file_in_sample_data_has_the_past_seasons():
    h = load_history(SAMPLE / "riwayat_iga.csv")
    assert h["tahun"].tolist()[:2] == [2022, 2023]
    assert h["jumlah_inovasi"].tolist()[:2] == [202, 221]


def test_history_with_the_current_season_and_its_reading():
    h = parse_history("tahun,jumlah_inovasi,hasil\n2022,202,10 besar\n2023,221,Kota Sangat Inovatif\n")
    f = with_current(h, 2024, 275)
    assert f["tahun"].tolist() == [2022, 2023, 2024] and f["current"].tolist() == [False, False, True]
    text = history_reading(f, 486, default_settings(), (116, 243))
    assert "275 inovasi" in text and "54 lebih banyak dari 2023" in text
    assert "Jumlah ini 57% dari kebutuhan lokal 486 inovasi (2 per unit)" in text
    assert "baru 116 dari 243 unit memenuhi aturan kota" in text  # a count is not readiness
    assert history_table(f)["Jumlah inovasi"].tolist() == ["202", "221", "275"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("tahun,hasil\n2022,x\n", "jumlah_inovasi"),
        ("tahun,jumlah_inovasi\n2022,dua ratus\n", "baris 2: jumlah inovasi harus bilangan bulat"),
        ("tahun,jumlah_inovasi\n2022,202\n2022,210\n", "tahun 2022 tercantum dua kali"),
        ("tahun,jumlah_inovasi,peringkat\n2022,202,sepuluh\n", "peringkat"),
    ],
)
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
    with pytest.raises(InputError, match="baris 4: peringkat"):
        parse_history(text)
    path = tmp_path / "riwayat.csv"
    path.write_bytes("tahun,jumlah_inovasi,hasil\n2023,221,Kota Sangat Inovatif – kota\n".encode("cp1252"))
    assert load_history(path)["hasil"].tolist() == ["Kota Sangat Inovatif – kota"]


def test_seasons_typed_on_pengaturan_round_trip_through_storage():
    typed = pd.DataFrame(
        {
            "tahun": ["2023", "2022", ""],
            "jumlah_inovasi": ["221", "202", ""],
            "hasil": ["Kota Sangat Inovatif", "10 besar", ""],
            "peringkat": ["", "10", ""],
            "catatan": ["", "", ""],
        }
    )
    records = to_records(checked(typed))
    assert records == [(2022, 202, "10 besar", 10, ""), (2023, 221, "Kota Sangat Inovatif", None, "")]
    assert from_records(records)["jumlah_inovasi"].tolist() == [202, 221]
    with pytest.raises(InputError, match="Riwayat baris 1: tahun harus bilangan bulat"):
        checked(pd.DataFrame({"tahun": ["dua ribu"], "jumlah_inovasi": ["1"]}))


def test_a_falling_count_is_said_as_falling_and_gives_no_finish_date():
    """Units drop below 70 after the portal re-scores: the rate is negative, never a finish date in the past."""
    p = pace(frame((8, 60), (9, 50), (10, 70)), DEADLINE)  # -10 then +20
    assert p.cautious_per_day == -10 and p.finish is None
    text = wording.pace_statement(p, DEADLINE)
    assert "turun 10,0 unit/hari" in text and "-10" not in text
    falling = pace(frame((9, 60), (10, 50)), DEADLINE)  # the only gain is a loss: not halved into a smaller loss
    assert falling.cautious_per_day == -10 and falling.verdict == "red"
    assert "tidak bertambah" in wording.pace_statement(falling, DEADLINE)


def test_the_progress_chart_keeps_daily_labels_for_a_season_and_a_few_dated_ones_for_a_long_span():
    from iga_data import charts

    season = frame((8, 23), (9, 53), (10, 119))
    days = charts.progress(season, DEADLINE, pace(season, DEADLINE))
    assert days.layout.xaxis.dtick == 86_400_000
    late = pd.concat([season, progress_frame([(4, dt.datetime(2026, 12, 1, 9), 119, 193, 243, 240)])])
    far = charts.progress(late, DEADLINE, pace(late, DEADLINE))
    assert far.layout.xaxis.dtick is None and far.layout.xaxis.nticks == 6  # 869 days: not a label per day
    assert "tenggat 15/07/2024" in [a.text for a in far.layout.annotations]
