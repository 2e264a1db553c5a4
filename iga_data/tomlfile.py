"""Where the rule files live and how they are read: TOML under ``iga_data/config/``.

A syntax error names the file. Everything derived from these files is cached
with `@derived` and dropped by `refresh()` when a file changes; `refresh()`
also returns the files' fingerprint, which every dashboard cache key includes,
so an edited rule file takes effect without a restart.
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .errors import InputError

# The folder of rule and vocabulary files; always read through config_file(), so tests can point it elsewhere.
CONFIG_DIR = Path(__file__).parent / "config"


def config_file(name: str) -> Path:
    """A file or folder under the config folder ("columns.toml", "rules")."""
    return CONFIG_DIR / name


def read_config(name: str) -> dict[str, Any]:
    """One TOML file of the config folder."""
    return read_toml(config_file(name))


def read_toml(path: Path) -> dict[str, Any]:
    """Read one TOML file; a syntax error names the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"Berkas konfigurasi {path.name} tidak ditemukan.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"Berkas konfigurasi {path.name} tidak valid: {exc}.") from None


F = TypeVar("F", bound=Callable[..., Any])
_DERIVED: list[Any] = []
_state: dict[str, Any] = {"stamp": None, "fingerprint": ""}


def derived(maxsize: int | None = None) -> Callable[[F], F]:
    """`functools.lru_cache` for values derived from the rule files, dropped when one changes."""

    def wrap(fn: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        _DERIVED.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


def _stamp(directory: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in sorted(directory.rglob("*.toml")):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def refresh(directory: Path | None = None) -> str:
    """Drop every derived value when a rule file changed (a few stat calls); return the fingerprint."""
    directory = directory or CONFIG_DIR
    stamp = _stamp(directory)
    if stamp != _state["stamp"]:
        for cached in _DERIVED:
            cached.cache_clear()
        _state.update(stamp=stamp, fingerprint=fingerprint(directory))
    return str(_state["fingerprint"])


def fingerprint(directory: Path | None = None) -> str:
    """A digest of every rule and vocabulary file (name and content): part of every cache key."""
    directory = directory or CONFIG_DIR
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.toml")):
        digest.update(str(path.relative_to(directory)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()[:16]
