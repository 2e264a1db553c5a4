"""Kalkulator Skor: set each indicator's level and see the score, the gap and the road to the threshold."""

import streamlit as st

import ui
from iga_data import fmt, plan_text
from iga_data.levels import level_label
from iga_data.plan import innovation_levels, known_levels, make_plan
from iga_data.rules import LEVEL_COUNT, load_rules

ui.within_app()

v = ui.view()
s = v.settings if v is not None else ui.settings()
rules = load_rules(s.rule_year)
threshold = fmt.score(s.threshold)

st.title("Kalkulator skor")
st.caption(
    f"Skor kematangan = jumlah bobot × level indikator (aturan {rules.year}, paling tinggi "
    f"{fmt.score(rules.max_per_innovation)}); skor minimal {threshold}. Indikator bertanda * wajib: "
    "tidak boleh level 0."
)

if v is not None:
    choices = plan_text.innovation_choices(v.analysis)

    def load_innovation() -> None:
        """Set every level to the chosen innovation's (0 where unknown), or to 0 for a blank start."""
        chosen = st.session_state["kal_from"]
        known = known_levels(innovation_levels(v.analysis).loc[chosen]) if chosen is not None else None
        for ind in rules.indicators:
            st.session_state[f"kal_{ind.number}"] = int((known or {}).get(ind.number, 0))
        st.session_state["kal_unknown"] = chosen if chosen is not None and known is None else None

    st.selectbox(
        "Mulai dari inovasi yang diunggah",
        [None, *choices],
        key="kal_from",
        on_change=load_innovation,
        format_func=lambda i: "— mulai kosong (semua level 0) —" if i is None else choices[i],
    )
    if (unknown := st.session_state.get("kal_unknown")) is not None and unknown in choices:
        st.info(ui.md(plan_text.unknown_levels_note(v.analysis, unknown)), icon=":material/info:")

summary = st.container()
inputs, road = st.columns([3, 2], gap="large")  # on a phone the road follows the levels

with inputs:
    st.subheader("Level tiap indikator")
    levels = {
        ind.number: st.selectbox(
            f"{ind.number}. {ind.name}{' *' if ind.mandatory else ''} · bobot {fmt.score(ind.bobot)}",
            range(LEVEL_COUNT),
            key=f"kal_{ind.number}",
            format_func=lambda lv, ind=ind: level_label(ind, lv),
        )
        for ind in rules.indicators
    }
plan = make_plan(levels, rules, s.threshold)

with summary:
    c1, c2, c3 = st.columns(3)
    c1.metric("Skor kematangan", fmt.score(plan.start), border=True)
    c2.metric("Skor minimal", threshold, border=True)
    c3.metric(f"Kurang dari {threshold}", plan_text.gap_text(plan), border=True)
    if warning := plan_text.mandatory_warning(plan):
        st.warning(warning, icon=":material/warning:")

with road:
    st.subheader(f"Jalan ke {threshold}")
    *steps, outcome = plan_text.plan_lines(plan)
    (st.success if plan.reachable else st.warning)(outcome)
    if steps:
        st.markdown("\n".join(f"{n}. {line}" for n, line in enumerate(steps, 1)))
    if plan.paraphrased:
        st.caption(plan_text.PARAPHRASE_NOTE)
