"""Ringkasan: are we ready, who is lagging, are we on course — in one screen."""

import streamlit as st

import ui
from iga_data import charts, fmt, timeline, wording

ui.within_app()

v = ui.require_view()
summary = v.summary
s = v.settings
progress = ui.progress(v)

st.title("Ringkasan kesiapan IGA")
st.markdown(f"#### {wording.situation_line(summary)}")

previous = timeline.previous_point(progress, v.info.as_of)
for column, m in zip(st.columns(5), wording.headline(summary, v.info.as_of.date(), s.deadline, previous)):
    column.metric(m.label, m.value, m.delta, delta_color=m.delta_color, help=m.help, border=True)

left, right = st.columns([3, 2])
with left:
    st.markdown("**Status unit per jenis**")
    ui.chart(charts.status_by_type(v.analysis.units), key="status_by_type")
with right:
    st.markdown("**Kemajuan menuju tenggat**")
    ui.progress_block(progress, s, key="progress")

left, right = st.columns([3, 2])
with left:
    st.markdown("**Inovasi per tahun**")
    past = ui.past_seasons(v)
    ui.chart(charts.trend(past, summary.local_need, compact=True), key="trend")
    st.caption(f"Target tahun ini: {s.target_rank} besar nasional — ditentukan oleh IID, lihat proyeksi di samping.")
with right:
    st.markdown(f"**Proyeksi Indeks Inovasi Daerah (aturan {s.rule_year})**")
    sim = ui.simulation_of(v)
    now = sim.current
    st.metric("IID dari data sekarang", fmt.num(now.iid, 2), help=wording.projection_help(sim.rules), border=True)
    st.markdown(wording.verdict(now, s.target_iid))
    st.page_link("pages/simulasi.py", label="Buka Simulasi: langkah yang menaikkan IID", icon=":material/tune:")

st.page_link("pages/kesiapan.py", label="Unit belum siap & daftar tindak lanjut", icon=":material/arrow_forward:")
