"""The local rules in force for one computation: threshold, units' quota, deadline, target, SPD.

Defaults live in ``config/settings.toml``; Pengaturan stores overrides in the
database. The scales a setting is checked against come from the IID rule set
of the chosen year (rules.py), never from numbers written here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .rules import RuleSet, available_years, load_rules
from .tomlfile import derived, read_config


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
    spd_low: float
    spd_high: float
    target_iid: float
    city: str
    flagship: tuple[str, ...]

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
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
                spd_low=float(v["spd_low"]),
                spd_high=float(v["spd_high"]),
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
        years = available_years()
        if self.rule_year not in years:
            raise InputError(
                f"Pengaturan tidak valid: aturan IID tahun {self.rule_year} tidak ada "
                f"(tersedia: {', '.join(map(str, years)) or 'tidak ada'})."
            )
        rules = load_rules(self.rule_year)
        problems = []
        if not 0 <= self.threshold <= rules.max_per_innovation:
            problems.append(f"ambang skor harus di antara 0 dan {rules.max_per_innovation:g}")
        if not 1 <= self.required_per_unit <= 20:
            problems.append("jumlah inovasi wajib per unit harus 1 sampai 20")
        if not 0 <= self.spd <= rules.spd_max:
            problems.append(f"skor SPD harus di antara 0 dan {rules.spd_max:g}")
        elif not 0 <= self.spd_low <= self.spd <= self.spd_high <= rules.spd_max:
            problems.append(
                f"rentang SPD yang masuk akal harus memuat perkiraan SPD dan berada di antara 0 dan {rules.spd_max:g}"
            )
        if not 0 <= self.target_iid <= 100:
            problems.append("target IID harus di antara 0 dan 100")
        if self.target_rank < 1:
            problems.append("target peringkat minimal 1")
        if not self.city:
            problems.append("Nama Pemda tidak boleh kosong")
        if problems:
            raise InputError("Pengaturan tidak valid: " + "; ".join(problems) + ".")

    @property
    def rules(self) -> RuleSet:
        """The IID rule set of the chosen year: the scales every figure is on (111 per innovation, SPD 63 …)."""
        return load_rules(self.rule_year)

    def to_mapping(self) -> dict[str, Any]:
        """Plain values (JSON-friendly) for storage and display."""
        out = dataclasses.asdict(self)
        out["deadline"] = self.deadline.isoformat()
        out["flagship"] = list(self.flagship)
        return out

    def replace(self, **changes: Any) -> Settings:
        return Settings.from_mapping({**self.to_mapping(), **changes})


@derived()
def default_settings() -> Settings:
    return Settings.from_mapping(read_config("settings.toml"))


def season_deadline(settings: Settings, season: int) -> dt.date:
    """The deadline to offer for an IGA year: the one in force, moved to that year when it is another (a guess
    the operator is asked to check against the year's circular)."""
    try:
        return settings.deadline.replace(year=season)
    except ValueError:  # 29 February
        return settings.deadline.replace(year=season, day=28)
