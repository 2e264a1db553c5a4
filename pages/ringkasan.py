"""Ringkasan: the four answers first (when, how many ready, on pace, what index), then the details."""

import streamlit as st

import ui
from iga_data import exports, timeline, wording

ui.within_app()

v = ui.require_view()
summary = v.summary
s = v.settings
progress = ui.progress(v)
pace = ui.pace(progress, s.deadline)
sim = ui.simulation_of(v)

st.title("Ringkasan kesiapan IGA")
ui.answers(wording.answers(summary, v.info.as_of, s, pace, sim, timeline.previous_point(progress, v.info.as_of)))
st.markdown(f"**{wording.situation_line(summary)}** {wording.target_reach(sim, s)}")

left, right = st.columns([3, 2])
with left:
    st.markdown("**Status unit per jenis** (persentase siap terendah di atas)")
    ui.chart(ui.status_chart(v), key="status_by_type")
with right:
    st.markdown("**Kemajuan menuju tenggat**")
    ui.progress_block(progress, s, key="progress", left_out=ui.other_uploads(v))

st.markdown("**Per pembina** — siapa yang menindaklanjuti unit yang belum siap")
ui.unit_cards(ui.pembina_cards(v))  # readable on a phone and a laptop
with st.expander("Tabel per pembina (untuk diurutkan atau diunduh)"):
    ui.table(ui.pembina_table(v), column_config={"Unit belum siap": st.column_config.TextColumn(width="large")})
st.page_link("pages/kesiapan.py", label="Unit belum siap & daftar tindak lanjut", icon=":material/arrow_forward:")

previous = timeline.previous_point(progress, v.info.as_of)
for column, m in zip(st.columns(5), wording.headline(summary, v.info.as_of.date(), s.deadline, previous)):
    column.metric(m.label, m.value, m.delta, delta_color=m.delta_color, help=m.help, border=True)

left, right = st.columns([3, 2])
with left:
    st.markdown("**Inovasi per tahun**")
    ui.chart(ui.trend_chart(v, compact=True), key="trend")
    st.caption(
        f"Garis putus-putus: kebutuhan lokal ({wording.local_need_text(summary)}). Target tahun ini: "
        f"{s.target_rank} besar nasional — ditentukan oleh IID, bukan jumlah saja."
    )
with right:
    st.markdown(f"**Perkiraan Indeks Inovasi Daerah (aturan {s.rule_year})**")
    st.markdown(wording.iid_estimate(sim, s.spd))
    st.markdown(wording.verdict(sim.current, s.target_iid))
    st.caption(wording.projection_help(sim.rules))
    st.page_link("pages/simulasi.py", label="Buka Simulasi: langkah yang menaikkan IID", icon=":material/tune:")

st.markdown("**Bahan rapat** — ringkasan satu halaman A4 dan daftar tindak lanjut per pembina")
# The files are built when a button is pressed (a national export's take tens of seconds), not on every render.
c1, c2, c3, c4 = st.columns(4)
c1.download_button(
    "Ringkasan (.pdf)",
    lambda: ui.briefing_files(v, progress)[".pdf"],
    file_name=exports.file_name(exports.BRIEFING, v.info.as_of, ".pdf"),
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    type="primary",
    width="stretch",
)
c2.download_button(
    "Ringkasan (.html)",
    lambda: ui.briefing_files(v, progress)[".html"],
    width="stretch",
    file_name=exports.file_name(exports.BRIEFING, v.info.as_of, ".html"),
    mime="text/html",
    icon=":material/description:",
)
c3.download_button(
    "Data ringkasan (.xlsx)",
    lambda: ui.briefing_files(v, progress)[".xlsx"],
    width="stretch",
    file_name=exports.file_name(exports.BRIEFING, v.info.as_of, ".xlsx"),
    mime=exports.MIME_XLSX,
    icon=":material/table_view:",
)
c4.download_button(
    "Tindak lanjut (.xlsx)",
    lambda: ui.follow_up_file(v),
    width="stretch",
    file_name=exports.file_name(exports.FOLLOW_UP, v.info.as_of, ".xlsx"),
    mime=exports.MIME_XLSX,
    icon=":material/download:",
)
