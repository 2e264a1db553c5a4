"""Unit names as Indonesian offices write them (issue 10, item 2): short forms, other ways of writing a
name, small typos, portal logins, and the names the operator resolves once."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import csv_bytes, source, xlsx

from iga_data.accounts import Actor
from iga_data.aliases import Alias, alias_csv, alias_xlsx, combined, fingerprint, read_alias_file
from iga_data.errors import InputError
from iga_data.pipeline import analyse
from iga_data.reading import read_sources
from iga_data.roster import read_roster
from iga_data.settings import default_settings
from iga_data.storage import MIGRATIONS, Store

CITY = "Kota Bengkulu"
RINA, BUDI = Actor("rina", "operator", "cli"), Actor("budi", "operator", "cli")
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
OPD = [
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Komunikasi dan Informatika",
    "Dinas Kesehatan",
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Sosial",
    "Dinas Lingkungan Hidup",
    "Dinas Perhubungan",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Badan Pendapatan Daerah",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Satuan Polisi Pamong Praja",
    "Badan Penanggulangan Bencana Daerah",
    "Badan Kesatuan Bangsa dan Politik",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Sekretariat DPRD",
    "Inspektorat",
    "Bagian Hukum",
    "Bagian Organisasi",
]
PLACES = [
    "Kecamatan Selebar",
    "Kelurahan Bajak",
    "Kelurahan Kandang",
    "Kelurahan Kandang Mas",
    "Kelurahan Sumur Dewa",
    "Kelurahan Pagar Dewa",
    "Kelurahan Padang Serai",
    "Kelurahan Padang Harapan",
    "SD Negeri 5",
    "SD Negeri 50",
]


@pytest.fixture(scope="module")
def roster():
    """A roster written with full names and no short names: the short forms must come from the config."""
    rows = [["Nama Unit"], *([n] for n in OPD + PLACES)]
    return read_roster(source("daftar.xlsx", xlsx({"Unit": rows})), CITY)


def matched(roster, names, aliases=()):
    rows = [["Nama Unit", "Nama Inovasi"], *([n, f"Inovasi {i}"] for i, n in enumerate(names))]
    a = analyse(read_sources([source("e.xlsx", xlsx({"Data": rows}))]), roster, default_settings(), aliases)
    return dict(zip(a.rows["unit"], a.rows["unit_name"].where(a.rows["matched"])))


@pytest.mark.parametrize(
    "written, unit",
    [
        ("Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
        ("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
        ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("Dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("Kominfo", "Dinas Komunikasi dan Informatika"),
        ("Diskominfo", "Dinas Komunikasi dan Informatika"),
        ("Dinkes", "Dinas Kesehatan"),
        ("DINKES", "Dinas Kesehatan"),
        ("Disdik", "Dinas Pendidikan dan Kebudayaan"),
        ("Dikbud", "Dinas Pendidikan dan Kebudayaan"),
        ("Dinsos", "Dinas Sosial"),
        ("DLH", "Dinas Lingkungan Hidup"),
        ("Dishub", "Dinas Perhubungan"),
        ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
        ("Bapenda", "Badan Pendapatan Daerah"),
        ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah"),
        ("Satpol PP", "Satuan Polisi Pamong Praja"),
        ("Satpol-PP", "Satuan Polisi Pamong Praja"),
        ("BPBD", "Badan Penanggulangan Bencana Daerah"),
        ("Kesbangpol", "Badan Kesatuan Bangsa dan Politik"),
        ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
        ("Setwan", "Sekretariat DPRD"),
        ("Inspektorat Daerah", "Inspektorat"),
        ("Inspektorat Daerah Kota Bengkulu", "Inspektorat"),
        ("Bagian Hukum Setda", "Bagian Hukum"),
        ("Bagian Organisasi Sekretariat Daerah", "Bagian Organisasi"),
        ("Kantor Camat Selebar", "Kecamatan Selebar"),
        ("Kantor Kecamatan Selebar", "Kecamatan Selebar"),
        ("Kantor Lurah Bajak", "Kelurahan Bajak"),
        ("Kelurahan Bajak (Kec. Teluk Segara)", "Kelurahan Bajak"),
        ("SD Negeri 5 (Kecamatan Selebar)", "SD Negeri 5"),
    ],
)
def test_short_and_informal_forms_match_the_roster(roster, written, unit):
    assert matched(roster, [written]) == {written: unit}


def test_a_short_form_pointing_at_two_roster_units_matches_neither():
    two = read_roster(
        source(
            "r.xlsx",
            xlsx({"R": [["Nama Unit"], ["Dinas Pendidikan dan Kebudayaan"], ["Dinas Pendidikan dan Pelatihan"]]}),
        ),
        CITY,
    )
    got = matched(two, ["Disdik"])
    assert got["Disdik"] != got["Disdik"]  # NaN: left for the operator


def test_a_short_form_never_takes_a_different_unit_that_starts_the_same():
    other = read_roster(source("r.xlsx", xlsx({"R": [["Nama Unit"], ["Dinas Kesehatan Hewan"]]})), CITY)
    got = matched(other, ["Dinkes"])
    assert got["Dinkes"] != got["Dinkes"]


@pytest.mark.parametrize(
    "written, unit",
    [
        ("Kelurahan Pagar Deaw", "Kelurahan Pagar Dewa"),  # two letters swapped
        ("Kelurahan Pagar Dwa", "Kelurahan Pagar Dewa"),  # one missing
        ("Kelurahan Pagar Dewwa", "Kelurahan Pagar Dewa"),  # one extra
        ("Kelurahan Padang Serei", "Kelurahan Padang Serai"),  # one wrong
        ("Dinas Kesehtaan", "Dinas Kesehatan"),
        ("Kel. Kandnag", "Kelurahan Kandang"),
        ("Kel. Kandang Mass", "Kelurahan Kandang Mas"),
        ("Kelurahan Sumur Dewi", "Kelurahan Sumur Dewa"),
    ],
)
def test_one_slipped_letter_in_a_longer_name_matches_the_one_unit_that_close(roster, written, unit):
    assert matched(roster, [written]) == {written: unit}


@pytest.mark.parametrize(
    "written",
    [
        "SD Negeri 51",  # school numbers stay apart
        "Kelurahan Bajk",  # "Bajak" has fewer than six letters
        "Kelurahan Kandang M",  # neither Kandang nor Kandang Mas
    ],
)
def test_neighbours_and_short_names_are_left_for_the_operator(roster, written):
    got = matched(roster, [written])
    assert got[written] != got[written], got


def test_a_name_one_letter_from_two_units_matches_neither():
    roster = read_roster(
        source("r.xlsx", xlsx({"R": [["Nama Unit"], ["Kelurahan Pasar Baru"], ["Kelurahan Pasar Bari"]]})), CITY
    )
    got = matched(roster, ["Kelurahan Pasar Bara"])
    assert got["Kelurahan Pasar Bara"] != got["Kelurahan Pasar Bara"]


@pytest.mark.parametrize(
    "login, unit",
    [
        ("dinkes_kotabkl", "Dinas Kesehatan"),
        ("DINSOS.KOTABKL", "Dinas Sosial"),
        ("sdn_5_kotabkl", "SD Negeri 5"),
        ("kel_bajak_pemkotbkl", "Kelurahan Bajak"),
    ],
)
def test_portal_logins_are_read_as_their_unit_part(roster, login, unit):
    assert matched(roster, [login]) == {login: unit}


def test_a_login_whose_last_part_names_no_pemda_is_not_cut(roster):
    got = matched(roster, ["dinas_kesehatan_hewan"])
    assert got["dinas_kesehatan_hewan"] != got["dinas_kesehatan_hewan"]


# ---------------------------------------------------------------- the operator's aliases


def test_an_alias_resolves_a_name_once_and_says_so(roster):
    rows = [
        ["Nama Unit", "Nama Inovasi", "Skor"],
        ["UPT Sampah", "Bank Sampah", 80],
        ["upt  sampah", "Komposter", 75],
        ["Forum Anak", "Suara Anak", 90],
        ["Dinkes", "Sehat", 80],
    ]
    load = read_sources([source("e.xlsx", xlsx({"Data": rows}))])
    before = analyse(load, roster, default_settings())
    assert before.summary.unmatched_units == ("UPT Sampah", "Forum Anak")
    closest = before.unmatched.set_index("name")["closest"]["UPT Sampah"]
    assert len(closest) == 3 and all(0 <= score <= 100 for _, score in closest)
    assert before.unmatched.set_index("name")["rows"]["UPT Sampah"] == "Data baris 2, 3"
    aliases = (Alias("UPT Sampah", "Dinas Lingkungan Hidup"), Alias("Forum Anak", ""))
    after = analyse(load, roster, default_settings(), aliases)
    units = after.units.set_index("unit_name")
    assert (units.loc["Dinas Lingkungan Hidup", "uploaded"], units.loc["Dinas Lingkungan Hidup", "passing"]) == (2, 2)
    assert after.summary.unmatched_units == () and after.summary.not_in_roster == ("Forum Anak",)
    assert after.summary.aliases_applied == 1 and after.summary.innovations == before.summary.innovations
    assert any(
        "1 nama unit dicocokkan lewat padanan" in w and "UPT Sampah → Dinas Lingkungan Hidup" in w
        for w in after.warnings
    )


def test_an_alias_to_a_unit_the_roster_no_longer_has_is_not_applied_and_is_said(roster):
    load = read_sources([source("e.xlsx", xlsx({"D": [["Nama Unit", "Nama Inovasi"], ["UPT Sampah", "A"]]}))])
    a = analyse(load, roster, default_settings(), (Alias("UPT Sampah", "Dinas Kebersihan"),))
    assert a.summary.unmatched_units == ("UPT Sampah",)
    assert any("padanan nama tidak dipakai" in w and "Dinas Kebersihan" in w for w in a.warnings)


def test_an_alias_overrides_a_typo_match(roster):
    got = matched(roster, ["Kelurahan Padang Serei"], (Alias("Kelurahan Padang Serei", "Kelurahan Padang Harapan"),))
    assert got == {"Kelurahan Padang Serei": "Kelurahan Padang Harapan"}


@pytest.mark.parametrize("writer, name", [(alias_xlsx, "padanan.xlsx"), (alias_csv, "padanan.csv")])
def test_the_alias_file_round_trips(writer, name):
    aliases = (Alias("dinkes_kotabkl", "Dinas Kesehatan"), Alias("Forum Anak", ""), Alias("=1+1", "Dinas Sosial"))
    back = read_alias_file(source(name, writer(aliases)))
    assert sorted((a.written, a.unit) for a in back) == sorted((a.written, a.unit) for a in aliases)
    assert fingerprint(back) == fingerprint(aliases)


def test_an_alias_file_typed_by_hand_with_a_title_and_blank_unit_cells():
    data = csv_bytes(
        [
            ["Padanan nama"],
            [],
            ["Nama di berkas", "Nama unit"],
            ["Dinkes Kota", "Dinas Kesehatan"],
            ["Forum Anak", ""],
            ["Panitia", "bukan unit dalam daftar"],
        ],
        ";",
    )
    assert [(a.written, a.unit) for a in read_alias_file(source("p.csv", data))] == [
        ("Dinkes Kota", "Dinas Kesehatan"),
        ("Forum Anak", ""),
        ("Panitia", ""),
    ]
    with pytest.raises(InputError, match="Nama di berkas"):
        read_alias_file(source("x.csv", csv_bytes([["Nama", "Unit"], ["a", "b"]])))


def test_a_file_alias_wins_over_a_stored_one():
    out = combined([Alias("X", "Dinas Sosial"), Alias("Y", "")], [Alias("x", "Dinas Kesehatan")])
    assert sorted((a.written, a.unit) for a in out) == [("Y", ""), ("x", "Dinas Kesehatan")]


def test_the_store_keeps_aliases_in_one_migration_and_undoes_them(tmp_path):
    store = Store(tmp_path / "iga.db")
    store.save_alias("dinkes_kotabkl", "Dinas Kesehatan", actor=RINA)
    store.save_alias("DINKES_KOTABKL", "Dinas Sosial", actor=BUDI)  # the same name chosen again
    store.save_alias("Forum Anak", "", actor=RINA)
    assert [(a.written, a.unit, a.by) for a in store.aliases()] == [
        ("DINKES_KOTABKL", "Dinas Sosial", "budi"),
        ("Forum Anak", "", "rina"),
    ]
    store.delete_alias("forum anak", actor=RINA)
    assert [a.written for a in store.aliases()] == ["DINKES_KOTABKL"]
    with pytest.raises(InputError, match="sudah dibatalkan"):
        store.delete_alias("Forum Anak", actor=RINA)
    with pytest.raises(InputError):
        store.save_alias(" - ", "Dinas Sosial", actor=RINA)
    assert [m.__name__ for m in MIGRATIONS if "alias" in m.__name__] == ["_migration_unit_aliases"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "iga_data", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def test_the_aliases_command_and_report_with_an_alias_file(tmp_path):
    db = tmp_path / "iga.db"
    store = Store(db)
    store.save_alias("UPT Pengelolaan Sampah", "Dinas Lingkungan Hidup", actor=RINA)
    store.save_alias("Forum Anak Kota Bengkulu", "", actor=RINA)
    listing = json.loads(cli("aliases", "--db", db, "--format", "json").stdout)
    assert [(x["written"], x["unit"]) for x in listing] == [
        ("UPT Pengelolaan Sampah", "Dinas Lingkungan Hidup"),
        ("Forum Anak Kota Bengkulu", None),
    ]
    assert "Forum Anak Kota Bengkulu → bukan unit dalam daftar" in cli("aliases", "--db", db).stdout
    assert cli("aliases", "--db", db, "--out", tmp_path / "padanan.xlsx").returncode == 0
    export, roster = SAMPLE / "ekspor_inovasi_2024-07-10.xlsx", SAMPLE / "daftar_unit_kota_bengkulu.xlsx"
    plain = json.loads(cli("report", export, "--roster", roster, "--format", "json").stdout)
    assert set(plain["unmatched_units"]) == {"UPT Pengelolaan Sampah", "Forum Anak Kota Bengkulu"}
    resolved = json.loads(
        cli("report", export, "--roster", roster, "--aliases", tmp_path / "padanan.xlsx", "--format", "json").stdout
    )
    assert resolved["unmatched_units"] == [] and resolved["not_in_roster"] == ["Forum Anak Kota Bengkulu"]
    assert resolved["aliases_applied"] == 1 and resolved["innovations"] == plain["innovations"]
    bad = cli("aliases", "--db", db, "--out", tmp_path / "padanan.txt")
    assert bad.returncode == 2 and ".xlsx atau .csv" in bad.stderr


def test_the_roster_check_a_reader_is_given_can_cross_to_a_child_process(roster):
    """read_sources(known_unit=Matcher.knows) may run in a child process: the bound method pickles."""
    import pickle

    from iga_data.matching import Matcher

    knows = pickle.loads(pickle.dumps(Matcher(roster, CITY, [Alias("Tim Dinkes", "Dinas Kesehatan")]).knows))
    assert knows("Dinkes") and knows("Tim Dinkes") and not knows("Sheet1")


def test_a_sheet_named_after_a_unit_is_read_through_the_guarded_reader(roster):
    """The upload path reads in a child process (guard.py): the roster check travels with the request."""
    from iga_data import guard
    from iga_data.matching import Matcher

    data = xlsx({"Dinkes": [["No", "Nama Inovasi", "Skor"], [1, "Sehat Jiwa", 80]]})
    load = guard.read_sources([source("per_unit.xlsx", data)], known_unit=Matcher(roster, CITY).knows)
    assert load.rows["unit"].tolist() == ["Dinkes"]


def test_the_kept_summaries_follow_the_aliases():
    """Each upload's summary is kept per analysis key (uploads.py): an alias is part of that key, and no alias
    leaves the key as it was."""
    from iga_data import uploads
    from iga_data.settings import default_settings

    settings = default_settings()
    assert uploads.analysis_key(settings, fingerprint(())) == uploads.analysis_key(settings)
    assert uploads.analysis_key(settings, fingerprint([Alias("Dinsos Kota", "Dinas Sosial")])) != uploads.analysis_key(
        settings
    )
