import datetime as dt

import pytest
from builders import TITLE, csv_bytes, source, xlsx

from iga_data import wording
from iga_data.pipeline import analyse
from iga_data.reading import read_sources
from iga_data.roster import read_roster
from iga_data.settings import default_settings

CITY = "Kota Bengkulu"


@pytest.fixture(scope="module")
def roster():
    rows = [
        ["Nama Unit", "Jenis Unit"],
        ["Dinas Sosial", "OPD"],
        ["Dinas Kesehatan", "OPD"],
        ["Kelurahan Bajak", "Kelurahan"],
        ["SD Negeri 1", "SD"],
        ["SMP Negeri 2", "SMP"],
        ["UPTD Puskesmas Nusa Indah", "Puskesmas"],
        ["Kecamatan Teluk Segara", "Kecamatan"],
    ]
    return read_roster(source("roster.xlsx", xlsx({"Unit": rows})), CITY)


def run(files, roster=None, **settings):
    load = read_sources([source(n, d) for n, d in files])
    s = default_settings().replace(**settings) if settings else default_settings()
    return analyse(load, roster, s)


def export(rows, header=("No", "Perangkat Daerah", "Nama Inovasi", "Skor", "Tanggal Input"), name="e.xlsx"):
    return name, xlsx({"Data": TITLE + [list(header)] + [list(r) for r in rows]})


def status_of(analysis):
    return dict(zip(analysis.units["unit_name"], analysis.units["status"]))


def test_status_boundaries_at_the_threshold(roster):
    a = run(
        [
            export(
                [
                    (1, "Dinas Sosial", "A", 70, None),
                    (2, "Dinas Sosial", "B", "111", None),  # ready (70 and 111 pass)
                    (3, "Dinas Kesehatan", "C", "69,9", None),
                    (4, "Dinas Kesehatan", "D", 90, None),  # needs improvement
                    (5, "Kel. Bajak", "E", 112, None),
                    (6, "Kel. Bajak", "F", 80, None),  # 112 is not assessed
                    (7, "SDN 1", "G", 95, None),  # incomplete
                ]
            )
        ],
        roster,
    )
    assert status_of(a) == {
        "Dinas Sosial": "ready",
        "Dinas Kesehatan": "needs_improvement",
        "Kelurahan Bajak": "needs_improvement",
        "SD Negeri 1": "incomplete",
        "SMP Negeri 2": "none",
        "UPTD Puskesmas Nusa Indah": "none",
        "Kecamatan Teluk Segara": "none",
    }
    s = a.summary.to_json()
    assert s["units"] == {"expected": 7, "ready": 1, "needs_improvement": 2, "incomplete": 1, "none": 3}
    assert s["by_type"]["OPD"] == {"expected": 2, "ready": 1, "needs_improvement": 1, "incomplete": 0, "none": 0}
    assert s["by_type"]["SD"]["incomplete"] == 1
    assert s["innovations"] == 7
    assert s["below_threshold"] == 1 and s["not_assessed"] == 1
    assert any("di luar rentang" in w for w in s["warnings"])


def test_what_each_lagging_unit_still_has_to_do_is_an_action_with_the_deadline(roster):
    a = run(
        [
            export(
                [
                    (1, "Dinas Kesehatan", "C", "60", None),
                    (2, "Dinas Kesehatan", "D", 90, None),
                    (3, "SDN 1", "G", 50, None),
                    (4, "Kel. Bajak", "E", "belum dinilai", None),
                    (5, "Kel. Bajak", "F", 65, None),
                    (6, "SMPN 2", "H", 80, None),
                ]
            )
        ],
        roster,
    )
    needs = dict(zip(a.units["unit_name"], wording.unit_actions(a)))
    assert needs["Dinas Kesehatan"] == "naikkan skor 'C' dari 60 ke 70 sebelum 15 Juli"
    assert needs["SD Negeri 1"] == (
        "unggah 1 inovasi lagi dengan skor ≥ 70 dan naikkan skor 'G' dari 50 ke 70 sebelum 15 Juli"
    )
    assert needs["Kelurahan Bajak"] == "naikkan skor 'F' dari 65 ke 70 dan minta 'E' dinilai sebelum 15 Juli"
    assert needs["SMP Negeri 2"] == "unggah 1 inovasi lagi dengan skor ≥ 70 sebelum 15 Juli"
    assert needs["Kecamatan Teluk Segara"] == "unggah 2 inovasi dengan skor ≥ 70 sebelum 15 Juli"


@pytest.mark.parametrize(
    "rows, expected_score",
    [
        # the newer upload comes later in the file
        (
            [
                (1, "Dinas Sosial", "Sedekah Beras", 60, "08/07/2024"),
                (2, "Dinas Sosial", "SEDEKAH  BERAS.", 80, "10/07/2024"),
            ],
            80,
        ),
        # the newer upload comes first in the file
        (
            [
                (1, "Dinas Sosial", "Sedekah Beras", 80, "10 Juli 2024"),
                (2, "Dinas Sosial", "sedekah beras", 60, "8 Juli 2024"),
            ],
            80,
        ),
        # a dated row beats an undated one
        ([(1, "Dinas Sosial", "Sedekah Beras", 75, "9/7/2024"), (2, "Dinas Sosial", "Sedekah Beras", 50, None)], 75),
    ],
)
def test_duplicates_keep_the_latest_input_date(roster, rows, expected_score):
    a = run([export(rows)], roster)
    assert a.innovations["score"].tolist() == [expected_score]
    assert a.summary.to_json()["duplicates_removed"] == 1


def test_every_merged_row_is_listed_beside_the_row_used_and_why(roster):
    from iga_data.tables import merged_table

    a = run(
        [
            export(
                [
                    (1, "Dinas Sosial", "Sedekah Beras", 80, "10/07/2024"),
                    (2, "Dinas Sosial", "sedekah beras", 60, "08/07/2024"),
                    (3, "Dinas Sosial", "Dapur Umum", 70, None),
                    (4, "Dinas Sosial", "Dapur Umum", 72, None),
                ]
            )
        ],
        roster,
    )
    table = merged_table(a)
    assert len(table) == a.summary.duplicates_removed == 2
    older, earlier = table.to_dict("records")
    assert (older["Skor"], older["Skor dipakai"]) == (60, 80) and "tanggal input lebih baru" in older["Alasan"]
    assert older["Dipakai baris"].startswith("e.xlsx · Data baris ")
    assert (earlier["Skor"], earlier["Skor dipakai"]) == (70, 72) and "lebih akhir" in earlier["Alasan"]
    assert merged_table(run([export([(1, "Dinas Sosial", "Sedekah Beras", 80, None)])], roster)).empty


def test_without_a_date_column_the_last_row_in_file_order_wins(roster):
    header = ("No", "Perangkat Daerah", "Nama Inovasi", "Skor")
    a = run(
        [export([(1, "Dinas Sosial", "Sedekah Beras", 90), (2, "Dinas Sosial", "Sedekah Beras", 55)], header)], roster
    )
    assert a.innovations["score"].tolist() == [55]


def test_same_name_in_two_units_is_two_innovations(roster):
    a = run(
        [export([(1, "Dinas Sosial", "Layanan Daring", 80, None), (2, "Dinas Kesehatan", "Layanan Daring", 80, None)])],
        roster,
    )
    assert a.summary.to_json()["innovations"] == 2


def test_several_files_are_one_sequence_in_the_order_given(roster):
    old = ("lama.csv", csv_bytes([["Unit Kerja", "Nama Inovasi", "Skor"], ["Dinas Sosial", "Sedekah Beras", "60"]]))
    new = ("baru.csv", csv_bytes([["Unit Kerja", "Nama Inovasi", "Skor"], ["Dinas Sosial", "Sedekah Beras", "85"]]))
    assert run([old, new], roster).innovations["score"].tolist() == [85]
    assert run([new, old], roster).innovations["score"].tolist() == [60]


def test_threshold_and_required_are_settings(roster):
    rows = [(1, "Dinas Sosial", "A", 65, None), (2, "Dinas Sosial", "B", 90, None), (3, "Dinas Sosial", "C", 91, None)]
    assert status_of(run([export(rows)], roster))["Dinas Sosial"] == "ready"
    assert status_of(run([export(rows)], roster, required_per_unit=3))["Dinas Sosial"] == "needs_improvement"
    assert status_of(run([export(rows)], roster, required_per_unit=3, threshold=60))["Dinas Sosial"] == "ready"
    assert status_of(run([export(rows)], roster, threshold=95))["Dinas Sosial"] == "needs_improvement"


def test_without_roster_the_units_are_those_found_and_variants_merge():
    a = run(
        [
            export(
                [
                    (1, "SDN 5", "Pojok Baca", 80, None),
                    (2, "SD Negeri 05 Kota Bengkulu", "Rapor Digital", 75, None),
                    (3, "Kel. Bajak", "Ronda", 50, None),
                ]
            )
        ]
    )
    s = a.summary.to_json()
    assert s["units"] == {"expected": 2, "ready": 1, "needs_improvement": 0, "incomplete": 1, "none": 0}
    assert s["by_type"]["SD"]["ready"] == 1 and s["by_type"]["Kelurahan"]["incomplete"] == 1
    assert s["unmatched_units"] == []


def test_bare_names_on_a_type_sheet_merge_with_prefixed_names_without_roster():
    data = xlsx(
        {"KELURAHAN": [["Nama Unit", "Nama Inovasi", "Skor"], ["Pasar Jitra", "A", 80], ["Kel. Pasar Jitra", "B", 80]]}
    )
    a = analyse(read_sources([source("k.xlsx", data)]), None, default_settings())
    assert a.summary.to_json()["units"]["ready"] == 1
    assert a.units["unit_type"].tolist() == ["Kelurahan"]


def test_input_dates_survive_to_the_innovations(roster):
    a = run([export([(1, "Dinas Sosial", "A", 80, "10/07/2024")])], roster)
    assert a.innovations["input_date"].iloc[0] == dt.datetime(2024, 7, 10)


def test_lists_put_lagging_units_first_and_numbered_names_in_number_order():
    import pandas as pd

    from iga_data.readiness import lagging_first

    units = pd.DataFrame(
        {
            "unit_name": ["SD Negeri 10", "SD Negeri 2", "SD Negeri 8", "Dinas Sosial", "SD Negeri 1"],
            "status": ["none", "none", "ready", "none", "incomplete"],
        }
    )
    assert lagging_first(units)["unit_name"].tolist() == [
        "Dinas Sosial",
        "SD Negeri 2",
        "SD Negeri 10",
        "SD Negeri 1",
        "SD Negeri 8",
    ]
