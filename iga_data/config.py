"""Configuration read from the TOML files in ``iga_data/config/``.

Rules that change with the season (thresholds, deadlines, synonyms, unit
types) live in those files, not in code; this module only loads and checks
them, so a typo in a file gives a message naming the file and the field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Mapping

from .errors import InputError

CONFIG_DIR = Path(__file__).parent / "config"


def read_toml(path: Path) -> dict[str, Any]:
    """Read one TOML file; a syntax error names the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"Berkas konfigurasi {path.name} tidak ditemukan.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"Berkas konfigurasi {path.name} tidak valid: {exc}.") from None


@dataclass(frozen=True)
class Settings:
    """The rules in force for one computation (defaults in settings.toml)."""

    threshold: float
    required_per_unit: int
    deadline: dt.date
    target_rank: int
    season_year: int
    rule_year: int
    spd: float
    target_iid: float
    city: str
    flagship: tuple[str, ...]

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "Settings":
        """Build settings from a mapping, checking every field's type and range."""
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - fields)
        if unknown:
            raise InputError(f"Pengaturan tidak dikenal: {', '.join(unknown)}.")
        missing = sorted(fields - set(values))
        if missing:
            raise InputError(f"Pengaturan belum diisi: {', '.join(missing)}.")
        v = dict(values)
        try:
            deadline = v["deadline"]
            if isinstance(deadline, str):
                deadline = dt.date.fromisoformat(deadline)
            if isinstance(deadline, dt.datetime):
                deadline = deadline.date()
            settings = cls(
                threshold=float(v["threshold"]),
                required_per_unit=int(v["required_per_unit"]),
                deadline=deadline,
                target_rank=int(v["target_rank"]),
                season_year=int(v["season_year"]),
                rule_year=int(v["rule_year"]),
                spd=float(v["spd"]),
                target_iid=float(v["target_iid"]),
                city=str(v["city"]).strip(),
                flagship=tuple(str(x).strip() for x in v["flagship"] if str(x).strip()),
            )
        except (TypeError, ValueError) as exc:
            raise InputError(f"Pengaturan tidak valid: {exc}.") from None
        settings.check()
        return settings

    def check(self) -> None:
        """Reject values that make no sense for the competition; the scales come from the rule year."""
        from .rules import available_years, load_rules  # rules.py reads its files through this module

        problems = []
        years = available_years()
        if self.rule_year in years:
            rules = load_rules(self.rule_year)
            max_score, spd_max = rules.max_per_innovation, rules.spd_max
        else:
            problems.append(f"aturan IID tahun {self.rule_year} tidak ada (tersedia: {', '.join(map(str, years))})")
            max_score, spd_max = 111, 63
        if not 0 <= self.threshold <= max_score:
            problems.append(f"ambang skor harus di antara 0 dan {max_score:g}")
        if not 1 <= self.required_per_unit <= 20:
            problems.append("jumlah inovasi wajib per unit harus 1 sampai 20")
        if not 0 <= self.spd <= spd_max:
            problems.append(f"skor SPD harus di antara 0 dan {spd_max:g}")
        if not 0 <= self.target_iid <= 100:
            problems.append("target IID harus di antara 0 dan 100")
        if self.target_rank < 1:
            problems.append("target peringkat minimal 1")
        if not self.city:
            problems.append("Nama Pemda tidak boleh kosong")
        if problems:
            raise InputError("Pengaturan tidak valid: " + "; ".join(problems) + ".")

    def to_mapping(self) -> dict[str, Any]:
        """Plain values (JSON-friendly) for storage and display."""
        out = dataclasses.asdict(self)
        out["deadline"] = self.deadline.isoformat()
        out["flagship"] = list(self.flagship)
        return out

    def replace(self, **changes: Any) -> "Settings":
        return Settings.from_mapping({**self.to_mapping(), **changes})


@cache
def default_settings() -> Settings:
    return Settings.from_mapping(read_toml(CONFIG_DIR / "settings.toml"))


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    synonyms: tuple[str, ...]


@cache
def column_fields() -> tuple[FieldSpec, ...]:
    """The field synonym table from columns.toml, in file order."""
    raw = read_toml(CONFIG_DIR / "columns.toml")
    specs = []
    for name, body in raw.items():
        if not isinstance(body, dict) or not body.get("synonyms"):
            raise InputError(f"columns.toml: kolom '{name}' tidak punya daftar 'synonyms'.")
        specs.append(FieldSpec(name, str(body.get("label", name)), tuple(body["synonyms"])))
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


@cache
def unit_types() -> tuple[UnitType, ...]:
    """Unit types from unit_types.toml; the first one is the default (OPD)."""
    raw = read_toml(CONFIG_DIR / "unit_types.toml").get("types", [])
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
    totals: tuple[str, ...]
    block_start: tuple[str, ...]
    signature: tuple[str, ...]
    titles_before: tuple[str, ...]
    notes: tuple[str, ...]


@cache
def row_words() -> RowWords:
    raw = read_toml(CONFIG_DIR / "rows.toml")
    try:
        return RowWords(
            not_assessed=frozenset(str(w).strip().lower() for w in raw["not_assessed"]),
            **{k: tuple(str(w) for w in raw[k]) for k in ("totals", "block_start", "signature", "titles_before",
                                                          "notes")},
        )
    except KeyError as exc:
        raise InputError(f"rows.toml: daftar {exc} tidak ada.") from None


@cache
def urusan_must_cover() -> tuple[str, ...]:
    """Urusan wajib the local drive singles out (Pendidikan): each must have an innovation."""
    return tuple(read_toml(CONFIG_DIR / "urusan.toml").get("must_cover", []))


@cache
def urusan_short_names() -> dict[str, str]:
    """Urusan wajib name -> the short label charts use ("PUPR")."""
    raw = read_toml(CONFIG_DIR / "urusan.toml").get("urusan_wajib", [])
    return {str(u["name"]): str(u.get("short", u["name"])) for u in raw}


@cache
def urusan_wajib() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The six urusan wajib pelayanan dasar with their aliases."""
    raw = read_toml(CONFIG_DIR / "urusan.toml").get("urusan_wajib", [])
    return tuple((str(u["name"]), tuple(u["aliases"])) for u in raw)
