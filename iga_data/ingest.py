"""Files in, snapshot out: read, analyse, then store in one transaction.

Everything that can fail on bad input (reading, the roster, the settings)
happens before the database is opened for writing, so a broken upload never
changes what was stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import history
from .accounts import Actor
from .aliases import Alias
from .guard import read_sources
from .matching import Matcher
from .pipeline import Analysis, analyse
from .reading import LoadResult, SheetReport, Source
from .roster import Roster, read_roster
from .settings import Settings, default_settings
from .storage import IngestResult, SnapshotInfo, Store, StoredSnapshot

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_ROSTER = "daftar_unit_kota_bengkulu.xlsx"
SAMPLE_HISTORY = "riwayat_iga.csv"
SAMPLE_UPLOADER = "data contoh"


@dataclass
class Prepared:
    """An upload read and analysed, not yet stored (what the preview shows)."""

    sources: list[Source]
    roster_source: Source | None
    load: LoadResult
    analysis: Analysis | None  # None when no sheet could be used

    def sheets_to_map(self) -> list[SheetReport]:
        """Sheets the operator should map by hand: unread tables, and read ones without a score column."""
        return [s for s in self.load.sheets if s.needs_mapping]

    def require(self) -> Analysis:
        self.load.require_rows()
        assert self.analysis is not None
        return self.analysis


def prepare(
    store: Store | None,
    sources: Sequence[Source],
    roster_source: Source | None,
    settings: Settings,
    progress: Callable[[int, int, str], None] | None = None,
    aliases: Sequence[Alias] | None = None,
) -> Prepared:
    """Read and analyse an upload; the roster and the aliases default to the ones stored.

    Bad files raise InputError; sheets without recognisable columns are
    reported (see `sheets_to_map`) so the operator can map them by hand.
    Without a store (a database not created yet) nothing is remembered.
    """
    if store is not None:
        roster_source = roster_source or store.active_roster()
    aliases = tuple(aliases if aliases is not None else store.aliases() if store is not None else ())
    roster = read_roster(roster_source, settings.city) if roster_source else None
    remembered = store.mappings() if store is not None else {}
    known = Matcher(roster, settings.city, aliases).knows if roster is not None and len(roster) else None
    load = read_sources(list(sources), remembered=remembered, progress=progress, known_unit=known)
    usable = any(s.used for s in load.sheets)
    return Prepared(
        list(sources), roster_source, load, analyse(load.require_rows(), roster, settings, aliases) if usable else None
    )


def latest_input(prepared: Prepared, now: dt.datetime) -> dt.datetime | None:
    """The latest input date in the files (to the minute), if any and not in the future."""
    dates = prepared.load.rows["input_date"].dropna()
    latest = dates.max().to_pydatetime().replace(second=0, microsecond=0) if len(dates) else None
    return latest if latest is not None and latest <= now else None


def stated_date(prepared: Prepared, now: dt.datetime) -> dt.datetime | None:
    """The date the files say they were made ("Diunduh: 10 Juli 2024 pukul 16.00 WIB"), if not in the future."""
    stated = prepared.load.stated_date
    moment = dt.datetime.fromisoformat(stated) if stated else None
    return moment if moment is not None and moment <= now else None


def data_dates(prepared: Prepared, now: dt.datetime) -> dict[str, dt.datetime]:
    """The dates an upload could be stored as, the default first: what the export says about itself,
    else the latest input date in it, else now."""
    found = {"stated": stated_date(prepared, now), "latest": latest_input(prepared, now), "now": now}
    return {k: v for k, v in found.items() if v is not None}


# An upload with fewer than this share of the latest upload's innovations is probably a part (one unit's
# recap, a self-assessment workbook), not a full export: the page asks before it replaces the picture.
PARTIAL_SHARE = 0.5


def looks_partial(prepared: Prepared, latest: SnapshotInfo | None) -> bool:
    """Whether saving this upload as the newest data would shrink the picture to a fraction of the latest one."""
    if latest is None or prepared.analysis is None or not latest.innovations:
        return False
    return prepared.analysis.summary.innovations < PARTIAL_SHARE * latest.innovations


def save(store: Store, prepared: Prepared, as_of: dt.datetime, uploader: str, actor: Actor) -> IngestResult:
    """Store a prepared upload as a snapshot; the roster used becomes the one in force (one transaction)."""
    analysis = prepared.require()
    s = analysis.summary
    return store.ingest(
        sources=prepared.sources,
        load=prepared.load,
        roster=prepared.roster_source,
        settings=analysis.settings,
        as_of=as_of,
        uploader=uploader,
        innovations=s.innovations,
        units_ready=s.units.ready,
        units_expected=s.units.expected,
        actor=actor,
        activate_roster=True,
    )


def snapshot_analysis(snapshot: StoredSnapshot, settings: Settings, aliases: Sequence[Alias] = ()) -> Analysis:
    """Analyse a stored snapshot under the roster stored with it and the aliases in force."""
    roster: Roster | None = read_roster(snapshot.roster, settings.city) if snapshot.roster else None
    return analyse(snapshot.load, roster, settings, aliases)


def seed_sample(store: Store, settings: Settings, actor: Actor) -> list[IngestResult]:
    """Load the sample exports of 8-10 July 2024 (and the city's past seasons) once, so a first start shows
    something real.

    Runs only on a database that was never seeded, so sample snapshots an
    operator deleted do not come back.
    """
    if store.get_flag("sample_seeded"):
        return []
    roster = Source.from_path(SAMPLE_DIR / SAMPLE_ROSTER)
    results = []
    for path in sorted(SAMPLE_DIR.glob("ekspor_inovasi_*.xlsx")):
        day = dt.date.fromisoformat(path.stem.rsplit("_", 1)[1])
        prepared = prepare(store, [Source.from_path(path)], roster, settings)
        results.append(save(store, prepared, dt.datetime.combine(day, dt.time(16, 0)), SAMPLE_UPLOADER, actor))
    if not store.seasons():
        store.save_seasons(history.to_records(history.load_history(SAMPLE_DIR / SAMPLE_HISTORY)), actor)
    store.set_flag("sample_seeded", "1")
    return results


def settings_in_force(store: Store) -> Settings:
    """Defaults from settings.toml overridden by what Pengaturan stored."""
    return _over_defaults(store.settings_overrides())


def snapshot_settings(snapshot: StoredSnapshot) -> Settings:
    """The settings a snapshot was stored with (what `snapshots` counted with)."""
    return _over_defaults(snapshot.settings)


def _over_defaults(values: dict) -> Settings:
    """Defaults with the known keys of `values` on top (keys retired since are ignored)."""
    defaults = default_settings()
    known = defaults.to_mapping().keys()
    overrides = {k: v for k, v in values.items() if k in known}
    if "spd" in overrides and "spd_low" not in overrides:  # stored before the range existed: widen it to hold it
        spd = float(overrides["spd"])
        overrides.update(spd_low=min(defaults.spd_low, spd), spd_high=max(defaults.spd_high, spd))
    return defaults.replace(**overrides) if overrides else defaults


def recompute_with_roster(
    store: Store, snapshot_id: int, roster_source: Source, settings: Settings, actor: Actor
) -> IngestResult:
    """A stored snapshot's files again under a new roster, as a new snapshot with the same as-of.

    The old snapshot keeps its own roster, so its figures keep their meaning.
    """
    old = store.snapshot(snapshot_id)
    prepared = prepare(store, old.files, roster_source, settings)
    return save(store, prepared, old.info.as_of, old.info.uploader, actor)
