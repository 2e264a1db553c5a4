"""Build the region reference shipped in iga_data/reference/ from the official Kepmendagri 2025 workbook.

    python tools/build_regions.py [WORKBOOK] [--out FOLDER]

WORKBOOK defaults to kode-wilayah-kepmendagri-2025.xlsx in $IGA_REFERENCE_DIR, else in
../shared/reference/ beside the repository; FOLDER to iga_data/reference/. The output is the
same, byte for byte, on every run from the same workbook (with the same zlib):
wilayah.tsv.gz (one "code<TAB>name" line per province,
kabupaten/kota, kecamatan and kelurahan/desa, sorted by code), the licence, and a NOTICE
naming the source and every change made.

Names are kept as published, OCR slips included ("Bumu Ayu"); only runs of spaces are
tidied. The village type is not stored: the workbook is checked to agree with the code
(first digit of the village part: 1 kelurahan, 2 desa, 3 desa adat), and that check fails
the build if a new edition breaks it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import sys
from pathlib import Path

import python_calamine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iga_data.regions import KIND_BY_DIGIT, KOTA_DIGIT, LICENSE_FILE, NOTICE_FILE, REFERENCE_DIR, REFERENCE_FILE, SOURCE  # noqa: E402

WORKBOOK_NAME = "kode-wilayah-kepmendagri-2025.xlsx"
LICENSE_NAME = "kode-wilayah-kepmendagri-2025.LICENSE"
HEADER = [
    "KODE DESA",
    "NAMA KELURAHAN/DESA/DESA ADAT",
    "KODE KECAMATAN",
    "NAMA KECAMATAN",
    "KODE KABUPATEN",
    "NAMA KABUPATEN",
    "KODE PROVINSI",
    "NAMA PROVINSI",
    "TIPE DESA(KELURAHAN, DESA, DESA ADAT)",
]
VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


def default_workbook() -> Path:
    folder = os.environ.get("IGA_REFERENCE_DIR")
    return (Path(folder) if folder else ROOT.parent / "shared" / "reference") / WORKBOOK_NAME


def tidy(text: str) -> str:
    return " ".join(str(text).split())


def read_rows(path: Path) -> list[list[str]]:
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    if [tidy(x) for x in rows[0]] != HEADER:
        sys.exit(f"{path.name}: unexpected header {rows[0]}; expected {HEADER}")
    return [[str(x) for x in r] for r in rows[1:]]


def entries(rows: list[list[str]]) -> tuple[dict[str, str], int]:
    """code -> name for every level, checked for consistency; and how many names had spaces tidied."""
    names: dict[str, str] = {}
    tidied: set[str] = set()
    problems = []
    for village, v_name, kec, kec_name, kab, kab_name, prov, prov_name, kind in rows:
        if (
            not VILLAGE_CODE.match(village)
            or not village.startswith(f"{kec}.")
            or not kec.startswith(f"{kab}.")
            or not kab.startswith(f"{prov}.")
        ):
            problems.append(f"codes do not nest: {village} {kec} {kab} {prov}")
        if KIND_BY_DIGIT.get(village[9]) != tidy(kind).lower():
            problems.append(f"{village}: type {kind!r} disagrees with the code")
        if tidy(kab_name).lower().startswith("kota ") != (kab[3] == KOTA_DIGIT):
            problems.append(f"{kab}: name {kab_name!r} disagrees with the code (kabupaten/kota)")
        for code, name in ((village, v_name), (kec, kec_name), (kab, kab_name), (prov, prov_name)):
            clean = tidy(name)
            if names.setdefault(code, clean) != clean:
                problems.append(f"{code}: two names, {names[code]!r} and {clean!r}")
            if clean != name:
                tidied.add(code)
    if problems:
        sys.exit("The workbook is not what this script expects:\n  " + "\n  ".join(problems[:20]))
    return names, len(tidied)


def notice(source_sha256: str, counts: dict[str, int], tidied: int) -> str:
    return (
        "Region reference (wilayah.tsv.gz)\n"
        "=================================\n\n"
        f"Source: {SOURCE}\n"
        f"Workbook: {WORKBOOK_NAME}, sha256 {source_sha256}\n"
        "Licence: Creative Commons Attribution 4.0 International (CC BY 4.0), see LICENSE in this folder\n"
        "and https://creativecommons.org/licenses/by/4.0/\n\n"
        "Changes made by tools/build_regions.py:\n"
        "- only codes and names are kept: one line per province, kabupaten/kota, kecamatan and\n"
        "  kelurahan/desa (the village type is the first digit of its last code part: 1 kelurahan,\n"
        "  2 desa, 3 desa adat; checked against the TIPE DESA column when built);\n"
        f"- leading, trailing and repeated spaces removed in {tidied} names;\n"
        "- nothing else: OCR slips and spellings that differ from local usage are kept as published\n"
        '  (for example 17.71.01.1004 "Bumu Ayu"); the dashboard lists them against a roster\n'
        "  instead of correcting them.\n\n"
        f"Entries: {counts['province']} provinsi, {counts['pemda']} kabupaten/kota, "
        f"{counts['kecamatan']} kecamatan, {counts['village']} kelurahan/desa.\n"
    )


def build(workbook: Path, out: Path = REFERENCE_DIR) -> Path:
    """Write the reference, its licence and its NOTICE into `out`; return the reference's path."""
    data = workbook.read_bytes()
    names, tidied = entries(read_rows(workbook))
    lines = ["kode\tnama", *(f"{code}\t{names[code]}" for code in sorted(names))]
    out.mkdir(parents=True, exist_ok=True)
    reference = out / REFERENCE_FILE.name
    reference.write_bytes(gzip.compress("\n".join(lines).encode() + b"\n", compresslevel=9, mtime=0))
    (out / LICENSE_FILE.name).write_bytes((workbook.parent / LICENSE_NAME).read_bytes())
    by_length = {2: "province", 5: "pemda", 8: "kecamatan", 13: "village"}
    counts = {level: sum(1 for c in names if len(c) == n) for n, level in by_length.items()}
    (out / NOTICE_FILE.name).write_text(notice(hashlib.sha256(data).hexdigest(), counts, tidied), encoding="utf-8")
    return reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", nargs="?", type=Path, default=default_workbook())
    parser.add_argument("--out", type=Path, default=REFERENCE_DIR, help="folder to write into")
    args = parser.parse_args()
    if not args.workbook.is_file():
        sys.exit(f"{args.workbook} not found: pass the workbook's path or set IGA_REFERENCE_DIR.")
    reference = build(args.workbook, args.out)
    print(f"{reference}: {reference.stat().st_size} bytes")


if __name__ == "__main__":
    main()
