"""Past IGA seasons of the city: an editable CSV (sample_data/riwayat_iga.csv), never code."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .errors import InputError

HISTORY_FILE = Path(__file__).resolve().parent.parent / "sample_data" / "riwayat_iga.csv"
COLUMNS = ["tahun", "jumlah_inovasi", "hasil", "peringkat", "catatan"]


def parse_history(text: str, name: str = "riwayat") -> pd.DataFrame:
    """Rows of year, innovation count, result (text), national rank (optional), note."""
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"Berkas {name} tidak dapat dibaca: {exc}.") from None
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in ("tahun", "jumlah_inovasi") if c not in frame.columns]
    if missing:
        raise InputError(f"Berkas {name} tidak punya kolom {', '.join(missing)}; kolom: {', '.join(COLUMNS)}.")
    for c in COLUMNS:
        if c not in frame.columns:
            frame[c] = ""
    out = frame[COLUMNS].copy()
    for c, required in (("tahun", True), ("jumlah_inovasi", True), ("peringkat", False)):
        values = pd.to_numeric(out[c].str.strip().replace("", None), errors="coerce")
        bad = out[c].str.strip().ne("") & values.isna()
        if bad.any() or (required and values.isna().any()):
            row = int((bad if bad.any() else values.isna()).idxmax()) + 2
            raise InputError(f"Berkas {name} baris {row}: kolom {c} harus berupa angka.")
        out[c] = values.astype("Int64")
    return out.sort_values("tahun").reset_index(drop=True)


def empty_history() -> pd.DataFrame:
    """No past seasons (no history file yet, or a broken one left out)."""
    return parse_history(",".join(COLUMNS) + "\n")


def load_history(path: Path | None = None) -> pd.DataFrame:
    """The history file; none yet means no past seasons, a broken one an InputError naming it."""
    path = path or HISTORY_FILE
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return empty_history()
    try:
        return parse_history(text.decode("utf-8-sig"), path.name)
    except UnicodeDecodeError:
        return parse_history(text.decode("cp1252"), path.name)


def with_current(history: pd.DataFrame, year: int, innovations: int) -> pd.DataFrame:
    """History plus this season from the data, flagged as provisional ('current')."""
    past = history[history["tahun"] != year].assign(current=False)
    now = pd.DataFrame([{"tahun": year, "jumlah_inovasi": innovations, "hasil": "sedang berjalan",
                         "peringkat": pd.NA, "catatan": "dari data terbaru", "current": True}])
    frame = pd.concat([past, now], ignore_index=True) if len(past) else now
    frame["tahun"] = frame["tahun"].astype(int)
    frame["jumlah_inovasi"] = frame["jumlah_inovasi"].astype(int)
    return frame.sort_values("tahun").reset_index(drop=True)


