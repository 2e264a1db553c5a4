"""Masuk: sign in with an account (operator or pimpinan), or sign out."""

import streamlit as st

import ui
from iga_data import accounts, safetext
from iga_data.errors import InputError

ui.within_app()

session = ui.session.current()
actor = None if session.open_mode else session.actor
st.title("Masuk" if actor is None else "Akun")
ui.show_flash()
if actor is not None:
    role = accounts.ROLE_LABELS[actor.role]
    st.markdown(f"Anda masuk sebagai **{safetext.md(actor.name)}** ({role.lower()}).")
    if not session.can("operator"):
        st.caption(
            "Halaman Unggah Data, Pengaturan, Siapkan untuk Pemda Anda dan Riwayat perubahan hanya untuk operator; "
            "masuk dengan akun operator untuk membukanya."
        )
    if st.button("Keluar", icon=":material/logout:"):
        ui.session.sign_out()
        st.rerun()
elif session.open_mode:
    st.info(
        "Belum ada akun: dasbor berjalan dalam mode terbuka. " + accounts.open_mode_note(), icon=":material/lock_open:"
    )
else:
    st.caption("Dasbor ini hanya untuk staf Pemda. Masuk dengan nama dan kata sandi dari operator Bappeda.")
    with st.form("masuk"):
        name = st.text_input("Nama akun", autocomplete="username")
        password = st.text_input("Kata sandi", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Masuk", type="primary", icon=":material/login:")
    if submitted:
        try:
            ui.session.sign_in(name, password)
        except InputError as exc:
            st.error(safetext.md(exc), icon=":material/error:")
        else:  # the same address now opens the page asked for; the sign-in page itself leads to Ringkasan
            st.rerun()
