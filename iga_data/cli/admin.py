"""Commands for whoever runs the installation: user accounts, the audit trail, backups and restore, the benchmark."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from .. import accounts, audit, backups, fmt
from ..accounts import Actor
from ..errors import InputError
from .common import (
    Parser,
    db_option,
    open_store,
)


def _password(args: argparse.Namespace) -> str:
    """From one line of standard input with --password-stdin, else typed twice without echo."""
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise InputError("tidak ada kata sandi di masukan standar (--password-stdin).")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InputError("kata sandi tidak dapat diketik tanpa terminal; kirim lewat --password-stdin.")
    first = getpass.getpass("Kata sandi: ")
    if getpass.getpass("Ulangi kata sandi: ") != first:
        raise InputError("kedua kata sandi tidak sama; tidak ada yang diubah.")
    return first


def cmd_user(args: argparse.Namespace) -> int:
    actor = Actor.command_line()
    if args.action == "list":
        found = accounts.users(open_store(args.db))
        if args.format == "json":
            print(json.dumps([accounts.as_json(u) for u in found], ensure_ascii=False, indent=2))
        elif not found:
            print("Belum ada akun: dasbor berjalan dalam mode terbuka.")
        else:
            for u in found:
                print(
                    f"{u.name:<24} {u.role:<9} dibuat {fmt.datetime(u.created_at)}, "
                    f"kata sandi diganti {fmt.datetime(u.password_changed_at)}"
                )
    elif args.action == "add":
        store = open_store(args.db, must_exist=False)
        accounts.add_user(store, args.name, args.role, _password(args), actor)
        print(f"Akun {args.name.strip()} ({args.role}) dibuat.", file=sys.stderr)
    elif args.action == "passwd":
        accounts.set_password(open_store(args.db), args.name, _password(args), actor)
        print(f"Kata sandi {args.name.strip()} diganti.", file=sys.stderr)
    else:
        accounts.remove_user(open_store(args.db), args.name, actor)
        print(f"Akun {args.name.strip()} dihapus.", file=sys.stderr)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    found = audit.entries(open_store(args.db), limit=args.limit)
    if args.format == "json":
        print(json.dumps([e.as_json() for e in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("Riwayat perubahan masih kosong.")
    for e in found:
        print(f"#{e.id:<5} {fmt.datetime(e.at):<22} {e.actor} ({e.role}, {e.via})  {e.label}: {e.target}")
        for key, before, after in e.changes()[:8]:
            print(f"        {key}: {json.dumps(before, ensure_ascii=False)} → {json.dumps(after, ensure_ascii=False)}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    if args.keep is not None and args.keep < 1:
        raise InputError("--keep minimal 1.")
    path = backups.backup(open_store(args.db).path, args.out, keep=args.keep)
    print(path)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    store = open_store(args.db, must_exist=False)
    saved = backups.restore(args.backup, store, Actor.command_line())
    print(
        f"Basis data {store.path} dipulihkan dari {args.backup}; isi sebelumnya disimpan di {saved}.", file=sys.stderr
    )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .. import bench  # imports Streamlit's test harness; only when asked

    if args.runs < 1 or args.history < 0:
        raise InputError("--runs minimal 1 dan --history minimal 0.")
    return bench.main(runs=args.runs, history=args.history, first_page=args.first_page)


def register(sub: Any) -> None:
    """Add this group's commands to the `python -m iga_data` parser."""
    user = sub.add_parser("user", help="akun pengguna dasbor: add, list, passwd, remove")
    actions = user.add_subparsers(dest="action", metavar="AKSI", required=True, parser_class=Parser)
    add = actions.add_parser("add", help="buat akun (kata sandi diketik, tidak tampil)")
    add.add_argument("name", metavar="NAMA")
    add.add_argument("--role", required=True, choices=list(accounts.ROLES), help="operator atau pimpinan")
    add.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari satu baris masukan standar")
    listing = actions.add_parser("list", help="daftar akun")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    passwd = actions.add_parser("passwd", help="ganti kata sandi akun")
    passwd.add_argument("name", metavar="NAMA")
    passwd.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari satu baris masukan standar")
    remove = actions.add_parser("remove", help="hapus akun")
    remove.add_argument("name", metavar="NAMA")
    for action in (add, listing, passwd, remove):
        db_option(action)
    user.set_defaults(func=cmd_user)

    trail = sub.add_parser("audit", help="riwayat perubahan: siapa mengubah apa, kapan, sebelum dan sesudah")
    db_option(trail)
    trail.add_argument("--limit", type=int, metavar="N", help="hanya N perubahan terakhir")
    trail.add_argument("--format", choices=["text", "json"], default="text")
    trail.set_defaults(func=cmd_audit)

    bak = sub.add_parser("backup", help="cadangkan basis data (aman saat dasbor berjalan)")
    db_option(bak)
    bak.add_argument("--out", required=True, metavar="FOLDER", help="folder tujuan cadangan")
    bak.add_argument("--keep", type=int, metavar="N", help="simpan hanya N cadangan terbaru di folder itu")
    bak.set_defaults(func=cmd_backup)

    res = sub.add_parser("restore", help="pulihkan basis data dari cadangan (isi sekarang dicadangkan dulu)")
    res.add_argument("backup", metavar="CADANGAN", help="berkas iga-….db dari perintah backup")
    db_option(res)
    res.set_defaults(func=cmd_restore)

    bench = sub.add_parser("bench", help="tolok ukur skala nasional (31.719 inovasi), lihat docs/PERFORMANCE.md")
    bench.add_argument("--runs", type=int, default=5, metavar="N", help="jumlah pengulangan (median)")
    bench.add_argument(
        "--history",
        type=int,
        default=0,
        metavar="N",
        help="juga ukur Ringkasan dan Tren sesudah mulai ulang dengan N unggahan tersimpan (mis. 60)",
    )
    bench.add_argument(
        "--first-page",
        action="store_true",
        help="juga ukur halaman pertama di peramban (perlu chromium dan playwright)",
    )
    bench.set_defaults(func=cmd_bench)
