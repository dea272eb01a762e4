"""Saved conversations through the service and the CLI: follow-ups read against the saved turns, exports a
reader can check from the file alone (fake model, hashed embedder, real Chroma and SQLite)."""

from __future__ import annotations

import json
import re

import jsonschema

from assistant.cli import main
from assistant.models import ConversationExport
from tests.generation.test_answer import copy_source, make


def rewrite_or_answer(messages):
    """The rewrite prompt gets a standalone question; an answer prompt copies its first source."""
    if "Assistant:" in messages[-1].content and "Sources:" not in messages[-1].content:
        return "How many IT graduates does Da Nang have each year?"
    return copy_source(1)(messages)


def test_a_session_keeps_its_turns_and_reads_a_follow_up_against_them(tmp_path):
    assistant, model = make(tmp_path, rewrite_or_answer)
    first = assistant.ask("How many IT training establishments does Da Nang have?", session="Da Nang")
    second = assistant.ask("And graduates each year?", session="Da Nang")
    rewrite = next(m for m in model.prompts if "Assistant:" in m[-1].content and "Sources:" not in m[-1].content)
    assert "How many IT training establishments does Da Nang have?" in rewrite[-1].content  # the saved turn
    assert second.standalone_question == "How many IT graduates does Da Nang have each year?"
    conversation, turns = assistant.conversations.turns("Da Nang")
    assert conversation.turns == 2 and [t.answer.question for t in turns] == [first.question, second.question]
    assert turns[0].answer.sources == first.sources


def test_exports_hold_every_question_every_cited_source_and_validate_against_their_schema(tmp_path):
    assistant, _ = make(tmp_path, rewrite_or_answer)
    answers = [assistant.ask(q, session="Da Nang") for q in ("How many IT training establishments does Da Nang have?", "And graduates each year?")]
    markdown = assistant.export_conversation("Da Nang", "md")
    for a in answers:
        assert a.question in markdown
        for n in {c for s in a.sentences if s.supported for c in s.citations}:
            src = next(s for s in a.sources if s.n == n)
            assert f"[{n}] {src.title} — {src.source}" in markdown and src.quote in markdown
        for s in a.sentences:
            if s.supported:
                assert s.text in markdown
    data = json.loads(assistant.export_conversation("Da Nang", "json"))
    jsonschema.validate(data, ConversationExport.model_json_schema(mode="serialization"))
    assert [t["answer"]["question"] for t in data["turns"]] == [a.question for a in answers]
    assert "draft" not in data["turns"][0]["answer"]


def test_history_and_export_from_the_command_line(tmp_path, monkeypatch, capsys):
    assistant, _ = make(tmp_path, rewrite_or_answer)
    assistant.ask("How many IT training establishments does Da Nang have?", session="Da Nang")
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    assert main(["history", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert set(listed) == {"id", "name", "turns", "started", "updated"} and listed["turns"] == 1
    assert main(["history", "show", listed["id"], "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["name"] == "Da Nang" and shown["turns"][0]["answer"]["sources"]
    out_file = tmp_path / "danang.md"
    assert main(["export", "Da Nang", "-o", str(out_file)]) == 0
    assert out_file.read_text(encoding="utf-8").startswith("# Da Nang")
    assert main(["export", listed["id"], "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["conversation"]["id"] == listed["id"]
    assert main(["history", "delete", "Da Nang"]) == 0
    capsys.readouterr()
    assert main(["export", "Da Nang"]) == 5
    assert re.search(r"no conversation with id or name 'Da Nang'", capsys.readouterr().err)
