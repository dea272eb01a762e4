"""The generated corpora of the scale benchmarks, and what a second ingest over a big folder costs (nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.store import open_store
from assistant.service import NewsAssistant
from tests.support.paths import EVAL
from tests.support.synthetic import synthetic_records, write_news_corpus


class CountingEmbedder(HashingEmbedder):
    """Counts the passages it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.passages = 0

    def embed_passages(self, texts):
        self.passages += len(texts)
        return super().embed_passages(texts)


def test_two_thousand_distinct_articles_in_four_languages(tmp_path: Path):
    paths = write_news_corpus(EVAL, tmp_path / "corpus", 2000)
    assert len(paths) == 2000 == len({p.read_text(encoding="utf-8") for p in paths})
    assert {p.name.split("-")[0] for p in paths} == {"en", "de", "id", "fr"}
    again = write_news_corpus(EVAL, tmp_path / "again", 2000)
    assert [p.read_text(encoding="utf-8") for p in again[:50]] == [p.read_text(encoding="utf-8") for p in paths[:50]]


@pytest.mark.slow
def test_a_second_ingest_of_a_big_folder_embeds_nothing(tmp_path: Path, settings):
    write_news_corpus(EVAL, tmp_path / "corpus", 300)
    embedder = CountingEmbedder()
    assistant = NewsAssistant(settings, embedder=embedder)
    progress: list[tuple[int, int]] = []
    first = assistant.ingest([tmp_path / "corpus"], progress=lambda done, total, *_: progress.append((done, total)))
    assert first.count("added") == 300 and not first.failed
    assert progress[-1] == (300, 300) and [d for d, _ in progress] == list(range(1, 301))
    embedded = embedder.passages
    second = assistant.ingest([tmp_path / "corpus"])
    assert second.count("unchanged") == 300 and second.count("added") == 0
    assert embedder.passages == embedded  # nothing re-embedded, nothing re-written


def test_synthetic_records_fill_a_store_with_the_asked_number_of_chunks(settings):
    store = open_store(settings, HashingEmbedder.name, 384)
    for batch in synthetic_records(EVAL, 2500, batch_docs=50):
        store.add_documents(batch)
    assert store.count_chunks() == 2500
    docs = store.list_documents()
    assert len(docs) == 250 and sum(d.n_chunks for d in docs) == 2500
    assistant = NewsAssistant(settings, embedder=HashingEmbedder(dim=384))
    hits = assistant.search("Super Bowl Panthers", k=3)
    assert hits and any("Panthers" in h.text or "Super Bowl" in h.text for h in hits)
