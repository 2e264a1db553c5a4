"""The CSS every page shares."""

# Five metrics must fit one row on a laptop and stay legible stacked on a phone: smaller values,
# and labels that wrap instead of ending in "…". The file uploader's built-in English ("Upload",
# "200MB per file") cannot be set from Python yet (streamlit#13500), so CSS writes it in Indonesian.
STYLE = """<style>
[data-testid='stMetricValue'] {font-size: 1.85rem;}
[data-testid='stMetricLabel'] * {white-space: normal !important; overflow: visible !important;}
[data-testid='stFileUploaderDropzone'] button p {font-size: 0;}
[data-testid='stFileUploaderDropzone'] button p::after {content: 'Pilih berkas'; font-size: 0.875rem;}
[data-testid='stFileUploaderDropzoneInstructions'] span {font-size: 0;}
[data-testid='stFileUploaderDropzoneInstructions'] span::after {content: 'atau seret ke sini · maks. 200 MB per berkas';
  font-size: 0.875rem;}
</style>"""
