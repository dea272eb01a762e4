"""Logins for the browser app: a file of ``name:hash`` lines (``ASSISTANT_UI_USERS``), written by
``assistant users add NAME``, beside the single ``ASSISTANT_UI_USERNAME``/``ASSISTANT_UI_PASSWORD`` pair.

Passwords are stored as scrypt hashes (standard library), each with its own salt; checking compares in
constant time. The file is read at every login, so a user added while the app runs can log in at once.
Each user sees only their own saved conversations.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from pathlib import Path

from assistant.errors import ConfigError, InputError

#: scrypt cost: 2**14 iterations, block size 8, one lane (about 16 MiB and 50 ms per check).
_N, _R, _P = 2**14, 8, 1
_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def read_users(path: Path) -> dict[str, str]:
    """name → stored hash; a missing file has no users, a malformed line is a configuration error."""
    if not path.exists():
        return {}
    users: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, stored = line.strip().partition(":")
        if not sep or not _NAME.match(name) or not stored.startswith("scrypt$"):
            raise ConfigError(f"{path}, line {number}: expected name:scrypt$…", hint="write users with `assistant users add NAME`")
        users[name] = stored
    return users


def add_user(path: Path, name: str, password: str) -> bool:
    """Add ``name`` (or change its password); True when the user is new. The file is replaced atomically."""
    if not _NAME.match(name):
        raise InputError(f"{name!r}: a user name is 1-64 letters, digits or . _ @ -")
    if len(password) < 8:
        raise InputError("a password has at least 8 characters")
    users = read_users(path)
    new = name not in users
    users[name] = hash_password(password)
    _write(path, users)
    return new


def remove_user(path: Path, name: str) -> None:
    users = read_users(path)
    if users.pop(name, None) is None:
        raise InputError(f"no user named {name!r} in {path}")
    _write(path, users)


def _write(path: Path, users: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("".join(f"{n}:{h}\n" for n, h in sorted(users.items())), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def authenticator(settings):
    """The login check for Gradio: the single configured pair, then the users file; None when login is off."""
    pair = (settings.ui_username, settings.ui_password.get_secret_value()) if settings.ui_username and settings.ui_password else None
    path = settings.ui_users
    if pair is None and path is None:
        return None

    def check(username: str, password: str) -> bool:
        if pair is not None and hmac.compare_digest(username.encode(), pair[0].encode()) and hmac.compare_digest(password.encode(), pair[1].encode()):
            return True
        stored = read_users(path).get(username) if path is not None else None
        return bool(stored) and check_password(password, stored)

    return check
