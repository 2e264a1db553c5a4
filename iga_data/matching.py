"""Match unit names as written in exports to roster units.

In order: exact after normalisation; the roster's short name; a bare name
("Pasar Jitra") against the units of the hinted type; a conservative fuzzy
match for small typos. Work is done once per distinct (name, hint) pair,
never per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .names import compact_key, key_as, norm_text, typed_key, unit_name
from .parsing import per_unique
from .roster import Roster
from .vocabulary import default_type

# A fuzzy candidate must score at least this (rapidfuzz ratio, 0-100) on the
# bare names, or be FUZZY_MAX_EDITS letters away (one slip in a short name:
# "Bumu Ayu" for "Bumi Ayu" is 87.5), and beat the runner-up by FUZZY_MARGIN;
# short names never match.
FUZZY_MIN_SCORE = 90
FUZZY_MAX_EDITS = 1
FUZZY_MARGIN = 5
FUZZY_MIN_LENGTH = 5

_DIGITS = re.compile(r"\d+")
_PARENS = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class Match:
    unit_key: str  # "r<uid>" for roster units; for others the name key ("u:<pemda>|<key>" once assigned)
    unit_name: str
    unit_type: str
    matched: bool
    method: str  # exact | short | bare | fuzzy | none | found
    similarity: float = 100.0


def _fuzzy_ok(query: str, candidate: str) -> bool:
    """Reject pairs that are different real units, not typos of one another."""
    if _DIGITS.findall(query) != _DIGITS.findall(candidate):
        return False  # SD Negeri 5 vs SD Negeri 50
    q, c = set(query.split()), set(candidate.split())
    return not (q < c or c < q)  # Kandang vs Kandang Mas, Sawah Lebar vs Sawah Lebar Baru


class Matcher:
    """Lookup tables of a roster, built once and used for every distinct name."""

    def __init__(self, roster: Roster, city: str):
        u = roster.units
        self.city = city
        self.names = dict(zip(u["uid"], u["name"]))
        self.types = dict(zip(u["uid"], u["type"]))
        self.by_key = dict(zip(u["key"], u["uid"]))
        self.by_short = {k: uid for k, uid in zip(u["short_key"], u["uid"]) if k}
        self.by_bare: dict[str, list[int]] = {}
        for bare, uid in zip(u["bare"], u["uid"]):
            self.by_bare.setdefault(bare, []).append(uid)
        self.bare_by_type: dict[str, tuple[list[str], list[int]]] = {}
        for utype, group in u.groupby("type"):
            self.bare_by_type[utype] = (group["bare"].tolist(), group["uid"].tolist())

    def _hit(self, uid: int, method: str, similarity: float = 100.0) -> Match:
        return Match(f"r{uid}", self.names[uid], self.types[uid], True, method, similarity)

    def match(self, raw: str, hint: str) -> Match | None:
        """The roster unit a written name means, or None. "Dinas Kesehatan (Dinkes)" is tried
        as "Dinas Kesehatan" and as "Dinkes"."""
        if "(" in raw and (outside := _PARENS.sub(" ", raw).strip()):
            for part in (outside, *_PARENS.findall(raw)):
                if (m := self._match(part, hint)) is not None:
                    return m
        return self._match(raw, hint)

    def _match(self, raw: str, hint: str) -> Match | None:
        n = unit_name(raw, self.city)
        if (uid := self.by_key.get(n.key)) is not None:
            return self._hit(uid, "exact")
        for short in (compact_key(raw), compact_key(n.key)):
            if (uid := self.by_short.get(short)) is not None:
                return self._hit(uid, "short")
        if n.type is None:
            if hint and (uid := self.by_key.get(typed_key(n.bare, hint))) is not None:
                return self._hit(uid, "bare")
            candidates = self.by_bare.get(n.bare, [])
            if not hint and len(candidates) == 1:
                return self._hit(candidates[0], "bare")
        return self._fuzzy(n.bare, n.type or hint or default_type())

    def _fuzzy(self, bare: str, utype: str) -> Match | None:
        choices, uids = self.bare_by_type.get(utype, ([], []))
        if len(bare) < FUZZY_MIN_LENGTH or not choices:
            return None
        found = process.extract(bare, choices, scorer=fuzz.ratio, limit=2)
        best_text, best, best_i = found[0]
        runner_up = found[1][1] if len(found) > 1 else 0.0
        close = best >= FUZZY_MIN_SCORE or Levenshtein.distance(bare, best_text) <= FUZZY_MAX_EDITS
        if close and best - runner_up >= FUZZY_MARGIN and _fuzzy_ok(bare, best_text):
            return self._hit(uids[best_i], "fuzzy", round(best, 1))
        return None


def _found_unit(raw: str, hint: str, city: str) -> Match:
    """A unit known only from the files: typed by hint or name, keyed by its name (Pemda added later)."""
    n = unit_name(raw, city)
    utype = n.type or hint or default_type()
    key = key_as(n, utype)
    return Match(key, raw, utype, False, "found")


def assign_units(rows: pd.DataFrame, roster: Roster | None, city: str) -> pd.DataFrame:
    """Add unit_key, unit_name, unit_type, matched, match_method, similarity to reader rows.

    Names are matched once per distinct (name, type hint). Units not in the
    roster are told apart by Pemda too, so a national export keeps each
    Pemda's "Dinas Kesehatan" separate; their display name is the first
    spelling in file order.
    """
    matcher = Matcher(roster, city) if roster is not None and len(roster) else None
    codes, uniques = pd.factorize(rows["unit"].astype(object) + "\x1f" + rows["type_hint"].astype(object))
    results = []
    for text in uniques:
        raw, hint = text.split("\x1f")
        m = (matcher.match(raw, hint) if matcher else None) or _found_unit(raw, hint, city)
        method = m.method if m.matched or not matcher else "none"
        results.append((m.unit_key, m.unit_name, m.unit_type, m.matched, method, m.similarity))
    table = pd.DataFrame(results, columns=["unit_key", "unit_name", "unit_type", "matched", "match_method",
                                           "similarity"])
    table = table.astype({"unit_key": object, "unit_name": object, "unit_type": object, "match_method": object,
                          "matched": bool, "similarity": float})
    out = rows.assign(**{c: table[c].to_numpy()[codes] for c in table.columns})
    found = ~out["matched"].to_numpy()
    if found.any():
        pemda = per_unique(out.loc[found, "pemda"], norm_text).to_numpy(dtype=object)
        keys = "u:" + pemda + "|" + out.loc[found, "unit_key"].to_numpy(dtype=object)
        out.loc[found, "unit_key"] = keys
        first = dict(zip(keys[::-1], out.loc[found, "unit"].to_numpy(dtype=object)[::-1]))  # first spelling wins
        out.loc[found, "unit_name"] = [first[k] for k in keys]
    return out
