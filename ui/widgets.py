"""Charts and tables drawn the same way on every page."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from iga_data import charts, timeline
from iga_data.settings import Settings

PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}


def chart(fig: go.Figure, key: str | None = None) -> None:
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key)


def table(frame: Any, **kwargs: Any) -> None:
    st.dataframe(frame, hide_index=True, **kwargs)


def progress_block(progress: pd.DataFrame, s: Settings, key: str) -> None:
    """The progress chart with the pace read out under it (Ringkasan and Tren)."""
    pace = timeline.pace(progress, s.deadline)
    chart(charts.progress(progress, s.deadline, pace), key=key)
    (st.success if pace.enough else st.warning)(pace.statement)
