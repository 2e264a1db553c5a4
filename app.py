"""Dasbor Kesiapan IGA — entry point: who may open which page, navigation, and the frame every page shares.

The role gate is here and only here (STYLE.md, "Roles through the page list"): a page a session may
not open is not in its list, and its address leads to the sign-in page instead. Every write is
checked again by the engine against the accounts in the database.
"""

import streamlit as st

import ui
from iga_data import safetext
from iga_data.errors import InputError

st.set_page_config(page_title="Dasbor Kesiapan IGA", page_icon=":material/emoji_events:", layout="wide")

LEADER = [  # (file, title, icon): what pimpinan sees and downloads
    ("ringkasan", "Ringkasan", ":material/dashboard:"),
    ("kesiapan", "Kesiapan Unit", ":material/checklist:"),
    ("inovasi", "Inovasi", ":material/lightbulb:"),
    ("tren", "Tren & Target", ":material/trending_up:"),
    ("simulasi", "Simulasi", ":material/tune:"),
    ("kalkulator", "Kalkulator Skor", ":material/calculate:"),
]
OPERATOR = [  # pages that change data
    ("unggah", "Unggah Data", ":material/upload_file:"),
    ("pengaturan", "Pengaturan", ":material/settings:"),
    ("siapkan", "Siapkan untuk Pemda Anda", ":material/rocket_launch:"),
    ("riwayat", "Riwayat perubahan", ":material/history:"),
]
LOGIN = st.Page("pages/masuk.py", title="Masuk", icon=":material/login:", url_path="masuk")
ACCOUNT = st.Page("pages/masuk.py", title="Akun & keluar", icon=":material/account_circle:", url_path="masuk")


def _page(name: str, title: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(f"pages/{name}.py", title=title, icon=icon, url_path=name, default=default)


def _closed(name: str) -> st.Page:
    """The address of a page this session may not open shows the sign-in page, never the page; once signed in
    with the right role, the same address opens the page."""
    return st.Page("pages/masuk.py", title="Masuk", url_path=name, visibility="hidden")


try:
    session = ui.session.current()
except InputError as exc:  # a broken database: every page shows what to do (it cannot read anything either)
    session, broken = None, exc
else:
    broken = None

home = _page(*LEADER[0], default=True)
if session is not None and session.actor is None:  # accounts exist and nobody has signed in
    # The address "/" is the default page's, so the sign-in page is listed second to keep "/masuk" its own.
    entry = st.Page("pages/masuk.py", title="Masuk", url_path=LEADER[0][0], default=True, visibility="hidden")
    pages: dict[str, list[st.Page]] = {"": [entry, LOGIN, *(_closed(n) for n, _, _ in LEADER[1:] + OPERATOR)]}
else:
    operator = session is None or session.can("operator")
    pages = {
        "Pimpinan": [home, *(_page(*p) for p in LEADER[1:])],
        "Operator": [_page(*p) for p in OPERATOR] if operator else [_closed(n) for n, _, _ in OPERATOR],
        "Akun": [
            ACCOUNT
            if session is not None and not session.open_mode
            else st.Page("pages/masuk.py", title="Masuk", url_path="masuk", visibility="hidden")
        ],
    }
page = st.navigation(pages)
if ui.session.just_signed_in() and page.url_path == "masuk":  # signed in from the sign-in page: go to the answers
    st.switch_page(home)
try:
    if broken is not None:
        raise broken
    assert session is not None
    ui.chrome(session)
    if (script := ui.session.cookie_script()) is not None:  # keep (or drop) the sign-in across reloads
        st.html(script, unsafe_allow_javascript=True)
    page.run()
except InputError as exc:  # a broken database, rules or history file: say what to do instead of crashing
    st.error(safetext.md(exc), icon=":material/error:")
