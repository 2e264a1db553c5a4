"""The words of the trade, read from ``config/``: column synonyms, unit types, row words, urusan wajib.

Rules that change with the season live in those files, not in code; this
module only loads and checks them, so a typo gives a message naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .tomlfile import derived, read_config


@dataclass(frozen=True)
class Meaning:
    """A header names the field when it has one of `words`, one of `with` and none of `not_words`."""

    words: tuple[str, ...]
    with_words: tuple[str, ...]
    not_words: tuple[str, ...]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    synonyms: tuple[str, ...]
    parent: tuple[str, ...] = ()  # unit columns naming the unit a sub-unit belongs to
    meaning: Meaning | None = None


@derived()
def column_fields() -> tuple[FieldSpec, ...]:
    """The field synonym table from columns.toml, in file order."""
    raw = read_config("columns.toml")
    specs = []
    for name, body in raw.items():
        if not isinstance(body, dict) or not body.get("synonyms"):
            raise InputError(f"columns.toml: kolom '{name}' tidak punya daftar 'synonyms'.")
        m = body.get("meaning")
        try:
            meaning = Meaning(tuple(m["words"]), tuple(m["with"]), tuple(m.get("not", []))) if m else None
        except (KeyError, TypeError):
            raise InputError(f"columns.toml: 'meaning' kolom '{name}' perlu daftar 'words' dan 'with'.") from None
        specs.append(
            FieldSpec(
                name, str(body.get("label", name)), tuple(body["synonyms"]), tuple(body.get("parent", [])), meaning
            )
        )
    return tuple(specs)


def field_label(name: str) -> str:
    """What users call a field: "Nama inovasi" for innovation, "Indikator 16" for ind_16."""
    if name.startswith("ind_"):
        return f"Indikator {name[4:]}"
    return next((f.label for f in column_fields() if f.name == name), name)


@dataclass(frozen=True)
class UnitType:
    code: str
    label: str
    values: tuple[str, ...]
    prefixes: tuple[str, ...]
    canonical: str
    numbered: bool
    urusan: str
    pembina: str  # who answers for units of this type; "{kecamatan}" stands for the unit's kecamatan
    region: tuple[str, ...]  # region-reference levels whose places are units of this type


@derived()
def unit_types() -> tuple[UnitType, ...]:
    """Unit types from unit_types.toml; the first one is the default (OPD)."""
    raw = read_config("unit_types.toml").get("types", [])
    out = []
    for i, t in enumerate(raw):
        try:
            out.append(
                UnitType(
                    code=str(t["code"]),
                    label=str(t.get("label", t["code"])),
                    values=tuple(t.get("values", [])),
                    prefixes=tuple(t.get("prefixes", [])),
                    canonical=str(t.get("canonical", "")),
                    numbered=bool(t.get("numbered", False)),
                    urusan=str(t.get("urusan", "")),
                    pembina=str(t.get("pembina", "")),
                    region=tuple(t.get("region", [])),
                )
            )
        except KeyError as exc:
            raise InputError(f"unit_types.toml: jenis unit ke-{i + 1} tidak punya {exc}.") from None
    if not out:
        raise InputError("unit_types.toml: tidak ada jenis unit.")
    return tuple(out)


def type_codes() -> list[str]:
    return [t.code for t in unit_types()]


def type_labels() -> dict[str, str]:
    """Type code -> label shown to users ("SD" -> "SD Negeri")."""
    return {t.code: t.label for t in unit_types()}


def default_type() -> str:
    return unit_types()[0].code


@dataclass(frozen=True)
class RowWords:
    """Word lists from rows.toml that tell totals, signatures and notes from innovations."""

    not_assessed: frozenset[str]
    not_a_name: tuple[str, ...]
    excel_errors: frozenset[str]  # upper case, as Excel writes them
    totals: tuple[str, ...]
    block_start: tuple[str, ...]
    signature: tuple[str, ...]
    titles_before: tuple[str, ...]
    notes: tuple[str, ...]
    stated_date: tuple[str, ...]
    summary_sheets: tuple[str, ...]


@derived()
def row_words() -> RowWords:
    raw = read_config("rows.toml")
    try:
        return RowWords(
            not_assessed=frozenset(str(w).strip().lower() for w in raw["not_assessed"]),
            excel_errors=frozenset(str(w).strip().upper() for w in raw["excel_errors"]),
            **{
                k: tuple(str(w) for w in raw[k])
                for k in (
                    "totals",
                    "block_start",
                    "signature",
                    "titles_before",
                    "notes",
                    "not_a_name",
                    "stated_date",
                    "summary_sheets",
                )
            },
        )
    except KeyError as exc:
        raise InputError(f"rows.toml: daftar {exc} tidak ada.") from None


@derived()
def urusan_must_cover() -> tuple[str, ...]:
    """Urusan wajib the local drive singles out (Pendidikan): each must have an innovation."""
    return tuple(read_config("urusan.toml").get("must_cover", []))


@derived()
def urusan_short_names() -> dict[str, str]:
    """Urusan wajib name -> the short label charts use ("PUPR")."""
    raw = read_config("urusan.toml").get("urusan_wajib", [])
    return {str(u["name"]): str(u.get("short", u["name"])) for u in raw}


@derived()
def urusan_wajib() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The six urusan wajib pelayanan dasar with their aliases."""
    raw = read_config("urusan.toml").get("urusan_wajib", [])
    return tuple((str(u["name"]), tuple(u["aliases"])) for u in raw)
