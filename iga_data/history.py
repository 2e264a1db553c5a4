"""Past IGA seasons of the city: an editable CSV (sample_data/riwayat_iga.csv), never code."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from . import fmt
from .errors import InputError
from .settings import Settings

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


def display(frame: pd.DataFrame) -> pd.DataFrame:
    """The history table as leaders read it."""
    return pd.DataFrame({
        "Tahun": frame["tahun"].astype(str),
        "Jumlah inovasi": frame["jumlah_inovasi"].map(fmt.num),
        "Hasil": frame["hasil"].replace("", "–"),
        "Peringkat nasional": frame["peringkat"].map(lambda r: "–" if pd.isna(r) else fmt.num(r)),
        "Catatan": frame["catatan"].replace("", "–"),
    })


def reading(frame: pd.DataFrame, local_need: int, settings: Settings) -> str:
    """What the trend says, in one short paragraph."""
    current = frame[frame["current"]].iloc[-1]
    past = frame[~frame["current"]]
    parts = [f"Tahun {current['tahun']}: {fmt.num(current['jumlah_inovasi'])} inovasi sejauh ini"]
    if len(past):
        last = past.iloc[-1]
        diff = int(current["jumlah_inovasi"] - last["jumlah_inovasi"])
        word = "lebih banyak" if diff >= 0 else "lebih sedikit"
        parts.append(f"{fmt.num(abs(diff))} {word} dari {last['tahun']} ({fmt.num(last['jumlah_inovasi'])})")
    text = "; ".join(parts) + "."
    if local_need and current["jumlah_inovasi"] < local_need:
        text += (f" Kebutuhan lokal {fmt.num(local_need)} inovasi ({settings.required_per_unit} per unit) "
                 f"baru terpenuhi {fmt.pct(current['jumlah_inovasi'], local_need, 0)}.")
    elif local_need:
        text += (f" Jumlahnya sudah melewati kebutuhan lokal {fmt.num(local_need)} inovasi "
                 f"({settings.required_per_unit} per unit); kesiapan tiap unit ada di halaman Kesiapan Unit.")
    text += (f" Target: {settings.target_rank} besar nasional. Peringkat mengikuti Indeks Inovasi Daerah, "
             "bukan jumlah saja — lihat halaman Simulasi.")
    return text
