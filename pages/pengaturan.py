"""Pengaturan: the rules every page computes with; defaults come from iga_data/config/settings.toml."""

import streamlit as st

import ui
from iga_data import fmt
from iga_data.config import default_settings
from iga_data.errors import InputError
from iga_data.rules import available_years

st.title("Pengaturan")
st.caption("Perubahan langsung dipakai semua halaman. Nilai bawaan diambil dari iga_data/config/settings.toml.")
current = ui.settings()

with st.form("settings"):
    c1, c2 = st.columns(2)
    threshold = c1.number_input("Skor minimal per inovasi (skala 0–111)", 0.0, 111.0, current.threshold, 0.5,
                                format="%.1f")
    required = c2.number_input("Inovasi wajib per unit", 1, 20, current.required_per_unit)
    deadline = c1.date_input("Tenggat unggah", current.deadline, format="DD/MM/YYYY")
    season = c2.number_input("Tahun IGA", 2020, 2100, current.season_year)
    target_rank = c1.number_input("Target peringkat nasional", 1, 100, current.target_rank)
    years = available_years()
    rule_year = c2.selectbox("Aturan IID tahun", years,
                             index=years.index(current.rule_year) if current.rule_year in years else len(years) - 1)
    spd = c1.number_input("Perkiraan skor SPD Pemda (0–63)", 0.0, 63.0, current.spd, 0.5, format="%.1f")
    target_iid = c2.number_input("IID yang diyakini perlu untuk target (0–100)", 0.0, 100.0, current.target_iid, 0.5,
                                 format="%.1f")
    city = st.text_input("Nama Pemda (ditulis di belakang nama unit, mis. 'Dinas Sosial Kota Bengkulu')", current.city)
    flagship = st.text_area("Inovasi unggulan (satu per baris)", "\n".join(current.flagship))
    saved = st.form_submit_button("Simpan pengaturan", type="primary", icon=":material/save:")

if saved:
    try:
        new = current.replace(
            threshold=threshold, required_per_unit=required, deadline=deadline, season_year=season,
            target_rank=target_rank, rule_year=rule_year, spd=spd, target_iid=target_iid, city=city,
            flagship=flagship.splitlines(),
        )
        ui.store().save_settings(new.to_mapping())
        st.success("Pengaturan disimpan; semua halaman memakai aturan baru.", icon=":material/check:")
    except InputError as exc:
        st.error(str(exc))

defaults = default_settings()
if current != defaults:
    st.caption(f"Bawaan: skor minimal {fmt.score(defaults.threshold)}, {defaults.required_per_unit} inovasi per unit, "
               f"tenggat {fmt.date(defaults.deadline)}.")
    if st.button("Kembalikan ke nilai bawaan", icon=":material/restart_alt:"):
        ui.store().save_settings({})
        st.rerun()
