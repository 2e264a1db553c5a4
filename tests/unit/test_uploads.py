"""Each upload is analysed once per analysis key; the progress comes from the kept summaries."""

import datetime as dt

import pytest
from builders import OPERATOR, source, xlsx

from iga_data import ingest, uploads
from iga_data.settings import default_settings
from iga_data.storage import Store

SETTINGS = default_settings()


def export(day: int, n: int) -> bytes:
    rows = [["Perangkat Daerah", "Nama Inovasi", "Skor"]] + [[f"Dinas {i}", f"Inovasi {i}", 80] for i in range(n)]
    return xlsx({f"Hari {day}": rows})


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "iga.db")
    for day, n in ((8, 1), (9, 3), (10, 4)):
        prepared = ingest.prepare(store, [source(f"e{day}.xlsx", export(day, n))], None, SETTINGS)
        ingest.save(store, prepared, dt.datetime(2024, 7, day, 16), "uji", OPERATOR)
    return store


def test_each_upload_is_analysed_once_under_a_key_and_its_points_come_from_the_database(store, monkeypatch):
    infos = store.snapshots()
    key = uploads.analysis_key(SETTINGS)
    assert [i.id for i in uploads.missing(store, infos, key)] == [i.id for i in infos]
    steps = []
    uploads.analyse_missing(store, infos, SETTINGS, key, lambda done, total: steps.append((done, total)))
    assert steps == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert uploads.missing(store, infos, key) == []
    points = sorted(uploads.progress_points(store, infos, key), key=lambda p: p[1])
    assert [p[5] for p in points] == [1, 3, 4]  # innovations per day, without touching the rows again

    def no_reanalysis(*args, **kwargs):
        raise AssertionError("analysed again")

    monkeypatch.setattr(uploads, "snapshot_analysis", no_reanalysis)
    uploads.analyse_missing(store, infos, SETTINGS, key)  # nothing missing: nothing analysed


def test_a_settings_change_makes_a_new_key_and_a_purged_upload_takes_its_summaries(store):
    infos = store.snapshots()
    key = uploads.analysis_key(SETTINGS)
    uploads.analyse_missing(store, infos, SETTINGS, key)
    other = uploads.analysis_key(SETTINGS.replace(threshold=60))
    assert other != key and len(uploads.missing(store, infos, other)) == 3
    store.delete(infos[0].id, OPERATOR)
    store.purge(infos[0].id, OPERATOR)
    assert infos[0].id not in store.summaries(key)
