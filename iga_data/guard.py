"""Files that cannot hurt: untrusted bytes are checked, then read in a child process.

Every file that comes from outside (an upload, a CLI argument, a roster) is read
through `read_sources` here, never through `reading.read_sources` directly:

1. Cheap checks against the limits in config/limits.toml, before any parser runs:
   file size; for .xlsx/.xlsm (zip archives) the number of parts, their declared
   unpacked sizes and compression ratio, each sheet's declared dimension and the
   number of shared strings; for CSV the longest line and the most separators on
   one line; HTML or XML saved under an Excel name is named as such.
2. The reading itself runs in a child process with an address-space limit
   (RLIMIT_AS) and a timeout. A bomb nobody foresaw, or python-calamine aborting
   the whole process on a crafted sheet, ends the child, never the Streamlit server.
   The child stays for the next file (reader.keep_warm_s): a fresh process pays
   for every page of memory it touches, more than the reading itself costs.

Every refusal is an InputError with one Indonesian line; nothing is stored.

The child is forked when the caller has a single thread (the CLI, tests): cheapest,
and safe. A multi-threaded caller (the Streamlit server) uses a fork server started
once with the reader preloaded, because forking a process with running threads can
copy a lock some other thread holds. The rows come back packed (repeated texts as
codes) so the transfer costs a few tens of milliseconds on a national-size file.
"""

from __future__ import annotations

import dataclasses
import faulthandler
import io
import logging
import math
import multiprocessing
import os
import re
import threading
import time
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import reading
from .errors import InputError
from .fmt import num
from .limits import FileLimits, Limits, load_limits
from .reading import EXPORT_REQUIRED, LoadResult, Source
from .tomlfile import fingerprint

try:
    import resource
except ImportError:  # Windows: no fork and no rlimits; files are checked and read in-process
    resource = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

MB = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RATIO_FROM = 1 * MB  # small parts may compress any way they like
_HEAD = 64 * 1024  # a sheet's <dimension> and the <sst> counts sit at the start of their part
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]{1,3}\d+:)?([A-Z]{1,3})(\d+)\"")
_UNIQUE_COUNT = re.compile(rb"<(?:\w+:)?sst\b[^>]*?\buniqueCount=\"(\d+)\"")
_SEPARATORS = b",;\t|"


class ReaderCrash(InputError):
    """The reader failed in a way it should not (a bug, not a bad file); the user sees a plain
    refusal, the server log has the traceback, and tests can tell it from an ordinary refusal."""


# ------------------------------------------------------------------ checks


def check(src: Source, limits: FileLimits) -> None:
    """Refuse a file whose size or declared shape exceeds the limits, before any parser sees it."""
    size = len(src.data)
    if size > limits.max_file_mb * MB:
        raise InputError(
            f"{src.name} berukuran {size / MB:.0f} MB, melebihi batas {limits.max_file_mb:g} MB "
            "per berkas; hapus lembar atau kolom yang tidak perlu, lalu unggah lagi."
        )
    head = src.data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if src.data.startswith(_ZIP_MAGIC):
        _check_archive(src, limits)
    elif src.data.startswith(_OLE_MAGIC):
        return  # legacy .xls: not compressed, so its size above bounds what it holds
    elif head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")):
        kind = "berkas XML (mis. XML Spreadsheet 2003)" if head.startswith(b"<?xml") else "halaman web (HTML)"
        raise InputError(
            f"{src.name} sebenarnya {kind}, bukan lembar kerja Excel atau CSV; buka di Excel, "
            "simpan sebagai .xlsx, lalu unggah lagi."
        )
    elif Path(src.name).suffix.lower() == ".csv":
        _check_csv(src, limits)


def _check_archive(src: Source, limits: FileLimits) -> None:
    """Zip bombs are refused from the archive's directory and the first bytes of each sheet."""
    try:
        with zipfile.ZipFile(io.BytesIO(src.data)) as archive:
            parts = archive.infolist()
            if len(parts) > limits.max_entries:
                raise InputError(
                    f"{src.name} berisi {num(len(parts))} bagian (batas {num(limits.max_entries)}); "
                    "ini bukan ekspor biasa — simpan ulang sebagai .xlsx berisi data saja."
                )
            unpacked = sum(p.file_size for p in parts)
            if unpacked > limits.max_unpacked_mb * MB:
                raise InputError(
                    f"{src.name} membesar menjadi {num(unpacked / MB)} MB saat dibuka (batas "
                    f"{limits.max_unpacked_mb:g} MB); simpan ulang hanya lembar datanya, lalu unggah lagi."
                )
            for part in parts:
                ratio = part.file_size / max(part.compress_size, 1)
                if part.file_size > _RATIO_FROM and ratio > limits.max_ratio:
                    raise InputError(
                        f"{src.name} berisi bagian yang membesar {num(ratio)} kali saat dibuka (batas "
                        f"{limits.max_ratio:g} kali), ciri berkas bom arsip; berkas tidak dibaca."
                    )
            for part in parts:
                if _SHEET_PART.match(part.filename):
                    _check_dimension(src, part.filename, _head(archive, part), limits)
                elif part.filename.lower() == "xl/sharedstrings.xml":
                    found = _UNIQUE_COUNT.search(_head(archive, part))
                    if found and int(found[1]) > limits.max_cells:
                        raise InputError(
                            f"{src.name} berisi {num(int(found[1]))} teks berbeda (batas "
                            f"{num(limits.max_cells)}); berkas tidak dibaca."
                        )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError):
        raise InputError(
            f"{src.name} tidak dapat dibaca sebagai berkas Excel (rusak atau terpotong); "
            "buka di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi."
        ) from None


def _head(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bytes:
    with archive.open(part) as stream:
        return stream.read(_HEAD)


def _check_dimension(src: Source, part: str, head: bytes, limits: FileLimits) -> None:
    found = _DIMENSION.search(head)
    if not found:
        return  # no declared size: the child's memory limit still bounds the reading
    columns = 0
    for letter in found[1].decode():
        columns = columns * 26 + ord(letter) - ord("A") + 1
    rows = int(found[2])
    if rows * columns > limits.max_cells:
        number = re.sub(r"\D", "", Path(part).stem) or "?"
        raise InputError(
            f"{src.name} › lembar ke-{number} menyatakan ukuran {num(rows)} baris × {num(columns)} kolom, "
            f"melebihi batas {num(limits.max_cells)} sel; hapus baris dan kolom kosong di ujung "
            "lembar (Ctrl+End menunjukkannya), simpan, lalu unggah lagi."
        )


def _check_csv(src: Source, limits: FileLimits) -> None:
    """One endless line and a line with a huge number of separators are refused; both would make
    the reader build a grid of lines × widest line."""
    data = src.data
    lines = max(data.count(b"\n"), data.count(b"\r")) + 1
    if lines > limits.max_cells:
        raise InputError(f"{src.name} berisi {num(lines)} baris (batas {num(limits.max_cells)}); berkas tidak dibaca.")
    raw = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero((raw == 10) | (raw == 13))
    starts = np.concatenate(([0], breaks + 1))
    longest = int(np.diff(np.concatenate((starts, [len(raw) + 1]))).max()) - 1
    if longest > limits.max_line_kb * 1024:
        raise InputError(
            f"{src.name}: satu baris panjangnya {num(longest / 1024)} KB (batas {num(limits.max_line_kb)} KB); "
            "periksa bahwa berkas ini benar-benar CSV dengan satu data per baris."
        )
    starts = starts[starts < len(raw)]
    for separator in _SEPARATORS:
        if data.count(bytes([separator])) <= limits.max_columns:
            continue  # too few in the whole file to overflow one line
        widest = int(np.add.reduceat(raw == separator, starts, dtype=np.int64).max())
        if widest > limits.max_columns:
            raise InputError(
                f"{src.name}: satu baris berisi {num(widest + 1)} kolom (batas {num(limits.max_columns)}); "
                "periksa pemisah kolom berkas CSV ini."
            )


# ------------------------------------------------------------- the reading


def read_sources(
    sources: Iterable[Source],
    required: Sequence[str] = EXPORT_REQUIRED,
    remembered: Mapping[str, Mapping[str, int]] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    limits: Limits | None = None,
    extra: Sequence[str] = (),
    known_unit: Callable[[str], bool] | None = None,
) -> LoadResult:
    """`reading.read_sources` for untrusted bytes: the same arguments and result, checked first
    and read in a child process bounded in memory and time (`known_unit`, a bound Matcher.knows, pickles)."""
    sources = list(sources)
    limits = limits or load_limits()
    request = (sources, tuple(required), {k: dict(v) for k, v in (remembered or {}).items()}, tuple(extra), known_unit)
    context = _context()
    if context is None:
        return _read(*request, progress, limits.files)
    with _turn(limits):
        return _in_child(context, request, progress, limits)


def _read(
    sources: list[Source],
    required: tuple[str, ...],
    remembered: dict,
    extra: tuple[str, ...],
    known_unit: Callable[[str], bool] | None,
    progress: Any,
    limits: FileLimits,
) -> LoadResult:
    for src in sources:
        check(src, limits)
    return reading.read_sources(
        sources, required=required, remembered=remembered, progress=progress, extra=extra, known_unit=known_unit
    )


def start() -> None:
    """Start the fork server ahead of the first upload (the first start imports the reader, ~1-2 s)."""
    context = _context(threaded=True)
    if context is not None:
        from multiprocessing import forkserver

        forkserver.ensure_running()


def stop() -> None:
    """End the idle reader processes now (they end by themselves after reader.keep_warm_s)."""
    with _IDLE_LOCK:
        idle = list(_IDLE)
        _IDLE.clear()
    for reader in idle:
        reader.close()


_PRELOADED = False


def _context(threaded: bool | None = None) -> multiprocessing.context.BaseContext | None:
    global _PRELOADED
    if resource is None or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if not (threading.active_count() > 1 if threaded is None else threaded):
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    if not _PRELOADED:
        context.set_forkserver_preload([__name__])
        _PRELOADED = True
    return context


_TURNS: dict[int, threading.BoundedSemaphore] = {}
_TURNS_LOCK = threading.Lock()


@contextmanager
def _turn(limits: Limits) -> Iterator[None]:
    """At most `reader.parallel` reads at once in this process, so memory stays bounded."""
    with _TURNS_LOCK:
        turns = _TURNS.setdefault(limits.reader.parallel, threading.BoundedSemaphore(limits.reader.parallel))
    if not turns.acquire(timeout=limits.reader.timeout_s):
        raise InputError("Server sedang membaca berkas lain; coba lagi sebentar lagi.")
    try:
        yield
    finally:
        turns.release()


class _Gone(Exception):
    """An idle reader had ended (reader.keep_warm_s) before taking the request: use a fresh one."""


class _Died(Exception):
    """The reader process ended mid-read: its memory limit, or calamine aborting."""


class _Reader:
    """A child process that reads one request at a time and stays warm for the next.

    Reading again in the same process reuses memory it has already mapped; a fresh process
    pays for every page it touches, which costs more than the reading's own work on a
    national-size file. An idle reader ends after reader.keep_warm_s, giving its memory back.
    """

    def __init__(self, context: Any, limits: Limits):
        self.context, self.limits, self.reads = context, limits, 0
        self.rules = fingerprint()  # a reader keeps the rule files it has read; an edit needs a new one
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, limits), name="iga-pembaca", daemon=True)
        self.process.start()
        child_end.close()

    def fits(self, context: Any, limits: Limits) -> bool:
        return (
            self.context is context
            and self.limits == limits
            and self.rules == fingerprint()
            and self.process.is_alive()
        )

    def close(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()

    def read(self, request: tuple, progress: Callable[[int, int, str], None] | None) -> LoadResult:
        """The load result, or InputError / ReaderCrash / _Gone / _Died; the deadline includes the transfer."""
        deadline = time.monotonic() + self.limits.reader.timeout_s
        current, accepted = (request[0][0].name if request[0] else "berkas"), False
        try:
            self.conn.send(request)
        except (BrokenPipeError, OSError):
            raise _Gone() from None
        while True:
            if not self.conn.poll(max(deadline - time.monotonic(), 0)):
                self.process.kill()  # still reading: it must not take the next request
                raise InputError(
                    f"{current} tidak selesai dibaca dalam {self.limits.reader.timeout_s:g} detik; "
                    "berkas terlalu besar atau rusak. Simpan ulang sebagai .xlsx berisi data saja, "
                    "lalu unggah lagi."
                )
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                if not accepted:
                    raise _Gone() from None
                self.process.join(timeout=5)
                log.warning("Pembaca berhenti tanpa hasil (kode keluar %s) pada %s", self.process.exitcode, current)
                raise _Died(current) from None
            kind = message[0]
            if kind == "accepted":
                accepted = True
            elif kind == "progress":
                current = message[3]
                if progress is not None:
                    progress(*message[1:])
            elif kind == "done":
                self.reads += 1
                return _unpack(message[1])
            elif kind == "refused":
                self.reads += 1
                raise InputError(message[1])
            elif kind == "memory":
                raise _Died(current)
            else:
                log.warning("Pembaca gagal pada %s:\n%s", current, message[2])
                raise ReaderCrash(
                    f"{current} tidak dapat dibaca (kesalahan pembaca: {message[1]}); buka di Excel, "
                    "simpan ulang sebagai .xlsx, lalu unggah lagi."
                )


_IDLE: list[_Reader] = []
_IDLE_LOCK = threading.Lock()


def _in_child(
    context: Any, request: tuple, progress: Callable[[int, int, str], None] | None, limits: Limits
) -> LoadResult:
    """Read in a warm reader if one is idle, else in a fresh one. A warm reader that had ended
    or runs out of memory (its address space also holds what earlier reads left) gets one retry
    in a fresh reader; a fresh reader's failure is the file's."""
    with _IDLE_LOCK:
        ended = [r for r in _IDLE if not r.process.is_alive()]
        reader = next((r for r in _IDLE if r.fits(context, limits)), None)
        _IDLE[:] = [r for r in _IDLE if r is not reader and r not in ended]
    for old in ended:
        old.close()
    if reader is not None:
        try:
            return _attempt(reader, request, progress)
        except (_Gone, _Died):
            reader.close()
    reader = _Reader(context, limits)
    try:
        return _attempt(reader, request, progress)
    except (_Gone, _Died) as exc:
        reader.close()
        raise _memory_error(str(exc) or ", ".join(src.name for src in request[0]) or "berkas", limits) from None


def _attempt(reader: _Reader, request: tuple, progress: Callable[[int, int, str], None] | None) -> LoadResult:
    try:
        load = reader.read(request, progress)
    except ReaderCrash:
        reader.close()
        raise
    except InputError:
        _keep(reader)  # a refusal leaves the reader sound (a timed-out one was killed)
        raise
    _keep(reader)
    return load


def _keep(reader: _Reader) -> None:
    """Back among the idle readers (the newest `reader.parallel` are kept), or closed."""
    closing: list[_Reader] = []
    with _IDLE_LOCK:
        if reader.process.is_alive():
            _IDLE.append(reader)
        else:
            closing.append(reader)
        while len(_IDLE) > reader.limits.reader.parallel:
            closing.append(_IDLE.pop(0))
    for old in closing:
        old.close()


def _memory_error(name: str, limits: Limits) -> InputError:
    return InputError(
        f"{name} tidak dapat dibaca dengan aman: pembacaannya melampaui batas memori "
        f"{num(limits.reader.memory_mb)} MB atau berkasnya rusak. Buka di Excel, simpan ulang sebagai "
        ".xlsx berisi data saja, lalu unggah lagi."
    )


def _serve(conn: Any, limits: Limits) -> None:
    """The reader process: cap its address space once, then read requests until idle for
    reader.keep_warm_s or the parent is gone; what goes wrong goes back through the pipe."""
    _cap_memory(limits)
    # The child's own stderr (and a faulthandler dump) would add calamine's abort message to the CLI's one line.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    faulthandler.disable()
    while conn.poll(limits.reader.keep_warm_s):
        try:
            sources, required, remembered, extra, known_unit = conn.recv()
        except EOFError:
            return
        conn.send(("accepted",))
        _cap_cpu(limits)
        load: LoadResult | None = None
        try:
            load = _read(
                sources,
                required,
                remembered,
                extra,
                known_unit,
                lambda *step: conn.send(("progress", *step)),
                limits.files,
            )
            conn.send(("done", _pack(load)))
        except InputError as exc:
            conn.send(("refused", str(exc)))
        except MemoryError:
            conn.send(("memory",))
            return
        except Exception as exc:
            conn.send(("crash", type(exc).__name__, traceback.format_exc()))
            return
        finally:
            load = None


def _cap_memory(limits: Limits) -> None:
    """Address space: what the process has now plus the budget (it counts reservations, not only
    resident memory: a national-size read reserves about 1.1 GB)."""
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return
    current = int(statm.read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _set_soft(resource.RLIMIT_AS, current + limits.reader.memory_mb * MB)


def _cap_cpu(limits: Limits) -> None:
    """CPU time for one more read, so the reader also ends if its parent dies while it runs."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    _set_soft(resource.RLIMIT_CPU, math.ceil(used.ru_utime + used.ru_stime + limits.reader.timeout_s) + 5)


def _set_soft(which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    resource.setrlimit(which, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


# ----------------------------------------------------------------- transfer


def _pack(load: LoadResult) -> tuple[LoadResult, list[str], pd.Index, dict[str, tuple]]:
    """The load result for the pipe. Text columns that repeat (unit names, stages, urusan) travel
    as integer codes plus the distinct texts, and absent indicator columns as their dtype alone:
    pickling every cell was most of the cost."""
    frame = load.rows
    columns: dict[str, tuple] = {}
    for name in frame.columns:
        values = frame[name]
        if values.dtype.kind == "f" and values.isna().all():  # indicators absent from the export
            columns[name] = ("empty", values.dtype)
            continue
        if values.dtype == object and len(values) and not values.isna().any():
            codes, uniques = pd.factorize(values)
            if 2 * len(uniques) <= len(values):
                columns[name] = ("codes", codes.astype(np.int32), np.asarray(uniques, dtype=object))
                continue
        columns[name] = ("plain", values)
    return dataclasses.replace(load, rows=frame.iloc[0:0]), list(frame.columns), frame.index, columns


def _unpack(packed: tuple[LoadResult, list[str], pd.Index, dict[str, tuple]]) -> LoadResult:
    load, names, index, columns = packed
    data = {}
    for name in names:
        kind, *payload = columns[name]
        if kind == "codes":
            codes, uniques = payload
            data[name] = pd.Series(uniques[codes], index=index, dtype=object)
        elif kind == "empty":
            data[name] = pd.Series(np.nan, index=index, dtype=payload[0])
        else:
            data[name] = payload[0]
    return dataclasses.replace(load, rows=pd.DataFrame(data, index=index, columns=names))
