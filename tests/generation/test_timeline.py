"""Timelines: documents in date order with one key sentence in the reader's language (fake model for
translations, hashed embedder, real Chroma)."""

from __future__ import annotations

import json

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.llm import FakeChatModel
from assistant.cli import main
from assistant.config import Settings
from assistant.service import NewsAssistant
from tests.support.paths import SEEDS


def make(tmp_path, replies):
    settings = Settings(store_dir=tmp_path / "store", embedder="hash", translate_queries="", translate_evidence=3,
                        translation_threshold=0.0, faithfulness_threshold=0.0)
    assistant = NewsAssistant(settings, embedder=HashingEmbedder(), model=FakeChatModel(replies=replies))
    assistant.ingest([SEEDS])
    return assistant


def test_the_library_in_date_order_with_undated_documents_last_and_sentences_in_the_readers_language(tmp_path):
    assistant = make(tmp_path, lambda messages: "The minister met the ambassador in Hanoi on 10 May.")
    timeline = assistant.timeline(lang="en")
    dates = [e.date for e in timeline.entries]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates == dated + [None] * (len(dates) - len(dated))
    assert {e.source for e in timeline.entries} == {d.source for d in assistant.documents()}
    by_lang = {e.lang: e for e in timeline.entries}
    assert by_lang["en"].kind == "original" and by_lang["en"].original is None
    for e in timeline.entries:
        assert e.sentence
        if e.lang != "en":
            assert e.kind in ("translation", "quote") and e.original_lang == e.lang
            if e.kind == "translation":
                assert e.original and e.sentence != e.original


def test_a_story_timeline_from_the_command_line(tmp_path, monkeypatch, capsys):
    make(tmp_path, lambda messages: "x")
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    assert main(["docs", "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    story = next(d["story_id"] for d in docs if d["lang"] == "id")  # (the hashed embedder groups no translations)
    members = sorted(d["doc_id"] for d in docs if d["story_id"] == story)
    assert main(["timeline", "--story", story, "--lang", "id", "--json"]) == 0
    timeline = json.loads(capsys.readouterr().out)
    assert timeline["story"] == story and sorted(e["doc_id"] for e in timeline["entries"]) == members
    indonesian = next(e for e in timeline["entries"] if e["lang"] == "id")
    assert indonesian["kind"] == "original"
    assert main(["timeline", "--story", "x", "--topic", "y"]) == 3
