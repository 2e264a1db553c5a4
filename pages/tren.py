"""Tren & Target: this season against past seasons and the top-N target."""

import streamlit as st

import ui
from iga_data import fmt, tables, wording

ui.within_app()

v = ui.require_view()
summary = v.summary
s = v.settings

st.title("Tren & target")
past = ui.past_seasons(v)
st.markdown(f"**Inovasi per tahun — target {s.target_rank} besar nasional**")
ui.chart(ui.trend_chart(v), key="trend_full")
st.markdown(wording.history_reading(past, summary.local_need, s, (summary.units.ready, summary.units.expected)))
st.caption(
    f"Kebutuhan lokal: {wording.local_need_text(summary)}. Peringkat nasional ditentukan oleh Indeks "
    "Inovasi Daerah, bukan oleh jumlah saja."
)
ui.table(tables.history_table(past))
st.caption("Tahun-tahun sebelumnya diisi dan dibetulkan di halaman Pengaturan.")

st.subheader("Kemajuan menuju tenggat")
progress = ui.progress(v)
ui.progress_block(progress, s, key="progress_full", left_out=ui.other_uploads(v))
st.caption(
    f"Dari {fmt.num(len(progress))} titik data (satu per waktu data) sampai data yang ditampilkan; "
    f"tenggat {fmt.date(s.deadline)}."
)
