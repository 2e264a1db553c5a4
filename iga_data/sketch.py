"""The briefing's two charts as a few shapes (boxes, lines, dots, labels), laid out once and drawn twice:
as inline SVG by briefing_html and with reportlab's graphics by briefing_pdf. No plotly.js: the briefing
opens offline and prints the same everywhere.

Coordinates are points (1/72 inch) from the top left, as in SVG. Labels are measured in Bitstream Vera,
the face the PDF sets them in (reportlab ships it); DejaVu Sans, the HTML's first choice, extends Vera with
the same widths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import pandas as pd
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from . import fmt
from .charts import MUTED, PRIMARY, STATUS_COLOURS, type_order
from .readiness import STATUSES, counts_by_type
from .timeline import Pace
from .vocabulary import type_labels
from .wording import STATUS_LABELS

FONT, BOLD = "Vera", "VeraBd"
INK = "#1b2733"
GRID = "#d5dde5"
FONT_SIZE = 7.0


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.0
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the baseline
    text: str
    anchor: str = "start"  # start | middle | end
    size: float = FONT_SIZE
    fill: str = INK
    bold: bool = False


Shape = Box | Line | Dot | Label


@dataclass(frozen=True)
class Sketch:
    width: float
    height: float
    shapes: tuple[Shape, ...]
    description: str  # what the chart shows, for screen readers (SVG aria-label)


@cache
def fonts() -> frozenset[int]:
    """Register Vera (regular and bold, <b> in paragraphs) with reportlab once; the code points it has."""
    regular = TTFont(FONT, "Vera.ttf")
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    return frozenset(regular.face.charToGlyph)


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    fonts()
    return pdfmetrics.stringWidth(text, BOLD if bold else FONT, size)


def clip(text: str, width: float, size: float = FONT_SIZE) -> str:
    """A label cut with '…' to fit `width`."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _legend(items: list[tuple[str, str]], y: float, width: float) -> list[Shape]:
    """Coloured squares with their labels in rows from the left."""
    shapes: list[Shape] = []
    x = 0.0
    for colour, text in items:
        w = 10 + text_width(text) + 10
        if x and x + w > width:
            x, y = 0.0, y + 10
        shapes += [Box(x, y - 6, 7, 7, colour), Label(x + 10, y, text)]
        x += w
    return shapes


def status_by_type(units: pd.DataFrame, width: float = 260) -> Sketch:
    """Stacked bars per unit type, the lowest % ready on top (as `charts.status_by_type`), each ending in
    "ready/expected · %"."""
    labels, counts = type_labels(), counts_by_type(units)
    order = type_order(units)
    legend = _legend([(STATUS_COLOURS[s], STATUS_LABELS[s]) for s in STATUSES], 8, width)
    top = max((s.y for s in legend if isinstance(s, Label)), default=8) + 8
    label_w, end_w, row = 74.0, 52.0, 17.0
    plot_w = width - label_w - end_w
    widest = max((counts[t].expected for t in order), default=1) or 1
    shapes: list[Shape] = list(legend)
    for i, t in enumerate(order):
        c = counts[t]
        y = top + i * row
        shapes.append(Label(label_w - 4, y + 9.5, clip(labels.get(t, t), label_w - 6), "end"))
        x = label_w
        for status in STATUSES:
            n = getattr(c, status)
            w = plot_w * n / widest
            if n:
                shapes.append(Box(x, y + 2, w, row - 5, STATUS_COLOURS[status]))
                if text_width(fmt.num(n)) + 3 < w:
                    shapes.append(Label(x + w / 2, y + 9.5, fmt.num(n), "middle", fill="#ffffff"))
            x += w
        shapes.append(
            Label(x + 3, y + 9.5, f"{fmt.num(c.ready)}/{fmt.num(c.expected)} · {fmt.pct(c.ready, c.expected, 0)}")
        )
    description = "Status unit per jenis: " + "; ".join(
        f"{labels.get(t, t)} {counts[t].ready} dari {counts[t].expected} siap" for t in order
    )
    return Sketch(width, top + len(order) * row + 2, tuple(shapes), description)


def progress(frame: pd.DataFrame, deadline: dt.date, pace: Pace, width: float = 260, height: float = 150) -> Sketch:
    """Units that uploaded anything and ready units per data point, the line the deadline needs, the cautious
    estimate, and the deadline (as `charts.progress`)."""
    expected = int(frame["expected"].iloc[-1]) if len(frame) else 0
    end = dt.datetime.combine(deadline, dt.time(23, 59))
    first = frame["as_of"].min().to_pydatetime() if len(frame) else end - dt.timedelta(days=1)
    last_t = frame["as_of"].max().to_pydatetime() if len(frame) else first
    x0, x1 = first - dt.timedelta(hours=12), max(end, last_t) + dt.timedelta(hours=12)
    legend = _legend(
        [
            (PRIMARY, "Unit sudah mengunggah"),
            (STATUS_COLOURS["ready"], "Unit siap"),
            ("#5b6b7b", "Laju yang diperlukan"),
            (MUTED, "Perkiraan hati-hati"),
        ],
        8,
        width,
    )
    top = max(s.y for s in legend if isinstance(s, Label)) + 10
    left, bottom = 28.0, height - 14
    span = (x1 - x0).total_seconds() or 1.0
    y_max = max(expected, int(frame["uploaded"].max()) if len(frame) else 0, 1) * 1.08

    def px(t: dt.datetime) -> float:
        return left + (width - left - 4) * (t - x0).total_seconds() / span

    def py(v: float) -> float:
        return bottom - (bottom - top) * v / y_max

    shapes: list[Shape] = list(legend)
    for v in sorted({0, expected // 2, expected}):
        shapes += [
            Line(((left, py(v)), (width - 4, py(v))), GRID, 0.5),
            Label(left - 3, py(v) + 2.5, fmt.num(v), "end"),
        ]
    days = pd.date_range(x0.date() + dt.timedelta(days=1) if x0.hour >= 12 else x0.date(), x1.date(), freq="D")
    every = max(1, -(-len(days) // 9))  # at most 9 day labels
    for day in days[::every]:
        noon = dt.datetime.combine(day.date(), dt.time(12))
        if noon <= x1:
            shapes.append(Label(px(noon), height - 4, f"{day:%d/%m}", "middle"))
    if expected:
        shapes.append(Line(((left, py(expected)), (width - 4, py(expected))), INK, 0.6, (1.5, 1.5)))
        shapes.append(Label(left + 2, py(expected) - 2.5, f"semua unit ({fmt.num(expected)})"))
    shapes += [
        Line(((px(end), top), (px(end), bottom)), STATUS_COLOURS["none"], 0.9, (3, 2)),
        Label(px(end) - 2, top + 7, f"tenggat {deadline:%d/%m}", "end", fill=STATUS_COLOURS["none"]),
    ]
    if len(frame) and expected:
        start, ready = last_t, float(frame["ready"].iloc[-1])
        if pace.needed_per_day and end > start:
            shapes.append(Line(((px(start), py(ready)), (px(end), py(expected))), "#5b6b7b", 0.9, (1.5, 2)))
        rate = pace.cautious_per_day
        if rate and rate > 0 and end > start:
            stop = min(end, start + dt.timedelta(days=(expected - ready) / rate))
            reach = min(ready + rate * (stop - start).total_seconds() / 86400, expected)
            shapes.append(Line(((px(start), py(ready)), (px(stop), py(reach))), MUTED, 1.4, (4, 2)))
    for column, colour in (("uploaded", PRIMARY), ("ready", STATUS_COLOURS["ready"])):
        points = tuple((px(t.to_pydatetime()), py(v)) for t, v in zip(frame["as_of"], frame[column]))
        if len(points) > 1:
            shapes.append(Line(points, colour, 1.6))
        shapes += [Dot(x, y, 1.8, colour) for x, y in points]
    shapes.append(Line(((left, bottom), (width - 4, bottom)), INK, 0.6))
    last = frame.iloc[-1] if len(frame) else None
    description = "Kemajuan: " + (
        f"{int(last['ready'])} dari {expected} unit siap, {int(last['uploaded'])} sudah "
        f"mengunggah; tenggat {fmt.date(deadline)}"
        if last is not None
        else "belum ada data"
    )
    return Sketch(width, height, tuple(shapes), description)
