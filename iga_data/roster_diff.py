"""What differs between a newly built roster and the roster a Pemda already has, and why.

The region reference's OCR slips and official names ("Bumu Ayu" for Bumi Ayu, "Jitra" where the
city writes "Pasar Jitra") are not corrected silently: each difference is a row with its reason,
and the operator decides per row whether the new roster follows the roster in force.
"""

from __future__ import annotations

import re

import pandas as pd
from rapidfuzz import fuzz

from . import fmt
from .matching import FUZZY_MIN_SCORE, Matcher
from .names import compact_key
from .roster import DETAILS, Roster
from .roster_build import BuiltRoster, assemble
from .vocabulary import type_codes

SPELLING, SHORT_NAME, ONLY_NEW, ONLY_CURRENT = "spelling", "short_name", "only_new", "only_current"
KIND_LABELS = {
    SPELLING: "Ejaan berbeda",
    SHORT_NAME: "Singkatan berbeda",
    ONLY_CURRENT: "Hanya di daftar berlaku",
    ONLY_NEW: "Hanya di daftar baru",
}
COLUMNS = ["kind", "type", "new_name", "current_name", "similarity", "reason", "follow"]
_DIGITS = re.compile(r"\d+")


def _pairs(new: pd.DataFrame, current: pd.DataFrame) -> list[tuple[int, int, str]]:
    """Near-matches among units neither roster matched (same type, same numbers), best first, one-to-one:
    (new row, current row, reason)."""
    scored = []
    by_type = current.groupby("type").indices
    for i, (utype, nbare) in enumerate(zip(new["type"], new["bare"])):
        for j in by_type.get(utype, ()):
            cbare = current["bare"].iat[j]
            if _DIGITS.findall(nbare) != _DIGITS.findall(cbare):
                continue
            score = fuzz.token_set_ratio(nbare, cbare)
            if score >= FUZZY_MIN_SCORE:
                scored.append((-score, -fuzz.ratio(nbare, cbare), i, int(j)))
    taken_new, taken_current, pairs = set(), set(), []
    for _, _, i, j in sorted(scored):
        if i in taken_new or j in taken_current:
            continue
        taken_new.add(i)
        taken_current.add(j)
        nwords, cwords = set(new["bare"].iat[i].split()), set(current["bare"].iat[j].split())
        contains = nwords < cwords or cwords < nwords
        pairs.append((i, j, "satu nama memuat nama yang lain" if contains else "nama mirip"))
    return pairs


def roster_differences(new: Roster, current: Roster, city: str) -> pd.DataFrame:
    """Units that differ between two rosters, one row each (COLUMNS):

    spelling      the same unit written differently: matched by the dashboard's own fuzzy rule
                  (exports with either spelling are counted), or a near-match it leaves apart
                  ("Jitra" / "Pasar Jitra") that the operator should decide on;
    short_name    the same unit with another short name in the roster in force ("Dukcapil"): exports
                  writing it match only the roster that has it;
    only_new      in the new roster only; only_current  in the roster in force only.

    `follow` is the suggested choice: take the roster in force's spelling and short name, and keep its
    units of the types the new roster has none of (schools when no school list was given).
    """
    matcher = Matcher(current, city)
    current_short = dict(zip("r" + current.units["uid"].astype(str), current.units["short_name"]))
    rows: list[tuple[str, str, str, str, float | None, str]] = []
    hit: set[str] = set()
    left_new = []
    for i, (name, utype, short) in enumerate(zip(new.units["name"], new.units["type"], new.units["short_name"])):
        m = matcher.match(name, utype)
        if m is None or m.unit_key in hit:
            left_new.append(i)
            continue
        hit.add(m.unit_key)
        theirs = current_short[m.unit_key]
        if m.method == "fuzzy":
            rows.append(
                (
                    SPELLING,
                    utype,
                    name,
                    m.unit_name,
                    m.similarity,
                    f"ejaan berbeda (kemiripan {fmt.decimal(m.similarity, 1)}%); "
                    "ekspor dengan salah satu ejaan tetap dicocokkan",
                )
            )
        elif theirs and compact_key(theirs) != compact_key(short):
            rows.append(
                (
                    SHORT_NAME,
                    utype,
                    name,
                    m.unit_name,
                    None,
                    f"singkatan berbeda: {short or 'tidak ada'} di daftar baru, {theirs} di daftar berlaku",
                )
            )
    other = current.units[~("r" + current.units["uid"].astype(str)).isin(hit)].reset_index(drop=True)
    mine = new.units.iloc[left_new].reset_index(drop=True)
    paired_new, paired_current = set(), set()
    for i, j, why in _pairs(mine, other):
        paired_new.add(i)
        paired_current.add(j)
        similarity = round(fuzz.ratio(mine["bare"].iat[i], other["bare"].iat[j]), 1)
        rows.append(
            (
                SPELLING,
                mine["type"].iat[i],
                mine["name"].iat[i],
                other["name"].iat[j],
                similarity,
                f"{why}; tidak dicocokkan otomatis",
            )
        )
    new_types = set(new.units["type"])
    for j, (name, utype) in enumerate(zip(other["name"], other["type"])):
        if j not in paired_current:
            reason = "tidak ada di daftar baru" + ("" if utype in new_types else " (daftar baru tidak punya jenis ini)")
            rows.append((ONLY_CURRENT, utype, "", name, None, reason))
    for i, (name, utype) in enumerate(zip(mine["name"], mine["type"])):
        if i not in paired_new:
            rows.append((ONLY_NEW, utype, name, "", None, "tidak ada di daftar unit yang berlaku"))
    table = pd.DataFrame(rows, columns=COLUMNS[:-1])
    table["follow"] = table["kind"].isin([SPELLING, SHORT_NAME]) | (
        (table["kind"] == ONLY_CURRENT) & ~table["type"].isin(new_types)
    )
    order = {k: n for n, k in enumerate((SPELLING, SHORT_NAME, ONLY_CURRENT, ONLY_NEW))}
    types = {t: n for n, t in enumerate(type_codes())}
    ranked = table.assign(
        _k=table["kind"].map(order),
        _t=table["type"].map(types).fillna(len(types)),
        _n=table["new_name"] + table["current_name"],
    )
    return ranked.sort_values(["_k", "_t", "_n"], kind="stable")[COLUMNS].reset_index(drop=True)


def follow_current(built: BuiltRoster, differences: pd.DataFrame, current: Roster) -> BuiltRoster:
    """The built roster made to agree with the roster in force on the rows whose `follow` is ticked:
    its spelling and short name taken, its unit added, or the new-only unit left out."""
    units = built.units.copy()
    chosen = differences[differences["follow"].astype(bool)]
    current_short = dict(zip(current.units["name"], current.units["short_name"]))
    for new_name, current_name in chosen.loc[
        chosen["kind"].isin([SPELLING, SHORT_NAME]), ["new_name", "current_name"]
    ].itertuples(index=False):
        at = units["name"] == new_name
        units.loc[at, "name"] = current_name
        if current_short.get(current_name):
            units.loc[at, "short_name"] = current_short[current_name]
    units = units[~units["name"].isin(chosen.loc[chosen["kind"] == ONLY_NEW, "new_name"])]
    wanted = current.units[current.units["name"].isin(chosen.loc[chosen["kind"] == ONLY_CURRENT, "current_name"])]
    added = pd.DataFrame(
        {
            "name": wanted["name"],
            "type": wanted["type"],
            "short_name": wanted["short_name"],
            **{c: wanted[c] for c in DETAILS},
        }
    )
    return assemble(built.pemda, [units, added], built.notes)
