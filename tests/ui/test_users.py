"""Logins of the browser app: the users file (scrypt hashes) written by `assistant users`, and the check."""

from __future__ import annotations

import io

import pytest

from assistant.cli import main
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.ui.users import authenticator, read_users


def test_users_are_added_listed_checked_and_removed(tmp_path, monkeypatch, capsys):
    users = tmp_path / "conf" / "users"
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("ASSISTANT_UI_USERS", str(users))
    for name, password in (("ana", "correct horse"), ("ben", "battery staple")):
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        assert main(["users", "add", name, "--password-stdin"]) == 0
    assert "added ben" in capsys.readouterr().out
    stored = users.read_text(encoding="utf-8")
    assert "correct horse" not in stored and stored.count("scrypt$") == 2
    assert (users.stat().st_mode & 0o777) == 0o600
    assert main(["users", "list"]) == 0 and capsys.readouterr().out.split() == ["ana", "ben"]

    check = authenticator(Settings(store_dir=tmp_path / "store", ui_users=users))
    assert check("ana", "correct horse") and check("ben", "battery staple")
    assert not check("ana", "battery staple") and not check("carl", "correct horse") and not check("ana", "")

    monkeypatch.setattr("sys.stdin", io.StringIO("a new password\n"))
    assert main(["users", "add", "ana", "--password-stdin"]) == 0
    assert "changed the password of ana" in capsys.readouterr().out
    assert check("ana", "a new password") and not check("ana", "correct horse")  # read at every login
    assert main(["users", "remove", "ben"]) == 0 and not check("ben", "battery staple")

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "dora", "--password-stdin"]) == 3
    assert "at least 8 characters" in capsys.readouterr().err


def test_the_single_pair_still_works_beside_the_file_and_a_damaged_file_is_a_clear_error(tmp_path):
    users = tmp_path / "users"
    users.write_text("# comment\nana:not-a-hash\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2"):
        read_users(users)
    check = authenticator(Settings(store_dir=tmp_path / "s", ui_username="admin", ui_password="s3cret-pass", ui_users=tmp_path / "none"))
    assert check("admin", "s3cret-pass") and not check("admin", "wrong") and not check("ana", "s3cret-pass")
    assert authenticator(Settings(store_dir=tmp_path / "s")) is None  # login off
