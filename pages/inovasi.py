"""Inovasi: every innovation, the score spread, urusan coverage, flagships, and what could not be read."""

import streamlit as st

import ui
from iga_data import charts, fmt, plan, plan_text, tables
from iga_data.rules import load_rules

ui.within_app()

v = ui.require_view()
a = v.analysis
summary = v.summary

st.title("Inovasi")
st.caption(
    f"{fmt.num(summary.innovations)} inovasi berbeda per {fmt.datetime(v.info.as_of)}; "
    f"{fmt.num(summary.duplicates_removed)} baris ganda digabung (yang terbaru dipakai)."
)

st.subheader("Inovasi unggulan")
ui.table(tables.flagship_table(a))

left, right = st.columns(2)
with left:
    st.markdown("**Sebaran skor kematangan**")
    ui.chart(
        charts.score_histogram(a.innovations["score"], v.settings.threshold, v.settings.rules.max_per_innovation),
        key="histogram",
    )
    if summary.not_assessed:
        st.caption(
            f"{fmt.num(summary.not_assessed)} inovasi belum dinilai tidak tampil di grafik (dihitung sesudah baris "
            "ganda digabung, jadi bisa kurang dari jumlah baris belum dinilai di peringatan berkas)."
        )
with right:
    counts = tables.urusan_counts(a.innovations)
    st.markdown(f"**Cakupan {len(counts)} urusan wajib pelayanan dasar**")
    ui.chart(charts.coverage(counts), key="coverage")
    for level, note in tables.urusan_notes(counts):
        {"error": st.error, "warning": st.warning, "info": st.caption}[level](note)

st.subheader("Daftar inovasi")
query = st.text_input("Cari inovasi atau unit", key="inv_query")
table = tables.innovations_table(a)
shown = tables.search(table, query, ["Inovasi", "Unit"])
st.caption(f"{fmt.num(len(shown))} dari {fmt.num(len(table))} inovasi ditampilkan.")
ui.table(shown)
plans = plan.plans_for(a)
t = fmt.score(v.settings.threshold)
with st.expander(f"Jalan ke {t} ({fmt.num(len(plans))} inovasi di bawah {t} atau belum dinilai)"):
    st.caption(
        "Langkah tersingkat menaikkan level indikator sampai skor minimal. Inovasi tanpa level indikator "
        "perlu Lembar Penilaian Mandiri (unduh di Kesiapan Unit); coba sendiri di Kalkulator Skor."
    )
    ui.table(plan_text.plans_table(plans, v.settings.threshold))

st.subheader("Untuk operator")
ui.show_flash()
skipped = tables.skipped_table(a.load)
pending = len(summary.unmatched_units)
with st.expander(f"Nama unit tidak ada di daftar unit ({fmt.num(pending)} belum dipadankan)", expanded=pending > 0):
    st.caption(
        "Inovasinya tetap dihitung dalam jumlah total, tetapi tidak untuk kesiapan unit mana pun sampai "
        "namanya dipadankan dengan unit di daftar."
    )
    ui.resolve_names(a, key="inv")
with st.expander("Padanan nama unit yang tersimpan"):
    ui.alias_list(key="inv")
approximate = tables.approximate_matches(a)
if len(approximate):
    with st.expander(f"Nama yang dicocokkan walau salah ketik ({fmt.num(len(approximate))})"):
        st.caption("Periksa bahwa tiap nama memang unit yang dimaksud; bila keliru, buat padanannya di atas.")
        ui.table(approximate)
with st.expander(f"Baris dilewati ({fmt.num(len(skipped))})"):
    if skipped.empty:
        st.write("Tidak ada baris yang dilewati.")
    else:
        ui.table(skipped)
if summary.duplicates_removed:
    with st.expander(f"Baris ganda digabung ({fmt.num(summary.duplicates_removed)})"):
        st.caption("Inovasi yang sama dari unit yang sama dihitung sekali; baris di bawah ini tidak dipakai.")
        ui.table(tables.merged_table(a))
issues = tables.indicator_issues(a)
if len(issues):
    with st.expander(f"Pemeriksaan indikator ({fmt.num(len(issues))} inovasi perlu dicek)", expanded=True):
        rules = load_rules(v.settings.rule_year)
        st.caption(
            f"Skor kematangan dihitung dari level indikator (bobot × level, aturan {rules.year}). "
            f"Indikator wajib: {', '.join(map(str, rules.mandatory))}."
        )
        ui.table(issues)
with st.expander(f"Lembar yang dibaca dan peringatan ({fmt.num(len(a.warnings))} peringatan)"):
    ui.table(tables.sheets_table(a.load))
    for warning in a.warnings:
        st.warning(ui.md(warning))
