"""The region reference: what it holds, how a Pemda is found, and that it is rebuilt byte for byte."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sample_truth

from iga_data import regions
from iga_data.errors import InputError
from iga_data.names import key_as, unit_name

ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = "kode-wilayah-kepmendagri-2025.xlsx"

# DOMAIN.md section 6: Kota Bengkulu as the city writes it (the sample data is built from the same list).
BENGKULU = sample_truth.generator.KECAMATAN


def test_every_province_and_pemda_is_there():
    assert len(regions.provinces()) == 38
    assert len(regions.pemda_list()) == 514
    assert {p.kind for p in regions.pemda_list()} == {"Kabupaten", "Kota"}
    assert [p.name for p in regions.pemda_list("17")][:3] == [
        "Kabupaten Bengkulu Selatan",
        "Kabupaten Rejang Lebong",
        "Kabupaten Bengkulu Utara",
    ]


def test_kota_bengkulu_has_the_kecamatan_and_kelurahan_of_the_domain_with_the_references_own_spelling():
    pemda = regions.find_pemda("Kota Bengkulu")
    assert regions.kecamatan_of(pemda)["name"].tolist() == list(BENGKULU)
    villages = regions.villages_of(pemda)
    assert set(villages["kind"]) == {"kelurahan"}
    got = {(k, v) for k, v in zip(villages["kecamatan"], villages["name"])}
    domain = {(k, v) for k, names in BENGKULU.items() for v in names}
    assert len(got) == len(domain) == 67
    # The slips are kept, not corrected: exactly these two differ from local usage.
    assert got - domain == {("Selebar", "Bumu Ayu"), ("Teluk Segara", "Jitra")}
    assert domain - got == {("Selebar", "Bumi Ayu"), ("Teluk Segara", "Pasar Jitra")}


def test_a_kabupaten_has_desa_and_kelurahan_told_apart_by_the_code():
    villages = regions.villages_of(regions.find_pemda("Kabupaten Rejang Lebong"))
    assert villages["kind"].value_counts().to_dict() == {"desa": 122, "kelurahan": 34}
    assert set(villages.loc[villages["kind"] == "kelurahan", "code"].str[9]) == {"1"}
    assert set(villages.loc[villages["kind"] == "desa", "code"].str[9]) == {"2"}
    assert villages["kecamatan_code"].nunique() == 15


@pytest.mark.parametrize(
    "written",
    [
        "Kabupaten Rejang Lebong",
        "kab. rejang lebong",
        "Kab Rejang Lebong",
        "KAB. REJANG LEBONG",
        "Pemerintah Kabupaten Rejang Lebong",
        "Pemkab Rejang Lebong",
        "Rejang Lebong",
    ],
)
def test_a_pemda_is_found_however_it_is_written(written):
    assert regions.find_pemda(written).code == "17.02"


def test_pemda_names_say_kabupaten_where_the_reference_abbreviates():
    assert regions.find_pemda("Kab Timor Tengah Selatan").name == "Kabupaten Timor Tengah Selatan"
    assert all(p.name.startswith(("Kabupaten ", "Kota ")) for p in regions.pemda_list())


def test_a_name_meaning_two_pemda_asks_for_the_full_name():
    with pytest.raises(InputError, match="Kabupaten Kupang atau Kota Kupang"):
        regions.find_pemda("Kupang")


def test_an_unknown_name_gets_the_closest_suggestions():
    with pytest.raises(InputError, match=r"Yang paling mirip: Kota Bengkulu \(17\.71\)"):
        regions.find_pemda("Kota Bengkulo")
    assert regions.suggest_pemda("rejang lebog")[0].name == "Kabupaten Rejang Lebong"


def test_search_puts_the_closest_first_and_finds_a_provinces_pemda():
    found = [p.name for p in regions.search_pemda("bengkulu")]
    assert found[0] == "Kota Bengkulu"
    assert set(found) == {p.name for p in regions.pemda_list("17")}
    assert [p.name for p in regions.search_pemda("Kab. Rejang")] == ["Kabupaten Rejang Lebong"]
    assert regions.search_pemda("tidak ada namanya") == []


def test_places_with_the_same_name_become_units_with_different_names():
    pemda = regions.find_pemda("Kabupaten Rejang Lebong")
    units = regions.region_units(pemda)
    assert units["type"].value_counts().to_dict() == {"Desa": 122, "Kelurahan": 34, "Kecamatan": 15}
    keys = [key_as(unit_name(n, pemda.name), t) for n, t in zip(units["name"], units["type"])]
    assert len(set(keys)) == len(keys)
    assert sorted(units.loc[units["renamed"], "name"]) == [
        "Desa Kayu Manis Kecamatan Selupu Rejang",
        "Desa Kayu Manis Kecamatan Sindang Kelingi",
        "Desa Suka Rami Kecamatan Bermani Ulu",
        "Desa Suka Rami Kecamatan Kota Padang",
    ]


def test_a_place_already_named_by_its_type_is_not_named_twice():
    assert regions.place_unit_name("Desa Adat Yoboi", "Desa") == "Desa Adat Yoboi"
    assert regions.place_unit_name("Bumu Ayu", "Kelurahan") == "Kelurahan Bumu Ayu"


def test_the_licence_and_source_ship_beside_the_reference():
    notice = regions.NOTICE_FILE.read_text(encoding="utf-8")
    assert "Kepmendagri No. 300.2.2-2138 Tahun 2025" in notice and "CC BY 4.0" in notice
    assert "Bumu Ayu" in notice  # the slips are declared kept
    assert "Attribution 4.0 International" in regions.LICENSE_FILE.read_text(encoding="utf-8")


def _workbook() -> Path | None:
    folder = os.environ.get("IGA_REFERENCE_DIR")
    for candidate in ([Path(folder)] if folder else []) + [ROOT.parent / "shared" / "reference"]:
        if (candidate / WORKBOOK).is_file():
            return candidate / WORKBOOK
    return None


def test_the_build_script_reproduces_the_shipped_files_byte_for_byte(tmp_path):
    workbook = _workbook()
    if workbook is None:
        pytest.skip(f"{WORKBOOK} tidak ditemukan: set IGA_REFERENCE_DIR untuk menguji pembangunan ulang.")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_regions.py"), str(workbook), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for shipped in (regions.REFERENCE_FILE, regions.LICENSE_FILE, regions.NOTICE_FILE):
        assert (tmp_path / shipped.name).read_bytes() == shipped.read_bytes(), shipped.name
