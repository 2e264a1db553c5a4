"""Command line: `python -m iga_data <command>`.

Every failure caused by input prints one Indonesian line on stderr and exits
with status 2; nothing stored is changed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import accounts, audit, backups, briefing, exports, fmt, ingest, selfassessment, simulation, uploads
from .accounts import Actor
from .aliases import NOT_IN_ROSTER, Alias, alias_csv, alias_xlsx, combined, fingerprint, read_alias_file
from .errors import InputError
from .ingest import settings_in_force, snapshot_analysis, snapshot_settings
from .pipeline import Analysis, Summary, analyse, analyse_sources
from .plan import paraphrased, plan_record, plans_for
from .plan_text import plan_summary, plans_text
from .readiness import units_of_pembina
from .reading import LoadResult, Source, empty_rows
from .regions import find_pemda, search_pemda, suggest_pemda
from .roster import Roster, read_roster
from .roster_build import build_roster, list_units, opd_template
from .rules import load_rules
from .scoring import best_portfolio, project
from .settings import Settings, default_settings
from .storage import Store, default_db_path
from .timeline import history_until, progress_frame
from .vocabulary import type_labels
from .wording import text_summary

# argparse's own messages (its gettext msgids) in Indonesian, looked up by id, never by rewriting English text.
_ARGPARSE_MESSAGES = {
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
def _argparse_in_indonesian() -> Iterator[None]:
    """argparse translates through its module-level gettext hooks `_` and `ngettext`; point them at our catalog
    while the parser is built and used (the CLI is single-threaded)."""
    hooks = vars(argparse)
    saved = hooks["_"], hooks["ngettext"]
    hooks["_"] = lambda message: _ARGPARSE_MESSAGES.get(message, message)
    hooks["ngettext"] = lambda one, many, n: _ARGPARSE_MESSAGES.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        hooks["_"], hooks["ngettext"] = saved


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors become InputError (one Indonesian line, exit status 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # "--r" is neither --roster nor --required
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
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


def _print_summary(summary: Summary, files: list[str], form: str) -> None:
    if form == "json":
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
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


def _alias_file(path: str | None) -> tuple[Alias, ...]:
    return read_alias_file(Source.from_path(path)) if path else ()


def cmd_report(args: argparse.Namespace) -> int:
    if bool(args.files) == bool(args.db):
        raise InputError("sebutkan berkas ekspor atau --db (basis data unggahan), salah satu saja.")
    extra = _alias_file(args.aliases)
    if args.db:
        store = _store(args.db)
        snapshot_id = args.snapshot if args.snapshot is not None else getattr(store.latest(), "id", None)
        if snapshot_id is None:
            raise InputError(f"Basis data {args.db} belum berisi unggahan.")
        snapshot = store.snapshot(snapshot_id)
        analysis = snapshot_analysis(snapshot, _settings(args, snapshot_settings(snapshot)),
                                     combined(store.aliases(), extra))
        files = snapshot.info.files
    else:
        if args.snapshot is not None:
            raise InputError("--snapshot hanya dipakai bersama --db.")
        settings = _settings(args)
        roster = _roster(args.roster, settings)
        sources = [Source.from_path(p) for p in args.files]
        analysis = analyse_sources(sources, roster, settings, extra)
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
        print(f"Tersimpan sebagai unggahan #{result.snapshot_id}." if result.created else
              f"Isi berkas sama dengan unggahan #{result.snapshot_id}; tidak ada unggahan baru.", file=sys.stderr)
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    store = _store(args.db)
    snaps = store.deleted_snapshots() if args.deleted else store.snapshots()
    if args.format == "json":
        print(json.dumps([{
            "id": s.id, "as_of": s.as_of.isoformat(), "files": s.files, "innovations": s.innovations,
            "units_ready": s.units_ready, "units_expected": s.units_expected, "uploader": s.uploader,
            "roster": s.roster_name,
            **({"deleted_at": s.deleted_at.isoformat() if s.deleted_at else None, "deleted_by": s.deleted_by}
               if args.deleted else {}),
        } for s in snaps], ensure_ascii=False, indent=2))
    elif not snaps:
        print("Terhapus kosong." if args.deleted else "Belum ada unggahan.")
    else:
        for s in snaps:
            gone = f"  dihapus {fmt.datetime(s.deleted_at)} oleh {s.deleted_by}" if args.deleted else ""
            print(f"#{s.id:<4} data per {fmt.datetime(s.as_of):<22} {fmt.num(s.innovations):>6} inovasi  "
                  f"siap {fmt.num(s.units_ready)}/{fmt.num(s.units_expected)}  {', '.join(s.files)}{gone}")
    return 0


def cmd_delete_snapshot(args: argparse.Namespace) -> int:
    _store(args.db).delete(args.id, Actor.command_line())
    print(f"Unggahan #{args.id} dipindah ke Terhapus; pulihkan dengan `restore-snapshot {args.id}`.", file=sys.stderr)
    return 0


def cmd_restore_snapshot(args: argparse.Namespace) -> int:
    _store(args.db).restore_snapshot(args.id, Actor.command_line())
    print(f"Unggahan #{args.id} dipulihkan dari Terhapus.", file=sys.stderr)
    return 0


def cmd_purge_snapshot(args: argparse.Namespace) -> int:
    _store(args.db).purge(args.id, Actor.command_line())
    print(f"Unggahan #{args.id} dihapus permanen (cadangan sebelum penghapusan ada di folder cadangan).",
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


def cmd_aliases(args: argparse.Namespace) -> int:
    """The unit names resolved by hand, as a list, JSON, or the file `report --aliases` reads."""
    aliases = _store(args.db).aliases()
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
        print(json.dumps([{"written": a.written, "unit": a.unit or None, "by": a.by, "at": a.at} for a in aliases],
                         ensure_ascii=False, indent=2))
    elif not args.out:
        if not aliases:
            print("Belum ada padanan nama unit.")
        for a in aliases:
            print(f"{a.written} → {a.unit or NOT_IN_ROSTER}  ({a.by}, {a.at[:16].replace('T', ' ')})")
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


def _plan_analysis(args: argparse.Namespace) -> Analysis:
    """`plan` and `template`: the files (none is fine for a template) under --threshold and --rules."""
    settings = _settings(args)
    if args.rules is not None:
        settings = settings.replace(rule_year=args.rules)
    roster = _roster(args.roster, settings)
    if not args.files:
        return analyse(LoadResult(empty_rows(), (), (), (), ()), roster, settings)
    return analyse_sources([Source.from_path(p) for p in args.files], roster, settings)


def cmd_plan(args: argparse.Namespace) -> int:
    """For each innovation under the threshold: the fewest indicator steps that reach it."""
    analysis = _plan_analysis(args)
    s = analysis.settings
    rules = load_rules(s.rule_year)
    plans = plans_for(analysis)
    if args.format == "json":
        print(json.dumps({
            "rules": rules.year, "threshold": s.threshold, "levels_paraphrased": paraphrased(rules),
            "innovations": [{"unit": r.unit_name, "innovation": r.innovation,
                             "score": None if r.score != r.score else r.score, "target": s.threshold,
                             **plan_record(r.plan), "summary": plan_summary(r.plan)}
                            for r in plans.itertuples()],
        }, ensure_ascii=False, indent=2))
    else:
        print(plans_text(plans, s.threshold, rules.year, paraphrased(rules)))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """The self-assessment workbook: for one unit, one pembina, or blank."""
    if args.unit and args.pembina:
        raise InputError("pilih --unit atau --pembina, salah satu saja.")
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"--out harus berkas .xlsx; tertulis {args.out}.")
    analysis = _plan_analysis(args)
    if args.unit:
        data = selfassessment.unit_workbook(analysis, selfassessment.resolve_unit(analysis, args.unit))
    elif args.pembina:
        name, units = selfassessment.pembina_units(units_of_pembina(analysis.units), args.pembina)
        data = selfassessment.pembina_workbook(analysis, name, units)
    else:
        data = selfassessment.blank_workbook(analysis.settings, analysis.units["unit_name"].tolist())
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{out} tidak dapat ditulis: {exc.strerror}.") from None
    print(f"Lembar Penilaian Mandiri tersimpan di {out}.")
    return 0


def _briefing_of(args: argparse.Namespace) -> briefing.Briefing:
    """From a stored snapshot (with its history: the pace) under the settings in force, as the dashboard
    shows it; or from files, read now, with no history (the pace is "belum terukur")."""
    if bool(args.files) == bool(args.db):
        raise InputError("sebutkan berkas ekspor atau --db (basis data unggahan), salah satu saja.")
    if args.db:
        if args.roster or args.as_of:
            raise InputError("--roster dan --as-of hanya dipakai bersama berkas ekspor; dengan --db dipakai daftar "
                             "unit dan tanggal data yang tersimpan.")
        store = _store(args.db)
        snapshot_id = args.snapshot if args.snapshot is not None else getattr(store.latest(), "id", None)
        if snapshot_id is None:
            raise InputError(f"Basis data {args.db} belum berisi unggahan.")
        settings, aliases = settings_in_force(store), store.aliases()
        chosen = store.snapshot(snapshot_id)
        analysis = snapshot_analysis(chosen, settings, aliases)
        key, infos = uploads.analysis_key(settings, fingerprint(aliases)), history_until(store.snapshots(), chosen.info)
        uploads.analyse_missing(store, infos, settings, key, aliases=aliases)  # kept, as the dashboard keeps them
        return briefing.compose(analysis, chosen.info.as_of, progress_frame(uploads.progress_points(store, infos, key)))
    if args.snapshot is not None:
        raise InputError("--snapshot hanya dipakai bersama --db.")
    settings = default_settings()
    analysis = analyse_sources([Source.from_path(p) for p in args.files], _roster(args.roster, settings), settings)
    return briefing.compose(analysis, _as_of(args.as_of))


def cmd_briefing(args: argparse.Namespace) -> int:
    """Every file for the meeting and the follow-up into one folder, each name with the data date."""
    b = _briefing_of(args)
    out = Path(args.out)
    files = exports.outputs(b)  # everything is built before anything is written
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
    except OSError as exc:
        raise InputError(f"Folder {out} tidak dapat ditulis: {exc.strerror}.") from None
    for name in files:
        print(out / name)
    print(f"{fmt.num(len(files))} berkas bahan rapat data per {fmt.datetime(b.as_of)} ditulis ke {out}.",
          file=sys.stderr)
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
        print(f"Data contoh dimuat ke {store.path}: unggahan {ids}.")
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


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=str(default_db_path()), metavar="PATH", help="bawaan: $IGA_DATA_DIR/iga.db")


def _rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--threshold", type=float, metavar="N", help="skor minimal (skala kematangan aturan IID)")
    p.add_argument("--required", type=int, metavar="N", help="inovasi wajib per unit")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m iga_data", description="Dasbor Kesiapan IGA — perintah baris.")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", required=True, parser_class=_Parser)

    report = sub.add_parser("report", help="ringkasan kesiapan dari berkas ekspor atau unggahan tersimpan")
    report.add_argument("files", nargs="*", metavar="BERKAS", help="ekspor .xlsx/.xlsm/.xls/.csv")
    report.add_argument("--roster", metavar="BERKAS", help="daftar unit yang wajib mengunggah")
    report.add_argument("--db", metavar="PATH", help="basis data unggahan (memakai daftar unit yang tersimpan)")
    report.add_argument("--snapshot", type=int, metavar="ID", help="nomor unggahan (bawaan: data terbaru)")
    report.add_argument("--aliases", metavar="BERKAS", help="padanan nama unit (.csv/.xlsx berkolom \"Nama di berkas\" "
                                                           "dan \"Nama unit\"), di atas yang tersimpan di --db")
    _rule_options(report)
    report.add_argument("--format", choices=["text", "json"], default="text")
    report.set_defaults(func=cmd_report)

    ing = sub.add_parser("ingest", help="simpan berkas ekspor sebagai unggahan bertanggal")
    ing.add_argument("files", nargs="+", metavar="BERKAS")
    ing.add_argument("--db", required=True, metavar="PATH")
    ing.add_argument("--roster", metavar="BERKAS", help="daftar unit (bawaan: yang berlaku di basis data)")
    ing.add_argument("--as-of", metavar="YYYY-MM-DD", help="tanggal data (bawaan: sekarang)")
    ing.add_argument("--uploader", default="baris perintah", metavar="NAMA")
    _rule_options(ing)
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
        ("delete-snapshot", cmd_delete_snapshot, "pindahkan snapshot ke Terhapus (dapat dipulihkan)"),
        ("restore-snapshot", cmd_restore_snapshot, "pulihkan snapshot dari Terhapus"),
        ("purge-snapshot", cmd_purge_snapshot, "hapus permanen snapshot yang ada di Terhapus"),
    ]:
        one = sub.add_parser(name, help=words)
        one.add_argument("id", type=int, metavar="ID", help="nomor unggahan")
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
    proj.add_argument("--spd", type=float, required=True, metavar="N", help="skor SPD Pemda (0 sampai maksimum SPD aturan IID)")
    proj.add_argument("--format", choices=["text", "json"], default="text")
    proj.set_defaults(func=cmd_project)

    plan = sub.add_parser("plan", help="jalan tersingkat ke skor minimal bagi inovasi di bawah ambang")
    plan.add_argument("files", nargs="+", metavar="BERKAS", help="ekspor atau Lembar Penilaian Mandiri yang terisi")
    plan.add_argument("--roster", metavar="BERKAS", help="daftar unit yang wajib mengunggah")
    plan.add_argument("--rules", type=int, metavar="TAHUN", help="tahun aturan IID (bawaan: pengaturan)")
    _rule_options(plan)
    plan.add_argument("--format", choices=["text", "json"], default="text")
    plan.set_defaults(func=cmd_plan)

    template = sub.add_parser("template", help="Lembar Penilaian Mandiri (.xlsx) untuk satu unit, satu pembina "
                                               "atau kosong")
    template.add_argument("files", nargs="*", metavar="BERKAS", help="ekspor untuk mengisi inovasi yang sudah ada")
    template.add_argument("--out", required=True, metavar="BERKAS", help="berkas .xlsx yang ditulis")
    template.add_argument("--roster", metavar="BERKAS", help="daftar unit (pilihan nama unit, kolom Pembina)")
    template.add_argument("--unit", metavar="NAMA", help="lembar untuk satu unit")
    template.add_argument("--pembina", metavar="NAMA", help="lembar untuk semua unit seorang pembina")
    template.add_argument("--rules", type=int, metavar="TAHUN", help="tahun aturan IID (bawaan: pengaturan)")
    _rule_options(template)
    template.set_defaults(func=cmd_template)

    brief = sub.add_parser("briefing", help="bahan rapat: daftar tindak lanjut (.xlsx), ringkasan satu halaman "
                                            "(.html, .pdf, .xlsx) dan pesan WhatsApp per pembina (.txt)")
    brief.add_argument("files", nargs="*", metavar="BERKAS", help="ekspor .xlsx/.xlsm/.xls/.csv")
    brief.add_argument("--roster", metavar="BERKAS", help="daftar unit (hanya bersama berkas ekspor)")
    brief.add_argument("--as-of", metavar="YYYY-MM-DD", help="tanggal data berkas ekspor (bawaan: sekarang)")
    brief.add_argument("--db", metavar="PATH", help="basis data snapshot (dengan riwayat: laju terukur)")
    brief.add_argument("--snapshot", type=int, metavar="ID", help="nomor snapshot (bawaan: data terbaru)")
    brief.add_argument("--out", required=True, metavar="FOLDER", help="folder tujuan (dibuat bila belum ada)")
    brief.set_defaults(func=cmd_briefing)

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
    if not os.environ.get("IGA_DEBUG"):  # the reader's and backups' warnings are for server logs, not for a CLI line
        logging.getLogger("iga_data").setLevel(logging.ERROR)
    try:
        with _argparse_in_indonesian():
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
        print(f"galat: terjadi kesalahan tak terduga ({type(exc).__name__}); tidak ada data yang diubah. "
              "Jalankan lagi dengan IGA_DEBUG=1 untuk rinciannya.", file=sys.stderr)
        return 2
