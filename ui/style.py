"""The CSS every page shares.

Text colours keep a contrast of at least 4.5:1 on their background (WCAG AA): captions are set darker
than Streamlit's faded default, and the coloured answer tiles use dark text on light tints.
"""

# Five metrics must fit one row on a laptop and stay legible stacked on a phone: smaller values,
# and labels that wrap instead of ending in "…". The file uploader's built-in English ("Upload",
# "200MB per file") cannot be set from Python yet (streamlit#13500), so CSS writes it in Indonesian.
STYLE = """<style>
[data-testid='stMetricValue'] {font-size: 1.85rem;}
[data-testid='stMetricLabel'] * {white-space: normal !important; overflow: visible !important;}
[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * {color: #46525e !important;}
[data-testid='stFileUploaderDropzone'] button p {font-size: 0;}
[data-testid='stFileUploaderDropzone'] button p::after {content: 'Pilih berkas'; font-size: 0.875rem;}
[data-testid='stFileUploaderDropzoneInstructions'] span {font-size: 0;}
[data-testid='stFileUploaderDropzoneInstructions'] span::after {content: 'atau seret ke sini · maks. __MAX__ MB per berkas';
  font-size: 0.875rem;}
@media (max-width: 700px) {[data-testid='stMainBlockContainer'] {padding-top: 4.5rem;}
  h1 {font-size: 2rem !important;}}
.iga-answers {display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: .5rem; margin: 0 0 .5rem;}
@media (max-width: 700px) {.iga-answers {grid-template-columns: repeat(2, minmax(0, 1fr));}}
.iga-answer {border: 1px solid #cfd8e1; border-radius: .5rem; padding: .45rem .6rem; background: #fff;}
.iga-answer .q {font-size: .78rem; color: #3d4a57;}
.iga-answer .v {font-size: 1.2rem; font-weight: 650; line-height: 1.25; color: #1b2733;}
.iga-answer .n {font-size: .78rem; line-height: 1.3; color: #3d4a57;}
.iga-answer.good {background: #e6f4e9; border-color: #93c9a0;} .iga-answer.good .v {color: #1b5e20;}
.iga-answer.warn {background: #fff3d1; border-color: #e8c666;} .iga-answer.warn .v {color: #6b4500;}
.iga-answer.bad {background: #fde7e7; border-color: #ee9d9d;} .iga-answer.bad .v {color: #8e1b1b;}
.iga-units {border-top: 1px solid #dde4ea;}
.iga-unit {display: grid; grid-template-columns: minmax(9rem, 2fr) 8.5rem minmax(0, 5fr); gap: .15rem .6rem;
  padding: .4rem .2rem; border-bottom: 1px solid #dde4ea; font-size: .9rem; line-height: 1.35;}
.iga-unit .u {font-weight: 600; color: #1b2733;} .iga-unit .a {color: #1b2733;} .iga-unit .p {color: #46525e;
  font-size: .8rem;}
@media (max-width: 700px) {.iga-unit {grid-template-columns: minmax(0, 1fr) auto;} .iga-unit .a {grid-column: 1 / -1;}}
.iga-chip {display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .78rem; font-weight: 600;
  white-space: nowrap; height: fit-content;}
.iga-chip.good {background: #e6f4e9; color: #1b5e20;} .iga-chip.warn {background: #fff3d1; color: #6b4500;}
.iga-chip.bad {background: #fde7e7; color: #8e1b1b;}
</style>"""
