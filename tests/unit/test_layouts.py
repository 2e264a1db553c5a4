"""The layouts staff really make (issue 10), each read to the readiness an operator expects.

Every workbook is built here the way it is made in an office: a unit written once with blank cells
under it, a parent and a sub-unit column, a form's export, the national portal's list copied to Excel,
one sheet per unit, a wide recap, a second table beside or under the main one, CSV saved as "Unicode
Text". Expected figures are counted by hand from the rows written here.
"""

import datetime as dt
import math

import pytest
from builders import TITLE, csv_bytes, source, xls, xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from iga_data.errors import InputError
from iga_data.matching import Matcher
from iga_data.pipeline import analyse_sources
from iga_data.reading import read_sources
from iga_data.roster import read_roster
from iga_data.settings import default_settings

CITY = "Kota Bengkulu"
SETTINGS = default_settings()
ROSTER = read_roster(
    source(
        "daftar.xlsx",
        xlsx(
            {
                "Unit": [
                    ["Nama Unit", "Jenis Unit"],
                    ["Dinas Kesehatan", "OPD"],
                    ["Dinas Pendidikan dan Kebudayaan", "OPD"],
                    ["Dinas Sosial", "OPD"],
                    ["Kecamatan Selebar", "Kecamatan"],
                    ["Kelurahan Pagar Dewa", "Kelurahan"],
                    ["Kelurahan Sukarami", "Kelurahan"],
                    ["Kelurahan Pasar Jitra", "Kelurahan"],
                    ["UPTD Puskesmas Jalan Gedang", "Puskesmas"],
                    ["SD Negeri 5", "SD"],
                    ["SD Negeri 6", "SD"],
                    ["SMP Negeri 1", "SMP"],
                ]
            }
        ),
    ),
    CITY,
)


def read(name, data, roster=ROSTER):
    return read_sources([source(name, data)], known_unit=Matcher(roster, CITY).knows if roster else None)


def analysed(name, data, roster=ROSTER, aliases=()):
    return analyse_sources([source(name, data)], roster, SETTINGS, aliases)


def status(analysis):
    """Roster unit -> (uploaded, passing) for the units with anything uploaded."""
    u = analysis.units
    return {n: (up, ok) for n, up, ok in zip(u["unit_name"], u["uploaded"], u["passing"]) if up}


def warned(load_or_analysis, *words):
    return [w for w in load_or_analysis.warnings if all(x in w for x in words)]


# ---------------------------------------------------------------- a. a unit written once

ONCE = TITLE + [
    ["No", "Perangkat Daerah", "Judul Inovasi", "Nilai"],
    [1, "Dinas Kesehatan", "Posyandu Remaja", 80],
    [2, None, "Jemput Bola Imunisasi", 75],
    [3, None, "Antrean Daring", 60],
    [4, "SD Negeri 5", "Pojok Baca", 90],
    [5, None, "Kantin Sehat", 70],
    ["JUMLAH", None, None, 375],
    [None, None, "Catatan tanpa unit", None],
]


def test_a_unit_written_once_continues_down_its_rows_with_a_warning():
    a = analysed("sekali.xlsx", xlsx({"Rekap": ONCE}))
    assert status(a) == {"Dinas Kesehatan": (3, 2), "SD Negeri 5": (2, 2)}
    assert warned(a, "3 baris tanpa nama unit dianggap milik unit di baris atasnya", "baris 6, 7, 9")
    # The totals row stops it: the line under it has no unit, and says so.
    assert [(r.row, r.reason) for r in a.load.skipped] == [(10, "baris jumlah/total"), (11, "nama unit kosong")]


def test_an_empty_row_or_a_dash_stops_a_unit_written_once():
    rows = [
        ["Unit Kerja", "Nama Inovasi", "Skor"],
        ["Dinas Sosial", "Sedekah Beras", 80],
        [None, None, None],
        [None, "Tanpa Unit", 70],
        ["-", "Unit Strip", 70],
        [None, "Di Bawah Strip", 70],
    ]
    load = read("x.xlsx", xlsx({"D": rows}))
    assert load.rows["unit"].tolist() == ["Dinas Sosial"]
    assert [(r.row, r.reason) for r in load.skipped] == [
        (4, "nama unit kosong"),
        (5, 'nama unit tidak diisi (mis. "-")'),
        (6, "nama unit kosong"),
    ]


def test_a_blank_or_dash_sub_unit_means_the_parent_written_once_above():
    rows = [
        ["No", "Perangkat Daerah", "Unit Kerja", "Nama Inovasi", "Skor"],
        [1, "Dinas Kesehatan", "-", "Sehat Jiwa", 80],
        [2, None, "Puskesmas Jalan Gedang", "Posyandu Lansia", 72],
        [3, None, "-", "Cegah Stunting", 71],
        [4, "Dinas Pendidikan dan Kebudayaan", None, "Literasi Kota", 90],
        [5, None, "SD Negeri 5", "Pojok Baca", 70],
    ]
    a = analysed("induk.xlsx", xlsx({"Data": rows}))
    assert status(a) == {
        "Dinas Kesehatan": (2, 2),
        "UPTD Puskesmas Jalan Gedang": (1, 1),
        "Dinas Pendidikan dan Kebudayaan": (1, 1),
        "SD Negeri 5": (1, 1),
    }
    assert warned(a, "3 baris tanpa Unit Kerja", "dihitung untuk Perangkat Daerah", "baris 2, 4, 5")
    assert warned(a, "dipakai 'Unit Kerja' yang lebih rinci")


def test_a_bare_sub_unit_name_takes_the_type_its_parent_answers_for():
    rows = [["Perangkat Daerah", "Unit Kerja", "Nama Inovasi", "Skor"], ["Dinkes", "Jalan Gedang", "Posyandu", 80]]
    roster = read_roster(
        source(
            "r.xlsx",
            xlsx(
                {"R": [["Nama Unit"], ["Dinas Kesehatan"], ["Kelurahan Jalan Gedang"], ["UPTD Puskesmas Jalan Gedang"]]}
            ),
        ),
        CITY,
    )
    assert status(analysed("x.xlsx", xlsx({"D": rows}), roster)) == {"UPTD Puskesmas Jalan Gedang": (1, 1)}


unit_groups = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "Dinas Kesehatan",
                "Dinas Sosial",
                "SD Negeri 5",
                "Kel. Pagar Dewa",
                "PKM Jalan Gedang",
                "Kecamatan Selebar",
            ]
        ),
        st.lists(st.one_of(st.none(), st.integers(0, 111)), min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=30, deadline=None)
@given(unit_groups, st.booleans())
def test_a_unit_written_once_gives_the_readiness_of_the_unit_on_every_row(groups, numbered):
    header = ["No", "Perangkat Daerah", "Nama Inovasi", "Skor"]
    every, once = [header], [header]
    n = 0
    for g, (unit, scores) in enumerate(groups):
        for k, score in enumerate(scores):
            n += 1
            row = [n if numbered else None, unit, f"Inovasi {g}-{k}", score]
            every.append(row)
            once.append([row[0], unit if k == 0 else None, *row[2:]])
    full, written_once = analysed("a.xlsx", xlsx({"D": every})), analysed("b.xlsx", xlsx({"D": once}))
    assert full.summary.units == written_once.summary.units
    assert full.summary.innovations == written_once.summary.innovations
    assert status(full) == status(written_once)


# ---------------------------------------------------------------- b. "-" and the like name nothing


@pytest.mark.parametrize("nothing", ["-", "--", "–", "—", "n/a", "N/A", "tidak ada", "Tidak Ada", "belum ada", "nihil"])
def test_placeholders_are_never_a_unit_or_an_innovation(nothing):
    rows = [
        ["Unit Kerja", "Nama Inovasi", "Skor"],
        ["Dinas Sosial", "Sedekah Beras", 80],
        ["Dinas Kesehatan", nothing, None],
        [nothing, "Inovasi Yatim", 70],
    ]
    a = analysed("x.xlsx", xlsx({"D": rows}))
    assert a.rows["innovation"].tolist() == ["Sedekah Beras"]
    assert a.summary.unmatched_units == ()
    assert status(a) == {"Dinas Sosial": (1, 1)}
    assert [r.reason for r in a.load.skipped] == [
        'nama inovasi tidak diisi (mis. "-", "tidak ada")',
        'nama unit tidak diisi (mis. "-")',
    ]


# ---------------------------------------------------------------- c. the score column by meaning


@pytest.mark.parametrize(
    "label",
    [
        "Skor Self Assessment",
        "Nilai Akhir",
        "Skor Penilaian Mandiri",
        "Total Skor Kematangan",
        "Skor Akhir Inovasi",
        "Nilai Kematangan Inovasi (0-111)",
    ],
)
def test_a_score_column_is_known_by_its_meaning(label):
    rows = [
        ["Perangkat Daerah", "Nama Inovasi", "Skor SPD", "Nilai Anggaran", label, "Nilai Kontrak"],
        ["Dinas Sosial", "Sedekah Beras", 40, 150_000_000, "72,5", 99_000_000],
    ]
    load = read("x.xlsx", xlsx({"D": rows}))
    assert load.sheets[0].columns["score"] == label
    assert load.rows["score"].tolist() == [72.5]


def test_look_alike_score_columns_are_not_taken_and_the_missing_score_is_said():
    rows = [
        ["Perangkat Daerah", "Nama Inovasi", "Skor SPD", "Nilai Anggaran", "Nilai Kontrak"],
        ["Dinas Sosial", "Sedekah Beras", 40, 150_000_000, 99_000_000],
        ["Dinas Sosial", "Dapur Umum", 40, 150_000_000, 99_000_000],
    ]
    a = analysed("x.xlsx", xlsx({"D": rows}))
    sheet = a.load.sheets[0]
    assert "score" not in sheet.columns and sheet.missing == ["score"] and sheet.needs_mapping
    assert warned(a, "tidak ada kolom skor kematangan", "2 inovasi dihitung belum dinilai")
    assert a.summary.not_assessed == 2


def test_excel_error_cells_are_not_assessed_and_the_rows_are_named():
    rows = [
        ["No", "Unit Kerja", "Nama Inovasi", "Skor"],
        [1, "Dinas Sosial", "Sedekah Beras", None],
        [2, "Dinas Sosial", "Dapur Umum", 80],
        [3, "Dinas Sosial", "Lumbung", None],
        [4, None, "Yatim", 70],
    ]
    data = xlsx({"D": rows}, errors={"D": {"D2": "#N/A", "D4": "#REF!", "B5": "#N/A"}})
    a = analysed("galat.xlsx", data)
    assert math.isnan(a.rows["score"].iloc[0]) and math.isnan(a.rows["score"].iloc[2])
    assert warned(a, "2 nilai berisi galat Excel", "baris 2, 4")
    # A unit looked up by a formula that failed is no unit, and the row under the last one does not take it.
    assert [(r.row, r.reason) for r in a.load.skipped] == [(5, "sel berisi galat Excel (mis. #N/A)")]
    assert status(a) == {"Dinas Sosial": (3, 1)}


def test_excel_errors_typed_into_a_csv_read_the_same():
    load = read("x.csv", csv_bytes([["Unit Kerja", "Nama Inovasi", "Skor"], ["Dinas Sosial", "A", "#VALUE!"]]))
    assert math.isnan(load.rows["score"].iloc[0]) and warned(load, "galat Excel", "baris 2")


@pytest.mark.parametrize(
    "cell, value",
    [
        ("70 (tujuh puluh)", 70),
        ("75/111", 75),
        ("75 / 111", 75),
        ("75*", 75),
        ("±72", 72),
        ("72,5 (tujuh puluh dua koma lima)", 72.5),
    ],
)
def test_a_score_with_words_around_it_reads_its_leading_number_with_a_warning(cell, value):
    load = read("x.xlsx", xlsx({"D": [["Unit Kerja", "Nama Inovasi", "Skor"], ["Dinas Sosial", "A", cell]]}))
    assert load.rows["score"].tolist() == [value]
    assert warned(load, "1 nilai ditulis dengan tambahan", "dibaca dari angka di depannya", "baris 2")


# ---------------------------------------------------------------- d. form exports


def test_a_google_form_export_in_a_us_locale_lets_the_latest_resubmission_win():
    rows = [
        [
            "Timestamp",
            "Email Address",
            "Nama Perangkat Daerah / Unit Kerja",
            "Judul Inovasi",
            "Skor Penilaian Mandiri (0-111)",
        ],
        ["7/10/2024 9:00:00", "a@x.id", "Dinas Kesehatan", "Sehat Jiwa", 80],
        ["7/13/2024 10:00:00", "a@x.id", "Dinas Kesehatan", "Sehat Jiwa", 60],  # re-sent lower: it counts
        ["7/11/2024 10:00:00", "b@x.id", "SDN 5", "Pojok Baca", 90],
    ]
    a = analysed("Formulir Inovasi (Responses).csv", csv_bytes(rows))
    assert a.load.rows["input_date"].tolist()[:2] == [dt.datetime(2024, 7, 10, 9), dt.datetime(2024, 7, 13, 10)]
    assert status(a) == {"Dinas Kesehatan": (1, 0), "SD Negeri 5": (1, 1)}
    assert a.summary.duplicates_removed == 1


def test_a_form_whose_columns_are_its_questions():
    rows = [
        [
            "Cap waktu",
            "Alamat email",
            "Nama Lengkap",
            "Asal OPD / unit kerja Anda",
            "Judul inovasi yang diusulkan",
            "Skor kematangan (hasil penilaian mandiri)",
            "Link video inovasi",
        ],
        ["10/07/2024 9:00:00", "a@x.id", "Rina", "Dinas Sosial", "Sedekah Beras", 80, "https://contoh.invalid/v"],
    ]
    load = read("form.xlsx", xlsx({"Form Responses 1": rows}))
    assert load.sheets[0].columns == {
        "input_date": "Cap waktu",
        "unit": "Asal OPD / unit kerja Anda",
        "innovation": "Judul inovasi yang diusulkan",
        "score": "Skor kematangan (hasil penilaian mandiri)",
    }
    assert load.rows[["unit", "innovation", "score"]].values.tolist() == [["Dinas Sosial", "Sedekah Beras", 80.0]]


@pytest.mark.parametrize("stamp", ["Stempel waktu", "Cap waktu"])
def test_indonesian_google_form_timestamps_are_input_dates(stamp):
    rows = [
        [stamp, "Nama OPD", "Nama Inovasi", "Nilai Akhir"],
        ["10/07/2024 9:00:00", "Dinas Sosial", "A", 60],
        ["12/07/2024 9:00:00", "Dinas Sosial", "A", 85],
    ]
    a = analysed("form.xlsx", xlsx({"Form Responses 1": rows}))
    assert status(a) == {"Dinas Sosial": (1, 1)}


def test_a_microsoft_form_export_dates_each_response_by_its_completion_time():
    rows = [
        ["ID", "Start time", "Completion time", "Email", "Name", "Unit Kerja", "Nama Inovasi", "Skor Kematangan"],
        [1, dt.datetime(2024, 7, 12, 9), dt.datetime(2024, 7, 12, 9, 20), "x@y", "Rina", "Dinas Sosial", "A", 88],
        [2, dt.datetime(2024, 7, 10, 9), dt.datetime(2024, 7, 10, 9, 5), "x@y", "Rina", "Dinas Sosial", "A", 50],
    ]
    a = analysed("Inovasi(1-2).xlsx", xlsx({"Sheet1": rows}))
    assert a.load.sheets[0].columns["input_date"] == "Completion time"
    assert status(a) == {"Dinas Sosial": (1, 1)}


# ---------------------------------------------------------------- e. the national portal's list

PORTAL = [
    "Nama Pemda",
    "Nama Akun",
    "Nama Inovasi",
    "Tahapan",
    "Nama Inisiator",
    "Koordinat",
    "Urusan Utama",
    "Waktu Uji Coba",
    "Waktu Penerapan",
    "Waktu Pengembangan",
    "Estimasi Skor Kematangan",
]


def portal_row(account, innovation, score):
    return [
        "Kota Bengkulu",
        account,
        innovation,
        "Penerapan",
        "dr. Rina",
        "-3.79, 102.26",
        "Kesehatan",
        "01/01/2023",
        "01/01/2024",
        "",
        score,
    ]


def test_the_portal_list_copied_to_excel_takes_the_account_as_the_unit():
    data = xlsx(
        {
            "Sheet1": [
                PORTAL,
                portal_row("dinkes_kotabkl", "Sehat Jiwa", 80),
                portal_row("pkm.jalangedang.kotabkl", "Posyandu", 75),
                portal_row("sdn5_kotabkl", "Pojok Baca", 71),
                portal_row("kominfo_kotabkl", "Satu Data", 90),
            ]
        }
    )
    a = analysed("portal.xlsx", data)
    assert a.load.sheets[0].unit_from == "'Nama Akun'"
    assert "Nama Inisiator" not in a.load.sheets[0].columns.values()
    assert status(a) == {"Dinas Kesehatan": (1, 1), "UPTD Puskesmas Jalan Gedang": (1, 1), "SD Negeri 5": (1, 1)}
    assert a.summary.unmatched_units == ("kominfo_kotabkl",)  # no Kominfo in this roster: for the operator


# ---------------------------------------------------------------- f. school lists, kelurahan/desa and kecamatan


def test_a_school_list_with_npsn_and_kecamatan_credits_the_school_even_when_written_once():
    rows = [
        ["No", "NPSN", "Nama Sekolah", "Kecamatan", "Judul Inovasi", "Nilai"],
        [1, "10700001", "SD Negeri 5", "Selebar", "Pojok Baca", 80],
        [2, None, None, "Selebar", "Rapor Digital", 75],
        [3, "10700002", "SMP Negeri 1", "Selebar", "Kelas Inspirasi", 60],
    ]
    a = analysed("sekolah.xlsx", xlsx({"Sekolah": rows}))
    assert status(a) == {"SD Negeri 5": (2, 2), "SMP Negeri 1": (1, 0)}


def test_kecamatan_and_kelurahan_columns_give_the_most_specific_filled_unit():
    rows = [
        ["No", "Kecamatan", "Kelurahan", "Nama Inovasi", "Nilai Akhir"],
        [1, "Selebar", "-", "Selebar Bersih", 80],
        [2, None, "Pagar Dewa", "Bank Sampah", 72],
        [3, None, "Sukarami", "Kebun Gizi", 71],
        [4, "Selebar", None, "Kecamatan Tangguh", 90],
    ]
    a = analysed("wilayah.xlsx", xlsx({"Data": rows}))
    assert status(a) == {"Kecamatan Selebar": (2, 2), "Kelurahan Pagar Dewa": (1, 1), "Kelurahan Sukarami": (1, 1)}
    assert a.load.sheets[0].unit_from == "'Kecamatan' / 'Kelurahan'"


def test_a_desa_column_is_read_as_desa():
    roster = read_roster(
        source("r.xlsx", xlsx({"R": [["Nama Unit"], ["Desa Suka Rami"], ["Kelurahan Suka Rami"]]})), CITY
    )
    rows = [["Kecamatan", "Desa", "Nama Inovasi", "Skor"], ["Air Periukan", "Suka Rami", "Lumbung Desa", 80]]
    assert status(analysed("desa.xlsx", xlsx({"D": rows}), roster)) == {"Desa Suka Rami": (1, 1)}


# ---------------------------------------------------------------- g. one sheet per unit


def test_one_sheet_per_unit_takes_the_sheet_name_when_it_is_a_roster_unit():
    header = ["No", "Nama Inovasi", "Skor"]
    data = xlsx(
        {
            "Dinkes": [header, [1, "Sehat Jiwa", 80], [2, "Posyandu", 72]],
            "SDN 5": [header, [1, "Pojok Baca", 60]],
            "Kel. Pasar Jitra": TITLE + [header, [1, "Jitra Bersih", 90]],
            "Sheet4": [header, [1, "Tanpa Pemilik", 90]],
        }
    )
    a = analysed("per_unit.xlsx", data)
    assert status(a) == {"Dinas Kesehatan": (2, 2), "SD Negeri 5": (1, 0), "Kelurahan Pasar Jitra": (1, 1)}
    unread = next(s for s in a.load.sheets if s.sheet == "Sheet4")
    assert not unread.used and unread.reason == "tidak ada kolom 'Nama unit'" and unread.needs_mapping
    assert warned(a, "nama lembar 'Dinkes' dipakai sebagai nama unit")


def test_a_sheet_name_cut_at_excels_limit_still_names_its_unit():
    roster = read_roster(
        source(
            "r.xlsx", xlsx({"R": [["Nama Unit"], ["Dinas Kependudukan dan Pencatatan Sipil"], ["Dinas Kesehatan"]]})
        ),
        CITY,
    )
    name = "Dinas Kependudukan dan Pencatatan Sipil"[:31]
    a = analysed("x.xlsx", xlsx({name: [["Nama Inovasi", "Skor"], ["SLAWE", 96.5]]}), roster)
    assert status(a) == {"Dinas Kependudukan dan Pencatatan Sipil": (1, 1)}


# ---------------------------------------------------------------- h. wide recaps


@pytest.mark.parametrize(
    "innovation, score",
    [("Inovasi {}", "Skor {}"), ("Judul Inovasi {}", "Nilai {}"), ("Inovasi ke-{}", "Skor Inovasi {}")],
)
def test_a_wide_recap_is_one_row_per_innovation(innovation, score):
    header = ["No", "Nama Unit", *(x.format(k) for k in (1, 2, 3) for x in (innovation, score))]
    rows = [
        ["REKAP INOVASI PER UNIT"],
        [],
        header,
        [1, "Dinas Kesehatan", "Sehat Jiwa", 80, "Posyandu", 65, None, None],
        [2, "SD Negeri 5", "Pojok Baca", 90, "Rapor Digital", "72,5", "Kantin", 70],
        [3, "Kelurahan Pagar Dewa", None, None, None, None, None, None],
    ]
    a = analysed("mendatar.xlsx", xlsx({"Rekap": rows}))
    assert status(a) == {"Dinas Kesehatan": (2, 1), "SD Negeri 5": (3, 3)}
    assert a.rows.loc[a.rows["unit"] == "SD Negeri 5", "row"].tolist() == [5, 5, 5]
    assert [(r.row, r.reason) for r in a.load.skipped] == [(6, "nama inovasi kosong")]  # listed, not dropped
    assert warned(a, "rekap mendatar: 3 kelompok kolom inovasi")


@pytest.mark.parametrize(
    "header, row",
    [
        (
            ["Unit Kerja", "Inovasi Pertama", "Skor", "Inovasi Kedua", "Skor", "Tanggal Input"],
            ["Dinas Sosial", "Sedekah", 80, "Dapur Umum", 65, "10/07/2024"],
        ),
        (
            ["Unit Kerja", "Inovasi", "Nilai", "Inovasi", "Nilai", "Tanggal Input"],
            ["Dinas Sosial", "Sedekah", 80, "Dapur Umum", 65, "10/07/2024"],
        ),
        (
            ["Unit Kerja", "Inovasi 1", "Inovasi 2", "Skor 1", "Skor 2", "Tanggal Input"],
            ["Dinas Sosial", "Sedekah", "Dapur Umum", 80, 65, "10/07/2024"],
        ),
    ],
    ids=["ordinal", "repeated", "names-then-scores"],
)
def test_wide_recaps_written_other_ways(header, row):
    a = analysed("w.xlsx", xlsx({"D": [header, row]}))
    assert a.rows[["innovation", "score"]].values.tolist() == [["Sedekah", 80.0], ["Dapur Umum", 65.0]]
    assert a.rows["input_date"].tolist() == [dt.datetime(2024, 7, 10)] * 2  # written once: the row's date


def test_a_wide_recap_with_group_labels_merged_over_name_and_score():
    rows = [
        ["Nama Unit", "Inovasi 1", None, "Inovasi 2", None],
        [None, "Nama", "Skor", "Nama", "Skor"],
        ["Dinas Sosial", "Sedekah", 80, "Dapur Umum", 65],
    ]
    a = analysed("w.xlsx", xlsx({"D": rows}, merges={"D": ["B1:C1", "D1:E1", "A1:A2"]}))
    assert a.rows[["innovation", "score"]].values.tolist() == [["Sedekah", 80.0], ["Dapur Umum", 65.0]]


def test_a_wide_recap_with_an_error_cell_names_its_row():
    rows = [
        ["Nama Unit", "Inovasi 1", "Skor 1", "Inovasi 2", "Skor 2"],
        ["Dinas Sosial", "Sedekah", 80, "Dapur", None],
        ["Dinas Kesehatan", "Sehat Jiwa", None, None, None],
    ]
    a = analysed("mendatar.xlsx", xlsx({"R": rows}, errors={"R": {"E2": "#N/A", "C3": "#REF!"}}))
    assert status(a) == {"Dinas Sosial": (2, 1), "Dinas Kesehatan": (1, 0)}
    assert warned(a, "2 nilai berisi galat Excel", "baris 2, 3")


# ---------------------------------------------------------------- i. tables beside and below


def test_a_table_beside_the_main_one_never_lends_its_columns():
    rows = [
        ["No", "Unit Kerja", "Nama Inovasi", "Skor", None, "Jenis Unit", "Jumlah"],
        [1, "Pagar Dewa", "Bank Sampah", 80, None, "Puskesmas", 2],
        [2, "Jalan Gedang", "Kebun Gizi", 70, None, "OPD", 3],
        [None, None, None, None, None, "Kelurahan", 4],
    ]
    a = analysed("samping.xlsx", xlsx({"KELURAHAN": rows}))
    # The side recap's "Jenis Unit" would have made Jalan Gedang a puskesmas.
    assert status(a) == {"Kelurahan Pagar Dewa": (1, 1)} and a.summary.unmatched_units == ("Jalan Gedang",)
    assert "type_label" not in a.load.sheets[0].columns
    assert a.load.skipped == ()
    assert warned(a, "tabel lain di sampingnya", "'Jenis Unit'")


def test_a_recap_below_the_main_table_is_set_aside_row_by_row():
    rows = [
        ["No", "Unit Kerja", "Nama Inovasi", "Skor"],
        [1, "Kel. Pagar Dewa", "Bank Sampah", 80],
        [2, "Kel. Sukarami", "Kebun Gizi", 70],
        [],
        ["REKAP PER JENIS UNIT"],
        [None, "Jenis Unit", "Jumlah Inovasi"],
        [None, "Kelurahan", 2],
        [None, "Puskesmas", 0],
    ]
    a = analysed("bawah.xlsx", xlsx({"Data": rows}))
    assert a.summary.innovations == 2 and a.summary.unmatched_units == ()
    assert [(r.row, r.reason) for r in a.load.skipped] == [
        (r, "di luar tabel inovasi (judul atau tabel lain)") for r in (5, 6, 7, 8)
    ]


def test_stacked_tables_with_their_own_headers_are_all_read():
    rows = [
        ["OPD"],
        ["No", "Perangkat Daerah", "Nama Inovasi", "Skor"],
        [1, "Dinas Sosial", "Sedekah Beras", 80],
        [],
        ["KELURAHAN"],
        ["No", "Nama Kelurahan", "Judul Inovasi", "Tanggal Input", "Nilai"],
        [1, "Pagar Dewa", "Bank Sampah", "10/07/2024", 75],
    ]
    a = analysed("tumpuk.xlsx", xlsx({"Data": rows}))
    assert status(a) == {"Dinas Sosial": (1, 1), "Kelurahan Pagar Dewa": (1, 1)}


def test_a_legend_under_the_table_is_notes_not_innovations():
    rows = [
        ["Unit Kerja", "Nama Inovasi", "Skor"],
        ["Dinas Sosial", "Sedekah Beras", 80],
        [],
        ["Keterangan:", None, None],
        ["Hijau", "skor 70 atau lebih", None],
        ["Merah", "di bawah 70", None],
    ]
    load = read("x.xlsx", xlsx({"D": rows}))
    assert load.rows["innovation"].tolist() == ["Sedekah Beras"]
    assert [r.reason for r in load.skipped] == ["baris catatan"] * 3


# ---------------------------------------------------------------- j. CSV as Excel saves it

CSV_ROWS = [
    ["REKAP INOVASI"],
    [],
    ["Unit Kerja", "Nama Inovasi", "Skor"],
    ["Dinas Sosial", "Sedekah Beras", "72,5"],
    ["Kel. Pagar Dewa", "Bank Sampah", "80"],
]


def _csv_text(delimiter):
    return csv_bytes(CSV_ROWS, delimiter).decode()


@pytest.mark.parametrize(
    "data",
    [
        _csv_text("\t").encode("utf-16"),  # Excel's "Unicode Text": UTF-16 with its byte order mark, tab-separated
        _csv_text("\t").encode("utf-16-le"),  # the same without the byte order mark
        _csv_text(",").replace("\r\n", "\r").encode("cp1252"),  # old Mac Excel: CR-only line endings
        _csv_text(";").encode("utf-8-sig"),  # "CSV UTF-8": a byte order mark
    ],
    ids=["utf16-tab", "utf16le-no-bom", "cr-only", "utf8-bom"],
)
def test_csv_as_excel_saves_it(data):
    load = read("rekap.csv", data)
    assert load.rows[["unit", "score"]].values.tolist() == [["Dinas Sosial", 72.5], ["Kel. Pagar Dewa", 80.0]]


def test_a_csv_that_cannot_be_parsed_is_a_clear_error():
    broken = b'Unit Kerja,Nama Inovasi\r\n"Dinas Sosial,Sedekah' + b"x" * 200_000  # a quote never closed
    with pytest.raises(InputError, match="tidak dapat dibaca sebagai CSV"):
        read("rusak.csv", broken)


def test_an_error_names_the_missing_column_only():
    load = read("x.xlsx", xlsx({"Data": [["No", "Judul Inovasi", "Skor"], [1, "Sedekah Beras", 80]]}), roster=None)
    assert load.sheets[0].reason == "tidak ada kolom 'Nama unit'"
    with pytest.raises(InputError, match="tidak ada kolom 'Nama unit'") as raised:
        load.require_rows()
    assert "'Nama inovasi'" not in str(raised.value)


def test_legacy_xls_written_once_reads_like_xlsx():
    rows = [["Unit Kerja", "Nama Inovasi", "Skor"], ["Dinas Sosial", "Sedekah Beras", 80], [None, "Dapur Umum", 75]]
    a = analysed("lama.xls", xls({"D": rows}))
    assert status(a) == {"Dinas Sosial": (2, 2)}


# ---------------------------------------------------------------- sheets without innovations, the stated date


def test_a_summary_sheet_is_skipped_with_a_line_and_the_export_states_its_date():
    data = xlsx(
        {
            "Data Inovasi": [
                ["DAFTAR INOVASI DAERAH"],
                ["Diunduh: 10 Juli 2024 pukul 16.00 WIB"],
                [],
                ["Perangkat Daerah", "Nama Inovasi", "Skor"],
                ["Dinas Sosial", "Sedekah Beras", 80],
            ],
            "Ringkasan": [["Tahapan", "Jumlah"], ["Inisiatif", 58], ["Penerapan", 240]],
            "Grafik": [["Jenis", "Persen"], ["OPD", "45%"]],
        }
    )
    load = read("ekspor.xlsx", data)
    kinds = {s.sheet: (s.used, s.kind, s.needs_mapping) for s in load.sheets}
    assert kinds == {
        "Data Inovasi": (True, "data", False),
        "Ringkasan": (False, "summary", False),
        "Grafik": (False, "summary", False),
    }
    assert next(s for s in load.sheets if s.sheet == "Ringkasan").reason.startswith("bukan daftar inovasi")
    assert load.stated_date == "2024-07-10T16:00"


@pytest.mark.parametrize(
    "title, stated",
    [
        ("Dicetak pada 9 Juli 2024", "2024-07-09T00:00"),
        ("Per tanggal 08/07/2024", "2024-07-08T00:00"),
        ("Data per 10 Juli 2024 jam 08.30", "2024-07-10T08:30"),
        ("Rekap Inovasi Kota Bengkulu (Diunduh pada Rabu, 10 Juli 2024)", "2024-07-10T00:00"),
        ("Rekap Inovasi Kota Bengkulu 2024", ""),
    ],
)
def test_the_date_an_export_states_about_itself(title, stated):
    data = xlsx({"D": [[title], ["Unit Kerja", "Nama Inovasi"], ["Dinas Sosial", "A"]]})
    assert read("x.xlsx", data).stated_date == stated
