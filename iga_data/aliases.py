"""Names the operator resolved by hand: "dinkes_kotabkl" is Dinas Kesehatan, "Forum Anak" is no roster unit.

An alias maps a name as written in the files to a roster unit's name ("" when
the operator said the name is not a unit in the roster). Aliases are kept in
the database and apply to every stored upload at once; the same table travels
as a file with the columns "Nama di berkas" and "Nama unit" (the dashboard's
download, `python -m iga_data report ... --aliases FILE`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook

from . import safetext
from .errors import InputError
from .names import compact_key, norm_text
from .reading import Source, cell_text
from .reading.grids import read_grids

WRITTEN, UNIT = "Nama di berkas", "Nama unit"
NOT_IN_ROSTER = "bukan unit dalam daftar"
# A file's "Nama unit" cell saying the name is not a roster unit.
_NOT_IN_ROSTER_CELLS = {"", "-", norm_text(NOT_IN_ROSTER), "bukan unit", "tidak ada di daftar"}


@dataclass(frozen=True)
class Alias:
    written: str  # the name as it appears in the files
    unit: str  # the roster unit's name; "" when the name is not a unit in the roster
    by: str = ""  # who chose it
    at: str = ""  # when (ISO), for the list


def alias_key(written: str) -> str:
    """Two spellings are one alias when they differ only in case, spacing and punctuation."""
    return compact_key(written)


def lookup(aliases: Iterable[Alias]) -> dict[str, str]:
    """alias key -> roster unit name ("" = not a roster unit); a later alias of the same key wins."""
    return {alias_key(a.written): a.unit for a in aliases}


def combined(stored: Iterable[Alias], extra: Iterable[Alias]) -> tuple[Alias, ...]:
    """The stored aliases with those of a file on top (the file wins for the same name)."""
    out = {alias_key(a.written): a for a in stored}
    out.update({alias_key(a.written): a for a in extra})
    return tuple(out.values())


def fingerprint(aliases: Iterable[Alias]) -> str:
    """What an analysis depends on: the pairs, not who chose them or when (part of every cache and summary
    key); "" when there are none, so keys stay what they were for those who never resolve a name."""
    pairs = sorted(lookup(aliases).items())
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()[:16] if pairs else ""


def read_alias_file(source: Source) -> tuple[Alias, ...]:
    """Aliases from a .csv/.xlsx with the columns "Nama di berkas" and "Nama unit" (title rows above are fine)."""
    wanted = (compact_key(WRITTEN), compact_key(UNIT))
    for grid in read_grids(source):
        for r, row in enumerate(grid.rows(0, 30)):
            keys = [compact_key(cell_text(v)) for v in row]
            if all(k in keys for k in wanted):
                w, u = keys.index(wanted[0]), keys.index(wanted[1])
                return tuple(
                    Alias(written, "" if norm_text(unit) in _NOT_IN_ROSTER_CELLS else unit, by=source.name)
                    for written_cell, unit_cell in zip(grid.texts(w)[r + 1 :], grid.texts(u)[r + 1 :])
                    if (written := _unquoted(written_cell))
                    for unit in [_unquoted(unit_cell)]
                )
    raise InputError(
        f"{source.name} tidak punya kolom '{WRITTEN}' dan '{UNIT}'; "
        "unduh contoh berkas padanan dari halaman Unggah Data atau `python -m iga_data aliases`."
    )


def _unquoted(text: str) -> str:
    """A CSV cell written with a "'" before a formula-like start ("'=x", safetext.csv_cell) read back as it was."""
    return text[1:] if text[:1] == "'" and text[1:2] and text[1:2] in safetext.FORMULA_START else text


def file_rows(aliases: Iterable[Alias]) -> list[list[str]]:
    """The alias table as the file writes it, header first, sorted by name."""
    return [[WRITTEN, UNIT]] + [
        [a.written, a.unit or NOT_IN_ROSTER] for a in sorted(aliases, key=lambda a: norm_text(a.written))
    ]


def alias_xlsx(aliases: Iterable[Alias]) -> bytes:
    """The alias file as .xlsx; every name is a text cell, never a formula."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Padanan nama unit"
    for row in file_rows(aliases):
        safetext.append(ws, row)
    ws.column_dimensions["A"].width = ws.column_dimensions["B"].width = 50
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def alias_csv(aliases: Iterable[Alias]) -> bytes:
    """The alias file as UTF-8 CSV (with BOM, so Excel shows the accents)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in file_rows(aliases):
        writer.writerow([safetext.csv_cell(x) for x in row])
    return buf.getvalue().encode("utf-8-sig")
