"""Ingestion into real Chroma, embedded and a `chroma run` server (hashed embedder for speed)."""

from pathlib import Path

import numpy as np
import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.store import open_store
from assistant.errors import EmbedderMismatchError, NotFoundError
from assistant.ingest.chunking import segment_document
from assistant.ingest.pipeline import embed_segments, read_document
from assistant.service import NewsAssistant
from tests.support.paths import EVAL


@pytest.fixture
def settings(store_settings):
    """Every test here runs against the embedded store and a real Chroma server."""
    return store_settings


def snapshot(assistant: NewsAssistant):
    """Everything visible in the store: documents and the ids and texts of all chunks."""
    docs = [d.model_dump() for d in assistant.documents()]
    chunks = sorted((c.chunk_id, c.text) for c in assistant.store.iter_chunks())
    return docs, chunks


def test_ingest_seeds_then_reingest_is_a_no_op(fast: NewsAssistant, seed_copy: Path):
    report = fast.ingest([seed_copy])
    assert report.count("added") == 5 and not report.failed
    before = snapshot(fast)
    again = fast.ingest([seed_copy])
    assert again.count("unchanged") == 5 and again.count("added") == 0
    assert snapshot(fast) == before
    chunk_ids = {c.chunk_id for c in fast.store.iter_chunks()}
    docs = {d.doc_id: d for d in fast.documents()}
    for doc in docs.values():
        assert {f"{doc.doc_id}-{i:04d}" for i in range(doc.n_chunks)} <= chunk_ids


def test_changed_file_replaces_its_old_version(fast: NewsAssistant, seed_copy: Path):
    fast.ingest([seed_copy])
    path = seed_copy / "003_e10467ce33407679.txt"
    old = {d.source: d for d in fast.documents()}[path.name]
    path.write_text(path.read_text(encoding="utf-8") + "\nA new closing paragraph about 42 delegates.\n", encoding="utf-8")
    report = fast.ingest([path])
    assert report.count("replaced") == 1
    docs = [d for d in fast.documents() if d.source == path.name]
    assert len(docs) == 1 and docs[0].doc_id != old.doc_id
    assert not [c for c in fast.store.iter_chunks() if c.doc_id == old.doc_id]
    assert fast.search("42 delegates", k=1)[0].source == path.name


def test_bad_inputs_fail_clearly_and_leave_the_store_as_it_was(fast: NewsAssistant, seed_copy: Path, tmp_path: Path):
    fast.ingest([seed_copy])
    before = snapshot(fast)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\xff\x00" * 100)
    (bad / "notes.docx").write_bytes(b"PK\x03\x04")
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    report = fast.ingest([bad / "empty.txt", bad / "binary.txt", bad / "notes.docx", bad / "broken.pdf", bad / "missing.txt"])
    assert report.count("failed") == 5
    reasons = " | ".join(r.error or "" for r in report.failed)
    for expected in ("empty file", "binary", "unsupported file type", "not a readable PDF", "no such file"):
        assert expected in reasons
    assert snapshot(fast) == before


def test_failure_while_storing_leaves_no_half_document(fast: NewsAssistant, seed_copy: Path, monkeypatch):
    """An error after the chunks were written (here: writing the commit record) leaves nothing visible."""
    store = fast.store
    real_upsert = store._docs.upsert

    def failing_upsert(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store._docs, "upsert", failing_upsert)
    report = fast.ingest([seed_copy / "003_e10467ce33407679.txt"])
    assert report.count("failed") == 1 and "disk full" in report.failed[0].error
    assert fast.documents() == []
    assert fast.search("Seoul Cyber University") == []  # orphan chunks are never returned
    monkeypatch.setattr(store._docs, "upsert", real_upsert)
    assert fast.store.repair() > 0  # the next run cleans them up
    assert list(store.iter_chunks()) == []
    assert store._sentences.count() == 0
    assert fast.ingest([seed_copy / "003_e10467ce33407679.txt"]).count("added") == 1


def test_a_writer_killed_right_after_its_commit_still_changes_the_fingerprint(fast: NewsAssistant, seed_copy: Path, monkeypatch):
    """Readers in other processes key their BM25 index and snapshots on the fingerprint: a writer that dies
    between committing documents and recording the change must not leave them serving the old view."""
    fast.ingest([seed_copy / "004_9162929b01fb154b.txt"])
    store = fast.store
    before = store.fingerprint()
    real_upsert = store._docs.upsert

    def commit_then_die(*args, **kwargs):
        real_upsert(*args, **kwargs)
        raise SystemExit("killed after the commit")

    monkeypatch.setattr(store._docs, "upsert", commit_then_die)
    with pytest.raises(SystemExit):
        fast.ingest([seed_copy / "003_e10467ce33407679.txt"])
    monkeypatch.setattr(store._docs, "upsert", real_upsert)
    assert len(store.list_documents()) == 2  # the second document was committed
    assert store.fingerprint() != before


def test_interrupted_replacement_is_finished_by_repair(fast: NewsAssistant, seed_copy: Path, settings):
    """A kill between committing the new version and deleting the old one: repair keeps the newest."""
    fast.ingest([seed_copy / "004_9162929b01fb154b.txt"])
    old = fast.documents()[0]
    changed = read_document(seed_copy / "004_9162929b01fb154b.txt", settings)
    changed.text += " Une phrase ajoutée."
    changed.doc_id = "f" * 16
    changed.ingested_at = "2999-01-01T00:00:00+00:00"
    chunks, sentences = segment_document(changed.doc_id, changed.text, "fr", 100, 10)
    changed.n_chunks = len(chunks)
    sentence_vectors, chunk_vectors = embed_segments(HashingEmbedder(), chunks, sentences)
    fast.store.add_document(changed, chunks, chunk_vectors, sentences, sentence_vectors)
    assert len(fast.documents()) == 2
    removed = fast.store.repair()
    assert removed == old.n_chunks
    assert [d.doc_id for d in fast.documents()] == [changed.doc_id]


def test_remove_by_source_and_by_id(fast: NewsAssistant, seed_copy: Path):
    fast.ingest([seed_copy])
    removed = fast.remove("004_9162929b01fb154b.txt")
    assert [d.source for d in removed] == ["004_9162929b01fb154b.txt"]
    doc = fast.documents()[0]
    fast.remove(doc.doc_id)
    assert len(fast.documents()) == 3
    assert all(c.doc_id != doc.doc_id for c in fast.store.iter_chunks())
    with pytest.raises(NotFoundError):
        fast.remove("nothing-like-this")


def test_store_built_by_another_embedder_is_refused(fast: NewsAssistant, seed_copy: Path, settings):
    fast.ingest([seed_copy / "003_e10467ce33407679.txt"])

    class Other(HashingEmbedder):
        name = "another-model"

    with pytest.raises(EmbedderMismatchError) as err:
        open_store(settings, Other.name, 256)
    assert "hashing-bow-v1" in err.value.message and "reindex" in err.value.hint


def test_reindex_rebuilds_with_the_current_embedder(fast: NewsAssistant, seed_copy: Path, settings):
    fast.ingest([seed_copy])

    class Other(HashingEmbedder):
        name = "hashing-bow-v2"

        def __init__(self):
            super().__init__(dim=128)

    other = NewsAssistant(settings, embedder=Other())
    report = other.reindex()
    assert report.count("added") == 5
    assert other.store.dim == 128 and len(other.documents()) == 5
    assert np.asarray(other.store.chunk_vectors(other.documents()[0].doc_id)).shape[1] == 128


def test_folders_are_recursive_and_skip_hidden_and_unknown(fast: NewsAssistant, tmp_path: Path):
    root = tmp_path / "lib"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    text = "The minister met the ambassador in Hanoi on Monday. They discussed semiconductors and 5G networks."
    (root / "sub" / "deeper" / "a.md").write_text("# A\n\n" + text, encoding="utf-8")
    (root / "b.html").write_text(f"<p>{text} Also trade.</p>", encoding="utf-8")
    (root / ".hidden" / "c.txt").write_text(text + " Hidden.", encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG")
    report = fast.ingest([root])
    assert sorted(Path(r.path).name for r in report.results) == ["a.md", "b.html"]
    assert report.count("added") == 2


def test_sentences_are_the_dense_units_and_point_into_their_chunk(fast: NewsAssistant, seed_copy: Path):
    fast.ingest([seed_copy / "004_9162929b01fb154b.txt"])
    doc = fast.documents()[0]
    text = fast.store.get_document(doc.doc_id).text
    chunk_ids = [f"{doc.doc_id}-{i:04d}" for i in range(doc.n_chunks)]
    sentences = fast.store.sentences_of(chunk_ids)
    chunks = {c.chunk_id: c for c in fast.store.get_chunks(chunk_ids)}
    assert len(sentences) > doc.n_chunks
    for s in sentences:
        chunk = chunks[s.chunk_id]
        assert chunk.start <= s.start < s.end <= chunk.end
        assert text[s.start : s.end].strip() == text[s.start : s.end]
    hit = fast.search("37 établissements", k=1)[0]
    assert "37" in text[hit.sentence_start : hit.sentence_end]


def test_a_chunk_is_also_searched_by_its_whole_text(fast: NewsAssistant, tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "harbour.txt").write_text(
        "The harbour of Gdansk reopened its northern quay after the storm.\n"
        "Ferries to Karlskrona now leave twice a day from the new terminal.\n",
        encoding="utf-8",
    )
    (folder / "other.txt").write_text("The council debated the budget for schools and roads until midnight.\n", encoding="utf-8")
    fast.ingest([folder])
    doc = next(d for d in fast.documents() if d.source == "harbour.txt")
    (chunk,) = fast.store.get_chunks([f"{doc.doc_id}-0000"], with_embeddings=True)
    embedder = fast.embedder
    assert np.allclose(chunk.embedding, embedder.embed_passages([chunk.text])[0], atol=1e-6)  # the chunk's text
    # Words of both sentences: the whole chunk matches better than either sentence alone.
    query = "harbour Gdansk reopened northern quay after storm, ferries to Karlskrona leave twice a day from new terminal"
    qvec = embedder.embed_queries([query])[0]
    sentence_best, best_start = max((float(s.embedding @ qvec), s.start) for s in fast.store.sentences_of([chunk.chunk_id]))
    chunk_cosine = float(chunk.embedding @ qvec)
    assert chunk_cosine > sentence_best + 0.02
    hit = fast.retriever.search(query, k=1, mode="dense")[0]
    assert hit.chunk_id == chunk.chunk_id and hit.dense_score == pytest.approx(chunk_cosine, abs=1e-4)
    assert hit.sentence_start == best_start  # the best sentence is still the one marked in the passage
    # A store written before chunk texts were embedded (no mark on its chunk collection) searches sentences only.
    fast.store.chunk_vectors_embedded = False
    fast.retriever.invalidate()
    old_style = fast.retriever.search(query, k=1, mode="dense")[0]
    assert old_style.chunk_id == chunk.chunk_id and old_style.dense_score == pytest.approx(sentence_best, abs=1e-4)


def test_a_store_without_the_chunk_vector_mark_is_detected(fast: NewsAssistant, seed_copy: Path, settings, caplog):
    from assistant.backends.store import open_store

    assert fast.store.chunk_vectors_embedded
    client = fast.store._client  # recreate the chunk collection as a store of an earlier version had it
    client.delete_collection(f"{settings.collection}_chunks")
    client.create_collection(
        f"{settings.collection}_chunks", metadata={"embedder": fast.embedder.name, "dim": fast.embedder.dim, "hnsw:space": "cosine"}
    )
    with caplog.at_level("WARNING"):
        reopened = open_store(settings, fast.embedder.name, fast.embedder.dim)
    assert not reopened.chunk_vectors_embedded
    assert "assistant reindex" in caplog.text


def test_a_one_sentence_chunk_is_embedded_once():
    from assistant.ingest.chunking import segment_document

    class Counting(HashingEmbedder):
        texts: list[str] = []

        def embed_passages(self, texts):
            self.texts.extend(texts)
            return super().embed_passages(texts)

    text = "A short first sentence here. " + "A second, much longer sentence that runs on and on. " * 10
    chunks, sentences = segment_document("d" * 16, text, "en", 40, 0)
    embedder = Counting()
    sentence_vectors, chunk_vectors = embed_segments(embedder, chunks, sentences)
    assert len(sentence_vectors) == len(sentences) and len(chunk_vectors) == len(chunks)
    assert len(embedder.texts) == len(set(s.text for s in sentences) | set(c.text for c in chunks)) < len(sentences) + len(chunks)
    for chunk, vector in zip(chunks, chunk_vectors):
        assert np.allclose(vector, embedder.embed_passages([chunk.text])[0])


def news_folder(tmp_path: Path, n: int) -> Path:
    from tests.support.synthetic import write_news_corpus

    folder = tmp_path / "news"
    write_news_corpus(EVAL, folder, n)
    return folder


def test_documents_are_written_in_batches_each_still_whole(fast: NewsAssistant, tmp_path: Path, monkeypatch):
    from assistant.ingest import pipeline as ingest_module

    monkeypatch.setattr(ingest_module, "WRITE_BATCH_DOCS", 8)
    folder = news_folder(tmp_path, 30)
    calls = []
    real = fast.store.add_documents
    monkeypatch.setattr(fast.store, "add_documents", lambda batch: (calls.append(len(batch)), real(batch))[1])
    report = fast.ingest([folder])
    assert report.count("added") == 30 and not report.failed
    assert sum(calls) == 30 and len(calls) < 30 and max(calls) <= 8
    chunks_of: dict[str, int] = {}
    for chunk in fast.store.iter_chunks():
        chunks_of[chunk.doc_id] = chunks_of.get(chunk.doc_id, 0) + 1
    assert {d.doc_id: d.n_chunks for d in fast.documents()} == chunks_of
    assert fast.ingest([folder]).count("unchanged") == 30


def test_a_failed_write_fails_its_batch_and_the_run_goes_on(fast: NewsAssistant, tmp_path: Path, monkeypatch):
    from assistant.ingest import pipeline as ingest_module

    monkeypatch.setattr(ingest_module, "WRITE_BATCH_DOCS", 5)
    folder = news_folder(tmp_path, 20)
    store = fast.store
    real_upsert = store._docs.upsert
    calls = {"n": 0}

    def second_write_fails(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_upsert(*args, **kwargs)

    monkeypatch.setattr(store._docs, "upsert", second_write_fails)
    report = fast.ingest([folder])
    assert report.count("failed") == 5 and report.count("added") == 15
    assert all("disk full" in r.error for r in report.failed)
    stored = {d.doc_id for d in fast.documents()}
    assert stored == {r.doc_id for r in report.results if r.status == "added"}
    assert {c.doc_id for c in fast.search("the", k=10)} <= stored  # the failed batch's chunks are never returned
    monkeypatch.setattr(store._docs, "upsert", real_upsert)
    again = fast.ingest([folder])
    assert again.count("added") == 5 and again.count("unchanged") == 15
    assert len(fast.documents()) == 20


def test_one_run_with_a_copy_and_two_versions_of_a_source(fast: NewsAssistant, seed_copy: Path, tmp_path: Path):
    text = (seed_copy / "003_e10467ce33407679.txt").read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b" / "story.txt").write_text(text + "\nA later paragraph about 42 delegates.\n", encoding="utf-8")
    (tmp_path / "b" / "copy.txt").write_text(text, encoding="utf-8")
    report = fast.ingest([tmp_path / "a" / "story.txt", tmp_path / "b" / "copy.txt", tmp_path / "b" / "story.txt"])
    # The copy under another name is recorded as a re-publication of the first, not stored twice.
    assert [r.status for r in report.results] == ["added", "republished", "replaced"]
    docs = fast.documents()
    assert [d.source for d in docs] == ["story.txt"]
    assert fast.search("42 delegates", k=1)[0].doc_id == docs[0].doc_id


def test_documents_are_embedded_a_batch_at_a_time_and_progress_follows_the_writes(fast: NewsAssistant, tmp_path: Path, monkeypatch):
    from assistant.ingest import pipeline as ingest_module

    monkeypatch.setattr(ingest_module, "WRITE_BATCH_DOCS", 8)
    folder = news_folder(tmp_path, 20)
    calls, written, seen = [], [], []
    real_embed, real_write = fast.embedder.embed_passages, fast.store.add_documents
    monkeypatch.setattr(fast.embedder, "embed_passages", lambda texts: (calls.append(len(texts)), real_embed(texts))[1])
    monkeypatch.setattr(fast.store, "add_documents", lambda batch: (written.append(len(batch)), real_write(batch))[1])
    report = fast.ingest([folder], progress=lambda done, total, *_: seen.append((done, total, sum(written))))
    assert report.count("added") == 20 and written == [8, 8, 4]
    assert len(calls) == 3  # one embedding call per batch of documents, not one per document
    assert [done for done, _, _ in seen] == list(range(1, 21)) and all(total == 20 for _, total, _ in seen)
    assert all(done <= stored for done, _, stored in seen)  # a file counts as done once it is stored


def test_a_document_the_embedder_fails_on_fails_alone(fast: NewsAssistant, tmp_path: Path, monkeypatch):
    folder = news_folder(tmp_path, 6)
    poisoned = sorted(folder.iterdir())[2]
    marker = "Poisoned paragraph for the embedder."
    poisoned.write_text(poisoned.read_text(encoding="utf-8") + "\n\n" + marker + "\n", encoding="utf-8")
    real_embed = fast.embedder.embed_passages

    def refuses_the_marker(texts):
        if any(marker in t for t in texts):
            raise RuntimeError("model failure")
        return real_embed(texts)

    monkeypatch.setattr(fast.embedder, "embed_passages", refuses_the_marker)
    report = fast.ingest([folder])
    assert report.count("added") == 5 and [r.path for r in report.failed] == [str(poisoned)]
    assert "embedding failed" in report.failed[0].error and "model failure" in report.failed[0].error
    assert poisoned.name not in {d.source for d in fast.documents()} and len(fast.documents()) == 5
    monkeypatch.setattr(fast.embedder, "embed_passages", real_embed)
    again = fast.ingest([folder])
    assert again.count("added") == 1 and again.count("unchanged") == 5
