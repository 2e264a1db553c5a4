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

Every refusal is an InputError with one Indonesian line; nothing is stored.

The child is forked when the caller has a single thread (the CLI, tests): cheapest,
and safe. A multi-threaded caller (the Streamlit server) uses a fork server started
once with the reader preloaded, because forking a process with running threads can
copy a lock some other thread holds. The rows come back packed (repeated texts as
codes) so the transfer costs a few tens of milliseconds on a national-size file.
"""

from __future__ import annotations

import dataclasses
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
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .fmt import num
from .limits import FileLimits, Limits, load_limits
from .reading import EXPORT_REQUIRED, LoadResult, Source
from . import reading

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
        raise InputError(f"{src.name} berukuran {size / MB:.0f} MB, melebihi batas {limits.max_file_mb:g} MB "
                         "per berkas; hapus lembar atau kolom yang tidak perlu, lalu unggah lagi.")
    head = src.data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if src.data.startswith(_ZIP_MAGIC):
        _check_archive(src, limits)
    elif src.data.startswith(_OLE_MAGIC):
        return  # legacy .xls: not compressed, so its size above bounds what it holds
    elif head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")):
        kind = "berkas XML (mis. XML Spreadsheet 2003)" if head.startswith(b"<?xml") else "halaman web (HTML)"
        raise InputError(f"{src.name} sebenarnya {kind}, bukan lembar kerja Excel atau CSV; buka di Excel, "
                         "simpan sebagai .xlsx, lalu unggah lagi.")
    elif Path(src.name).suffix.lower() == ".csv":
        _check_csv(src, limits)


def _check_archive(src: Source, limits: FileLimits) -> None:
    """Zip bombs are refused from the archive's directory and the first bytes of each sheet."""
    try:
        with zipfile.ZipFile(io.BytesIO(src.data)) as archive:
            parts = archive.infolist()
            if len(parts) > limits.max_entries:
                raise InputError(f"{src.name} berisi {num(len(parts))} bagian (batas {num(limits.max_entries)}); "
                                 "ini bukan ekspor biasa — simpan ulang sebagai .xlsx berisi data saja.")
            unpacked = sum(p.file_size for p in parts)
            if unpacked > limits.max_unpacked_mb * MB:
                raise InputError(f"{src.name} membesar menjadi {num(unpacked / MB)} MB saat dibuka (batas "
                                 f"{limits.max_unpacked_mb:g} MB); simpan ulang hanya lembar datanya, lalu unggah lagi.")
            for part in parts:
                ratio = part.file_size / max(part.compress_size, 1)
                if part.file_size > _RATIO_FROM and ratio > limits.max_ratio:
                    raise InputError(f"{src.name} berisi bagian yang membesar {num(ratio)} kali saat dibuka (batas "
                                     f"{limits.max_ratio:g} kali), ciri berkas bom arsip; berkas tidak dibaca.")
            for part in parts:
                if _SHEET_PART.match(part.filename):
                    _check_dimension(src, part.filename, _head(archive, part), limits)
                elif part.filename.lower() == "xl/sharedstrings.xml":
                    found = _UNIQUE_COUNT.search(_head(archive, part))
                    if found and int(found[1]) > limits.max_cells:
                        raise InputError(f"{src.name} berisi {num(int(found[1]))} teks berbeda (batas "
                                         f"{num(limits.max_cells)}); berkas tidak dibaca.")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError):
        raise InputError(f"{src.name} tidak dapat dibaca: rusak atau terpotong (bukan arsip .xlsx yang utuh); "
                         "buka di Excel, simpan ulang sebagai .xlsx, lalu unggah lagi.") from None


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
        raise InputError(f"{src.name} › lembar ke-{number} menyatakan ukuran {num(rows)} baris × {num(columns)} kolom, "
                         f"melebihi batas {num(limits.max_cells)} sel; hapus baris dan kolom kosong di ujung "
                         "lembar (Ctrl+End menunjukkannya), simpan, lalu unggah lagi.")


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
        raise InputError(f"{src.name}: satu baris panjangnya {num(longest / 1024)} KB (batas {num(limits.max_line_kb)} KB); "
                         "periksa bahwa berkas ini benar-benar CSV dengan satu data per baris.")
    starts = starts[starts < len(raw)]
    for separator in _SEPARATORS:
        if data.count(bytes([separator])) <= limits.max_columns:
            continue  # too few in the whole file to overflow one line
        widest = int(np.add.reduceat(raw == separator, starts, dtype=np.int64).max())
        if widest > limits.max_columns:
            raise InputError(f"{src.name}: satu baris berisi {num(widest + 1)} kolom (batas {num(limits.max_columns)}); "
                             "periksa pemisah kolom berkas CSV ini.")


# ------------------------------------------------------------- the reading

def read_sources(
    sources: Iterable[Source],
    required: Sequence[str] = EXPORT_REQUIRED,
    remembered: Mapping[str, Mapping[str, int]] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    limits: Limits | None = None,
) -> LoadResult:
    """`reading.read_sources` for untrusted bytes: the same arguments and result, checked first
    and read in a child process bounded in memory and time."""
    sources = list(sources)
    limits = limits or load_limits()
    remembered = {k: dict(v) for k, v in (remembered or {}).items()}
    context = _context()
    if context is None:
        return _read(sources, tuple(required), remembered, progress, limits.files)
    with _turn(limits):
        return _in_child(context, sources, tuple(required), remembered, progress, limits)


def _read(sources: list[Source], required: tuple[str, ...], remembered: dict, progress: Any,
          limits: FileLimits) -> LoadResult:
    for src in sources:
        check(src, limits)
    return reading.read_sources(sources, required=required, remembered=remembered, progress=progress)


def start() -> None:
    """Start the fork server ahead of the first upload (the first start imports the reader, ~1-2 s)."""
    context = _context(threaded=True)
    if context is not None:
        from multiprocessing import forkserver

        forkserver.ensure_running()


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


def _in_child(context: Any, sources: list[Source], required: tuple[str, ...], remembered: dict,
              progress: Callable[[int, int, str], None] | None, limits: Limits) -> LoadResult:
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, sources, required, remembered, limits),
                            name="iga-pembaca", daemon=True)
    child.start()
    sender.close()
    deadline = time.monotonic() + limits.reader.timeout_s
    current = sources[0].name if sources else "berkas"
    finished = False
    try:
        while True:
            if not receiver.poll(max(deadline - time.monotonic(), 0)):
                raise InputError(f"{current} tidak selesai dibaca dalam {limits.reader.timeout_s:g} detik; berkas "
                                 "terlalu besar atau rusak. Simpan ulang sebagai .xlsx berisi data saja, lalu unggah lagi.")
            try:
                message = receiver.recv()
            except (EOFError, OSError):  # the child died: killed by its limits, or calamine aborted
                child.join(timeout=5)
                log.warning("Pembaca berhenti tanpa hasil (kode keluar %s) pada %s", child.exitcode, current)
                raise _memory_error(current, limits) from None
            kind = message[0]
            if kind == "progress":
                current = message[3]
                if progress is not None:
                    progress(*message[1:])
                continue
            finished = True
            if kind == "done":
                return _unpack(message[1])
            if kind == "refused":
                raise InputError(message[1])
            if kind == "memory":
                raise _memory_error(current, limits)
            log.warning("Pembaca gagal pada %s:\n%s", current, message[2])
            raise ReaderCrash(f"{current} tidak dapat dibaca (kesalahan pembaca: {message[1]}); buka di Excel, "
                              "simpan ulang sebagai .xlsx, lalu unggah lagi.")
    finally:
        receiver.close()
        if finished:
            child.join(timeout=5)  # it is exiting on its own
        if child.is_alive():
            child.kill()
        child.join()


def _memory_error(name: str, limits: Limits) -> InputError:
    return InputError(f"{name} tidak dapat dibaca dengan aman: pembacaannya melampaui batas memori "
                      f"{num(limits.reader.memory_mb)} MB atau berkasnya rusak. Buka di Excel, simpan ulang sebagai "
                      ".xlsx berisi data saja, lalu unggah lagi.")


def _child(sender: Any, sources: list[Source], required: tuple[str, ...], remembered: dict, limits: Limits) -> None:
    """Runs in the child: cap memory and CPU time, read, send back the result or what went wrong."""
    _cap(limits)
    # What goes wrong is reported through the pipe (and logged by the parent): the child's own stderr
    # would add calamine's abort message to the CLI's one line.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    try:
        load = _read(sources, required, remembered, lambda *step: sender.send(("progress", *step)), limits.files)
        sender.send(("done", _pack(load)))
    except InputError as exc:
        sender.send(("refused", str(exc)))
    except MemoryError:
        sender.send(("memory",))
    except Exception as exc:
        sender.send(("crash", type(exc).__name__, traceback.format_exc()))
    finally:
        sender.close()


def _cap(limits: Limits) -> None:
    """Limit the child's address space to what it has now plus the budget, and its CPU time,
    so that it also ends if the parent dies while it runs."""
    statm = Path("/proc/self/statm")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if statm.exists():
        current = int(statm.read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        wanted = current + limits.reader.memory_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))
    cpu_soft, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    seconds = math.ceil(limits.reader.timeout_s) + 5
    resource.setrlimit(resource.RLIMIT_CPU,
                       (seconds if cpu_hard == resource.RLIM_INFINITY else min(seconds, cpu_hard), cpu_hard))


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
