"""Plotly figures with Indonesian labels, built to stay readable at phone width.

Horizontal bars (names on the axis, not under it), legends above the plot,
small margins, and Indonesian separators (1.234 and 72,5) via `separators`.
Titles are left to the page (a heading wraps on a phone; a Plotly title does not).
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd
import plotly.graph_objects as go

from . import fmt
from .readiness import STATUSES
from .timeline import Pace
from .vocabulary import type_codes, type_labels, urusan_short_names
from .wording import STATUS_LABELS

STATUS_COLOURS = {
    "ready": "#2e7d32",
    "needs_improvement": "#f2a900",
    "incomplete": "#ef6c00",
    "none": "#c62828",
}
PRIMARY = "#0f5c8c"
MUTED = "#9fb3c8"
DAILY_TICKS_DAYS = 21  # up to three weeks of uploads: one axis label per day


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 12, "t": 36, "b": 8},
        separators=",.",
        font={"size": 13},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": None},
        plot_bgcolor="white",
        hoverlabel={"font_size": 13},
    )
    fig.update_xaxes(gridcolor="#e6ecf1", zeroline=False, automargin=True)
    fig.update_yaxes(gridcolor="#e6ecf1", zeroline=False, automargin=True)
    return fig


def _wrap(label: str, width: int = 24) -> str:
    """Long axis labels on several lines, so the bars keep their width on a phone."""
    return "<br>".join(textwrap.wrap(label, width)) or label


def type_order(units: pd.DataFrame) -> list[str]:
    """Unit types present, the lowest share of ready units first (the ones to act on at the top)."""
    present = [t for t in type_codes() if (units["unit_type"] == t).any()]
    share = {t: float((units.loc[units["unit_type"] == t, "status"] == "ready").mean()) for t in present}
    return sorted(present, key=lambda t: (share[t], present.index(t)))


def status_by_type(units: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars per unit type, the lowest % ready on top, each labelled "ready/expected · %"."""
    labels = type_labels()
    present = type_order(units)
    counts = units.groupby(["unit_type", "status"]).size()
    totals = [int((units["unit_type"] == t).sum()) for t in present]
    widest = max(totals, default=1)
    fig = go.Figure()
    for status in STATUSES:
        values = [int(counts.get((t, status), 0)) for t in present]
        fig.add_bar(
            y=[labels[t] for t in present],
            x=values,
            orientation="h",
            name=STATUS_LABELS[status],
            marker_color=STATUS_COLOURS[status],
            textposition="inside",
            text=[v if v >= widest / 12 else "" for v in values],  # no digits squeezed into slivers
            insidetextanchor="middle",
            textfont={"color": "white"},
            hovertemplate="%{y}<br>" + STATUS_LABELS[status] + ": %{x:,d} unit<extra></extra>",
        )
    for t, total in zip(present, totals):
        ready = int(counts.get((t, "ready"), 0))
        fig.add_annotation(
            x=total,
            y=labels[t],
            text=f"{fmt.num(ready)}/{fmt.num(total)} · {fmt.pct(ready, total, 0)}",
            showarrow=False,
            xanchor="left",
            xshift=4,
            font={"size": 12, "color": "#1b2733"},
        )
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Jumlah unit", range=[0, widest * 1.32])
    return _layout(fig, 130 + 44 * max(len(present), 1))


def trend(history: pd.DataFrame, local_target: int | None, compact: bool = False) -> go.Figure:
    """Innovations per season (this season provisional) against the local need."""
    years = history["tahun"].astype(str)
    colours = [PRIMARY if c else MUTED for c in history["current"]]
    text = [
        f"{fmt.num(n)}" + ("" if compact else f"<br>{h}" if h else "")
        for n, h in zip(history["jumlah_inovasi"], history["hasil"].fillna(""))
    ]
    fig = go.Figure(
        go.Bar(
            x=years,
            y=history["jumlah_inovasi"],
            marker_color=colours,
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,d} inovasi<extra></extra>",
        )
    )
    if local_target:
        fig.add_hline(
            y=local_target,
            line_dash="dash",
            line_color=STATUS_COLOURS["ready"],
            annotation_text=f"kebutuhan lokal {fmt.num(local_target)}",
            annotation_position="top left",
        )
    top = max([local_target or 0, *history["jumlah_inovasi"].tolist()]) * 1.25
    fig.update_yaxes(title=None if compact else "Jumlah inovasi", range=[0, top])
    fig.update_xaxes(type="category")
    return _layout(fig, 240 if compact else 400)


def score_histogram(scores: pd.Series, threshold: float, max_score: float) -> go.Figure:
    """Distribution of kematangan scores (0..max_score of the rule year), split at the threshold."""
    s = scores.dropna()
    bins = {"start": 0, "end": max_score + 4, "size": 5}
    fig = go.Figure()
    fig.add_histogram(
        x=s[s < threshold],
        xbins=bins,
        name=f"di bawah {fmt.score(threshold)}",
        marker_color=STATUS_COLOURS["incomplete"],
        hovertemplate="skor %{x}: %{y:,d} inovasi<extra></extra>",
    )
    fig.add_histogram(
        x=s[s >= threshold],
        xbins=bins,
        name=f"{fmt.score(threshold)} ke atas",
        marker_color=STATUS_COLOURS["ready"],
        hovertemplate="skor %{x}: %{y:,d} inovasi<extra></extra>",
    )
    fig.add_vline(
        x=threshold,
        line_dash="dash",
        line_color="#1b2733",
        annotation_text=f"ambang {fmt.score(threshold)}",
        annotation_position="top left",
    )
    fig.update_layout(barmode="overlay", bargap=0.05)
    fig.update_xaxes(title=f"Skor kematangan (0–{fmt.num(max_score)})", range=[0, max_score + 4])
    fig.update_yaxes(title="Jumlah inovasi")
    return _layout(fig, 340)


def coverage(counts: pd.Series) -> go.Figure:
    """Innovations per urusan wajib; an urusan with none is red."""
    colours = [STATUS_COLOURS["none"] if v == 0 else PRIMARY for v in counts.values]
    short = urusan_short_names()
    fig = go.Figure(
        go.Bar(
            y=[_wrap(short.get(u, u), 16) for u in counts.index],
            x=counts.values,
            orientation="h",
            marker_color=colours,
            customdata=list(counts.index),
            text=[fmt.num(v) for v in counts.values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{customdata}: %{x:,d} inovasi<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Jumlah inovasi", range=[0, max(counts.max(), 1) * 1.2], tickangle=0)
    return _layout(fig, 110 + 52 * len(counts))


def progress(frame: pd.DataFrame, deadline: dt.date, pace: Pace) -> go.Figure:
    """Ready units and units that uploaded anything, across snapshots, with the pace to the deadline."""
    fig = go.Figure()
    fig.add_scatter(
        x=frame["as_of"],
        y=frame["uploaded"],
        mode="lines+markers",
        name="Unit sudah mengunggah",
        line={"color": PRIMARY, "width": 2},
        hovertemplate="%{x|%d/%m %H.%M}: %{y:,d} unit mengunggah<extra></extra>",
    )
    fig.add_scatter(
        x=frame["as_of"],
        y=frame["ready"],
        mode="lines+markers",
        name="Unit siap",
        line={"color": STATUS_COLOURS["ready"], "width": 3},
        hovertemplate="%{x|%d/%m %H.%M}: %{y:,d} unit siap<extra></extra>",
    )
    expected = int(frame["expected"].iloc[-1]) if len(frame) else 0
    if expected:
        fig.add_hline(
            y=expected,
            line_dash="dot",
            line_color="#1b2733",
            annotation_text=f"semua unit ({fmt.num(expected)})",
            annotation_position="bottom left",
        )
    end = dt.datetime.combine(deadline, dt.time(23, 59))
    if len(frame) and expected:
        last = frame.iloc[-1]
        start = last["as_of"].to_pydatetime()
        if pace.needed_per_day and end > start:
            fig.add_scatter(
                x=[start, end],
                y=[last["ready"], expected],
                mode="lines",
                name="Laju yang diperlukan",
                line={"color": "#5b6b7b", "dash": "dot"},
                hovertemplate="%{x|%d/%m}: perlu %{y:,.0f} unit siap<extra></extra>",
            )
        for rate, name, dash in (
            (pace.cautious_per_day, "Perkiraan hati-hati", "dash"),
            (pace.fast_per_day, "Perkiraan tercepat", "longdashdot"),
        ):
            if rate and rate > 0 and end > start:
                stop = min(end, start + dt.timedelta(days=(expected - last["ready"]) / rate))
                reach = min(last["ready"] + rate * (stop - start).total_seconds() / 86400, expected)
                fig.add_scatter(
                    x=[start, stop],
                    y=[last["ready"], reach],
                    mode="lines",
                    name=name,
                    line={"color": STATUS_COLOURS["ready"], "dash": dash, "width": 2},
                    hovertemplate="%{x|%d/%m}: ±%{y:,.0f} unit siap<extra></extra>",
                )
    after = len(frame) and frame["as_of"].max() > end  # data after the deadline: its label goes right of the line
    fig.add_vline(
        x=end.timestamp() * 1000,
        line_dash="dash",
        line_color=STATUS_COLOURS["none"],
        annotation_text=f"tenggat {deadline:%d/%m/%Y}" if after else f"tenggat {deadline:%d/%m}",
        annotation_position="bottom right" if after else "bottom left",
    )
    first, last = (frame["as_of"].min(), max(end, frame["as_of"].max())) if len(frame) else (end, end)
    if len(frame):
        fig.update_xaxes(range=[first - pd.Timedelta(hours=12), last + pd.Timedelta(hours=12)])
    if (last - first).days <= DAILY_TICKS_DAYS:
        # One label per day, centred on its day, so the deadline line (end of its day) reads right.
        fig.update_xaxes(title=None, tickformat="%d/%m", dtick=86_400_000, ticklabelmode="period")
    else:  # a season's uploads far from its deadline (another year's data): a few dated labels, never a smear
        fig.update_xaxes(title=None, tickformat="%d/%m/%y", nticks=6)
    fig.update_yaxes(title="Jumlah unit", rangemode="tozero")
    return _layout(fig, 360)


def scenarios(labels: list[str], iids: list[float], target: float) -> go.Figure:
    """IID of each lever against the target IID."""
    colours = [STATUS_COLOURS["ready"] if v >= target else PRIMARY for v in iids]
    fig = go.Figure(
        go.Bar(
            y=[_wrap(x) for x in labels],
            x=iids,
            orientation="h",
            marker_color=colours,
            text=[fmt.num(v, 2) for v in iids],
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "white"},
            hovertemplate="%{y}: IID %{x:.2f}<extra></extra>",
        )
    )
    fig.add_vline(
        x=target,
        line_dash="dash",
        line_color=STATUS_COLOURS["none"],
        annotation_text=f"target {fmt.num(target, 2)}",
        annotation_position="top",
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, min(100, max([target, *iids]) * 1.15)])
    return _layout(fig, 110 + 44 * len(labels))


def portfolio_curve(
    curve: list[tuple[int, float]], current_n: int, best_n: int, target: float, count_cap: int
) -> go.Figure:
    """Best IID reachable with exactly n innovations: where adding more stops paying."""
    if not curve:
        return _layout(go.Figure(), 200)
    ns, iids = zip(*curve)
    fig = go.Figure(
        go.Scatter(
            x=ns,
            y=iids,
            mode="lines",
            name="IID bila mengirim n inovasi terbaik",
            line={"color": PRIMARY, "width": 3},
            hovertemplate="%{x:,d} inovasi: IID %{y:.2f}<extra></extra>",
        )
    )
    marks = (
        (current_n, "dikirim semua", MUTED, "bottom left"),
        (best_n, "terbaik", STATUS_COLOURS["ready"], "top center"),
    )
    for n, label, colour, position in marks:
        if 1 <= n <= len(iids):
            fig.add_scatter(
                x=[n],
                y=[iids[n - 1]],
                mode="markers+text",
                name=label,
                text=[label],
                textposition=position,
                marker={"size": 12, "color": colour},
                showlegend=False,
                hovertemplate=f"{label}: %{{x:,d}} inovasi, IID %{{y:.2f}}<extra></extra>",
            )
    fig.add_hline(
        y=target,
        line_dash="dash",
        line_color=STATUS_COLOURS["none"],
        annotation_text=f"target {fmt.num(target, 2)}",
        annotation_position="top left",
    )
    if count_cap <= max(ns):
        fig.add_vline(
            x=count_cap,
            line_dash="dot",
            line_color="#1b2733",
            annotation_text=f"batas {count_cap}",
            annotation_position="bottom left",
        )
    fig.update_xaxes(title="Jumlah inovasi dikirim (terbaik dulu)")
    fig.update_yaxes(title="IID")
    return _layout(fig, 340)
