"""Saved conversations: SQLite in the data folder, per user, whole turns only."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from assistant.backends.conversations import ConversationStore
from assistant.errors import InputError, NotFoundError
from assistant.models import Answer, AnswerSentence, Source


def answer(question: str, text: str = "The port reopened on Monday [1].") -> Answer:
    return Answer(
        question=question, answer_lang="en", answer=text, answerable=True, model="fake",
        sentences=[AnswerSentence(text=text.removesuffix(" [1]."), citations=[1], supported=True, lang="en")],
        sources=[Source(n=1, doc_id="d1", source="https://news.example/port", title="Port reopens", lang="en",
                        chunk_id="d1-0000", quote="The port reopened on Monday.", start=0, end=28, url="https://news.example/port")],
    )


def test_turns_are_kept_in_order_and_survive_a_new_store_object(tmp_path):
    store = ConversationStore(tmp_path)
    c = store.create("Port strike")
    store.add_turn(c.id, answer("When did the port reopen?"))
    store.add_turn(c.id, answer("Who reopened it?", "The city reopened it [1]."))
    again = ConversationStore(tmp_path)  # as after a restart
    conversation, turns = again.turns("Port strike")
    assert conversation.id == c.id and conversation.turns == 2
    assert [t.n for t in turns] == [1, 2] and turns[1].answer.question == "Who reopened it?"
    assert turns[0].answer.sources[0].url == "https://news.example/port"
    assert [x.name for x in again.list()] == ["Port strike"]


def test_names_are_unique_per_user_and_other_users_cannot_see_or_reach_a_conversation(tmp_path):
    store = ConversationStore(tmp_path)
    mine = store.create("Budget", user="ana")
    store.add_turn(mine.id, answer("How large is the budget?"), user="ana")
    with pytest.raises(InputError, match="exists already"):
        store.create("Budget", user="ana")
    theirs = store.create("Budget", user="ben")  # the same name for another user is another conversation
    assert theirs.id != mine.id
    assert [c.id for c in store.list("ben")] == [theirs.id] and store.list("ben")[0].turns == 0
    assert store.find("Budget", user="ben").id == theirs.id and store.find("Budget", user="ana").id == mine.id
    with pytest.raises(NotFoundError):
        store.find(mine.id, user="ben")
    with pytest.raises(NotFoundError):
        store.turns(mine.id, user="ben")
    with pytest.raises(NotFoundError):
        store.add_turn(mine.id, answer("Sneaky?"), user="ben")
    with pytest.raises(NotFoundError):
        store.delete(mine.id, user="ben")
    assert store.turns(mine.id, user="ana")[0].turns == 1


def test_rename_and_delete_by_id_or_name(tmp_path):
    store = ConversationStore(tmp_path)
    c = store.create("draft")
    store.add_turn(c.id, answer("Q?"))
    assert store.rename("draft", "Election night").name == "Election night"
    assert store.find(c.id).name == "Election night"
    assert store.delete("Election night").turns == 1
    assert store.list() == []
    with pytest.raises(NotFoundError):
        store.turns(c.id)


def test_two_writers_at_once_lose_nothing(tmp_path):
    store = ConversationStore(tmp_path)
    c = store.create("busy")

    def write(k: int) -> None:
        for i in range(25):
            store.add_turn(c.id, answer(f"writer {k} question {i}?"))

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    # and another process at the same time
    other = subprocess.Popen([sys.executable, "-c", (
        "import sys; sys.path.insert(0, '.'); from tests.backends.test_conversations import answer; "
        "from assistant.backends.conversations import ConversationStore; "
        f"s = ConversationStore({str(tmp_path)!r}); "
        f"[s.add_turn({c.id!r}, answer(f'process question {{i}}?')) for i in range(25)]"
    )])
    for t in threads:
        t.join()
    assert other.wait(timeout=120) == 0
    _, turns = store.turns(c.id)
    assert [t.n for t in turns] == list(range(1, 126))
    assert len({t.answer.question for t in turns}) == 125


def test_a_process_killed_mid_turn_leaves_no_partial_turn(tmp_path):
    store = ConversationStore(tmp_path)
    c = store.create("killed")
    store.add_turn(c.id, answer("First?"))
    # A writer that dies inside the turn's transaction, after the insert and before the commit.
    script = (
        "import os, sys, sqlite3; sys.path.insert(0, '.'); from tests.backends.test_conversations import answer; "
        "from assistant.backends.conversations import ConversationStore; "
        f"s = ConversationStore({str(tmp_path)!r}); db = s._connect(); "
        "real = db.execute\n"
        "class Dying:\n"
        "    def execute(self, sql, *a):\n"
        "        if sql == 'COMMIT': os._exit(9)\n"
        "        return real(sql, *a)\n"
        "s._local.db = Dying()\n"
        f"s.add_turn({c.id!r}, answer('Second?'))"
    )
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    again = ConversationStore(tmp_path)
    conversation, turns = again.turns(c.id)
    assert conversation.turns == 1 and [t.answer.question for t in turns] == ["First?"]
    again.add_turn(c.id, answer("Third?"))
    assert [t.n for t in again.turns(c.id)[1]] == [1, 2]


def test_conversations_named_after_the_same_question_at_once_all_get_a_name(tmp_path):
    store = ConversationStore(tmp_path)
    names: list[str] = []
    threads = [threading.Thread(target=lambda: names.append(store.create_named_after("What did the ambassador propose?").name)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(names) == sorted(["What did the ambassador propose?"] + [f"What did the ambassador propose? ({i})" for i in range(2, 7)])
