"""Past IGA seasons of the Pemda (202 innovations in 2022, 221 in 2023 …): data in the database, edited on Pengaturan.

The sample data brings Kota Bengkulu's seasons as a CSV (sample_data/riwayat_iga.csv), loaded once with it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .errors import InputError

COLUMNS = ["tahun", "jumlah_inovasi", "hasil", "peringkat", "catatan"]
Season = tuple[int, int, str, "int | None", str]  # as storage keeps it: year, innovations, result, rank, note


def parse_history(text: str, name: str = "riwayat") -> pd.DataFrame:
    """Rows of year, innovation count, result (text), national rank (optional), note, from CSV text."""
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"Berkas {name} tidak dapat dibaca: {exc}.") from None
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in ("tahun", "jumlah_inovasi") if c not in frame.columns]
    if missing:
        raise InputError(f"Berkas {name} tidak punya kolom {', '.join(missing)}; kolom: {', '.join(COLUMNS)}.")
    return checked(frame, f"Berkas {name}", first_row=2)


def checked(frame: pd.DataFrame, where: str = "Riwayat", first_row: int = 1) -> pd.DataFrame:
    """Past seasons as typed (a CSV, or the table on Pengaturan), checked: whole numbers where numbers belong,
    one row per year; empty rows dropped. Errors name the row as the user sees it (`first_row`: the number of
    the first data row, 2 in a CSV under its header line)."""
    frame = frame.reindex(columns=COLUMNS).astype(object).where(frame.reindex(columns=COLUMNS).notna(), "")
    frame = frame.map(lambda v: str(v).strip())
    frame = frame[(frame != "").any(axis=1)].reset_index(drop=True)
    out = frame.copy()
    for c, label, required in (
        ("tahun", "tahun", True),
        ("jumlah_inovasi", "jumlah inovasi", True),
        ("peringkat", "peringkat", False),
    ):
        values = pd.to_numeric(out[c].str.replace(".", "", regex=False).replace("", None), errors="coerce")
        bad = (out[c] != "") & (values.isna() | (values < 0) | (values != values.round()))
        if bad.any() or (required and values.isna().any()):
            row = int((bad if bad.any() else values.isna()).idxmax()) + first_row
            raise InputError(f"{where} baris {row}: {label} harus bilangan bulat, mis. 2023 atau 221.")
        out[c] = values.astype("Int64")
    if out["tahun"].duplicated().any():
        raise InputError(
            f"{where}: tahun {int(out.loc[out['tahun'].duplicated(), 'tahun'].iloc[0])} tercantum dua kali."
        )
    return out.sort_values("tahun").reset_index(drop=True)


def to_records(frame: pd.DataFrame) -> list[Season]:
    """A checked frame as storage keeps it."""
    return [
        (int(y), int(n), str(r), None if pd.isna(k) else int(k), str(c))
        for y, n, r, k, c in frame[COLUMNS].itertuples(index=False)
    ]


def from_records(records: list[Season]) -> pd.DataFrame:
    """Stored seasons as the frame pages and charts use."""
    frame = pd.DataFrame(records, columns=COLUMNS)
    for c in ("tahun", "jumlah_inovasi", "peringkat"):
        frame[c] = frame[c].astype("Int64")
    return frame


def load_history(path: Path) -> pd.DataFrame:
    """A history CSV (the sample data's); none means no past seasons, a broken one an InputError naming it."""
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return from_records([])
    try:
        return parse_history(text.decode("utf-8-sig"), path.name)
    except UnicodeDecodeError:
        return parse_history(text.decode("cp1252"), path.name)


def with_current(history: pd.DataFrame, year: int, innovations: int) -> pd.DataFrame:
    """History plus this season from the data, flagged as provisional ('current')."""
    past = history[history["tahun"] != year].assign(current=False)
    now = pd.DataFrame(
        [
            {
                "tahun": year,
                "jumlah_inovasi": innovations,
                "hasil": "sedang berjalan",
                "peringkat": pd.NA,
                "catatan": "dari data terbaru",
                "current": True,
            }
        ]
    )
    frame = pd.concat([past, now], ignore_index=True) if len(past) else now
    frame["tahun"] = frame["tahun"].astype(int)
    frame["jumlah_inovasi"] = frame["jumlah_inovasi"].astype(int)
    return frame.sort_values("tahun").reset_index(drop=True)
