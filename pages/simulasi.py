"""Simulasi: the index today's entries give, what each lever changes, and which entries to leave out."""

import math

import streamlit as st

import ui
from iga_data import charts, fmt, simulation, tables, wording

ui.within_app()

v = ui.require_view()
s = v.settings

st.title("Simulasi Indeks Inovasi Daerah")
st.caption(f"Aturan IID tahun {s.rule_year} · SPD {fmt.num(s.spd, 1)} (perkiraan, ubah di Pengaturan) · "
           f"target IID {fmt.num(s.target_iid, 2)} untuk {s.target_rank} besar (angka resmi tidak ada; isi sendiri).")
top = int(s.rules.max_per_innovation)
added = st.slider(f"Skor inovasi baru dari unit yang belum lengkap ({wording.score_scale(s)})", 0, top,
                  min(math.ceil(s.threshold), top),
                  key="added_score")
sim = ui.simulation_of(v, added)

c1, c2, c3 = st.columns(3)
c1.metric("IID dari data sekarang", fmt.num(sim.current.iid, 2), help=wording.projection_help(sim.rules), border=True)
c2.metric("Predikat", sim.current.predikat, border=True)
c3.metric("Kurang dari target (poin IID)", fmt.num(sim.gap, 2) if sim.gap else "tercapai", border=True)
closing = sim.closing()
if sim.gap == 0:
    st.success("Data sekarang sudah mencapai target IID.")
elif closing:
    label, description = wording.scenario_text(sim, closing)
    st.success(f"Langkah yang mencapai target: **{label}** (IID {fmt.num(closing.projection.iid, 2)}). " + description)
else:
    st.warning("Belum ada langkah di bawah ini yang mencapai target; naikkan skor inovasi baru atau SPD.")

st.subheader("Langkah dan dampaknya")
st.markdown("**IID per langkah**")
ui.chart(charts.scenarios([wording.scenario_text(sim, x)[0] for x in sim.scenarios], [x.projection.iid for x in sim.scenarios],
                          sim.target_iid), key="scenarios")
ui.table(tables.scenarios_table(sim))

st.subheader("Aturan lokal dan pilihan yang memaksimalkan IID")
left, right = st.columns(2)
with left:
    st.markdown(f"**Aturan lokal:** setiap unit mengirim {s.required_per_unit} inovasi dengan skor minimal "
                f"{fmt.score(s.threshold)} — semua {fmt.num(sim.current.n)} inovasi dikirim, IID "
                f"{fmt.num(sim.current.iid, 2)}.")
with right:
    best = sim.portfolio.projection
    st.markdown(f"**Pilihan IID tertinggi:** kirim {fmt.num(best.n)} inovasi terbaik dan tinggalkan "
                f"{fmt.num(len(sim.portfolio.left_out))} — IID {fmt.num(best.iid, 2)}.")
st.markdown("**IID tertinggi bila mengirim sejumlah inovasi terbaik**")
ui.chart(charts.portfolio_curve(sim.portfolio.curve, sim.current.n, best.n, sim.target_iid, sim.rules.count_cap),
         key="curve")
st.caption(wording.portfolio_note(sim.rules))
if sim.portfolio.left_out:
    with st.expander(f"Inovasi yang ditinggalkan pilihan terbaik ({fmt.num(len(sim.portfolio.left_out))})"):
        st.caption(f"Meninggalkan inovasi bisa bertentangan dengan aturan lokal {s.required_per_unit} inovasi "
                   "per unit; kolom Aturan lokal menandai unit yang terdampak.")
        ui.table(tables.left_out_table(v.analysis, sim.portfolio))

st.subheader("Urusan wajib")
st.markdown(wording.urusan_effect(simulation.urusan_effect(v.analysis, s)))

with st.expander("Rincian perhitungan (data sekarang)"):
    ui.table(tables.projection_rows(sim.current, sim.rules, s.spd))
    if note := wording.uncertain_text(sim.rules):
        st.caption(note)
