"""Pengaturan: the rules every page computes with, and the Pemda's past seasons."""

import streamlit as st

import ui
from iga_data import fmt, history, safetext, tables, wording
from iga_data.errors import InputError
from iga_data.parsing import setting_numbers
from iga_data.rules import available_years
from iga_data.settings import default_settings

ui.within_app()

st.title("Pengaturan")
st.caption("Perubahan langsung dipakai semua halaman. Angka desimal ditulis dengan koma, mis. 72,5.")
ui.show_flash()
st.page_link(
    "pages/siapkan.py", label="Pemda lain? Siapkan daftar unit dari data wilayah", icon=":material/rocket_launch:"
)
current = ui.settings()
years = available_years()

with st.form("settings"):
    left, right = st.columns(2)  # one row per pair of fields, so a phone keeps the order
    threshold = left.text_input(
        f"Skor minimal per inovasi ({wording.score_scale(current)})", fmt.decimal(current.threshold)
    )
    required = right.number_input("Inovasi wajib per unit", 1, 20, current.required_per_unit)
    left, right = st.columns(2)
    deadline = left.date_input("Tenggat unggah", current.deadline, format="DD/MM/YYYY")
    season = right.number_input("Tahun IGA", 2020, 2100, current.season_year)
    left, right = st.columns(2)
    target_rank = left.number_input("Target peringkat nasional", 1, 100, current.target_rank)
    rule_year = right.selectbox(
        "Aturan IID tahun",
        years,
        index=years.index(current.rule_year) if current.rule_year in years else len(years) - 1,
    )
    left, right = st.columns(2)
    spd = left.text_input(f"Perkiraan skor SPD Pemda (0–{fmt.num(current.rules.spd_max)})", fmt.decimal(current.spd))
    target_iid = right.text_input("IID yang diyakini perlu untuk target (0–100)", fmt.decimal(current.target_iid))
    left, right = st.columns(2)
    spd_low = left.text_input(
        "SPD terendah yang masuk akal",
        fmt.decimal(current.spd_low),
        help="Setiap perkiraan IID ditampilkan dengan rentang dari SPD terendah sampai tertinggi.",
    )
    spd_high = right.text_input("SPD tertinggi yang masuk akal", fmt.decimal(current.spd_high))
    city = st.text_input("Nama Pemda (ditulis di belakang nama unit, mis. 'Dinas Sosial Kota Bengkulu')", current.city)
    flagship = st.text_area("Inovasi unggulan (satu per baris)", "\n".join(current.flagship))
    saved = st.form_submit_button("Simpan pengaturan", type="primary", icon=":material/save:")

if saved:
    try:
        number = setting_numbers(
            {
                "Skor minimal": threshold,
                "Skor SPD": spd,
                "SPD terendah": spd_low,
                "SPD tertinggi": spd_high,
                "Target IID": target_iid,
            }
        )
        new = current.replace(
            threshold=number["Skor minimal"],
            required_per_unit=required,
            deadline=deadline,
            season_year=season,
            target_rank=target_rank,
            rule_year=rule_year,
            spd=number["Skor SPD"],
            spd_low=number["SPD terendah"],
            spd_high=number["SPD tertinggi"],
            target_iid=number["Target IID"],
            city=city,
            flagship=flagship.splitlines(),
        )
    except InputError as exc:
        st.error(f"{safetext.md(exc)} Pengaturan tidak diubah.", icon=":material/error:")
    else:
        ui.store().save_settings(new.to_mapping(), ui.actor())
        ui.flash("Pengaturan disimpan; semua halaman memakai aturan baru.")
        st.rerun()

defaults = default_settings()
if current != defaults:
    st.caption(
        f"Bawaan: skor minimal {fmt.score(defaults.threshold)}, {defaults.required_per_unit} inovasi per unit, "
        f"tenggat {fmt.date(defaults.deadline)}."
    )
    if st.button("Kembalikan ke nilai bawaan", icon=":material/restart_alt:"):
        ui.store().save_settings({}, ui.actor())
        ui.flash("Pengaturan dikembalikan ke nilai bawaan.")
        st.rerun()

st.subheader("Tahun-tahun sebelumnya")
st.caption(
    "Jumlah inovasi, hasil dan peringkat IGA tahun lalu (mis. 202 inovasi pada 2022, 221 pada 2023); dipakai "
    "grafik Tren. Tambah baris di bawah tabel; kosongkan satu baris untuk menghapusnya."
)
edited = st.data_editor(
    tables.seasons_editor(history.from_records(ui.store().seasons())),
    num_rows="dynamic",
    hide_index=True,
    key="seasons",
)
if st.button("Simpan riwayat", icon=":material/save:"):
    try:
        records = history.to_records(history.checked(tables.seasons_from_editor(edited)))
    except InputError as exc:
        st.error(f"{safetext.md(exc)} Riwayat tidak diubah.", icon=":material/error:")
    else:
        ui.store().save_seasons(records, ui.actor())
        ui.flash(f"Riwayat {len(records)} tahun disimpan.")
        st.rerun()
