"""Uploaded text shown through Streamlit's Markdown stays text.

File and sheet names, unit names and the warnings built from them are chosen by whoever
uploads a file; st.markdown, st.warning, captions, expander and widget labels would turn
`[x](http://…)` into a link. `md` backslash-escapes every character Markdown or Streamlit's
directives (":red[…]", "$…$") give a meaning, and turns line breaks into spaces.
(Same rule as iga_data/safetext.md on the accounts branch; use that one once it is merged.)
"""

from __future__ import annotations

import re
from typing import Any

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&^=\"'])")
_LINE_BREAKS = str.maketrans({"\r": " ", "\n": " ", "\t": " "})


def md(value: Any) -> str:
    """Text shown literally by Streamlit's Markdown."""
    text = "" if value is None else str(value)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.translate(_LINE_BREAKS))
