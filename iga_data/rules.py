"""IID rule sets, one TOML file per IGA year in ``config/rules/``.

The formula's constants (k, the count score, the predikat cut-offs, the
urusan wajib rule, the indicator weights) change every year, so they are data:
adding a year means adding a file, and the code holds no year-specific number.
Each file is checked on load; a mistake gives an InputError naming the file
and the field. The schema is documented at the top of ``2026.toml``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import InputError
from .tomlfile import config_file, read_toml
from .vocabulary import urusan_wajib

NOT_RATED = "Tidak Dapat Dinilai"
LEVEL_COUNT = 4  # parameter levels 0..3
MAX_LEVEL = LEVEL_COUNT - 1

_YEAR_FILE = re.compile(r"^\d{4}$")
_TOP_FIELDS = {
    "year",
    "source",
    "uncertain",
    "k",
    "max_per_innovation",
    "spd_max",
    "count_weight",
    "count_cap",
    "urusan_wajib_min",
    "predikat",
    "indicators",
    "indicators_from",
}
_UNCERTAIN_NAMES = _TOP_FIELDS - {"indicators_from"} | {"levels", "bobot", "mandatory"}


@dataclass(frozen=True)
class Indicator:
    """One innovation indicator: kematangan adds bobot × level (level 0..3)."""

    number: int
    name: str
    bobot: float
    mandatory: bool
    levels: tuple[str, ...]

    @property
    def max_score(self) -> float:
        return self.bobot * MAX_LEVEL


@dataclass(frozen=True)
class RuleSet:
    """The IID formula of one IGA year (formula in docs/DEVELOPING.md, "The index")."""

    year: int
    source: str
    uncertain: tuple[str, ...]
    k: int
    max_per_innovation: float
    spd_max: float
    count_weight: float
    count_cap: int
    urusan_wajib_min: int
    predikat: tuple[tuple[str, float], ...]
    indicators: tuple[Indicator, ...]

    @property
    def mandatory(self) -> tuple[int, ...]:
        """Numbers of the mandatory indicators."""
        return tuple(i.number for i in self.indicators if i.mandatory)

    @property
    def total_max(self) -> float:
        """SPD + SID at their maximum: the IID's denominator (250 so far)."""
        return self.spd_max + self.max_per_innovation + self.count_cap * self.count_weight

    def predikat_for(self, iid: float) -> str:
        """The predikat of an IID, compared as the portal shows it (2 decimals)."""
        shown = round(float(iid), 2)
        for label, minimum in self.predikat:
            if shown >= minimum:
                return label
        return NOT_RATED


def _dir(directory: str | Path | None) -> Path:
    return Path(directory) if directory is not None else config_file("rules")


def available_years(directory: str | Path | None = None) -> list[int]:
    """Years that have a rule file (``<year>.toml``), ascending."""
    d = _dir(directory)
    if not d.is_dir():
        return []
    return sorted(int(p.stem) for p in d.glob("*.toml") if _YEAR_FILE.match(p.stem))


def load_rules(year: int, directory: str | Path | None = None) -> RuleSet:
    """The checked rule set of `year`; unknown year -> InputError listing the years.

    Cached per file modification time, so an edited file is read again.
    """
    d = _dir(directory)
    years = available_years(d)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise InputError(f"Tahun aturan IID harus angka tahun; tertulis {year!r}.") from None
    if year not in years:
        shown = ", ".join(str(y) for y in years) or "tidak ada"
        raise InputError(f"Aturan IID untuk tahun {year} belum tersedia (tahun yang tersedia: {shown}).")
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(d.glob("*.toml")))
    return _load_cached(d.resolve(), year, stamp)


@cache
def _load_cached(directory: Path, year: int, stamp: tuple) -> RuleSet:
    return _parse(directory, year)


def indicator_names(directory: str | Path | None = None) -> dict[int, list[str]]:
    """Indicator number -> its distinct names over all rule files (for column headers).

    A broken file for one year is left out here (it is reported where that year is used), so
    it cannot stop exports from being read.
    """
    out: dict[int, list[str]] = {}
    for rules in _valid_rule_sets(directory):
        for ind in rules.indicators:
            names = out.setdefault(ind.number, [])
            if ind.name not in names:
                names.append(ind.name)
    return dict(sorted(out.items()))


def _valid_rule_sets(directory: str | Path | None = None) -> list[RuleSet]:
    """Every year's rule set that loads; a broken file is reported where its year is used."""
    out = []
    for year in available_years(directory):
        try:
            out.append(load_rules(year, directory))
        except InputError:
            continue
    return out


def indicator_numbers(directory: str | Path | None = None) -> tuple[int, ...]:
    """Every indicator number some rule year defines (16..35 so far): the indicator columns a file may carry."""
    return tuple(sorted({ind.number for rules in _valid_rule_sets(directory) for ind in rules.indicators}))


def max_score(directory: str | Path | None = None) -> float:
    """The highest kematangan any rule year allows (111 so far): above it a score cannot be read as one."""
    return max((rules.max_per_innovation for rules in _valid_rule_sets(directory)), default=0.0)


# --- parsing and checking -------------------------------------------------


class _Checker:
    """Typed access to one file's fields; every complaint names file and field."""

    def __init__(self, path: Path):
        self.file = path.name

    def fail(self, field: str, problem: str) -> InputError:
        return InputError(f"Berkas aturan {self.file}: isian '{field}' {problem}.")

    def get(self, table: dict[str, Any], field: str, where: str = "") -> Any:
        if field not in table:
            raise self.fail(field, f"belum ada{where}")
        return table[field]

    def integer(self, table, field, where="", minimum=None, maximum=None) -> int:
        v = self.get(table, field, where)
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(field, f"harus bilangan bulat{where}")
        if minimum is not None and v < minimum:
            raise self.fail(field, f"minimal {minimum}{where}")
        if maximum is not None and v > maximum:
            raise self.fail(field, f"maksimal {maximum}{where}")
        return v

    def number(self, table, field, where="", positive=False) -> float:
        v = self.get(table, field, where)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise self.fail(field, f"harus angka{where}")
        if v < 0 or (positive and v == 0):
            raise self.fail(field, f"harus {'lebih dari 0' if positive else 'tidak negatif'}{where}")
        return float(v)

    def text(self, table, field, where="") -> str:
        v = self.get(table, field, where)
        if not isinstance(v, str) or not v.strip():
            raise self.fail(field, f"harus teks yang tidak kosong{where}")
        return v.strip()

    def boolean(self, table, field, where="") -> bool:
        v = self.get(table, field, where)
        if not isinstance(v, bool):
            raise self.fail(field, f"harus true atau false{where}")
        return v

    def tables(self, table, field) -> list[dict[str, Any]]:
        v = self.get(table, field)
        if not isinstance(v, list) or not v or not all(isinstance(t, dict) for t in v):
            raise self.fail(field, f"harus berupa daftar [[{field}]] yang tidak kosong")
        return v

    def no_unknown(self, table: dict[str, Any], allowed: set[str], where: str = "") -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(unknown[0], f"tidak dikenal{where}")


def _parse(directory: Path, year: int, *, referenced: bool = False) -> RuleSet:
    path = directory / f"{year}.toml"
    raw = read_toml(path)
    c = _Checker(path)
    c.no_unknown(raw, _TOP_FIELDS)

    file_year = c.integer(raw, "year")
    if file_year != year:
        raise c.fail("year", f"berisi {file_year}, padahal nama berkasnya {year}.toml")

    uncertain = raw.get("uncertain", [])
    if not isinstance(uncertain, list) or not all(isinstance(u, str) for u in uncertain):
        raise c.fail("uncertain", "harus daftar nama isian")
    bad = sorted(set(uncertain) - _UNCERTAIN_NAMES)
    if bad:
        raise c.fail("uncertain", f"memuat nama isian yang tidak dikenal: {', '.join(bad)}")

    predikat: list[tuple[str, float]] = []
    for i, p in enumerate(c.tables(raw, "predikat"), start=1):
        where = f" (predikat ke-{i})"
        c.no_unknown(p, {"label", "min"}, where)
        label = c.text(p, "label", where)
        minimum = c.number(p, "min", where, positive=True)
        if predikat and minimum >= predikat[-1][1]:
            raise c.fail("min", f"harus menurun dari predikat terbaik ke terendah{where}")
        predikat.append((label, minimum))

    max_per_innovation = c.number(raw, "max_per_innovation", positive=True)
    indicators = _indicators(c, directory, year, raw, referenced)
    total = sum(ind.max_score for ind in indicators)
    if not math.isclose(total, max_per_innovation):
        raise c.fail(
            "max_per_innovation",
            f"bernilai {max_per_innovation:g}, padahal jumlah bobot × {MAX_LEVEL} = {total:g}",
        )

    return RuleSet(
        year=file_year,
        source=c.text(raw, "source"),
        uncertain=tuple(uncertain),
        k=c.integer(raw, "k", minimum=1),
        max_per_innovation=max_per_innovation,
        spd_max=c.number(raw, "spd_max", positive=True),
        count_weight=c.number(raw, "count_weight"),
        count_cap=c.integer(raw, "count_cap", minimum=0),
        urusan_wajib_min=c.integer(raw, "urusan_wajib_min", minimum=0, maximum=len(urusan_wajib())),
        predikat=tuple(predikat),
        indicators=indicators,
    )


def _indicators(c: _Checker, directory: Path, year: int, raw: dict, referenced: bool) -> tuple[Indicator, ...]:
    """The file's own [[indicators]], or those of the year named by indicators_from."""
    if "indicators_from" in raw:
        if "indicators" in raw:
            raise c.fail("indicators_from", "tidak boleh dipakai bersama [[indicators]]")
        if referenced:
            raise c.fail(
                "indicators_from", "tidak boleh berantai: tahun yang dirujuk harus punya [[indicators]] sendiri"
            )
        other = c.integer(raw, "indicators_from")
        if other == year:
            raise c.fail("indicators_from", "tidak boleh merujuk tahunnya sendiri")
        if not (directory / f"{other}.toml").is_file():
            raise c.fail("indicators_from", f"merujuk tahun {other} yang tidak ada berkasnya")
        try:
            return _parse(directory, other, referenced=True).indicators
        except InputError as exc:
            raise InputError(f"Berkas aturan {c.file} (indicators_from = {other}): {exc}") from None

    out: list[Indicator] = []
    seen: set[int] = set()
    for i, t in enumerate(c.tables(raw, "indicators"), start=1):
        where = f" (indikator ke-{i})"
        c.no_unknown(t, {"number", "name", "bobot", "mandatory", "levels"}, where)
        number = c.integer(t, "number", where, minimum=1)
        where = f" (indikator nomor {number})"
        if number in seen:
            raise c.fail("number", f"ganda: nomor {number} muncul lebih dari sekali")
        seen.add(number)
        levels = c.get(t, "levels", where)
        if (
            not isinstance(levels, list)
            or len(levels) != LEVEL_COUNT
            or not all(isinstance(x, str) and x.strip() for x in levels)
        ):
            raise c.fail("levels", f"harus tepat {LEVEL_COUNT} label teks (level 0 sampai {MAX_LEVEL}){where}")
        out.append(
            Indicator(
                number=number,
                name=c.text(t, "name", where),
                bobot=c.number(t, "bobot", where, positive=True),
                mandatory=c.boolean(t, "mandatory", where),
                levels=tuple(x.strip() for x in levels),
            )
        )
    return tuple(out)
