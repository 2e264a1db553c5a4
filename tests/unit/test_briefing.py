"""The files that leave the dashboard: the follow-up and briefing workbooks, the one-page briefing (HTML and
PDF) and the WhatsApp texts. Figures are compared with the engine's; hostile text from uploads stays text."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
import sample_truth
from builders import OPERATOR, csv_bytes, source
from hypothesis import given, settings
from hypothesis import strategies as st

from iga_data import briefing, briefing_html, briefing_pdf, exports, messages, sketch, tables, wording
from iga_data.ingest import seed_sample, settings_in_force, snapshot_analysis
from iga_data.pipeline import analyse
from iga_data.readiness import by_pembina, counts_by_type
from iga_data.reading import read_sources
from iga_data.roster import read_roster
from iga_data.settings import default_settings
from iga_data.storage import Store
from iga_data.timeline import history_until, previous_point, progress_frame, progress_point

AS_OF = dt.datetime(2024, 7, 10, 16, 0)
SETTINGS = default_settings().replace(rule_year=2024, threshold=70, required_per_unit=2, deadline=dt.date(2024, 7, 15))
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://contoh.invalid","klik")'
ODD_PEMBINA = "Korwil: Selatan/Barat [1] * yang namanya sangat panjang sekali"
ROSTER = [
    ["Nama Unit", "Jenis Unit", "Kecamatan", "Pembina", "Kontak"],
    ["Dinas Sosial", "OPD", "", "", "0812-1111-2222"],
    ["Dinas Kesehatan", "OPD", "", "", ""],
    ["Kelurahan Bajak", "Kelurahan", "Teluk Segara", "", ""],
    ["Kelurahan Berkas", "Kelurahan", "Teluk Segara", "", ""],
    [SCRIPT, "OPD", "", FORMULA, "=1+1"],
    ["SD Negeri 1", "SD", "", ODD_PEMBINA, ""],
    ["SD Negeri 2", "SD", "", ODD_PEMBINA.lower(), ""],
]
EXPORT = [
    ["Perangkat Daerah", "Nama Inovasi", "Skor", "16", "35"],
    ["Dinas Sosial", "Sedekah Beras", "90", "", ""],
    ["Dinas Sosial", "Dapur Umum", "80", "", ""],
    ["Dinas Kesehatan", "Posyandu", "", "1", "2"],
    ["Kelurahan Bajak", "Bank Sampah", "75", "", ""],
    [SCRIPT, FORMULA, "50", "", ""],
    ["SD Negeri 1", "Gema Literasi", "62", "", ""],
]


@pytest.fixture(scope="module")
def analysis():
    roster = read_roster(source("r.csv", csv_bytes(ROSTER, delimiter=";")), SETTINGS.city)
    return analyse(read_sources([source("e.csv", csv_bytes(EXPORT, delimiter=";"))]), roster, SETTINGS)


@pytest.fixture(scope="module")
def brief(analysis):
    return briefing.compose(analysis, AS_OF)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample data as the dashboard shows it on 10 July: the snapshot with its history."""
    store = Store(tmp_path_factory.mktemp("sample") / "iga.db")
    seed_sample(store, settings_in_force(store), OPERATOR)
    s = settings_in_force(store)
    info = store.latest()
    analyses = {i.id: snapshot_analysis(store.snapshot(i.id), s) for i in history_until(store.snapshots(), info)}
    points = [
        progress_point(i.id, i.as_of, analyses[i.id].summary.to_json()) for i in history_until(store.snapshots(), info)
    ]
    return briefing.compose(analyses[info.id], info.as_of, progress_frame(points))


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(ws) -> list[dict]:
    header = [c.value for c in ws[exports.HEADER_ROW]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=exports.HEADER_ROW + 1, values_only=True)]


def _no_formula(data: bytes) -> None:
    book = _book(data)
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


# --- the follow-up workbook ----------------------------------------------------------------------------------


def test_follow_up_has_a_sheet_for_all_and_one_per_pembina_with_the_engines_counts(analysis):
    book = _book(exports.follow_up_xlsx(analysis, AS_OF))
    groups = by_pembina(analysis.units)
    lagging = groups[groups["lagging"] > 0]
    assert book.sheetnames[0] == exports.ALL_SHEET and len(book.sheetnames) == 1 + len(lagging)
    assert len(_rows(book[exports.ALL_SHEET])) == analysis.summary.units.not_ready
    for ws, group in zip(book.worksheets[1:], lagging.itertuples()):
        rows = _rows(ws)
        names = dict(zip(analysis.units["unit_key"], analysis.units["unit_name"]))
        assert [r["Unit"] for r in rows] == [names[k] for k in group.lagging_keys]
        assert [r["No"] for r in rows] == list(range(1, len(rows) + 1))
        assert ws["A3"].value == messages.pembina_line(group.pembina, group.lagging, group.units)


def test_follow_up_rows_follow_the_screen_and_say_what_each_unit_needs(analysis):
    rows = _rows(_book(exports.follow_up_xlsx(analysis, AS_OF))[exports.ALL_SHEET])
    cards = [c for c in tables.unit_cards(analysis, analysis.units) if c["status"] != "Siap"]
    assert [r["Unit"] for r in rows] == [c["name"] for c in cards]  # Kesiapan Unit's order
    assert [r["Yang masih diperlukan"] for r in rows] == [c["action"] for c in cards]
    by_name = {r["Unit"]: r for r in rows}
    assert by_name["Dinas Kesehatan"]["Jalan ke 70"].startswith("'Posyandu': Ke ")  # levels known: the plan
    assert by_name["SD Negeri 1"]["Jalan ke 70"].startswith("Level indikator belum diketahui")
    assert by_name["Kelurahan Berkas"]["Jalan ke 70"] == "–"  # nothing to raise, only to upload
    assert by_name[SCRIPT]["Kontak"] == "=1+1" and by_name[SCRIPT]["Pembina"] == FORMULA


def test_follow_up_title_names_the_data_date_the_rule_and_the_deadline(analysis):
    ws = _book(exports.follow_up_xlsx(analysis, AS_OF))[exports.ALL_SHEET]
    assert ws["A1"].value == "Daftar tindak lanjut kesiapan IGA 2024 — Kota Bengkulu" and ws["A1"].font.b
    assert ws["A2"].value == (
        "Data per 10 Juli 2024 16.00 · aturan: skor minimal 70 (skala 0–111), 2 inovasi per unit, tenggat 15 Juli 2024"
    )


def test_every_sheet_prints_landscape_one_page_wide_with_the_header_repeated_and_frozen(analysis, brief):
    for data in (exports.follow_up_xlsx(analysis, AS_OF), exports.briefing_xlsx(brief)):
        for ws in _book(data).worksheets:
            assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert ws.print_title_rows == f"${exports.HEADER_ROW}:${exports.HEADER_ROW}"
            assert ws.freeze_panes.endswith(str(exports.HEADER_ROW + 1))
            assert all(c.font.b for c in ws[exports.HEADER_ROW] if c.value is not None)


def test_counts_are_numbers_in_the_indonesian_format_and_status_cells_are_coloured(analysis):
    ws = _book(exports.follow_up_xlsx(analysis, AS_OF))[exports.ALL_SHEET]
    header = [c.value for c in ws[exports.HEADER_ROW]]
    first = ws[exports.HEADER_ROW + 1]
    uploaded = first[header.index("Diunggah")]
    assert isinstance(uploaded.value, int) and uploaded.number_format == exports.COUNT_FORMAT
    status = first[header.index("Status")]
    assert status.fill.fgColor.rgb.lower().endswith(tables.STATUS_TINTS[status.value].lstrip("#"))


def test_uploaded_text_is_never_a_formula_in_either_workbook(analysis, brief):
    for data in (exports.follow_up_xlsx(analysis, AS_OF), exports.briefing_xlsx(brief)):
        _no_formula(data)
    texts = {
        c.value
        for ws in _book(exports.follow_up_xlsx(analysis, AS_OF)).worksheets
        for row in ws.iter_rows()
        for c in row
    }
    assert {SCRIPT, FORMULA, "=1+1"} <= texts


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dinas Pendidikan", "Dinas Pendidikan"),
        ("a/b\\c:d*e?f[g]h", "a b c d e f g h"),
        ("'Kutip'", "Kutip"),
        ("   ", "Pembina"),
        ("History", "History (2)"),
        ("x" * 40, "x" * 31),
        (exports.ALL_SHEET.upper(), exports.ALL_SHEET.upper() + " (2)"),
    ],
)
def test_sheet_names_are_what_excel_accepts(name, expected):
    assert exports.sheet_name(name, [exports.ALL_SHEET]) == expected


@given(st.lists(st.text(max_size=60), max_size=12))
def test_sheet_names_stay_valid_and_unique_for_any_pembina(names):
    taken: list[str] = []
    for name in names:
        taken.append(exports.sheet_name(name, taken))
    assert len({t.lower() for t in taken}) == len(taken)
    assert all(0 < len(t) <= 31 and not re.search(r"[\[\]:*?/\\]", t) and t[0] != "'" and t[-1] != "'" for t in taken)


def test_pembina_sheets_of_odd_names_are_unique_and_keep_their_name_in_the_title(analysis):
    book = _book(exports.follow_up_xlsx(analysis, AS_OF))
    odd = [ws for ws in book.worksheets if ws.title.lower().startswith("korwil")]
    assert len(odd) == 2 and odd[0].title.lower() != odd[1].title.lower()
    assert {ws["A3"].value.split(" — ")[0] for ws in odd} == {
        f"Pembina: {ODD_PEMBINA}",
        f"Pembina: {ODD_PEMBINA.lower()}",
    }


# --- the briefing workbook -----------------------------------------------------------------------------------


def test_briefing_workbook_holds_the_figures_the_rules_and_every_innovation(sample):
    a = sample.analysis
    book = _book(exports.briefing_xlsx(sample))
    assert book.sheetnames == ["Ringkasan", "Per jenis unit", "Per pembina", "Inovasi"]
    figures = {r["Uraian"]: r["Nilai"] for r in _rows(book["Ringkasan"])}
    truth = sample_truth.counts(10)
    assert figures["Unit wajib"] == truth["expected"] and figures["Unit siap"] == truth["ready"]
    assert figures["Belum mengunggah"] == truth["none"] and figures["Inovasi diunggah"] == truth["innovations"]
    assert figures["Skor minimal"] == 70 and figures["Inovasi wajib per unit"] == 2
    assert figures["Tenggat"] == "15 Juli 2024" and figures["Perkiraan IID"] == round(sample.sim.current.iid, 2)
    by_type = _rows(book["Per jenis unit"])
    assert sum(r["Siap"] for r in by_type) == truth["ready"] and sum(r["Wajib"] for r in by_type) == truth["expected"]
    assert [r["Pembina"] for r in _rows(book["Per pembina"])] == tables.pembina_table(a.units)["Pembina"].tolist()
    assert len(_rows(book["Inovasi"])) == a.summary.innovations


# --- the one-page briefing as HTML -----------------------------------------------------------------------------


class _Page(HTMLParser):
    """Tags, attributes and the text of the page, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_the_page_loads_nothing_and_runs_nothing(brief, sample):
    for b in (brief, sample):
        page = _parse(briefing_html.page(b))
        assert not [t for t, _ in page.tags if t in ("script", "iframe", "object", "embed", "link", "img", "base")]
        attributes = [(k, v or "") for _, attrs in page.tags for k, v in attrs.items()]
        assert not [(k, v) for k, v in attributes if k in ("src", "href", "xlink:href", "srcset", "action")]
        assert not [k for k, _ in attributes if k.startswith("on")]
        css = " ".join(page.styles) + " ".join(v for k, v in attributes if k == "style")
        assert "@import" not in css and "url(" not in css and "@font-face" not in css
        assert "@page {size: A4" in css


def test_hostile_names_show_as_text_in_the_page(brief):
    text = briefing_html.page(brief)
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    page = _parse(text)
    assert any(SCRIPT in t for t in page.text) and any(FORMULA in t for t in page.text)


def test_the_page_shows_the_engines_figures(sample):
    a = sample.analysis
    page = _parse(briefing_html.page(sample))
    text = " ".join(" ".join(page.text).split())
    for answer in wording.answers(
        a.summary, sample.as_of, sample.settings, sample.pace, sample.sim, previous_point(sample.progress, sample.as_of)
    ):
        assert f"{answer.question} {answer.value} {answer.note}" in text
    truth = sample_truth.counts(10)
    assert f"{truth['ready']} dari {truth['expected']}" in text
    assert wording.iid_estimate(sample.sim, sample.settings.spd) in text
    assert wording.pace_statement(sample.pace, sample.settings.deadline) in text
    rows, left_out = sample.pembina_rows()
    groups = by_pembina(a.units)
    assert left_out == 0 and [r.lagging for r in rows] == groups["lagging"].tolist()
    for r in rows:
        assert f"{r.pembina} {r.units} {r.ready} {r.lagging} {r.none}" in text
    counts = counts_by_type(a.units)
    for code in tables.types_present(a.units):
        c = counts[code]
        assert f"{c.ready}/{c.expected} · {round(100 * c.ready / c.expected)}%" in text


def test_long_lists_are_cut_with_and_n_more(sample):
    rows, _ = sample.pembina_rows(limit=3, names=2)
    lagging = by_pembina(sample.analysis.units)["lagging"].tolist()
    assert len(rows) == 3
    assert rows[0].names.endswith(messages.and_more(lagging[0] - 2)) and rows[0].names.count(",") == 1
    page = briefing_html.page(sample)
    assert f"… dan {lagging[0] - briefing.NAMES_SHOWN} lainnya" in page


def test_the_svg_charts_carry_the_engines_counts(sample):
    units = sample.analysis.units
    shapes = sketch.status_by_type(units).shapes
    labels = [s.text for s in shapes if isinstance(s, sketch.Label)]
    counts = counts_by_type(units)
    for code in tables.types_present(units):
        assert any(t.startswith(f"{counts[code].ready}/{counts[code].expected} · ") for t in labels)
    progress = sketch.progress(sample.progress, sample.settings.deadline, sample.pace)
    dots = [s for s in progress.shapes if isinstance(s, sketch.Dot)]
    assert len(dots) == 2 * len(sample.progress)  # uploaded and ready at each data point
    assert briefing_html.svg(progress).count("<circle") == len(dots)


# --- the one-page briefing as PDF ---------------------------------------------------------------------------


@pytest.fixture
def poppler():
    """pdftoppm, pdftotext and pdfinfo (Debian's poppler-utils); CI installs them and sets IGA_REQUIRE_BROWSER."""
    if all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "pdfinfo")):
        return
    if os.environ.get("IGA_REQUIRE_BROWSER"):
        pytest.fail(
            "pdftoppm tidak terpasang tetapi IGA_REQUIRE_BROWSER=1 (CI): pasang paket Debian 'poppler-utils'.",
            pytrace=False,
        )
    pytest.skip("pdftoppm tidak terpasang: uji PDF dilewati (pasang paket Debian 'poppler-utils').")


def _pdf_facts(data: bytes, folder: Path) -> tuple[str, str, Path]:
    path = folder / "ringkasan.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(folder / "halaman")],
        check=True,
        capture_output=True,
    )
    return info, text, folder / "halaman-1.png"


def test_the_pdf_is_one_a4_page_with_the_headline_figure(sample, poppler, tmp_path):
    info, text, png = _pdf_facts(briefing_pdf.pdf(sample), tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M)
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert size and (round(float(size[1])), round(float(size[2]))) == (595, 842)
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    flat = " ".join(text.split())
    truth = sample_truth.counts(10)
    assert f"{truth['ready']} dari {truth['expected']}" in flat
    assert "Laju cukup" in flat or wording.PACE_HEADLINES[sample.pace.verdict] in flat
    assert "≥" in flat and "–" in flat and "·" in flat  # the font has them: no boxes, no question marks


def test_hostile_names_show_as_text_in_the_pdf(brief, poppler, tmp_path):
    _, text, _ = _pdf_facts(briefing_pdf.pdf(brief), tmp_path)
    flat = " ".join(text.split())
    assert SCRIPT in flat and "HYPERLINK" in flat


def test_characters_the_font_lacks_are_mapped_deliberately():
    assert briefing_pdf.glyphs("≥ 70 – 15 Juli · é") == "≥ 70 – 15 Juli · é"
    assert ord("ạ") not in sketch.fonts() and ord("→") not in sketch.fonts()
    assert briefing_pdf.glyphs("0→2") == "0->2" and briefing_pdf.glyphs("ạ") == "a"
    assert briefing_pdf.glyphs("🙂 中") == "? ?" and briefing_pdf.glyphs("a\nb\x07") == "a b "
    assert briefing_pdf.pdf_text('<a href="x">&') == '&lt;a href="x"&gt;&amp;'


def test_a_briefing_without_history_says_the_pace_is_not_measured(brief):
    assert brief.pace.verdict == "unknown" and len(brief.progress) == 1
    assert wording.PACE_HEADLINES["unknown"] in briefing_html.page(brief)


# --- WhatsApp texts -------------------------------------------------------------------------------------------


def test_one_message_to_all_then_one_per_pembina_with_lagging_units(analysis):
    msgs = messages.whatsapp(analysis, AS_OF)
    groups = by_pembina(analysis.units)
    named = groups[(groups["lagging"] > 0) & (groups["pembina"] != "")]
    assert [m.pembina for m in msgs] == ["", *named["pembina"]]
    assert msgs[0].units == analysis.summary.units.not_ready
    actions = dict(zip(analysis.units["unit_name"], wording.unit_actions(analysis)))
    teluk = next(m for m in msgs if m.pembina == "Kecamatan Teluk Segara")
    assert (
        "Yth. Bapak/Ibu Pimpinan Kecamatan Teluk Segara" in teluk.text and "data per 10 Juli 2024 16.00" in teluk.text
    )
    assert "skor minimal 70" in teluk.text and "15 Juli 2024" in teluk.text
    assert f"*Kelurahan Berkas* — Belum mengunggah: {actions['Kelurahan Berkas']}." in teluk.text
    setda = next(m for m in msgs if m.pembina == "Sekretariat Daerah")
    assert "Jalan ke 70 — 'Posyandu': Ke " in setda.text
    assert "Dinas Sosial" not in setda.text and "Kontak: 0812-1111-2222" not in msgs[0].text  # ready: not listed
    assert f"*{SCRIPT}* — Perlu perbaikan" not in setda.text and f"*{SCRIPT}*" in msgs[0].text  # its own pembina


def test_messages_fit_whatsapp_and_each_unit_stays_whole():
    blocks = ["Pembuka"] + [f"{i}. *Unit {i}* — " + "x" * 300 for i in range(1, 40)] + ["Penutup"]
    parts = messages.split(blocks)
    assert len(parts) > 1 and all(messages.size(p) <= messages.WHATSAPP_LIMIT for p in parts)
    assert [p.split("\n", 1)[0] for p in parts] == [f"({i}/{len(parts)})" for i in range(1, len(parts) + 1)]
    joined = "\n\n".join(p.split("\n", 1)[1] for p in parts)
    assert joined == "\n\n".join(blocks)  # nothing lost, nothing split inside a block


def test_a_short_message_is_one_part_without_a_number():
    assert messages.split(["Pembuka", "1. *Unit*", "Penutup"]) == ("Pembuka\n\n1. *Unit*\n\nPenutup",)
    exact = "x" * messages.WHATSAPP_LIMIT
    assert messages.split([exact]) == (exact,)


def test_a_block_longer_than_a_message_is_cut_not_lost():
    parts = messages.split(["Pembuka", "1. " + "😀" * 5000, "Penutup"])
    assert all(messages.size(p) <= messages.WHATSAPP_LIMIT for p in parts)
    assert parts[1].split("\n", 1)[1].endswith("…") and parts[-1].endswith("Penutup")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=2500), min_size=1, max_size=30), st.integers(60, 4096))
def test_split_never_exceeds_the_limit(blocks, limit):
    parts = messages.split(blocks, limit)
    assert parts and all(messages.size(p) <= limit for p in parts)
    if len(parts) > 1:
        assert all(p.startswith(f"({i}/{len(parts)})\n") for i, p in enumerate(parts, 1))


@settings(max_examples=60, deadline=None)
@given(st.data(), st.integers(60, 4096))
def test_split_keeps_every_block_whole_and_in_order(data, limit):
    blocks = data.draw(st.lists(st.text(min_size=1, max_size=limit - 20), min_size=1, max_size=30))
    parts = messages.split(blocks, limit)
    body = "\n\n".join(p.split("\n", 1)[1] if len(parts) > 1 else p for p in parts)
    assert body == "\n\n".join(blocks)


# --- files --------------------------------------------------------------------------------------------------------


def test_every_file_name_carries_the_data_date_and_no_folder(brief):
    names = list(exports.outputs(brief))
    assert all("_2024-07-10" in n and "/" not in n and "\\" not in n and not n.startswith(".") for n in names)
    assert {Path(n).suffix for n in names} == {".xlsx", ".html", ".pdf", ".txt"}
    assert "pesan_wa_2024-07-10_semua.txt" in names
    assert len([n for n in names if n.startswith("pesan_wa_2024-07-10_korwil-selatan-barat-1")]) == 2
    assert exports.file_name("pesan_wa", AS_OF, ".txt", "../../etc/passwd") == "pesan_wa_2024-07-10_etc-passwd.txt"


def test_when_every_unit_is_ready_there_is_nothing_to_send():
    roster = read_roster(source("r.csv", csv_bytes(ROSTER[:2], delimiter=";")), SETTINGS.city)
    done = analyse(read_sources([source("e.csv", csv_bytes(EXPORT, delimiter=";"))]), roster, SETTINGS)
    assert done.summary.units.not_ready == 0
    assert messages.whatsapp(done, AS_OF) == []
    book = _book(exports.follow_up_xlsx(done, AS_OF))
    assert book.sheetnames == [exports.ALL_SHEET] and _rows(book[exports.ALL_SHEET]) == []
    b = briefing.compose(done, AS_OF)
    assert not [n for n in exports.outputs(b) if n.endswith(".txt")]
    figures = {r["Uraian"]: r["Nilai"] for r in _rows(_book(exports.briefing_xlsx(b))["Ringkasan"])}
    assert figures["Tahun IGA"] == "2024" and figures["Unit siap"] == 1
