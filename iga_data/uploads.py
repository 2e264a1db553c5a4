"""The progress across stored uploads, each analysed once per analysis key and kept in the database.

The progress chart needs, for every upload up to the one in view, only a few counts of its summary. After
a restart, or for a new visitor, those come from the database instead of re-analysing each upload from its
rows (about half a second per national-size upload); a change of settings, rule files or code makes a new
analysis key, and each upload is analysed once under it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from .aliases import Alias
from .ingest import snapshot_analysis
from .settings import Settings
from .storage import SnapshotInfo, Store
from .timeline import progress_point
from .tomlfile import refresh


@cache
def _code_fingerprint() -> str:
    """The engine's own source: a new version of the analysis must not reuse the old one's summaries."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def analysis_key(settings: Settings, extra: str = "") -> str:
    """What a summary depends on besides the upload: settings, rule and vocabulary files, the code, and `extra`."""
    text = json.dumps([settings.to_mapping(), refresh(), _code_fingerprint(), extra], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def missing(store: Store, infos: Sequence[SnapshotInfo], key: str) -> list[SnapshotInfo]:
    """The uploads among `infos` whose summary under `key` is not kept yet."""
    kept = store.summaries(key)
    return [i for i in infos if i.id not in kept]


def analyse_missing(
    store: Store,
    infos: Sequence[SnapshotInfo],
    settings: Settings,
    key: str,
    step: Callable[[int, int], None] | None = None,
    aliases: Sequence[Alias] = (),
) -> None:
    """Analyse each upload that has no summary under `key` (which must name the `aliases`, as analysis_key's
    `extra`) and keep it; `step(done, total)` reports progress."""
    todo = missing(store, infos, key)
    for done, info in enumerate(todo):
        if step:
            step(done, len(todo))
        summary = snapshot_analysis(store.snapshot(info.id), settings, aliases).summary
        store.keep_summary(info.id, key, summary.to_json())
    if step:
        step(len(todo), len(todo))


def progress_points(store: Store, infos: Sequence[SnapshotInfo], key: str) -> list[tuple]:
    """Progress points (id, as_of, ready, uploaded, expected, innovations) of the uploads kept under `key`."""
    kept = store.summaries(key)
    return [progress_point(i.id, i.as_of, kept[i.id]) for i in infos if i.id in kept]
