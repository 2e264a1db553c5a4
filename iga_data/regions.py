"""The official list of regions: every kabupaten/kota (a Pemda), its kecamatan and kelurahan/desa.

Read from reference/wilayah.tsv.gz, built by tools/build_regions.py from the Kepmendagri 2025
region-code workbook (CC BY 4.0; NOTICE and LICENSE beside it). Names are as published, OCR
slips included ("Bumu Ayu"): the roster comparison lists them instead of this module hiding them.
Codes nest by prefix ("17" province, "17.71" Pemda, "17.71.01" kecamatan, "17.71.01.1004"
village), so a Pemda's places are one contiguous run of the sorted codes.
"""

from __future__ import annotations

import bisect
import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from .errors import InputError
from .names import keys_as, norm_text, unit_name
from .vocabulary import unit_types

REFERENCE_DIR = Path(__file__).parent / "reference"
REFERENCE_FILE = REFERENCE_DIR / "wilayah.tsv.gz"
LICENSE_FILE = REFERENCE_DIR / "LICENSE"
NOTICE_FILE = REFERENCE_DIR / "NOTICE"
SOURCE = (
    "Kepmendagri No. 300.2.2-2138 Tahun 2025 tentang Kode, Data Wilayah Administrasi Pemerintahan dan "
    "Pulau, OCR edition published in github.com/yonatanyl/KODE-WILAYAH-KEPMENDAGRI-2025 (commit e312223)"
)
ATTRIBUTION = (
    "Data wilayah: Kepmendagri No. 300.2.2-2138 Tahun 2025 (hasil OCR, "
    "github.com/yonatanyl/KODE-WILAYAH-KEPMENDAGRI-2025), lisensi CC BY 4.0. Ejaan dipakai apa adanya."
)
# The first digit of a village's own code part says what it is (checked when the reference is built).
KIND_BY_DIGIT = {"1": "kelurahan", "2": "desa", "3": "desa adat"}
KECAMATAN = "kecamatan"  # the reference level of kecamatan, as unit types name it (`region` field)
KOTA_DIGIT = "7"  # "17.71": a 7 after the dot is a kota
_LENGTHS = {"province": 2, "pemda": 5, "kecamatan": 8, "village": 13}
# How people write the kind of Pemda before its name: "Kab. Rejang Lebong", "Pemkot Bengkulu".
_KIND_WORDS = {"kabupaten": "kabupaten", "kab": "kabupaten", "pemkab": "kabupaten", "kota": "kota", "pemkot": "kota"}
SUGGESTIONS = 5


@dataclass(frozen=True)
class Pemda:
    """A kabupaten or kota: code "17.71", name "Kota Bengkulu", its province."""

    code: str
    name: str
    province_code: str
    province: str

    @property
    def kind(self) -> str:
        return _kind(self.code)

    @property
    def label(self) -> str:
        """'Kota Bengkulu (17.71), Bengkulu': what a list of choices shows."""
        return f"{self.name} ({self.code}), {self.province}"


@dataclass(frozen=True)
class _Reference:
    codes: list[str]
    names: list[str]
    provinces: dict[str, str]
    pemda: tuple[Pemda, ...]


def _kind(code: str) -> str:
    return "Kota" if code[3] == KOTA_DIGIT else "Kabupaten"


def _pemda_name(code: str, written: str) -> str:
    """'Kabupaten Timor Tengah Selatan' for the reference's 'Kab Timor Tengah Selatan': the kind comes from
    the code, the rest is kept as written."""
    words = written.split()
    if words and _KIND_WORDS.get(norm_text(words[0])):
        words = words[1:]
    return " ".join([_kind(code), *words])


@cache
def _reference() -> _Reference:
    try:
        lines = gzip.decompress(REFERENCE_FILE.read_bytes()).decode("utf-8").splitlines()[1:]
    except (OSError, EOFError) as exc:
        raise InputError(
            f"Data wilayah {REFERENCE_FILE.name} tidak dapat dibaca ({exc}); "
            "bangun ulang dengan `python tools/build_regions.py`."
        ) from None
    codes, names = [], []
    for line in lines:
        code, _, name = line.partition("\t")
        codes.append(code)
        names.append(name)
    provinces = {c: n for c, n in zip(codes, names) if len(c) == _LENGTHS["province"]}
    pemda = tuple(
        Pemda(c, _pemda_name(c, n), c[:2], provinces[c[:2]])
        for c, n in zip(codes, names)
        if len(c) == _LENGTHS["pemda"]
    )
    return _Reference(codes, names, provinces, pemda)


def provinces() -> dict[str, str]:
    """Province code -> name, in code order."""
    return dict(_reference().provinces)


def pemda_list(province_code: str | None = None) -> list[Pemda]:
    """Every kabupaten/kota, or those of one province, in code order."""
    return [p for p in _reference().pemda if province_code is None or p.province_code == province_code]


def _query(text: str) -> str:
    """'Pemerintah Kab. Rejang Lebong' -> 'kabupaten rejang lebong'."""
    words = norm_text(text).split()
    if words[:1] == ["pemerintah"]:
        words = words[1:]
    if words and words[0] in _KIND_WORDS:
        words[0] = _KIND_WORDS[words[0]]
    return " ".join(words)


def _bare(p: Pemda) -> str:
    return norm_text(p.name).split(" ", 1)[1]


def search_pemda(text: str) -> list[Pemda]:
    """Pemda whose name, or whose province's name, contains the text; the closest first
    (the whole name, then the name without Kabupaten/Kota, then the start of a name)."""
    q = _query(text)
    if not q:
        return pemda_list()
    ranked = []
    for p in _reference().pemda:
        full, bare, province = norm_text(p.name), _bare(p), norm_text(p.province)
        rank = (
            0
            if q == full
            else 1
            if q == bare
            else 2
            if full.startswith(q) or bare.startswith(q)
            else 3
            if q in full
            else 4
            if q in province
            else None
        )
        if rank is not None:
            ranked.append((rank, p.code, p))
    return [p for *_, p in sorted(ranked, key=lambda r: r[:2])]


def suggest_pemda(text: str, limit: int = SUGGESTIONS) -> list[Pemda]:
    """The Pemda whose names are closest to a name that matches none (typos, a missing word)."""
    q = _query(text)
    every = _reference().pemda
    scores = [max(fuzz.ratio(q, norm_text(p.name)), fuzz.ratio(q, _bare(p))) for p in every]
    ranked = sorted(range(len(every)), key=lambda i: (-scores[i], every[i].code))
    return [every[i] for i in ranked[:limit]]


def find_pemda(text: str) -> Pemda:
    """The one Pemda a name means ("Kota Bengkulu", "kab. rejang lebong", "Rejang Lebong");
    InputError naming the closest ones when it means none, or several ("Kupang")."""
    q = _query(text)
    every = _reference().pemda
    exact = [p for p in every if norm_text(p.name) == q] or [p for p in every if _bare(p) == q]
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise InputError(f"'{text}' dapat berarti {' atau '.join(p.name for p in exact)}; tulis nama lengkapnya.")
    close = "; ".join(f"{p.name} ({p.code})" for p in suggest_pemda(text))
    raise InputError(f"Pemda '{text}' tidak ada di data wilayah Kepmendagri 2025. Yang paling mirip: {close}.")


def _places(prefix: str, length: int) -> tuple[list[str], list[str]]:
    """Codes and names of the places under `prefix` whose codes have `length` characters."""
    ref = _reference()
    start = bisect.bisect_left(ref.codes, prefix + ".")
    end = bisect.bisect_left(ref.codes, prefix + "/")  # "/" sorts right after "."
    pairs = [(c, n) for c, n in zip(ref.codes[start:end], ref.names[start:end]) if len(c) == length]
    return [c for c, _ in pairs], [n for _, n in pairs]


def kecamatan_of(pemda: Pemda) -> pd.DataFrame:
    """The Pemda's kecamatan in code order: code, name."""
    codes, names = _places(pemda.code, _LENGTHS["kecamatan"])
    return pd.DataFrame({"code": codes, "name": names}, dtype=object)


def villages_of(pemda: Pemda) -> pd.DataFrame:
    """The Pemda's kelurahan and desa in code order: code, name, kind (kelurahan / desa / desa adat),
    kecamatan_code, kecamatan."""
    codes, names = _places(pemda.code, _LENGTHS["village"])
    kecamatan = dict(zip(*_places(pemda.code, _LENGTHS["kecamatan"])))
    return pd.DataFrame(
        {
            "code": codes,
            "name": names,
            "kind": [KIND_BY_DIGIT[c[9]] for c in codes],
            "kecamatan_code": [c[:8] for c in codes],
            "kecamatan": [kecamatan[c[:8]] for c in codes],
        },
        dtype=object,
    )


def place_unit_name(place: str, utype: str) -> str:
    """A place as a unit of `utype`: "Bumu Ayu" -> "Kelurahan Bumu Ayu"; a name that already says its
    type ("Desa Adat Yoboi" as a Desa) is kept."""
    if unit_name(place).type == utype:
        return place
    label = next(t.label for t in unit_types() if t.code == utype)
    return f"{label} {place}"


def region_units(pemda: Pemda) -> pd.DataFrame:
    """The Pemda's places that are units (types with a `region` in config/unit_types.toml): name, type,
    kecamatan, code, renamed.

    Two places that would get the same roster name (a "Suka Rami" in two kecamatan) are told apart by
    their kecamatan, and by their code when even that repeats; `renamed` marks them.
    """
    levels = {level: t.code for t in unit_types() for level in t.region}
    kec = kecamatan_of(pemda).assign(kind=KECAMATAN, kecamatan=lambda f: f["name"])
    places = pd.concat([kec, villages_of(pemda)], ignore_index=True)
    places = places[places["kind"].isin(list(levels))]
    units = pd.DataFrame(
        {"type": places["kind"].map(levels), "kecamatan": places["kecamatan"], "code": places["code"]}
    ).reset_index(drop=True)
    units["name"] = [place_unit_name(p, t) for p, t in zip(places["name"], units["type"])]
    units["renamed"] = False
    for suffix in (lambda u: f" Kecamatan {u.kecamatan}", lambda u: f" {u.code}"):
        repeated = pd.Series(keys_as(units["name"], units["type"], pemda.name)).duplicated(keep=False).to_numpy()
        units.loc[repeated, "name"] = [
            n + suffix(u) for n, u in zip(units.loc[repeated, "name"], units[repeated].itertuples())
        ]
        units["renamed"] |= repeated
    return units[["name", "type", "kecamatan", "code", "renamed"]]
