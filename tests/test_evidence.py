"""Evidence selection with the hashed embedder and real embedded Chroma: which sentences become sources."""

from __future__ import annotations

import pytest

import assistant.evidence as evidence
from assistant.config import Settings
from assistant.embedder import HashingEmbedder
from assistant.evidence import select_evidence
from assistant.service import NewsAssistant

QUESTION = "What did the city council decide about the harbour bridge plan?"
ARTICLE = (
    "The city council met on Tuesday to decide about the harbour bridge plan. "
    "It approved a budget of 40 million euros for construction work. "
    "Local shop owners welcomed the news on Wednesday morning."
)
DISTRACTOR = "Harbour bridge plans were discussed by councils across the region last year."


@pytest.fixture()
def assistant(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "bridge.txt").write_text("Harbour bridge\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "docs" / "region.txt").write_text("Regional planning\n\n" + DISTRACTOR, encoding="utf-8")
    a = NewsAssistant(Settings(store_dir=tmp_path / "store", embedder="hash"), embedder=HashingEmbedder())
    a.ingest([tmp_path / "docs"])
    return a


def quotes(a: NewsAssistant, n: int) -> list[str]:
    ev = select_evidence(QUESTION, a.retriever, a.store, a.embedder, k=5, n_sentences=n)
    return [s.quote for s in ev.sources]


def test_the_sentence_after_the_best_match_inherits_part_of_its_lead(assistant, monkeypatch):
    """The answer ("a budget of 40 million") shares no word with the question; it follows the sentence that
    restates the question, and that puts it above a sentence from another article that merely shares words."""
    with_follower = quotes(assistant, 2)
    assert with_follower[0].startswith("The city council met")
    assert with_follower[1].startswith("It approved a budget")

    monkeypatch.setattr(evidence, "FOLLOWER_WEIGHT", 0.0)
    without = quotes(assistant, 2)
    assert without[0].startswith("The city council met")
    assert without[1] == DISTRACTOR  # the control: without the bonus the bare word overlap wins


def test_the_lead_only_raises_the_sentence_right_after(assistant):
    """The third sentence follows the answer, not the match: it gets no lead and stays last."""
    assert quotes(assistant, 4)[-1].startswith("Local shop owners")
