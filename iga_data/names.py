"""Unit and innovation names reduced to comparable keys, and unit types told from text.

"SD Negeri 05 Kota Bengkulu", "SDN 5" and "SD N 5" all become "sd negeri 5";
"Kel. Pasar Jitra" and "Lurah Pasar Jitra" become "kelurahan pasar jitra".
The prefixes and type words come from config/unit_types.toml, other ways of
writing a name ("Inspektorat Daerah", "Bagian Hukum Setda") from
config/names.toml, and the short forms ("Dinkes") from config/opd_template.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .parsing import is_excel_error
from .tomlfile import derived, read_config
from .vocabulary import UnitType, row_words, unit_types

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PROVINCE = re.compile(r"\s+provinsi\s.*$")  # "Dinas Kesehatan Kota Bengkulu Provinsi Bengkulu"


def norm_text(text: object) -> str:
    """Lower case, '&' = 'dan', punctuation as spaces, single spaces."""
    s = str(text).lower().replace("&", " dan ")
    return " ".join(_NON_ALNUM.sub(" ", s).split())


def compact_key(text: object) -> str:
    """Letters and digits only: the key for header labels, short names and innovations."""
    return _NON_ALNUM.sub("", str(text).lower().replace("&", "dan"))


def innovation_keys(names: pd.Series) -> pd.Series:
    """Two rows name the same innovation when this key is equal (case, spacing, punctuation ignored).

    `compact_key` for a whole column, vectorised: innovation names are nearly all distinct.
    """
    lowered = names.astype(str).str.lower().str.replace("&", "dan", regex=False)
    return lowered.str.replace(r"[^0-9a-z]+", "", regex=True)


@dataclass(frozen=True)
class UnitName:
    """A unit name reduced for matching.

    key:  canonical full name ("kelurahan pasar jitra", "dinas kesehatan")
    bare: the name without its type prefix ("pasar jitra"); equals key for OPD
    type: the type the name itself says (None when it says none)
    """

    key: str
    bare: str
    type: str | None


def _prefix_pattern(t: UnitType) -> re.Pattern[str] | None:
    if not t.prefixes:
        return None
    alts = "|".join(r"\s+".join(re.escape(tok) for tok in p.split()) for p in sorted(t.prefixes, key=len, reverse=True))
    if t.numbered:  # "sd negeri 05", "sdn 5", "sd negeri no 5"
        return re.compile(rf"^(?:{alts})\s*(?:no\s*)?0*(?P<num>\d+)(?P<rest>(?:\s.*)?)$")
    return re.compile(rf"^(?:{alts})\s+(?P<bare>.+)$")


@derived()
def _patterns() -> tuple[tuple[UnitType, re.Pattern[str]], ...]:
    return tuple((t, p) for t in unit_types() if (p := _prefix_pattern(t)) is not None)


def _same_pattern(written: str) -> re.Pattern[str]:
    """ "bagian {x} setda" as a pattern over normalised names, "{x}" standing for the rest."""
    before, x, after = written.partition("{x}")
    parts = [
        " ".join(map(re.escape, norm_text(before).split())),
        "(?P<x>.+)" if x else "",
        " ".join(map(re.escape, norm_text(after).split())),
    ]
    return re.compile("^" + " ".join(p for p in parts if p) + "$")


@derived()
def _same_names() -> tuple[tuple[re.Pattern[str], str], ...]:
    """names.toml `same`: each written form as a pattern, with what it is read as."""
    return tuple(
        (_same_pattern(str(written)), str(means).replace("{x}", r"\g<x>"))
        for written, means in read_config("names.toml").get("same", [])
    )


@derived()
def _place_bracket() -> re.Pattern[str]:
    """A trailing bracket that only says where the unit is: "(Kec. Teluk Segara)"."""
    words = "|".join(map(re.escape, read_config("names.toml").get("place_brackets", []))) or "(?!)"
    return re.compile(rf"\(\s*(?:{words})\b[^()]*\)\s*$", re.IGNORECASE)


def _read_as(s: str) -> str:
    """A normalised name as the first `same` rule that fits it reads it ("inspektorat daerah" -> "inspektorat")."""
    for pattern, means in _same_names():
        if pattern.match(s):
            return pattern.sub(means, s)
    return s


@derived(maxsize=65536)
def unit_name(raw: str, city: str = "") -> UnitName:
    """Reduce one written unit name; `city` is stripped when it ends the name."""
    raw = _place_bracket().sub("", raw) or raw
    s = _PROVINCE.sub("", norm_text(raw)) or norm_text(raw)
    suffix = norm_text(city) if city else ""
    if suffix and s.endswith(" " + suffix):
        s = s[: -len(suffix) - 1]
    s = _read_as(s)
    # "sdn05" -> "sdn 05": school numbers glued to their prefix.
    s = re.sub(r"(?<=[a-z])(?=\d)", " ", s)
    for t, pattern in _patterns():
        m = pattern.match(s)
        if not m:
            continue
        if t.numbered:
            bare = (str(int(m["num"])) + m["rest"]).strip()
        else:
            bare = m["bare"].strip()
        return UnitName(key=f"{t.canonical} {bare}", bare=bare, type=t.code)
    return UnitName(key=s, bare=s, type=None)


def typed_key(bare: str, utype: str) -> str:
    """The key of a bare name ("pasar jitra") read as a unit of `utype` ("kelurahan pasar jitra")."""
    for t in unit_types():
        if t.code == utype and t.canonical:
            return unit_name(f"{t.canonical} {bare}").key
    return bare


def key_as(name: UnitName, utype: str) -> str:
    """The key of a written name known to be a unit of `utype`: a bare "Pasar Jitra" on a
    kelurahan sheet is "kelurahan pasar jitra"; a name that says its own type keeps it."""
    return name.key if name.type else typed_key(name.bare, utype)


def keys_as(names: Iterable[str], types: Iterable[str], city: str = "") -> list[str]:
    """`key_as` for each written name and the type it is known to have (a roster's key column)."""
    return [key_as(unit_name(n, city), t) for n, t in zip(names, types)]


@derived()
def _type_words() -> tuple[tuple[str, str], ...]:
    """(normalised type word, type code), longest words first."""
    pairs = [(norm_text(v), t.code) for t in unit_types() for v in (t.values or ())]
    pairs += [(norm_text(t.code), t.code) for t in unit_types()]
    return tuple(sorted(set(pairs), key=lambda p: len(p[0]), reverse=True))


@derived(maxsize=4096)
def type_from_label(label: object) -> str | None:
    """The unit type a 'Jenis Unit' cell or a sheet name names, or None.

    An exact type word wins; otherwise the type words found as whole words
    must all point to one type ("Data Kelurahan" -> Kelurahan, "SD & SMP" -> None).
    """
    s = norm_text(label)
    if not s:
        return None
    for word, code in _type_words():
        if s == word:
            return code
    padded = f" {s} "
    found = {code for word, code in _type_words() if f" {word} " in padded}
    return found.pop() if len(found) == 1 else None


# ------------------------------------------------------------------ names that name nothing, short forms, logins


@derived()
def _not_a_name() -> frozenset[str]:
    return frozenset(norm_text(w) for w in row_words().not_a_name)


@derived(maxsize=65536)
def names_nothing(text: str) -> bool:
    """Whether a unit or innovation cell names nothing: "-", "--", "–", "n/a", "tidak ada", "#N/A"."""
    key = norm_text(text)
    return not key or key in _not_a_name() or is_excel_error(text)


_TYPE_WORDS = ("dinas", "badan", "kantor", "bagian", "sekretariat", "satuan")


@derived()
def short_forms() -> dict[str, str]:
    """Compact short form ("dinkes", "satpolpp") -> key of the full name, from opd_template.toml's `short`
    and `also`. A form two entries share stands for neither."""
    found: dict[str, set[str]] = {}
    for entry in read_config("opd_template.toml").get("opd", []):
        full = unit_name(str(entry.get("name", ""))).key
        for form in [entry.get("short", ""), *entry.get("also", [])]:
            if (key := compact_key(form)) and full:
                found.setdefault(key, set()).add(full)
    return {form: fulls.pop() for form, fulls in found.items() if len(fulls) == 1}


def expand_short(raw: str) -> str | None:
    """The full name key a short form stands for: "Dinkes" and "Dinas Kes" -> "dinas kesehatan";
    "Dinas PUPR" (a type word before a short form of that type) -> "dinas pekerjaan umum dan penataan ruang"."""
    forms = short_forms()
    if (full := forms.get(compact_key(raw))) is not None:
        return full
    first, _, rest = norm_text(raw).partition(" ")
    if first in _TYPE_WORDS and rest and (full := forms.get(compact_key(rest))) is not None:
        return full if full.split(" ", 1)[0] == first else None
    return None


_LOGIN = re.compile(r"^[a-z0-9]+(?:[_.][a-z0-9]+)+$", re.IGNORECASE)


@derived()
def _login_pemda() -> tuple[str, ...]:
    return tuple(norm_text(w) for w in read_config("names.toml").get("login_pemda", []))


def login_unit(raw: str) -> str | None:
    """The unit part of a portal login name: "dinkes_kotabkl" -> "dinkes", "pkm.jalangedang.kotabkl" ->
    "pkm jalangedang"; None when the name is not a login or its last part does not name a Pemda."""
    text = raw.strip()
    if not _LOGIN.match(text):
        return None
    *unit, pemda = re.split(r"[_.]", text.lower())
    return " ".join(unit) if pemda.startswith(_login_pemda()) else None
