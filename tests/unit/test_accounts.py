"""Accounts and roles: who may change data is checked in the engine, passwords are only ever
stored hashed, and failed logins are slowed (a clock is injected: nothing sleeps)."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from builders import OPERATOR, source, xlsx

from iga_data import accounts, audit
from iga_data.accounts import AccessDenied, Actor, LoginRefused
from iga_data.errors import InputError
from iga_data.limits import load_limits
from iga_data.reading import read_sources
from iga_data.settings import default_settings
from iga_data.storage import Store

PASSWORD = "rahasia-sekali-123"
LOGIN = load_limits().login.__class__(
    free_attempts=3,
    delay_s=2,
    max_delay_s=300,
    global_free_attempts=30,
    global_max_delay_s=30,
    reset_minutes=15,
    idle_minutes=30,
    min_password_length=8,
)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Argon2id at its lowest cost: the tests check the flow, not the cost."""
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: hasher)
    monkeypatch.setattr(accounts, "_decoy_hash", lambda: hasher.hash("tidak ada"))


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "iga.db")


@pytest.fixture
def staffed(store) -> Store:
    accounts.add_user(store, "budi", "operator", PASSWORD, OPERATOR)
    accounts.add_user(store, "Sari", "pimpinan", PASSWORD + "-sari", OPERATOR)
    return store


def _save_one(store: Store, actor: Actor) -> int:
    src = source("e.xlsx", xlsx({"D": [["Perangkat Daerah", "Nama Inovasi"], ["Dinas Sosial", "Sedekah"]]}))
    load = read_sources([src])
    return store.ingest(
        sources=[src],
        load=load,
        roster=None,
        settings=default_settings(),
        as_of=dt.datetime(2024, 7, 10),
        uploader="x",
        innovations=1,
        units_ready=0,
        units_expected=0,
        actor=actor,
    ).snapshot_id


# ------------------------------------------------------------ accounts


def test_passwords_are_stored_as_argon2id_hashes_only(staffed):
    raw = b"".join(p.read_bytes() for p in staffed.path.parent.glob("iga.db*"))
    assert PASSWORD.encode() not in raw and PASSWORD.encode("utf-16-le") not in raw
    with staffed.transaction("DEFERRED") as con:
        hashes = [h for (h,) in con.execute("SELECT password_hash FROM users")]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in str(e.as_json()) for e in audit.entries(staffed))


def test_users_are_listed_with_their_role(staffed):
    assert [(u.name, u.role) for u in accounts.users(staffed)] == [("budi", "operator"), ("Sari", "pimpinan")]
    assert accounts.has_users(staffed)


@pytest.mark.parametrize(
    "name, role, password, message",
    [
        ("BUDI", "operator", PASSWORD, "Akun BUDI sudah ada"),
        ("ani", "admin", PASSWORD, "Peran admin tidak dikenal"),
        ("ani", "operator", "pendek", "minimal 8 karakter"),
        ("ani\x07", "operator", PASSWORD, "karakter kendali"),
    ],
)
def test_bad_accounts_are_refused(staffed, name, role, password, message):
    with pytest.raises(InputError, match=message):
        accounts.add_user(staffed, name, role, password, OPERATOR)
    assert len(accounts.users(staffed)) == 2


def test_the_first_account_must_be_an_operator(store):
    with pytest.raises(InputError, match="Buat akun operator dulu"):
        accounts.add_user(store, "sari", "pimpinan", PASSWORD, OPERATOR)
    assert not accounts.has_users(store)


def test_the_last_operator_goes_only_with_the_last_account(staffed):
    with pytest.raises(InputError, match="operator terakhir"):
        accounts.remove_user(staffed, "budi", OPERATOR)
    accounts.remove_user(staffed, "sari", OPERATOR)
    accounts.remove_user(staffed, "budi", OPERATOR)
    assert not accounts.has_users(staffed)  # back to open mode


def test_an_account_may_change_its_own_password_and_only_an_operator_anyone_elses(staffed):
    sari, budi = Actor("Sari", "pimpinan"), Actor("budi", "operator")
    accounts.set_password(staffed, "sari", "baru-sekali-456", sari)
    assert accounts.authenticate(staffed, "Sari", "baru-sekali-456", limits=LOGIN) == sari
    with pytest.raises(AccessDenied):
        accounts.set_password(staffed, "budi", "baru-sekali-456", sari)
    accounts.set_password(staffed, "sari", "lagi-baru-789", budi)
    with pytest.raises(InputError, match="Akun tono tidak ada"):
        accounts.set_password(staffed, "tono", "lagi-baru-789", budi)


# --------------------------------------------------------------- roles


def test_open_mode_may_change_data_only_while_no_account_exists(store):
    _save_one(store, Actor.open_mode())
    accounts.add_user(store, "budi", "operator", PASSWORD, Actor.open_mode())
    with pytest.raises(AccessDenied, match="masuk dulu"):
        store.delete(store.latest().id, Actor.open_mode())
    assert len(store.snapshots()) == 1


def test_a_leader_can_read_but_every_change_is_refused_in_the_engine(staffed):
    sid = _save_one(staffed, OPERATOR)
    sari = Actor("Sari", "pimpinan")
    attempts = [
        lambda: _save_one(staffed, sari),
        lambda: staffed.delete(sid, sari),
        lambda: staffed.save_settings({"threshold": 0}, sari),
        lambda: staffed.set_active_roster(source("r.xlsx", xlsx({"R": [["Nama Unit"], ["Dinas"]]})), sari),
        lambda: staffed.remember_mapping("abc", {"unit": 0}, sari),
        lambda: accounts.add_user(staffed, "ani", "operator", PASSWORD, sari),
        lambda: accounts.remove_user(staffed, "budi", sari),
    ]
    before = (len(audit.entries(staffed)), list(staffed.path.parent.glob("cadangan/*")))
    for attempt in attempts:
        with pytest.raises(AccessDenied, match="Hanya operator"):
            attempt()
    assert [s.id for s in staffed.snapshots()] == [sid]
    assert staffed.settings_overrides() == {} and staffed.mappings() == {}
    assert (len(audit.entries(staffed)), list(staffed.path.parent.glob("cadangan/*"))) == before


def test_the_role_in_the_database_counts_not_the_one_in_the_session(staffed):
    with pytest.raises(AccessDenied, match="Hanya operator"):
        staffed.save_settings({"threshold": 0}, Actor("Sari", "operator"))  # a forged or stale session
    with pytest.raises(AccessDenied, match="sudah tidak ada"):
        staffed.save_settings({"threshold": 0}, Actor("tono", "operator"))
    staffed.save_settings({"threshold": 60}, Actor("BUDI", "operator"))  # names are case-insensitive
    assert staffed.settings_overrides() == {"threshold": 60}


def test_the_command_line_acts_as_an_operator_named_after_the_os_user(staffed):
    actor = Actor.command_line()
    assert actor.kind == "cli" and actor.role == "operator" and "baris perintah" in actor.name
    _save_one(staffed, actor)
    assert audit.entries(staffed, limit=1)[0].actor == actor.name


def test_can_and_require_role():
    sari = Actor("sari", "pimpinan")
    assert accounts.can(sari, "pimpinan") and not accounts.can(sari, "operator") and not accounts.can(None, "pimpinan")
    accounts.require_role(Actor.open_mode(), "operator", users_exist=False)
    with pytest.raises(AccessDenied):
        accounts.require_role(Actor.open_mode(), "pimpinan", users_exist=True)


# --------------------------------------------------------------- login


def test_login_returns_the_account_with_its_role(staffed):
    assert accounts.authenticate(staffed, " budi ", PASSWORD, now=0, limits=LOGIN) == Actor("budi", "operator")
    assert accounts.authenticate(staffed, "SARI", PASSWORD + "-sari", now=0, limits=LOGIN) == Actor("Sari", "pimpinan")


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(staffed):
    for name, password in [("budi", "salah-sekali"), ("tidakada", PASSWORD)]:
        with pytest.raises(LoginRefused, match="^Nama atau kata sandi salah.$"):
            accounts.authenticate(staffed, name, password, now=0, limits=LOGIN)


def _fail(store, name, now, times=1):
    for _ in range(times):
        with pytest.raises(LoginRefused, match="salah"):
            accounts.authenticate(store, name, "salah-sekali", now=now, limits=LOGIN)


def test_failed_logins_are_slowed_doubling_and_the_wait_survives_a_restart(staffed):
    _fail(staffed, "budi", now=1000, times=3)  # free attempts
    with pytest.raises(LoginRefused, match="coba lagi dalam 2 detik"):
        accounts.authenticate(staffed, "budi", PASSWORD, now=1000, limits=LOGIN)  # even the right password
    _fail(staffed, "budi", now=1002.5)
    with pytest.raises(LoginRefused, match="coba lagi dalam 4 detik"):
        accounts.authenticate(Store(staffed.path), "budi", PASSWORD, now=1002.5, limits=LOGIN)
    assert accounts.authenticate(staffed, "budi", PASSWORD, now=1007, limits=LOGIN).name == "budi"
    _fail(staffed, "budi", now=1008, times=3)  # success started the count again
    assert accounts.authenticate(
        staffed, "sari", PASSWORD + "-sari", now=1008, limits=LOGIN
    )  # other accounts unaffected


def test_old_failures_are_forgotten(staffed):
    _fail(staffed, "budi", now=0, times=3)
    with pytest.raises(LoginRefused, match="coba lagi"):
        accounts.authenticate(staffed, "budi", PASSWORD, now=1, limits=LOGIN)
    assert accounts.authenticate(staffed, "budi", PASSWORD, now=15 * 60 + 1, limits=LOGIN)


def test_unknown_names_share_one_bucket(staffed):
    _fail(staffed, "tebak1", now=0)
    _fail(staffed, "tebak2", now=0)
    _fail(staffed, "tebak3", now=0)
    with pytest.raises(LoginRefused, match="coba lagi"):
        accounts.authenticate(staffed, "tebak4", PASSWORD, now=0, limits=LOGIN)
    assert accounts.authenticate(staffed, "budi", PASSWORD, now=0, limits=LOGIN)


def test_guessing_across_many_names_slows_everyone_briefly(staffed):
    for i in range(10):
        accounts.add_user(staffed, f"staf{i}", "pimpinan", PASSWORD, OPERATOR)
        _fail(staffed, f"staf{i}", now=100, times=3)  # within each account's free attempts
    with pytest.raises(LoginRefused, match="coba lagi dalam 2 detik"):
        accounts.authenticate(staffed, "sari", PASSWORD + "-sari", now=100, limits=LOGIN)
    assert accounts.authenticate(staffed, "sari", PASSWORD + "-sari", now=103, limits=LOGIN)


def test_idle_sessions_expire():
    assert not accounts.session_expired(last_seen=0, now=30 * 60, limits=LOGIN)
    assert accounts.session_expired(last_seen=0, now=30 * 60 + 1, limits=LOGIN)


def test_a_browser_stays_signed_in_until_it_signs_out_idles_or_its_password_changes(staffed):
    budi = accounts.authenticate(staffed, "budi", PASSWORD)
    token = accounts.remember(staffed, budi)
    with staffed.transaction("DEFERRED") as con:
        stored = [row[0] for row in con.execute("SELECT token_hash FROM sign_ins")]
    assert token not in stored and len(stored) == 1  # only its hash is kept
    assert accounts.recall(staffed, token) == budi
    assert accounts.recall(staffed, "tebakan") is None
    idle = load_limits().login.idle_minutes * 60
    assert accounts.recall(staffed, token, now=dt.datetime.now().timestamp() + idle + 60) is None  # idle: ended
    assert accounts.recall(staffed, token) is None  # and forgotten
    again = accounts.remember(staffed, budi)
    accounts.forget(staffed, again)
    assert accounts.recall(staffed, again) is None
    third = accounts.remember(staffed, budi)
    accounts.set_password(staffed, "budi", "sandi-baru-budi-123", OPERATOR)
    assert accounts.recall(staffed, third) is None  # a new password signs every browser out
    fourth = accounts.remember(staffed, accounts.authenticate(staffed, "budi", "sandi-baru-budi-123"))
    accounts.add_user(staffed, "rina", "operator", PASSWORD + "-rina", OPERATOR)
    accounts.remove_user(staffed, "budi", OPERATOR)
    assert accounts.recall(staffed, fourth) is None  # gone with the account
