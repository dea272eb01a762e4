"""Timelines: documents in date order with one key sentence in the reader's language (fake model for
translations, hashed embedder, real Chroma)."""

from __future__ import annotations

import json

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.fake_chat import FakeChatModel
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


def test_a_document_read_in_the_readers_language_and_a_story_filter(tmp_path, monkeypatch, capsys):
    from tests.generation.test_translation import DE, EN

    wrong = "Die Brücke kostete damals fast 40 Millionen Euro und war lange umstritten."
    replies = {DE: EN, wrong: "The bridge cost almost 14 million euros and was long disputed."}
    assistant = make(tmp_path, lambda messages: replies.get(messages[-1].content, "?"))
    article = tmp_path / "bruecke.txt"
    article.write_text(f"{DE} {wrong}", encoding="utf-8")
    assistant.ingest([article])
    doc, sentences = assistant.read_translated("bruecke.txt", "en")
    assert [(s.kind, s.text) for s in sentences] == [("translation", EN), ("untranslated", None)]
    assert "14" in sentences[1].note  # the changed number is why the second is not shown translated
    _, same = assistant.read_translated(doc.doc_id, "de")
    assert [(s.kind, s.text) for s in same] == [("original", DE), ("original", wrong)]
    monkeypatch.setattr("assistant.cli.common.open_assistant", lambda settings: assistant)  # the CLI over this scripted model
    shown = main_json(monkeypatch, capsys, tmp_path, ["show", "bruecke.txt", "--translate", "en", "--json"])
    assert shown["sentences"][0] == {"original": DE, "lang": "en", "text": EN, "kind": "translation", "note": None}
    assert main(["show", "bruecke.txt", "--translate", "en"]) == 0
    printed = capsys.readouterr().out
    assert EN in printed and "(de, not translated: not in the original: 14)" in printed
    monkeypatch.undo()
    german = next(d for d in assistant.documents() if d.lang == "de" and d.source != "bruecke.txt")

    hits = main_json(monkeypatch, capsys, tmp_path, ["search", "Korea", "--story", german.story_id, "--json"])
    assert {h["doc_id"] for h in hits} == {german.doc_id}
    assert main(["search", "Korea", "--story", "story-nothing"]) == 5
    assert "no story" in capsys.readouterr().err


def main_json(monkeypatch, capsys, tmp_path, argv):
    """Run the CLI on the test's store (with the scripted model's cached translations) and read its JSON."""
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    monkeypatch.setenv("ASSISTANT_TRANSLATION_THRESHOLD", "0")
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)
