"""What every command shares: argparse in Indonesian with errors as InputError, and the options and
readers of files, settings and the database they all use."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from ..aliases import Alias, read_alias_file
from ..errors import InputError
from ..ingest import Prepared, data_dates
from ..pipeline import Summary
from ..reading import Source
from ..roster import Roster, read_roster
from ..settings import Settings, default_settings
from ..storage import Store, default_db_path
from ..wording import text_summary

# argparse's own messages (its gettext msgids) in Indonesian, looked up by id, never by rewriting English text.
ARGPARSE_MESSAGES = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen",
    "options": "pilihan",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "the following arguments are required: %s": "wajib diisi: %s",
    "unrecognized arguments: %s": "tidak dikenal: %s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "harus berupa angka, bukan %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r bukan pilihan (pilih %(choices)s)",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu minimal satu nilai",
    "expected %s argument": "perlu %s nilai",
    "expected %s arguments": "perlu %s nilai",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s ambigu: bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh dipakai bersama %s",
    "one of the arguments %s is required": "salah satu dari %s wajib diisi",
    "ignored explicit argument %r": "nilai %r tidak dipakai",
    "can't open '%(filename)s': %(error)s": "berkas '%(filename)s' tidak dapat dibuka: %(error)s",
}


@contextlib.contextmanager
def argparse_in_indonesian() -> Iterator[None]:
    """argparse translates through its module-level gettext hooks `_` and `ngettext`; point them at our catalog
    while the parser is built and used (the CLI is single-threaded)."""
    hooks = vars(argparse)
    saved = hooks["_"], hooks["ngettext"]
    hooks["_"] = lambda message: ARGPARSE_MESSAGES.get(message, message)
    hooks["ngettext"] = lambda one, many, n: ARGPARSE_MESSAGES.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        hooks["_"], hooks["ngettext"] = saved


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors become InputError (one Indonesian line, exit status 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # "--r" is neither --roster nor --required
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise InputError(f"argumen tidak valid: {message}; lihat `{self.prog} --help`.")


def settings_from(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    base = base or default_settings()
    changes: dict[str, Any] = {}
    if getattr(args, "threshold", None) is not None:
        changes["threshold"] = args.threshold
    if getattr(args, "required", None) is not None:
        changes["required_per_unit"] = args.required
    return base.replace(**changes) if changes else base


def roster_from(path: str | None, settings: Settings) -> Roster | None:
    return read_roster(Source.from_path(path), settings.city) if path else None


def print_summary(summary: Summary, files: list[str], form: str, as_of: dt.datetime | None = None) -> None:
    if form == "json":
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(text_summary(summary, files, as_of))


def open_store(path: str, must_exist: bool = True) -> Store:
    """Open a database; a missing one is an error unless we are about to write to it."""
    if must_exist and not Path(path).is_file():
        raise InputError(
            f"Basis data {path} tidak ditemukan; periksa --db atau IGA_DATA_DIR, atau simpan data "
            "dulu dengan `python -m iga_data ingest`."
        )
    return Store(path)


def as_of_arg(text: str | None, prepared: Prepared | None = None) -> dt.datetime:
    """--as-of, else what the files say about themselves (the date they state, else their latest input),
    else now: the same default as Unggah Data."""
    if not text:
        now = dt.datetime.now().replace(microsecond=0)
        return next(iter(data_dates(prepared, now).values())) if prepared is not None else now
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--as-of '{text}' bukan tanggal; tulis seperti 2024-07-10 atau 2024-07-10T16:00.") from None
    # Snapshots are compared in local time; "2024-07-10T16:00+07:00" becomes this machine's clock time.
    return value.astimezone().replace(tzinfo=None) if value.tzinfo else value


def alias_file(path: str | None) -> tuple[Alias, ...]:
    return read_alias_file(Source.from_path(path)) if path else ()


def db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=str(default_db_path()), metavar="PATH", help="bawaan: $IGA_DATA_DIR/iga.db")


def rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--threshold", type=float, metavar="N", help="skor minimal (skala kematangan aturan IID)")
    p.add_argument("--required", type=int, metavar="N", help="inovasi wajib per unit")
