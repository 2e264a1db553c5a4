"""Who answers for each unit (its pembina): the roster's Pembina column, else the default of its type.

The defaults are data (`pembina` per type in config/unit_types.toml): SD and SMP answer to the
Dinas Pendidikan, puskesmas to the Dinas Kesehatan, a kelurahan or desa to its kecamatan
("Kecamatan {kecamatan}"), kecamatan and OPD to the Sekretariat Daerah. A unit's kecamatan is the
roster's Kecamatan column, else the region reference's when the Pemda and the place are found there.
"""

from __future__ import annotations

import pandas as pd

from .errors import InputError
from .names import keys_as, norm_text, unit_name
from .parsing import per_unique
from .regions import KECAMATAN, find_pemda, region_units
from .roster import Roster
from .tomlfile import derived
from .vocabulary import unit_types

PLACEHOLDER = "{kecamatan}"


@derived()
def _kecamatan_types() -> frozenset[str]:
    return frozenset(t.code for t in unit_types() if KECAMATAN in t.region)


def kecamatan_name(written: object) -> str:
    """A kecamatan as a roster's Kecamatan column should hold it: "Kec. Selebar" and
    "Kecamatan Selebar" -> "Selebar"; anything else is kept, tidied of spaces."""
    text = " ".join(str(written).split())
    n = unit_name(text)
    if n.type not in _kecamatan_types():
        return text
    words = text.split()
    for i in range(1, len(words)):
        if norm_text(" ".join(words[i:])) == n.bare:
            return " ".join(words[i:])
    return n.bare.title()  # "Kec.Selebar": no space to cut at


def default_pembina(utype: str, kecamatan: str = "") -> str:
    """The pembina of a unit of this type by default; "" when it is the unit's kecamatan and that is unknown."""
    template = next((t.pembina for t in unit_types() if t.code == utype), "")
    if PLACEHOLDER not in template:
        return template
    return template.replace(PLACEHOLDER, kecamatan_name(kecamatan)) if kecamatan.strip() else ""


def _reference_kecamatan(units: pd.DataFrame, city: str) -> pd.Series:
    """Each unit's kecamatan per the region reference (by roster key), "" where the Pemda or place is unknown."""
    try:
        pemda = find_pemda(city)
    except InputError:
        return pd.Series("", index=units.index, dtype=object)
    places = region_units(pemda)
    keys = keys_as(places["name"], places["type"], city)
    return units["key"].map(dict(zip(keys, places["kecamatan"]))).fillna("").astype(object)


def unit_pembina(roster: Roster, city: str) -> pd.Series:
    """Each roster unit's pembina, indexed by unit_key as in Analysis.units ("r<uid>").

    The roster's Pembina column wins; otherwise the type's default, with the kecamatan from the
    roster or, for a Pemda the region reference knows (`city`, e.g. "Kota Bengkulu"), from there.
    "" when neither says.
    """
    u = roster.units
    kecamatan = u["kecamatan"]
    if (missing := kecamatan.str.strip() == "").any():
        kecamatan = kecamatan.where(~missing, _reference_kecamatan(u, city))
    pembina = [p.strip() or default_pembina(t, k) for p, t, k in zip(u["pembina"], u["type"], kecamatan)]
    return pd.Series(pembina, index=("r" + u["uid"].astype(str)).to_numpy(), name="pembina", dtype=object)


def units_pembina(units: pd.DataFrame, roster: Roster | None, city: str) -> tuple[pd.Series, pd.Series]:
    """Pembina and contact of each unit of an analysis (aligned with `units`): from the roster when there is
    one, else the default of the unit's type (a kelurahan's kecamatan unknown then, so "")."""
    if roster is None or not len(roster):
        pembina = per_unique(units["unit_type"], default_pembina).astype(object)
        return pembina, pd.Series("", index=units.index, dtype=object)
    keys = "r" + roster.units["uid"].astype(str)
    contact = dict(zip(keys, roster.units["contact"]))
    return (
        units["unit_key"].map(unit_pembina(roster, city)).fillna("").astype(object),
        units["unit_key"].map(contact).fillna("").astype(object),
    )
