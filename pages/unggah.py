"""Unggah Data: upload exports, check what was understood, save a dated snapshot;
manage stored snapshots and the roster in force."""

import datetime as dt

import streamlit as st

import ui
from iga_data import fmt, ingest, selfassessment, tables
from iga_data.errors import InputError

ui.within_app()

st.title("Unggah data")
ui.show_flash()
store = ui.store()
settings = ui.settings()


def upload_section() -> None:
    files = st.file_uploader("Berkas ekspor inovasi (.xlsx, .xlsm, .xls, .csv) — boleh beberapa sekaligus",
                             type=ui.UPLOAD_TYPES, accept_multiple_files=True, key="up_files")
    roster_file = st.file_uploader("Daftar unit (opsional — bila kosong dipakai daftar unit yang berlaku)",
                                   type=ui.UPLOAD_TYPES, key="up_roster")
    if not files:
        st.info("Pilih berkas ekspor dari portal atau rekap Bappeda. Baris judul, sel gabungan, beberapa lembar "
                "dan nilai seperti \"72,5\" dibaca otomatis; pratinjau tampil sebelum data disimpan.",
                icon=":material/info:")
        active = store.active_roster()
        units = ui.roster_of(active, settings.city).units["name"].tolist() if active else []
        st.download_button("Unduh Lembar Penilaian Mandiri kosong (.xlsx)",
                           selfassessment.blank_workbook(settings, units), file_name=selfassessment.file_name(""),
                           mime=selfassessment.MIME, icon=":material/download:",
                           help="Untuk unit yang menilai sendiri level indikator inovasinya; unggah kembali di sini.")
        if not ui.snapshots() and st.button("Muat data contoh (ekspor 8–10 Juli 2024)", icon=":material/science:"):
            ingest.seed_sample(store, settings, ui.actor())
            ui.flash("Data contoh dimuat: tiga snapshot 8, 9 dan 10 Juli 2024.")
            st.rerun()
        return

    try:
        prepared = ui.prepare_upload(files, roster_file, settings)
    except InputError as exc:
        st.error(f"{exc} Tidak ada data yang disimpan.", icon=":material/error:")
        return

    if prepared.analysis is None:
        st.warning("Belum ada lembar yang dapat dibaca: judul kolomnya tidak dikenali. Pilih kolomnya di bawah; "
                   "pilihan diingat untuk berkas dengan judul kolom yang sama.")
        for sheet in prepared.unmapped_sheets():
            with st.expander(f"Lembar \"{sheet.sheet}\" ({sheet.file}) — judul kolom di baris {sheet.header_row}",
                             expanded=True, icon=":material/table_edit:"):
                ui.mapping_form(sheet)
        return
    with st.expander("Periksa atau ubah kolom yang dipakai", icon=":material/table_edit:"):
        sheets = [x for x in prepared.load.sheets if x.headers]
        chosen = st.selectbox("Lembar", range(len(sheets)), key="map_sheet",
                              format_func=lambda i: f"{sheets[i].file} › {sheets[i].sheet}"
                                                    + ("" if sheets[i].used else " (tidak dibaca)"))
        if not sheets[chosen].used:
            st.caption(f"Lembar ini tidak dibaca: {sheets[chosen].reason}.")
        ui.mapping_form(sheets[chosen])

    a = prepared.analysis
    summary = a.summary
    st.subheader("Pratinjau")
    for column, (label, value) in zip(st.columns(5), [
        ("Baris inovasi dibaca", fmt.num(len(a.rows))),
        ("Inovasi berbeda", fmt.num(summary.innovations)),
        ("Baris ganda digabung", fmt.num(summary.duplicates_removed)),
        ("Nama unit tidak cocok", fmt.num(len(summary.unmatched_units))),
        ("Baris dilewati", fmt.num(summary.skipped_rows)),
    ]):
        column.metric(label, value, border=True)
    st.caption(f"Daftar unit: {prepared.roster_source.name if prepared.roster_source else 'tidak ada'} · "
               f"unit siap {fmt.num(summary.units.ready)} dari {fmt.num(summary.units.expected)}.")
    st.markdown("**Lembar dan kolom yang dikenali**")
    ui.table(tables.sheets_table(prepared.load))
    st.markdown("**Unit per jenis**")
    ui.table(tables.type_summary(a.units))
    if summary.unmatched_units:
        st.markdown("**Nama unit yang tidak ada di daftar unit** (inovasinya tetap dihitung)")
        ui.table(tables.unmatched_table(a))
    approximate = tables.approximate_matches(a)
    if len(approximate):
        st.markdown("**Nama yang dicocokkan walau salah ketik** (periksa)")
        ui.table(approximate)
    if summary.skipped_rows:
        with st.expander(f"Baris dilewati ({fmt.num(summary.skipped_rows)})"):
            ui.table(tables.skipped_table(prepared.load))
    for warning in a.warnings:
        st.warning(warning)

    st.subheader("Simpan")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    latest = ingest.latest_input(prepared, now)
    choices = {"now": f"sekarang ({fmt.datetime(now)})"}
    if latest is not None:
        choices["latest"] = f"tanggal input terakhir di berkas ({fmt.datetime(latest)})"
    choices["other"] = "tanggal lain"
    when = st.radio("Tanggal data", list(choices), format_func=choices.get, key="as_of_choice", horizontal=True)
    as_of = {"now": now, "latest": latest}.get(when)
    if when == "other":
        c1, c2 = st.columns(2)
        day = c1.date_input("Tanggal", now.date(), format="DD/MM/YYYY", key="as_of_day")
        as_of = dt.datetime.combine(day, c2.time_input("Jam", now.time(), key="as_of_time"))
    uploader = st.text_input("Diunggah oleh", key="uploader", placeholder="nama operator")
    if st.button("Simpan sebagai snapshot", type="primary", icon=":material/save:"):
        try:
            result = ingest.save(store, prepared, as_of, uploader.strip() or "operator", ui.actor())
        except InputError as exc:
            st.error(f"{exc} Tidak ada data yang disimpan.")
        else:
            ui.forget_upload()
            ui.show_snapshot(result.snapshot_id)
            ui.flash(f"Tersimpan sebagai snapshot #{result.snapshot_id}." if result.created else
                     f"Isi berkas sama dengan snapshot #{result.snapshot_id}; tidak disimpan ulang.")
            st.rerun()


def _forget_confirmations() -> None:
    """A confirmation belongs to the snapshot it was given for: choosing another one asks again."""
    for key in [k for k in st.session_state if str(k).startswith("sure_delete_")]:
        del st.session_state[key]


def snapshots_section() -> None:
    snaps = ui.snapshots()
    if not snaps:
        st.info("Belum ada snapshot. Unggah ekspor di tab Unggah ekspor.")
    else:
        ui.table(tables.snapshots_table(snaps))
        by_id = {s.id: s for s in snaps}
        label = lambda i: f"#{i} · data per {fmt.datetime(by_id[i].as_of)} · {fmt.num(by_id[i].innovations)} inovasi"
        c1, c2 = st.columns(2)
        with c1:
            shown = st.selectbox("Tampilkan di dasbor", list(by_id), format_func=label, key="pick_show")
            if st.button("Tampilkan snapshot ini", icon=":material/visibility:"):
                ui.show_snapshot(shown)
                st.rerun()
        with c2:
            doomed = st.selectbox("Hapus snapshot", list(by_id), format_func=label, key="pick_delete", index=None,
                                  placeholder="pilih snapshot yang akan dihapus", on_change=_forget_confirmations)
            if doomed is not None:
                # The confirmation belongs to this snapshot: choosing another one asks again.
                sure = st.checkbox(f"Saya yakin menghapus snapshot #{doomed} beserta berkasnya",
                                   key=f"sure_delete_{doomed}")
                if st.button("Hapus", icon=":material/delete:", disabled=not sure):
                    try:
                        store.delete(doomed, ui.actor())
                    except InputError as exc:  # deleted meanwhile in another session
                        st.error(str(exc))
                    else:
                        st.session_state.pop("pick_delete", None)
                        ui.flash(f"Snapshot #{doomed} dihapus (dipindah ke Terhapus, dapat dipulihkan).")
                        st.rerun()


def roster_section() -> None:
    active = store.active_roster()
    st.markdown(f"Daftar unit yang berlaku: **{active.name if active else 'belum ada'}**")
    if active:
        ui.table(tables.roster_summary(ui.roster_of(active, settings.city)))
    new_file = st.file_uploader("Ganti daftar unit (.xlsx, .xls, .csv: kolom Nama Unit, Jenis Unit, Singkatan)",
                                type=ui.UPLOAD_TYPES, key="roster_new")
    if new_file is not None:
        try:
            source, roster = ui.read_uploaded_roster(new_file, settings.city)
        except InputError as exc:
            st.error(f"{exc} Daftar unit tidak diganti.")
        else:
            ui.table(tables.roster_summary(roster))
            for warning in roster.warnings:
                st.warning(warning)
            latest = store.latest()
            recompute = st.checkbox("Hitung ulang snapshot terbaru dengan daftar unit ini", value=latest is not None,
                                    disabled=latest is None, key="roster_recompute")
            if st.button("Pakai daftar unit ini", type="primary", icon=":material/check:"):
                message = f"Daftar unit {source.name} ({fmt.num(len(roster))} unit) sekarang berlaku."
                try:
                    if recompute and latest is not None:  # stores the recount and switches the roster at once
                        result = ingest.recompute_with_roster(store, latest.id, source, settings, ui.actor())
                        ui.show_snapshot(result.snapshot_id)
                        message += f" Snapshot terbaru dihitung ulang sebagai #{result.snapshot_id}."
                    else:
                        store.set_active_roster(source, ui.actor())
                except InputError as exc:
                    st.error(f"{exc} Daftar unit tidak diganti.")
                else:
                    ui.flash(message)
                    st.rerun()


upload_tab, snapshots_tab, roster_tab = st.tabs(["Unggah ekspor", "Snapshot tersimpan", "Daftar unit"])
with upload_tab:
    upload_section()
with snapshots_tab:
    snapshots_section()
with roster_tab:
    roster_section()
