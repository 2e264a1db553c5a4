"""Time against the deadline: days left, progress across snapshots, and the pace (numbers; wording.py words them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


def days_left(as_of: dt.date, deadline: dt.date) -> int:
    """Whole days from the data's as-of date to the deadline (negative once past)."""
    return (deadline - as_of).days


def previous_point(progress: pd.DataFrame, as_of: dt.datetime) -> pd.Series | None:
    """The latest snapshot before `as_of` (for "yesterday 31 ready, today 52")."""
    earlier = progress[progress["as_of"] < as_of]
    return earlier.iloc[-1] if len(earlier) else None


# The pace looks back this many days: long enough to see several days, short enough to follow a change.
WINDOW_DAYS = 7
# With a single day-to-day gain observed, the cautious estimate assumes the next days go half as fast.
SINGLE_GAIN_CAUTION = 0.5


@dataclass(frozen=True)
class Pace:
    """How fast units become ready, against what the deadline needs.

    Rates are ready units per day. `per_day` is the least-squares slope over the window; the cautious
    rate is the slowest day-to-day gain in it (half the only gain when there is one), the fast rate the
    fastest. The verdict is green only when even the cautious rate finishes before the deadline.
    """

    verdict: str  # done | green | amber | red | unknown
    remaining: int  # units not ready at the latest point
    none_left: int  # of which units with nothing uploaded: the slowest to move
    needed_per_day: float | None  # to finish by the deadline (None once it has passed)
    per_day: float | None = None
    cautious_per_day: float | None = None
    fast_per_day: float | None = None
    days_seen: int = 0  # distinct days in the window
    gains_seen: int = 0  # day-to-day gains the rates rest on
    finish: dt.date | None = None  # all ready at the cautious rate (None when it is 0)
    finish_fast: dt.date | None = None  # all ready at the fast rate
    deadline_passed: bool = False


def progress_frame(points: list[tuple[int, dt.datetime, int, int, int, int]]) -> pd.DataFrame:
    """Snapshots as a table, oldest first: id, as_of, ready, uploaded (units with any upload), expected, innovations.

    Of several snapshots with the same as-of (a recount under a new roster), the newest stands.
    """
    frame = pd.DataFrame(points, columns=["id", "as_of", "ready", "uploaded", "expected", "innovations"])
    frame = frame.sort_values(["as_of", "id"], kind="stable").drop_duplicates("as_of", keep="last")
    return frame.reset_index(drop=True)


def progress_point(snapshot_id: int, as_of: dt.datetime, summary: Mapping[str, Any]) -> tuple:
    """One upload's place on the progress chart, from its summary as stored (Summary.to_json()): ready units,
    units that uploaded anything, expected units, innovations."""
    u = summary["units"]
    return snapshot_id, as_of, u["ready"], u["expected"] - u["none"], u["expected"], summary["innovations"]


def history_until(snapshots: list, chosen) -> list:
    """The snapshots a view of `chosen` may show progress from: itself and those before it, of the same Pemda
    and IGA year (the sample data of Kota Bengkulu 2024 is no part of another Pemda's progress)."""
    return [
        s
        for s in snapshots
        if (s.as_of, s.id) <= (chosen.as_of, chosen.id) and (s.pemda, s.season) == (chosen.pemda, chosen.season)
    ]


def other_histories(snapshots: list, chosen) -> int:
    """How many earlier snapshots `history_until` leaves out because they are of another Pemda or IGA year."""
    return sum((s.as_of, s.id) <= (chosen.as_of, chosen.id) for s in snapshots) - len(history_until(snapshots, chosen))


# A finish further away than this is no finish: a flat line's fitted slope is a rounding error (1e-16 a day),
# whose finish no date can hold.
_NEVER_DAYS = 36_500


def _finish(start: pd.Timestamp, remaining: int, rate: float | None) -> dt.date | None:
    if not rate or rate <= 0 or remaining / rate > _NEVER_DAYS:
        return None
    return (start + pd.Timedelta(days=remaining / rate)).date()


def daily_gains(progress: pd.DataFrame, window_days: int = WINDOW_DAYS) -> pd.Series:
    """Ready units gained per day between consecutive days of the last `window_days`, indexed by the later day.

    Each day counts once, at its last data point, so a morning and an afternoon upload are not two days.
    """
    if progress.empty:
        return pd.Series(dtype=float)
    last = progress["as_of"].iloc[-1]
    recent = progress[progress["as_of"] >= last - pd.Timedelta(days=window_days)]
    by_day = recent.groupby(recent["as_of"].dt.normalize()).last()
    days = by_day.index.to_series().diff().dt.days
    return (by_day["ready"].diff() / days).dropna()


def pace(progress: pd.DataFrame, deadline: dt.date) -> Pace:
    """The pace of ready units over the last days, a cautious projection of when all are ready, and its verdict."""
    if progress.empty:
        return Pace("unknown", 0, 0, None)
    last = progress.iloc[-1]
    remaining = int(last["expected"] - last["ready"])
    none_left = int(last["expected"] - last["uploaded"])
    end_of_deadline = dt.datetime.combine(deadline, dt.time(23, 59))
    days_to_deadline = (end_of_deadline - last["as_of"].to_pydatetime()).total_seconds() / 86400
    needed = remaining / days_to_deadline if days_to_deadline > 0 else None
    base = Pace("unknown", remaining, none_left, needed, deadline_passed=days_to_deadline <= 0)
    if remaining <= 0:
        return dataclasses.replace(base, verdict="done", needed_per_day=0.0)
    gains = daily_gains(progress)
    if gains.empty:
        return base if needed is not None else dataclasses.replace(base, verdict="red")
    window = progress[progress["as_of"] >= last["as_of"] - pd.Timedelta(days=WINDOW_DAYS)]
    days = (window["as_of"] - window["as_of"].iloc[0]).dt.total_seconds().to_numpy() / 86400
    slope = float(np.polyfit(days, window["ready"].to_numpy(dtype=float), 1)[0])
    cautious = float(gains.min()) * (SINGLE_GAIN_CAUTION if len(gains) == 1 and gains.min() > 0 else 1.0)
    fast = float(gains.max())
    finish, finish_fast = _finish(last["as_of"], remaining, cautious), _finish(last["as_of"], remaining, fast)
    central = _finish(last["as_of"], remaining, slope)
    if needed is None:
        verdict = "red"
    elif finish is not None and finish <= deadline:
        verdict = "green"
    elif central is not None and central <= deadline:
        verdict = "amber"
    else:
        verdict = "red"
    return dataclasses.replace(
        base,
        verdict=verdict,
        per_day=slope,
        cautious_per_day=cautious,
        fast_per_day=fast,
        days_seen=len(gains) + 1,
        gains_seen=len(gains),
        finish=finish,
        finish_fast=finish_fast,
    )
