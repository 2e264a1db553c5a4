"""Riwayat perubahan: who changed what and when, and the uploads in Terhapus to restore or purge."""

import streamlit as st

import ui
from iga_data import audit, fmt, tables

ui.within_app()

st.title("Riwayat perubahan")
ui.show_flash()
store = ui.store()
entries = audit.entries(store, limit=500)
st.caption(
    "Setiap perubahan tercatat bersama perubahannya: unggahan, daftar unit, pengaturan, riwayat, pemetaan "
    "kolom, akun. 500 perubahan terakhir ditampilkan; semuanya: `python -m iga_data audit`."
)
if entries:
    ui.table(tables.audit_table(entries))
else:
    st.info("Belum ada perubahan yang tercatat.")

st.subheader("Unggahan terhapus")
deleted = store.deleted_snapshots()
if not deleted:
    st.caption(
        "Tidak ada unggahan di Terhapus. Unggahan yang dihapus di halaman Unggah Data masuk ke sini dan dapat "
        "dipulihkan."
    )
else:
    ui.table(tables.deleted_table(deleted))
    by_id = {s.id: s for s in deleted}
    chosen = st.selectbox(
        "Unggahan",
        list(by_id),
        key="trash_pick",
        format_func=lambda i: f"#{i} · data per {fmt.datetime(by_id[i].as_of)}",
    )
    left, right = st.columns(2)
    if left.button("Pulihkan", icon=":material/restore_from_trash:", type="primary"):
        ui.attempt(lambda: store.restore_snapshot(chosen, ui.actor()), f"Unggahan #{chosen} dipulihkan.")
    sure = right.checkbox(f"Saya yakin menghapus unggahan #{chosen} untuk selamanya", key=f"sure_purge_{chosen}")
    if right.button("Hapus permanen", icon=":material/delete_forever:", disabled=not sure):
        ui.attempt(
            lambda: store.purge(chosen, ui.actor()),
            f"Unggahan #{chosen} dihapus permanen (cadangan dibuat lebih dulu).",
        )
