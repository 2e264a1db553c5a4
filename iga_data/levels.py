"""Indicator levels written as words: "2 – SK Kepala Daerah", or the level text alone.

The self-assessment workbook offers each level as a label of this shape, and people
copy level texts from the rules into recaps; the reader turns both back into 0..3.
Writing and reading the label live here together so the two cannot drift apart.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from .errors import InputError
from .names import compact_key
from .parsing import parse_scores, per_unique
from .rules import MAX_LEVEL, Indicator, available_years, load_rules
from .tomlfile import derived

# "2 – SK Kepala Daerah", "2 - SK…", "2. SK…", "2) SK…", "Level 2: SK…", "Level 2"; not "2.5" nor "1–10 orang".
_LABEL = re.compile(r"^(?:level\s*)?(\d+)\s*(?:[–—-]\s+|[.:)]\s+|[–—-](?=[^\W\d_])|$)", re.IGNORECASE)


def level_label(indicator: Indicator, level: int) -> str:
    """The drop-down label of one level: '2 – SK Kepala Daerah'."""
    return f"{level} – {indicator.levels[level]}"


@derived()
def _texts() -> dict[int, dict[str, int | None]]:
    """Indicator number -> compact level text -> level, over every rule year.

    A text naming different levels in different years maps to None (ambiguous).
    A broken rule file is left out here; it is reported where its year is used.
    """
    out: dict[int, dict[str, int | None]] = {}
    for year in available_years():
        try:
            indicators = load_rules(year).indicators
        except InputError:
            continue
        for ind in indicators:
            known = out.setdefault(ind.number, {})
            for level, text in enumerate(ind.levels):
                key = compact_key(text)
                known[key] = level if known.get(key, level) == level else None
    return out


def level_of_text(text: str, number: int) -> float:
    """The level a text cell names for indicator `number`, or NaN.

    The level text itself wins ("1–10 orang SDM" is level 1 of indicator 17);
    then a label that starts with the level number.
    """
    level = _texts().get(number, {}).get(compact_key(text))
    if level is not None:
        return float(level)
    m = _LABEL.match(text.strip())
    if m and int(m[1]) <= MAX_LEVEL:
        return float(m[1])
    return math.nan


def parse_levels(values: pd.Series, number: int) -> pd.Series:
    """Levels 0..MAX_LEVEL of one indicator column: numbers, level texts or labels; anything else NaN."""
    levels = parse_scores(values, max_score=MAX_LEVEL)[0]
    levels = levels.where(levels == levels.round())
    words = levels.isna() & values.map(lambda v: isinstance(v, str) and bool(v.strip())).astype(bool)
    if words.any():
        levels[words] = per_unique(values[words], lambda v: level_of_text(v, number)).astype(float)
    return levels
