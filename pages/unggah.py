"""Unggah Data: upload exports, check what was understood, save a dated upload;
manage stored uploads and the roster in force."""

import datetime as dt

import streamlit as st

import ui
from iga_data import fmt, ingest, selfassessment, tables, wording
from iga_data.errors import InputError
from iga_data.vocabulary import field_label

ui.within_app()

st.title("Unggah data")
ui.show_flash()
store = ui.store()
settings = ui.settings()


def upload_section() -> None:
    files = st.file_uploader(
        "Berkas ekspor inovasi (.xlsx, .xlsm, .xls, .csv) — boleh beberapa sekaligus",
        type=ui.UPLOAD_TYPES,
        accept_multiple_files=True,
        key="up_files",
    )
    roster_file = st.file_uploader(
        "Daftar unit (opsional — bila kosong dipakai daftar unit yang berlaku)", type=ui.UPLOAD_TYPES, key="up_roster"
    )
    if not files:
        st.info(
            "Pilih berkas ekspor dari portal atau rekap Bappeda. Baris judul, sel gabungan, beberapa lembar "
            'dan nilai seperti "72,5" dibaca otomatis; pratinjau tampil sebelum data disimpan.',
            icon=":material/info:",
        )
        active = store.active_roster()
        units = ui.roster_of(active, settings.city).units["name"].tolist() if active else []
        st.download_button(
            "Unduh Lembar Penilaian Mandiri kosong (.xlsx)",
            selfassessment.blank_workbook(settings, units),
            file_name=selfassessment.file_name(""),
            mime=selfassessment.MIME,
            icon=":material/download:",
            help="Untuk unit yang menilai sendiri level indikator inovasinya; unggah kembali di sini.",
        )
        if not ui.snapshots() and st.button("Muat data contoh (ekspor 8–10 Juli 2024)", icon=":material/science:"):
            ingest.seed_sample(store, settings, ui.actor())
            ui.flash("Data contoh dimuat: tiga unggahan 8, 9 dan 10 Juli 2024.")
            st.rerun()
        return

    saved = st.session_state.get("saved_upload")
    if saved and saved[0] == tuple(f.file_id for f in files):
        st.success(
            f"Berkas ini sudah disimpan sebagai unggahan #{saved[1]}. Pilih berkas lain untuk unggahan berikutnya.",
            icon=":material/check_circle:",
        )
        return
    latest = store.latest()
    base = []
    if latest is not None:
        modes = {
            "replace": "ekspor lengkap: menjadi data terbaru",
            "add": f"tambahan untuk unggahan terakhir (#{latest.id}, data per {fmt.datetime(latest.as_of)}): "
            "berkas lama ikut dihitung, inovasi yang sama memakai baris terbaru",
        }
        if st.radio("Isi berkas ini", list(modes), format_func=modes.get, key="upload_mode") == "add":
            base = store.snapshot(latest.id).files
    try:
        prepared = ui.prepare_upload(files, roster_file, settings, base)
    except InputError as exc:
        st.error(f"{ui.md(exc)} Tidak ada data yang disimpan.", icon=":material/error:")
        return

    if prepared.analysis is None:
        st.warning(
            "Belum ada lembar yang dapat dibaca: judul kolomnya tidak dikenali. Pilih kolomnya di bawah; "
            "pilihan diingat untuk berkas dengan judul kolom yang sama."
        )
    sheets_section(prepared)
    a = prepared.analysis
    if a is None:
        return
    summary = a.summary
    st.subheader("Pratinjau")
    for column, (label, value) in zip(
        st.columns(5),
        [
            ("Baris inovasi dibaca", fmt.num(len(a.rows))),
            ("Inovasi berbeda", fmt.num(summary.innovations)),
            ("Baris ganda digabung", fmt.num(summary.duplicates_removed)),
            ("Nama unit tidak cocok", fmt.num(len(summary.unmatched_units))),
            ("Baris dilewati", fmt.num(summary.skipped_rows)),
        ],
    ):
        column.metric(label, value, border=True)
    roster_name = prepared.roster_source.name if prepared.roster_source else "tidak ada"
    st.caption(
        f"Daftar unit: {ui.md(roster_name)} · "
        f"unit siap {fmt.num(summary.units.ready)} dari {fmt.num(summary.units.expected)}."
    )
    st.markdown("**Lembar dan kolom yang dikenali**")
    ui.table(tables.sheets_table(prepared.load))
    st.markdown("**Unit per jenis**")
    ui.table(tables.type_summary(a.units))
    if len(a.unmatched):
        st.markdown("**Nama unit yang tidak ada di daftar unit** (inovasinya tetap dihitung)")
        ui.resolve_names(a, key="up")
    approximate = tables.approximate_matches(a)
    if len(approximate):
        st.markdown(
            "**Nama yang dicocokkan walau salah ketik** (periksa; bila keliru, pilih unitnya lewat "
            "padanan di tab Unggahan tersimpan)"
        )
        ui.table(approximate)
    if summary.skipped_rows:
        with st.expander(f"Baris dilewati ({fmt.num(summary.skipped_rows)})"):
            ui.table(tables.skipped_table(prepared.load))
    if summary.duplicates_removed:
        with st.expander(f"Baris ganda digabung ({fmt.num(summary.duplicates_removed)})"):
            ui.table(tables.merged_table(a))
    for warning in a.warnings:
        st.warning(ui.md(warning))
    partial = not base and ingest.looks_partial(prepared, latest)
    if partial and latest is not None:
        st.warning(wording.partial_upload(summary.innovations, latest), icon=":material/warning:")
    save_section(prepared, files, confirm=partial)


def sheets_section(prepared: ingest.Prepared) -> None:
    """Forms only for the sheets that need them (asking only for what is missing), a line for each sheet
    skipped as a summary with the option to use it anyway, and a way to change what was recognised."""
    for sheet in prepared.sheets_to_map():
        missing = ", ".join(field_label(f) for f in sheet.missing) or "kolom"
        where = f'Lembar "{ui.md(sheet.sheet)}" ({ui.md(sheet.file)})'
        title = (
            f"{where}: pilih kolom {missing.lower()}"
            if sheet.used
            else f"{where} — judul kolom di baris {sheet.header_row}: pilih kolom {missing.lower()}"
        )
        with st.expander(title, expanded=True, icon=":material/table_edit:"):
            if sheet.used:
                st.caption(
                    "Lembar ini dibaca, tetapi tanpa kolom skor semua inovasinya dihitung belum dinilai. "
                    "Bila skornya ada di kolom lain, pilih kolom itu."
                )
            ui.mapping_form(sheet, ask=[*sheet.missing, "score"])
    # With nothing read, the first skipped sheet that has a header row opens its form straight away.
    first = prepared.analysis is None
    for sheet in prepared.load.sheets:
        if not sheet.used and not sheet.needs_mapping:
            st.caption(f'Lembar "{ui.md(sheet.sheet)}" ({ui.md(sheet.file)}) dilewati: {ui.md(sheet.reason)}.')
            if sheet.headers and st.toggle("Pakai lembar ini", value=first, key=f"use_{sheet.file}_{sheet.sheet}"):
                ui.mapping_form(sheet)
            first = first and not sheet.headers
    used = [x for x in prepared.load.sheets if x.used]
    if used and st.toggle(
        "Ubah kolom yang dipakai",
        key="map_change",
        help="Bila kolom yang dikenali keliru, pilih sendiri; pilihan diingat.",
    ):
        chosen = st.selectbox(
            "Lembar", range(len(used)), key="map_sheet", format_func=lambda i: f"{used[i].file} › {used[i].sheet}"
        )
        ui.mapping_form(used[chosen])


def save_section(prepared: ingest.Prepared, files: list, confirm: bool) -> None:
    """The data date (what the export says about itself, else its latest input date, else now) and saving;
    an upload that would shrink the picture is saved only once the operator says it replaces the latest one."""
    st.subheader("Simpan")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    dates = ingest.data_dates(prepared, now)
    labels = {
        "stated": "tanggal yang tertulis di berkas",
        "latest": "tanggal input terakhir di berkas",
        "now": "sekarang",
    }
    choices = {k: f"{labels[k]} ({fmt.datetime(d)})" for k, d in dates.items()} | {"other": "tanggal lain"}
    when = st.radio("Tanggal data", list(choices), format_func=choices.get, key="as_of_choice", horizontal=True)
    as_of = dates.get(when, now)
    if when == "other":
        c1, c2 = st.columns(2)
        day = c1.date_input("Tanggal", now.date(), format="DD/MM/YYYY", key="as_of_day")
        as_of = dt.datetime.combine(day, c2.time_input("Jam", now.time(), key="as_of_time"))
    uploader = st.text_input("Diunggah oleh", key="uploader", placeholder="nama operator")
    sure = not confirm or st.checkbox(
        "Ya, berkas ini ekspor lengkap yang menggantikan data terbaru", key="confirm_replace"
    )
    if st.button(
        f"Simpan sebagai unggahan per {fmt.datetime(as_of)}",
        type="primary",
        icon=":material/save:",
        key="save_snapshot",
        disabled=not sure,
    ):
        try:
            result = ingest.save(store, prepared, as_of, uploader.strip() or "operator", ui.actor())
        except InputError as exc:
            st.error(f"{ui.md(exc)} Tidak ada data yang disimpan.")
        else:
            ui.forget_upload()
            st.session_state["saved_upload"] = (tuple(f.file_id for f in files), result.snapshot_id)
            ui.show_snapshot(result.snapshot_id)
            ui.flash(
                f"Tersimpan sebagai unggahan #{result.snapshot_id} per {fmt.datetime(as_of)}."
                if result.created
                else f"Isi berkas sama dengan unggahan #{result.snapshot_id}; tidak disimpan ulang."
            )
            st.rerun()


def _forget_confirmations() -> None:
    """A confirmation belongs to the snapshot it was given for: choosing another one asks again."""
    for key in [k for k in st.session_state if str(k).startswith("sure_delete_")]:
        del st.session_state[key]


def snapshots_section() -> None:
    snaps = ui.snapshots()
    if not snaps:
        st.info("Belum ada unggahan. Unggah ekspor di tab Unggah ekspor.")
    else:
        ui.table(tables.snapshots_table(snaps))
        by_id = {s.id: s for s in snaps}
        label = lambda i: f"#{i} · data per {fmt.datetime(by_id[i].as_of)} · {fmt.num(by_id[i].innovations)} inovasi"
        c1, c2 = st.columns(2)
        with c1:
            shown = st.selectbox("Tampilkan di dasbor", list(by_id), format_func=label, key="pick_show")
            if st.button("Tampilkan unggahan ini", icon=":material/visibility:"):
                ui.show_snapshot(shown)
                st.rerun()
        with c2:
            doomed = st.selectbox(
                "Hapus snapshot",
                list(by_id),
                format_func=label,
                key="pick_delete",
                index=None,
                placeholder="pilih unggahan yang akan dihapus",
                on_change=_forget_confirmations,
            )
            if doomed is not None:
                # The confirmation belongs to this snapshot: choosing another one asks again.
                sure = st.checkbox(
                    f"Saya yakin menghapus unggahan #{doomed} beserta berkasnya", key=f"sure_delete_{doomed}"
                )
                if st.button("Hapus", icon=":material/delete:", disabled=not sure):
                    try:
                        store.delete(doomed, ui.actor())
                    except InputError as exc:  # deleted meanwhile in another session
                        st.error(str(exc))
                    else:
                        st.session_state.pop("pick_delete", None)
                        ui.flash(
                            f"Unggahan #{doomed} dihapus (dipindah ke Terhapus, dapat dipulihkan di Riwayat perubahan)."
                        )
                        st.rerun()


def names_section() -> None:
    """Names of the snapshot in view that no roster unit matched, and the aliases kept."""
    view = ui.view()
    if view is not None and len(view.analysis.unmatched):
        st.markdown(f"**Nama unit yang tidak ada di daftar unit** (unggahan #{view.info.id})")
        ui.resolve_names(view.analysis, key="stored")
    st.markdown("**Padanan nama unit**")
    ui.alias_list(key="stored")


def roster_section() -> None:
    active = store.active_roster()
    st.markdown(f"Daftar unit yang berlaku: **{ui.md(active.name) if active else 'belum ada'}**")
    if active:
        ui.table(tables.roster_summary(ui.roster_of(active, settings.city)))
    new_file = st.file_uploader(
        "Ganti daftar unit (.xlsx, .xls, .csv: kolom Nama Unit, Jenis Unit, Singkatan)",
        type=ui.UPLOAD_TYPES,
        key="roster_new",
    )
    if new_file is not None:
        try:
            source, roster = ui.read_uploaded_roster(new_file, settings.city)
        except InputError as exc:
            st.error(f"{ui.md(exc)} Daftar unit tidak diganti.")
        else:
            ui.table(tables.roster_summary(roster))
            for warning in roster.warnings:
                st.warning(ui.md(warning))
            latest = store.latest()
            recompute = st.checkbox(
                "Hitung ulang unggahan terbaru dengan daftar unit ini",
                value=latest is not None,
                disabled=latest is None,
                key="roster_recompute",
            )
            if st.button("Pakai daftar unit ini", type="primary", icon=":material/check:"):
                message = f"Daftar unit {source.name} ({fmt.num(len(roster))} unit) sekarang berlaku."
                try:
                    if recompute and latest is not None:  # stores the recount and switches the roster at once
                        result = ingest.recompute_with_roster(store, latest.id, source, settings, ui.actor())
                        ui.show_snapshot(result.snapshot_id)
                        message += f" Unggahan terbaru dihitung ulang sebagai #{result.snapshot_id}."
                    else:
                        store.set_active_roster(source, ui.actor())
                except InputError as exc:
                    st.error(f"{ui.md(exc)} Daftar unit tidak diganti.")
                else:
                    ui.flash(message)
                    st.rerun()


upload_tab, snapshots_tab, roster_tab = st.tabs(["Unggah ekspor", "Unggahan tersimpan", "Daftar unit"])
with upload_tab:
    upload_section()
with snapshots_tab:
    snapshots_section()
    names_section()
with roster_tab:
    roster_section()
