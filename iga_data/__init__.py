"""Engine of Dasbor Kesiapan IGA: reading, matching, readiness, scoring, storage, wording and exports.

Pure Python (no Streamlit); the pages in ../pages only call into it.
"""
