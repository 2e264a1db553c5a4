"""What leaders read first: the four answers, the target in reach, the decision on Simulasi, pembina."""

import datetime as dt

import pandas as pd
import pytest
from builders import source, xlsx

from iga_data import simulation, tables, wording
from iga_data.pipeline import analyse
from iga_data.readiness import by_pembina
from iga_data.reading import read_sources
from iga_data.roster import read_roster
from iga_data.settings import default_settings
from iga_data.timeline import pace, progress_frame

SETTINGS = default_settings().replace(
    rule_year=2024,
    spd=45,
    spd_low=40,
    spd_high=50,
    target_iid=60,
    threshold=70,
    required_per_unit=2,
    deadline=dt.date(2024, 7, 15),
)
ROSTER = [
    ["Nama Unit", "Jenis Unit", "Kecamatan", "Pembina"],
    ["Dinas Sosial", "OPD", None, None],
    ["Dinas Kesehatan", "OPD", None, None],
    ["Kelurahan Bajak", "Kelurahan", "Teluk Segara", None],
    ["Kelurahan Berkas", "Kelurahan", "Teluk Segara", None],
    ["SD Negeri 1", "SD", None, "Korwil Pendidikan Selatan"],
]


@pytest.fixture(scope="module")
def analysis():
    roster = read_roster(source("r.xlsx", xlsx({"R": ROSTER})), SETTINGS.city)
    export = xlsx(
        {
            "Data": [
                ["Perangkat Daerah", "Nama Inovasi", "Skor", "Urusan"],
                ["Dinas Sosial", "Sedekah Beras", 90, "Sosial"],
                ["Dinas Sosial", "Dapur Umum", 80, "Sosial"],
                ["Dinas Kesehatan", "Posyandu", 62, "Kesehatan"],
                ["Kel. Bajak", "Bank Sampah", 75, "Sosial"],
            ]
        }
    )
    return analyse(read_sources([source("e.xlsx", export)]), roster, SETTINGS)


def test_each_unit_has_its_pembina_from_the_roster_or_its_types_default(analysis):
    pembina = dict(zip(analysis.units["unit_name"], analysis.units["pembina"]))
    assert pembina == {
        "Dinas Sosial": "Sekretariat Daerah",
        "Dinas Kesehatan": "Sekretariat Daerah",
        "Kelurahan Bajak": "Kecamatan Teluk Segara",
        "Kelurahan Berkas": "Kecamatan Teluk Segara",
        "SD Negeri 1": "Korwil Pendidikan Selatan",
    }


def test_per_pembina_the_lagging_units_worst_first(analysis):
    table = tables.pembina_table(analysis.units)
    assert table["Pembina"].tolist() == ["Kecamatan Teluk Segara", "Korwil Pendidikan Selatan", "Sekretariat Daerah"]
    teluk = table.iloc[0]
    assert (teluk["Unit"], teluk["Belum siap"], teluk["Belum mengunggah"]) == (2, 2, 1)
    assert teluk["Unit belum siap"] == "Kelurahan Berkas, Kelurahan Bajak"  # nothing uploaded first
    setda = table.iloc[2]
    assert setda["Siap"] == "1 (50%)" and setda["Unit belum siap"] == "Dinas Kesehatan"
    assert by_pembina(analysis.units)["lagging"].sum() == (analysis.units["status"] != "ready").sum()


def test_per_pembina_cards_say_the_same_as_the_table_on_a_phone(analysis):
    cards = tables.pembina_cards(analysis.units)
    table = tables.pembina_table(analysis.units)
    assert [c["name"] for c in cards] == table["Pembina"].tolist()
    teluk = cards[0]
    assert teluk["pembina"] == "2 unit · 2 belum siap, 1 belum mengunggah"
    assert (teluk["status"], teluk["tone"]) == ("siap 0 (0%)", "bad")
    assert teluk["action"] == "Kelurahan Berkas, Kelurahan Bajak"
    assert (cards[2]["status"], cards[2]["tone"]) == ("siap 1 (50%)", "warn")
    assert tables.pembina_cards(analysis.units, shown=1)[0]["action"] == "Kelurahan Berkas … dan 1 lainnya"


def test_unit_cards_carry_the_action_and_never_lose_a_unit(analysis):
    cards = tables.unit_cards(analysis, analysis.units)
    assert len(cards) == len(analysis.units)
    by_name = {c["name"]: c for c in cards}
    assert by_name["Dinas Kesehatan"]["action"] == (
        "unggah 1 inovasi lagi dengan skor ≥ 70 dan naikkan skor 'Posyandu' dari 62 ke 70 sebelum 15 Juli"
    )
    assert by_name["Dinas Sosial"]["action"] == "sudah siap" and by_name["Dinas Sosial"]["tone"] == "good"
    assert (
        wording.unit_action(analysis, "Dinas Kesehatan")
        == f"Yang masih diperlukan: {by_name['Dinas Kesehatan']['action']}."
    )
    assert wording.unit_action(analysis, "Dinas Sosial") == "Unit ini sudah siap."
    assert cards[0]["status"] == "Belum mengunggah"


def test_the_four_answers_come_from_the_engine(analysis):
    progress = progress_frame(
        [(1, dt.datetime(2024, 7, 9, 16), 0, 2, 5, 3), (2, dt.datetime(2024, 7, 10, 16), 1, 3, 5, 4)]
    )
    p = pace(progress, SETTINGS.deadline)
    sim = simulation.simulate(analysis, SETTINGS, 70)
    when, ready, on_pace, index = wording.answers(
        analysis.summary, dt.datetime(2024, 7, 10, 16), SETTINGS, p, sim, progress.iloc[0]
    )
    assert (when.value, when.note) == ("10 Juli 2024 16.00", "5 hari lagi ke tenggat 15 Juli")
    assert ready.value == "1 dari 5 (20%)" and ready.note.startswith("+1 sejak 09/07")
    assert on_pace.value == wording.PACE_HEADLINES[p.verdict] and "2 belum mengunggah" in on_pace.note
    assert index.value.startswith(f"{sim.current.iid:.2f}".replace(".", ",")) and "ditetapkan sendiri" in index.note
    late = wording.answers(analysis.summary, dt.datetime(2026, 12, 1, 9), SETTINGS, p, sim)[0]
    assert late.note == "tenggat 15 Juli sudah lewat 869 hari"


def test_the_iid_estimate_says_what_it_rests_on(analysis):
    sim = simulation.simulate(analysis, SETTINGS, 70)
    text = wording.iid_estimate(sim, SETTINGS.spd)
    assert text.startswith("Perkiraan IID") and "bila SPD 40–50" in text and "SPD diasumsikan 45" in text


def test_is_the_target_rank_within_reach_in_one_sentence(analysis):
    sim = simulation.simulate(analysis, SETTINGS.replace(target_iid=1), 70)
    assert wording.target_reach(sim, SETTINGS).startswith("5 besar: dalam jangkauan")
    far = simulation.simulate(analysis, SETTINGS.replace(target_iid=99), 70)
    text = wording.target_reach(far, SETTINGS.replace(target_iid=99))
    assert text.startswith("5 besar: belum terjangkau") and "ditetapkan sendiri" in text
    near = simulation.simulate(analysis, SETTINGS.replace(target_iid=far.local_rule.projection.iid - 0.01), 70)
    assert "terjangkau bila langkah" in wording.target_reach(near, SETTINGS)


def test_the_decision_sets_the_citys_rule_against_the_highest_iid(analysis):
    sim = simulation.simulate(analysis, SETTINGS, 70)
    rule, best = wording.decision(sim, SETTINGS)
    assert rule.title == "Aturan kota: setiap unit 2 inovasi ≥ 70" and best.title == "IID tertinggi"
    assert rule.iid == f"{sim.local_rule.projection.iid:.2f}".replace(".", ",")
    assert f"unggah {sim.additions} inovasi baru" in rule.takes
    assert sim.highest.projection.iid >= sim.local_rule.projection.iid


def test_count_cap_sentences_use_the_rule_years_figures(analysis):
    sim = simulation.simulate(analysis, SETTINGS, 70)
    text = wording.count_cap_sentences(sim.rules)
    assert "200 inovasi" in text and "0,38" in text and "rata-rata skor kematangan" in text


def test_seasons_typed_in_the_table_come_back_under_engine_names():
    shown = tables.seasons_editor(
        pd.DataFrame(
            {"tahun": [2022], "jumlah_inovasi": [202], "hasil": ["10 besar"], "peringkat": [pd.NA], "catatan": [""]}
        ).astype({"peringkat": "Int64"})
    )
    assert list(shown.columns) == ["Tahun", "Jumlah inovasi", "Hasil", "Peringkat nasional", "Catatan"]
    assert shown.iloc[0].tolist() == ["2022", "202", "10 besar", "", ""]
    assert list(tables.seasons_from_editor(shown).columns) == [
        "tahun",
        "jumlah_inovasi",
        "hasil",
        "peringkat",
        "catatan",
    ]
