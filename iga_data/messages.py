"""Words of the files that leave the dashboard: WhatsApp messages to each pembina, titles of the workbooks and
the briefing. Sentences the dashboard already shows come from wording.py and plan_text.py; the new ones live here.

A WhatsApp message holds at most 4,096 characters, so a long list is split into numbered parts "(1/3)",
never inside one unit's lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from . import fmt, wording
from .pipeline import Analysis
from .plan import plans_for
from .plan_text import NO_LEVELS, plan_summary
from .readiness import by_pembina, lagging_first
from .settings import Settings

WHATSAPP_LIMIT = 4096  # characters per WhatsApp message, counted in UTF-16 units as WhatsApp does
NO_PEMBINA = "(belum ditentukan)"  # as tables.pembina_table shows it


def and_more(n: int) -> str:
    """What a cut list ends with: '… dan 12 lainnya'."""
    return f"… dan {fmt.num(n)} lainnya"


def title(settings: Settings, what: str) -> str:
    """'Ringkasan kesiapan IGA 2024 — Kota Bengkulu'."""
    return f"{what} IGA {settings.season_year} — {settings.city}"


def data_line(settings: Settings, as_of: dt.datetime) -> str:
    """The line under every title: when the data is from and the rules it is counted by."""
    return f"Data per {fmt.datetime(as_of)} · aturan: {wording.rules_line(settings)}"


def briefing_footer(as_of: dt.datetime) -> str:
    return (
        f"Semua angka dihitung oleh Dasbor Kesiapan IGA dari data per {fmt.datetime(as_of)} dengan aturan yang "
        "berlaku. IID adalah perkiraan, bukan nilai resmi BSKDN."
    )


def pembina_line(pembina: str, lagging: int, units: int) -> str:
    return f"Pembina: {pembina or NO_PEMBINA} — {fmt.num(lagging)} dari {fmt.num(units)} unit belum siap"


def lagging_units(analysis: Analysis, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Units not ready, in the order Kesiapan Unit shows them (`tables.unit_cards`): furthest from ready first,
    then by name; with their action in words (`action`)."""
    units = analysis.units if units is None else units
    lagging = units[units["status"] != "ready"]
    ordered = lagging_first(lagging)
    return ordered.assign(action=wording.unit_actions(analysis, ordered))


def unit_plans(analysis: Analysis) -> dict[str, list[str]]:
    """Per unit key: the road to the threshold of each of its innovations under it whose indicator levels are
    known, closest to the threshold first ("'Bank Sampah': Ke 71 dalam 3 langkah: …")."""
    plans = plans_for(analysis)
    known = plans[plans["plan"].notna()].sort_values(
        ["unit_key", "score"], ascending=[True, False], na_position="last", kind="stable"
    )
    out: dict[str, list[str]] = {}
    for key, innovation, plan in zip(known["unit_key"], known["innovation"], known["plan"]):
        out.setdefault(key, []).append(f"'{innovation}': {plan_summary(plan)}")
    return out


def plan_cell(plans: list[str], has_weak: bool) -> str:
    """The follow-up workbook's road-to-threshold cell: the plans, or why there is none."""
    if plans:
        return "; ".join(plans)
    return NO_LEVELS if has_weak else "–"


@dataclass(frozen=True)
class Message:
    """The WhatsApp text for one pembina ("" for the one to all), in parts of at most WHATSAPP_LIMIT."""

    pembina: str
    units: int  # units not ready it lists
    parts: tuple[str, ...]

    @property
    def recipient(self) -> str:
        """How a page lists it: 'Semua unit belum siap (127 unit)', 'Dinas Pendidikan (56 unit)'."""
        return f"{self.pembina or 'Semua unit belum siap'} ({fmt.num(self.units)} unit)"

    @property
    def text(self) -> str:
        """All parts, one after the other (the .txt the CLI writes)."""
        return "\n\n".join(self.parts)


def whatsapp(analysis: Analysis, as_of: dt.datetime) -> list[Message]:
    """One message to all (first), then one per pembina with units not ready, most lagging first; none when
    every unit is ready.

    Units without a known pembina are in the message to all only: there is nobody else to address.
    """
    s = analysis.settings
    lagging = lagging_units(analysis)
    if lagging.empty:
        return []
    plans = unit_plans(analysis)
    blocks = {
        key: _unit_block(row, plans.get(key, []), s) for key, row in zip(lagging["unit_key"], lagging.itertuples())
    }
    all_units = [
        f"{i}. {blocks[k]}\n   Pembina: {p or NO_PEMBINA}"
        for i, (k, p) in enumerate(zip(lagging["unit_key"], lagging["pembina"]), 1)
    ]
    out = [
        Message(
            "",
            len(lagging),
            split([_opening(s, as_of, "", len(lagging), len(analysis.units)), *all_units, _closing(bool(plans))]),
        )
    ]
    for group in by_pembina(analysis.units).itertuples():
        if not group.pembina or not group.lagging:
            continue
        numbered = [f"{i}. {blocks[k]}" for i, k in enumerate(group.lagging_keys, 1)]  # the same order
        opening = _opening(s, as_of, group.pembina, group.lagging, group.units)
        out.append(Message(group.pembina, group.lagging, split([opening, *numbered, _closing(bool(plans))])))
    return out


def _opening(s: Settings, as_of: dt.datetime, pembina: str, lagging: int, units: int) -> str:
    to = (
        f"Bapak/Ibu Pimpinan {pembina}"
        if pembina
        else f"Bapak/Ibu Pimpinan Unit Kerja di lingkungan Pemerintah {s.city}"
    )
    whose = "unit binaan Bapak/Ibu" if pembina else "unit"
    left = wording.deadline_text(as_of.date(), s.deadline)
    return (
        f"*{title(s, 'Tindak lanjut kesiapan')}*\n"
        f"Yth. {to},\n\n"
        f"Dengan hormat, berdasarkan data per {fmt.datetime(as_of)}, {fmt.num(lagging)} dari {fmt.num(units)} "
        f"{whose} belum memenuhi ketentuan: setiap unit mengunggah {s.required_per_unit} inovasi dengan skor "
        f"minimal {fmt.score(s.threshold)} ({wording.score_scale(s)}) paling lambat {fmt.date(s.deadline)} "
        f"({left}). Mohon unit berikut ditindaklanjuti:"
    )


def _unit_block(row, plans: list[str], s: Settings) -> str:
    """One unit: name, status, what it still needs, its contact, and the road to the threshold when known."""
    lines = [
        f"*{row.unit_name}* — {wording.STATUS_LABELS[row.status]}: {row.action}."
        + (f" Kontak: {row.contact}." if row.contact else "")
    ]
    lines += [f"   Jalan ke {fmt.score(s.threshold)} — {p}" for p in plans]
    return "\n".join(lines)


def _closing(any_plan: bool) -> str:
    levels = (
        ""
        if any_plan
        else "Bila level indikator sebuah inovasi belum diketahui, unit dapat mengisi Lembar "
        "Penilaian Mandiri dari Bappeda untuk melihat langkah tersingkat menuju skor minimal.\n\n"
    )
    return levels + "Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih."


def size(text: str) -> int:
    """Length as WhatsApp counts it: UTF-16 units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _fit(block: str, room: int) -> str:
    """A block cut to `room` with '…' when it alone is too long (a hostile 40,000-character unit name)."""
    if size(block) <= room:
        return block
    cut = block[: room - 1]
    while size(cut) > room - 1:
        cut = cut[:-1]
    return cut + "…"


def _pack(blocks: Sequence[str], room: int) -> list[str]:
    parts: list[str] = []
    for block in (_fit(b, room) for b in blocks):
        if parts and size(parts[-1]) + 2 + size(block) <= room:
            parts[-1] += "\n\n" + block
        else:
            parts.append(block)
    return parts


def split(blocks: Sequence[str], limit: int = WHATSAPP_LIMIT) -> tuple[str, ...]:
    """Blocks (opening, one per unit, closing) packed into messages of at most `limit` characters, a blank line
    between blocks, never splitting a block; numbered "(1/3)" on a line of its own when more than one."""
    parts = _pack(blocks, limit)
    if len(parts) <= 1:
        return tuple(parts)
    digits = 1
    while True:
        label = f"({'9' * digits}/{'9' * digits})\n"
        parts = _pack(blocks, limit - size(label))
        if len(parts) < 10**digits:
            return tuple(f"({i}/{len(parts)})\n{p}" for i, p in enumerate(parts, 1))
        digits += 1
