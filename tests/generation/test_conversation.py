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


def _dated_library(tmp_path):
    from assistant.backends.embedder import HashingEmbedder
    from assistant.backends.fake_chat import FakeChatModel
    from assistant.config import Settings
    from assistant.service import NewsAssistant

    def reply(messages):
        return copy_source(1)(messages)

    assistant = NewsAssistant(
        Settings(store_dir=tmp_path / "store", embedder="hash", min_relevance=0.0, support_threshold=0.5,
                 translate_queries="", translate_evidence=0),
        embedder=HashingEmbedder(), model=FakeChatModel(replies=reply),
    )
    folder = tmp_path / "port"
    folder.mkdir()
    texts = {
        "march.txt": "date 2026-03-10\nThe port of Haiphong handled 1.2 million containers in the first quarter, the port authority said.",
        "november.txt": "date 2026-11-28\nThe port of Haiphong closed two terminals after the storm, the port authority said.",
        "undated.txt": "The port of Haiphong is the largest container port in northern Vietnam, the port authority said.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert assistant.ingest([folder]).count("added") == 3
    return assistant


def test_a_question_about_a_period_searches_that_period_and_says_which_dates_it_covers(tmp_path):
    from datetime import date

    assistant = _dated_library(tmp_path)
    today = date(2026, 12, 2)
    march = assistant.ask("What did the port authority of Haiphong say in March?", today=today)
    assert {s.source for s in march.sources} == {"march.txt"}
    assert any("documents dated 2026-03-01 to 2026-03-31 (from “in march”)" in n for n in march.notes)
    assert "covers sources dated 2026-03-10" in march.notes

    latest = assistant.ask("What is the latest from the port authority of Haiphong?", today=today)
    assert {s.source for s in latest.sources} == {"november.txt"}  # March is more than 30 days older
    assert any("newest documents first" in n for n in latest.notes)

    empty = assistant.ask("What did the port authority of Haiphong say last week?", today=date(2026, 6, 10))
    assert empty.sources and any("nothing in the library is dated 2026-06-01 to 2026-06-07" in n for n in empty.notes)
    plain = assistant.ask("What did the port authority of Haiphong say?", today=today)
    assert not any("covers" in n or "read as a question about" in n for n in plain.notes)
