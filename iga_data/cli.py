"""Command line: `python -m iga_data <command>`.

Every failure caused by input prints one Indonesian line on stderr and exits
with status 2; nothing stored is changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any, Sequence

from . import accounts, audit, backups, fmt, ingest, simulation
from .accounts import Actor
from .settings import Settings, default_settings
from .errors import InputError
from .ingest import settings_in_force, snapshot_analysis, snapshot_settings
from .pipeline import analyse_sources
from .reading import Source
from .reports import text_summary
from .roster import Roster, read_roster
from .rules import load_rules
from .scoring import best_portfolio, project
from .storage import Store, default_db_path


_ARGPARSE_WORDS = [
    (re.compile(r"the following arguments are required: "), "wajib diisi: "),
    (re.compile(r"unrecognized arguments: "), "tidak dikenal: "),
    (re.compile(r"argument (\S+): invalid (\w+) value: "), r"\1 harus berupa angka, bukan "),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"), r"\1: \2 bukan pilihan (\3)"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1 perlu satu nilai"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with its help and usage errors in Indonesian and exit status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No abbreviations: "--r" is neither --roster nor --required.
        super().__init__(*args, add_help=False, allow_abbrev=False, **kwargs)
        self._positionals.title = "argumen"
        self._optionals.title = "pilihan"
        self.add_argument("-h", "--help", action="help", help="tampilkan bantuan ini lalu keluar")

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "penggunaan:", 1)

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "penggunaan:", 1)

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


def _store(path: str, must_exist: bool = True) -> Store:
    """Open a database; a missing one is an error unless we are about to write to it."""
    if must_exist and not Path(path).is_file():
        raise InputError(f"Basis data {path} tidak ditemukan; periksa --db atau IGA_DATA_DIR, atau simpan data "
                         "dulu dengan `python -m iga_data ingest`.")
    return Store(path)


def _as_of(text: str | None) -> dt.datetime:
    if not text:
        return dt.datetime.now().replace(microsecond=0)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--as-of '{text}' bukan tanggal; tulis seperti 2024-07-10 atau 2024-07-10T16:00.") from None
    # Snapshots are compared in local time; "2024-07-10T16:00+07:00" becomes this machine's clock time.
    return value.astimezone().replace(tzinfo=None) if value.tzinfo else value


def cmd_report(args: argparse.Namespace) -> int:
    if bool(args.files) == bool(args.db):
        raise InputError("sebutkan berkas ekspor atau --db (basis data snapshot), salah satu saja.")
    if args.db:
        store = _store(args.db)
        snapshot_id = args.snapshot if args.snapshot is not None else getattr(store.latest(), "id", None)
        if snapshot_id is None:
            raise InputError(f"Basis data {args.db} belum berisi snapshot.")
        snapshot = store.snapshot(snapshot_id)
        analysis = snapshot_analysis(snapshot, _settings(args, snapshot_settings(snapshot)))
        files = snapshot.info.files
    else:
        if args.snapshot is not None:
            raise InputError("--snapshot hanya dipakai bersama --db.")
        settings = _settings(args)
        roster = _roster(args.roster, settings)
        sources = [Source.from_path(p) for p in args.files]
        analysis = analyse_sources(sources, roster, settings)
        files = [s.name for s in sources]
    _print_summary(analysis.summary, files, args.format)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Everything is read and checked before the database is touched."""
    sources = [Source.from_path(p) for p in args.files]
    roster_source = Source.from_path(args.roster) if args.roster else None
    as_of = _as_of(args.as_of)
    existing = _store(args.db) if Path(args.db).is_file() else None
    settings = _settings(args, settings_in_force(existing) if existing else None)
    prepared = ingest.prepare(existing, sources, roster_source, settings)
    prepared.require()
    result = ingest.save(existing or _store(args.db, must_exist=False), prepared, as_of, args.uploader,
                         Actor.command_line())
    if args.format == "json":
        print(json.dumps({"snapshot_id": result.snapshot_id, "created": result.created}))
    else:
        print(result.snapshot_id)  # stdout: the id alone, for scripts; the sentence goes to stderr
        print(f"Tersimpan sebagai snapshot {result.snapshot_id}." if result.created else
              f"Isi berkas sama dengan snapshot {result.snapshot_id}; tidak ada snapshot baru.", file=sys.stderr)
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    store = _store(args.db)
    snaps = store.deleted_snapshots() if args.deleted else store.snapshots()
    if args.format == "json":
        print(json.dumps([{
            "id": s.id, "as_of": s.as_of.isoformat(), "files": s.files, "innovations": s.innovations,
            "units_ready": s.units_ready, "units_expected": s.units_expected, "uploader": s.uploader,
            "roster": s.roster_name,
            **({"deleted_at": s.deleted_at.isoformat(), "deleted_by": s.deleted_by} if args.deleted else {}),
        } for s in snaps], ensure_ascii=False, indent=2))
    elif not snaps:
        print("Terhapus kosong." if args.deleted else "Belum ada snapshot.")
    else:
        for s in snaps:
            gone = f"  dihapus {fmt.datetime(s.deleted_at)} oleh {s.deleted_by}" if args.deleted else ""
            print(f"#{s.id:<4} data per {fmt.datetime(s.as_of):<22} {fmt.num(s.innovations):>6} inovasi  "
                  f"siap {fmt.num(s.units_ready)}/{fmt.num(s.units_expected)}  {', '.join(s.files)}{gone}")
    return 0


def cmd_delete_snapshot(args: argparse.Namespace) -> int:
    _store(args.db).delete(args.id, Actor.command_line())
    print(f"Snapshot {args.id} dipindah ke Terhapus; pulihkan dengan `restore-snapshot {args.id}`.", file=sys.stderr)
    return 0


def cmd_restore_snapshot(args: argparse.Namespace) -> int:
    _store(args.db).restore_snapshot(args.id, Actor.command_line())
    print(f"Snapshot {args.id} dipulihkan dari Terhapus.", file=sys.stderr)
    return 0


def cmd_purge_snapshot(args: argparse.Namespace) -> int:
    _store(args.db).purge(args.id, Actor.command_line())
    print(f"Snapshot {args.id} dihapus permanen (cadangan sebelum penghapusan ada di folder cadangan).",
          file=sys.stderr)
    return 0


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
        found = accounts.users(_store(args.db))
        if args.format == "json":
            print(json.dumps([accounts.as_json(u) for u in found], ensure_ascii=False, indent=2))
        elif not found:
            print("Belum ada akun: dasbor berjalan dalam mode terbuka.")
        else:
            for u in found:
                print(f"{u.name:<24} {u.role:<9} dibuat {fmt.datetime(u.created_at)}, "
                      f"kata sandi diganti {fmt.datetime(u.password_changed_at)}")
    elif args.action == "add":
        store = _store(args.db, must_exist=False)
        accounts.add_user(store, args.name, args.role, _password(args), actor)
        print(f"Akun {args.name.strip()} ({args.role}) dibuat.", file=sys.stderr)
    elif args.action == "passwd":
        accounts.set_password(_store(args.db), args.name, _password(args), actor)
        print(f"Kata sandi {args.name.strip()} diganti.", file=sys.stderr)
    else:
        accounts.remove_user(_store(args.db), args.name, actor)
        print(f"Akun {args.name.strip()} dihapus.", file=sys.stderr)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    found = audit.entries(_store(args.db), limit=args.limit)
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
    path = backups.backup(_store(args.db).path, args.out, keep=args.keep)
    print(path)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    store = _store(args.db, must_exist=False)
    saved = backups.restore(args.backup, store, Actor.command_line())
    print(f"Basis data {store.path} dipulihkan dari {args.backup}; isi sebelumnya disimpan di {saved}.",
          file=sys.stderr)
    return 0


def cmd_project(args: argparse.Namespace) -> int:
    """The IID the innovations in the files would give, and the best portfolio."""
    settings = default_settings().replace(rule_year=args.rules)
    rules = load_rules(args.rules)
    sources = [Source.from_path(p) for p in args.files]
    analysis = analyse_sources(sources, _roster(args.roster, settings), settings)
    scores, urusan = simulation.entries(analysis)
    now = project(scores, urusan, args.spd, rules)
    best = best_portfolio(scores, urusan, args.spd, rules).projection
    result = {
        "rules": rules.year, "spd": round(args.spd, 2), "n": now.n, "divisor": now.divisor,
        "avg_kematangan": round(now.avg_kematangan, 2), "skor_jumlah_inovasi": round(now.skor_jumlah_inovasi, 2),
        "urusan_wajib_covered": now.urusan_covered, "sid": round(now.sid, 2), "iid": round(now.iid, 2),
        "predikat": now.predikat, "best_portfolio": {"n": best.n, "iid": round(best.iid, 2), "predikat": best.predikat},
    }
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"Proyeksi IID (aturan {rules.year}, SPD {fmt.num(args.spd, 2)}): {fmt.num(now.iid, 2)} — {now.predikat}\n"
              f"  n = {fmt.num(now.n)}, pembagi {fmt.num(now.divisor)}, rata-rata kematangan "
              f"{fmt.num(now.avg_kematangan, 2)}, skor jumlah inovasi {fmt.num(now.skor_jumlah_inovasi, 2)}, "
              f"SID {fmt.num(now.sid, 2)}\n"
              f"Portofolio terbaik: {fmt.num(best.n)} inovasi, IID {fmt.num(best.iid, 2)} — {best.predikat}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from . import bench  # imports Streamlit's test harness; only when asked

    if args.runs < 1:
        raise InputError("--runs minimal 1.")
    return bench.main(runs=args.runs)


def cmd_seed(args: argparse.Namespace) -> int:
    store = Store(args.db or default_db_path())
    results = ingest.seed_sample(store, settings_in_force(store), Actor.command_line())
    if results:
        ids = ", ".join(str(r.snapshot_id) for r in results)
        print(f"Data contoh dimuat ke {store.path}: snapshot {ids}.")
    else:
        print(f"Basis data {store.path} sudah pernah diisi data contoh; tidak ada yang diubah.")
    return 0


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=str(default_db_path()), metavar="PATH", help="bawaan: $IGA_DATA_DIR/iga.db")


def _rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--threshold", type=float, metavar="N", help="skor minimal (skala 0–111)")
    p.add_argument("--required", type=int, metavar="N", help="inovasi wajib per unit")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m iga_data", description="Dasbor Kesiapan IGA — perintah baris.")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", required=True, parser_class=_Parser)

    report = sub.add_parser("report", help="ringkasan kesiapan dari berkas ekspor atau snapshot tersimpan")
    report.add_argument("files", nargs="*", metavar="BERKAS", help="ekspor .xlsx/.xlsm/.xls/.csv")
    report.add_argument("--roster", metavar="BERKAS", help="daftar unit yang wajib mengunggah")
    report.add_argument("--db", metavar="PATH", help="basis data snapshot (memakai daftar unit yang tersimpan)")
    report.add_argument("--snapshot", type=int, metavar="ID", help="nomor snapshot (bawaan: data terbaru)")
    _rule_options(report)
    report.add_argument("--format", choices=["text", "json"], default="text")
    report.set_defaults(func=cmd_report)

    ing = sub.add_parser("ingest", help="simpan berkas ekspor sebagai snapshot bertanggal")
    ing.add_argument("files", nargs="+", metavar="BERKAS")
    ing.add_argument("--db", required=True, metavar="PATH")
    ing.add_argument("--roster", metavar="BERKAS", help="daftar unit (bawaan: yang berlaku di basis data)")
    ing.add_argument("--as-of", metavar="YYYY-MM-DD", help="tanggal data (bawaan: sekarang)")
    ing.add_argument("--uploader", default="baris perintah", metavar="NAMA")
    _rule_options(ing)
    ing.add_argument("--format", choices=["text", "json"], default="text")
    ing.set_defaults(func=cmd_ingest)

    snaps = sub.add_parser("snapshots", help="daftar snapshot tersimpan")
    snaps.add_argument("--db", required=True, metavar="PATH")
    snaps.add_argument("--deleted", action="store_true", help="tampilkan yang ada di Terhapus")
    snaps.add_argument("--format", choices=["text", "json"], default="text")
    snaps.set_defaults(func=cmd_snapshots)

    for name, func, words in [
        ("delete-snapshot", cmd_delete_snapshot, "pindahkan snapshot ke Terhapus (dapat dipulihkan)"),
        ("restore-snapshot", cmd_restore_snapshot, "pulihkan snapshot dari Terhapus"),
        ("purge-snapshot", cmd_purge_snapshot, "hapus permanen snapshot yang ada di Terhapus"),
    ]:
        one = sub.add_parser(name, help=words)
        one.add_argument("id", type=int, metavar="ID", help="nomor snapshot")
        _db_option(one)
        one.set_defaults(func=func)

    user = sub.add_parser("user", help="akun pengguna dasbor: add, list, passwd, remove")
    actions = user.add_subparsers(dest="action", metavar="AKSI", required=True, parser_class=_Parser)
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
        _db_option(action)
    user.set_defaults(func=cmd_user)

    trail = sub.add_parser("audit", help="riwayat perubahan: siapa mengubah apa, kapan, sebelum dan sesudah")
    _db_option(trail)
    trail.add_argument("--limit", type=int, metavar="N", help="hanya N perubahan terakhir")
    trail.add_argument("--format", choices=["text", "json"], default="text")
    trail.set_defaults(func=cmd_audit)

    bak = sub.add_parser("backup", help="cadangkan basis data (aman saat dasbor berjalan)")
    _db_option(bak)
    bak.add_argument("--out", required=True, metavar="FOLDER", help="folder tujuan cadangan")
    bak.add_argument("--keep", type=int, metavar="N", help="simpan hanya N cadangan terbaru di folder itu")
    bak.set_defaults(func=cmd_backup)

    res = sub.add_parser("restore", help="pulihkan basis data dari cadangan (isi sekarang dicadangkan dulu)")
    res.add_argument("backup", metavar="CADANGAN", help="berkas iga-….db dari perintah backup")
    _db_option(res)
    res.set_defaults(func=cmd_restore)

    proj = sub.add_parser("project", help="proyeksi Indeks Inovasi Daerah dan portofolio terbaik")
    proj.add_argument("files", nargs="+", metavar="BERKAS")
    proj.add_argument("--roster", metavar="BERKAS")
    proj.add_argument("--rules", type=int, required=True, metavar="TAHUN", help="tahun aturan IID (mis. 2024)")
    proj.add_argument("--spd", type=float, required=True, metavar="N", help="skor SPD Pemda (0–63)")
    proj.add_argument("--format", choices=["text", "json"], default="text")
    proj.set_defaults(func=cmd_project)

    bench = sub.add_parser("bench", help="tolok ukur skala nasional (31.719 inovasi), lihat docs/PERFORMANCE.md")
    bench.add_argument("--runs", type=int, default=5, metavar="N", help="jumlah pengulangan (median)")
    bench.set_defaults(func=cmd_bench)

    seed = sub.add_parser("seed", help="muat data contoh sekali ke basis data (dipakai `make run`)")
    seed.add_argument("--db", metavar="PATH", help="bawaan: $IGA_DATA_DIR/iga.db")
    seed.set_defaults(func=cmd_seed)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if not os.environ.get("IGA_DEBUG"):  # the reader's and backups' warnings are for server logs, not for a CLI line
        logging.getLogger("iga_data").setLevel(logging.ERROR)
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except InputError as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`
        sys.stdout = open(os.devnull, "w")
        return 0
    except Exception as exc:  # never a traceback for users; IGA_DEBUG=1 shows it
        if os.environ.get("IGA_DEBUG"):
            raise
        print(f"galat: terjadi kesalahan tak terduga ({type(exc).__name__}); tidak ada data yang diubah. "
              "Jalankan lagi dengan IGA_DEBUG=1 untuk rinciannya.", file=sys.stderr)
        return 2
