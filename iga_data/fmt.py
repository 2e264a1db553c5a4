"""Numbers and dates written the Indonesian way: 1.234 and 72,5; 10 Juli 2024."""

from __future__ import annotations

import datetime as dt
import math

from .parsing import MONTH_NAMES


def num(x: float | int | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (decimals fixed); '–' for a missing value."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def score(x: float | None) -> str:
    """A score with at most one decimal, without a trailing ',0': 70 and 72,5."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    rounded = round(float(x), 1)
    return num(rounded, 0 if rounded == int(rounded) else 1)


def decimal(x: float, places: int = 2) -> str:
    """A setting as typed back to the user: 72,25 / 72,5 / 70 (no rounding away of what was entered)."""
    text = num(round(float(x), places), places)
    return text.rstrip("0").rstrip(",") if "," in text else text


def scores(values: list[float]) -> str:
    """A unit's best scores: '90; 72,5' ('–' when none)."""
    return "; ".join(score(x) for x in values) or "–"


def pct(part: float, whole: float, decimals: int = 1) -> str:
    """Share as a percentage: 62,3%; '–' when the whole is zero."""
    if not whole:
        return "–"
    return num(100 * part / whole, decimals) + "%"


def date(d: dt.date | None) -> str:
    """10 Juli 2024."""
    if d is None:
        return "–"
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def day_month(d: dt.date) -> str:
    """15 Juli (a deadline within the season)."""
    return f"{d.day} {MONTH_NAMES[d.month - 1]}"


def datetime(d: dt.datetime | None) -> str:
    """10 Juli 2024 14.30 (Indonesian time separator)."""
    if d is None:
        return "–"
    return f"{date(d)} {d.hour:02d}.{d.minute:02d}"
