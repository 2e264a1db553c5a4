"""The one-page briefing as a PDF (reportlab): the same content as briefing_html, on one A4 page.

Text is set in Bitstream Vera, which reportlab ships, so it needs no font from the system; Vera has the
"≥", "–" and "·" our sentences use. A character it lacks is mapped deliberately (`pdf_text`): "→" to "->",
accented letters to their base letter, anything else to "?", never a missing-glyph box. Every text placed in
a Paragraph is XML-escaped: reportlab reads tags there, and a unit may be named "<a href=…>".
"""

from __future__ import annotations

import html
import io
import unicodedata

from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import fmt, messages, wording
from .briefing import TONES, Briefing, iid_lines, pace_lines
from .sketch import BOLD, FONT, INK, Box, Dot, Label, Line, Sketch, fonts, progress, status_by_type

MARGIN = 28.35  # 10 mm
GREY = colors.HexColor("#3d4a57")
RULE = colors.HexColor("#dde4ea")
REPLACEMENTS = {"→": "->", "←": "<-", "−": "-", "‑": "-", "\u00a0": " ", "\u202f": " ", "\t": " "}


def glyphs(value: object) -> str:
    """Text with only characters the font has (see the module docstring)."""
    have = fonts()
    out = []
    for ch in "" if value is None else str(value):
        if ord(ch) in have:
            out.append(ch)
        elif ch in REPLACEMENTS:
            out.append(REPLACEMENTS[ch])
        elif ch in "\r\n" or unicodedata.category(ch).startswith("C"):
            out.append(" ")
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if ord(c) in have and not unicodedata.combining(c)
            )
            out.append(base or "?")
    return "".join(out)


def pdf_text(value: object) -> str:
    """Text for a reportlab Paragraph: mapped to the font and XML-escaped, so it shows as the text it is."""
    return html.escape(glyphs(value), quote=False)


def _style(size: float = 8, bold: bool = False, colour=INK, leading: float | None = None) -> ParagraphStyle:
    return ParagraphStyle(
        "t",
        fontName=BOLD if bold else FONT,
        fontSize=size,
        leading=leading or size * 1.25,
        textColor=colors.HexColor(colour) if isinstance(colour, str) else colour,
    )


def drawing(sketch: Sketch) -> Drawing:
    """A sketch with reportlab's shapes (its y runs upwards)."""
    h = sketch.height
    d = Drawing(sketch.width, h)
    for s in sketch.shapes:
        if isinstance(s, Box):
            d.add(Rect(s.x, h - s.y - s.h, s.w, s.h, fillColor=colors.HexColor(s.fill), strokeColor=None))
        elif isinstance(s, Line):
            points = [v for x, y in s.points for v in (x, h - y)]
            d.add(
                PolyLine(
                    points,
                    strokeColor=colors.HexColor(s.stroke),
                    strokeWidth=s.width,
                    strokeDashArray=list(s.dash) or None,
                )
            )
        elif isinstance(s, Dot):
            d.add(Circle(s.x, h - s.y, s.r, fillColor=colors.HexColor(s.fill), strokeColor=None))
        elif isinstance(s, Label):
            d.add(
                String(
                    s.x,
                    h - s.y,
                    glyphs(s.text),
                    fontName=BOLD if s.bold else FONT,
                    fontSize=s.size,
                    fillColor=colors.HexColor(s.fill),
                    textAnchor=s.anchor,
                )
            )
    return d


def _answers(b: Briefing, width: float) -> Table:
    cells: list = []
    style: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    gap = 4.0
    for i, a in enumerate(b.answers):
        bg, border, value = TONES[a.tone]
        if i:
            cells.append("")  # a narrow empty column between tiles
        cells.append(
            [
                Paragraph(pdf_text(a.question), _style(7, colour=GREY)),
                Paragraph(pdf_text(a.value), _style(11, bold=True, colour=value)),
                Paragraph(pdf_text(a.note), _style(7, colour=GREY)),
            ]
        )
        style += [
            ("BACKGROUND", (2 * i, 0), (2 * i, 0), colors.HexColor(bg)),
            ("BOX", (2 * i, 0), (2 * i, 0), 0.8, colors.HexColor(border)),
        ]
    tile = (width - 3 * gap) / 4
    table = Table([cells], colWidths=[tile, gap, tile, gap, tile, gap, tile], spaceBefore=6, spaceAfter=4)
    table.setStyle(TableStyle(style))
    return table


def _pembina(b: Briefing, width: float) -> list:
    rows, left_out = b.pembina_rows()
    cell, num = _style(7), ParagraphStyle("n", parent=_style(7), alignment=2)
    head = ["Pembina", "Unit", "Siap", "Belum siap", "Belum mengunggah", "Unit belum siap"]
    data = [[Paragraph(pdf_text(h), _style(7, bold=True)) for h in head]]
    for r in rows:
        data.append(
            [
                Paragraph(pdf_text(r.pembina), cell),
                Paragraph(fmt.num(r.units), num),
                Paragraph(pdf_text(r.ready), num),
                Paragraph(fmt.num(r.lagging), num),
                Paragraph(fmt.num(r.none), num),
                Paragraph(pdf_text(r.names), cell),
            ]
        )
    widths = [100, 32, 50, 42, 58]
    table = Table(data, colWidths=[*widths, width - sum(widths)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6ef")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    more = [Paragraph(pdf_text(f"{messages.and_more(left_out)} pembina"), _style(7, colour=GREY))] if left_out else []
    return [table, *more]


def pdf(b: Briefing) -> bytes:
    """The briefing on exactly one A4 page: content that would not fit is shrunk, never carried over."""
    fonts()
    s, a = b.settings, b.analysis
    width, height = A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN
    title = messages.title(s, "Ringkasan kesiapan")
    h2 = _style(9.5, bold=True)
    small = _style(7, colour=GREY)
    charts = Table(
        [
            [
                [Paragraph("Status unit per jenis", h2), Spacer(0, 3), drawing(status_by_type(a.units))],
                [
                    Paragraph("Kemajuan menuju tenggat", h2),
                    Spacer(0, 3),
                    drawing(progress(b.progress, s.deadline, b.pace)),
                    *[Paragraph(pdf_text(line), small) for line in pace_lines(b)],
                ],
            ]
        ],
        colWidths=[width / 2] * 2,
    )
    charts.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 8),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ]
        )
    )
    story = [
        Paragraph(pdf_text(title), _style(14, bold=True)),
        Paragraph(pdf_text(messages.data_line(s, b.as_of)), _style(7.5, colour=GREY)),
        _answers(b, width),
        Paragraph(f"<b>{pdf_text(wording.situation_line(a.summary))}</b>", _style(8.5)),
        Spacer(0, 4),
        charts,
        Spacer(0, 2),
        Paragraph(pdf_text("Per pembina — siapa yang menindaklanjuti unit yang belum siap"), h2),
        Spacer(0, 3),
        *_pembina(b, width),
        Spacer(0, 4),
        Paragraph(pdf_text(f"Perkiraan Indeks Inovasi Daerah (aturan {s.rule_year})"), h2),
        *[Paragraph(pdf_text(line), _style(8)) for line in iid_lines(b)],
        Spacer(0, 6),
        Paragraph(pdf_text(messages.briefing_footer(b.as_of)), _style(6.5, colour=GREY)),
    ]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=glyphs(title),
        author="Dasbor Kesiapan IGA",
        subject=glyphs(f"data per {fmt.datetime(b.as_of)}"),
        invariant=True,
    )
    doc.build([KeepInFrame(width, height, story, mode="shrink")])
    return buf.getvalue()
