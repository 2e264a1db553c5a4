"""Dasbor Kesiapan IGA — entry point: page setup, navigation, and the sidebar every page shares."""

import streamlit as st

import ui
from iga_data.errors import InputError

st.set_page_config(page_title="Dasbor Kesiapan IGA", page_icon=":material/emoji_events:", layout="wide")

pages = {
    "Pimpinan": [
        st.Page("pages/ringkasan.py", title="Ringkasan", icon=":material/dashboard:", default=True),
        st.Page("pages/kesiapan.py", title="Kesiapan Unit", icon=":material/checklist:", url_path="kesiapan"),
        st.Page("pages/inovasi.py", title="Inovasi", icon=":material/lightbulb:", url_path="inovasi"),
        st.Page("pages/tren.py", title="Tren & Target", icon=":material/trending_up:", url_path="tren"),
        st.Page("pages/simulasi.py", title="Simulasi", icon=":material/tune:", url_path="simulasi"),
        st.Page("pages/kalkulator.py", title="Kalkulator Skor", icon=":material/calculate:", url_path="kalkulator"),
    ],
    "Operator": [
        st.Page("pages/unggah.py", title="Unggah Data", icon=":material/upload_file:", url_path="unggah"),
        st.Page("pages/pengaturan.py", title="Pengaturan", icon=":material/settings:", url_path="pengaturan"),
        st.Page("pages/siapkan.py", title="Siapkan untuk Pemda Anda", icon=":material/rocket_launch:",
                url_path="siapkan"),
    ],
}
page = st.navigation(pages)
try:
    ui.chrome()
    page.run()
except InputError as exc:  # a broken database, rules or history file: say what to do instead of crashing
    st.error(str(exc), icon=":material/error:")
