"""The frame around every page: styling, the sidebar, one-time messages, and the pages/ folder shim."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from iga_data import fmt, wording

from .data import settings, snapshots
from .style import STYLE


def chrome() -> None:
    """What every page shares: the styling and the sidebar (called by app.py)."""
    st.html(STYLE)
    sidebar()


def within_app() -> None:
    """First line of every page: give a page run without app.py the shared chrome.

    Streamlit takes a folder named pages/ beside app.py for its old multipage layout until app.py has
    called st.navigation once in the process (PagesManager.uses_pages_directory; no public setting
    exists), so a first visit straight to /unggah (and every AppTest page switch) runs the page alone.
    Leave that mode for the next runs, and draw the chrome for this one. tests/app/test_shell.py fails
    loudly if a Streamlit upgrade renames the flag.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        chrome()


def sidebar() -> None:
    """Where the figures come from and the rules in force, on every page."""
    with st.sidebar:
        snaps = snapshots()
        if not snaps:
            st.caption("Belum ada data tersimpan.")
            return
        ids = [s.id for s in snaps]
        if "pending_snapshot" in st.session_state:
            st.session_state["snapshot_id"] = st.session_state.pop("pending_snapshot")
        if st.session_state.get("snapshot_id") not in ids:
            st.session_state["snapshot_id"] = ids[0]
        by_id = {s.id: s for s in snaps}
        st.selectbox(
            "Data yang ditampilkan", ids, key="snapshot_id",
            format_func=lambda i: f"#{i} · {fmt.datetime(by_id[i].as_of)} · {fmt.num(by_id[i].innovations)} inovasi",
        )
        info = by_id[st.session_state["snapshot_id"]]
        st.markdown(
            f"**Data per {fmt.datetime(info.as_of)}**  \n"
            f"Berkas: {', '.join(info.files)}  \n"
            f"Daftar unit: {info.roster_name or 'tidak ada — unit diambil dari berkas'}  \n"
            f"Aturan: {wording.rules_line(settings())}"
        )


def flash(message: str) -> None:
    """A message shown once after the rerun that follows an action."""
    st.session_state["flash"] = message


def show_flash() -> None:
    if message := st.session_state.pop("flash", None):
        st.success(message, icon=":material/check_circle:")
