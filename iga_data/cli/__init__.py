"""Command line: `python -m iga_data <command>`, one module per group of commands.

Every failure caused by input prints one Indonesian line on stderr and exits with status 2; nothing stored is
changed.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from ..errors import InputError
from . import admin, data, readiness, roster
from .common import Parser, argparse_in_indonesian


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m iga_data", description="Dasbor Kesiapan IGA — perintah baris.")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", required=True, parser_class=Parser)
    for group in (readiness, data, admin, roster):
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if not os.environ.get("IGA_DEBUG"):  # the reader's and backups' warnings are for server logs, not for a CLI line
        logging.getLogger("iga_data").setLevel(logging.ERROR)
    try:
        with argparse_in_indonesian():
            args = build_parser().parse_args(argv)
        return args.func(args)
    except InputError as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 -- stays open until exit, so later prints go nowhere
        return 0
    except Exception as exc:  # never a traceback for users; IGA_DEBUG=1 shows it
        if os.environ.get("IGA_DEBUG"):
            raise
        print(
            f"galat: terjadi kesalahan tak terduga ({type(exc).__name__}); tidak ada data yang diubah. "
            "Jalankan lagi dengan IGA_DEBUG=1 untuk rinciannya.",
            file=sys.stderr,
        )
        return 2
