"""Pengaturan: the rules every page computes with; defaults come from iga_data/config/settings.toml."""

import streamlit as st

import ui
from iga_data import fmt
from iga_data.settings import default_settings
from iga_data.errors import InputError
from iga_data.parsing import setting_number
from iga_data.rules import available_years

ui.within_app()

st.title("Pengaturan")
st.caption("Perubahan langsung dipakai semua halaman. Nilai bawaan diambil dari iga_data/config/settings.toml. "
           "Angka desimal ditulis dengan koma, mis. 72,5.")
ui.show_flash()
current = ui.settings()
years = available_years()

with st.form("settings"):
    left, right = st.columns(2)  # one row per pair of fields, so a phone keeps the order
    threshold = left.text_input("Skor minimal per inovasi (skala 0–111)", fmt.decimal(current.threshold))
    required = right.number_input("Inovasi wajib per unit", 1, 20, current.required_per_unit)
    left, right = st.columns(2)
    deadline = left.date_input("Tenggat unggah", current.deadline, format="DD/MM/YYYY")
    season = right.number_input("Tahun IGA", 2020, 2100, current.season_year)
    left, right = st.columns(2)
    target_rank = left.number_input("Target peringkat nasional", 1, 100, current.target_rank)
    rule_year = right.selectbox("Aturan IID tahun", years,
                                index=years.index(current.rule_year) if current.rule_year in years else len(years) - 1)
    left, right = st.columns(2)
    spd = left.text_input("Perkiraan skor SPD Pemda (0–63)", fmt.decimal(current.spd))
    target_iid = right.text_input("IID yang diyakini perlu untuk target (0–100)", fmt.decimal(current.target_iid))
    city = st.text_input("Nama Pemda (ditulis di belakang nama unit, mis. 'Dinas Sosial Kota Bengkulu')", current.city)
    flagship = st.text_area("Inovasi unggulan (satu per baris)", "\n".join(current.flagship))
    saved = st.form_submit_button("Simpan pengaturan", type="primary", icon=":material/save:")

if saved:
    try:
        new = current.replace(
            threshold=setting_number(threshold, "Skor minimal"), required_per_unit=required, deadline=deadline,
            season_year=season, target_rank=target_rank, rule_year=rule_year, spd=setting_number(spd, "Skor SPD"),
            target_iid=setting_number(target_iid, "Target IID"), city=city, flagship=flagship.splitlines(),
        )
    except InputError as exc:
        st.error(f"{exc} Pengaturan tidak diubah.", icon=":material/error:")
    else:
        ui.store().save_settings(new.to_mapping(), ui.actor())
        ui.flash("Pengaturan disimpan; semua halaman memakai aturan baru.")
        st.rerun()

defaults = default_settings()
if current != defaults:
    st.caption(f"Bawaan: skor minimal {fmt.score(defaults.threshold)}, {defaults.required_per_unit} inovasi per unit, "
               f"tenggat {fmt.date(defaults.deadline)}.")
    if st.button("Kembalikan ke nilai bawaan", icon=":material/restart_alt:"):
        ui.store().save_settings({}, ui.actor())
        ui.flash("Pengaturan dikembalikan ke nilai bawaan.")
        st.rerun()
