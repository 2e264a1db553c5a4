"""Tren & Target: this season against past seasons and the top-N target."""

import streamlit as st

import ui
from iga_data import charts, fmt, tables, wording
from iga_data.history import HISTORY_FILE

ui.within_app()

v = ui.require_view()
summary = v.summary
s = v.settings

st.title("Tren & target")
past = ui.past_seasons(v)
local_need = summary.local_need
st.markdown(f"**Inovasi per tahun — target {s.target_rank} besar nasional**")
ui.chart(charts.trend(past, local_need), key="trend_full")
st.markdown(wording.history_reading(past, local_need, s))
ui.table(tables.history_table(past))
st.caption(f"Riwayat diambil dari berkas {HISTORY_FILE.name} (folder sample_data); ubah berkas itu untuk "
           "menambah atau membetulkan tahun sebelumnya.")

st.subheader("Kemajuan menuju tenggat")
progress = ui.progress(v)
ui.progress_block(progress, s, key="progress_full")
st.caption(f"Dari {fmt.num(len(progress))} titik data (satu per waktu data) sampai data yang ditampilkan; "
           f"tenggat {fmt.date(s.deadline)}.")
