"""The frame around every page: styling, the sidebar, one-time messages, and the pages/ folder shim."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from iga_data import accounts, fmt, safetext, wording
from iga_data.errors import InputError
from iga_data.limits import load_limits

from .data import settings, snapshots

if TYPE_CHECKING:
    from .session import Session
from .style import STYLE

APP = Path(__file__).resolve().parent.parent / "app.py"


def chrome(session: Session) -> None:
    """What every page shares: the styling, the open-mode notice, and the sidebar (called by app.py)."""
    st.html(STYLE.replace("__MAX__", f"{load_limits().files.max_file_mb:g}"))  # the limit in limits.toml
    if session.open_mode:
        st.caption(f":material/lock_open: {accounts.open_mode_note()}")
    if session.actor is not None:
        sidebar(session)
    if (name := st.session_state.pop("welcome", None)) is not None:
        st.toast(f"Selamat datang, {safetext.md(name)}.", icon=":material/waving_hand:")


def within_app() -> None:
    """First line of every page: make sure the page runs inside app.py (navigation, role gate, error handling).

    Streamlit takes a folder named pages/ beside app.py for its old multipage layout until app.py has
    called st.navigation once in the process (PagesManager.uses_pages_directory; no public setting
    exists), so a first visit straight to /unggah after a restart (and every AppTest page switch) runs
    the page file alone. Then leave that mode and run app.py, which runs this page through st.navigation
    like any other visit, and end the lone run there. (st.rerun() would do the same but drop a button
    click made in this run.) tests/app/test_architecture.py fails loudly if a Streamlit upgrade renames
    the flag.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()


def sidebar(session: Session) -> None:
    """Who is signed in, where the figures come from and the rules in force, on every page."""
    with st.sidebar:
        if not session.open_mode and session.actor is not None:
            st.caption(
                f"Masuk sebagai {safetext.md(session.actor.name)} ({accounts.ROLE_LABELS[session.actor.role].lower()})"
            )
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
            "Data yang ditampilkan",
            ids,
            key="snapshot_id",
            format_func=lambda i: f"#{i} · {fmt.datetime(by_id[i].as_of)} · {fmt.num(by_id[i].innovations)} inovasi",
        )
        info = by_id[st.session_state["snapshot_id"]]
        roster = safetext.md(info.roster_name) if info.roster_name else "tidak ada — unit diambil dari berkas"
        st.markdown(
            f"**Data per {fmt.datetime(info.as_of)}**  \n"
            f"Berkas: {safetext.md(', '.join(info.files))}  \n"  # file names are the uploader's text
            f"Daftar unit: {roster}  \n"
            f"Aturan: {wording.rules_line(settings())}"
        )


def flash(message: str) -> None:
    """A message shown once after the rerun that follows an action."""
    st.session_state["flash"] = message


def attempt(action: Callable[[], object], done: str) -> None:
    """Run a change the engine checks; its refusal is one error on the page, its success a message after the rerun."""
    try:
        action()
    except InputError as exc:
        st.error(safetext.md(exc), icon=":material/error:")
    else:
        flash(done)
        st.rerun()


def show_flash() -> None:
    if message := st.session_state.pop("flash", None):
        st.success(safetext.md(message), icon=":material/check_circle:")  # may name an uploaded file
