"""Every page renders on the sample data, and the figures it shows are the engine's."""

import html

import pytest
import sample_truth
from builders import OPERATOR
from conftest import PAGES, engine_view, open_page, shown

from iga_data import fmt, simulation, tables, wording
from iga_data.ingest import settings_in_force
from iga_data.storage import Store

pytestmark = pytest.mark.app

LEADER_PAGES = ["pages/ringkasan.py", "pages/kesiapan.py", "pages/inovasi.py", "pages/tren.py", "pages/simulasi.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception_or_error(data_dir, page):
    at = open_page(page)
    assert not at.error, [shown(e) for e in at.error]
    assert at.title, "every page has a title"


@pytest.mark.parametrize("page", LEADER_PAGES)
def test_without_data_the_pages_say_what_to_do(empty_dir, page):
    at = open_page(page)
    assert any("Belum ada data — unggah ekspor di halaman Unggah Data" in i.value for i in at.info)


def test_sidebar_names_the_data_and_the_rules(data_dir):
    at = open_page()
    text = " ".join(shown(m) for m in at.sidebar.markdown)
    assert "Data per 10 Juli 2024 16.00" in text
    assert "ekspor_inovasi_2024-07-10.xlsx" in text
    assert "daftar_unit_kota_bengkulu.xlsx" in text
    assert "skor minimal 70" in text and "2 inovasi per unit" in text and "tenggat 15 Juli 2024" in text


def html_of(at) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_ringkasan_answers_the_four_questions_first_with_the_engines_figures(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/ringkasan.py")
    sim = simulation.simulate(analysis, settings, settings.threshold)
    tiles = html_of(at)
    assert "Data per" in tiles and "10 Juli 2024 16.00" in tiles and "5 hari lagi" in tiles
    truth = sample_truth.counts(10)
    assert f"{truth['ready']} dari {truth['expected']} ({fmt.pct(truth['ready'], truth['expected'], 0)})" in tiles
    assert f"{fmt.num(sim.current.iid, 2)} (" in tiles and "ditetapkan sendiri" in tiles
    assert any(h in tiles for h in wording.PACE_HEADLINES.values())
    metrics = {m.label: m.value for m in at.metric}
    summary = analysis.summary.to_json()
    assert metrics["Inovasi diunggah"] == fmt.num(summary["innovations"]) == fmt.num(truth["innovations"])
    assert metrics["Unit siap"] == f"{summary['units']['ready']} / {summary['units']['expected']}"
    assert metrics["Belum mengunggah"] == f"{summary['units']['none']} unit"
    assert metrics["Inovasi di bawah 70"] == fmt.num(summary["below_threshold"])
    assert metrics["Menuju tenggat"] == "5 hari lagi"
    text = " ".join(m.value for m in at.markdown)
    assert wording.situation_line(analysis.summary) in text and wording.target_reach(sim, settings) in text
    assert wording.iid_estimate(sim, settings.spd) in text


def test_ringkasan_lists_each_pembinas_lagging_units(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/ringkasan.py")
    table = next(d.value for d in at.dataframe if "Pembina" in d.value.columns)
    expected = tables.pembina_table(analysis.units)
    assert table["Pembina"].tolist() == expected["Pembina"].tolist()
    kesehatan = table[table["Pembina"] == "Dinas Kesehatan"].iloc[0]
    truth = sample_truth.units(10)
    puskesmas = {n for n, u in truth.items() if u["type"] == "Puskesmas"}
    lagging = {n for n in puskesmas if not truth[n]["ready"]}
    assert kesehatan["Unit"] == len(puskesmas) and kesehatan["Belum siap"] == len(lagging)
    assert set(kesehatan["Unit belum siap"].split(", ")) == lagging


def test_ringkasan_shows_the_change_since_the_previous_snapshot(data_dir):
    at = open_page("pages/ringkasan.py")
    ready = next(m for m in at.metric if m.label == "Unit siap")
    store = Store(data_dir / "iga.db")
    before, now = store.snapshots()[1], store.snapshots()[0]
    assert ready.proto.delta == f"+{now.units_ready - before.units_ready} sejak 09/07"


def test_kesiapan_lists_every_unit_with_its_action_and_offers_the_follow_up(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/kesiapan.py")
    cards = html_of(at)
    truth = sample_truth.counts(10)
    assert cards.count('class="iga-unit"') == truth["expected"]
    actions = wording.unit_actions(analysis)
    first_lagging = actions[analysis.units["status"] == "none"].iloc[0]
    assert html.escape(first_lagging) in cards and "sebelum 15 Juli" in first_lagging
    units_table = at.dataframe[0].value
    assert len(units_table) == len(analysis.units) == truth["expected"]
    summary_table = at.dataframe[1].value
    assert summary_table["Siap"].tolist() == tables.type_summary(analysis.units)["Siap"].tolist()
    assert f"({truth['expected'] - truth['ready']} unit, .xlsx)" in at.download_button[0].label


def test_kesiapan_filters_by_status_pembina_and_name(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/kesiapan.py")
    at.button_group[1].set_value(["none"]).run()
    shown = at.dataframe[0].value
    assert len(shown) == int((analysis.units["status"] == "none").sum())
    assert set(shown["Status"]) == {"Belum mengunggah"}
    at.button_group[1].set_value([]).run()
    at.selectbox(key="f_pembina").set_value("Kecamatan Teluk Segara").run()
    kelurahan = {n for n, u in sample_truth.units(10).items() if u["type"] == "Kelurahan"}
    teluk_segara = {f"Kelurahan {k}" for k in sample_truth.generator.KECAMATAN["Teluk Segara"]}
    assert set(at.dataframe[0].value["Unit"]) == teluk_segara and teluk_segara <= kelurahan
    at.selectbox(key="f_pembina").set_value(None).run()
    at.text_input(key="f_query").input("pasar jitra").run()
    assert at.dataframe[0].value["Unit"].tolist() == ["Kelurahan Pasar Jitra"]


def test_inovasi_lists_every_innovation_and_the_operator_lists(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/inovasi.py")
    frames = {tuple(df.value.columns): df.value for df in at.dataframe}
    flagship = next(v for k, v in frames.items() if "Unggulan" in k)
    assert set(flagship["Unggulan"]) == {"SLAWE", "Gerakan Sedekah 2 Ribu"}
    assert "memenuhi" in flagship["Status"].tolist()
    listing = next(v for k, v in frames.items() if "Digital / non digital" in k)
    assert len(listing) == analysis.summary.to_json()["innovations"]
    unmatched = next(v for k, v in frames.items() if "Nama tertulis" in k)
    assert unmatched["Nama tertulis"].tolist() == analysis.summary.to_json()["unmatched_units"]
    skipped = next(v for k, v in frames.items() if "Alasan" in k)
    assert len(skipped) == analysis.summary.to_json()["skipped_rows"] == 3


def test_tren_shows_history_and_this_season(data_dir):
    at = open_page("pages/tren.py")
    history = at.dataframe[0].value
    assert history["Tahun"].tolist() == ["2022", "2023", "2024"]
    assert history["Jumlah inovasi"].tolist() == ["202", "221", fmt.num(sample_truth.counts(10)["innovations"])]
    assert any("Kota Sangat Inovatif" in h for h in history["Hasil"])


def test_simulasi_opens_with_the_count_cap_and_the_decision_in_the_engines_figures(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/simulasi.py")
    sim = simulation.simulate(analysis, settings, settings.threshold)
    assert at.info[0].value == wording.count_cap_sentences(sim.rules)
    rule, best = wording.decision(sim, settings)
    assert [m.value for m in at.metric] == [rule.iid, best.iid]
    levers = at.dataframe[0].value
    assert levers["IID"].tolist() == [fmt.num(s.projection.iid, 2) for s in sim.scenarios]
    at.slider(key="added_score").set_value(100).run()
    sim100 = simulation.simulate(analysis, settings, 100)
    assert at.dataframe[0].value["IID"].tolist() == [fmt.num(s.projection.iid, 2) for s in sim100.scenarios]
    assert [m.value for m in at.metric] == [o.iid for o in wording.decision(sim100, settings)]


def test_pengaturan_change_recomputes_every_page(data_dir):
    at = open_page("pages/pengaturan.py")
    at.text_input[0].set_value("60")
    at.number_input[0].set_value(1)
    at.button[0].click().run()
    assert not at.exception
    assert any("Pengaturan disimpan" in shown(s) for s in at.success)
    assert settings_in_force(Store(data_dir / "iga.db")).threshold == 60
    at.switch_page("pages/ringkasan.py").run()
    labels = [m.label for m in at.metric]
    assert "Inovasi di bawah 60" in labels
    info, settings, analysis = engine_view(data_dir)
    ready = next(m.value for m in at.metric if m.label == "Unit siap")
    truth = sample_truth.counts(10, threshold=60, required=1)
    assert ready == f"{truth['ready']} / {truth['expected']}" == f"{analysis.summary.units.ready} / 243"


def test_pengaturan_saves_the_flagship_list_one_per_line(data_dir):
    at = open_page("pages/pengaturan.py")
    at.text_area[0].set_value("SLAWE\n\nInovasi Baru")
    at.button[0].click().run()
    assert settings_in_force(Store(data_dir / "iga.db")).flagship == ("SLAWE", "Inovasi Baru")


def test_pengaturan_takes_a_decimal_comma(data_dir):
    at = open_page("pages/pengaturan.py")
    at.text_input[0].set_value("72,5")
    at.button[0].click().run()
    assert settings_in_force(Store(data_dir / "iga.db")).threshold == 72.5
    assert at.text_input[0].value == "72,5"


@pytest.mark.parametrize(
    "field, text, message",
    [
        (0, "tujuh puluh", "Harus berupa angka, mis. 72,5: Skor minimal"),
        (0, "150", "ambang skor"),
        (5, "  ", "Nama Pemda"),
        (3, "50", "rentang SPD"),
    ],
)
def test_pengaturan_rejects_nonsense_and_keeps_the_old_settings(data_dir, field, text, message):
    at = open_page("pages/pengaturan.py")
    at.text_input[field].set_value(text)
    at.button[0].click().run()
    assert any(message in shown(e) for e in at.error)
    assert Store(data_dir / "iga.db").settings_overrides() == {}


def test_choosing_an_older_snapshot_shows_its_figures_and_its_own_progress(data_dir):
    at = open_page().run()  # a second run settles the page AppTest reports (pages/ starts it in legacy mode)
    older = Store(data_dir / "iga.db").snapshots()[1]  # 9 July
    at.selectbox(key="snapshot_id").set_value(older.id).run()
    metrics = {m.label: m for m in at.metric}
    assert metrics["Unit siap"].value == f"{older.units_ready} / {older.units_expected}"
    assert metrics["Menuju tenggat"].value == "6 hari lagi"
    assert metrics["Unit siap"].proto.delta.endswith("sejak 08/07")
    pace = " ".join(shown(x) for x in [*at.success, *at.warning, *at.error])
    assert "unit/hari" in pace
    progress_chart = next(c for c in at.get("plotly_chart") if '"Unit siap"' in c.proto.spec)
    assert "2024-07-10" not in progress_chart.proto.spec  # nothing after the snapshot in view


def test_past_seasons_are_edited_on_pengaturan_and_shown_on_tren(data_dir):
    at = open_page("pages/pengaturan.py")
    editor = next(d for d in at.dataframe if "Jumlah inovasi" in d.value.columns)
    assert editor.value["Tahun"].tolist() == ["2022", "2023"]
    store = Store(data_dir / "iga.db")
    assert [r[:2] for r in store.seasons()] == [(2022, 202), (2023, 221)]
    store.save_seasons([*store.seasons(), (2021, 150, "", None, "")], OPERATOR)
    at = open_page("pages/tren.py")
    assert at.dataframe[0].value["Tahun"].tolist()[:3] == ["2021", "2022", "2023"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_where_the_figures_come_from(data_dir, page):
    at = open_page(page)
    assert "Data per 10 Juli 2024 16.00" in " ".join(shown(m) for m in at.sidebar.markdown)
