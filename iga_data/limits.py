"""Limits of the shared server, read from ``config/limits.toml``: file sizes, the reader's memory
and time, login slowing, session idle time, backups.

They are data so an administrator can tune them without touching code: the environment
variable IGA_LIMITS names a TOML file with the same sections whose values replace the defaults.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import InputError
from .tomlfile import CONFIG_DIR, read_toml

LIMITS_FILE = CONFIG_DIR / "limits.toml"
ENV_OVERRIDE = "IGA_LIMITS"


@dataclass(frozen=True)
class FileLimits:
    max_file_mb: float
    max_unpacked_mb: float
    max_ratio: float
    max_entries: int
    max_cells: int
    max_columns: int
    max_line_kb: int


@dataclass(frozen=True)
class ReaderLimits:
    memory_mb: int
    timeout_s: float
    parallel: int
    keep_warm_s: float


@dataclass(frozen=True)
class LoginLimits:
    free_attempts: int
    delay_s: float
    max_delay_s: float
    global_free_attempts: int
    global_max_delay_s: float
    reset_minutes: float
    idle_minutes: float
    min_password_length: int


@dataclass(frozen=True)
class BackupLimits:
    folder: str
    keep: int


@dataclass(frozen=True)
class Limits:
    files: FileLimits
    reader: ReaderLimits
    login: LoginLimits
    backup: BackupLimits

    def replace(self, **sections: dict[str, Any]) -> Limits:
        """A copy with some values changed: ``limits.replace(reader={"timeout_s": 5})``."""
        return Limits(
            **{
                f.name: dataclasses.replace(getattr(self, f.name), **sections.get(f.name, {}))
                for f in dataclasses.fields(self)
            }
        )


def _section(cls: type, name: str, values: dict[str, Any], source: str) -> Any:
    """One section, every key present and of the declared type."""
    fields = {f.name: f.type for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(fields))
    missing = sorted(set(fields) - set(values))
    if unknown or missing:
        problem = f"tidak dikenal: {', '.join(unknown)}" if unknown else f"belum diisi: {', '.join(missing)}"
        raise InputError(f"{source}: bagian [{name}] {problem}.")
    checked = {}
    for key, kind in fields.items():
        value = values[key]
        if kind == "str":
            ok = isinstance(value, str) and value.strip() != ""
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
            ok = ok and (kind != "int" or isinstance(value, int))
        if not ok:
            expected = "teks" if kind == "str" else "bilangan bulat positif" if kind == "int" else "angka positif"
            raise InputError(f"{source}: [{name}] {key} harus {expected}, bukan {value!r}.")
        checked[key] = value
    return cls(**checked)


def parse_limits(values: dict[str, Any], source: str = LIMITS_FILE.name) -> Limits:
    """Limits from a mapping shaped like limits.toml; a wrong key or value names the file."""
    sections = {f.name: f.type for f in dataclasses.fields(Limits)}
    unknown = sorted(set(values) - set(sections))
    if unknown:
        raise InputError(f"{source}: bagian tidak dikenal: {', '.join(unknown)}.")
    classes = {"files": FileLimits, "reader": ReaderLimits, "login": LoginLimits, "backup": BackupLimits}
    return Limits(**{name: _section(classes[name], name, dict(values.get(name, {})), source) for name in sections})


@cache
def load_limits() -> Limits:
    """The limits in force: limits.toml, with the file named by IGA_LIMITS on top."""
    values = read_toml(LIMITS_FILE)
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        path = Path(override)
        if not path.is_file():
            raise InputError(f"{ENV_OVERRIDE}={override}: berkas batas tidak ditemukan.")
        for name, section in read_toml(path).items():
            if not isinstance(section, dict):
                raise InputError(f"{path.name}: '{name}' harus bagian seperti [files] atau [reader].")
            values[name] = {**values.get(name, {}), **section}
        return parse_limits(values, f"{LIMITS_FILE.name} + {path.name}")
    return parse_limits(values)
