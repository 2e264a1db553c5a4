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
st.caption(f"{fmt.num(summary.innovations)} inovasi berbeda per {fmt.datetime(v.info.as_of)}; "
           f"{fmt.num(summary.duplicates_removed)} baris ganda digabung (yang terbaru dipakai).")

st.subheader("Inovasi unggulan")
ui.table(tables.flagship_table(a))

left, right = st.columns(2)
with left:
    st.markdown("**Sebaran skor kematangan**")
    ui.chart(charts.score_histogram(a.innovations["score"], v.settings.threshold, v.settings.rules.max_per_innovation), key="histogram")
    if summary.not_assessed:
        st.caption(f"{fmt.num(summary.not_assessed)} inovasi belum dinilai tidak tampil di grafik.")
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
    st.caption("Langkah tersingkat menaikkan level indikator sampai skor minimal. Inovasi tanpa level indikator "
               "perlu Lembar Penilaian Mandiri (unduh di Kesiapan Unit); coba sendiri di Kalkulator Skor.")
    ui.table(plan_text.plans_table(plans, v.settings.threshold))

st.subheader("Untuk operator")
unmatched, skipped = tables.unmatched_table(a), tables.skipped_table(a.load)
with st.expander(f"Nama unit tidak ada di daftar unit ({fmt.num(len(unmatched))})", expanded=len(unmatched) > 0):
    if unmatched.empty:
        st.write("Semua nama unit cocok dengan daftar unit.")
    else:
        st.caption("Inovasinya tetap dihitung dalam jumlah total. Tambahkan unit ke daftar unit atau "
                   "perbaiki penulisan namanya di berkas, lalu unggah lagi.")
        ui.table(unmatched)
approximate = tables.approximate_matches(a)
if len(approximate):
    with st.expander(f"Nama yang dicocokkan walau salah ketik ({fmt.num(len(approximate))})"):
        st.caption("Periksa bahwa tiap nama memang unit yang dimaksud; bila salah, perbaiki nama di berkas.")
        ui.table(approximate)
with st.expander(f"Baris dilewati ({fmt.num(len(skipped))})"):
    if skipped.empty:
        st.write("Tidak ada baris yang dilewati.")
    else:
        ui.table(skipped)
issues = tables.indicator_issues(a)
if len(issues):
    with st.expander(f"Pemeriksaan indikator ({fmt.num(len(issues))} inovasi perlu dicek)", expanded=True):
        rules = load_rules(v.settings.rule_year)
        st.caption(f"Skor kematangan dihitung dari level indikator (bobot × level, aturan {rules.year}). "
                   f"Indikator wajib: {', '.join(map(str, rules.mandatory))}.")
        ui.table(issues)
with st.expander(f"Lembar yang dibaca dan peringatan ({fmt.num(len(a.warnings))} peringatan)"):
    ui.table(tables.sheets_table(a.load))
    for warning in a.warnings:
        st.warning(warning)
