"""Dasbor Kesiapan IGA — entry point: page setup, navigation, and the sidebar every page shares."""

import streamlit as st

import ui

st.set_page_config(page_title="Dasbor Kesiapan IGA", page_icon=":material/emoji_events:", layout="wide")

pages = {
    "Pimpinan": [
        st.Page("pages/ringkasan.py", title="Ringkasan", icon=":material/dashboard:", default=True),
        st.Page("pages/kesiapan.py", title="Kesiapan Unit", icon=":material/checklist:", url_path="kesiapan"),
        st.Page("pages/inovasi.py", title="Inovasi", icon=":material/lightbulb:", url_path="inovasi"),
        st.Page("pages/tren.py", title="Tren & Target", icon=":material/trending_up:", url_path="tren"),
        st.Page("pages/simulasi.py", title="Simulasi", icon=":material/tune:", url_path="simulasi"),
    ],
    "Operator": [
        st.Page("pages/unggah.py", title="Unggah Data", icon=":material/upload_file:", url_path="unggah"),
        st.Page("pages/pengaturan.py", title="Pengaturan", icon=":material/settings:", url_path="pengaturan"),
    ],
}
# Five metrics must fit one row on a laptop and stay legible stacked on a phone: smaller values,
# and labels that wrap instead of ending in "…". The file uploader's built-in English ("Upload",
# "200MB per file") cannot be set from Python yet (streamlit#13500), so CSS writes it in Indonesian.
st.html("""<style>
[data-testid='stMetricValue'] {font-size: 1.85rem;}
[data-testid='stMetricLabel'] * {white-space: normal !important; overflow: visible !important;}
[data-testid='stFileUploaderDropzone'] button p {font-size: 0;}
[data-testid='stFileUploaderDropzone'] button p::after {content: 'Pilih berkas'; font-size: 0.875rem;}
[data-testid='stFileUploaderDropzoneInstructions'] span {font-size: 0;}
[data-testid='stFileUploaderDropzoneInstructions'] span::after {content: 'atau seret ke sini · maks. 200 MB per berkas';
  font-size: 0.875rem;}
</style>""")
page = st.navigation(pages)
ui.sidebar()
page.run()
