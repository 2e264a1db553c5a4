"""Kesiapan Unit: every unit with what it still has to do before the deadline, by pembina; the follow-up list."""

import streamlit as st

import ui
from iga_data import exports, fmt, plan, plan_text, readiness, selfassessment, tables, wording
from iga_data.vocabulary import type_labels

ui.within_app()

v = ui.require_view()
units = v.analysis.units

st.title("Kesiapan unit")
st.caption(
    f"Unit siap bila punya {v.settings.required_per_unit} inovasi dengan skor minimal "
    f"{fmt.score(v.settings.threshold)} ({wording.score_scale(v.settings)}). Data per "
    f"{fmt.datetime(v.info.as_of)}; tenggat {fmt.date(v.settings.deadline)}."
)

labels = type_labels()
statuses = tables.status_options()
c1, c2 = st.columns(2)
chosen_types = c1.pills(
    "Jenis unit", tables.types_present(units), format_func=labels.get, selection_mode="multi", key="f_types", wrap=True
)
chosen_status = c2.pills(
    "Status", list(statuses), format_func=statuses.get, selection_mode="multi", key="f_status", wrap=True
)
c1, c2 = st.columns(2)
chosen_pembina = c1.selectbox(
    "Pembina", tables.pembina_options(units), index=None, key="f_pembina", placeholder="semua pembina"
)
query = c2.text_input(
    "Cari nama unit", placeholder="mis. Pasar Jitra, SDN 21, PKM Jalan Gedang, Dukcapil", key="f_query"
)
shown = tables.filter_units(units, chosen_types, chosen_status, query, chosen_pembina)
lagging = v.summary.units.not_ready
st.download_button(
    f"Unduh daftar tindak lanjut ({fmt.num(lagging)} unit, .xlsx)",
    data=lambda: ui.follow_up_file(v),  # built when pressed
    file_name=exports.file_name(exports.FOLLOW_UP, v.info.as_of, ".xlsx"),
    mime=exports.MIME_XLSX,
    icon=":material/download:",
    disabled=lagging == 0,
    type="primary",
)
units_tab, whatsapp_tab, plans_tab = st.tabs(
    ["Unit", "Pesan WhatsApp per pembina", f"Jalan ke {fmt.score(v.settings.threshold)}"]
)

with units_tab:
    st.caption(
        f"{fmt.num(len(shown))} dari {fmt.num(len(units))} unit ditampilkan, yang paling jauh dari siap di atas."
    )
    if shown.empty:
        st.info("Tidak ada unit yang cocok dengan pilihan ini; hapus sebagian filter.")
    else:
        ui.unit_cards(tables.unit_cards(v.analysis, shown))
        with st.expander("Tabel lengkap (skor terbaik, jumlah diunggah) dan ringkasan per jenis"):
            ui.table(tables.style_status(tables.units_table(v.analysis, shown)))
            ui.table(tables.type_summary(units))

with whatsapp_tab:
    whatsapp = ui.whatsapp(v)
    if not whatsapp:
        st.caption("Semua unit sudah siap; tidak ada yang perlu ditindaklanjuti.")
    else:
        recipients = [m.pembina for m in whatsapp]
        chosen = st.selectbox(
            "Pesan untuk",
            range(len(whatsapp)),
            format_func=lambda i: whatsapp[i].recipient,
            index=recipients.index(chosen_pembina) if chosen_pembina in recipients else 0,
            key=f"wa_to:{chosen_pembina or ''}",
        )  # the pembina filter above picks the message
        parts = whatsapp[chosen].parts
        split = (
            f"Dibagi {len(parts)} pesan (WhatsApp menerima paling banyak 4.096 karakter). " if len(parts) > 1 else ""
        )
        st.caption(
            split + "Salin dengan tombol di pojok kanan atas kotak (di ponsel: ketuk kotaknya dulu), lalu "
            "tempel di grup WhatsApp."
        )
        for part in parts:
            st.code(part, language=None, wrap_lines=True)

with plans_tab:
    st.markdown(f"**Jalan ke {fmt.score(v.settings.threshold)} dan Lembar Penilaian Mandiri**")
    st.caption(
        "Pilih unit: langkah tersingkat bagi inovasinya yang di bawah skor minimal, dan lembar penilaian "
        "mandiri berisi inovasinya untuk diisi unit lalu diunggah kembali."
    )
    unit = st.selectbox("Unit", units["unit_name"].tolist(), index=None, placeholder="pilih unit", key="plan_unit")
    if unit is not None:
        st.markdown(ui.md(wording.unit_action(v.analysis, unit)))
        mine = plan.plans_for(v.analysis, [unit])
        if mine.empty:
            st.caption(
                f"Tidak ada inovasi unit ini yang di bawah {fmt.score(v.settings.threshold)} atau belum dinilai."
            )
        else:
            ui.plan_list(plan_text.plan_items(mine))
        st.download_button(
            "Unduh Lembar Penilaian Mandiri unit ini (.xlsx)",
            selfassessment.unit_workbook(v.analysis, unit),
            file_name=selfassessment.file_name(unit),
            mime=selfassessment.MIME,
            icon=":material/download:",
        )
    pembina = readiness.units_of_pembina(units)
    name = st.selectbox(
        "Atau satu Lembar Penilaian Mandiri untuk semua unit seorang pembina",
        sorted(pembina),
        index=None,
        placeholder="pilih pembina",
        key="plan_pembina",
    )
    if name is not None:
        st.download_button(
            f"Unduh Lembar Penilaian Mandiri {name} ({fmt.num(len(pembina[name]))} unit, .xlsx)",
            selfassessment.pembina_workbook(v.analysis, name, pembina[name]),
            file_name=selfassessment.file_name(name),
            mime=selfassessment.MIME,
            icon=":material/download:",
        )
