"""Which data is in view, and the computations pages share, cached by content.

A cache key names what the figures depend on: the snapshot's content key (a
sha256 of its files, roster and how they were read), the settings in force,
the fingerprint of the rule files and the operator's unit aliases, so a new
upload, a settings change, an edited rule file or a name resolved by hand each
recompute, and nothing else does. Cached objects are
frozen and never changed by a page.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from iga_data import (
    briefing,
    briefing_html,
    briefing_pdf,
    charts,
    exports,
    fmt,
    history,
    messages,
    readiness,
    safetext,
    simulation,
    tables,
    timeline,
    tomlfile,
    uploads,
)
from iga_data.accounts import Actor
from iga_data.aliases import Alias, fingerprint
from iga_data.errors import InputError
from iga_data.ingest import settings_in_force, snapshot_analysis
from iga_data.pipeline import Analysis, Summary
from iga_data.reading import Source
from iga_data.roster import Roster, read_roster
from iga_data.settings import Settings
from iga_data.storage import SnapshotInfo, Store, default_db_path
from iga_data.timeline import history_until, other_histories, progress_frame

UPLOAD_PAGE = "pages/unggah.py"

# (database path, settings as JSON, rule files' fingerprint, unit aliases as JSON): what every figure depends
# on besides the snapshot.
Context = tuple[str, str, str, str]


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The database under IGA_DATA_DIR (one Store per path; connections are per operation)."""
    return _store(str(default_db_path()))


def settings() -> Settings:
    return settings_in_force(store())


def actor() -> Actor:
    """Who acts in this session, passed to every engine call that changes data (the engine checks the role)."""
    return st.session_state.get("actor") or Actor.open_mode()


def context(s: Settings) -> Context:
    pairs = sorted((a.written, a.unit) for a in store().aliases())
    return (
        str(store().path),
        json.dumps(s.to_mapping(), sort_keys=True),
        tomlfile.refresh(),
        json.dumps(pairs, ensure_ascii=False),
    )


def aliases_of(ctx: Context) -> tuple[Alias, ...]:
    """The aliases a cache context was computed with."""
    return tuple(Alias(written, unit) for written, unit in json.loads(ctx[3]))


@dataclass(frozen=True)
class View:
    """The snapshot in view, its analysis under the settings in force, and the cache context."""

    info: SnapshotInfo
    analysis: Analysis
    settings: Settings
    context: Context

    @property
    def summary(self) -> Summary:
        return self.analysis.summary


def _settings_of(ctx: Context) -> Settings:
    return Settings.from_mapping(json.loads(ctx[1]))


@st.cache_resource(max_entries=32, show_spinner="Menghitung kesiapan …")
def _analysis(ctx: Context, snapshot_id: int, content_key: str) -> Analysis:
    return snapshot_analysis(Store(ctx[0]).snapshot(snapshot_id), _settings_of(ctx), aliases_of(ctx))


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
    ctx = context(s)
    return View(info, _analysis(ctx, info.id, info.content_key), s, ctx)


def require_view() -> View:
    """The data in view, or an empty state that says what to do (and stop the page)."""
    try:
        v = view()
    except InputError as exc:
        st.error(safetext.md(exc), icon=":material/error:")
        st.stop()
    if v is None:
        st.info("Belum ada data — unggah ekspor di halaman Unggah Data.", icon=":material/upload_file:")
        st.page_link(UPLOAD_PAGE, label="Buka Unggah Data", icon=":material/upload:")
        st.stop()
    return v


def show_snapshot(snapshot_id: int) -> None:
    """Switch the dashboard to a snapshot (applied by the sidebar on the next run)."""
    st.session_state["pending_snapshot"] = snapshot_id


# Up to this many uploads without a kept summary are analysed while the page waits; more go to a background job.
INLINE_LIMIT = 3


@dataclass
class CatchUp:
    """A background job analysing the uploads that have no summary under an analysis key yet."""

    total: int
    done: int = 0
    failed: str = ""
    thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()


@st.cache_resource(show_spinner=False)
def _catch_ups() -> dict[tuple[str, str], CatchUp]:
    return {}


def _start_catch_up(v: View, key: str, todo: list[SnapshotInfo]) -> CatchUp:
    """One job per database and key, whoever opens a page first; the page polls it."""
    jobs = _catch_ups()
    job = jobs.get((v.context[0], key))
    if job is not None and (job.running or job.failed):  # a failed job keeps its message instead of retrying
        return job
    job = CatchUp(len(todo))

    def work() -> None:
        def step(done: int, total: int) -> None:
            job.done = done

        try:
            uploads.analyse_missing(store(), todo, v.settings, key, step, aliases_of(v.context))
        except InputError as exc:
            job.failed = str(exc)

    job.thread = threading.Thread(target=work, name="iga-catch-up", daemon=True)
    jobs[(v.context[0], key)] = job
    job.thread.start()
    return job


@st.fragment(run_every=1.0)
def _catch_up_progress(db_path: str, key: str) -> None:
    job = _catch_ups().get((db_path, key))
    if job is None or not job.running:
        if job is not None and job.failed:
            st.error(safetext.md(job.failed), icon=":material/error:")
            return
        st.rerun(scope="app")
    st.progress(
        job.done / max(job.total, 1),
        text=f"Menghitung ulang kemajuan: {fmt.num(job.done)} dari "
        f"{fmt.num(job.total)} unggahan (aturan, pengaturan atau data berubah) …",
    )


def other_uploads(v: View) -> int:
    """Earlier uploads kept out of the progress of the one in view: another Pemda or IGA year."""
    return other_histories(snapshots(), v.info)


def progress(v: View) -> pd.DataFrame:
    """Ready units and innovations of the upload in view and those before it, under the settings in force.

    Each upload's summary is kept in the database per analysis key, so a restart re-analyses nothing; a few
    missing ones are analysed now, many in a background job whose progress the page shows meanwhile."""
    s = store()
    every = snapshots()
    infos = history_until(every, v.info)
    key = uploads.analysis_key(v.settings, fingerprint(aliases_of(v.context)))  # a name resolved by hand: all anew
    todo = uploads.missing(s, infos, key)
    if any(i.id == v.info.id for i in todo):
        s.keep_summary(v.info.id, key, v.summary.to_json())
        todo = [i for i in todo if i.id != v.info.id]
    if 0 < len(todo) <= INLINE_LIMIT:
        with st.spinner("Menghitung kemajuan …"):
            uploads.analyse_missing(s, todo, v.settings, key, aliases=aliases_of(v.context))
    elif todo:
        _start_catch_up(v, key, uploads.missing(s, every, key))
        _catch_up_progress(v.context[0], key)
    return progress_frame(uploads.progress_points(s, infos, key))


def _points(frame: pd.DataFrame) -> tuple:
    return tuple(tuple(row) for row in frame.itertuples(index=False))


@st.cache_resource(max_entries=16, show_spinner=False)
def _pace_chart(points: tuple, deadline: dt.date, _frame: pd.DataFrame) -> tuple[timeline.Pace, go.Figure]:
    pace = timeline.pace(_frame, deadline)
    return pace, charts.progress(_frame, deadline, pace)


def pace(frame: pd.DataFrame, deadline: dt.date) -> timeline.Pace:
    """The pace of a progress frame (cached with its chart by the frame's points: a rerun only draws)."""
    return _pace_chart(_points(frame), deadline, frame)[0]


def pace_chart(frame: pd.DataFrame, deadline: dt.date) -> tuple[timeline.Pace, go.Figure]:
    return _pace_chart(_points(frame), deadline, frame)


@st.cache_resource(max_entries=8, show_spinner=False)
def _status_chart(ctx: Context, snapshot_id: int, content_key: str) -> go.Figure:
    return charts.status_by_type(_analysis(ctx, snapshot_id, content_key).units)


def status_chart(v: View) -> go.Figure:
    """Units by type and status (Ringkasan), built once per snapshot and settings; never changed by a page."""
    return _status_chart(v.context, v.info.id, v.info.content_key)


@st.cache_resource(max_entries=8, show_spinner=False)
def _pembina(ctx: Context, snapshot_id: int, content_key: str) -> tuple[pd.DataFrame, tuple[dict[str, str], ...]]:
    units = _analysis(ctx, snapshot_id, content_key).units
    groups = readiness.by_pembina(units)
    return tables.pembina_table(units, groups), tuple(tables.pembina_cards(units, groups=groups))


def pembina_table(v: View) -> pd.DataFrame:
    """Per pembina: units ready and the names of those not ready, built once per snapshot and settings."""
    return _pembina(v.context, v.info.id, v.info.content_key)[0]


def pembina_cards(v: View) -> tuple[dict[str, str], ...]:
    """The same as cards (Ringkasan), built with the table (a national export's take 0,15 s: not on every rerun)."""
    return _pembina(v.context, v.info.id, v.info.content_key)[1]


@st.cache_resource(max_entries=16, show_spinner=False)
def _trend_chart(points: tuple, local_need: int, compact: bool, _past: pd.DataFrame) -> go.Figure:
    return charts.trend(_past, local_need, compact=compact)


def trend_chart(v: View, compact: bool = False) -> go.Figure:
    """Innovations per season against the local need, cached by the seasons it draws."""
    past = past_seasons(v)
    return _trend_chart(_points(past), v.summary.local_need, compact, past)


@st.cache_data(max_entries=8, show_spinner=False)
def _follow_up(ctx: Context, snapshot_id: int, content_key: str, as_of: dt.datetime) -> bytes:
    return exports.follow_up_xlsx(_analysis(ctx, snapshot_id, content_key), as_of)


def follow_up_file(v: View) -> bytes:
    """The follow-up .xlsx, built once per snapshot and settings."""
    return _follow_up(v.context, v.info.id, v.info.content_key, v.info.as_of)


@st.cache_data(max_entries=4, show_spinner="Menyiapkan bahan rapat …")
def _briefing_files(
    ctx: Context, snapshot_id: int, content_key: str, as_of: dt.datetime, points: tuple, _progress: pd.DataFrame
) -> dict[str, bytes]:
    analysis = _analysis(ctx, snapshot_id, content_key)
    b = briefing.compose(
        analysis, as_of, _progress, _simulation(ctx, snapshot_id, content_key, analysis.settings.threshold)
    )
    return {
        ".pdf": briefing_pdf.pdf(b),
        ".html": briefing_html.page(b).encode("utf-8"),
        ".xlsx": exports.briefing_xlsx(b),
    }


def briefing_files(v: View, frame: pd.DataFrame | None = None) -> dict[str, bytes]:
    """The one-page briefing as .pdf and .html and the briefing workbook (.xlsx), by suffix: built once per
    snapshot, its history (the pace: `frame`, the page's `progress(v)`) and settings."""
    frame = progress(v) if frame is None else frame  # keyed by its points, passed as the frame itself
    points = _points(frame)
    return _briefing_files(v.context, v.info.id, v.info.content_key, v.info.as_of, points, frame)


@st.cache_data(max_entries=8, show_spinner=False)
def _whatsapp(ctx: Context, snapshot_id: int, content_key: str, as_of: dt.datetime) -> list[messages.Message]:
    return messages.whatsapp(_analysis(ctx, snapshot_id, content_key), as_of)


def whatsapp(v: View) -> list[messages.Message]:
    """The WhatsApp texts (to all, then per pembina), built once per snapshot and settings."""
    return _whatsapp(v.context, v.info.id, v.info.content_key, v.info.as_of)


@st.cache_resource(max_entries=16, show_spinner="Menghitung proyeksi IID …")
def _simulation(ctx: Context, snapshot_id: int, content_key: str, added: float) -> simulation.Simulation:
    return simulation.simulate(_analysis(ctx, snapshot_id, content_key), _settings_of(ctx), added)


def simulation_of(v: View, added_score: float | None = None) -> simulation.Simulation:
    """The IID projection and levers for the data in view (cached per content, settings and lever);
    a broken rules file stops the page with its message."""
    added = v.settings.threshold if added_score is None else float(added_score)
    try:
        return _simulation(v.context, v.info.id, v.info.content_key, added)
    except InputError as exc:
        st.error(safetext.md(exc), icon=":material/error:")
        st.stop()


def past_seasons(v: View) -> pd.DataFrame:
    """Past seasons (Pengaturan) plus this one from the data in view."""
    return history.with_current(history.from_records(store().seasons()), v.settings.season_year, v.summary.innovations)


@st.cache_resource(max_entries=4, show_spinner=False)
def _roster(sha256: str, name: str, _data: bytes, city: str, config: str) -> Roster:
    return read_roster(Source(name, _data), city)


def roster_of(source: Source, city: str) -> Roster:
    return _roster(source.sha256, source.name, source.data, city, tomlfile.refresh())
