"""Commands that store and manage uploads: ingest, snapshots, aliases, delete/restore/purge-snapshot, seed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .. import fmt, ingest
from ..accounts import Actor
from ..aliases import NOT_IN_ROSTER, alias_csv, alias_xlsx
from ..errors import InputError
from ..ingest import settings_in_force
from ..reading import Source
from ..storage import Store, default_db_path
from .common import (
    as_of_arg,
    db_option,
    open_store,
    rule_options,
    settings_from,
)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Everything is read and checked before the database is touched."""
    sources = [Source.from_path(p) for p in args.files]
    roster_source = Source.from_path(args.roster) if args.roster else None
    existing = open_store(args.db) if Path(args.db).is_file() else None
    settings = settings_from(args, settings_in_force(existing) if existing else None)
    prepared = ingest.prepare(existing, sources, roster_source, settings)
    prepared.require()
    as_of = as_of_arg(args.as_of, prepared)
    result = ingest.save(
        existing or open_store(args.db, must_exist=False), prepared, as_of, args.uploader, Actor.command_line()
    )
    if args.format == "json":
        print(json.dumps({"snapshot_id": result.snapshot_id, "created": result.created}))
    else:
        print(result.snapshot_id)  # stdout: the id alone, for scripts; the sentence goes to stderr
        print(
            f"Tersimpan sebagai unggahan #{result.snapshot_id}."
            if result.created
            else f"Isi berkas sama dengan unggahan #{result.snapshot_id}; tidak ada unggahan baru.",
            file=sys.stderr,
        )
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    snaps = store.deleted_snapshots() if args.deleted else store.snapshots()
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "id": s.id,
                        "as_of": s.as_of.isoformat(),
                        "files": s.files,
                        "innovations": s.innovations,
                        "units_ready": s.units_ready,
                        "units_expected": s.units_expected,
                        "uploader": s.uploader,
                        "roster": s.roster_name,
                        **(
                            {
                                "deleted_at": s.deleted_at.isoformat() if s.deleted_at else None,
                                "deleted_by": s.deleted_by,
                            }
                            if args.deleted
                            else {}
                        ),
                    }
                    for s in snaps
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not snaps:
        print("Terhapus kosong." if args.deleted else "Belum ada unggahan.")
    else:
        for s in snaps:
            gone = f"  dihapus {fmt.datetime(s.deleted_at)} oleh {s.deleted_by}" if args.deleted else ""
            print(
                f"#{s.id:<4} data per {fmt.datetime(s.as_of):<22} {fmt.num(s.innovations):>6} inovasi  "
                f"siap {fmt.num(s.units_ready)}/{fmt.num(s.units_expected)}  {', '.join(s.files)}{gone}"
            )
    return 0


def cmd_delete_snapshot(args: argparse.Namespace) -> int:
    open_store(args.db).delete(args.id, Actor.command_line())
    print(f"Unggahan #{args.id} dipindah ke Terhapus; pulihkan dengan `restore-snapshot {args.id}`.", file=sys.stderr)
    return 0


def cmd_restore_snapshot(args: argparse.Namespace) -> int:
    open_store(args.db).restore_snapshot(args.id, Actor.command_line())
    print(f"Unggahan #{args.id} dipulihkan dari Terhapus.", file=sys.stderr)
    return 0


def cmd_purge_snapshot(args: argparse.Namespace) -> int:
    open_store(args.db).purge(args.id, Actor.command_line())
    print(
        f"Unggahan #{args.id} dihapus permanen (cadangan sebelum penghapusan ada di folder cadangan).", file=sys.stderr
    )
    return 0


def cmd_aliases(args: argparse.Namespace) -> int:
    """The unit names resolved by hand, as a list, JSON, or the file `report --aliases` reads."""
    aliases = open_store(args.db).aliases()
    if args.out:
        out = Path(args.out)
        writer = {".xlsx": alias_xlsx, ".csv": alias_csv}.get(out.suffix.lower())
        if writer is None:
            raise InputError(f"--out {args.out}: tulis padanan sebagai berkas .xlsx atau .csv.")
        try:
            out.write_bytes(writer(aliases))
        except OSError as exc:
            raise InputError(f"{out} tidak dapat ditulis: {exc.strerror}.") from None
        print(f"{fmt.num(len(aliases))} padanan nama unit ditulis ke {out}.", file=sys.stderr)
    if args.format == "json":
        print(
            json.dumps(
                [{"written": a.written, "unit": a.unit or None, "by": a.by, "at": a.at} for a in aliases],
                ensure_ascii=False,
                indent=2,
            )
        )
    elif not args.out:
        if not aliases:
            print("Belum ada padanan nama unit.")
        for a in aliases:
            print(f"{a.written} → {a.unit or NOT_IN_ROSTER}  ({a.by}, {a.at[:16].replace('T', ' ')})")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    store = Store(args.db or default_db_path())
    results = ingest.seed_sample(store, settings_in_force(store), Actor.command_line())
    if results:
        ids = ", ".join(str(r.snapshot_id) for r in results)
        print(f"Data contoh dimuat ke {store.path}: unggahan {ids}.")
    else:
        print(f"Basis data {store.path} sudah pernah diisi data contoh; tidak ada yang diubah.")
    return 0


def register(sub: Any) -> None:
    """Add this group's commands to the `python -m iga_data` parser."""
    ing = sub.add_parser("ingest", help="simpan berkas ekspor sebagai unggahan bertanggal")
    ing.add_argument("files", nargs="+", metavar="BERKAS")
    ing.add_argument("--db", required=True, metavar="PATH")
    ing.add_argument("--roster", metavar="BERKAS", help="daftar unit (bawaan: yang berlaku di basis data)")
    ing.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="tanggal data (bawaan: tanggal yang tertulis di berkas, atau tanggal input terakhirnya, atau sekarang)",
    )
    ing.add_argument("--uploader", default="baris perintah", metavar="NAMA")
    rule_options(ing)
    ing.add_argument("--format", choices=["text", "json"], default="text")
    ing.set_defaults(func=cmd_ingest)

    snaps = sub.add_parser("snapshots", help="daftar unggahan tersimpan")
    snaps.add_argument("--db", required=True, metavar="PATH")
    snaps.add_argument("--deleted", action="store_true", help="tampilkan yang ada di Terhapus")
    snaps.add_argument("--format", choices=["text", "json"], default="text")
    snaps.set_defaults(func=cmd_snapshots)

    names = sub.add_parser("aliases", help="padanan nama unit yang dipilih operator")
    names.add_argument("--db", required=True, metavar="PATH")
    names.add_argument("--out", metavar="BERKAS", help="tulis juga sebagai .xlsx atau .csv (dibaca `report --aliases`)")
    names.add_argument("--format", choices=["text", "json"], default="text")
    names.set_defaults(func=cmd_aliases)

    for name, func, words in [
        ("delete-snapshot", cmd_delete_snapshot, "pindahkan unggahan ke Terhapus (dapat dipulihkan)"),
        ("restore-snapshot", cmd_restore_snapshot, "pulihkan unggahan dari Terhapus"),
        ("purge-snapshot", cmd_purge_snapshot, "hapus permanen unggahan yang ada di Terhapus"),
    ]:
        one = sub.add_parser(name, help=words)
        one.add_argument("id", type=int, metavar="ID", help="nomor unggahan")
        db_option(one)
        one.set_defaults(func=func)

    seed = sub.add_parser("seed", help="muat data contoh sekali ke basis data (dipakai `make run`)")
    seed.add_argument("--db", metavar="PATH", help="bawaan: $IGA_DATA_DIR/iga.db")
    seed.set_defaults(func=cmd_seed)
