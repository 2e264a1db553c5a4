"""The one-page briefing as a self-contained .html: inline CSS and inline SVG, no script, no font, image or
style from the network, so it opens offline and prints on one A4 page. Every text is escaped
(`safetext.html_text`): unit and pembina names come from uploads.
"""

from __future__ import annotations

from . import fmt, messages, wording
from .briefing import TONES, Briefing, iid_lines, pace_lines
from .safetext import html_text as esc
from .sketch import Box, Dot, Label, Line, Sketch, progress, status_by_type

CSS = """
@page {size: A4 portrait; margin: 10mm;}
* {box-sizing: border-box;}
html {-webkit-print-color-adjust: exact; print-color-adjust: exact;}
body {margin: 0; color: #1b2733; font: 8pt/1.25 "DejaVu Sans", "Bitstream Vera Sans", Verdana, Arial, sans-serif;}
main {max-width: 190mm; margin: 0 auto;}
@media screen {body {background: #e9eef2;} main {background: #fff; padding: 10mm; margin: 6mm auto;}}
h1 {font-size: 14pt; margin: 0;}
h2 {font-size: 9.5pt; margin: 2.5mm 0 .8mm;}
p {margin: .8mm 0;}
.meta {color: #3d4a57; font-size: 7.5pt;}
.small {color: #3d4a57; font-size: 6.8pt;}
.answers {display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 2mm; margin: 2mm 0 1.5mm;}
.answer {border: 1px solid; border-radius: 1.5mm; padding: 1.5mm 2mm;}
.answer .q, .answer .n {font-size: 7.5pt; color: #3d4a57;}
.answer .v {font-size: 10.5pt; font-weight: bold;}
.cols {display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 5mm;}
svg {display: block; width: 100%; height: auto;}
table {width: 100%; border-collapse: collapse; font-size: 7pt; table-layout: fixed;}
th, td {border-bottom: 1px solid #dde4ea; padding: .4mm 1mm; text-align: left; vertical-align: top;}
th {background: #dce6ef;}
.num {text-align: right;}
td.num {white-space: nowrap;}
footer {margin-top: 3mm; padding-top: 1mm; border-top: 1px solid #dde4ea; color: #46525e; font-size: 7pt;}
"""


def svg(sketch: Sketch) -> str:
    """A sketch as inline SVG (no xmlns needed inside HTML, so no address at all)."""
    parts = []
    for s in sketch.shapes:
        if isinstance(s, Box):
            parts.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" fill="{s.fill}"/>')
        elif isinstance(s, Line):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
            dash = f' stroke-dasharray="{" ".join(map(str, s.dash))}"' if s.dash else ""
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{s.stroke}" stroke-width="{s.width}"{dash}/>'
            )
        elif isinstance(s, Dot):
            parts.append(f'<circle cx="{s.x:.1f}" cy="{s.y:.1f}" r="{s.r}" fill="{s.fill}"/>')
        elif isinstance(s, Label):
            weight = ' font-weight="bold"' if s.bold else ""
            parts.append(
                f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size}" text-anchor="{s.anchor}" '
                f'fill="{s.fill}"{weight}>{esc(s.text)}</text>'
            )
    return (
        f'<svg viewBox="0 0 {sketch.width:.0f} {sketch.height:.0f}" role="img" aria-label="{esc(sketch.description)}"'
        f' font-family="DejaVu Sans, Bitstream Vera Sans, Verdana, Arial, sans-serif">{"".join(parts)}</svg>'
    )


def _answers(b: Briefing) -> str:
    tiles = []
    for a in b.answers:
        bg, border, value = TONES[a.tone]
        tiles.append(
            f'<div class="answer {esc(a.tone)}" style="background:{bg};border-color:{border}">'
            f'<div class="q">{esc(a.question)}</div><div class="v" style="color:{value}">{esc(a.value)}</div>'
            f'<div class="n">{esc(a.note)}</div></div>'
        )
    return f'<section class="answers">{"".join(tiles)}</section>'


def _pembina(b: Briefing) -> str:
    rows, left_out = b.pembina_rows()
    widths = "".join(f'<col style="width:{w}">' for w in ("18%", "5%", "9%", "6%", "9%", "53%"))
    head = (
        "<tr><th>Pembina</th><th class=num>Unit</th><th class=num>Siap</th><th class=num>Belum siap</th>"
        "<th class=num>Belum mengunggah</th><th>Unit belum siap</th></tr>"
    )
    body = "".join(
        f"<tr><td>{esc(r.pembina)}</td><td class=num>{fmt.num(r.units)}</td><td class=num>{esc(r.ready)}</td>"
        f"<td class=num>{fmt.num(r.lagging)}</td><td class=num>{fmt.num(r.none)}</td><td>{esc(r.names)}</td></tr>"
        for r in rows
    )
    more = f'<p class="small">{esc(messages.and_more(left_out))} pembina</p>' if left_out else ""
    return f"<table><colgroup>{widths}</colgroup><thead>{head}</thead><tbody>{body}</tbody></table>{more}"


def page(b: Briefing) -> str:
    """The whole page."""
    s, a = b.settings, b.analysis
    title = messages.title(s, "Ringkasan kesiapan")
    paragraphs = lambda lines, cls="": "".join(f'<p class="{cls}">{esc(line)}</p>' for line in lines)
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · data per {esc(fmt.datetime(b.as_of))}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<header><h1>{esc(title)}</h1><p class="meta">{esc(messages.data_line(s, b.as_of))}</p></header>
{_answers(b)}
<p><strong>{esc(wording.situation_line(a.summary))}</strong></p>
<section class="cols">
<div><h2>Status unit per jenis</h2>{svg(status_by_type(a.units))}</div>
<div><h2>Kemajuan menuju tenggat</h2>{svg(progress(b.progress, s.deadline, b.pace))}{paragraphs(pace_lines(b), "small")}</div>
</section>
<h2>Per pembina — siapa yang menindaklanjuti unit yang belum siap</h2>
{_pembina(b)}
<h2>Perkiraan Indeks Inovasi Daerah (aturan {s.rule_year})</h2>
{paragraphs(iid_lines(b))}
<footer>{esc(messages.briefing_footer(b.as_of))}</footer>
</main>
</body>
</html>
"""
