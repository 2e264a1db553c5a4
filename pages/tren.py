"""Tren & Target: this season against past seasons and the top-N target."""

import streamlit as st

import ui
from iga_data import charts, fmt, history, timeline
from iga_data.history import HISTORY_FILE

v = ui.require_view()
summary = v.summary
s = v.settings

st.title("Tren & target")
past = history.with_current(history.load_history(), s.season_year, summary["innovations"])
local_need = summary["units"]["expected"] * s.required_per_unit
st.markdown(f"**Inovasi per tahun — target {s.target_rank} besar nasional**")
ui.chart(charts.trend(past, local_need), key="trend_full")
st.markdown(history.reading(past, local_need, s))
ui.table(history.display(past))
st.caption(f"Riwayat diambil dari berkas {HISTORY_FILE.name} (folder sample_data); ubah berkas itu untuk "
           "menambah atau membetulkan tahun sebelumnya.")

st.subheader("Kemajuan menuju tenggat")
progress = ui.progress(v)
pace = timeline.pace(progress, s.deadline)
ui.chart(charts.progress(progress, s.deadline, pace), key="progress_full")
(st.success if pace.enough else st.warning)(pace.statement)
st.caption(f"Dari {fmt.num(len(progress))} snapshot tersimpan; tenggat {fmt.date(s.deadline)}.")
