"""Streamlit glue shared by the pages: which data is in view, caching, repeated widgets.

Figures come from iga_data; this module only decides what to compute (the
chosen snapshot under the settings in force) and caches it by content: the
snapshot's content key is a sha256 of its files and roster.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from openpyxl.utils import get_column_letter

from iga_data import charts, fmt, history, ingest, reports, simulation, timeline
from iga_data.accounts import Actor
from iga_data.settings import Settings
from iga_data.vocabulary import field_label
from iga_data.errors import InputError
from iga_data.limits import load_limits
from iga_data.ingest import settings_in_force, snapshot_analysis
from iga_data.pipeline import Analysis
from iga_data.reading import MANUAL_FIELDS, SUPPORTED_EXTENSIONS, SheetReport, Source, manual_mapping
from iga_data.roster import Roster, read_roster
from iga_data.storage import SnapshotInfo, Store, default_db_path
from iga_data.timeline import history_until, progress_frame, progress_point

UPLOAD_PAGE = "pages/unggah.py"


# Five metrics must fit one row on a laptop and stay legible stacked on a phone: smaller values,
# and labels that wrap instead of ending in "…". The file uploader's built-in English ("Upload",
# "200MB per file") cannot be set from Python yet (streamlit#13500), so CSS writes it in Indonesian.
STYLE = """<style>
[data-testid='stMetricValue'] {font-size: 1.85rem;}
[data-testid='stMetricLabel'] * {white-space: normal !important; overflow: visible !important;}
[data-testid='stFileUploaderDropzone'] button p {font-size: 0;}
[data-testid='stFileUploaderDropzone'] button p::after {content: 'Pilih berkas'; font-size: 0.875rem;}
[data-testid='stFileUploaderDropzoneInstructions'] span {font-size: 0;}
[data-testid='stFileUploaderDropzoneInstructions'] span::after {content: 'atau seret ke sini · maks. {max_mb} MB per berkas';
  font-size: 0.875rem;}
</style>"""


def chrome() -> None:
    """What every page shares: the styling and the sidebar (called by app.py)."""
    st.html(STYLE.replace("{max_mb}", f"{load_limits().files.max_file_mb:g}"))  # the limit in limits.toml
    sidebar()


def within_app() -> None:
    """First line of every page: give a page run without app.py the shared chrome.

    Streamlit takes a folder named pages/ beside app.py for its old multipage layout until app.py has
    called st.navigation, so a first visit straight to /unggah (and every AppTest page switch) runs
    the page alone. Leave that mode for the next runs, and draw the chrome for this one.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        chrome()


PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The database under IGA_DATA_DIR (one Store per path; connections are per operation)."""
    return _store(str(default_db_path()))


def settings() -> Settings:
    return settings_in_force(store())


def actor() -> Actor:
    """Who acts in this session, passed to every engine call that changes data (the engine checks
    the role). Until the login form lands this is the open-mode visitor, refused once accounts exist."""
    return st.session_state.get("actor") or Actor.open_mode()


@dataclass(frozen=True)
class View:
    info: SnapshotInfo
    analysis: Analysis
    settings: Settings

    @property
    def summary(self) -> dict:
        return self.analysis.summary


@st.cache_resource(max_entries=32, show_spinner="Menghitung kesiapan …")
def _analysis(db_path: str, snapshot_id: int, content_key: str, settings_json: str) -> Analysis:
    """Cached per snapshot content and settings; the returned object is never mutated."""
    settings = Settings.from_mapping(json.loads(settings_json))
    return snapshot_analysis(Store(db_path).snapshot(snapshot_id), settings)


def _settings_key(s: Settings) -> str:
    return json.dumps(s.to_mapping(), sort_keys=True)


def analysis_of(info: SnapshotInfo, s: Settings) -> Analysis:
    return _analysis(str(store().path), info.id, info.content_key, _settings_key(s))


def snapshots() -> list[SnapshotInfo]:
    return store().snapshots()


def chosen_snapshot() -> SnapshotInfo | None:
    """The snapshot picked in the sidebar, else the latest as-of."""
    snaps = snapshots()
    if not snaps:
        return None
    chosen = st.session_state.get("snapshot_id")
    return next((s for s in snaps if s.id == chosen), snaps[0])


def view() -> View | None:
    info = chosen_snapshot()
    if info is None:
        return None
    s = settings()
    return View(info, analysis_of(info, s), s)


def require_view() -> View:
    """The data in view, or an empty state that says what to do (and stop the page)."""
    try:
        v = view()
    except InputError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    if v is None:
        st.info("Belum ada data — unggah ekspor di halaman Unggah Data.", icon=":material/upload_file:")
        st.page_link(UPLOAD_PAGE, label="Buka Unggah Data", icon=":material/upload:")
        st.stop()
    return v


@st.cache_resource(max_entries=8, show_spinner="Menghitung kemajuan …")
def _progress(db_path: str, keys: tuple[tuple[int, str, dt.datetime], ...], settings_json: str) -> pd.DataFrame:
    return progress_frame([progress_point(snapshot_id, as_of, _analysis(db_path, snapshot_id, content_key,
                                                                        settings_json).summary)
                           for snapshot_id, content_key, as_of in keys])


def progress(v: View) -> pd.DataFrame:
    """Ready units and innovations of the snapshot in view and those before it, under the settings in force."""
    keys = tuple((i.id, i.content_key, i.as_of) for i in history_until(snapshots(), v.info))
    return _progress(str(store().path), keys, _settings_key(v.settings))


def progress_block(progress: pd.DataFrame, s: Settings, key: str) -> None:
    """The progress chart with the pace read out under it (Ringkasan and Tren)."""
    pace = timeline.pace(progress, s.deadline)
    chart(charts.progress(progress, s.deadline, pace), key=key)
    (st.success if pace.enough else st.warning)(pace.statement)


def chart(fig: go.Figure, key: str | None = None) -> None:
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key)


def table(frame: pd.DataFrame, **kwargs) -> None:
    st.dataframe(frame, hide_index=True, **kwargs)


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
        s = settings()
        st.markdown(
            f"**Data per {fmt.datetime(info.as_of)}**  \n"
            f"Berkas: {', '.join(info.files)}  \n"
            f"Daftar unit: {info.roster_name or 'tidak ada — unit diambil dari berkas'}  \n"
            f"Aturan: skor minimal {fmt.decimal(s.threshold)} (skala 0–111), "
            f"{s.required_per_unit} inovasi per unit, tenggat {fmt.date(s.deadline)}"
        )


@st.cache_data(max_entries=8, show_spinner=False)
def _follow_up(db_path: str, snapshot_id: int, content_key: str, settings_json: str, as_of: str) -> bytes:
    return reports.follow_up_xlsx(_analysis(db_path, snapshot_id, content_key, settings_json), as_of)


def follow_up_file(v: View) -> bytes:
    """The follow-up .xlsx, built once per snapshot and settings."""
    return _follow_up(str(store().path), v.info.id, v.info.content_key, _settings_key(v.settings),
                      fmt.datetime(v.info.as_of))


UPLOAD_TYPES = [ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS]


def flash(message: str) -> None:
    """A message shown once after the rerun that follows an action."""
    st.session_state["flash"] = message


def show_flash() -> None:
    if message := st.session_state.pop("flash", None):
        st.success(message, icon=":material/check_circle:")


def show_snapshot(snapshot_id: int) -> None:
    """Switch the dashboard to a snapshot (applied by the sidebar on the next run)."""
    st.session_state["pending_snapshot"] = snapshot_id


def _sources(files: list) -> list[Source]:
    """Read each UploadedFile's bytes once; UploadedFile objects are never kept."""
    return [Source(f.name, f.getvalue()) for f in files]


def prepare_upload(files: list, roster_file, s: Settings) -> ingest.Prepared:
    """Read and analyse an upload once per content (kept in the session until saved)."""
    sources = _sources(files)
    roster_source = _sources([roster_file])[0] if roster_file is not None else None
    key = (tuple(x.sha256 for x in sources), roster_source.sha256 if roster_source else None, _settings_key(s),
           json.dumps(store().mappings(), sort_keys=True))
    cached = st.session_state.get("prepared")
    if cached and cached[0] == key:
        return cached[1]
    with st.status("Membaca berkas …", expanded=False) as status:
        bar = st.progress(0.0)

        def step(done: int, total: int, name: str) -> None:
            bar.progress(done / total, text=f"Membaca {name} ({done + 1} dari {total})")

        try:
            prepared = ingest.prepare(store(), sources, roster_source, s, progress=step)
        except InputError:
            status.update(label="Berkas tidak dapat dibaca", state="error")
            raise
        bar.progress(1.0, text="Selesai")
        status.update(label=f"{fmt.num(len(sources))} berkas dibaca", state="complete")
    st.session_state["prepared"] = (key, prepared)
    return prepared


def forget_upload() -> None:
    st.session_state.pop("prepared", None)


def mapping_form(sheet: SheetReport) -> None:
    """Pick a sheet's columns by hand (pre-filled with what was understood); remembered per header layout."""
    current = {f: c for f, c in sheet.mapping.items() if f in MANUAL_FIELDS}
    options = [None, *range(len(sheet.headers))]

    def describe(i: int | None) -> str:
        if i is None:
            return "— tidak ada —"
        sample = sheet.samples[i] if i < len(sheet.samples) and sheet.samples[i] else ""
        return f"{get_column_letter(i + 1)} · {sheet.headers[i] or '(tanpa judul)'}" + (f" — mis. {sample[:30]}" if sample else "")

    mapping: dict[str, int] = {}
    for n, name in enumerate(MANUAL_FIELDS):
        if n % 2 == 0:
            row = st.columns(2)  # one row per pair, so a phone keeps the order
        label = field_label(name) + (" (wajib)" if name in ("unit", "innovation") else "")
        choice = row[n % 2].selectbox(label, options, index=options.index(current.get(name)),
                                      key=f"pick_{sheet.header_key}_{name}", format_func=describe)
        if choice is not None:
            mapping[name] = choice
    problem = ("Pilih kolom nama unit dan nama inovasi." if "unit" not in mapping or "innovation" not in mapping
               else "Satu kolom hanya boleh dipilih untuk satu isian." if len(set(mapping.values())) < len(mapping)
               else "")
    if problem:
        st.caption(problem)
    if st.button("Pakai pemetaan ini", key=f"map_{sheet.header_key}", type="primary", disabled=bool(problem)):
        store().remember_mapping(sheet.header_key, manual_mapping(sheet, mapping), actor())
        forget_upload()
        flash(f"Pemetaan kolom lembar \"{sheet.sheet}\" disimpan dan dipakai untuk berkas dengan judul kolom sama.")
        st.rerun()


@st.cache_resource(max_entries=4, show_spinner=False)
def _roster(sha256: str, name: str, _data: bytes, city: str) -> Roster:
    return read_roster(Source(name, _data), city)


def roster_of(source: Source, city: str) -> Roster:
    return _roster(source.sha256, source.name, source.data, city)


def read_uploaded_roster(file, city: str) -> tuple[Source, Roster]:
    source = _sources([file])[0]
    return source, roster_of(source, city)


@st.cache_resource(max_entries=16, show_spinner="Menghitung proyeksi IID …")
def _simulation(db_path: str, snapshot_id: int, content_key: str, settings_json: str, added: float):
    settings = Settings.from_mapping(json.loads(settings_json))
    return simulation.simulate(_analysis(db_path, snapshot_id, content_key, settings_json), settings, added)


def simulation_of(v: View, added_score: float | None = None) -> "simulation.Simulation":
    """The IID projection and levers for the data in view (cached per content, settings and lever);
    a broken rules file stops the page with its message."""
    added = v.settings.threshold if added_score is None else float(added_score)
    try:
        return _simulation(str(store().path), v.info.id, v.info.content_key, _settings_key(v.settings), added)
    except InputError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()


def past_seasons(v: View) -> pd.DataFrame:
    """Past seasons plus this one; a broken history file is reported and left out, not fatal."""
    try:
        past = history.load_history()
    except InputError as exc:
        st.warning(f"{exc} Riwayat tahun sebelumnya tidak ditampilkan.", icon=":material/warning:")
        past = history.empty_history()
    return history.with_current(past, v.settings.season_year, v.summary["innovations"])

