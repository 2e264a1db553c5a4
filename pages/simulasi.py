"""Simulasi: why more is not always better, the city's rule against the highest index, and what each lever gives."""

import math

import streamlit as st

import ui
from iga_data import charts, fmt, simulation, tables, wording

ui.within_app()

v = ui.require_view()
s = v.settings

st.title("Simulasi Indeks Inovasi Daerah")
top = int(s.rules.max_per_innovation)
added_default = min(math.ceil(s.threshold), top)  # the slider below; its value is read before it is drawn
sim = ui.simulation_of(v, st.session_state.get("added_score", added_default))
st.info(wording.count_cap_sentences(sim.rules), icon=":material/lightbulb:")

st.subheader("Keputusan: aturan kota atau IID tertinggi")
st.caption(
    f"Keduanya menganggap setiap unit yang belum lengkap mengunggah inovasi baru dengan skor "
    f"{fmt.score(sim.added_score)} (atur di bawah) dan inovasi di bawah {fmt.score(s.threshold)} diperbaiki "
    f"sampai {fmt.score(s.threshold)}. IID perkiraan: {wording.target_assumption(sim, s)}."
)
for column, option in zip(st.columns(2), wording.decision(sim, s)):
    with column.container(border=True):
        st.markdown(f"**{option.title}**")
        st.metric("Perkiraan IID", option.iid)
        st.markdown(f"Yang perlu dilakukan: {option.takes}  \nAkibatnya: {option.costs}")

st.subheader("Data sekarang")
st.markdown(wording.iid_estimate(sim, s.spd) + " " + wording.target_reach(sim, s))
st.slider(
    f"Skor inovasi baru dari unit yang belum lengkap ({wording.score_scale(s)})",
    0,
    top,
    added_default,
    key="added_score",
)

st.subheader("Langkah dan dampaknya")
ui.chart(
    charts.scenarios(
        [wording.scenario_text(sim, x)[0] for x in sim.scenarios],
        [x.projection.iid for x in sim.scenarios],
        sim.target_iid,
    ),
    key="scenarios",
)
ui.table(tables.scenarios_table(sim))

st.markdown("**IID tertinggi bila mengirim sejumlah inovasi terbaik (data sekarang)**")
best = sim.portfolio.projection
ui.chart(
    charts.portfolio_curve(sim.portfolio.curve, sim.current.n, best.n, sim.target_iid, sim.rules.count_cap), key="curve"
)
st.caption(wording.portfolio_note(sim.rules))
if sim.portfolio.left_out:
    with st.expander(
        f"Inovasi yang ditinggalkan pilihan terbaik dari data sekarang ({fmt.num(len(sim.portfolio.left_out))})"
    ):
        st.caption(
            f"Meninggalkan inovasi bertentangan dengan aturan kota {s.required_per_unit} inovasi per unit "
            f"untuk {fmt.num(sim.broken_units)} unit; kolom Aturan lokal menandainya."
        )
        ui.table(tables.left_out_table(v.analysis, sim.portfolio))

st.subheader("Urusan wajib")
st.markdown(wording.urusan_effect(simulation.urusan_effect(v.analysis, s)))

with st.expander("Rincian perhitungan (data sekarang)"):
    ui.table(tables.projection_rows(sim.current, sim.rules, s.spd))
    if note := wording.uncertain_text(sim.rules):
        st.caption(note)
