import pytest
from builders import source, xlsx

from iga_data import fmt, simulation, tables, wording
from iga_data.pipeline import analyse
from iga_data.reading import read_sources
from iga_data.roster import read_roster
from iga_data.rules import load_rules
from iga_data.scoring import project
from iga_data.settings import default_settings

SETTINGS = default_settings().replace(rule_year=2024, spd=45, target_iid=60, threshold=70, required_per_unit=2)


def build(rows, roster_rows, settings=SETTINGS):
    roster = read_roster(source("r.xlsx", xlsx({"R": [["Nama Unit", "Jenis Unit"], *roster_rows]})), settings.city)
    export = xlsx({"Data": [["Perangkat Daerah", "Nama Inovasi", "Skor", "Urusan"], *rows]})
    return analyse(read_sources([source("e.xlsx", export)]), roster, settings)


@pytest.fixture(scope="module")
def small():
    # Twelve strong innovations, one unit with a 75 that the index would rather leave out,
    # one SD with nothing yet.
    rows = [[f"Dinas {i}", f"Inovasi {i}", 100, "Sosial"] for i in range(12)]
    rows += [["Dinas Sosial", "Sedekah Beras", 100, "Sosial"], ["Dinas Sosial", "Dapur Umum", 75, "Sosial"]]
    roster = [[f"Dinas {i}", "OPD"] for i in range(12)] + [["Dinas Sosial", "OPD"], ["SD Negeri 3", "SD"]]
    return build(rows, roster)


def test_today_is_the_plain_projection_of_every_distinct_innovation(small):
    sim = simulation.simulate(small, SETTINGS, 70)
    scores, urusan = simulation.entries(small)
    assert sim.current == project(scores, urusan, 45, load_rules(2024))
    assert sim.current.n == 14


def test_levers(small):
    sim = simulation.simulate(small, SETTINGS, 80)
    by_key = {s.key: s.projection for s in sim.scenarios}
    assert [s.key for s in sim.scenarios] == ["now", "raise", "add", "both", "best", "both_best"]
    assert by_key["raise"].iid == by_key["now"].iid  # nothing under 70 to raise
    missing = int(small.units["missing"].sum())
    assert missing == 12 + 2  # twelve OPD with one innovation each, the SD with none
    assert by_key["add"].n == 14 + missing
    assert by_key["best"].iid >= by_key["now"].iid
    assert by_key["both_best"].iid >= by_key["both"].iid


def test_added_innovations_get_the_urusan_of_their_unit_type(small):
    additions = [(score, urusan) for score, urusan, _ in simulation.missing_additions(small, 80)]
    assert additions.count((80, "Pendidikan")) == 2  # SD Negeri 3 needs two, education
    assert additions.count((80, "")) == 12


def test_leaving_out_an_innovation_can_break_the_local_rule_and_is_flagged(small):
    sim = simulation.simulate(small, SETTINGS, 70)
    table = tables.left_out_table(small, sim.portfolio)
    assert table["Inovasi"].tolist() == ["Dapur Umum"]
    assert table["Aturan lokal"].tolist() == ["unit tidak lagi punya 2 inovasi ≥ 70"]
    assert sim.portfolio.projection.iid > sim.current.iid
    assert sim.broken_units == 1  # the same unit, counted for the decision on Simulasi


def test_broken_units_counts_units_that_drop_below_the_quota():
    units = ["a", "a", "b", "b", "c"]
    scores = [80.0, 75.0, 90.0, 60.0, 95.0]
    assert simulation.broken_units(units, scores, [0, 2, 3, 4], 70, 2) == 1  # a keeps one of its two
    assert simulation.broken_units(units, scores, [0, 1, 2], 70, 2) == 0  # b was never ready


def test_the_iid_comes_with_its_range_over_the_plausible_spd(small):
    sim = simulation.simulate(small, SETTINGS.replace(spd=45, spd_low=40, spd_high=50), 70)
    low, high = sim.iid_range
    assert low < sim.current.iid < high
    assert high - low == pytest.approx(10 / sim.rules.total_max * 100)  # SPD adds linearly


def test_target_gap_and_the_lever_that_closes_it(small):
    sim = simulation.simulate(small, SETTINGS.replace(target_iid=100), 70)
    assert sim.gap == pytest.approx(100 - sim.current.iid)
    assert sim.closing() is None
    reachable = simulation.simulate(small, SETTINGS.replace(target_iid=sim.portfolio.projection.iid), 70)
    assert reachable.closing().key == "best"
    assert simulation.simulate(small, SETTINGS.replace(target_iid=1), 70).gap == 0


def test_urusan_wajib_effect_under_a_stricter_later_year(small):
    text = wording.urusan_effect(simulation.urusan_effect(small, SETTINGS))
    assert text.startswith("Tercakup 1 dari 6 urusan wajib")
    assert "Aturan 2024 tidak mensyaratkan" in text
    p2026 = project(*simulation.entries(small), 45, load_rules(2026))
    assert f"aturan 2026 (minimal 5) skor jumlah inovasi akan 0 dan IID turun menjadi {fmt.num(p2026.iid, 2)}" in text
    strict = wording.urusan_effect(simulation.urusan_effect(small, SETTINGS.replace(rule_year=2026)))
    assert "tidak terpenuhi, sehingga skor jumlah inovasi menjadi 0" in strict


def test_without_an_urusan_column_the_coverage_is_said_to_be_unknown():
    roster = [["Dinas A", "OPD"]]
    bare = analyse(
        read_sources(
            [source("e.xlsx", xlsx({"Data": [["Perangkat Daerah", "Nama Inovasi", "Skor"], ["Dinas A", "Satu", 80]]}))]
        ),
        read_roster(source("r.xlsx", xlsx({"R": [["Nama Unit", "Jenis Unit"], *roster]})), SETTINGS.city),
        SETTINGS,
    )
    text = wording.urusan_effect(simulation.urusan_effect(bare, SETTINGS))
    assert text.startswith("Urusan inovasi tidak diketahui: berkas tidak punya kolom Urusan")
    partly = build([["Dinas A", "Satu", 80, "Pendidikan"], ["Dinas A", "Dua", 80, ""]], roster)
    assert "(1 inovasi tanpa urusan tidak dihitung.)" in wording.urusan_effect(
        simulation.urusan_effect(partly, SETTINGS)
    )


def test_projection_rows_spell_out_the_computation(small):
    sim = simulation.simulate(small, SETTINGS, 70)
    rows = dict(
        zip(
            tables.projection_rows(sim.current, sim.rules, 45)["Langkah"],
            tables.projection_rows(sim.current, sim.rules, 45)["Nilai"],
        )
    )
    assert rows["Jumlah inovasi (n)"] == "14"
    assert rows["Pembagi MAX(k, n)"] == "14"
    assert rows["IID"] == fmt.num(sim.current.iid, 2)
    assert rows["Predikat"] == sim.current.predikat


def test_scenarios_table_marks_which_reach_the_target(small):
    sim = simulation.simulate(small, SETTINGS.replace(target_iid=sim_iid(small)), 70)
    t = tables.scenarios_table(sim)
    assert t.loc[t["Langkah"] == "Portofolio terbaik (data sekarang)", "Target tercapai"].item() == "ya"
    assert t.loc[t["Langkah"] == "Data sekarang", "Target tercapai"].item() == "belum"


def sim_iid(analysis):
    return simulation.simulate(analysis, SETTINGS, 70).portfolio.projection.iid


def test_verdict_sentence():
    p = project([100.0] * 12, ["Sosial"] * 12, 45, load_rules(2024))
    assert wording.verdict(p, 99).startswith(f"Predikat perkiraan **{p.predikat}**. Kurang **")
    assert "target ditetapkan sendiri" in wording.verdict(p, 99)
    assert "Sudah mencapai target" in wording.verdict(p, 10)
