"""Saved conversations in SQLite (standard library), in the data folder: the only module that imports sqlite3.

A reporter checks a story over days; a conversation must outlive the process that held it. Each turn is
written in one transaction as soon as its answer is checked, so a killed server leaves every turn whole or
absent, never half-written. The database runs in WAL mode with a busy timeout: readers never block, and two
processes (or two browser sessions in one) writing at once take turns instead of failing.

Every conversation belongs to a user (the CLI acts as the local user); every query takes the user, so one
user's conversations are neither listed nor reachable by id or name for another.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path

from assistant.errors import InputError, NotFoundError, StoreError
from assistant.models import Answer, Conversation, ConversationTurn

LOCAL_USER = "local"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    name TEXT NOT NULL,
    started TEXT NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (user, name)
);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    asked TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (conversation_id, n)
);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ConversationStore:
    """Conversations and their turns in ``folder/conversations.sqlite3``. Safe to share between threads."""

    def __init__(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "conversations.sqlite3"
        self._local = threading.local()
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA foreign_keys=ON")
                db.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the conversations database {self.path}: {exc}") from None
            self._local.db = db
        return db

    # --- conversations ----------------------------------------------------------------------------------

    def create(self, name: str | None = None, user: str = LOCAL_USER) -> Conversation:
        """A new, empty conversation; without a name it is named by its start time."""
        name = " ".join((name or "").split()) or datetime.now(timezone.utc).strftime("conversation %Y-%m-%d %H:%M:%S")
        if len(name) > 200:
            raise InputError("a conversation name has at most 200 characters")
        stamp = _now()
        conversation_id = uuid.uuid4().hex[:12]
        db = self._connect()
        try:
            db.execute(
                "INSERT INTO conversations (id, user, name, started, updated) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, user, name, stamp, stamp),
            )
        except sqlite3.IntegrityError:
            raise InputError(f"a conversation named {name!r} exists already", hint="choose another name, or continue it with --session") from None
        return Conversation(id=conversation_id, name=name, turns=0, started=stamp, updated=stamp)

    def create_named_after(self, text: str, user: str = LOCAL_USER) -> Conversation:
        """A new conversation named after ``text`` (a first question), with " (2)", " (3)"… when the name is
        taken; safe when two sessions start one with the same question at once."""
        base = " ".join(text.split()) or "conversation"
        base = base if len(base) <= 60 else base[:59] + "…"
        for i in range(1, 10_000):
            try:
                return self.create(base if i == 1 else f"{base} ({i})", user)
            except InputError:
                continue
        raise InputError(f"too many conversations named {base!r}")

    def find(self, ref: str, user: str = LOCAL_USER) -> Conversation:
        """The user's conversation with this id or name."""
        row = self._connect().execute(
            "SELECT c.id, c.name, c.started, c.updated, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) "
            "FROM conversations c WHERE c.user = ? AND (c.id = ? OR c.name = ?) ORDER BY c.id = ? DESC LIMIT 1",
            (user, ref, ref, ref),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no conversation with id or name {ref!r}", hint="`assistant history` lists them")
        return Conversation(id=row[0], name=row[1], started=row[2], updated=row[3], turns=row[4])

    def find_or_create(self, name: str, user: str = LOCAL_USER) -> Conversation:
        try:
            return self.find(name, user)
        except NotFoundError:
            return self.create(name, user)

    def list(self, user: str = LOCAL_USER) -> list[Conversation]:
        """The user's conversations, most recently updated first."""
        rows = self._connect().execute(
            "SELECT c.id, c.name, c.started, c.updated, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) "
            "FROM conversations c WHERE c.user = ? ORDER BY c.updated DESC, c.id",
            (user,),
        ).fetchall()
        return [Conversation(id=r[0], name=r[1], started=r[2], updated=r[3], turns=r[4]) for r in rows]

    def rename(self, ref: str, name: str, user: str = LOCAL_USER) -> Conversation:
        conversation = self.find(ref, user)
        name = " ".join(name.split())
        if not name:
            raise InputError("a conversation needs a name")
        try:
            self._connect().execute("UPDATE conversations SET name = ? WHERE id = ? AND user = ?", (name, conversation.id, user))
        except sqlite3.IntegrityError:
            raise InputError(f"a conversation named {name!r} exists already") from None
        return conversation.model_copy(update={"name": name})

    def delete(self, ref: str, user: str = LOCAL_USER) -> Conversation:
        conversation = self.find(ref, user)
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM turns WHERE conversation_id = ?", (conversation.id,))
            db.execute("DELETE FROM conversations WHERE id = ? AND user = ?", (conversation.id, user))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return conversation

    # --- turns ------------------------------------------------------------------------------------------

    def add_turn(self, conversation_id: str, answer: Answer, user: str = LOCAL_USER) -> ConversationTurn:
        """Append a turn, whole, in one transaction (its number is the next free one at commit)."""
        stamp = _now()
        payload = json.dumps(answer.model_dump(mode="json", exclude={"draft"}), ensure_ascii=False)
        db = self._connect()
        db.execute("BEGIN IMMEDIATE")
        try:
            owner = db.execute("SELECT user FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if owner is None or owner[0] != user:
                raise NotFoundError(f"no conversation with id {conversation_id!r}")
            n = db.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM turns WHERE conversation_id = ?", (conversation_id,)).fetchone()[0]
            db.execute(
                "INSERT INTO turns (conversation_id, n, asked, answer) VALUES (?, ?, ?, ?)", (conversation_id, n, stamp, payload)
            )
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (stamp, conversation_id))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return ConversationTurn(n=n, asked=stamp, answer=answer)

    def turns(self, ref: str, user: str = LOCAL_USER) -> tuple[Conversation, list[ConversationTurn]]:
        conversation = self.find(ref, user)
        rows = self._connect().execute(
            "SELECT n, asked, answer FROM turns WHERE conversation_id = ? ORDER BY n", (conversation.id,)
        ).fetchall()
        return conversation, [ConversationTurn(n=r[0], asked=r[1], answer=Answer.model_validate_json(r[2])) for r in rows]

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
