"""Where the rule files live and how they are read: TOML under ``iga_data/config/``.

A syntax error names the file; `fingerprint()` changes whenever any of them
changes, so caches keyed on it follow an edited rule file without a restart.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

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


def fingerprint(directory: Path = CONFIG_DIR) -> str:
    """A digest of every rule and vocabulary file (name and content): part of every cache key."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.toml")):
        digest.update(str(path.relative_to(directory)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()[:16]
