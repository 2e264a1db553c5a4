"""Siapkan untuk Pemda Anda: the roster of any Pemda from the official region list, the standard perangkat
daerah and the operator's own school and puskesmas lists, with the Pemda name, season and IID rule year."""

import hashlib

import pandas as pd
import streamlit as st

import ui
from iga_data import fmt, regions, safetext, tables
from iga_data.errors import InputError
from iga_data.reading import Source
from iga_data.roster_build import HEADERS, build_roster, list_types, list_units, opd_template, typed_units
from iga_data.roster_diff import KIND_LABELS, follow_current, roster_differences
from iga_data.rules import available_years
from iga_data.settings import season_deadline
from iga_data.vocabulary import type_labels

ui.within_app()

st.title("Siapkan untuk Pemda Anda")
st.caption(
    "Kecamatan dan kelurahan/desa diambil dari data wilayah resmi, perangkat daerah dari templat yang dapat "
    "diubah, sekolah dan puskesmas dari daftar yang sudah Anda punya. Hasilnya daftar unit biasa (.xlsx) "
    "yang dapat diunduh, diubah dan diunggah lagi."
)
ui.show_flash()
store = ui.store()
settings = ui.settings()
labels = type_labels()
try:
    here = regions.find_pemda(settings.city)
except InputError:
    here = None

st.subheader("1. Pemda")
provinces = regions.provinces()
left, right = st.columns(2)
province = left.selectbox(
    "Provinsi",
    list(provinces),
    format_func=provinces.get,
    placeholder="Pilih provinsi",
    index=list(provinces).index(here.province_code) if here else None,
    key="setup_province",
)
if province is None:
    st.info("Pilih provinsi, lalu kabupaten/kota Anda.", icon=":material/map:")
    st.stop()
choices = {p.code: p for p in regions.pemda_list(province)}
code = right.selectbox(
    "Kabupaten/kota (ketik untuk mencari)",
    list(choices),
    format_func=lambda c: f"{choices[c].name} ({c})",
    placeholder="Pilih kabupaten/kota",
    index=list(choices).index(here.code) if here and here.code in choices else None,
    key=f"setup_pemda_{province}",
)
if code is None:
    st.stop()
pemda = choices[code]
kecamatan = regions.kecamatan_of(pemda)["name"].tolist()
st.caption(regions.ATTRIBUTION)

st.subheader("2. Perangkat daerah")
st.caption("Hapus centang yang tidak ada di Pemda Anda, ubah nama atau singkatan yang berbeda, tambah baris di bawah.")
opd = st.data_editor(
    opd_template(pemda.kind).assign(use=True),
    num_rows="dynamic",
    hide_index=True,
    column_order=["use", "name", "short_name"],
    key=f"setup_opd_{pemda.kind}",
    column_config={
        "use": st.column_config.CheckboxColumn("Pakai", default=True),
        "name": st.column_config.TextColumn("Nama perangkat daerah", width="large"),
        "short_name": st.column_config.TextColumn("Singkatan"),
    },
)

st.subheader("3. Sekolah dan puskesmas")
lists, notes = [], []
left, right = st.columns(2)
for column, label, assumed, key in (
    (left, "Daftar sekolah (kolom seperti NPSN, Nama Sekolah, Bentuk Pendidikan, Kecamatan)", None, "schools"),
    (right, "Daftar puskesmas (kolom Nama Puskesmas, Kecamatan)", "Puskesmas", "puskesmas"),
):
    file = column.file_uploader(label, type=ui.UPLOAD_TYPES, key=f"setup_{key}")
    if file is not None:
        try:
            units, found = list_units(Source(file.name, file.getvalue()), assumed)
        except InputError as exc:
            column.error(f"{exc} Daftar ini tidak dipakai.", icon=":material/error:")
        else:
            column.caption(f"{fmt.num(len(units))} unit terbaca dari {file.name}.")
            lists.append(units)
            notes += found
st.caption("Atau ketik unitnya, satu baris per unit:")
typed = st.data_editor(
    pd.DataFrame(columns=["name", "type", "kecamatan"], dtype=object),
    num_rows="dynamic",
    hide_index=True,
    key=f"setup_typed_{pemda.code}",
    column_config={
        "name": st.column_config.TextColumn("Nama unit", width="large"),
        "type": st.column_config.SelectboxColumn("Jenis unit", options=list_types(), format_func=labels.get),
        "kecamatan": st.column_config.SelectboxColumn("Kecamatan", options=kecamatan),
    },
)
units, found = typed_units(typed)
lists.append(units)
notes += found

st.subheader("4. Musim IGA")
city = st.text_input(
    "Nama Pemda (ditulis di belakang nama unit, mis. 'Dinas Sosial Kota Bengkulu')",
    pemda.name,
    key=f"setup_city_{pemda.code}",
)
left, middle, right = st.columns(3)
season = left.number_input("Tahun IGA", 2020, 2100, settings.season_year, key="setup_season")
deadline = middle.date_input(
    "Tenggat unggah",
    season_deadline(settings, season),
    format="DD/MM/YYYY",
    key=f"setup_deadline_{season}",
    help="Batas akhir unggah di portal IGA menurut surat edaran Kemendagri tahun ini. "
    "Tanggal awal di sini perkiraan dari tenggat yang berlaku; ubah bila berbeda.",
)
years = available_years()
rule_year = right.selectbox(
    "Aturan IID tahun",
    years,
    key="setup_rule_year",
    index=years.index(settings.rule_year) if settings.rule_year in years else len(years) - 1,
)

st.subheader("5. Pratinjau")
built = build_roster(pemda, opd, lists, notes)
active = store.active_roster()
if active is not None and pemda != here:
    st.caption(f"Daftar unit yang berlaku ({active.name}) milik {settings.city}: tidak dibandingkan.")
elif active is not None:
    try:
        current = ui.roster_of(active, city)
    except InputError as exc:
        st.warning(f"Daftar unit yang berlaku tidak dapat dibaca untuk dibandingkan: {exc}", icon=":material/warning:")
    else:
        differences = roster_differences(built.roster(city), current, city)
        if len(differences):
            st.markdown(
                f"**Perbedaan dengan daftar unit yang berlaku ({active.name})** — centang *Ikuti* untuk "
                "memakai ejaan, singkatan atau unit dari daftar yang berlaku; usulan sudah dicentang."
            )
            digest = hashlib.sha256(differences.to_csv().encode()).hexdigest()[:12]
            differences = st.data_editor(
                differences,
                hide_index=True,
                key=f"setup_diff_{digest}",
                column_order=["follow", "kind", "type", "new_name", "current_name", "reason"],
                disabled=[c for c in differences.columns if c != "follow"],
                column_config={
                    "follow": st.column_config.CheckboxColumn("Ikuti"),
                    "kind": st.column_config.SelectboxColumn(
                        "Perbedaan", options=list(KIND_LABELS), format_func=KIND_LABELS.get
                    ),
                    "type": st.column_config.SelectboxColumn("Jenis", options=list(labels), format_func=labels.get),
                    "new_name": st.column_config.TextColumn("Daftar baru"),
                    "current_name": st.column_config.TextColumn("Daftar berlaku"),
                    "reason": st.column_config.TextColumn("Alasan", width="large"),
                },
            )
            built = follow_current(built, differences, current)
roster = built.roster(city)
ui.table(tables.roster_summary(roster))
for note in [*built.notes, *roster.warnings]:
    st.warning(note, icon=":material/warning:")
with st.expander(f"Semua unit ({fmt.num(len(roster))})", icon=":material/list:"):
    ui.table(built.units.rename(columns=HEADERS))

st.subheader("6. Simpan")
workbook = built.workbook()
others = [s.id for s in ui.snapshots() if (s.pemda, s.season) != (city, season)]
move = bool(others) and st.checkbox(
    f"Pindahkan {fmt.num(len(others))} unggahan milik Pemda atau tahun IGA lain (mis. data contoh) ke Terhapus",
    value=True,
    key="setup_move_others",
    help="Unggahan itu tidak ikut dihitung di kemajuan Pemda ini; di Terhapus masih dapat dipulihkan.",
)
left, right = st.columns(2)
if left.button("Pakai daftar unit ini", type="primary", icon=":material/check:"):
    try:
        chosen = settings.replace(city=city, season_year=season, rule_year=rule_year, deadline=deadline.isoformat())
    except InputError as exc:
        st.error(f"{safetext.md(exc)} Tidak ada yang disimpan.", icon=":material/error:")
    else:
        store.save_settings(chosen.to_mapping(), ui.actor())
        store.set_active_roster(Source(built.file_name, workbook), ui.actor())
        if move:
            store.delete_all(others, ui.actor())
        moved = f" {fmt.num(len(others))} unggahan lain dipindahkan ke Terhapus." if move else ""
        ui.flash(
            f"Daftar unit {pemda.name} ({fmt.num(len(roster))} unit) sekarang berlaku, dengan nama Pemda, "
            f"tahun IGA {season}, tenggat {fmt.date(deadline)} dan aturan IID {rule_year}.{moved} Unggah ekspor "
            "Pemda Anda di halaman Unggah Data."
        )
        st.rerun()
right.download_button(
    "Unduh daftar unit (.xlsx)",
    data=workbook,
    file_name=built.file_name,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
)
st.page_link(ui.UPLOAD_PAGE, label="Buka Unggah Data", icon=":material/upload:")
