"""Command line: `python -m iga_data <command>`.

Every failure caused by input prints one Indonesian line on stderr and exits
with status 2; nothing stored is changed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any, Sequence

from .config import Settings, default_settings
from .errors import InputError
from .pipeline import analyse_sources
from .reading import Source
from .reports import text_summary
from .roster import Roster, read_roster


_ARGPARSE_WORDS = [
    (re.compile(r"the following arguments are required: "), "wajib diisi: "),
    (re.compile(r"unrecognized arguments: "), "tidak dikenal: "),
    (re.compile(r"argument (\S+): invalid (\w+) value: "), r"\1 harus berupa angka, bukan "),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"), r"\1: \2 bukan pilihan (\3)"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1 perlu satu nilai"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Indonesian and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, words in _ARGPARSE_WORDS:
            message = pattern.sub(words, message)
        raise InputError(f"argumen tidak valid: {message}; lihat `{self.prog} --help`.")


def _settings(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    base = base or default_settings()
    changes: dict[str, Any] = {}
    if getattr(args, "threshold", None) is not None:
        changes["threshold"] = args.threshold
    if getattr(args, "required", None) is not None:
        changes["required_per_unit"] = args.required
    return base.replace(**changes) if changes else base


def _roster(path: str | None, settings: Settings) -> Roster | None:
    return read_roster(Source.from_path(path), settings.city) if path else None


def _print_summary(summary: dict[str, Any], files: list[str], form: str) -> None:
    if form == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(text_summary(summary, files))


def cmd_report(args: argparse.Namespace) -> int:
    settings = _settings(args)
    roster = _roster(args.roster, settings)
    sources = [Source.from_path(p) for p in args.files]
    analysis = analyse_sources(sources, roster, settings)
    _print_summary(analysis.summary(), [s.name for s in sources], args.format)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m iga_data", description="Dasbor Kesiapan IGA — perintah baris.")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", required=True, parser_class=_Parser)

    report = sub.add_parser("report", help="ringkasan kesiapan dari berkas ekspor")
    report.add_argument("files", nargs="+", metavar="BERKAS", help="ekspor .xlsx/.xlsm/.xls/.csv")
    report.add_argument("--roster", metavar="BERKAS", help="daftar unit yang wajib mengunggah")
    report.add_argument("--threshold", type=float, metavar="N", help="skor minimal (skala 0–111)")
    report.add_argument("--required", type=int, metavar="N", help="inovasi wajib per unit")
    report.add_argument("--format", choices=["text", "json"], default="text")
    report.set_defaults(func=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except InputError as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for users; IGA_DEBUG=1 shows it
        if os.environ.get("IGA_DEBUG"):
            raise
        print(f"galat: berkas tidak dapat diproses ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return 2
