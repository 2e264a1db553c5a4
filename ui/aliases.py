"""Resolving unit names by hand: each name no roster unit matched, with where it is written and the roster
units most like it; the operator picks one or says it is no unit in the roster. The choice is kept in the
database and applies to every upload, stored and new (the cache context includes the aliases)."""

from __future__ import annotations

import streamlit as st

from iga_data import fmt, tables
from iga_data.aliases import NOT_IN_ROSTER, alias_xlsx
from iga_data.errors import InputError
from iga_data.pipeline import Analysis
from iga_data.safetext import md

from .data import actor, store
from .shell import flash
from .upload import forget_upload
from .widgets import table

SHOWN = 25  # names offered at once; the rest after these are resolved
_OUTSIDE = "\x00bukan"  # the option "not a unit in the roster"


def resolve_names(analysis: Analysis, key: str) -> None:
    """The names to resolve, as a table and a form: pick a roster unit or "bukan unit dalam daftar"."""
    un = analysis.unmatched
    pending = un[~un["excluded"]]
    if analysis.roster is None or not len(analysis.roster):
        st.caption("Tanpa daftar unit, setiap nama di berkas dihitung sebagai unitnya sendiri.")
        return
    if un.empty:
        st.write("Semua nama unit cocok dengan daftar unit.")
        return
    table(tables.unmatched_table(analysis))
    if pending.empty:
        st.caption("Semua nama sudah dipadankan; ubah atau batalkan di daftar padanan.")
        return
    st.caption(
        'Pilih unit yang dimaksud tiap nama, atau "bukan unit dalam daftar". Pilihan disimpan sebagai '
        "padanan dan berlaku untuk semua unggahan, yang tersimpan maupun yang berikutnya; angka dihitung ulang."
    )
    roster_names = sorted(analysis.roster.units["name"].tolist(), key=str.lower)
    chosen: dict[str, str] = {}
    with st.form(f"{key}_aliases", border=True):
        for i, row in enumerate(pending.head(SHOWN).itertuples(index=False)):
            closest = dict(row.closest)
            options = [*closest, _OUTSIDE, *(n for n in roster_names if n not in closest)]

            def label(option: str, closest: dict[str, float] = closest) -> str:
                if option == _OUTSIDE:
                    return f"— {NOT_IN_ROSTER} —"
                return f"{option} ({fmt.num(closest[option], 0)}% mirip)" if option in closest else option

            pick = st.selectbox(
                f"{md(row.name)} — {fmt.num(row.innovations)} inovasi ({md(row.rows)})",
                options,
                index=None,
                placeholder="pilih unit …",
                format_func=label,
                key=f"{key}_alias_{i}",
            )
            if pick is not None:
                chosen[row.name] = "" if pick == _OUTSIDE else pick
        if len(pending) > SHOWN:
            st.caption(f"… dan {fmt.num(len(pending) - SHOWN)} nama lagi, tampil setelah yang di atas dipadankan.")
        submitted = st.form_submit_button("Simpan padanan", type="primary", icon=":material/link:")
    if submitted:
        if not chosen:
            st.warning("Belum ada nama yang dipilih unitnya.")
            return
        for written, unit in chosen.items():
            store().save_alias(written, unit, actor())
        forget_upload()  # a preview is analysed again with the new aliases
        flash(f"{fmt.num(len(chosen))} padanan nama unit disimpan; angka dihitung ulang untuk semua unggahan.")
        st.rerun()


def alias_list(key: str) -> None:
    """The aliases kept, undoable one by one, and the file `python -m iga_data report --aliases` reads."""
    aliases = store().aliases()
    if not aliases:
        st.caption("Belum ada padanan nama unit.")
        return
    table(tables.alias_table(aliases))
    left, right = st.columns(2)
    with left:
        undo = st.selectbox(
            "Batalkan padanan", [a.written for a in aliases], index=None, key=f"{key}_undo", placeholder="pilih nama …"
        )
        if st.button("Batalkan", key=f"{key}_undo_button", icon=":material/undo:", disabled=undo is None):
            try:
                store().delete_alias(str(undo), actor())
            except InputError as exc:
                st.error(md(exc))
            else:
                forget_upload()  # a preview is analysed again with the new aliases
                flash(f'Padanan "{undo}" dibatalkan; nama itu dicocokkan lagi dengan aturan biasa.')
                st.rerun()
    with right:
        st.download_button(
            "Unduh padanan (.xlsx)",
            alias_xlsx(aliases),
            file_name="padanan_nama_unit.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            key=f"{key}_download",
            help='Kolom "Nama di berkas" dan "Nama unit"; dipakai juga oleh '
            "`python -m iga_data report ... --aliases BERKAS`.",
        )
