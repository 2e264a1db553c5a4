"""Scores and dates as staff type them: "72,5", " 72.5 ", "10 Juli 2024", "10/07/2024".

Parsing works on whole columns and looks at each distinct text once, so a
national export with tens of thousands of rows costs a dictionary lookup per row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .tomlfile import derived
from .vocabulary import row_words

SCORE_OK = ""
SCORE_OUT_OF_RANGE = "out_of_range"
SCORE_UNREADABLE = "unreadable"
SCORE_LEADING = "leading"  # "75/111", "70 (tujuh puluh)", "75*", "±72": the leading number, with a warning
SCORE_EXCEL_ERROR = "excel_error"  # "#N/A", "#REF!": a formula that failed, so not assessed

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
# Dots as thousands separators only when that is certain: "1.234,5" or "1.234.567". A lone
# "72.500" is a decimal point (exports with three decimals), not 72 thousand.
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:(?:\.\d{3})+,\d+|(?:\.\d{3}){2,})$")
# A score with something around its number: "±72", "~72", "75/111", "75 / 111", "75*", "70 (tujuh puluh)",
# "72,5 (72.5)". The tail must say nothing else: "70-80" (a range) or "72 (draft)" stay unreadable.
_LEADING = re.compile(
    r"^(?:±|\+/-|\+-|~|≈|kurang lebih|sekitar|kl\.?)?\s*(\d+(?:[.,]\d+)?)\s*"
    r"(?:/\s*\d+(?:[.,]\d+)?|\*+|\((?P<words>[^()]*)\))?\s*$"
)
# Words that spell a number ("tujuh puluh dua koma lima"): a bracket holding only these repeats the score.
_NUMBER_WORDS = frozenset(
    [
        "nol",
        "satu",
        "dua",
        "tiga",
        "empat",
        "lima",
        "enam",
        "tujuh",
        "delapan",
        "sembilan",
        "sepuluh",
        "sebelas",
        "belas",
        "puluh",
        "seratus",
        "ratus",
        "koma",
        "setengah",
        "se",
    ]
)


def parse_number(text: str) -> float | None:
    """A number written the Indonesian or the English way: '72,5', '72.5', '1.234,5'; None if not one."""
    t = text.strip().replace(" ", "").replace("\u00a0", "")
    if _THOUSANDS.match(t):
        return float(t.replace(".", "").replace(",", "."))
    if _NUMBER.match(t):
        return float(t.replace(",", "."))
    return None


def is_excel_error(text: str) -> bool:
    """Whether a cell holds what Excel shows for a failed formula ("#N/A", "#REF!")."""
    return text[:1] == "#" and text.strip().upper() in row_words().excel_errors


def _leading_number(text: str) -> float | None:
    """The number a score cell starts with when the rest only decorates it ("75/111", "70 (tujuh puluh)")."""
    m = _LEADING.match(text)
    if m is None:
        return None
    words = m["words"]
    if words is not None and parse_number(words) is None and not set(_words_of(words)) <= _NUMBER_WORDS:
        return None  # "72 (draft)": the bracket says something else
    return parse_number(m[1])


def _words_of(text: str) -> list[str]:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).split()


def _score_of(value: Any, max_score: float) -> tuple[float, str]:
    """One cell's score and problem code ('' when fine or not assessed)."""
    if value is None or isinstance(value, bool):
        return math.nan, SCORE_OK
    code = SCORE_OK
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        if math.isnan(x):
            return math.nan, SCORE_OK
    else:
        text = str(value).replace("\u00a0", " ").strip().lower()
        if text in row_words().not_assessed:
            return math.nan, SCORE_OK
        if is_excel_error(text):
            return math.nan, SCORE_EXCEL_ERROR
        parsed = parse_number(text.replace(" ", ""))
        if parsed is None:
            parsed, code = _leading_number(text), SCORE_LEADING
        if parsed is None:
            return math.nan, SCORE_UNREADABLE
        x = parsed
    if not 0 <= x <= max_score:
        return math.nan, SCORE_OUT_OF_RANGE
    return x, code


def setting_numbers(typed: Mapping[str, str]) -> dict[str, float]:
    """Numbers a user typed into settings ("72,5"), by their label; one InputError names every one that is not a
    number, so a form is fixed in one go."""
    values = {what: parse_number(text) for what, text in typed.items()}
    wrong = [f'{what} (tertulis "{typed[what]}")' for what, value in values.items() if value is None]
    if wrong:
        raise InputError(f"Harus berupa angka, mis. 72,5: {'; '.join(wrong)}.")
    return {what: float(value) for what, value in values.items() if value is not None}


def per_unique(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """`fn` applied once per distinct value: names, scores and dates repeat over many rows."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(u) for u in uniques]
    return pd.Series(mapped[codes], index=values.index)


def parse_scores(values: pd.Series, max_score: float) -> tuple[pd.Series, pd.Series]:
    """Scores of a column and, per row, a problem code ('' when fine).

    Numeric cells are checked in one vectorised step; text cells once per distinct text.
    """
    raw = values.to_numpy(dtype=object)
    numeric = np.fromiter((type(v) in (float, int) for v in raw), bool, len(raw))
    scores = np.full(len(raw), np.nan)
    problems = np.full(len(raw), SCORE_OK, dtype=object)
    if numeric.any():
        x = raw[numeric].astype(float)
        outside = (x < 0) | (x > max_score)
        scores[numeric] = np.where(outside, np.nan, x)
        problems[np.flatnonzero(numeric)[outside]] = SCORE_OUT_OF_RANGE
    if not numeric.all():
        parsed = per_unique(pd.Series(raw[~numeric]), lambda v: _score_of(v, max_score))
        scores[~numeric] = [p[0] for p in parsed]
        problems[~numeric] = [p[1] for p in parsed]
    return pd.Series(scores, index=values.index), pd.Series(problems, index=values.index)


MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}
MONTH_NAMES = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]

_TIME = r"(?:[ t,]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + r"$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME + r"$")
_WORDS = re.compile(r"^(?:[a-z']+,?\s+)?(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4}|\d{2})" + _TIME + r"$")
# What forms and exports put around a time: "pukul 16.00 WIB", "4:05:33 PM GMT+7", "16:05 WITA".
_TIME_WORDS = re.compile(r"\b(?:pukul|pkl|jam)\.?\s+")
_ZONE = re.compile(
    r"\s*\b(?:wib|wita|wit|utc|gmt)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?$|(?<=:\d\d)(?:[+-]\d{2}:?\d{2}|z)$"
)
_HALF_DAY = re.compile(r"\s*\b(am|pm|a\.m\.|p\.m\.)$")
# Excel day numbers (origin 1899-12-30) for 1950..2100: anything else is not a date.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73051


def _build(
    y: int, mo: int, d: int, hh: str | None, mm: str | None, ss: str | None, half_day: str = ""
) -> dt.datetime | None:
    if y < 100:
        y += 2000
    hour = int(hh or 0)
    if half_day and 1 <= hour <= 12:  # "4:05 PM" is 16:05, "12:30 AM" is 00:30
        hour = hour % 12 + (12 if half_day.startswith("p") else 0)
    try:
        return dt.datetime(y, mo, d, hour, int(mm or 0), int(ss or 0))
    except ValueError:
        return None


def parse_date_text(text: str, month_first: bool = False) -> dt.datetime | None:
    """A typed date, day first: '10/07/2024', '10 Juli 2024', '10 Jul 24', '2024-07-10', '2024/07/10',
    with a time as forms and exports write it ('pukul 16.00 WIB', '4:05:33 PM GMT+7').

    `month_first` reads '7/10/2024' as 10 July (a form exported in a US locale; see parse_dates)."""
    t = " ".join(text.replace("\u00a0", " ").strip().lower().split())
    if not t:
        return None
    t = _ZONE.sub("", _TIME_WORDS.sub("", t))
    half = _HALF_DAY.search(t)
    half_day = half[1] if half else ""
    if half:
        t = t[: half.start()]
    if m := _ISO.match(t):
        return _build(int(m[1]), int(m[2]), int(m[3]), m[4], m[5], m[6], half_day)
    if m := _DMY.match(t):
        day, month = (m[2], m[1]) if month_first else (m[1], m[2])
        return _build(int(m[3]), int(month), int(day), m[4], m[5], m[6], half_day)
    if m := _WORDS.match(t):
        month = MONTHS.get(m[2])
        if month is None:
            return None
        return _build(int(m[3]), month, int(m[1]), m[4], m[5], m[6], half_day)
    return None


def _month_first(texts: list[str]) -> bool:
    """Whether a column's slashed dates are month first: some have a 'month' above 12 and none a 'day'
    above 12 (a form exported in a US locale writes 7/13/2024). Day first otherwise, as Indonesia writes."""
    pairs = [(int(m[1]), int(m[2])) for t in texts if (m := _DMY.match(t.strip().split(" ")[0].lower()))]
    return any(b > 12 for _, b in pairs) and not any(a > 12 for a, _ in pairs)


_STATED_FILLERS = frozenset(["s.d", "s/d", "sd", "sampai", "dengan", "hingga", "tanggal", "tgl", "pada", "per"])


@derived()
def _stated_pattern() -> re.Pattern[str]:
    words = sorted(row_words().stated_date, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"(?:^|[\s(\[,;])(?:{alternatives})\s*[:,]?\s*(?P<rest>[^()\[\];|]+)", re.IGNORECASE)


def stated_date(text: str) -> dt.datetime | None:
    """The date a title cell says the export was made: "Diunduh: 10 Juli 2024 pukul 16.00 WIB",
    "Data per 10/07/2024", "Rekap Inovasi (Dicetak 9 Juli 2024)"; None when it says none."""
    if not text or len(text) > 200:
        return None
    m = _stated_pattern().search(text)
    if m is None:
        return None
    words = m["rest"].strip(" .:,-").split()
    while words and words[0].lower().strip(".:,") in _STATED_FILLERS:  # "s.d. 10 Juli 2024", "pada tanggal ..."
        words = words[1:]
    for end in range(len(words), 0, -1):  # the date may be followed by other words
        found = parse_date_text(" ".join(words[:end]))
        if found is not None:
            return found
    return None


def _date_of(value: Any, month_first: bool = False) -> tuple[dt.datetime | None, bool]:
    """One cell's date and whether it was unreadable (blank cells are not)."""
    if value is None or isinstance(value, bool):
        return None, False
    if isinstance(value, pd.Timestamp):
        return (None, False) if pd.isna(value) else (value.to_pydatetime(), False)
    if isinstance(value, dt.datetime):
        return value, False
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), False
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        if math.isnan(x):
            return None, False
        if _SERIAL_MIN <= x <= _SERIAL_MAX:
            return dt.datetime(1899, 12, 30) + dt.timedelta(days=x), False
        return None, True
    text = str(value).strip()
    if text.lower() in row_words().not_assessed:
        return None, False
    parsed = parse_date_text(text, month_first)
    return parsed, parsed is None


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates of a column (datetime64, NaT when blank) and a per-row 'unreadable' flag.

    Real Excel dates are converted in one vectorised step; text once per distinct text.
    """
    raw = values.to_numpy(dtype=object)
    real = np.fromiter((type(v) is dt.datetime for v in raw), bool, len(raw))
    dates = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = np.zeros(len(raw), dtype=bool)
    if real.any():
        dates[real] = pd.to_datetime(pd.Series(raw[real], dtype=object)).to_numpy(dtype="datetime64[ns]")
    if not real.all():
        texts = pd.Series(raw[~real])
        month_first = _month_first([v for v in texts.unique() if isinstance(v, str)])
        parsed = per_unique(texts, lambda v: _date_of(v, month_first))
        dates[~real] = pd.to_datetime(pd.Series([p[0] for p in parsed], dtype=object), errors="coerce").to_numpy(
            dtype="datetime64[ns]"
        )
        bad[~real] = [p[1] for p in parsed]
    return pd.Series(dates, index=values.index), pd.Series(bad, index=values.index)
