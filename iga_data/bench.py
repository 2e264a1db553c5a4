"""National-scale benchmark: `python -m iga_data bench` (or `make bench`).

Generates, with a fixed seed, an export the size of IGA 2024 (31,719
innovations over 542 Pemda, portal-like columns under a title block, some
scores typed as text with a decimal comma) and measures, on that same file
in one run:

  raw calamine    pd.read_excel(engine="calamine", header=None)  — the floor
  raw openpyxl    pd.read_excel(engine="openpyxl", header=None)  — what staff reach for
  pipeline        read, map, normalise, match, readiness (what `report` does, the file read
                  through the guard's child process)
  guard cost      the same pipeline minus one that reads in-process (reported, no target)
  peak memory     of a fresh process running the pipeline once
  overview rerun  the Ringkasan page rerun on a cached snapshot (AppTest)

Targets (docs/PERFORMANCE.md): pipeline <= 1.3 x calamine and <= 0.3 x
openpyxl; peak memory < 500 MB; overview rerun < 150 ms. Timings are medians.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pipeline import Summary

SEED = 2024
INNOVATIONS = 31_719
PEMDA = 542
TARGETS = {"vs_calamine": 1.3, "vs_openpyxl": 0.3, "peak_mb": 500.0, "rerun_ms": 150.0}
HEADER = ["No", "Nama Pemda", "Perangkat Daerah", "Nama Inovasi", "Tahapan", "Jenis Inovasi", "Urusan Utama",
          "Waktu Uji Coba", "Waktu Penerapan", "Estimasi Skor Kematangan", "Tanggal Input"]
_UNITS = ["Dinas Pendidikan", "Dinas Kesehatan", "Dinas Sosial", "Dinas Kependudukan dan Pencatatan Sipil",
          "Dinas Komunikasi dan Informatika", "Dinas Pekerjaan Umum dan Penataan Ruang", "Bappeda",
          "Satuan Polisi Pamong Praja", "Dinas Perhubungan", "Dinas Lingkungan Hidup", "RSUD",
          "Badan Pendapatan Daerah", "Inspektorat", "Dinas Pertanian", "Dinas Perdagangan"]
_URUSAN = ["Pendidikan", "Kesehatan", "Sosial", "Administrasi Kependudukan dan Pencatatan Sipil",
           "Komunikasi dan Informatika", "Pekerjaan Umum dan Penataan Ruang",
           "Ketenteraman, Ketertiban Umum, dan Perlindungan Masyarakat", "Perhubungan", "Lingkungan Hidup"]
_WORDS = ["Layanan", "Sistem", "Gerakan", "Aplikasi", "Program", "Inovasi", "Digital", "Terpadu", "Cepat",
          "Warga", "Sehat", "Cerdas", "Keliling", "Daring", "Mandiri", "Bersama"]


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
        unit = rng.choice(_UNITS) if rng.random() < 0.7 else rng.choice(
            [f"SD Negeri {rng.randint(1, 60)}", f"Puskesmas {rng.choice(_WORDS)}", f"Kelurahan {rng.choice(_WORDS)}"])
        score = round(rng.uniform(20, 111), 1)
        cell = f"{score:.1f}".replace(".", ",") if rng.random() < 0.15 else score
        day = dt.datetime(2024, 6, 1) + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 45))
        ws.append([i + 1, names[rng.randrange(pemda)], unit,
                   f"{' '.join(rng.sample(_WORDS, 3))} {i}", rng.choice(["Inisiatif", "Uji Coba", "Penerapan"]),
                   rng.choice(["Digital", "Non Digital"]), rng.choice(_URUSAN), dt.date(2023, rng.randint(1, 12), 1),
                   dt.date(2024, rng.randint(1, 6), 1), cell,
                   day if rng.random() < 0.8 else day.strftime("%d/%m/%Y")])
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


def _median_pair(first: Callable[[], object], second: Callable[[], object], runs: int) -> tuple[float, float]:
    """Medians of two measures taken in alternation, so a busy spell on the machine hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


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


def _peak_mb(path: Path) -> float:
    """Peak resident memory of a fresh process running the pipeline once, plus that of its reader
    child (both are alive while the child sends its rows: the sum bounds the peak from above)."""
    code = ("import resource, sys; from iga_data import guard; from iga_data.bench import run_pipeline; "
            "run_pipeline(sys.argv[1]); guard.stop(); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss"
            " + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    return int(out.stdout.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


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
    save(store, prepare(store, [Source.from_path(path)], None, settings_in_force(store)),
         dt.datetime(2024, 7, 10, 16), "bench", Actor.command_line())
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=600)
    at.run()  # first run fills the caches
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return _median_seconds(at.run, runs) * 1000


@dataclass
class Result:
    calamine: float
    openpyxl: float
    pipeline: float
    unguarded: float
    peak_mb: float
    rerun_ms: float

    def checks(self) -> list[tuple[str, str, bool]]:
        ratio_c, ratio_o = self.pipeline / self.calamine, self.pipeline / self.openpyxl
        return [
            (f"pipeline / calamine = {ratio_c:.2f}", f"<= {TARGETS['vs_calamine']}", ratio_c <= TARGETS["vs_calamine"]),
            (f"pipeline / openpyxl = {ratio_o:.2f}", f"<= {TARGETS['vs_openpyxl']}", ratio_o <= TARGETS["vs_openpyxl"]),
            (f"memori puncak = {self.peak_mb:.0f} MB", f"< {TARGETS['peak_mb']:.0f} MB", self.peak_mb < TARGETS["peak_mb"]),
            (f"rerun Ringkasan = {self.rerun_ms:.0f} ms", f"< {TARGETS['rerun_ms']:.0f} ms",
             self.rerun_ms < TARGETS["rerun_ms"]),
        ]


def main(runs: int = 5, workdir: Path | None = None) -> int:
    import pandas as pd

    workdir = workdir or Path(tempfile.gettempdir()) / "iga-bench"
    path = workdir / f"nasional_{SEED}_{INNOVATIONS}.xlsx"
    if not path.exists():
        print(f"Membuat berkas uji {path.name} ({INNOVATIONS:,} inovasi, {PEMDA} Pemda) …".replace(",", "."))
        generate(path)
    print(f"Berkas: {path} ({path.stat().st_size / 1e6:.1f} MB); median dari {runs} kali (openpyxl 3 kali)")
    run_pipeline(str(path))  # warm imports, caches of configuration and the guard's reader process
    openpyxl = _median_seconds(lambda: pd.read_excel(path, engine="openpyxl", header=None), 3)
    calamine = _median_seconds(lambda: pd.read_excel(path, engine="calamine", header=None), runs)
    pipeline, unguarded = _median_pair(lambda: run_pipeline(str(path)), lambda: run_unguarded(str(path)), runs)
    result = Result(
        calamine=calamine,
        openpyxl=openpyxl,
        pipeline=pipeline,
        unguarded=unguarded,
        peak_mb=_peak_mb(path),
        rerun_ms=_rerun_ms(path, runs),
    )
    print(f"  pd.read_excel calamine  {result.calamine:7.3f} s")
    print(f"  pd.read_excel openpyxl  {result.openpyxl:7.3f} s")
    print(f"  pipeline report         {result.pipeline:7.3f} s")
    print(f"  ... tanpa penjaga       {result.unguarded:7.3f} s (penjaga: "
          f"{result.pipeline - result.unguarded:+.3f} s)")
    print(f"  memori puncak pipeline  {result.peak_mb:7.0f} MB")
    print(f"  rerun Ringkasan         {result.rerun_ms:7.0f} ms")
    ok = True
    for measured, target, passed in result.checks():
        ok &= passed
        print(f"  {'LULUS' if passed else 'GAGAL'}  {measured} (target {target})")
    return 0 if ok else 1
