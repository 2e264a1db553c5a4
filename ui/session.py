"""Who is using this browser session: signed in (with a role), open mode (no account exists yet), or nobody.

The role gate lives in app.py's page list; this module only answers who the session is, ends idle
sessions, and signs in and out. Writes are checked again by the engine (accounts.authorize).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from iga_data import accounts
from iga_data.accounts import Actor

from .data import store
from .shell import flash

COOKIE = "iga_sesi"
COOKIE_DAYS = 7  # the browser keeps it a week; the server ends it after limits.toml's idle time all the same


@dataclass(frozen=True)
class Session:
    actor: Actor | None  # None: accounts exist and nobody has signed in
    open_mode: bool  # no account exists yet: everyone may do everything, and every page says so

    def can(self, role: str) -> bool:
        return accounts.can(self.actor, role)


def current() -> Session:
    """The session's actor, after ending it when it has been idle too long (config/limits.toml). A new session
    (a reload, a new tab) is signed in again by the browser's cookie while that sign-in is alive."""
    if not accounts.has_users(store()):
        st.session_state.pop("actor", None)
        return Session(Actor.open_mode(), True)
    actor = st.session_state.get("actor")
    now = time.time()
    token = st.context.cookies.get(COOKIE)  # text from the browser; AppTest's context has no real cookies
    if actor is None and isinstance(token, str) and token and "token" not in st.session_state:
        actor = accounts.recall(store(), token)
        if actor is not None:
            st.session_state.update(actor=actor, token=token, last_seen=now)
    if actor is not None and accounts.session_expired(st.session_state.get("last_seen", now), now):
        sign_out("Sesi berakhir karena lama tidak dipakai; masuk lagi.")
        actor = None
    if actor is not None:
        st.session_state["last_seen"] = now
    return Session(actor, False)


def sign_in(name: str, password: str) -> Actor:
    """Check the name and password (slowed after failures); LoginRefused says what went wrong."""
    actor = accounts.authenticate(store(), name, password)
    st.session_state["actor"] = actor
    st.session_state["last_seen"] = time.time()
    st.session_state["welcome"] = actor.name  # greeted on the next page shown (ui.chrome)
    st.session_state["token"] = st.session_state["cookie"] = accounts.remember(store(), actor)
    return actor


def just_signed_in() -> bool:
    """Signed in and not yet greeted: app.py then opens Ringkasan instead of the sign-in page."""
    return "welcome" in st.session_state


def sign_out(message: str = "Anda sudah keluar.") -> None:
    for key in ("actor", "last_seen"):
        st.session_state.pop(key, None)
    if token := st.session_state.get("token"):
        accounts.forget(store(), token)
        st.session_state["token"] = ""  # this session does not sign in by the old cookie again
        st.session_state["cookie"] = ""  # the browser drops it (ui.chrome)
    flash(message)


def cookie_script() -> str | None:
    """The script that stores (or, after signing out, removes) the sign-in cookie, once, or None.

    Streamlit cannot set a cookie from Python; the token is random URL-safe text, never from a user. The
    cookie is not HttpOnly for that reason: every uploaded text is escaped before it is shown (safetext).
    """
    if (token := st.session_state.pop("cookie", None)) is None:
        return None
    age = COOKIE_DAYS * 86_400 if token else 0
    return (
        f'<script>document.cookie = "{COOKIE}={token}; Path=/; Max-Age={age}; SameSite=Strict"'
        ' + (location.protocol === "https:" ? "; Secure" : "");</script>'
    )
