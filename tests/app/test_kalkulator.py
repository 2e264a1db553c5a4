"""Kalkulator Skor and the plans on Kesiapan Unit, Inovasi and Unggah Data agree with the engine."""

import datetime as dt

import pytest
from builders import OPERATOR, source, xlsx
from conftest import engine_view, open_page

from iga_data import fmt, ingest, plan_text
from iga_data.ingest import settings_in_force
from iga_data.plan import make_plan, plans_for
from iga_data.rules import load_rules
from iga_data.storage import Store

PAGE = "pages/kalkulator.py"


def metrics(at):
    return {m.label: m.value for m in at.metric}


def steps_shown(at):
    return [m.value for m in at.main.markdown if m.value.startswith("1. ")]


@pytest.fixture
def with_levels(empty_dir):
    """A snapshot whose export carries indicator levels for one innovation."""
    store = Store(empty_dir / "iga.db")
    export = xlsx(
        {
            "Data": [
                ["Nama Unit", "Nama Inovasi", "Skor", "16", "17", "35"],
                ["Dinas Sosial", "Dapur Umum", None, 1, 2, 2],
                ["Dinas Sosial", "Sedekah Beras", 62, None, None, None],
            ]
        }
    )
    settings = settings_in_force(store)
    ingest.save(
        store,
        ingest.prepare(store, [source("ekspor.xlsx", export)], None, settings),
        dt.datetime(2024, 7, 10, 16),
        "uji",
        OPERATOR,
    )
    return empty_dir


def test_blank_start_follows_the_levels_chosen(data_dir):
    info, settings, analysis = engine_view(data_dir)
    rules = load_rules(settings.rule_year)
    at = open_page(PAGE)
    assert metrics(at) == {"Skor kematangan": "0", "Skor minimal": "70", "Kurang dari 70": "70"}
    assert at.warning[0].value == plan_text.mandatory_warning(make_plan({}, rules, settings.threshold))
    chosen = {16: 2, 17: 1, 32: 1, 33: 3, 35: 3, 31: 1}
    for number, level in chosen.items():
        at.selectbox(key=f"kal_{number}").set_value(level).run()
    expected = make_plan(chosen, rules, settings.threshold)
    assert metrics(at) == {"Skor kematangan": "34", "Skor minimal": "70", "Kurang dari 70": "36"}
    assert expected.start == 34 and expected.gap == 36
    *lines, outcome = plan_text.plan_lines(expected)
    assert steps_shown(at) == ["\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))]
    assert at.success[0].value == outcome
    assert not at.warning, "no mandatory indicator left at 0"
    assert plan_text.PARAPHRASE_NOTE in [c.value for c in at.caption]


def test_picking_an_uploaded_innovation_loads_its_levels(with_levels):
    info, settings, analysis = engine_view(with_levels)
    at = open_page(PAGE)
    pick = at.selectbox(key="kal_from")
    index = next(i for i, name in analysis.innovations["innovation"].items() if name == "Dapur Umum")
    pick.set_value(index).run()
    assert at.selectbox(key="kal_16").value == 1 and at.selectbox(key="kal_35").value == 2
    expected = plans_for(analysis).set_index("innovation").loc["Dapur Umum", "plan"]
    assert metrics(at)["Skor kematangan"] == "15" == fmt.score(expected.start)
    assert metrics(at)["Kurang dari 70"] == plan_text.gap_text(expected)
    assert at.success[0].value == plan_text.outcome(expected)
    unknown = next(i for i, name in analysis.innovations["innovation"].items() if name == "Sedekah Beras")
    at.selectbox(key="kal_from").set_value(unknown).run()
    assert "belum diketahui" in at.info[0].value
    recorded = analysis.innovations.loc[unknown, "score"]
    assert f"skor tercatat {fmt.score(recorded)} di berkas" in at.info[0].value.replace("\\", "")
    assert metrics(at)["Skor kematangan"] == "0"


def test_the_calculator_works_without_data(empty_dir):
    at = open_page(PAGE)
    assert not at.error and metrics(at)["Skor kematangan"] == "0"
    assert not [s for s in at.selectbox if s.key == "kal_from"]


def test_kesiapan_shows_a_units_plans_and_its_workbook(with_levels):
    info, settings, analysis = engine_view(with_levels)
    at = open_page("pages/kesiapan.py")
    at.selectbox(key="plan_unit").set_value("Dinas Sosial").run()
    text = " ".join(m.value for m in at.markdown)
    items = plan_text.plan_items(plans_for(analysis, ["Dinas Sosial"]))
    assert len(items) == 2 and items[1].outcome == plan_text.NO_LEVELS + "."
    for item in items:  # a numbered list per innovation, readable on a phone
        assert f"**{item.innovation}** · {item.score}" in text
        assert all(f"{i}. {step}" in text.replace("\\", "") for i, step in enumerate(item.steps, 1))
        assert item.outcome.replace("—", "") in text.replace("\\", "").replace("—", "")
    assert any(b.label == "Unduh Lembar Penilaian Mandiri unit ini (.xlsx)" for b in at.download_button)


def test_inovasi_lists_every_plan(with_levels):
    info, settings, analysis = engine_view(with_levels)
    at = open_page("pages/inovasi.py")
    expected = plan_text.plans_table(plans_for(analysis), settings.threshold)
    table = next(d.value for d in at.dataframe if "Jalan ke 70" in d.value.columns)
    assert table.to_dict("list") == expected.to_dict("list")


def test_unggah_offers_the_blank_workbook(data_dir):
    at = open_page("pages/unggah.py")
    assert any(b.label == "Unduh Lembar Penilaian Mandiri kosong (.xlsx)" for b in at.download_button)
