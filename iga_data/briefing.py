"""The one-page briefing for the meeting: what it shows, computed once from the engine (briefing_html and
briefing_pdf draw it; exports.outputs writes every file).

    b = compose(analysis, as_of, progress)   # progress: stored snapshots up to this one (None: files only)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from . import simulation, tables, wording
from .messages import and_more
from .pipeline import Analysis
from .readiness import by_pembina
from .settings import Settings
from .timeline import Pace, pace, previous_point, progress_frame, progress_point

PEMBINA_ROWS = 12  # rows of the per-pembina table on the page; more end in "… dan N lainnya"
NAMES_SHOWN = 6  # lagging unit names per pembina on the page
# Answer tiles by tone: (background, border, value text), the colours of the dashboard's tiles (ui/style.py),
# dark text on light tints for a 4.5:1 contrast on paper too.
TONES = {
    "good": ("#e6f4e9", "#93c9a0", "#1b5e20"),
    "warn": ("#fff3d1", "#e8c666", "#6b4500"),
    "bad": ("#fde7e7", "#ee9d9d", "#8e1b1b"),
    "neutral": ("#ffffff", "#cfd8e1", "#1b2733"),
}


@dataclass(frozen=True)
class PembinaRow:
    """One row of the briefing's per-pembina table (figures of `tables.pembina_table`, names cut to fit)."""

    pembina: str
    units: int
    ready: str
    lagging: int
    none: int
    names: str


@dataclass(frozen=True)
class Briefing:
    analysis: Analysis
    as_of: dt.datetime
    progress: pd.DataFrame  # one row per data point up to as_of; a single row when there is no history
    pace: Pace
    sim: simulation.Simulation

    @property
    def settings(self) -> Settings:
        return self.analysis.settings

    @property
    def answers(self) -> tuple[wording.Answer, ...]:
        """The four answers of Ringkasan's first screen."""
        return wording.answers(
            self.analysis.summary,
            self.as_of,
            self.settings,
            self.pace,
            self.sim,
            previous_point(self.progress, self.as_of),
        )

    def pembina_rows(self, limit: int = PEMBINA_ROWS, names: int = NAMES_SHOWN) -> tuple[list[PembinaRow], int]:
        """The per-pembina table, most lagging first, and how many pembina were left out."""
        units = self.analysis.units
        groups = by_pembina(units)
        table = tables.pembina_table(units, groups)
        unit_names = dict(zip(units["unit_key"], units["unit_name"]))
        rows = []
        for r, keys in zip(table.head(limit).to_dict("records"), groups["lagging_keys"]):  # the same order
            shown = ", ".join(unit_names[k] for k in keys[:names]) or "–"
            if len(keys) > names:
                shown += " " + and_more(len(keys) - names)
            rows.append(PembinaRow(r["Pembina"], r["Unit"], r["Siap"], r["Belum siap"], r["Belum mengunggah"], shown))
        return rows, max(0, len(table) - limit)


def compose(
    analysis: Analysis,
    as_of: dt.datetime,
    progress: pd.DataFrame | None = None,
    sim: simulation.Simulation | None = None,
) -> Briefing:
    """The briefing of an analysis as of a date. Without stored history (files given on the command line)
    the progress is this one point and the pace is honestly "belum terukur"."""
    if progress is None or progress.empty:
        progress = progress_frame([progress_point(0, as_of, analysis.summary.to_json())])
    s = analysis.settings
    sim = sim or simulation.simulate(analysis, s, s.threshold)
    return Briefing(analysis, as_of, progress, pace(progress, s.deadline), sim)


def iid_lines(b: Briefing) -> list[str]:
    """The IID estimate with what it rests on: the range over the SPD interval, the target and how it was set,
    how it is computed, and what the rule year leaves uncertain."""
    rules = b.sim.rules
    return [
        line
        for line in (
            wording.iid_estimate(b.sim, b.settings.spd),
            wording.target_reach(b.sim, b.settings),
            wording.projection_help(rules),
            wording.uncertain_text(rules),
        )
        if line
    ]


def pace_lines(b: Briefing) -> list[str]:
    """The pace verdict in words and what it rests on."""
    return [line for line in (wording.pace_statement(b.pace, b.settings.deadline), wording.pace_basis(b.pace)) if line]
