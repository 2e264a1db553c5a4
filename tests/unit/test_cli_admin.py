"""The command line for accounts, the audit trail, Terhapus and backups; refusals exit with status 2."""

from __future__ import annotations

import io
import json
import sys

import hostile
import pytest
from argon2 import PasswordHasher
from builders import xlsx

from iga_data import accounts
from iga_data.cli import main
from iga_data.storage import Store

PASSWORD = "rahasia-sekali-123"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: hasher)


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("IGA_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / "iga.db"


def run(capsys, *args, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_user_commands_never_show_or_store_the_password(capsys, monkeypatch, db):
    code, out, err = run(
        capsys,
        "user",
        "add",
        "budi",
        "--role",
        "operator",
        "--password-stdin",
        stdin=PASSWORD + "\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0 and "Akun budi (operator) dibuat" in err and PASSWORD not in out + err
    typed = iter([PASSWORD + "-sari", PASSWORD + "-sari"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))  # getpass reads the terminal unechoed
    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda self: True})())
    code, out, err = run(capsys, "user", "add", "sari", "--role", "pimpinan")
    assert code == 0 and PASSWORD not in out + err
    code, out, _ = run(capsys, "user", "list", "--format", "json")
    assert [(u["name"], u["role"]) for u in json.loads(out)] == [("budi", "operator"), ("sari", "pimpinan")]
    typed = iter(["baru-sekali-1", "baru-sekali-2"])
    code, _, err = run(capsys, "user", "passwd", "sari")
    assert code == 2 and "tidak sama" in err
    code, _, err = run(capsys, "user", "remove", "sari")
    assert code == 0 and "dihapus" in err
    raw = b"".join(p.read_bytes() for p in db.parent.glob("iga.db*"))
    assert PASSWORD.encode() not in raw
    _, out, _ = run(capsys, "audit", "--format", "json")
    assert PASSWORD not in out and [e["kind"] for e in json.loads(out)] == ["user.removed", "user.added", "user.added"]


def test_a_password_cannot_be_typed_without_a_terminal(capsys, monkeypatch, db):
    code, _, err = run(capsys, "user", "add", "budi", "--role", "operator", stdin="", monkeypatch=monkeypatch)
    assert code == 2 and "--password-stdin" in err
    assert not db.exists() or not accounts.has_users(Store(db))


def test_snapshots_move_to_terhapus_come_back_and_are_purged(capsys, db, tmp_path):
    export = tmp_path / "ekspor.xlsx"
    export.write_bytes(xlsx({"Data": hostile.ROWS}))
    assert run(capsys, "ingest", export, "--db", db)[0] == 0
    assert run(capsys, "delete-snapshot", "1")[0] == 0
    assert run(capsys, "snapshots", "--db", db)[1] == "Belum ada unggahan.\n"
    code, out, _ = run(capsys, "snapshots", "--db", db, "--deleted", "--format", "json")
    assert [s["id"] for s in json.loads(out)] == [1] and "baris perintah" in json.loads(out)[0]["deleted_by"]
    assert run(capsys, "restore-snapshot", "1")[0] == 0
    assert "#1" in run(capsys, "snapshots", "--db", db)[1]
    code, _, err = run(capsys, "purge-snapshot", "1")
    assert code == 2 and "tidak ada di Terhapus" in err
    run(capsys, "delete-snapshot", "1")
    assert run(capsys, "purge-snapshot", "1")[0] == 0
    assert run(capsys, "snapshots", "--db", db, "--deleted")[1] == "Terhapus kosong.\n"
    _, out, _ = run(capsys, "audit")
    assert out.count("Unggahan") == 5 and "Unggahan dihapus permanen: #1" in out.splitlines()[0]


def test_backup_and_restore_from_the_command_line(capsys, db, tmp_path):
    export = tmp_path / "ekspor.xlsx"
    export.write_bytes(xlsx({"Data": hostile.ROWS}))
    run(capsys, "ingest", export, "--db", db)
    code, out, _ = run(capsys, "backup", "--out", tmp_path / "luar", "--keep", "2")
    backup = out.strip()
    assert code == 0 and backup.endswith(".db")
    run(capsys, "delete-snapshot", "1")
    code, _, err = run(capsys, "restore", backup)
    assert code == 0 and "sebelum-pulih" in err
    assert "#1" in run(capsys, "snapshots", "--db", db)[1]
    code, _, err = run(capsys, "restore", tmp_path / "tidak_ada.db")
    assert code == 2 and err.startswith("galat: ") and err.count("\n") == 1


@pytest.mark.parametrize("name", ["far_cell_bomb", "whitespace_bomb", "wide_csv", "html_as_xls", "header_only"])
def test_a_hostile_file_given_to_the_cli_is_one_line_and_status_2(capsys, db, tmp_path, name):
    filename, build, _ = hostile.CASES[name]
    path = tmp_path / filename
    path.write_bytes(build())
    for command in (["report", path], ["ingest", path, "--db", db]):
        code, out, err = run(capsys, *command)
        assert code == 2 and out == "" and err.startswith("galat: ") and err.count("\n") == 1
    assert not db.exists()
