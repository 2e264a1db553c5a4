"""Streamlit glue the pages share; the engine (iga_data) never imports it.

    data.py     which data is in view, and the computations pages share, cached by content
    shell.py    the frame around every page: styling, sidebar, one-time messages, the pages/ shim
    upload.py   the upload flow: read once per content, map columns by hand
    aliases.py  unit names resolved by hand: pick a roster unit per unmatched name, list, undo, download
    widgets.py  charts and tables drawn the same way everywhere
    style.py    the CSS

Pages `import ui` and call the names below.
"""

from iga_data.safetext import md

from . import session
from .aliases import alias_list, resolve_names
from .data import (
    UPLOAD_PAGE,
    View,
    actor,
    briefing_files,
    follow_up_file,
    other_uploads,
    pace,
    past_seasons,
    pembina_cards,
    pembina_table,
    progress,
    require_view,
    roster_of,
    settings,
    show_snapshot,
    simulation_of,
    snapshots,
    status_chart,
    store,
    trend_chart,
    view,
    whatsapp,
)
from .shell import attempt, chrome, flash, show_flash, within_app
from .upload import (
    UPLOAD_TYPES,
    forget_upload,
    mapping_form,
    prepare_upload,
    read_uploaded_roster,
)
from .widgets import answers, chart, plan_list, progress_block, table, unit_cards

__all__ = [
    "UPLOAD_PAGE",
    "UPLOAD_TYPES",
    "View",
    "actor",
    "alias_list",
    "answers",
    "attempt",
    "briefing_files",
    "chart",
    "chrome",
    "flash",
    "follow_up_file",
    "forget_upload",
    "mapping_form",
    "md",
    "other_uploads",
    "pace",
    "past_seasons",
    "pembina_cards",
    "pembina_table",
    "plan_list",
    "prepare_upload",
    "progress",
    "progress_block",
    "read_uploaded_roster",
    "require_view",
    "resolve_names",
    "roster_of",
    "session",
    "settings",
    "show_flash",
    "show_snapshot",
    "simulation_of",
    "snapshots",
    "status_chart",
    "store",
    "table",
    "trend_chart",
    "unit_cards",
    "view",
    "whatsapp",
    "within_app",
]
