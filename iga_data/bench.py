"""National-scale benchmark: `python -m iga_data bench` (or `make bench`).

Generates, with a fixed seed, an export the size of IGA 2024 (31,719
innovations over 542 Pemda, portal-like columns under a title block, some
scores typed as text with a decimal comma) and measures, on that same file
in one run:

  raw fastexcel   fastexcel.read_excel(path).load_sheet(sheet, header_row=None).to_arrow(), every
                  sheet — the floor (the reader the pipeline uses, with nothing after it)
  raw calamine    pd.read_excel(engine="calamine", header=None)  — reference, no target
  raw openpyxl    pd.read_excel(engine="openpyxl", header=None)  — what staff reach for
  pipeline        read, map, normalise, match, readiness (what `report` does, the file read
                  through the guard's child process)
  guard cost      the same pipeline minus one that reads in-process (reported, no target)
  peak memory     of a fresh process running the pipeline once, with its reader child (the sum of
                  both peaks: the target; and their sampled proportional set size, reported)
  overview rerun  the Ringkasan page rerun on a cached snapshot (AppTest)

With `--first-page` (needs chromium and playwright) it measures a fresh browser
session's time to a finished Ringkasan on the sample data: a `streamlit run` on
a free port, a new browser context per visit, the clock stopped when the script
has finished and every chart has drawn (the first visit, which warms the
server's caches, is left out).

With `--history N` (`make bench` uses 60) it also stores N
uploads of the national file (the same rows, each copy re-saved on another
day so that its content key differs, with its summary kept as the dashboard
keeps it) and measures, in a fresh process each (a restart), the first render
of Ringkasan and of Tren & Target and their reruns, then the time to analyse
every upload again after the minimum score is changed (the background catch-up).

Targets (docs/PERFORMANCE.md): pipeline <= 1.3 x fastexcel and <= 0.08 x
openpyxl; peak memory < 250 MB; overview rerun < 150 ms; with history, first
render <= 2 s and rerun <= 150 ms; first page in a browser <= 2.5 s. Timings are medians; the pipeline and the
raw reads it is compared with are measured in alternation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pipeline import Summary

SEED = 2024
INNOVATIONS = 31_719
PEMDA = 542
TARGETS = {
    "vs_fastexcel": 1.3,
    "vs_openpyxl": 0.08,
    "peak_mb": 250.0,
    "rerun_ms": 150.0,
    "first_render_s": 2.0,
    "history_rerun_ms": 150.0,
    "first_page_s": 2.5,
    "settings_change_s": 60.0,
}
# Chromium as root in a sandbox with no network: flags from the workplace's notes (the browser test uses them too).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
HISTORY_PAGES = {"Ringkasan": "pages/ringkasan.py", "Tren": "pages/tren.py"}
_APP = Path(__file__).resolve().parent.parent / "app.py"
HEADER = [
    "No",
    "Nama Pemda",
    "Perangkat Daerah",
    "Nama Inovasi",
    "Tahapan",
    "Jenis Inovasi",
    "Urusan Utama",
    "Waktu Uji Coba",
    "Waktu Penerapan",
    "Estimasi Skor Kematangan",
    "Tanggal Input",
]
_UNITS = [
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas Sosial",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Komunikasi dan Informatika",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Bappeda",
    "Satuan Polisi Pamong Praja",
    "Dinas Perhubungan",
    "Dinas Lingkungan Hidup",
    "RSUD",
    "Badan Pendapatan Daerah",
    "Inspektorat",
    "Dinas Pertanian",
    "Dinas Perdagangan",
]
_URUSAN = [
    "Pendidikan",
    "Kesehatan",
    "Sosial",
    "Administrasi Kependudukan dan Pencatatan Sipil",
    "Komunikasi dan Informatika",
    "Pekerjaan Umum dan Penataan Ruang",
    "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat",
    "Perhubungan",
    "Lingkungan Hidup",
]
_WORDS = [
    "Layanan",
    "Sistem",
    "Gerakan",
    "Aplikasi",
    "Program",
    "Inovasi",
    "Digital",
    "Terpadu",
    "Cepat",
    "Warga",
    "Sehat",
    "Cerdas",
    "Keliling",
    "Daring",
    "Mandiri",
    "Bersama",
]


def generate(path: Path, seed: int = SEED, innovations: int = INNOVATIONS, pemda: int = PEMDA) -> Path:
    """Write the national-scale export (openpyxl write-only mode: fast and small in memory)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    names = [f"{'Kabupaten' if i % 5 else 'Kota'} Daerah {i + 1:03d}" for i in range(pemda)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data Inovasi")
    ws.append(["DAFTAR INOVASI DAERAH — SELURUH PEMDA"])
    ws.append(["Indeks Inovasi Daerah Tahun 2024"])
    ws.append([])
    ws.append(HEADER)
    for i in range(innovations):
        unit = (
            rng.choice(_UNITS)
            if rng.random() < 0.7
            else rng.choice(
                [
                    f"SD Negeri {rng.randint(1, 60)}",
                    f"Puskesmas {rng.choice(_WORDS)}",
                    f"Kelurahan {rng.choice(_WORDS)}",
                ]
            )
        )
        score = round(rng.uniform(20, 111), 1)
        cell = f"{score:.1f}".replace(".", ",") if rng.random() < 0.15 else score
        day = dt.datetime(2024, 6, 1) + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 45))
        ws.append(
            [
                i + 1,
                names[rng.randrange(pemda)],
                unit,
                f"{' '.join(rng.sample(_WORDS, 3))} {i}",
                rng.choice(["Inisiatif", "Uji Coba", "Penerapan"]),
                rng.choice(["Digital", "Non Digital"]),
                rng.choice(_URUSAN),
                dt.date(2023, rng.randint(1, 12), 1),
                dt.date(2024, rng.randint(1, 6), 1),
                cell,
                day if rng.random() < 0.8 else day.strftime("%d/%m/%Y"),
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _medians(fns: list[Callable[[], object]], runs: int) -> list[float]:
    """Medians of several measures taken in turn, so a busy spell on the machine hits them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, out in zip(fns, times):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def read_fastexcel(path: Path) -> list[object]:
    """The floor: fastexcel's own read of every sheet into Arrow, types as fastexcel guesses them."""
    import fastexcel

    reader = fastexcel.read_excel(path)
    return [reader.load_sheet(name, header_row=None).to_arrow() for name in reader.sheet_names]


def run_pipeline(path: str) -> Summary:
    """What `report` does on one file, end to end."""
    from .pipeline import analyse_sources
    from .reading import Source
    from .settings import default_settings

    return analyse_sources([Source.from_path(path)], None, default_settings()).summary


def run_unguarded(path: str) -> Summary:
    """The pipeline reading in-process, to measure what the guard's child process costs."""
    from . import reading
    from .pipeline import analyse
    from .settings import default_settings

    load = reading.read_sources([reading.Source.from_path(path)]).require_rows()
    return analyse(load, None, default_settings()).summary


def _pss_kb(pid: int) -> int:
    """Proportional set size of a process (a page shared by n processes counts 1/n in each); 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _tree_pss_kb(pid: int) -> int:
    """The proportional set size of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _pss_kb(current)
        todo += _children(current)
    return total


def _peak_mb(path: Path) -> tuple[float, float]:
    """Peak memory of a fresh process running the pipeline once with its reader child: the sum of both peaks
    (ru_maxrss; both are alive while the child sends its rows, so it bounds the peak from above), and the peak of
    their proportional set size together, sampled from outside every 10 ms (0 where /proc cannot tell). The
    process measured stays single-threaded, so the guard forks its reader from it as in a CLI run."""
    code = (
        "import resource, sys; from iga_data import guard; from iga_data.bench import run_pipeline; "
        "run_pipeline(sys.argv[1]); guard.stop(); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss"
        " + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    sampled = Path("/proc/self/smaps_rollup").exists()
    with subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=_APP.parent,
    ) as child:
        pss = 0
        while sampled and child.poll() is None:
            pss = max(pss, _tree_pss_kb(child.pid))
            time.sleep(0.01)
        out, err = child.communicate()
    if child.returncode:
        raise RuntimeError(err)
    return int(out.strip().splitlines()[-1]) / 1024, pss / 1024  # KiB on Linux


def _rerun_ms(path: Path, runs: int) -> float:
    """Median rerun of the Ringkasan page once the snapshot's analysis is cached."""
    from streamlit.testing.v1 import AppTest

    from .accounts import Actor
    from .ingest import prepare, save, settings_in_force
    from .reading import Source
    from .storage import Store

    folder = tempfile.mkdtemp(prefix="iga-bench-")
    os.environ["IGA_DATA_DIR"] = folder
    store = Store(Path(folder) / "iga.db")
    save(
        store,
        prepare(store, [Source.from_path(path)], None, settings_in_force(store)),
        dt.datetime(2024, 7, 10, 16),
        "bench",
        Actor.command_line(),
    )
    at = AppTest.from_file(str(_APP), default_timeout=600)
    at.run()  # first run fills the caches
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return _median_seconds(at.run, runs) * 1000


def variant(data: bytes, day: int) -> bytes:
    """The same workbook re-saved `day` days after 1 June 2024: the rows are unchanged, only the file's
    "modified" property differs, so each copy has its own content key (the store keeps identical content once)."""
    stamp = (dt.datetime(2024, 6, 1, 9) + dt.timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            part = old.read(item)
            if item.filename == "docProps/core.xml":
                part, found = re.subn(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    part,
                )
                if found != 1:
                    raise ValueError("docProps/core.xml tanpa dcterms:modified")
            new.writestr(item, part, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


def build_history(path: Path, folder: Path, uploads: int) -> Path:
    """A database holding `uploads` uploads of the national file, one a day, each with its summary kept under the
    analysis key the dashboard uses (as after a server that has shown them once): what a restart finds."""
    from . import uploads as kept
    from .accounts import Actor
    from .aliases import fingerprint
    from .ingest import prepare, save, settings_in_force
    from .reading import Source
    from .storage import Store

    store = Store(folder / "iga.db")
    settings = settings_in_force(store)
    key = kept.analysis_key(settings, fingerprint(store.aliases()))
    data = path.read_bytes()
    for day in range(uploads):
        prepared = prepare(store, [Source(path.name, variant(data, day))], None, settings)
        saved = save(
            store, prepared, dt.datetime(2024, 6, 1, 16) + dt.timedelta(days=day), "bench", Actor.command_line()
        )
        if not saved.created:
            raise RuntimeError(f"Salinan hari ke-{day} tersimpan ganda (kunci isi sama).")
        store.keep_summary(saved.snapshot_id, key, prepared.require().summary.to_json())
    if kept.missing(store, store.snapshots(), key):
        raise RuntimeError("Ringkasan unggahan tidak tersimpan di bawah kunci analisis dasbor.")
    return store.path


def render_times(page: str, runs: int) -> dict[str, float]:
    """In this (fresh) process: the first render of `page` and the median of `runs` reruns, in seconds.
    Run by `_fresh_render` in a child process, so that every cache starts empty, as after a restart."""
    from streamlit.testing.v1 import AppTest  # Streamlit itself is imported before a server takes requests

    at = AppTest.from_file(str(_APP), default_timeout=600)
    at.switch_page(page)
    start = time.perf_counter()
    at.run()  # imports the app's own modules (ui, plotly, the engine) as a first request after a restart does
    first = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    from ui import data

    if data._catch_ups():
        raise RuntimeError("Halaman menghitung ulang unggahan (ringkasan tersimpan tidak terpakai).")
    return {"first": first, "rerun": _median_seconds(at.run, runs)}


def _fresh_render(db_folder: Path, page: str, runs: int) -> dict[str, float]:
    code = (
        "import json, sys; from iga_data.bench import render_times; "
        "print(json.dumps(render_times(sys.argv[1], int(sys.argv[2]))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, page, str(runs)],
        check=True,
        capture_output=True,
        text=True,
        cwd=_APP.parent,
        env={**os.environ, "IGA_DATA_DIR": str(db_folder)},
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@dataclass
class History:
    uploads: int
    setup_s: float
    first_s: dict[str, float]  # by page name (HISTORY_PAGES)
    rerun_ms: dict[str, float]
    recompute_s: float = 0.0  # every upload analysed again after a settings change

    def checks(self) -> list[tuple[str, str, bool]]:
        found = []
        for name in self.first_s:
            first, rerun = self.first_s[name], self.rerun_ms[name]
            found += [
                (
                    f"{name} pertama, {self.uploads} unggahan = {first:.2f} s",
                    f"<= {TARGETS['first_render_s']:.0f} s",
                    first <= TARGETS["first_render_s"],
                ),
                (
                    f"rerun {name}, {self.uploads} unggahan = {rerun:.0f} ms",
                    f"<= {TARGETS['history_rerun_ms']:.0f} ms",
                    rerun <= TARGETS["history_rerun_ms"],
                ),
            ]
        return [
            *found,
            (
                f"hitung ulang {self.uploads} unggahan sesudah pengaturan diubah = {self.recompute_s:.0f} s",
                f"<= {TARGETS['settings_change_s']:.0f} s",
                self.recompute_s <= TARGETS["settings_change_s"],
            ),
        ]


def measure_history(path: Path, uploads: int, runs: int) -> History:
    folder = Path(tempfile.mkdtemp(prefix="iga-bench-history-"))
    try:
        start = time.perf_counter()
        build_history(path, folder, uploads)
        setup = time.perf_counter() - start
        times = {name: _fresh_render(folder, page, runs) for name, page in HISTORY_PAGES.items()}
        recompute = settings_change_s(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return History(
        uploads,
        setup,
        {n: t["first"] for n, t in times.items()},
        {n: t["rerun"] * 1000 for n, t in times.items()},
        recompute,
    )


def settings_change_s(folder: Path) -> float:
    """The minimum score changed: the time to analyse every stored upload again and keep its summary, as the
    dashboard's background catch-up does (with its progress bar) after Pengaturan is saved."""
    from . import uploads as kept
    from .aliases import fingerprint
    from .ingest import settings_in_force
    from .storage import Store

    store = Store(folder / "iga.db")
    changed = settings_in_force(store).replace(threshold=65)
    key = kept.analysis_key(changed, fingerprint(store.aliases()))
    start = time.perf_counter()
    kept.analyse_missing(store, store.snapshots(), changed, key)
    return time.perf_counter() - start


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port with the sample data in `folder`, yielding its address; always
    stopped afterwards (the first-page measure and the browser test)."""
    import socket
    import urllib.request

    env = {**os.environ, "IGA_DATA_DIR": str(folder)}
    subprocess.run(
        [sys.executable, "-m", "iga_data", "seed"], cwd=_APP.parent, env=env, check=True, capture_output=True
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = folder / "streamlit.log"
    with log_path.open("w") as log:  # a file, not a pipe: a full pipe would block the server
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(_APP), "--server.port", str(port)]
            + ["--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=_APP.parent,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.read().strip() == b"ok":
                            break
                except OSError:
                    pass
                if server.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"streamlit tidak menyala:\n{log_path.read_text()}")
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def first_page_s(runs: int) -> float:
    """Median time from opening the dashboard in a fresh browser context to a finished Ringkasan."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise RuntimeError("chromium tidak terpasang: --first-page memerlukan paket Debian 'chromium'.")
    folder = Path(tempfile.mkdtemp(prefix="iga-bench-page-"))
    times = []
    try:
        with serve(folder) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for _ in range(runs + 1):
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url)
                page.get_by_role("heading", name="Ringkasan kesiapan IGA").first.wait_for(timeout=60_000)
                page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
                page.wait_for_function(
                    "document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                    "document.querySelectorAll('.js-plotly-plot').length",
                    timeout=60_000,
                )
                times.append(time.perf_counter() - start)
                context.close()
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(times[1:])


@dataclass
class Result:
    fastexcel: float
    calamine: float
    openpyxl: float
    pipeline: float
    unguarded: float
    peak_mb: float
    rerun_ms: float
    history: History | None = None
    pss_mb: float = 0.0  # sampled proportional set size of parent and child together (reported, no target)
    first_page_s: float | None = None

    def checks(self) -> list[tuple[str, str, bool]]:
        ratio_f, ratio_o = self.pipeline / self.fastexcel, self.pipeline / self.openpyxl
        found = [
            (
                f"pipeline / fastexcel = {ratio_f:.2f}",
                f"<= {TARGETS['vs_fastexcel']}",
                ratio_f <= TARGETS["vs_fastexcel"],
            ),
            (f"pipeline / openpyxl = {ratio_o:.3f}", f"<= {TARGETS['vs_openpyxl']}", ratio_o <= TARGETS["vs_openpyxl"]),
            (
                f"memori puncak = {self.peak_mb:.0f} MB",
                f"< {TARGETS['peak_mb']:.0f} MB",
                self.peak_mb < TARGETS["peak_mb"],
            ),
            (
                f"rerun Ringkasan = {self.rerun_ms:.0f} ms",
                f"< {TARGETS['rerun_ms']:.0f} ms",
                self.rerun_ms < TARGETS["rerun_ms"],
            ),
        ]
        if self.first_page_s is not None:
            found.append(
                (
                    f"halaman pertama di peramban = {self.first_page_s:.2f} s",
                    f"<= {TARGETS['first_page_s']} s",
                    self.first_page_s <= TARGETS["first_page_s"],
                )
            )
        return found + (self.history.checks() if self.history else [])


def main(runs: int = 5, workdir: Path | None = None, history: int = 0, first_page: bool = False) -> int:
    import pandas as pd

    workdir = workdir or Path(tempfile.gettempdir()) / "iga-bench"
    path = workdir / f"nasional_{SEED}_{INNOVATIONS}.xlsx"
    if not path.exists():
        print(f"Membuat berkas uji {path.name} ({INNOVATIONS:,} inovasi, {PEMDA} Pemda) …".replace(",", "."))
        generate(path)
    print(
        f"Berkas: {path} ({path.stat().st_size / 1e6:.1f} MB); median dari {runs} kali (openpyxl 3 kali); "
        f"beban: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    run_pipeline(str(path))  # warm imports, caches of configuration and the guard's reader process
    read_fastexcel(path)
    openpyxl = _median_seconds(lambda: pd.read_excel(path, engine="openpyxl", header=None), 3)
    fastexcel, calamine, pipeline, unguarded = _medians(
        [
            lambda: read_fastexcel(path),
            lambda: pd.read_excel(path, engine="calamine", header=None),
            lambda: run_pipeline(str(path)),
            lambda: run_unguarded(str(path)),
        ],
        runs,
    )
    peak = _peak_mb(path)
    result = Result(
        fastexcel=fastexcel,
        calamine=calamine,
        openpyxl=openpyxl,
        pipeline=pipeline,
        unguarded=unguarded,
        peak_mb=peak[0],
        pss_mb=peak[1],
        rerun_ms=_rerun_ms(path, runs),
    )
    print(f"  fastexcel ke Arrow      {result.fastexcel:7.3f} s (lantai)")
    print(f"  pd.read_excel calamine  {result.calamine:7.3f} s (pembanding, tanpa target)")
    print(f"  pd.read_excel openpyxl  {result.openpyxl:7.3f} s")
    print(f"  pipeline report         {result.pipeline:7.3f} s")
    print(f"  ... tanpa penjaga       {result.unguarded:7.3f} s (penjaga: {result.pipeline - result.unguarded:+.3f} s)")
    print(f"  memori puncak pipeline  {result.peak_mb:7.0f} MB (induk + anak, batas atas)")
    if result.pss_mb:
        print(f"  ... PSS bersama         {result.pss_mb:7.0f} MB (halaman bersama dihitung sekali, tanpa target)")
    print(f"  rerun Ringkasan         {result.rerun_ms:7.0f} ms")
    if first_page:
        result.first_page_s = first_page_s(runs)
        print(f"  halaman pertama (peramban) {result.first_page_s:5.2f} s (data contoh, sesi baru)")
    if history:
        print(f"Riwayat: menyimpan {history} unggahan berkas nasional …")
        result.history = measure_history(path, history, runs)
        h = result.history
        print(f"  penyiapan {h.uploads} unggahan  {h.setup_s:7.1f} s")
        for name in h.first_s:
            print(f"  {name + ' pertama':<22}  {h.first_s[name]:7.2f} s; rerun {h.rerun_ms[name]:.0f} ms")
        print(f"  hitung ulang semua       {h.recompute_s:7.1f} s (sesudah skor minimal diubah)")
    ok = True
    for measured, target, passed in result.checks():
        ok &= passed
        print(f"  {'LULUS' if passed else 'GAGAL'}  {measured} (target {target})")
    print(f"Beban sesudahnya: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if ok else 1
