"""The upload flow: read an upload once per content, keep it in the session until saved, map columns by hand."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import streamlit as st
from openpyxl.utils import get_column_letter

from iga_data import fmt, ingest
from iga_data.errors import InputError
from iga_data.reading import (
    MANUAL_FIELDS,
    SUPPORTED_EXTENSIONS,
    SheetReport,
    Source,
    manual_mapping,
)
from iga_data.reading.model import UNIT_SOURCES
from iga_data.roster import Roster
from iga_data.safetext import md
from iga_data.settings import Settings
from iga_data.vocabulary import field_label

from .data import actor, context, roster_of, store
from .shell import flash

UPLOAD_TYPES = [ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS]


def _sources(files: list[Any]) -> list[Source]:
    """Read each UploadedFile's bytes once; UploadedFile objects are never kept."""
    return [Source(f.name, f.getvalue()) for f in files]


def prepare_upload(files: list[Any], roster_file: Any, s: Settings, base: Sequence[Source] = ()) -> ingest.Prepared:
    """Read and analyse an upload once per content (kept in the session until saved); `base` are the files of a
    stored upload this one adds to (read first, so a newer row of the same innovation wins)."""
    sources = [*base, *_sources(files)]
    roster_source = _sources([roster_file])[0] if roster_file is not None else None
    key = (
        tuple(x.sha256 for x in sources),
        roster_source.sha256 if roster_source else None,
        context(s),
        json.dumps(store().mappings(), sort_keys=True),
    )
    cached = st.session_state.get("prepared")
    if cached and cached[0] == key:
        return cached[1]
    with st.status("Membaca berkas …", expanded=False) as status:
        bar = st.progress(0.0)

        def step(done: int, total: int, name: str) -> None:
            bar.progress(done / total, text=f"Membaca {name} ({done + 1} dari {total})")

        try:
            prepared = ingest.prepare(store(), sources, roster_source, s, progress=step)
        except InputError:
            status.update(label="Berkas tidak dapat dibaca", state="error")
            raise
        bar.progress(1.0, text="Selesai")
        status.update(label=f"{fmt.num(len(sources))} berkas dibaca", state="complete")
    st.session_state["prepared"] = (key, prepared)
    return prepared


def forget_upload() -> None:
    st.session_state.pop("prepared", None)


def mapping_form(sheet: SheetReport, ask: Sequence[str] = MANUAL_FIELDS) -> None:
    """Pick a sheet's columns by hand, asking only for the fields in `ask` (pre-filled with what was
    understood); the rest is kept as recognised. Remembered per header layout."""
    current = {f: c for f, c in sheet.mapping.items() if f in MANUAL_FIELDS}
    options = [None, *range(len(sheet.headers))]
    ident = hashlib.sha256(f"{sheet.file}|{sheet.sheet}|{sheet.header_key}".encode()).hexdigest()[:10]

    def describe(i: int | None) -> str:
        if i is None:
            return "— tidak ada —"
        sample = sheet.samples[i] if i < len(sheet.samples) and sheet.samples[i] else ""
        return f"{get_column_letter(i + 1)} · {sheet.headers[i] or '(tanpa judul)'}" + (
            f" — mis. {sample[:30]}" if sample else ""
        )

    kept = {f: c for f, c in current.items() if f not in ask}
    if kept:
        st.caption("Sudah dikenali: " + md("; ".join(f"{field_label(f)} = {describe(c)}" for f, c in kept.items())))
    mapping: dict[str, int] = dict(kept)
    asked = [f for f in MANUAL_FIELDS if f in ask]
    for n, name in enumerate(asked):
        if n % 2 == 0:
            row = st.columns(2)  # one row per pair, so a phone keeps the order
        label = field_label(name) + (" (wajib)" if name in ("unit", "innovation") else "")
        choice = row[n % 2].selectbox(
            label, options, index=options.index(current.get(name)), key=f"pick_{ident}_{name}", format_func=describe
        )
        if choice is not None:
            mapping[name] = choice
    unit_elsewhere = bool(sheet.unit_from) or any(f in sheet.mapping for f in UNIT_SOURCES if f != "unit")
    problem = (
        "Pilih kolom nama unit dan nama inovasi."
        if ("unit" not in mapping and not unit_elsewhere) or "innovation" not in mapping
        else "Satu kolom hanya boleh dipilih untuk satu isian."
        if len(set(mapping.values())) < len(mapping)
        else ""
    )
    if problem:
        st.caption(problem)
    if st.button("Pakai pemetaan ini", key=f"map_{ident}", type="primary", disabled=bool(problem)):
        store().remember_mapping(sheet.header_key, manual_mapping(sheet, mapping), actor())
        forget_upload()
        flash(f'Pemetaan kolom lembar "{sheet.sheet}" disimpan dan dipakai untuk berkas dengan judul kolom sama.')
        st.rerun()


def read_uploaded_roster(file: Any, city: str) -> tuple[Source, Roster]:
    source = _sources([file])[0]
    return source, roster_of(source, city)
