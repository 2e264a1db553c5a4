"""Every page renders on the sample data, and the figures it shows are the engine's."""

import pytest

from conftest import engine_view, open_page
from iga_data import fmt, reports, simulation, tables
from iga_data.ingest import settings_in_force
from iga_data.storage import Store

PAGES = ["pages/ringkasan.py", "pages/kesiapan.py", "pages/inovasi.py", "pages/tren.py", "pages/simulasi.py",
         "pages/unggah.py", "pages/pengaturan.py", "pages/siapkan.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception_or_error(data_dir, page):
    at = open_page(page)
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"


@pytest.mark.parametrize("page", PAGES[:5])
def test_without_data_the_pages_say_what_to_do(empty_dir, page):
    at = open_page(page)
    assert any("Belum ada data — unggah ekspor di halaman Unggah Data" in i.value for i in at.info)


def test_sidebar_names_the_data_and_the_rules(data_dir):
    at = open_page()
    text = " ".join(m.value for m in at.sidebar.markdown)
    assert "Data per 10 Juli 2024 16.00" in text
    assert "ekspor_inovasi_2024-07-10.xlsx" in text
    assert "daftar_unit_kota_bengkulu.xlsx" in text
    assert "skor minimal 70" in text and "2 inovasi per unit" in text and "tenggat 15 Juli 2024" in text


def test_ringkasan_metrics_are_the_engines(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/ringkasan.py")
    shown = {m.label: (m.value) for m in at.metric}
    summary = analysis.summary
    assert shown["Inovasi diunggah"] == fmt.num(summary["innovations"]) == "356"
    assert shown["Unit siap"] == f"{summary['units']['ready']} / {summary['units']['expected']}"
    assert shown["Belum mengunggah"] == f'{summary["units"]["none"]} unit'
    assert shown["Inovasi di bawah 70"] == fmt.num(summary["below_threshold"])
    assert shown["Menuju tenggat"] == "5 hari lagi"
    expected = simulation.simulate(analysis, settings, settings.threshold).current.iid
    assert shown["IID dari data sekarang"] == fmt.num(expected, 2)
    assert reports.situation_line(summary) in [m.value for m in at.markdown][0]


def test_ringkasan_shows_the_change_since_the_previous_snapshot(data_dir):
    at = open_page("pages/ringkasan.py")
    ready = next(m for m in at.metric if m.label == "Unit siap")
    store = Store(data_dir / "iga.db")
    before, now = store.snapshots()[1], store.snapshots()[0]
    assert ready.proto.delta == f"+{now.units_ready - before.units_ready} sejak 09/07"


def test_kesiapan_table_and_follow_up_download(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/kesiapan.py")
    summary_table = at.dataframe[0].value
    expected = tables.type_summary(analysis.units)
    assert summary_table["Siap"].tolist() == expected["Siap"].tolist()
    units_table = at.dataframe[1].value
    assert len(units_table) == len(analysis.units) == 243
    assert "(127 unit, .xlsx)" in at.download_button[0].label  # 243 expected, 116 ready on 10 July


def test_kesiapan_filters_by_status_and_name(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/kesiapan.py")
    at.button_group[1].set_value(["none"]).run()
    shown = at.dataframe[1].value
    assert len(shown) == int((analysis.units["status"] == "none").sum())
    assert set(shown["Status"]) == {"Belum mengunggah"}
    at.text_input(key="f_query").input("pasar jitra").run()
    at.button_group[1].set_value([]).run()
    assert at.dataframe[1].value["Unit"].tolist() == ["Kelurahan Pasar Jitra"]


def test_inovasi_lists_every_innovation_and_the_operator_lists(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/inovasi.py")
    frames = {tuple(df.value.columns): df.value for df in at.dataframe}
    flagship = next(v for k, v in frames.items() if "Unggulan" in k)
    assert set(flagship["Unggulan"]) == {"SLAWE", "Gerakan Sedekah 2 Ribu"}
    assert "memenuhi" in flagship["Status"].tolist()
    listing = next(v for k, v in frames.items() if "Digital / non digital" in k)
    assert len(listing) == analysis.summary["innovations"]
    unmatched = next(v for k, v in frames.items() if "Nama tertulis" in k)
    assert unmatched["Nama tertulis"].tolist() == analysis.summary["unmatched_units"]
    skipped = next(v for k, v in frames.items() if "Alasan" in k)
    assert len(skipped) == analysis.summary["skipped_rows"] == 3


def test_tren_shows_history_and_this_season(data_dir):
    at = open_page("pages/tren.py")
    history = at.dataframe[0].value
    assert history["Tahun"].tolist() == ["2022", "2023", "2024"]
    assert history["Jumlah inovasi"].tolist() == ["202", "221", "356"]
    assert any("Kota Sangat Inovatif" in h for h in history["Hasil"])


def test_simulasi_figures_are_the_engines(data_dir):
    info, settings, analysis = engine_view(data_dir)
    at = open_page("pages/simulasi.py")
    sim = simulation.simulate(analysis, settings, settings.threshold)
    shown = {m.label: m.value for m in at.metric}
    assert shown["IID dari data sekarang"] == fmt.num(sim.current.iid, 2)
    assert shown["Predikat"] == sim.current.predikat
    levers = at.dataframe[0].value
    assert levers["IID"].tolist() == [fmt.num(s.projection.iid, 2) for s in sim.scenarios]
    at.slider(key="added_score").set_value(100).run()
    sim100 = simulation.simulate(analysis, settings, 100)
    assert at.dataframe[0].value["IID"].tolist() == [fmt.num(s.projection.iid, 2) for s in sim100.scenarios]


def test_pengaturan_change_recomputes_every_page(data_dir):
    at = open_page("pages/pengaturan.py")
    at.text_input[0].set_value("60")
    at.number_input[0].set_value(1)
    at.button[0].click().run()
    assert not at.exception
    assert any("Pengaturan disimpan" in s.value for s in at.success)
    assert settings_in_force(Store(data_dir / "iga.db")).threshold == 60
    at.switch_page("pages/ringkasan.py").run()
    labels = [m.label for m in at.metric]
    assert "Inovasi di bawah 60" in labels
    info, settings, analysis = engine_view(data_dir)
    ready = next(m.value for m in at.metric if m.label == "Unit siap")
    assert ready == f"{analysis.summary['units']['ready']} / 243"
    assert analysis.summary["units"]["ready"] > info.units_ready  # 1 innovation >= 60 is easier than 2 >= 70


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


@pytest.mark.parametrize("field, text, message", [(0, "tujuh puluh", "Skor minimal harus berupa angka"),
                                                  (0, "150", "ambang skor"),
                                                  (3, "  ", "Nama Pemda")])
def test_pengaturan_rejects_nonsense_and_keeps_the_old_settings(data_dir, field, text, message):
    at = open_page("pages/pengaturan.py")
    at.text_input[field].set_value(text)
    at.button[0].click().run()
    assert any(message in e.value for e in at.error)
    assert Store(data_dir / "iga.db").settings_overrides() == {}


def test_choosing_an_older_snapshot_shows_its_figures_and_its_own_progress(data_dir):
    at = open_page().run()  # a second run settles the page AppTest reports (pages/ starts it in legacy mode)
    older = Store(data_dir / "iga.db").snapshots()[1]  # 9 July
    at.selectbox(key="snapshot_id").set_value(older.id).run()
    shown = {m.label: m for m in at.metric}
    assert shown["Unit siap"].value == f"{older.units_ready} / {older.units_expected}"
    assert shown["Menuju tenggat"].value == "6 hari lagi"
    assert shown["Unit siap"].proto.delta.endswith("sejak 08/07")
    pace = " ".join(x.value for x in [*at.success, *at.warning])
    assert "unit/hari" in pace
    progress_chart = next(c for c in at.get("plotly_chart") if '"Unit siap"' in c.proto.spec)
    assert "2024-07-10" not in progress_chart.proto.spec  # nothing after the snapshot in view


def test_a_broken_history_file_gives_a_message_not_a_crash(data_dir, tmp_path, monkeypatch):
    broken = tmp_path / "riwayat.csv"
    broken.write_text("tahun,jumlah_inovasi\n2023,dua ratus\n", encoding="utf-8")
    monkeypatch.setattr("iga_data.history.HISTORY_FILE", broken)
    for page in ("pages/tren.py", "pages/ringkasan.py"):
        at = open_page(page)
        assert any("riwayat.csv baris 2: kolom jumlah_inovasi harus berupa angka" in w.value for w in at.warning)
        assert at.metric or at.dataframe  # the rest of the page is still there


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_where_the_figures_come_from(data_dir, page):
    at = open_page(page)
    assert "Data per 10 Juli 2024 16.00" in " ".join(m.value for m in at.sidebar.markdown)
