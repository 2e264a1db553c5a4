"""Who answers for each unit: the roster's Pembina column, else the default of its type (as data)."""

import pytest
from builders import TITLE, source, xlsx

from iga_data.pembina import default_pembina, kecamatan_name, unit_pembina
from iga_data.roster import read_roster

CITY = "Kota Bengkulu"


def roster_of(rows, city=CITY):
    return read_roster(source("daftar.xlsx", xlsx({"Unit": rows})), city)


def test_the_roster_carries_kecamatan_pembina_and_contact_under_their_usual_headings():
    roster = roster_of(
        TITLE
        + [
            ["No", "Nama Unit", "Jenis Unit", "Kec.", "OPD Pembina", "Narahubung"],
            [1, "Kelurahan Bajak", "Kelurahan", "Teluk Segara", "", "0812 1111"],
            [2, "SD Negeri 5", "SD", "", "Dinas Pendidikan dan Kebudayaan", ""],
        ]
    )
    u = roster.units
    assert u[["name", "kecamatan", "pembina", "contact"]].values.tolist() == [
        ["Kelurahan Bajak", "Teluk Segara", "", "0812 1111"],
        ["SD Negeri 5", "", "Dinas Pendidikan dan Kebudayaan", ""],
    ]


def test_a_roster_without_those_columns_has_them_empty():
    u = roster_of([["Nama Unit"], ["Dinas Sosial"]]).units
    assert u[["kecamatan", "pembina", "contact"]].values.tolist() == [["", "", ""]]


def test_the_roster_column_wins_then_the_type_default():
    roster = roster_of(
        [
            ["Nama Unit", "Jenis Unit", "Kecamatan", "Pembina"],
            ["Dinas Sosial", "OPD", "", ""],
            ["Kecamatan Selebar", "Kecamatan", "Selebar", ""],
            ["Kelurahan Bajak", "Kelurahan", "Kec. Teluk Segara", ""],
            ["Desa Suka Maju", "Desa", "Sukamaju", ""],
            ["UPTD Puskesmas Jalan Gedang", "Puskesmas", "", ""],
            ["SD Negeri 5", "SD", "", ""],
            ["SMP Negeri 1", "SMP", "", "Dinas Pendidikan dan Kebudayaan"],
        ]
    )
    assert unit_pembina(roster, CITY).to_dict() == {
        "r0": "Sekretariat Daerah",
        "r1": "Sekretariat Daerah",
        "r2": "Kecamatan Teluk Segara",
        "r3": "Kecamatan Sukamaju",
        "r4": "Dinas Kesehatan",
        "r5": "Dinas Pendidikan",
        "r6": "Dinas Pendidikan dan Kebudayaan",
    }


def test_a_kelurahan_without_kecamatan_gets_it_from_the_region_reference():
    roster = roster_of([["Nama Unit"], ["Kelurahan Bajak"], ["Kel. Bumu Ayu"], ["Kelurahan Tidak Ada"]])
    assert unit_pembina(roster, CITY).tolist() == ["Kecamatan Teluk Segara", "Kecamatan Selebar", ""]


def test_without_a_known_pemda_an_unknown_kecamatan_leaves_the_pembina_empty():
    roster = roster_of([["Nama Unit"], ["Kelurahan Bajak"]], city="Pemda Contoh")
    assert unit_pembina(roster, "Pemda Contoh").tolist() == [""]


@pytest.mark.parametrize(
    "written", ["Selebar", "Kecamatan Selebar", "Kec. Selebar", "KEC SELEBAR", "Camat Selebar", " Kecamatan  Selebar "]
)
def test_kecamatan_names_lose_their_prefix(written):
    assert kecamatan_name(written).lower() == "selebar"


def test_default_pembina_of_a_kelurahan_needs_its_kecamatan():
    assert default_pembina("Kelurahan", "Kec. Selebar") == "Kecamatan Selebar"
    assert default_pembina("Kelurahan") == ""
    assert default_pembina("Puskesmas") == "Dinas Kesehatan"
