"""Command line: `python -m iga_data <command>`.

Every failure caused by input prints one Indonesian line on stderr and exits
with status 2; nothing stored is changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Sequence

from . import fmt, ingest, simulation
from .settings import Settings, default_settings
from .errors import InputError
from .ingest import settings_in_force, snapshot_analysis, snapshot_settings
from .pipeline import analyse_sources
from .reading import Source
from .regions import find_pemda, search_pemda, suggest_pemda
from .reports import text_summary
from .roster import Roster, read_roster
from .roster_build import build_roster, list_units, opd_template
from .rules import load_rules
from .scoring import best_portfolio, project
from .storage import Store, default_db_path
from .vocabulary import type_labels


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
        raise InputError(f"Basis data {path} tidak ditemukan; simpan data dulu dengan `python -m iga_data ingest`.")
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
    result = ingest.save(existing or _store(args.db, must_exist=False), prepared, as_of, args.uploader)
    if args.format == "json":
        print(json.dumps({"snapshot_id": result.snapshot_id, "created": result.created}))
    else:
        print(result.snapshot_id)  # stdout: the id alone, for scripts; the sentence goes to stderr
        print(f"Tersimpan sebagai snapshot {result.snapshot_id}." if result.created else
              f"Isi berkas sama dengan snapshot {result.snapshot_id}; tidak ada snapshot baru.", file=sys.stderr)
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    snaps = _store(args.db).snapshots()
    if args.format == "json":
        print(json.dumps([{
            "id": s.id, "as_of": s.as_of.isoformat(), "files": s.files, "innovations": s.innovations,
            "units_ready": s.units_ready, "units_expected": s.units_expected, "uploader": s.uploader,
            "roster": s.roster_name,
        } for s in snaps], ensure_ascii=False, indent=2))
    elif not snaps:
        print("Belum ada snapshot.")
    else:
        for s in snaps:
            print(f"#{s.id:<4} data per {fmt.datetime(s.as_of):<22} {fmt.num(s.innovations):>6} inovasi  "
                  f"siap {fmt.num(s.units_ready)}/{fmt.num(s.units_expected)}  {', '.join(s.files)}")
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
    results = ingest.seed_sample(store, settings_in_force(store))
    if results:
        ids = ", ".join(str(r.snapshot_id) for r in results)
        print(f"Data contoh dimuat ke {store.path}: snapshot {ids}.")
    else:
        print(f"Basis data {store.path} sudah pernah diisi data contoh; tidak ada yang diubah.")
    return 0


def cmd_roster_pemda(args: argparse.Namespace) -> int:
    """Pemda whose name (or province) matches, with their region codes."""
    found = search_pemda(args.search)
    if not found:
        close = "; ".join(f"{p.name} ({p.code})" for p in suggest_pemda(args.search))
        raise InputError(f"tidak ada Pemda yang cocok dengan '{args.search}'. Yang paling mirip: {close}.")
    if args.format == "json":
        print(json.dumps([{"code": p.code, "name": p.name, "kind": p.kind, "province": p.province} for p in found],
                         ensure_ascii=False, indent=2))
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
    snaps.add_argument("--format", choices=["text", "json"], default="text")
    snaps.set_defaults(func=cmd_snapshots)

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

    roster = sub.add_parser("roster", help="daftar unit dari data wilayah Kepmendagri 2025")
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="PERINTAH", required=True, parser_class=_Parser)
    pemda = roster_sub.add_parser("pemda", help="cari Pemda (kabupaten/kota) dan kodenya")
    pemda.add_argument("--search", required=True, metavar="TEKS", help="nama Pemda atau provinsi, mis. 'Bengkulu'")
    pemda.add_argument("--format", choices=["text", "json"], default="text")
    pemda.set_defaults(func=cmd_roster_pemda)
    build = roster_sub.add_parser("build", help="susun daftar unit sebuah Pemda sebagai .xlsx")
    build.add_argument("--pemda", required=True, metavar="NAMA", help="mis. 'Kota Bengkulu', 'Kab. Rejang Lebong'")
    build.add_argument("--opd-template", action="store_true", help="sertakan perangkat daerah baku")
    build.add_argument("--schools", metavar="BERKAS",
                       help="daftar sekolah (Nama Sekolah, Bentuk Pendidikan, Kecamatan)")
    build.add_argument("--puskesmas", metavar="BERKAS", help="daftar puskesmas (Nama Puskesmas, Kecamatan)")
    build.add_argument("--out", required=True, metavar="BERKAS", help="berkas .xlsx yang ditulis")
    build.set_defaults(func=cmd_roster_build)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
