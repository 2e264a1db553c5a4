import datetime as dt
import math

import pytest
from builders import TITLE, csv_bytes, source, xls, xlsx

from iga_data.errors import InputError
from iga_data.reading import ROSTER_REQUIRED, map_header, read_sources

HEADER = ["No", "Perangkat Daerah / Unit Kerja", "Judul Inovasi", "Nilai", "Tanggal Input", "Keterangan"]


def read(name, data, **kw):
    return read_sources([source(name, data)], **kw)


def test_header_is_found_below_a_merged_title_block():
    data = xlsx(
        {"OPD": TITLE + [HEADER, [1, "Dinas Kesehatan", "Posyandu Remaja", "72,5", "10/07/2024", ""]]},
        merges={"OPD": ["A1:F1", "A2:F2"]},
    )
    load = read("rekap.xlsx", data)
    sheet = load.sheets[0]
    assert sheet.used and sheet.header_row == 4
    assert sheet.columns["unit"] == "Perangkat Daerah / Unit Kerja"
    row = load.rows.iloc[0]
    assert (row.unit, row.innovation, row.score) == ("Dinas Kesehatan", "Posyandu Remaja", 72.5)
    assert row.input_date == dt.datetime(2024, 7, 10)
    assert row.row == 5


@pytest.mark.parametrize(
    "label",
    [
        "Nama Perangkat Daerah",
        "Perangkat Daerah",
        "Unit Kerja",
        "Nama Unit",
        "Nama Unit Kerja",
        "OPD",
        "Nama OPD",
        "Satuan Kerja",
        "Instansi",
        "Pengusul",
        "NAMA  PERANGKAT-DAERAH",
        "nama_unit",
    ],
)
def test_every_unit_synonym_maps(label):
    assert map_header([label, "Nama Inovasi"])["unit"] == 0


@pytest.mark.parametrize(
    "field, labels",
    [
        ("innovation", ["Nama Inovasi", "Judul Inovasi", "Inovasi"]),
        ("score", ["Estimasi Skor Kematangan", "Skor Kematangan", "Nilai Kematangan", "Skor", "Nilai", "Total Skor"]),
        ("type_label", ["Jenis Unit", "Jenis Unit Kerja", "Kategori Unit", "Kategori", "Tipe Unit", "Jenis"]),
        ("input_date", ["Tanggal Input", "Tanggal Upload", "Tgl Input", "Tanggal", "Waktu Input"]),
        ("stage", ["Tahapan", "Tahapan Inovasi"]),
        ("urusan", ["Urusan", "Urusan Utama", "Urusan Pemerintahan"]),
        ("jenis_inovasi", ["Jenis Inovasi"]),
    ],
)
def test_every_synonym_of_the_other_fields_maps(field, labels):
    for label in labels:
        assert map_header(["Unit Kerja", label])[field] == 1, label


def test_look_alike_columns_are_not_mistaken():
    mapping = map_header(["OPD", "Nama Inovasi", "Jenis Inovasi", "Waktu Penerapan", "Waktu Uji Coba"])
    assert "type_label" not in mapping
    assert "input_date" not in mapping
    assert mapping["jenis_inovasi"] == 2


def test_several_sheets_are_read_and_a_summary_sheet_is_named_as_skipped():
    data = xlsx(
        {
            "Ringkasan": [["Rekap per jenis"], ["Jenis", "Jumlah"], ["OPD", 2]],
            "OPD": [HEADER, [1, "Dinas Sosial", "Sedekah Beras", 80, None, None]],
            "KELURAHAN": TITLE + [HEADER, [1, "Pasar Jitra", "Bank Sampah", "71", None, None]],
        }
    )
    load = read("rekap.xlsx", data)
    used = {s.sheet: s.used for s in load.sheets}
    assert used == {"Ringkasan": False, "OPD": True, "KELURAHAN": True}
    summary = next(s for s in load.sheets if s.sheet == "Ringkasan")
    assert "Nama unit" in summary.reason
    assert list(load.rows["sheet"]) == ["OPD", "KELURAHAN"]
    assert list(load.rows["type_hint"]) == ["OPD", "Kelurahan"]


def test_merged_unit_cells_belong_to_every_row_they_cover():
    rows = [
        HEADER,
        [1, "SD Negeri 5", "Pojok Baca", 75, None, None],
        [2, None, "Rapor Digital", 80, None, None],
        [3, "SD Negeri 6", "Kantin Sehat", 60, None, None],
    ]
    load = read("sd.xlsx", xlsx({"SD": rows}, merges={"SD": ["B2:B3"]}))
    assert list(load.rows["unit"]) == ["SD Negeri 5", "SD Negeri 5", "SD Negeri 6"]


def test_rows_that_are_not_innovations_are_counted_with_a_reason_and_blank_rows_ignored():
    # An empty row stops a unit written once: the innovation under it has no unit.
    rows = TITLE + [
        HEADER,
        [1, "Dinas Sosial", "Sedekah Beras", 80, None, None],
        [None, None, None, None, None, None],
        [3, None, "Inovasi Tanpa Unit", 70, None, None],
        [2, "Dinas Sosial", None, None, None, "menyusul"],
        ["JUMLAH", None, None, 150, None, None],
        [None, "Perangkat Daerah / Unit Kerja", "Judul Inovasi", None, None, None],
        [None, None, None, None, "Bengkulu, 10 Juli 2024", None],
        [None, None, None, None, "NIP. 19700101 199001 1 001", None],
    ]
    load = read("rekap.xlsx", xlsx({"Data": rows}))
    assert len(load.rows) == 1
    reasons = [(s.row, s.reason) for s in load.skipped]
    assert reasons == [
        (7, "nama unit kosong"),
        (8, "nama inovasi kosong"),
        (9, "baris jumlah/total"),
        (10, "judul kolom berulang"),
        (11, "nama unit dan nama inovasi kosong"),
        (12, "nama unit dan nama inovasi kosong"),
    ]
    assert "Bengkulu, 10 Juli 2024" in load.skipped[4].text


def test_a_row_of_column_numbers_under_the_header_is_part_of_the_header():
    rows = [HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"], [1, "Dinas Sosial", "Sedekah Beras", 80, None, None]]
    load = read("rekap.xlsx", xlsx({"Data": rows}))
    assert list(load.rows["unit"]) == ["Dinas Sosial"]
    assert load.skipped == ()


def test_two_level_header_with_indicator_numbers_under_a_merged_group():
    top = ["No", "Perangkat Daerah", "Nama Inovasi", "Indikator", None, None, "Skor"]
    sub = [None, None, None, "16", "17", "35", None]
    data = xlsx(
        {"Data": [top, sub, [1, "Dinas Sosial", "Sedekah Beras", 3, 2, "1", 80]]},
        merges={"Data": ["D1:F1", "A1:A2", "B1:B2", "C1:C2", "G1:G2"]},
    )
    load = read("rekap.xlsx", data)
    row = load.rows.iloc[0]
    assert (row.ind_16, row.ind_17, row.ind_35, row.score) == (3, 2, 1, 80)
    assert math.isnan(row.ind_18)


def test_scores_out_of_range_or_unreadable_are_not_assessed_with_a_warning():
    rows = [
        HEADER,
        [1, "A", "Satu", "112", None, None],
        [2, "A", "Dua", "111", None, None],
        [3, "A", "Tiga", "69,9", None, None],
        [4, "A", "Empat", "tinggi", None, None],
        [5, "A", "Lima", "belum dinilai", None, None],
    ]
    load = read("x.xlsx", xlsx({"Data": rows}))
    scores = load.rows["score"].tolist()
    assert math.isnan(scores[0]) and scores[1] == 111 and scores[2] == 69.9
    assert math.isnan(scores[3]) and math.isnan(scores[4])
    assert any("1 nilai di luar rentang" in w and "baris 2" in w for w in load.warnings)
    assert any("1 nilai tidak terbaca" in w and "baris 5" in w for w in load.warnings)
    assert any("1 baris inovasi belum dinilai" in w and "baris 6" in w for w in load.warnings)  # said, not a problem
    assert len(load.warnings) == 3


def test_windows_1252_semicolon_csv():
    rows = [
        ["Nama Unit", "Nama Inovasi", "Skor", "Tanggal Input"],
        ["Dinas Pariwisata", "Café Literasi – Pantai Panjang", "72,5", "10/07/2024"],
        ["Kel. Pasar Jitra", "Bank Sampah", "70", "9 Juli 2024"],
    ]
    load = read("ekspor.csv", csv_bytes(rows, ";", "cp1252"))
    assert load.rows["innovation"].tolist()[0] == "Café Literasi – Pantai Panjang"
    assert load.rows["score"].tolist() == [72.5, 70.0]
    assert load.rows["input_date"].tolist() == [dt.datetime(2024, 7, 10), dt.datetime(2024, 7, 9)]


def test_utf8_comma_csv_with_title_line():
    rows = [["Rekap inovasi"], [], ["OPD", "Judul Inovasi", "Nilai"], ["Dinas Sosial", "Sedekah, Beras", "80.5"]]
    load = read("ekspor.csv", csv_bytes(rows, ",", "utf-8-sig"))
    assert load.rows[["unit", "innovation", "score"]].values.tolist() == [["Dinas Sosial", "Sedekah, Beras", 80.5]]


def test_legacy_xls_with_title_and_merged_units():
    rows = TITLE + [
        HEADER,
        [1, "Kel. Bajak", "Kampung Tangguh", "75,5", "10 Juli 2024", None],
        [2, None, "Ronda Digital", 68, None, None],
    ]
    data = xls({"KELURAHAN": rows}, merges={"KELURAHAN": [(0, 0, 0, 5), (4, 5, 1, 1)]})
    load = read("rekap.xls", data)
    assert load.rows[["unit", "innovation", "score"]].values.tolist() == [
        ["Kel. Bajak", "Kampung Tangguh", 75.5],
        ["Kel. Bajak", "Ronda Digital", 68.0],
    ]
    assert load.rows["input_date"].iloc[0] == dt.datetime(2024, 7, 10)


def test_hidden_sheets_are_read_with_a_warning_and_empty_tables_are_flagged():
    data = xlsx(
        {
            "Data": [HEADER, [1, "A", "Satu", 80, None, None]],
            "Lama": [HEADER, [1, "B", "Dua", 80, None, None]],
            "Kosong": [HEADER],
        },
        hidden=["Lama"],
    )
    load = read("x.xlsx", data)
    assert load.rows["unit"].tolist() == ["A", "B"]
    assert any("Lama: lembar tersembunyi ikut dibaca" in w for w in load.warnings)
    assert any("Kosong: tidak ada baris inovasi" in w for w in load.warnings)


def test_several_files_are_one_sequence_in_the_order_given():
    a = xlsx({"Data": [HEADER, [1, "A", "Satu", 80, None, None]]})
    b = csv_bytes([["Unit Kerja", "Inovasi"], ["B", "Dua"]])
    load = read_sources([source("b.csv", b), source("a.xlsx", a)])
    assert load.rows["unit"].tolist() == ["B", "A"]
    assert load.rows["order"].tolist() == [0, 1]
    assert [name for name, _ in load.files] == ["b.csv", "a.xlsx"]


def test_roster_needs_only_a_unit_column():
    data = xlsx(
        {
            "Unit": [
                ["Daftar unit"],
                ["Nama Unit", "Jenis Unit", "Singkatan"],
                ["Dinas Kependudukan dan Pencatatan Sipil", "OPD", "Dukcapil"],
            ]
        }
    )
    load = read("roster.xlsx", data, required=ROSTER_REQUIRED)
    assert load.rows[["unit", "type_label", "short_name"]].values.tolist() == [
        ["Dinas Kependudukan dan Pencatatan Sipil", "OPD", "Dukcapil"]
    ]


def test_a_remembered_manual_mapping_is_used_for_the_same_header():
    header = ["Kolom A", "Kolom B", "Kolom C"]
    data = xlsx({"Data": [header, ["Dinas Sosial", "Sedekah Beras", "80"]]})
    first = read("x.xlsx", data)
    assert not first.sheets[0].used
    key = first.sheets[0].header_key
    assert first.sheets[0].headers == header
    load = read("x.xlsx", data, remembered={key: {"unit": 0, "innovation": 1, "score": 2}})
    assert load.rows[["unit", "innovation", "score"]].values.tolist() == [["Dinas Sosial", "Sedekah Beras", 80.0]]


def test_no_usable_sheet_is_reported_then_raised_on_request():
    load = read("x.xlsx", xlsx({"Catatan": [["Tidak ada data"]]}))
    assert load.rows.empty
    with pytest.raises(InputError, match="Nama Inovasi"):
        load.require_rows()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("kosong.xlsx", b"", "kosong"),
        ("rusak.xlsx", b"PK\x03\x04 not really a zip file" * 10, "tidak dapat dibaca"),
        ("palsu.xlsx", b"hello, this is text", "bukan berkas Excel"),
        ("gambar.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "tidak didukung"),
        ("gambar.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "tidak dikenali"),
        ("surat.docx", b"PK\x03\x04 dokumen word", "tidak didukung"),
    ],
)
def test_broken_files_raise_a_clear_indonesian_message(name, data, message):
    with pytest.raises(InputError, match=message):
        read(name, data)


def test_password_protected_workbook_is_named_as_such():
    # An encrypted OOXML file is an OLE container holding an "EncryptedPackage" stream.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    with pytest.raises(InputError, match="kata sandi"):
        read("rahasia.xlsx", data)


def test_indicator_columns_headed_by_name_or_number():
    mapping = map_header(
        [
            "Unit Kerja",
            "Nama Inovasi",
            "Regulasi Inovasi Daerah",
            "Indikator 17",
            "I18",
            "35. Video Inovasi",
            "No",
            "Tahun 2024",
        ]
    )
    assert {k: v for k, v in mapping.items() if k.startswith("ind_")} == {
        "ind_16": 2,
        "ind_17": 3,
        "ind_18": 4,
        "ind_35": 5,
    }


def test_signature_blocks_and_notes_in_the_key_columns_are_not_innovations():
    header = ["Unit Kerja", "Nama Inovasi", "Skor"]
    rows = [
        header,
        ["Dinas Kesehatan", "Sehat Jiwa", 80],
        ["Kelurahan Sumber Jaya", "Sumber Bersih", None],
        ["Keterangan:", "skor dari portal per 10 Juli", None],
        ["Sumber:", "Portal IID, diunduh 10 Juli 2024", None],
        [None, None, None],
        ["Mengetahui,", "Bengkulu, 10 Juli 2024", None],
        ["Sekretaris Daerah Kota Bengkulu", "Kepala Bappeda Kota Bengkulu", None],
        ["Drs. H. Arif Gunadi, M.Si", "Dr. Ahmad Kurniawan, S.E.", None],
        ["NIP. 19680101 199003 1 001", "NIP. 19700101 199503 1 001", None],
    ]
    load = read("x.xlsx", xlsx({"Data": rows}))
    assert load.rows["innovation"].tolist() == ["Sehat Jiwa", "Sumber Bersih"]  # "Sumber Jaya" is a kelurahan
    assert [s.reason for s in load.skipped] == ["baris catatan"] * 2 + ["blok tanda tangan"] * 4


def test_a_summary_sheet_counting_innovations_per_unit_is_skipped():
    data = xlsx(
        {
            "Ringkasan": [
                ["No", "Perangkat Daerah", "Inovasi", "Siap"],
                [1, "Dinas Kesehatan", 2, "ya"],
                [2, "Kelurahan Kandang", 1, "tidak"],
            ],
            "Data": [["Perangkat Daerah", "Nama Inovasi", "Skor"], ["Dinas Kesehatan", "Sehat Jiwa", 80]],
        }
    )
    load = read("x.xlsx", data)
    assert load.rows["innovation"].tolist() == ["Sehat Jiwa"]
    summary = next(s for s in load.sheets if s.sheet == "Ringkasan")
    assert not summary.used and "lembar ringkasan" in summary.reason
    assert load.skipped == ()


def test_group_labels_merged_over_sub_labels():
    top = ["No", "Unit Kerja", None, "Inovasi", None, None]
    sub = [None, "Nama", "Jenis", "Nama", "Skor Kematangan", "Tanggal Input"]
    data = xlsx(
        {"Data": [top, sub, [1, "Jalan Gedang", "Kelurahan", "Gedang Hijau", "75,5", "10/07/2024"]]},
        merges={"Data": ["B1:C1", "D1:F1", "A1:A2"]},
    )
    load = read("x.xlsx", data)
    row = load.rows.iloc[0]
    assert (row.unit, row.type_hint, row.innovation, row.score) == ("Jalan Gedang", "Kelurahan", "Gedang Hijau", 75.5)
    assert row.input_date == dt.datetime(2024, 7, 10)
    assert load.skipped == ()


def test_the_more_specific_of_two_unit_columns_is_used_with_a_warning():
    rows = [
        ["No", "Perangkat Daerah", "Unit Kerja", "Nama Inovasi"],
        [1, "Dinas Kesehatan", "Puskesmas Nusa Indah", "Posyandu Remaja"],
        [2, "Dinas Kesehatan", "Puskesmas Sawah Lebar", "Jemput Bola"],
        [3, "Dinas Pendidikan", "SD Negeri 5", "Pojok Baca"],
    ]
    load = read("x.xlsx", xlsx({"Data": rows}))
    assert load.rows["unit"].tolist() == ["Puskesmas Nusa Indah", "Puskesmas Sawah Lebar", "SD Negeri 5"]
    assert any("dipakai 'Unit Kerja' yang lebih rinci" in w for w in load.warnings)


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_separator_is_found_despite_commas_in_titles_and_decimals(delimiter):
    text = (
        "REKAP INOVASI, KOTA BENGKULU, TAHUN 2024\n\n"
        + delimiter.join(["Unit Kerja", "Nama Inovasi", "Skor"])
        + "\n"
        + delimiter.join(["Dinas Sosial", "Sedekah Beras", '"72,5"' if delimiter == "," else "72,5"])
        + "\n"
        + delimiter.join(["Kel. Bajak", "Ronda", "80"])
        + "\n"
    )
    load = read("rekap.csv", text.encode("utf-8"))
    assert load.rows[["unit", "score"]].values.tolist() == [["Dinas Sosial", 72.5], ["Kel. Bajak", 80.0]]


def test_numbered_rows_are_data_whatever_their_text_and_a_lone_title_does_not_swallow_what_follows():
    header = ["No", "Unit Kerja", "Nama Inovasi", "Skor"]
    numbered = [
        header,
        [1, "Dr. Sitanala Klinik", "Klinik Keliling", None],
        *[[n, "Dinas Kesehatan", f"Inovasi {n}", None] for n in range(2, 8)],
    ]
    assert len(read("a.xlsx", xlsx({"Data": numbered})).rows) == 7
    plain = [
        header[1:],
        ["Dr. Sitanala Klinik", "Klinik Keliling", None],
        *[["Dinas Kesehatan", f"Inovasi {n}", None] for n in range(2, 8)],
    ]
    load = read("b.xlsx", xlsx({"Data": plain}))
    assert load.rows["innovation"].tolist() == [f"Inovasi {n}" for n in range(2, 8)]
    assert any(
        "1 baris berisi nama unit dan nama inovasi dianggap blok tanda tangan (baris 2)" in w for w in load.warnings
    )
