import pytest
from builders import source, xlsx

from iga_data.matching import Matcher
from iga_data.names import unit_name
from iga_data.pipeline import analyse
from iga_data.reading import read_sources
from iga_data.roster import read_roster
from iga_data.settings import default_settings

CITY = "Kota Bengkulu"

ROSTER_ROWS = [
    ["DAFTAR UNIT WAJIB INOVASI"],
    [],
    ["No", "Nama Unit", "Jenis Unit", "Singkatan"],
    [1, "Dinas Kependudukan dan Pencatatan Sipil", "OPD", "Dukcapil"],
    [2, "Dinas Kesehatan", "OPD", "Dinkes"],
    [3, "Kecamatan Ratu Agung", "Kecamatan", None],
    [4, "Kelurahan Pasar Jitra", "Kelurahan", None],
    [5, "Kelurahan Jalan Gedang", "Kelurahan", None],
    [6, "Kelurahan Kandang", "Kelurahan", None],
    [7, "Kelurahan Kandang Mas", "Kelurahan", None],
    [8, "Kelurahan Sawah Lebar", "Kelurahan", None],
    [9, "Kelurahan Sawah Lebar Baru", "Kelurahan", None],
    [10, "Kelurahan Padang Harapan", "Kelurahan", None],
    [11, "UPTD Puskesmas Jalan Gedang", "Puskesmas", None],
    [12, "SD Negeri 5", "SD", None],
    [13, "SD Negeri 50", "SD", None],
    [14, "SMP Negeri 1", "SMP", None],
]


@pytest.fixture(scope="module")
def roster():
    return read_roster(source("roster.xlsx", xlsx({"Unit": ROSTER_ROWS})), CITY)


def match_names(roster, names, sheet="Data", type_label=None):
    header = ["Nama Unit", "Nama Inovasi"] + (["Jenis Unit"] if type_label else [])
    rows = [header] + [[n, f"Inovasi {i}"] + ([type_label] if type_label else []) for i, n in enumerate(names)]
    load = read_sources([source("ekspor.xlsx", xlsx({sheet: rows}))])
    analysis = analyse(load, roster, default_settings())
    return dict(zip(analysis.rows["unit"], analysis.rows["unit_name"].where(analysis.rows["matched"])))


@pytest.mark.parametrize(
    "variants",
    [
        ["SD Negeri 05 Kota Bengkulu", "SDN 5", "SD N 5", "sdn05", "SD Negeri 5", "SD NEGERI 005"],
        ["UPTD Puskesmas Jalan Gedang", "PKM Jalan Gedang", "Puskesmas Jalan Gedang", "UPT Puskesmas Jalan Gedang"],
        ["Kel. Pasar Jitra", "Lurah Pasar Jitra", "Kelurahan Pasar Jitra", "KELURAHAN PASAR JITRA KOTA BENGKULU"],
        ["Kecamatan Ratu Agung", "Camat Ratu Agung", "Kec. Ratu Agung", "Kec Ratu Agung"],
        [
            "Dinas Kependudukan & Pencatatan Sipil",
            "Dinas Kependudukan dan Pencatatan Sipil Kota Bengkulu",
            "dinas kependudukan dan pencatatan sipil.",
        ],
        ["Desa Suka Rami", "Kepala Desa Suka Rami", "Kades Suka Rami", "Pemerintah Desa Suka Rami"],
    ],
)
def test_written_variants_reduce_to_one_key(variants):
    assert len({unit_name(v, CITY).key for v in variants}) == 1


def test_variants_match_the_roster_unit(roster):
    got = match_names(
        roster,
        [
            "SDN 5",
            "SD N 05",
            "PKM Jalan Gedang",
            "Lurah Pasar Jitra",
            "Camat Ratu Agung",
            "Dinas Kependudukan & Pencatatan Sipil Kota Bengkulu",
        ],
    )
    assert got == {
        "SDN 5": "SD Negeri 5",
        "SD N 05": "SD Negeri 5",
        "PKM Jalan Gedang": "UPTD Puskesmas Jalan Gedang",
        "Lurah Pasar Jitra": "Kelurahan Pasar Jitra",
        "Camat Ratu Agung": "Kecamatan Ratu Agung",
        "Dinas Kependudukan & Pencatatan Sipil Kota Bengkulu": "Dinas Kependudukan dan Pencatatan Sipil",
    }


def test_short_name_matches(roster):
    assert match_names(roster, ["DUKCAPIL", "Dinkes"]) == {
        "DUKCAPIL": "Dinas Kependudukan dan Pencatatan Sipil",
        "Dinkes": "Dinas Kesehatan",
    }


@pytest.mark.parametrize(
    "sheet, type_label, expected",
    [
        ("KELURAHAN", None, "Kelurahan Jalan Gedang"),
        ("Data Puskesmas", None, "UPTD Puskesmas Jalan Gedang"),
        ("Data", "Lurah", "Kelurahan Jalan Gedang"),
        ("KELURAHAN", "Puskesmas", "UPTD Puskesmas Jalan Gedang"),  # the type column beats the sheet name
    ],
)
def test_bare_name_goes_to_the_unit_of_the_hinted_type(roster, sheet, type_label, expected):
    assert match_names(roster, ["Jalan Gedang"], sheet, type_label) == {"Jalan Gedang": expected}


def test_bare_name_without_hint_matches_only_when_unambiguous(roster):
    got = match_names(roster, ["Pasar Jitra", "Jalan Gedang"])
    assert got["Pasar Jitra"] == "Kelurahan Pasar Jitra"
    assert got["Jalan Gedang"] != got["Jalan Gedang"]  # NaN: kelurahan and puskesmas both exist


@pytest.mark.parametrize(
    "written, expected",
    [
        ("Kelurahan Padang Harapn", "Kelurahan Padang Harapan"),
        ("Dinas Kesehatn", "Dinas Kesehatan"),
        ("Kel. Kandang Ms", "Kelurahan Kandang Mas"),
        ("Kel. Sawah Lebar Bar", "Kelurahan Sawah Lebar Baru"),
        ("Kelurahan Kandang", "Kelurahan Kandang"),
        ("Kelurahan Sawah Lebar", "Kelurahan Sawah Lebar"),
    ],
)
def test_small_typos_are_forgiven_but_neighbours_stay_apart(roster, written, expected):
    assert match_names(roster, [written]) == {written: expected}


@pytest.mark.parametrize(
    "written",
    [
        "SD Negeri 51",
        "SD Negeri 500",
        "SMP Negeri 11",
        "Kelurahan Kandang Limun",
        "Dinas Kesehatan Hewan",
        "Kelurahan Sawah",
        "Kelurahan Padang",
    ],
)
def test_names_that_are_other_units_stay_unmatched(roster, written):
    got = match_names(roster, [written])
    assert got[written] != got[written], f"{written} should not match {got[written]}"


def test_neighbour_missing_from_roster_is_not_merged_into_the_other():
    small = read_roster(
        source("r.xlsx", xlsx({"R": [["Nama Unit"], ["Kelurahan Kandang Mas"], ["Kelurahan Sawah Lebar Baru"]]})), CITY
    )
    got = match_names(small, ["Kel. Kandang", "Kelurahan Sawah Lebar"])
    assert all(v != v for v in got.values()), got


def test_unmatched_names_are_reported_and_still_counted(roster):
    rows = [
        ["Unit Kerja", "Nama Inovasi", "Skor"],
        ["UPT Pengelolaan Sampah", "Bank Sampah Digital", 80],
        ["UPT Pengelolaan Sampah", "Komposter Warga", 75],
        ["SDN 5", "Pojok Baca", 90],
    ]
    load = read_sources([source("e.xlsx", xlsx({"Data": rows}))])
    summary = analyse(load, roster, default_settings()).summary.to_json()
    assert summary["unmatched_units"] == ["UPT Pengelolaan Sampah"]
    assert summary["innovations"] == 3
    assert summary["units"]["expected"] == 14


@pytest.mark.parametrize(
    "written, expected",
    [
        ("SD Negri 5", "SD Negeri 5"),
        ("SD Negeri No. 5", "SD Negeri 5"),
        ("SMP Negri 1", "SMP Negeri 1"),
        ("Dinas Kesehatan (Dinkes)", "Dinas Kesehatan"),
        ("DISDUKCAPIL (Dinas Kependudukan dan Pencatatan Sipil)", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("Dinas Kesehatan Kota Bengkulu Provinsi Bengkulu", "Dinas Kesehatan"),
    ],
)
def test_common_ways_of_writing_names_match(roster, written, expected):
    assert match_names(roster, [written]) == {written: expected}


def test_typo_matches_are_listed_for_the_operator(roster):
    from iga_data.tables import approximate_matches

    rows = [["Nama Unit", "Nama Inovasi"], ["Dinas Kesehatn", "A"], ["Dinas Kesehatn", "B"], ["SDN 5", "C"]]
    a = analyse(read_sources([source("e.xlsx", xlsx({"Data": rows}))]), roster, default_settings())
    table = approximate_matches(a)
    assert table[["Nama tertulis", "Dianggap sebagai"]].values.tolist() == [["Dinas Kesehatn", "Dinas Kesehatan"]]
    assert table["Kemiripan"].iloc[0].endswith("%")


def test_one_slip_in_a_short_name_is_forgiven_as_the_region_reference_writes_it():
    """The reference writes "Bumu Ayu" (87.5 on the ratio); exports write "Bumi Ayu"."""
    reference = read_roster(
        source(
            "r.xlsx",
            xlsx(
                {
                    "R": [
                        ["Nama Unit", "Kecamatan"],
                        ["Kelurahan Bumu Ayu", "Selebar"],
                        ["Kelurahan Sumur Dewa", "Selebar"],
                    ]
                }
            ),
        ),
        CITY,
    )
    got = match_names(reference, ["Kelurahan Bumi Ayu", "Lurah Bumi Ayu", "Kel. Bumi Ayu"])
    assert set(got.values()) == {"Kelurahan Bumu Ayu"}


def test_a_slip_between_two_real_units_one_letter_apart_matches_neither():
    """Both are in the roster: an exact name wins, a name one letter from each is left for the operator."""
    roster = read_roster(source("r.xlsx", xlsx({"R": [["Nama Unit"], ["Desa Padangan"], ["Desa Payangan"]]})), CITY)
    got = match_names(roster, ["Desa Padangan", "Desa Pawangan"])
    assert got["Desa Padangan"] == "Desa Padangan"
    assert got["Desa Pawangan"] != got["Desa Pawangan"]


def test_a_numbered_name_is_never_offered_another_number(roster):
    matcher = Matcher(roster, CITY)
    assert not {"SD Negeri 5", "SD Negeri 50", "SMP Negeri 1"} & {name for name, _ in matcher.closest("SDN 7")}
    offered = [name for name, _ in matcher.closest("SD Negri 50 Kota")]
    assert offered[0] == "SD Negeri 50" and "SD Negeri 5" not in offered
    assert "SD Negeri 5" in [name for name, _ in matcher.closest("SD Negeri")]  # no number: any school may be meant
    assert matcher.closest("SDN 1")[0][0] != "SMP Negeri 1"  # the type it says comes first
