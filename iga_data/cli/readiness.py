"""Commands that read exports or stored uploads and say where the Pemda stands: report, project, plan, template, briefing."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .. import briefing, exports, fmt, selfassessment, simulation, uploads
from ..aliases import combined, fingerprint
from ..errors import InputError
from ..ingest import prepare, settings_in_force, snapshot_analysis, snapshot_settings
from ..pipeline import NO_ROSTER, Analysis, analyse, analyse_sources
from ..plan import paraphrased, plan_record, plans_for
from ..plan_text import plan_summary, plans_text
from ..readiness import units_of_pembina
from ..reading import LoadResult, Source, empty_rows
from ..rules import load_rules
from ..scoring import best_portfolio, project
from ..settings import default_settings
from ..timeline import history_until, progress_frame
from .common import (
    alias_file,
    as_of_arg,
    open_store,
    print_summary,
    roster_from,
    rule_options,
    settings_from,
)


def cmd_report(args: argparse.Namespace) -> int:
    if bool(args.files) == bool(args.db):
        raise InputError("sebutkan berkas ekspor atau --db (basis data unggahan), salah satu saja.")
    extra = alias_file(args.aliases)
    if args.db:
        store = open_store(args.db)
        snapshot_id = args.snapshot if args.snapshot is not None else getattr(store.latest(), "id", None)
        if snapshot_id is None:
            raise InputError(f"Basis data {args.db} belum berisi unggahan.")
        snapshot = store.snapshot(snapshot_id)
        analysis = snapshot_analysis(
            snapshot, settings_from(args, snapshot_settings(snapshot)), combined(store.aliases(), extra)
        )
        files, as_of = snapshot.info.files, snapshot.info.as_of
    else:
        if args.snapshot is not None:
            raise InputError("--snapshot hanya dipakai bersama --db.")
        settings = settings_from(args)
        roster = roster_from(args.roster, settings)
        sources = [Source.from_path(p) for p in args.files]
        analysis = analyse_sources(sources, roster, settings, extra)
        files, as_of = [s.name for s in sources], None
    print_summary(analysis.summary, files, args.format, as_of)
    return 0


def cmd_project(args: argparse.Namespace) -> int:
    """The IID the innovations in the files would give, and the best portfolio."""
    settings = default_settings().replace(rule_year=args.rules)
    rules = load_rules(args.rules)
    sources = [Source.from_path(p) for p in args.files]
    analysis = analyse_sources(sources, roster_from(args.roster, settings), settings)
    scores, urusan = simulation.entries(analysis)
    now = project(scores, urusan, args.spd, rules)
    best = best_portfolio(scores, urusan, args.spd, rules).projection
    result = {
        "rules": rules.year,
        "spd": round(args.spd, 2),
        "n": now.n,
        "divisor": now.divisor,
        "avg_kematangan": round(now.avg_kematangan, 2),
        "skor_jumlah_inovasi": round(now.skor_jumlah_inovasi, 2),
        "urusan_wajib_covered": now.urusan_covered,
        "sid": round(now.sid, 2),
        "iid": round(now.iid, 2),
        "predikat": now.predikat,
        "best_portfolio": {"n": best.n, "iid": round(best.iid, 2), "predikat": best.predikat},
    }
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(
            f"Proyeksi IID (aturan {rules.year}, SPD {fmt.num(args.spd, 2)}): {fmt.num(now.iid, 2)} — {now.predikat}\n"
            f"  n = {fmt.num(now.n)}, pembagi {fmt.num(now.divisor)}, rata-rata kematangan "
            f"{fmt.num(now.avg_kematangan, 2)}, skor jumlah inovasi {fmt.num(now.skor_jumlah_inovasi, 2)}, "
            f"SID {fmt.num(now.sid, 2)}\n"
            f"Portofolio terbaik: {fmt.num(best.n)} inovasi, IID {fmt.num(best.iid, 2)} — {best.predikat}"
        )
    return 0


def _plan_analysis(args: argparse.Namespace) -> Analysis:
    """`plan` and `template`: the files (none is fine for a template) under --threshold and --rules."""
    settings = settings_from(args)
    if args.rules is not None:
        settings = settings.replace(rule_year=args.rules)
    roster = roster_from(args.roster, settings)
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
        print(
            json.dumps(
                {
                    "rules": rules.year,
                    "threshold": s.threshold,
                    "levels_paraphrased": paraphrased(rules),
                    "innovations": [
                        {
                            "unit": r.unit_name,
                            "innovation": r.innovation,
                            "score": None if r.score != r.score else r.score,
                            "target": s.threshold,
                            **plan_record(r.plan),
                            "summary": plan_summary(r.plan),
                        }
                        for r in plans.itertuples()
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
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
            raise InputError(
                "--roster dan --as-of hanya dipakai bersama berkas ekspor; dengan --db dipakai daftar "
                "unit dan tanggal data yang tersimpan."
            )
        store = open_store(args.db)
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
    roster = Source.from_path(args.roster) if args.roster else None
    prepared = prepare(None, [Source.from_path(p) for p in args.files], roster, settings)
    return briefing.compose(prepared.require(), as_of_arg(args.as_of, prepared))


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
    if NO_ROSTER in b.analysis.summary.warnings:
        print(f"Peringatan: {NO_ROSTER}", file=sys.stderr)
    print(
        f"{fmt.num(len(files))} berkas bahan rapat data per {fmt.datetime(b.as_of)} ditulis ke {out}.", file=sys.stderr
    )
    return 0


def register(sub: Any) -> None:
    """Add this group's commands to the `python -m iga_data` parser."""
    report = sub.add_parser("report", help="ringkasan kesiapan dari berkas ekspor atau unggahan tersimpan")
    report.add_argument("files", nargs="*", metavar="BERKAS", help="ekspor .xlsx/.xlsm/.xls/.csv")
    report.add_argument("--roster", metavar="BERKAS", help="daftar unit yang wajib mengunggah")
    report.add_argument("--db", metavar="PATH", help="basis data unggahan (memakai daftar unit yang tersimpan)")
    report.add_argument("--snapshot", type=int, metavar="ID", help="nomor unggahan (bawaan: data terbaru)")
    report.add_argument(
        "--aliases",
        metavar="BERKAS",
        help='padanan nama unit (.csv/.xlsx berkolom "Nama di berkas" dan "Nama unit"), di atas yang tersimpan di --db',
    )
    rule_options(report)
    report.add_argument("--format", choices=["text", "json"], default="text")
    report.set_defaults(func=cmd_report)

    proj = sub.add_parser("project", help="proyeksi Indeks Inovasi Daerah dan portofolio terbaik")
    proj.add_argument("files", nargs="+", metavar="BERKAS")
    proj.add_argument("--roster", metavar="BERKAS")
    proj.add_argument("--rules", type=int, required=True, metavar="TAHUN", help="tahun aturan IID (mis. 2024)")
    proj.add_argument(
        "--spd", type=float, required=True, metavar="N", help="skor SPD Pemda (0 sampai maksimum SPD aturan IID)"
    )
    proj.add_argument("--format", choices=["text", "json"], default="text")
    proj.set_defaults(func=cmd_project)

    plan = sub.add_parser("plan", help="jalan tersingkat ke skor minimal bagi inovasi di bawah ambang")
    plan.add_argument("files", nargs="+", metavar="BERKAS", help="ekspor atau Lembar Penilaian Mandiri yang terisi")
    plan.add_argument("--roster", metavar="BERKAS", help="daftar unit yang wajib mengunggah")
    plan.add_argument("--rules", type=int, metavar="TAHUN", help="tahun aturan IID (bawaan: pengaturan)")
    rule_options(plan)
    plan.add_argument("--format", choices=["text", "json"], default="text")
    plan.set_defaults(func=cmd_plan)

    template = sub.add_parser(
        "template", help="Lembar Penilaian Mandiri (.xlsx) untuk satu unit, satu pembina atau kosong"
    )
    template.add_argument("files", nargs="*", metavar="BERKAS", help="ekspor untuk mengisi inovasi yang sudah ada")
    template.add_argument("--out", required=True, metavar="BERKAS", help="berkas .xlsx yang ditulis")
    template.add_argument("--roster", metavar="BERKAS", help="daftar unit (pilihan nama unit, kolom Pembina)")
    template.add_argument("--unit", metavar="NAMA", help="lembar untuk satu unit")
    template.add_argument("--pembina", metavar="NAMA", help="lembar untuk semua unit seorang pembina")
    template.add_argument("--rules", type=int, metavar="TAHUN", help="tahun aturan IID (bawaan: pengaturan)")
    rule_options(template)
    template.set_defaults(func=cmd_template)

    brief = sub.add_parser(
        "briefing",
        help="bahan rapat: daftar tindak lanjut (.xlsx), ringkasan satu halaman "
        "(.html, .pdf, .xlsx) dan pesan WhatsApp per pembina (.txt)",
    )
    brief.add_argument("files", nargs="*", metavar="BERKAS", help="ekspor .xlsx/.xlsm/.xls/.csv")
    brief.add_argument("--roster", metavar="BERKAS", help="daftar unit (hanya bersama berkas ekspor)")
    brief.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="tanggal data berkas ekspor (bawaan: tanggal yang tertulis di berkas, atau tanggal input terakhirnya, atau sekarang)",
    )
    brief.add_argument("--db", metavar="PATH", help="basis data unggahan (dengan riwayat: laju terukur)")
    brief.add_argument("--snapshot", type=int, metavar="ID", help="nomor unggahan (bawaan: data terbaru)")
    brief.add_argument("--out", required=True, metavar="FOLDER", help="folder tujuan (dibuat bila belum ada)")
    brief.set_defaults(func=cmd_briefing)
