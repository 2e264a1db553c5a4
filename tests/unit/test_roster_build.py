"""Building a roster for any Pemda: places from the region reference, the OPD template, the operator's lists;
what differs from the roster a city already has; and readiness that does not change for the units in both."""

from pathlib import Path

import pandas as pd
import pytest
from builders import TITLE, csv_bytes, source, xlsx

from iga_data import regions
from iga_data.errors import InputError
from iga_data.pipeline import analyse_sources
from iga_data.reading import Source
from iga_data.roster import read_roster
from iga_data.roster_build import HEADERS, build_roster, list_types, list_units, opd_template, opd_units, typed_units
from iga_data.roster_diff import ONLY_CURRENT, ONLY_NEW, SHORT_NAME, SPELLING, follow_current, roster_differences
from iga_data.settings import default_settings

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
CITY = "Kota Bengkulu"


@pytest.fixture(scope="module")
def shipped():
    return read_roster(Source.from_path(SAMPLE / "daftar_unit_kota_bengkulu.xlsx"), CITY)


@pytest.fixture(scope="module")
def bengkulu():
    return regions.find_pemda(CITY)


def test_kota_bengkulu_gets_every_kecamatan_and_kelurahan_with_its_kecamatan_as_pembina(bengkulu):
    built = build_roster(bengkulu)
    u = built.units
    assert built.counts() == {"Kecamatan": 9, "Kelurahan": 67}
    kel = u[u["type"] == "Kelurahan"]
    assert (kel["pembina"] == "Kecamatan " + kel["kecamatan"]).all()
    assert kel.loc[kel["name"] == "Kelurahan Bumu Ayu", "kecamatan"].tolist() == ["Selebar"]
    assert set(u.loc[u["type"] == "Kecamatan", "pembina"]) == {"Sekretariat Daerah"}
    assert built.notes == []


def test_the_spelling_differences_with_the_citys_roster_are_listed_not_hidden(bengkulu, shipped):
    built = build_roster(bengkulu)
    diff = roster_differences(built.roster(CITY), shipped, CITY)
    places = diff[diff["type"].isin(["Kecamatan", "Kelurahan"])]
    assert places[["kind", "new_name", "current_name"]].values.tolist() == [
        [SPELLING, "Kelurahan Bumu Ayu", "Kelurahan Bumi Ayu"],
        [SPELLING, "Kelurahan Jitra", "Kelurahan Pasar Jitra"],
    ]
    bumu, jitra = places["reason"]
    assert "tetap dicocokkan" in bumu  # the small-typo rule matches exports either way
    assert "memuat" in jitra and "tidak dicocokkan otomatis" in jitra
    assert places["follow"].all()  # suggested: keep the city's own spelling


def test_a_kabupaten_gets_its_desa_with_their_kecamatan():
    pemda = regions.find_pemda("Kabupaten Rejang Lebong")
    built = build_roster(pemda, opd_template(pemda.kind))
    assert built.counts() == {"OPD": len(opd_template("Kabupaten")), "Kecamatan": 15, "Kelurahan": 34, "Desa": 122}
    villages = regions.villages_of(pemda)
    desa = built.units[built.units["type"] == "Desa"]
    by_code = dict(zip(villages["code"], villages["kecamatan"]))
    assert set(desa["kecamatan"]) <= set(by_code.values())
    assert (desa["pembina"] == "Kecamatan " + desa["kecamatan"]).all()
    assert any("bernama sama" in n for n in built.notes)
    roster = built.roster(pemda.name)
    assert not roster.warnings and len(roster) == len(built.units)  # every desa is its own unit
    assert set(roster.units.loc[roster.units["type"] == "Desa", "key"].str.split().str[0]) == {"desa"}


def test_the_workbook_reads_back_as_the_same_roster(bengkulu):
    built = build_roster(bengkulu, opd_template(bengkulu.kind))
    back = read_roster(Source(built.file_name, built.workbook()), CITY)
    columns = ["name", "type", "short_name", "key", "kecamatan", "pembina", "contact"]
    assert back.units[columns].equals(built.roster(CITY).units[columns])
    assert built.file_name == "daftar_unit_kota_bengkulu.xlsx"


def test_every_roster_heading_is_read_as_its_field():
    rows = [list(HEADERS.values()), ["Dinas Sosial", "OPD", "Dinsos", "", "Sekretariat Daerah", "0812"]]
    u = read_roster(source("r.xlsx", xlsx({"R": rows})), CITY).units
    assert u[["name", "type", "short_name", "pembina", "contact"]].values.tolist() == [
        ["Dinas Sosial", "OPD", "Dinsos", "Sekretariat Daerah", "0812"]
    ]


def test_the_opd_template_has_the_usual_perangkat_daerah_with_distinct_short_forms():
    kota, kabupaten = opd_template("Kota"), opd_template("Kabupaten")
    shorts = dict(zip(kabupaten["name"], kabupaten["short_name"]))
    for name, short in [
        ("Sekretariat Daerah", "Setda"),
        ("Sekretariat DPRD", "Setwan"),
        ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
        ("Dinas Kesehatan", "Dinkes"),
        ("Satuan Polisi Pamong Praja", "Satpol PP"),
        ("Badan Pendapatan Daerah", "Bapenda"),
        ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
        ("Inspektorat", ""),
        ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ]:
        assert shorts[name] == short
    assert any(n.startswith("Bagian ") for n in kota["name"])
    assert "Dinas Pemberdayaan Masyarakat dan Desa" in shorts and "Dinas Pemberdayaan Masyarakat dan Desa" not in set(
        kota["name"]
    )
    named = kabupaten["short_name"][kabupaten["short_name"] != ""]
    assert named.is_unique and kabupaten["name"].is_unique


def test_ticked_opd_rows_become_units_and_blank_or_unticked_rows_are_dropped():
    chosen = pd.DataFrame(
        {
            "name": ["Dinas Sosial", None, " ", "Dinas Pariwisata", "Dinas Baru"],
            "short_name": ["Dinsos", None, "X", "Dispar", None],
            "use": [True, True, True, False, None],
        }
    )
    assert opd_units(chosen)[["name", "type", "short_name"]].values.tolist() == [["Dinas Sosial", "OPD", "Dinsos"]]
    assert len(opd_units(chosen.drop(columns="use"))) == 3


def test_a_school_list_as_staff_download_it_gives_sd_and_smp_and_leaves_the_rest_out():
    rows = TITLE + [
        ["No", "NPSN", "Nama Sekolah", "Bentuk Pendidikan", "Status", "Kecamatan"],
        [1, "10702001", "SD NEGERI 05 KOTA BENGKULU", "SD", "Negeri", "Kec. Selebar"],
        [2, "10702002", "SMP NEGERI 1 KOTA BENGKULU", "SMP", "Negeri", "Kec. Ratu Agung"],
        [3, "10702003", "TK NEGERI PEMBINA", "TK", "Negeri", "Kec. Ratu Agung"],
        [4, "10702004", "SD IT AL FATIH", "SD", "Swasta", "Kec. Selebar"],
        [5, "10702005", "SMP SWASTA BINA INSANI", "SMP", "", "Kec. Selebar"],
    ]
    units, notes = list_units(source("sekolah.xlsx", xlsx({"Sekolah": rows})))
    assert units[["name", "type", "kecamatan"]].values.tolist() == [
        ["SD NEGERI 05 KOTA BENGKULU", "SD", "Selebar"],
        ["SMP NEGERI 1 KOTA BENGKULU", "SMP", "Ratu Agung"],
    ]
    assert notes == [
        "sekolah.xlsx: 1 baris bukan Puskesmas / SD Negeri / SMP Negeri dilewati (TK NEGERI PEMBINA).",
        "sekolah.xlsx: 2 sekolah swasta dilewati — bukan unit Pemda (SD IT AL FATIH, SMP SWASTA BINA INSANI).",
    ]


def test_a_puskesmas_list_of_bare_names_is_named_as_puskesmas():
    data = csv_bytes(
        [
            ["Nama Puskesmas", "Kecamatan"],
            ["Jalan Gedang", "Gading Cempaka"],
            ["UPTD Puskesmas Sawah Lebar", "Ratu Agung"],
        ],
        delimiter=";",
    )
    units, notes = list_units(source("puskesmas.csv", data), assumed="Puskesmas")
    assert units[["name", "type", "kecamatan"]].values.tolist() == [
        ["Puskesmas Jalan Gedang", "Puskesmas", "Gading Cempaka"],
        ["UPTD Puskesmas Sawah Lebar", "Puskesmas", "Ratu Agung"],
    ]
    assert notes == []


def test_a_list_without_a_name_column_says_what_heading_it_needs():
    with pytest.raises(InputError, match="Nama Sekolah"):
        list_units(source("x.xlsx", xlsx({"A": [["NPSN", "Alamat"], ["1", "Jl. Mawar"]]})))


def test_typed_rows_take_the_type_column_or_the_name():
    typed = pd.DataFrame(
        {
            "name": ["SDN 7", "Lingkar Timur", "", "SMP Negeri 3"],
            "type": [None, "Puskesmas", "SD", "SMP"],
            "kecamatan": [None, "Singaran Pati", "", ""],
        }
    )
    units, notes = typed_units(typed)
    assert units[["name", "type", "kecamatan"]].values.tolist() == [
        ["SDN 7", "SD", ""],
        ["Lingkar Timur", "Puskesmas", "Singaran Pati"],
        ["SMP Negeri 3", "SMP", ""],
    ]
    assert set(list_types()) == {"Puskesmas", "SD", "SMP"}


def test_a_unit_listed_twice_is_kept_once_with_a_note(bengkulu):
    twice = pd.DataFrame({"name": ["SD Negeri 5", "SDN 05"], "type": ["SD", "SD"], "kecamatan": ["", ""]})
    units, _ = typed_units(twice)
    built = build_roster(bengkulu, lists=[units])
    assert built.counts()["SD"] == 1
    assert any("lebih dari sekali" in n and "SDN 05" in n for n in built.notes)


def test_following_the_roster_in_force_renames_adds_and_leaves_out(bengkulu, shipped):
    built = build_roster(bengkulu, opd_template(bengkulu.kind))
    diff = roster_differences(built.roster(CITY), shipped, CITY)
    diff.loc[(diff["kind"] == ONLY_NEW) & (diff["new_name"] == "Badan Riset dan Inovasi Daerah"), "follow"] = True
    diff.loc[(diff["kind"] == ONLY_CURRENT) & (diff["current_name"] == "Perumda Tirta Hidayah"), "follow"] = True
    followed = follow_current(built, diff, shipped)
    names = set(followed.units["name"])
    assert {"Kelurahan Bumi Ayu", "Kelurahan Pasar Jitra", "Perumda Tirta Hidayah"} <= names
    assert not names & {"Kelurahan Bumu Ayu", "Kelurahan Jitra", "Badan Riset dan Inovasi Daerah"}
    # Types the new roster had none of are taken from the roster in force by default.
    assert followed.counts()["SD"] == 82 and followed.counts()["Puskesmas"] == 20
    pasar_jitra = followed.units[followed.units["name"] == "Kelurahan Pasar Jitra"]
    assert pasar_jitra[["kecamatan", "pembina"]].values.tolist() == [["Teluk Segara", "Kecamatan Teluk Segara"]]


def _operator_lists(shipped):
    """The shipped roster's schools and puskesmas as an operator's lists would give them."""
    u = shipped.units
    schools = u[u["type"].isin(["SD", "SMP"])]
    school_rows = [["NPSN", "Nama Sekolah", "Bentuk Pendidikan"]] + [
        [str(10700000 + i), f"{name.upper()} KOTA BENGKULU", utype]
        for i, (name, utype) in enumerate(zip(schools["name"], schools["type"]))
    ]
    puskesmas = u.loc[u["type"] == "Puskesmas", "name"].str.replace("UPTD Puskesmas ", "", regex=False)
    return [
        list_units(source("sekolah.xlsx", xlsx({"Data": school_rows})))[0],
        list_units(
            source("pkm.xlsx", xlsx({"Data": [["Nama Puskesmas"], *([p] for p in puskesmas)]})), assumed="Puskesmas"
        )[0],
    ]


def _by_key(analysis):
    keys = dict(zip("r" + analysis.roster.units["uid"].astype(str), analysis.roster.units["key"]))
    units = analysis.units.assign(key=analysis.units["unit_key"].map(keys)).set_index("key")
    return units[["unit_type", "uploaded", "passing", "status", "best_1"]]


@pytest.fixture(scope="module")
def readiness(bengkulu, shipped):
    """Readiness of the three sample exports under the shipped roster, the built one, and the built one after
    the suggested choices (what "Pakai daftar unit ini" stores when the operator changes nothing)."""
    built = build_roster(bengkulu, opd_template(bengkulu.kind), _operator_lists(shipped))
    diff = roster_differences(built.roster(CITY), shipped, CITY)
    exports = [Source.from_path(p) for p in sorted(SAMPLE.glob("ekspor_inovasi_*.xlsx"))]
    settings = default_settings()
    followed = follow_current(built, diff, shipped)
    return {
        name: _by_key(analyse_sources(exports, roster, settings))
        for name, roster in [
            ("shipped", shipped),
            ("built", built.roster(CITY)),
            ("followed", followed.roster(CITY)),
        ]
    }, diff


def test_readiness_of_the_sample_exports_is_the_same_with_the_built_roster_for_the_units_in_both(readiness, shipped):
    tables, diff = readiness
    by_shipped, by_built = tables["shipped"], tables["built"]
    both = by_built.index.intersection(by_shipped.index)
    assert len(both) >= 9 + 65 + 20 + 82 + 25
    # Where the city writes another short name ("DUKCAPIL", "PERKIM" in the exports), the difference is listed.
    keys = dict(zip(shipped.units["name"], shipped.units["key"]))
    other_short = {keys[n] for n in diff.loc[diff["kind"] == SHORT_NAME, "current_name"]}
    assert {"dinas kependudukan dan pencatatan sipil", "dinas perumahan dan kawasan permukiman"} <= other_short
    same = both.difference(list(other_short))
    pd.testing.assert_frame_equal(by_built.loc[same], by_shipped.loc[same])
    shipped, built = by_shipped, by_built
    # The reference's slip is the city's kelurahan: exports writing "Bumi Ayu" count for "Bumu Ayu".
    pd.testing.assert_series_equal(
        built.loc["kelurahan bumu ayu"], shipped.loc["kelurahan bumi ayu"], check_names=False
    )
    assert shipped.loc["kelurahan bumi ayu", "uploaded"] > 0


def test_with_the_suggested_choices_readiness_is_the_same_for_every_unit_in_both(readiness):
    tables, _ = readiness
    shipped, followed = tables["shipped"], tables["followed"]
    both = followed.index.intersection(shipped.index)
    assert {"kelurahan bumi ayu", "kelurahan pasar jitra", "dinas kependudukan dan pencatatan sipil"} <= set(both)
    pd.testing.assert_frame_equal(followed.loc[both], shipped.loc[both])


def test_a_roster_compared_with_itself_has_no_differences(shipped):
    assert roster_differences(shipped, shipped, CITY).empty
