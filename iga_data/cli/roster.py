"""Commands that build a roster from the official region list: roster pemda, roster build."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .. import fmt
from ..errors import InputError
from ..reading import Source
from ..regions import find_pemda, search_pemda, suggest_pemda
from ..roster_build import build_roster, list_units, opd_template
from ..vocabulary import type_labels
from .common import (
    Parser,
)


def cmd_roster_pemda(args: argparse.Namespace) -> int:
    """Pemda whose name (or province) matches, with their region codes."""
    found = search_pemda(args.search)
    if not found:
        close = "; ".join(f"{p.name} ({p.code})" for p in suggest_pemda(args.search))
        raise InputError(f"tidak ada Pemda yang cocok dengan '{args.search}'. Yang paling mirip: {close}.")
    if args.format == "json":
        print(
            json.dumps(
                [{"code": p.code, "name": p.name, "kind": p.kind, "province": p.province} for p in found],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for p in found:
            print(f"{p.code}  {p.name} ({p.province})")
    return 0


def cmd_roster_build(args: argparse.Namespace) -> int:
    """A roster .xlsx for a Pemda: its kecamatan and kelurahan/desa, the OPD template, the operator's lists."""
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"--out {args.out}: daftar unit ditulis sebagai berkas .xlsx.")
    if not out.parent.is_dir():
        raise InputError(f"Folder {out.parent} tidak ada; buat dulu atau pilih folder lain untuk --out.")
    pemda = find_pemda(args.pemda)
    lists, notes = [], []
    for path, assumed in ((args.schools, None), (args.puskesmas, "Puskesmas")):
        if path:
            units, found = list_units(Source.from_path(path), assumed)
            lists.append(units)
            notes += found
    built = build_roster(pemda, opd_template(pemda.kind) if args.opd_template else None, lists, notes)
    try:
        out.write_bytes(built.workbook())
    except OSError as exc:
        raise InputError(f"{out} tidak dapat ditulis: {exc.strerror}.") from None
    labels = type_labels()
    counts = ", ".join(f"{fmt.num(n)} {labels[t]}" for t, n in built.counts().items())
    print(f"Daftar unit {pemda.name}: {fmt.num(len(built.units))} unit ({counts}) ditulis ke {out}.")
    for note in built.notes:
        print(note, file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    """Add this group's commands to the `python -m iga_data` parser."""
    roster = sub.add_parser("roster", help="daftar unit dari data wilayah Kepmendagri 2025")
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="PERINTAH", required=True, parser_class=Parser)
    pemda = roster_sub.add_parser("pemda", help="cari Pemda (kabupaten/kota) dan kodenya")
    pemda.add_argument("--search", required=True, metavar="TEKS", help="nama Pemda atau provinsi, mis. 'Bengkulu'")
    pemda.add_argument("--format", choices=["text", "json"], default="text")
    pemda.set_defaults(func=cmd_roster_pemda)
    build = roster_sub.add_parser("build", help="susun daftar unit sebuah Pemda sebagai .xlsx")
    build.add_argument("--pemda", required=True, metavar="NAMA", help="mis. 'Kota Bengkulu', 'Kab. Rejang Lebong'")
    build.add_argument("--opd-template", action="store_true", help="sertakan perangkat daerah baku")
    build.add_argument(
        "--schools", metavar="BERKAS", help="daftar sekolah (Nama Sekolah, Bentuk Pendidikan, Kecamatan)"
    )
    build.add_argument("--puskesmas", metavar="BERKAS", help="daftar puskesmas (Nama Puskesmas, Kecamatan)")
    build.add_argument("--out", required=True, metavar="BERKAS", help="berkas .xlsx yang ditulis")
    build.set_defaults(func=cmd_roster_build)
