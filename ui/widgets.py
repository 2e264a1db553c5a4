"""Charts, tables and the small HTML blocks drawn the same way on every page.

Every text placed in HTML here is escaped: unit and innovation names come from uploaded files.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from iga_data import plan_text, safetext, wording
from iga_data.settings import Settings
from iga_data.wording import Answer

from .data import pace_chart

PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}
CARDS_SHOWN = 300  # more would make a phone page very long; the table and the workbook hold them all


def chart(fig: go.Figure, key: str | None = None) -> None:
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key)


def table(frame: pd.DataFrame | Styler, **kwargs: Any) -> None:
    """A table whose own CSV download and copy give inert text: a cell "=HYPERLINK(…)" from an upload stays text
    in a spreadsheet (shown with a leading apostrophe)."""
    if isinstance(frame, Styler):
        frame.data = safetext.csv_frame(frame.data)
    else:
        frame = safetext.csv_frame(frame)
    st.dataframe(frame, hide_index=True, placeholder="–", **kwargs)


def answers(items: Sequence[Answer]) -> None:
    """The four answers leaders look for first, as tiles: four in a row on a laptop, two by two on a phone."""
    tiles = "".join(
        f'<div class="iga-answer {html.escape(a.tone)}"><div class="q">{html.escape(a.question)}</div>'
        f'<div class="v">{html.escape(a.value)}</div><div class="n">{html.escape(a.note)}</div></div>'
        for a in items
    )
    st.html(f'<div class="iga-answers">{tiles}</div>')


def unit_cards(cards: Sequence[dict[str, str]]) -> None:
    """Units with their status and what they still have to do, never cut off: rows on a laptop, cards on a phone."""
    shown = cards[:CARDS_SHOWN]
    rows = "".join(
        f'<div class="iga-unit"><div class="u">{html.escape(c["name"])}'
        + (f'<div class="p">{html.escape(c["pembina"])}</div>' if c["pembina"] else "")
        + f'</div><div><span class="iga-chip {html.escape(c["tone"])}">{html.escape(c["status"])}</span></div>'
        f'<div class="a">{html.escape(c["action"])}</div></div>'
        for c in shown
    )
    st.html(f'<div class="iga-units">{rows}</div>')
    if len(cards) > len(shown):
        st.caption(
            f"{len(shown)} dari {len(cards)} unit ditampilkan; saring daftar ini, atau buka tabel lengkap di "
            "bawah dan unduh daftar tindak lanjut untuk semuanya."
        )


def plan_list(items: Sequence[plan_text.PlanItem]) -> None:
    """Each innovation's road to the threshold as a short numbered list: readable on a phone, unlike a table."""
    for item in items:
        steps = "".join(f"\n{i}. {safetext.md(step)}" for i, step in enumerate(item.steps, 1))
        st.markdown(f"**{safetext.md(item.innovation)}** · {item.score}{steps}\n\n{safetext.md(item.outcome)}")


def progress_block(progress: pd.DataFrame, s: Settings, key: str, left_out: int = 0) -> None:
    """The progress chart with the pace read out under it, what the estimate rests on, and how many uploads of
    another Pemda or IGA year it leaves out (Ringkasan and Tren)."""
    pace, figure = pace_chart(progress, s.deadline)
    chart(figure, key=key)
    show = {"success": st.success, "warning": st.warning, "error": st.error}[wording.PACE_LEVELS[pace.verdict]]
    show(wording.pace_statement(pace, s.deadline))
    if basis := wording.pace_basis(pace):
        st.caption(basis)
    if left_out:
        st.caption(wording.other_histories(left_out))
