"""Tables, headline figures, the follow-up file and charts: what pages show, from the engine."""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from builders import source, xlsx

from iga_data import charts, exports, tables, wording
from iga_data.pipeline import analyse
from iga_data.reading import read_sources
from iga_data.roster import read_roster
from iga_data.settings import default_settings

ROSTER = [
    ["Nama Unit", "Jenis Unit"],
    ["Dinas Sosial", "OPD"],
    ["Dinas Kesehatan", "OPD"],
    ["Kelurahan Bajak", "Kelurahan"],
    ["SD Negeri 1", "SD"],
]
EXPORT = [
    ["Perangkat Daerah", "Nama Inovasi", "Skor", "Urusan", "Tanggal Input"],
    ["Dinas Sosial", "SLAWE Sosial", 90, "Sosial", "10/07/2024"],
    ["Dinas Sosial", "Dapur Umum", "72,5", "Sosial", "10/07/2024"],
    ["Dinas Kesehatan", "Posyandu", 60, "Kesehatan", None],
    ["SDN 1", "Pojok Baca", None, "Pendidikan Dasar", None],
    ["UPT Parkir", "Parkir Daring", 80, "Perhubungan", None],
]


@pytest.fixture(scope="module")
def analysis():
    settings = default_settings().replace(flagship=["SLAWE", "Gerakan Sedekah 2 Ribu"])
    roster = read_roster(source("r.xlsx", xlsx({"R": ROSTER})), settings.city)
    return analyse(read_sources([source("e.xlsx", xlsx({"Data": EXPORT}))]), roster, settings)


def test_units_table_lagging_first_with_indonesian_scores(analysis):
    t = tables.units_table(analysis, analysis.units)
    assert t["Status"].tolist() == ["Belum mengunggah", "Belum lengkap", "Belum lengkap", "Siap"]
    assert t["Unit"].tolist() == ["Kelurahan Bajak", "Dinas Kesehatan", "SD Negeri 1", "Dinas Sosial"]
    assert t.loc[t["Unit"] == "Dinas Sosial", "Skor terbaik"].item() == "90; 72,5"
    assert (
        t.loc[t["Unit"] == "SD Negeri 1", "Yang masih diperlukan"].item()
        == "unggah 1 inovasi lagi dengan skor ≥ 70 dan minta 'Pojok Baca' dinilai sebelum 15 Juli"
    )


def test_filter_units_by_type_status_and_name(analysis):
    u = analysis.units
    assert tables.filter_units(u, types=["OPD"])["unit_name"].tolist() == ["Dinas Kesehatan", "Dinas Sosial"]
    assert tables.filter_units(u, statuses=["none"])["unit_name"].tolist() == ["Kelurahan Bajak"]
    assert tables.filter_units(u, query="  BAJAK ")["unit_name"].tolist() == ["Kelurahan Bajak"]
    assert tables.filter_units(u, types=["SMP"]).empty


def test_type_summary_counts_every_type_present(analysis):
    t = tables.type_summary(analysis.units)
    assert t["Jenis unit"].tolist() == ["Perangkat Daerah (OPD)", "Kelurahan", "SD Negeri"]
    assert t["Wajib"].tolist() == [2, 1, 1] and t["Siap"].tolist() == [1, 0, 0]
    assert t["% siap"].tolist() == ["50%", "0%", "0%"]


def test_flagship_found_and_missing(analysis):
    t = tables.flagship_table(analysis)
    assert t.to_dict("records") == [
        {"Unggulan": "SLAWE", "Inovasi": "SLAWE Sosial", "Unit": "Dinas Sosial", "Skor": "90", "Status": "memenuhi"},
        {"Unggulan": "Gerakan Sedekah 2 Ribu", "Inovasi": "–", "Unit": "–", "Skor": "–", "Status": "belum diunggah"},
    ]


def test_urusan_counts_cover_the_six_urusan_wajib(analysis):
    counts = tables.urusan_counts(analysis.innovations)
    assert len(counts) == 6
    assert counts["Pendidikan"] == 1 and counts["Kesehatan"] == 1 and counts["Sosial"] == 2
    assert counts["Pekerjaan Umum dan Penataan Ruang"] == 0


def test_urusan_notes_name_the_gaps_and_the_singled_out_urusan(analysis):
    notes = tables.urusan_notes(tables.urusan_counts(analysis.innovations))
    assert notes[0] == (
        "warning",
        "Belum ada inovasi untuk urusan: Pekerjaan Umum dan Penataan Ruang, Perumahan "
        "Rakyat dan Kawasan Permukiman, Ketenteraman, Ketertiban Umum, dan Perlindungan "
        "Masyarakat.",
    )
    assert notes[1] == ("info", "Pendidikan: 1 inovasi.")
    none = tables.urusan_notes(tables.urusan_counts(analysis.innovations.iloc[0:0]))
    assert ("error", "Urusan Pendidikan wajib ada di antara inovasi yang dikirim.") in none


def test_innovations_table_and_search(analysis):
    t = tables.innovations_table(analysis)
    assert len(t) == 5 and t["Skor"].tolist()[0] == "90"
    assert t.loc[t["Inovasi"] == "Pojok Baca", "Memenuhi"].item() == "belum dinilai"
    assert t.loc[t["Inovasi"] == "Parkir Daring", "Terdaftar"].item() == "tidak"
    assert tables.search(t, "posyandu", ["Inovasi", "Unit"])["Unit"].tolist() == ["Dinas Kesehatan"]


def test_headline_figures_with_the_change_since_the_previous_snapshot(analysis):
    previous = pd.Series(
        {"as_of": dt.datetime(2024, 7, 9, 16), "ready": 0, "uploaded": 1, "expected": 4, "innovations": 2}
    )
    m = {x.label: x for x in wording.headline(analysis.summary, dt.date(2024, 7, 10), dt.date(2024, 7, 15), previous)}
    assert m["Inovasi diunggah"].value == "5" and m["Inovasi diunggah"].delta == "+3 sejak 09/07"
    assert m["Unit siap"].value == "1 / 4" and m["Unit siap"].delta == "+1 sejak 09/07"
    assert m["Belum mengunggah"].value == "1 unit" and m["Belum mengunggah"].delta == "-2 sejak 09/07"
    assert m["Belum mengunggah"].delta_color == "inverse"
    assert m["Inovasi di bawah 70"].value == "1"
    assert m["Menuju tenggat"].value == "5 hari lagi"


def test_without_a_roster_units_that_never_uploaded_are_unknown_not_zero():
    a = analyse(read_sources([source("e.xlsx", xlsx({"Data": EXPORT}))]), None, default_settings())
    m = {x.label: x for x in wording.headline(a.summary, dt.date(2024, 7, 10), dt.date(2024, 7, 15))}
    assert m["Belum mengunggah"].value == "–" and "daftar unit" in m["Belum mengunggah"].help


def test_situation_line(analysis):
    assert wording.situation_line(analysis.summary) == "3 unit belum siap; 1 belum mengunggah sama sekali."


def test_follow_up_file_lists_every_unit_not_ready_with_what_it_needs(analysis):
    data = exports.follow_up_xlsx(analysis, dt.datetime(2024, 7, 10, 16))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert "10 Juli 2024 16.00" in ws["A2"].value
    rows = list(ws.iter_rows(min_row=exports.HEADER_ROW, values_only=True))
    header = rows[0]
    assert header[:6] == ("No", "Unit", "Jenis unit", "Status", "Yang masih diperlukan", "Jalan ke 70")
    by_unit = {r[1]: dict(zip(header, r)) for r in rows[1:]}
    assert list(by_unit) == ["Kelurahan Bajak", "Dinas Kesehatan", "SD Negeri 1"]
    assert by_unit["Kelurahan Bajak"]["Yang masih diperlukan"] == "unggah 2 inovasi dengan skor ≥ 70 sebelum 15 Juli"
    assert by_unit["Dinas Kesehatan"]["Jenis unit"] == "Perangkat Daerah (OPD)"
    assert by_unit["Dinas Kesehatan"]["Yang masih diperlukan"] == (
        "unggah 1 inovasi lagi dengan skor ≥ 70 dan naikkan skor 'Posyandu' dari 60 ke 70 sebelum 15 Juli"
    )
    assert by_unit["SD Negeri 1"]["Jalan ke 70"].startswith("Level indikator belum diketahui")
    assert by_unit["Dinas Kesehatan"]["Skor terbaik"] == 60  # a number, sortable in Excel
    assert by_unit["Kelurahan Bajak"]["Skor terbaik"] is None
    assert ws.auto_filter.ref == f"A{exports.HEADER_ROW}:K{exports.HEADER_ROW + 3}"


def test_charts_use_indonesian_separators_and_labels(analysis):
    fig = charts.status_by_type(analysis.units)
    assert fig.layout.separators == ",."
    assert [t.name for t in fig.data] == ["Siap", "Perlu perbaikan", "Belum lengkap", "Belum mengunggah"]
    assert list(fig.data[0].y) == ["Kelurahan", "SD Negeri", "Perangkat Daerah (OPD)"]  # lowest % ready on top
    assert [a.text for a in fig.layout.annotations] == ["0/1 · 0%", "0/1 · 0%", "1/2 · 50%"]
    hist = charts.score_histogram(analysis.innovations["score"], 70, 111)
    assert [t.name for t in hist.data] == ["di bawah 70", "70 ke atas"]
    assert sorted(hist.data[1].x) == [72.5, 80, 90]


def test_search_finds_units_by_any_written_form():
    settings = default_settings()
    roster = read_roster(
        source(
            "r.xlsx",
            xlsx(
                {
                    "R": [
                        ["Nama Unit", "Jenis Unit", "Singkatan"],
                        ["Dinas Kependudukan dan Pencatatan Sipil", "OPD", "Dukcapil"],
                        ["SD Negeri 89", "SD", None],
                        ["SD Negeri 8", "SD", None],
                        ["UPTD Puskesmas Jalan Gedang", "Puskesmas", None],
                        ["Kelurahan Jalan Gedang", "Kelurahan", None],
                    ]
                }
            ),
        ),
        settings.city,
    )
    a = analyse(
        read_sources([source("e.xlsx", xlsx({"D": [["Unit Kerja", "Nama Inovasi"], ["SDN 8", "X"]]}))]),
        roster,
        settings,
    )
    found = lambda q: tables.filter_units(a.units, query=q)["unit_name"].tolist()
    assert found("dukcapil") == ["Dinas Kependudukan dan Pencatatan Sipil"]
    assert found("sdn 89") == ["SD Negeri 89"]
    assert found("pkm jalan gedang") == ["UPTD Puskesmas Jalan Gedang"]
    assert sorted(found("jalan gedang")) == ["Kelurahan Jalan Gedang", "UPTD Puskesmas Jalan Gedang"]
    assert found("sdn 8") == ["SD Negeri 8"] and found("SD Negeri 8") == ["SD Negeri 8"]
