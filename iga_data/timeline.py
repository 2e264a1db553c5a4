"""Time against the deadline: days left, progress across snapshots, and the pace needed."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import fmt
from .pipeline import Summary


def days_left(as_of: dt.date, deadline: dt.date) -> int:
    """Whole days from the data's as-of date to the deadline (negative once past)."""
    return (deadline - as_of).days


def previous_point(progress: pd.DataFrame, as_of: dt.datetime) -> pd.Series | None:
    """The latest snapshot before `as_of` (for "yesterday 31 ready, today 52")."""
    earlier = progress[progress["as_of"] < as_of]
    return earlier.iloc[-1] if len(earlier) else None


@dataclass(frozen=True)
class Pace:
    """How fast units become ready, and whether that is enough before the deadline."""

    per_day: float | None  # ready units gained per day (None with fewer than two dates)
    needed_per_day: float | None  # to finish by the deadline from the latest point
    finish_date: dt.date | None  # when all units would be ready at this pace
    enough: bool
    statement: str


def progress_frame(points: list[tuple[int, dt.datetime, int, int, int, int]]) -> pd.DataFrame:
    """Snapshots as a table, oldest first: id, as_of, ready, uploaded (units with any upload), expected, innovations.

    Of several snapshots with the same as-of (a recount under a new roster), the newest stands.
    """
    frame = pd.DataFrame(points, columns=["id", "as_of", "ready", "uploaded", "expected", "innovations"])
    frame = frame.sort_values(["as_of", "id"], kind="stable").drop_duplicates("as_of", keep="last")
    return frame.reset_index(drop=True)


def progress_point(snapshot_id: int, as_of: dt.datetime, summary: Summary) -> tuple:
    """One snapshot's place on the progress chart: ready units, units that uploaded anything, innovations."""
    u = summary.units
    return snapshot_id, as_of, u.ready, u.expected - u.none, u.expected, summary.innovations


def history_until(snapshots: list, chosen) -> list:
    """The snapshots a view of `chosen` may show progress from: itself and those before it."""
    return [s for s in snapshots if (s.as_of, s.id) <= (chosen.as_of, chosen.id)]


def pace(progress: pd.DataFrame, deadline: dt.date) -> Pace:
    """Linear pace of ready units over the snapshots, projected to when all are ready.

    A least-squares line over every snapshot, so one late upload does not swing it.
    """
    if progress.empty:
        return Pace(None, None, None, False, "Belum ada data untuk menghitung laju.")
    last = progress.iloc[-1]
    remaining = int(last["expected"] - last["ready"])
    end_of_deadline = dt.datetime.combine(deadline, dt.time(23, 59))
    days_to_deadline = (end_of_deadline - last["as_of"].to_pydatetime()).total_seconds() / 86400
    needed = remaining / days_to_deadline if days_to_deadline > 0 else None
    if remaining <= 0:
        return Pace(None, 0.0, last["as_of"].date(), True, "Semua unit sudah siap.")
    days = (progress["as_of"] - progress["as_of"].iloc[0]).dt.total_seconds().to_numpy() / 86400
    if len(progress) < 2 or np.ptp(days) < 0.5:
        need = f" Perlu {fmt.num(needed, 1)} unit siap per hari." if needed else ""
        return Pace(None, needed, None, False, "Laju belum dapat dihitung: perlu data dari minimal dua hari." + need)
    slope = float(np.polyfit(days, progress["ready"].to_numpy(dtype=float), 1)[0])
    if slope <= 0:
        return Pace(slope, needed, None, False,
                    f"Jumlah unit siap tidak bertambah; {fmt.num(remaining)} unit belum siap"
                    + (f" dan perlu {fmt.num(needed, 1)} unit siap per hari." if needed else "."))
    finish = (last["as_of"] + pd.Timedelta(days=remaining / slope)).date()
    enough = finish <= deadline
    rate = f"{fmt.num(slope, 1)} unit/hari"
    if enough:
        statement = f"Dengan laju saat ini ({rate}) semua unit siap pada {fmt.date(finish)}, sebelum tenggat."
    elif needed is None:
        statement = f"Tenggat sudah lewat; dengan laju {rate} semua unit baru siap pada {fmt.date(finish)}."
    else:
        late = (finish - deadline).days
        statement = (
            f"Laju saat ini ({rate}) tidak cukup: semua unit baru siap pada {fmt.date(finish)}, "
            f"{fmt.num(late)} hari setelah tenggat. Perlu {fmt.num(math.ceil(needed * 10) / 10, 1)} unit siap per hari."
        )
    return Pace(slope, needed, finish, enough, statement)
