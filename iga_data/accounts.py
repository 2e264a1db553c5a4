"""Who may change data: accounts with a role, the actor behind every change, login, sessions.

Two roles: ``pimpinan`` views and downloads; ``operator`` also uploads, deletes,
replaces the roster, changes settings and manages accounts. Every data-changing
engine call receives an `Actor` and checks it with `authorize` inside its own
transaction, against the accounts as they are at that moment: a page that lets
a button slip through, or a session whose account was removed, still cannot write.

Three kinds of actor:
- ``akun``: a signed-in account; its role is re-read from the database on every change.
- ``terbuka`` (open mode): a laptop's first run, before any account exists. Allowed
  to change data only while the users table is empty.
- ``cli``: the command line. Whoever runs it can read and write the database file
  anyway, so it acts as an operator and is recorded under the OS user name.

Passwords are hashed with Argon2id (argon2-cffi) and never stored, logged or echoed.
Failed logins are counted in the database (per name, and for all names together),
so the slowing survives a restart and holds across server processes.
"""

from __future__ import annotations

import getpass
import hashlib
import math
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import InputError
from .limits import LoginLimits, load_limits

if TYPE_CHECKING:
    from .storage import Store

ROLES = ("pimpinan", "operator")  # each role may do what the ones before it may
ROLE_LABELS = {"pimpinan": "Pimpinan", "operator": "Operator"}
GLOBAL_BUCKET = "*"  # failures of all names together
UNKNOWN_BUCKET = "?"  # failures for names that have no account
_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,64}$")


class AccessDenied(InputError):
    """The actor may not make this change; nothing was changed."""


class LoginRefused(InputError):
    """Wrong name or password, or too many recent failures; the message says which wait applies."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change, as recorded in the audit trail."""

    name: str
    role: str
    kind: str = "akun"  # "akun" | "terbuka" | "cli"

    @classmethod
    def open_mode(cls) -> Actor:
        """The visitor of an app that has no account yet."""
        return cls("mode terbuka", "operator", "terbuka")

    @classmethod
    def command_line(cls) -> Actor:
        """Whoever runs `python -m iga_data`, named after the OS user."""
        try:
            user = getpass.getuser()
        except Exception:  # no user name in the environment (some containers)
            return cls("baris perintah", "operator", "cli")
        return cls(f"{user} (baris perintah)", "operator", "cli")


def can(actor: Actor | None, need: str) -> bool:
    """Whether the actor's role covers `need` (for showing pages and buttons; writes also `authorize`)."""
    return actor is not None and ROLES.index(actor.role) >= ROLES.index(need)


def require_role(actor: Actor, need: str, users_exist: bool) -> None:
    """Raise AccessDenied unless the actor may act as `need`."""
    if need not in ROLES:
        raise ValueError(f"unknown role {need!r}")
    if actor.kind == "terbuka" and users_exist:
        raise AccessDenied("Sudah ada akun pengguna: masuk dulu untuk mengubah data.")
    if not can(actor, need):
        raise AccessDenied(
            f"Hanya {ROLE_LABELS[need].lower()} yang dapat melakukan ini; akun {actor.name} "
            f"berperan {ROLE_LABELS.get(actor.role, actor.role).lower()}."
        )


def authorize(con: sqlite3.Connection, actor: Actor, need: str) -> None:
    """`require_role` against the accounts in the database now (call inside the change's transaction)."""
    if actor.kind == "akun":
        found = con.execute("SELECT name, role FROM users WHERE name = ?", (actor.name,)).fetchone()
        if found is None:
            raise AccessDenied(f"Akun {actor.name} sudah tidak ada; masuk lagi dengan akun lain.")
        actor = Actor(found[0], found[1])
    users_exist = con.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0]
    require_role(actor, need, bool(users_exist))


# ------------------------------------------------------------------ accounts


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: datetime
    password_changed_at: datetime


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # Argon2id with the library's current recommended cost


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _check_password(password: str, limits: LoginLimits) -> None:
    if len(password) < limits.min_password_length:
        raise InputError(f"Kata sandi minimal {limits.min_password_length} karakter.")


def _check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise InputError("Nama akun harus 1–64 karakter tanpa karakter kendali.")
    return name


def has_users(store: Store) -> bool:
    """False on a laptop's first run: the app runs open and says so."""
    with store.transaction("DEFERRED") as con:
        return bool(con.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0])


def users(store: Store) -> list[User]:
    with store.transaction("DEFERRED") as con:
        rows = con.execute("SELECT name, role, created_at, password_changed_at FROM users ORDER BY name").fetchall()
    return [User(n, r, datetime.fromisoformat(c), datetime.fromisoformat(p)) for n, r, c, p in rows]


def add_user(
    store: Store, name: str, role: str, password: str, actor: Actor, limits: LoginLimits | None = None
) -> None:
    """Create an account. The first account must be an operator: open mode ends with it."""
    name = _check_name(name)
    if role not in ROLES:
        raise InputError(f"Peran {role} tidak dikenal; pilih {' atau '.join(ROLES)}.")
    _check_password(password, limits or load_limits().login)
    hashed = hash_password(password)
    now = datetime.now().isoformat(timespec="seconds")
    with store.change(actor) as change:
        con = change.con
        if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise InputError(f"Akun {name} sudah ada; ganti kata sandinya dengan `user passwd {name}`.")
        if role != "operator" and not con.execute("SELECT 1 FROM users WHERE role = 'operator'").fetchone():
            raise InputError("Buat akun operator dulu: tanpa operator tidak ada yang dapat mengubah data di dasbor.")
        con.execute(
            "INSERT INTO users (name, role, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)",
            (name, role, hashed, now, now),
        )
        change.record("user.added", name, None, {"name": name, "role": role})


def set_password(store: Store, name: str, password: str, actor: Actor, limits: LoginLimits | None = None) -> None:
    """A new password; an account may change its own, an operator anyone's."""
    _check_password(password, limits or load_limits().login)
    hashed = hash_password(password)
    own = actor.kind == "akun" and actor.name.casefold() == name.strip().casefold()
    with store.change(actor, need="pimpinan" if own else "operator") as change:
        found = change.con.execute("SELECT name FROM users WHERE name = ?", (name.strip(),)).fetchone()
        if found is None:
            raise _no_account(name)
        change.con.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?",
            (hashed, datetime.now().isoformat(timespec="seconds"), found[0]),
        )
        change.con.execute("DELETE FROM sign_ins WHERE name = ?", (found[0],))  # every browser signs in again
        change.record("user.password", found[0])


def remove_user(store: Store, name: str, actor: Actor) -> None:
    """Remove an account. The last operator goes only with the last account (back to open mode)."""
    with store.change(actor) as change:
        con = change.con
        found = con.execute("SELECT name, role FROM users WHERE name = ?", (name.strip(),)).fetchone()
        if found is None:
            raise _no_account(name)
        operators = con.execute("SELECT COUNT(*) FROM users WHERE role = 'operator'").fetchone()[0]
        others = con.execute("SELECT COUNT(*) FROM users WHERE name <> ?", (found[0],)).fetchone()[0]
        if found[1] == "operator" and operators == 1 and others:
            raise InputError(
                f"{found[0]} adalah operator terakhir; buat operator lain dulu, atau hapus akun pimpinan lebih dulu."
            )
        con.execute("DELETE FROM users WHERE name = ?", (found[0],))
        change.record("user.removed", found[0], {"name": found[0], "role": found[1]}, None)


def _no_account(name: str) -> InputError:
    return InputError(f"Akun {name.strip()} tidak ada; lihat daftar akun dengan `user list`.")


# --------------------------------------------------------------------- login


@cache
def _decoy_hash() -> str:
    """Checked when the name has no account, so a wrong name takes as long as a wrong password."""
    return hash_password("tidak ada akun dengan nama ini")


def _wait(
    failures: int, last_at: float, now: float, free: int, first: float, longest: float, reset_minutes: float
) -> float:
    """Seconds still to wait before the next try: none for the first `free` failures, then
    `first` doubling per further failure up to `longest`; failures older than the reset are forgotten."""
    if now - last_at > reset_minutes * 60 or failures < free:
        return 0.0
    delay = min(first * 2 ** (failures - free), longest)
    return max(last_at + delay - now, 0.0)


def authenticate(
    store: Store, name: str, password: str, now: float | None = None, limits: LoginLimits | None = None
) -> Actor:
    """The signed-in actor, or LoginRefused. `now` (epoch seconds) is injectable for tests.

    A refusal during a wait does not check the password and does not lengthen the wait.
    """
    limits = limits or load_limits().login
    now = time.time() if now is None else now
    name = name.strip()
    with store.transaction("DEFERRED") as con:
        found = con.execute("SELECT name, role, password_hash FROM users WHERE name = ?", (name,)).fetchone()
        bucket = found[0].casefold() if found else UNKNOWN_BUCKET
        counts = {
            key: (failures, last_at)
            for key, failures, last_at in con.execute(
                "SELECT bucket, failures, last_at FROM login_failures WHERE bucket IN (?, ?)", (bucket, GLOBAL_BUCKET)
            )
        }
    wait = max(
        _wait(
            *counts.get(bucket, (0, 0.0)),
            now,
            limits.free_attempts,
            limits.delay_s,
            limits.max_delay_s,
            limits.reset_minutes,
        ),
        _wait(
            *counts.get(GLOBAL_BUCKET, (0, 0.0)),
            now,
            limits.global_free_attempts,
            limits.delay_s,
            limits.global_max_delay_s,
            limits.reset_minutes,
        ),
    )
    if wait > 0:
        raise LoginRefused(f"Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {math.ceil(wait)} detik.")
    ok = _verify(found[2] if found else _decoy_hash(), password) and found is not None
    with store.transaction() as con:  # bookkeeping, not a change of data: no audit row
        if ok:
            con.execute("DELETE FROM login_failures WHERE bucket = ?", (bucket,))
            if _hasher().check_needs_rehash(found[2]):
                con.execute("UPDATE users SET password_hash = ? WHERE name = ?", (hash_password(password), found[0]))
        else:
            con.executemany(
                """INSERT INTO login_failures (bucket, failures, last_at) VALUES (?, 1, ?)
                   ON CONFLICT (bucket) DO UPDATE SET last_at = excluded.last_at,
                       failures = CASE WHEN excluded.last_at - last_at > ? THEN 1 ELSE failures + 1 END""",
                [(key, now, limits.reset_minutes * 60) for key in (bucket, GLOBAL_BUCKET)],
            )
    if not ok:
        raise LoginRefused("Nama atau kata sandi salah.")
    return Actor(found[0], found[1])


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher().verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def remember(store: Store, actor: Actor) -> str:
    """A token for the browser to keep (a cookie), so a reload stays signed in; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    now = time.time()
    with store.transaction() as con:
        con.execute(
            "INSERT INTO sign_ins (token_hash, name, created_at, last_seen) VALUES (?, ?, ?, ?)",
            (_token_hash(token), actor.name, now, now),
        )
    return token


def recall(store: Store, token: str, now: float | None = None, limits: LoginLimits | None = None) -> Actor | None:
    """The account a browser's token stands for, or None: unknown, its account gone or its password changed,
    or idle too long (then it is forgotten). Each use counts as activity."""
    now = time.time() if now is None else now
    with store.transaction() as con:
        found = con.execute(
            "SELECT s.last_seen, u.name, u.role FROM sign_ins s JOIN users u ON u.name = s.name WHERE s.token_hash = ?",
            (_token_hash(token),),
        ).fetchone()
        if found is None:
            return None
        if session_expired(found[0], now, limits):
            con.execute("DELETE FROM sign_ins WHERE token_hash = ?", (_token_hash(token),))
            return None
        con.execute("UPDATE sign_ins SET last_seen = ? WHERE token_hash = ?", (now, _token_hash(token)))
    return Actor(found[1], found[2])


def forget(store: Store, token: str) -> None:
    """Signing out: the browser's token no longer signs anyone in."""
    with store.transaction() as con:
        con.execute("DELETE FROM sign_ins WHERE token_hash = ?", (_token_hash(token),))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_expired(last_seen: float, now: float | None = None, limits: LoginLimits | None = None) -> bool:
    """Whether a session idle since `last_seen` (epoch seconds) must log in again."""
    limits = limits or load_limits().login
    return (time.time() if now is None else now) - last_seen > limits.idle_minutes * 60


def open_mode_note() -> str:
    """The one line every page shows while no account exists."""
    return (
        "Mode terbuka: belum ada akun, siapa pun yang membuka dasbor dapat mengubah data. Buat operator "
        "pertama dengan `python -m iga_data user add NAMA --role operator`."
    )


def as_json(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "role": user.role,
        "created_at": user.created_at.isoformat(),
        "password_changed_at": user.password_changed_at.isoformat(),
    }
