"""Match unit names as written in exports to roster units.

In order: the operator's aliases; exact after normalisation (spaces ignored);
the roster's short name; a short form of config/opd_template.toml that points
at exactly one roster unit; a bare name ("Pasar Jitra") against the units of
the hinted type; a portal login ("dinkes_kotabkl") read as its unit part; a
conservative fuzzy match for small typos. Work is done once per distinct
(name, hint) pair, never per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .aliases import Alias, alias_key, lookup
from .names import compact_key, expand_short, key_as, login_unit, norm_text, typed_key, unit_name
from .roster import Roster
from .vocabulary import default_type

# One wrong, missing, extra or swapped letter (optimal string alignment distance) in a bare name of
# at least FUZZY_MIN_LENGTH letters matches when exactly one roster unit of the type is that close
# ("Bumu Ayu" in the region reference for "Bumi Ayu"). Longer slips match when the ratio (0-100)
# is at least FUZZY_MIN_SCORE and beats the runner-up by FUZZY_MARGIN. Neighbours never match
# (_fuzzy_ok): other school numbers, a name that is another's words plus more ("Kandang Mas").
FUZZY_MIN_SCORE = 90
FUZZY_MAX_EDITS = 1
FUZZY_MARGIN = 5
FUZZY_MIN_LENGTH = 6
CLOSEST = 3  # roster units offered to the operator for a name that matched none
SHEET_NAME_LIMIT = 31  # Excel cuts a sheet's name at 31 characters: "Dinas Kependudukan dan Pencatat"

_DIGITS = re.compile(r"\d+")
_PARENS = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class Match:
    unit_key: str  # "r<uid>" for roster units; for others the name key ("u:<pemda>|<key>" once assigned)
    unit_name: str
    unit_type: str
    matched: bool
    method: str  # exact | short | bare | login | fuzzy | alias | excluded | none | found
    similarity: float = 100.0


def _fuzzy_ok(query: str, candidate: str) -> bool:
    """Reject pairs that are different real units, not typos of one another."""
    if _DIGITS.findall(query) != _DIGITS.findall(candidate):
        return False  # SD Negeri 5 vs SD Negeri 50
    q, c = set(query.split()), set(candidate.split())
    return not (q < c or c < q)  # Kandang vs Kandang Mas, Sawah Lebar vs Sawah Lebar Baru


def _family(short: str, full: str) -> bool:
    """A short form's full name and a roster name are one unit when equal or when one is the other plus
    " dan ..." ("Dinas Pendidikan" / "Dinas Pendidikan dan Kebudayaan"), never "Dinas Kesehatan Hewan"."""
    return short == full or full.startswith(short + " dan ") or short.startswith(full + " dan ")


class Matcher:
    """Lookup tables of a roster, built once and used for every distinct name."""

    def __init__(self, roster: Roster, city: str, aliases: Iterable[Alias] = ()):
        u = roster.units
        aliases = tuple(aliases)
        self.city = city
        self.names = dict(zip(u["uid"], u["name"]))
        self.types = dict(zip(u["uid"], u["type"]))
        self.by_key = dict(zip(u["key"], u["uid"]))
        self.by_compact = _unique(zip((k.replace(" ", "") for k in u["key"]), u["uid"]))
        self.by_name = _unique(zip(map(norm_text, u["name"]), u["uid"]))
        self.by_short = {k: uid for k, uid in zip(u["short_key"], u["uid"]) if k}
        # What each roster name stands for when it is itself a short form ("Dinas PUPR").
        self.full_names = [(expand_short(name) or key, uid) for name, key, uid in zip(u["name"], u["key"], u["uid"])]
        self.by_bare: dict[str, list[int]] = {}
        for bare, uid in zip(u["bare"], u["uid"]):
            self.by_bare.setdefault(bare, []).append(uid)
        self.bare_by_type: dict[str, tuple[list[str], list[int]]] = {}
        for utype, group in u.groupby("type"):
            self.bare_by_type[utype] = (group["bare"].tolist(), group["uid"].tolist())
        self.aliases = lookup(aliases)
        self._keys: list[str] | None = None  # every roster unit's key, for closest()
        # Aliases naming a unit this roster does not have (renamed or removed since): not applied, and said so.
        self.stale = [a for a in aliases if a.unit and self.alias_target(a.unit) is None]

    def _hit(self, uid: int, method: str, similarity: float = 100.0) -> Match:
        return Match(f"r{uid}", self.names[uid], self.types[uid], True, method, similarity)

    def knows(self, raw: str) -> bool:
        """Whether a name (a sheet's, when the sheet has no unit column) is a roster unit."""
        m = self.match(raw, "")
        return m is not None and m.matched

    def alias_target(self, unit: str) -> int | None:
        """The roster unit an alias names, or None when the roster has no such unit (any more)."""
        uid = self.by_name.get(norm_text(unit))
        return uid if uid is not None else self.by_key.get(unit_name(unit, self.city).key)

    def match(self, raw: str, hint: str) -> Match | None:
        """The roster unit a written name means, or None. An alias comes first (an unmatched Match when it
        says the name is not a roster unit); "Dinas Kesehatan (Dinkes)" is tried as "Dinas Kesehatan" and
        as "Dinkes"; a portal login as its unit part."""
        if (target := self.aliases.get(alias_key(raw))) is not None:
            if not target:
                return Match("", raw, hint or default_type(), False, "excluded", 0.0)
            if (uid := self.alias_target(target)) is not None:
                return self._hit(uid, "alias")
        if "(" in raw and (outside := _PARENS.sub(" ", raw).strip()):
            for part in (outside, *_PARENS.findall(raw)):
                if (m := self._match(part, hint)) is not None:
                    return m
        if (login := login_unit(raw)) is not None and (m := self._match(login, hint, fuzzy=False)) is not None:
            return Match(m.unit_key, m.unit_name, m.unit_type, True, "login")
        return self._match(raw, hint)

    def _match(self, raw: str, hint: str, fuzzy: bool = True) -> Match | None:
        n = unit_name(raw, self.city)
        if (uid := self.by_key.get(n.key)) is not None:
            return self._hit(uid, "exact")
        if (uid := self.by_compact.get(n.key.replace(" ", ""))) is not None:
            return self._hit(uid, "exact")  # "Kandangmas", "kel pasarjitra"
        for short in (compact_key(raw), compact_key(n.key)):
            if (uid := self.by_short.get(short)) is not None:
                return self._hit(uid, "short")
        if (uid := self._short_form(raw)) is not None:
            return self._hit(uid, "short")
        if len(raw.strip()) == SHEET_NAME_LIMIT and (uid := self._cut_short(raw)) is not None:
            return self._hit(uid, "exact")
        if n.type is None:
            if hint and (uid := self.by_key.get(typed_key(n.bare, hint))) is not None:
                return self._hit(uid, "bare")
            candidates = self.by_bare.get(n.bare, [])
            if not hint and len(candidates) == 1:
                return self._hit(candidates[0], "bare")
        return self._fuzzy(n.bare, n.type or hint or default_type()) if fuzzy else None

    def _short_form(self, raw: str) -> int | None:
        """The one roster unit a short form points at ("Dikbud" -> "Dinas Pendidikan dan Kebudayaan");
        None when it points at none or at several."""
        full = expand_short(raw)
        if full is None:
            return None
        exact = [uid for name, uid in self.full_names if name == full]
        found = exact or [uid for name, uid in self.full_names if _family(full, name)]
        return found[0] if len(found) == 1 else None

    def _cut_short(self, raw: str) -> int | None:
        """The one roster unit whose name a sheet name cut at Excel's limit begins."""
        start = norm_text(raw)
        found = [uid for name, uid in self.by_name.items() if name.startswith(start)]
        return found[0] if len(found) == 1 else None

    def _fuzzy(self, bare: str, utype: str) -> Match | None:
        choices, uids = self.bare_by_type.get(utype, ([], []))
        if len(bare.replace(" ", "")) < FUZZY_MIN_LENGTH or not choices:
            return None
        close = [
            (text, i)
            for text, _, i in process.extract(
                bare, choices, scorer=OSA.distance, score_cutoff=FUZZY_MAX_EDITS, limit=None
            )
            if _fuzzy_ok(bare, text)
        ]
        if len(close) == 1:
            text, i = close[0]
            return self._hit(uids[i], "fuzzy", round(fuzz.ratio(bare, text), 1))
        if close:
            return None  # two units that close: the operator decides
        found = process.extract(bare, choices, scorer=fuzz.ratio, limit=2)
        best_text, best, best_i = found[0]
        runner_up = found[1][1] if len(found) > 1 else 0.0
        if best >= FUZZY_MIN_SCORE and best - runner_up >= FUZZY_MARGIN and _fuzzy_ok(bare, best_text):
            return self._hit(uids[best_i], "fuzzy", round(best, 1))
        return None

    def closest(self, raw: str, limit: int = CLOSEST) -> list[tuple[str, float]]:
        """The roster units most like a name that matched none, with their similarity (0-100). The name is
        also compared as the short forms it starts with ("Dinsos Kota" as "Dinas Sosial") and as a login's
        unit part. Units of the type the name says come first; a numbered name ("SDN 2") is offered neither
        another number nor a numbered unit of another type (SMP Negeri 2): another school, not a spelling."""
        if self._keys is None:
            self._keys = [unit_name(name, self.city).key for name in self.names.values()]
        said = unit_name(login_unit(raw) or raw, self.city)
        words = norm_text(login_unit(raw) or raw).split()
        queries = {said.key, *(full for k in range(1, len(words) + 1) if (full := expand_short(" ".join(words[:k]))))}
        names, types = list(self.names.values()), list(self.types.values())
        best: dict[int, float] = {}
        for query in queries:
            digits = _DIGITS.findall(query)
            for key, score, i in process.extract(query, self._keys, scorer=fuzz.WRatio, limit=None):
                numbered = _DIGITS.findall(key)
                if digits and numbered and (numbered != digits or (said.type and types[i] != said.type)):
                    continue
                best[i] = max(best.get(i, 0.0), score)
        ranked = sorted(
            best.items(), key=lambda item: (bool(said.type) and types[item[0]] != said.type, -item[1], names[item[0]])
        )[:limit]
        return [(names[i], round(score, 1)) for i, score in ranked]


def _unique(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    """A lookup that leaves out keys two units share (they would be a guess)."""
    found: dict[str, list[int]] = {}
    for key, uid in pairs:
        found.setdefault(key, []).append(uid)
    return {key: uids[0] for key, uids in found.items() if len(uids) == 1}


def _found_unit(raw: str, hint: str, city: str) -> Match:
    """A unit known only from the files: typed by hint or name, keyed by its name (Pemda added later)."""
    n = unit_name(raw, city)
    utype = n.type or hint or default_type()
    key = key_as(n, utype)
    return Match(key, raw, utype, False, "found")


def assign_units(rows: pd.DataFrame, matcher: Matcher | None, city: str) -> pd.DataFrame:
    """Add unit_key, unit_name, unit_type, matched, match_method, similarity to reader rows.

    Names are matched once per distinct (name, type hint). Units not in the
    roster are told apart by Pemda too, so a national export keeps each
    Pemda's "Dinas Kesehatan" separate; their display name is the first
    spelling in file order. Without a matcher (no roster) every unit is
    "found"; a name an alias declares outside the roster is "excluded".
    """
    codes, uniques = pd.factorize(
        rows["unit"].to_numpy(dtype=object) + "\x1f" + rows["type_hint"].to_numpy(dtype=object)
    )
    results = []
    for text in uniques:
        raw, hint = text.split("\x1f")
        m = matcher.match(raw, hint) if matcher else None
        if m is None or not m.matched:
            method = m.method if m is not None else "none" if matcher else "found"
            m = _found_unit(raw, hint, city)
            m = Match(m.unit_key, m.unit_name, m.unit_type, False, method, m.similarity)
        results.append((m.unit_key, m.unit_name, m.unit_type, m.matched, m.method, m.similarity))
    table = {
        name: np.array([r[i] for r in results], dtype=dtype)
        for i, (name, dtype) in enumerate(
            (
                ("unit_key", object),
                ("unit_name", object),
                ("unit_type", object),
                ("matched", bool),
                ("match_method", object),
                ("similarity", float),
            )
        )
    }
    columns = {name: values[codes] for name, values in table.items()}
    found = ~columns["matched"]
    if found.any():
        # A unit not in the roster is one per Pemda: keys and first spellings per distinct (Pemda, name), not per row.
        pemda_codes, pemdas = pd.factorize(rows["pemda"].to_numpy(dtype=object)[found])
        pairs, inverse = np.unique(pemda_codes.astype(np.int64) * len(uniques) + codes[found], return_inverse=True)
        pemda_keys = [norm_text(p) for p in pemdas]
        keys = np.array(
            [f"u:{pemda_keys[p // len(uniques)]}|{table['unit_key'][p % len(uniques)]}" for p in pairs.tolist()],
            dtype=object,
        )[inverse]
        key_codes, _ = pd.factorize(keys)
        spelled = rows["unit"].to_numpy(dtype=object)[found]
        _, first = np.unique(key_codes, return_index=True)  # the first spelling in file order names the unit
        columns["unit_key"] = columns["unit_key"].copy()
        columns["unit_name"] = columns["unit_name"].copy()
        columns["unit_key"][found] = keys
        columns["unit_name"][found] = spelled[first][key_codes]
    return rows.assign(**{name: pd.Series(values, index=rows.index) for name, values in columns.items()})
