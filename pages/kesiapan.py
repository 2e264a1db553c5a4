"""Kesiapan Unit: every unit with what it has and what it still needs; the follow-up list."""

import streamlit as st

import ui
from iga_data import fmt, tables, wording
from iga_data.vocabulary import type_labels

ui.within_app()

v = ui.require_view()
units = v.analysis.units

st.title("Kesiapan unit")
st.caption(
    f"Unit siap bila punya {v.settings.required_per_unit} inovasi dengan skor minimal "
    f"{fmt.score(v.settings.threshold)} ({wording.score_scale(v.settings)}). Data per {fmt.datetime(v.info.as_of)}."
)
ui.table(tables.type_summary(units))

labels = type_labels()
present = tables.types_present(units)
statuses = tables.status_options()
c1, c2 = st.columns(2)
chosen_types = c1.pills("Jenis unit", present, format_func=labels.get, selection_mode="multi", key="f_types",
                        wrap=True)
chosen_status = c2.pills("Status", list(statuses), format_func=statuses.get, selection_mode="multi",
                         key="f_status", wrap=True)
query = st.text_input("Cari nama unit", placeholder="mis. Pasar Jitra, SDN 21, PKM Jalan Gedang, Dukcapil",
                      key="f_query")
shown = tables.filter_units(units, chosen_types, chosen_status, query)
st.caption(f"{fmt.num(len(shown))} dari {fmt.num(len(units))} unit ditampilkan.")
if shown.empty:
    st.info("Tidak ada unit yang cocok dengan pilihan ini; hapus sebagian filter.")
else:
    ui.table(tables.style_status(tables.units_table(shown, v.settings.threshold)))

lagging = v.summary.units.not_ready
st.download_button(
    f"Unduh daftar tindak lanjut ({fmt.num(lagging)} unit, .xlsx)",
    data=ui.follow_up_file(v),
    file_name=f"tindak_lanjut_iga_{v.info.as_of:%Y-%m-%d}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:", disabled=lagging == 0, type="primary",
)
