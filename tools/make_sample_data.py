"""Build the files in sample_data/ (run from the repository root; the content is the same every run).

    python tools/make_sample_data.py

The roster lists every unit of Kota Bengkulu that must submit (the 9
kecamatan and 67 kelurahan are real; OPD, puskesmas and school names are
plausible). The three exports are what a Bappeda operator would download on
8, 9 and 10 July 2024: a portal-like sheet under a title block, names written
many ways, scores typed as text with a decimal comma, innovations uploaded
twice, a totals row and a summary sheet the reader must skip.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).resolve().parent.parent / "sample_data"
SEED = 20240710

KECAMATAN = {
    "Selebar": ["Pagar Dewa", "Sukarami", "Pekan Sabtu", "Bumi Ayu", "Betungan", "Sumur Dewa"],
    "Gading Cempaka": ["Padang Harapan", "Jalan Gedang", "Sidomulyo", "Lingkar Barat", "Cempaka Permai"],
    "Teluk Segara": [
        "Berkas",
        "Pasar Baru",
        "Pasar Jitra",
        "Pasar Melintang",
        "Kebun Roos",
        "Tengah Padang",
        "Bajak",
        "Pondok Besi",
        "Kebun Keling",
        "Sumur Meleleh",
        "Malabero",
        "Pintu Batu",
        "Kampung Bali",
    ],
    "Muara Bangka Hulu": [
        "Kandang Limun",
        "Bentiring",
        "Pematang Gubernur",
        "Rawa Makmur",
        "Beringin Raya",
        "Bentiring Permai",
        "Rawa Makmur Permai",
    ],
    "Kampung Melayu": ["Kandang", "Kandang Mas", "Teluk Sepang", "Sumber Jaya", "Padang Serai", "Muara Dua"],
    "Ratu Agung": [
        "Kebun Tebeng",
        "Tanah Patah",
        "Nusa Indah",
        "Kebun Beler",
        "Kebun Kenanga",
        "Sawah Lebar",
        "Sawah Lebar Baru",
        "Lempuing",
    ],
    "Ratu Samban": [
        "Padang Jati",
        "Kebun Dahri",
        "Belakang Pondok",
        "Penurunan",
        "Anggut Bawah",
        "Anggut Atas",
        "Anggut Dalam",
        "Kebun Geran",
        "Pengantungan",
    ],
    "Sungai Serut": [
        "Kampung Kelawi",
        "Sukamerindu",
        "Semarang",
        "Tanjung Agung",
        "Tanjung Jaya",
        "Surabaya",
        "Pasar Bengkulu",
    ],
    "Singaran Pati": ["Panorama", "Jembatan Kecil", "Dusun Besar", "Padang Nangka", "Timur Indah", "Lingkar Timur"],
}

# (name, short name, urusan)
OPD = [
    ("Sekretariat Daerah", "Setda", "Administrasi Pemerintahan"),
    ("Sekretariat DPRD", "Setwan", "Administrasi Pemerintahan"),
    ("Inspektorat", "", "Pengawasan"),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", "Perencanaan"),
    ("Badan Keuangan Daerah", "BKD", "Keuangan"),
    ("Badan Pendapatan Daerah", "Bapenda", "Keuangan"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "Kepegawaian"),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", "Kesatuan Bangsa dan Politik"),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat"),
    ("Dinas Pendidikan dan Kebudayaan", "Dikbud", "Pendidikan"),
    ("Dinas Kesehatan", "Dinkes", "Kesehatan"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR", "Pekerjaan Umum dan Penataan Ruang"),
    ("Dinas Perumahan dan Kawasan Permukiman", "Perkim", "Perumahan Rakyat dan Kawasan Permukiman"),
    ("Satuan Polisi Pamong Praja", "Satpol PP", "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat"),
    ("Dinas Pemadam Kebakaran", "Damkar", "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat"),
    ("Dinas Sosial", "Dinsos", "Sosial"),
    ("Dinas Tenaga Kerja", "Disnaker", "Tenaga Kerja"),
    (
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        "DP3AP2KB",
        "Pemberdayaan Perempuan dan Perlindungan Anak",
    ),
    ("Dinas Ketahanan Pangan", "DKP", "Pangan"),
    ("Dinas Lingkungan Hidup", "DLH", "Lingkungan Hidup"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Dukcapil", "Administrasi Kependudukan dan Pencatatan Sipil"),
    ("Dinas Perhubungan", "Dishub", "Perhubungan"),
    ("Dinas Komunikasi dan Informatika", "Diskominfo", "Komunikasi dan Informatika"),
    ("Dinas Koperasi dan Usaha Kecil Menengah", "Diskop UKM", "Koperasi, Usaha Kecil, dan Menengah"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "Penanaman Modal"),
    ("Dinas Kepemudaan dan Olahraga", "Dispora", "Kepemudaan dan Olahraga"),
    ("Dinas Perpustakaan dan Kearsipan", "Dispusip", "Perpustakaan"),
    ("Dinas Pariwisata", "Dispar", "Pariwisata"),
    ("Dinas Pertanian", "Distan", "Pertanian"),
    ("Dinas Kelautan dan Perikanan", "DKP Perikanan", "Kelautan dan Perikanan"),
    ("Dinas Perdagangan", "Disdag", "Perdagangan"),
    ("Dinas Pemberdayaan Masyarakat", "DPM", "Pemberdayaan Masyarakat dan Desa"),
    ("Bagian Pemerintahan", "", "Administrasi Pemerintahan"),
    ("Bagian Hukum", "", "Administrasi Pemerintahan"),
    ("Bagian Organisasi", "", "Administrasi Pemerintahan"),
    ("Bagian Kesejahteraan Rakyat", "Kesra", "Sosial"),
    ("Bagian Perekonomian dan Sumber Daya Alam", "", "Perekonomian"),
    ("Bagian Pengadaan Barang dan Jasa", "", "Administrasi Pemerintahan"),
    ("RSUD Harapan dan Doa", "RSHD", "Kesehatan"),
    ("Perumda Tirta Hidayah", "PDAM", "Pekerjaan Umum dan Penataan Ruang"),
]

PUSKESMAS = [
    "Jalan Gedang",
    "Sawah Lebar",
    "Kuala Lempuing",
    "Lingkar Barat",
    "Lingkar Timur",
    "Nusa Indah",
    "Penurunan",
    "Pasar Ikan",
    "Ratu Agung",
    "Sukamerindu",
    "Basuki Rahmat",
    "Kampung Bali",
    "Jembatan Kecil",
    "Padang Serai",
    "Anggut Atas",
    "Betungan",
    "Bentiring",
    "Sidomulyo",
    "Telaga Dewa",
    "Beringin Raya",
]

THEMES = {
    "Pendidikan": [
        "Literasi",
        "Numerasi",
        "Kelas Inspirasi",
        "Sekolah Ramah Anak",
        "Pojok Baca",
        "Guru Berbagi",
        "Rapor Digital",
        "Pentas Karakter",
        "Sahabat Sains",
        "Kantin Sehat",
    ],
    "Kesehatan": [
        "Posyandu Remaja",
        "Cegah Stunting",
        "Kunjungan Lansia",
        "Antrean Daring",
        "Ibu Hamil Sehat",
        "Gizi Seimbang",
        "Jemput Bola Imunisasi",
        "Konseling Sebaya",
        "Deteksi Dini TBC",
    ],
    "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat": [
        "Ronda Digital",
        "Siaga Bencana",
        "Lingkungan Aman",
        "Kampung Tangguh",
        "Patroli Sahabat Warga",
    ],
    "Sosial": ["Sedekah Beras", "Peduli Lansia", "Rumah Singgah", "Bantuan Tepat Sasaran", "Dapur Umum Warga"],
    "Administrasi Kependudukan dan Pencatatan Sipil": ["Adminduk Keliling", "Akta Lahir Cepat", "KTP di Kelurahan"],
    "Pemberdayaan Masyarakat dan Desa": [
        "Bank Sampah",
        "Kebun Gizi",
        "Musrenbang Daring",
        "Warung Warga",
        "Lapak UMKM",
        "Kampung Iklim",
        "Taman Baca Warga",
        "Layanan Surat Kilat",
    ],
}
OPD_THEMES = [
    "Layanan Daring",
    "Aplikasi Pelaporan",
    "Dasbor Kinerja",
    "Pelayanan Keliling",
    "Sistem Arsip",
    "Pengaduan Cepat",
    "Data Terpadu",
    "Antrean Digital",
    "Jemput Bola",
    "Klinik Konsultasi",
]
PREFIXES = ["Gerakan", "Sistem Informasi", "Layanan", "Program", "Si", "E-", "Gema", "Aksi", "Rumah", "Sahabat"]
STAGES = ["Inisiatif", "Uji Coba", "Penerapan", "Penerapan", "Penerapan"]
AREA_URUSAN = [
    "Pemberdayaan Masyarakat dan Desa",
    "Sosial",
    "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat",
    "Administrasi Kependudukan dan Pencatatan Sipil",
]


def roster_units() -> list[dict]:
    units = [{"name": n, "type": "OPD", "short": s, "urusan": u, "kec": ""} for n, s, u in OPD]
    for kec in KECAMATAN:
        units.append({"name": f"Kecamatan {kec}", "type": "Kecamatan", "short": "", "urusan": "", "kec": kec})
    for kec, kels in KECAMATAN.items():
        for kel in kels:
            units.append({"name": f"Kelurahan {kel}", "type": "Kelurahan", "short": "", "urusan": "", "kec": kec})
    for p in PUSKESMAS:
        units.append(
            {"name": f"UPTD Puskesmas {p}", "type": "Puskesmas", "short": "", "urusan": "Kesehatan", "kec": ""}
        )
    rng = random.Random(SEED)
    sd_numbers = sorted(rng.sample(range(1, 106), 82))
    for n in sd_numbers:
        units.append({"name": f"SD Negeri {n}", "type": "SD", "short": "", "urusan": "Pendidikan", "kec": ""})
    for n in range(1, 26):
        units.append({"name": f"SMP Negeri {n}", "type": "SMP", "short": "", "urusan": "Pendidikan", "kec": ""})
    return units


def write_roster(units: list[dict]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Daftar Unit"
    ws["A1"] = "DAFTAR UNIT WAJIB INOVASI — PEMERINTAH KOTA BENGKULU"
    ws["A2"] = "Sumber: Bappeda Kota Bengkulu, Juli 2024"
    ws.merge_cells("A1:E1")
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(["No", "Nama Unit", "Jenis Unit", "Singkatan", "Kecamatan"])
    for c in ws[4]:
        c.font = Font(bold=True)
    for i, u in enumerate(units, 1):
        ws.append([i, u["name"], u["type"], u["short"] or None, u["kec"] or None])
    ws.column_dimensions["B"].width = 60
    wb.save(OUT / "daftar_unit_kota_bengkulu.xlsx")


def variant(u: dict, rng: random.Random) -> str:
    """The unit name as an operator might have typed it."""
    name, t = u["name"], u["type"]
    bare = name.split(" ", 1)[1] if t in ("Kecamatan", "Kelurahan") else name
    if t == "Kecamatan":
        return rng.choice([name, f"Camat {bare}", f"Kec. {bare}", name.upper()])
    if t == "Kelurahan":
        return rng.choice([name, name, f"Kel. {bare}", f"Lurah {bare}", f"{name} Kota Bengkulu"])
    if t == "Puskesmas":
        p = name.replace("UPTD Puskesmas ", "")
        return rng.choice([name, f"PKM {p}", f"Puskesmas {p}", name.upper()])
    if t in ("SD", "SMP"):
        n = int(name.rsplit(" ", 1)[1])
        return rng.choice([name, f"{t}N {n}", f"{t} N {n:02d}", f"{t} Negeri {n:02d} Kota Bengkulu"])
    options = [name, name, f"{name} Kota Bengkulu", name.replace(" dan ", " & ")]
    if u["short"]:
        options.append(u["short"].upper())
    return rng.choice(options)


def innovation_name(u: dict, rng: random.Random, used: set[str]) -> tuple[str, str]:
    urusan = u["urusan"] or rng.choice(AREA_URUSAN)
    pool = THEMES.get(urusan, OPD_THEMES)
    while True:
        theme = rng.choice(pool)
        prefix = rng.choice(PREFIXES)
        place = u["name"].split(" ", 1)[-1] if u["type"] != "OPD" else (u["short"] or "")
        name = f"{prefix}{'' if prefix.endswith('-') or prefix == 'Si' else ' '}{theme} {place}".strip()
        if name.lower() not in used:
            used.add(name.lower())
            return name, urusan


def plan(units: list[dict]) -> list[dict]:
    """Each unit's innovations with the day they appear and their score history."""
    rng = random.Random(SEED + 1)
    used: set[str] = set()
    entries = []
    for u in units:
        fate = rng.choices(["ready", "improve", "one", "none", "late"], [38, 17, 20, 20, 5])[0]
        count = {"ready": 2, "improve": 2, "one": 1, "none": 0, "late": 2}[fate]
        if fate == "ready" and rng.random() < 0.1:
            count = 3
        for k in range(count):
            name, urusan = innovation_name(u, rng, used)
            first_day = rng.choice([8, 8, 9, 10]) if fate != "late" else 10
            good = fate in ("ready", "late") or (fate == "improve" and k == 0) or (fate == "one" and rng.random() < 0.5)
            score = round(rng.uniform(70, 104), 1) if good else round(rng.uniform(38, 69.5), 1)
            improved = None
            if fate == "improve" and k == 1 and rng.random() < 0.45:
                improved = round(rng.uniform(70, 86), 1)  # re-uploaded after fixing
            entries.append(
                {
                    "unit": u,
                    "name": name,
                    "urusan": urusan,
                    "day": first_day,
                    "score": score,
                    "improved": improved,
                    "stage": rng.choice(STAGES),
                    "digital": rng.random() < 0.55,
                }
            )
    entries.append(
        {
            "unit": next(u for u in units if u["short"] == "Dukcapil"),
            "name": "SLAWE (Sistem Layanan Administrasi Warga Elektronik)",
            "urusan": "Administrasi Kependudukan dan Pencatatan Sipil",
            "day": 8,
            "score": 96.5,
            "improved": None,
            "stage": "Penerapan",
            "digital": True,
        }
    )
    entries.append(
        {
            "unit": next(u for u in units if u["short"] == "Kesra"),
            "name": "Gerakan Sedekah 2 Ribu",
            "urusan": "Sosial",
            "day": 9,
            "score": 88.0,
            "improved": None,
            "stage": "Penerapan",
            "digital": False,
        }
    )
    return entries


def score_cell(x: float, rng: random.Random):
    """Scores as staff leave them: numbers, text with a comma, text with spaces."""
    r = rng.random()
    if r < 0.25:
        return f"{x:.1f}".replace(".", ",")
    if r < 0.32:
        return f" {x:.1f} "
    return x


# Rows of an export whose unit no roster has (or has misspelt): (written unit, roster unit or None, innovation, score).
EXTRAS = [
    ("UPT Pengelolaan Sampah", None, "Bank Sampah Digital", 74.0, 8),
    ("Kelurahan Padang Harapn", "Kelurahan Padang Harapan", "Layanan Surat Kilat Padang Harapan", 71.5, 8),
    ("Forum Anak Kota Bengkulu", None, "Suara Anak Kota", 66.0, 9),
]


def export_rows(entries: list[dict], day: int) -> list[dict]:
    """The innovation rows of the export of `day`, in file order, with the truth behind each: the roster unit
    (None for a unit no roster has), the innovation, the score (None when typed as "belum dinilai") and when it
    was uploaded. Tests derive the expected readiness from these, never from the engine's output."""
    rng = random.Random(SEED + day)
    as_of = dt.datetime(2024, 7, day, 16, 0)
    rows = []
    for e in entries:
        if e["day"] > day:
            continue
        uploaded = dt.datetime(2024, 7, e["day"], rng.randint(8, 15), rng.randint(0, 59))
        rows.append((e, e["score"], uploaded))
        if e["improved"] is not None and day > e["day"]:
            # Re-uploaded the next day after improvement: the portal list keeps both rows.
            rows.append((e, e["improved"], uploaded + dt.timedelta(days=1, hours=1)))
    rng.shuffle(rows)
    out = []
    for e, score, uploaded in rows:
        name = e["name"] if rng.random() > 0.05 else e["name"].upper()
        date_cell = (
            uploaded
            if rng.random() < 0.7
            else rng.choice([uploaded.strftime("%d/%m/%Y"), f"{uploaded.day} Juli {uploaded.year}"])
        )
        assessed = rng.random() > 0.03
        score_value = score_cell(score, rng) if assessed else "belum dinilai"
        out.append(
            {
                "written": variant(e["unit"], rng),
                "unit": e["unit"]["name"],
                "innovation": name,
                "stage": e["stage"],
                "digital": e["digital"],
                "urusan": e["urusan"],
                "trial": dt.date(2023, rng.randint(1, 12), 1),
                "applied": dt.date(2024, rng.randint(1, 6), 1),
                "score": score if assessed else None,
                "score_cell": score_value,
                "uploaded": uploaded,
                "date_cell": date_cell,
            }
        )
    for written, unit, innovation, score, first in EXTRAS:
        if day >= first:
            out.append(
                {
                    "written": written,
                    "unit": unit,
                    "innovation": innovation,
                    "stage": "Uji Coba",
                    "extra": True,
                    "digital": False,
                    "urusan": "Sosial",
                    "trial": None,
                    "applied": None,
                    "score": score,
                    "score_cell": f"{score:.1f}".replace(".", ","),
                    "uploaded": as_of.replace(hour=0),
                    "date_cell": as_of.strftime("%d/%m/%Y"),
                }
            )
    return out


def write_export(entries: list[dict], day: int) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data Inovasi"
    ws["A1"] = "DAFTAR INOVASI DAERAH — KOTA BENGKULU"
    ws["A2"] = "Indeks Inovasi Daerah Tahun 2024"
    ws["A3"] = f"Diunduh: {day} Juli 2024 pukul 16.00 WIB"
    ws.merge_cells("A1:K1")
    ws.merge_cells("A2:K2")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([])
    header = [
        "No",
        "Nama Pemda",
        "Perangkat Daerah",
        "Nama Inovasi",
        "Tahapan",
        "Jenis Inovasi",
        "Urusan Utama",
        "Waktu Uji Coba",
        "Waktu Penerapan",
        "Estimasi Skor Kematangan",
        "Tanggal Input",
    ]
    ws.append(header)
    for c in ws[5]:
        c.font = Font(bold=True)
    rows = export_rows(entries, day)
    for no, r in enumerate(rows, 1):
        ws.append(
            [
                no,
                "Kota Bengkulu",
                r["written"],
                r["innovation"],
                r["stage"],
                "Digital" if r["digital"] else "Non Digital",
                r["urusan"],
                r["trial"],
                r["applied"],
                r["score_cell"],
                r["date_cell"],
            ]
        )
    ws.append([None, None, "JUMLAH", f"{len(rows)} inovasi"])
    ws.append([])
    ws.append([None, None, None, None, None, None, None, None, None, f"Bengkulu, {day} Juli 2024"])
    ws.append([None, None, None, None, None, None, None, None, None, "Kepala Bappeda Kota Bengkulu"])
    for col, width in zip("ABCDEFGHIJK", [5, 14, 42, 48, 11, 12, 30, 13, 13, 12, 16]):
        ws.column_dimensions[col].width = width

    summary = wb.create_sheet("Ringkasan")
    summary.append(["Ringkasan per tahapan"])
    summary.append(["Tahapan", "Jumlah"])
    for stage in ["Inisiatif", "Uji Coba", "Penerapan"]:
        summary.append([stage, sum(1 for r in rows if r["stage"] == stage and not r.get("extra"))])
    path = OUT / f"ekspor_inovasi_2024-07-{day:02d}.xlsx"
    wb.save(path)
    return path


def truth(day: int, threshold: float = 70, required: int = 2) -> dict[str, dict]:
    """What the export of `day` says, unit by roster unit: distinct innovations (the latest upload of each
    wins) and how many of them reach `threshold`. Units with nothing uploaded are included with zeros."""
    units = roster_units()
    latest: dict[tuple[str, str], dict] = {}
    for r in export_rows(plan(units), day):
        if r["unit"] is None:
            continue
        key = (r["unit"], r["innovation"].lower())
        if key not in latest or r["uploaded"] >= latest[key]["uploaded"]:
            latest[key] = r
    out = {u["name"]: {"type": u["type"], "uploaded": 0, "passing": 0} for u in units}
    for (unit, _), r in latest.items():
        out[unit]["uploaded"] += 1
        out[unit]["passing"] += int(r["score"] is not None and r["score"] >= threshold)
    for u in out.values():
        u["ready"] = u["passing"] >= required
    return out


def write_history() -> None:
    (OUT / "riwayat_iga.csv").write_text(
        "tahun,jumlah_inovasi,hasil,peringkat,catatan\n"
        "2022,202,10 besar nasional,10,IGA 2022 kategori kota\n"
        "2023,221,Kota Sangat Inovatif,,Predikat IGA 2023\n",
        encoding="utf-8",
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    units = roster_units()
    write_roster(units)
    entries = plan(units)
    for day in (8, 9, 10):
        write_export(entries, day)
    write_history()
    print(f"{len(units)} unit, {len(entries)} inovasi -> {OUT}")


if __name__ == "__main__":
    main()
