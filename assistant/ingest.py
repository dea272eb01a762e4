"""Ingestion: files → ``Document`` → chunks → vectors → store, one document at a time.

Each document is all-or-nothing (see :mod:`assistant.store` for how), so an error in one file, or a kill in
the middle of a run, never leaves half a document behind; the other files of the run are unaffected.
Re-ingesting unchanged content does nothing; a changed file with the same source name replaces the old
version only once the new one is fully stored.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from .chunking import segment_document
from .config import Settings
from .embedder import Embedder
from .errors import AssistantError, InputError, StoreUnavailableError
from .language import detect_language
from .loaders import SUPPORTED_EXTENSIONS, load_file, safe_source_name
from .metadata import clean_text, content_id, extract_date_marker, find_date, make_title
from .models import Document, DocumentInfo, IngestReport, IngestResult
from .stories import group_stories
from .store import VectorStore

#: Called after each file: (files done, files in all, bytes done, bytes in all, file name).
ProgressCallback = Callable[[int, int, int, int, str], None]


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


def chunk_vectors_from(chunks, sentences, sentence_vectors: np.ndarray) -> np.ndarray:
    """A chunk's vector: the unit mean of its sentences' vectors (no second pass through the model)."""
    row = {s.sentence_id: i for i, s in enumerate(sentences)}
    out = np.zeros((len(chunks), sentence_vectors.shape[1] if len(sentence_vectors) else 0), dtype=np.float32)
    for i, chunk in enumerate(chunks):
        mean = sentence_vectors[[row[sid] for sid in chunk.sentence_ids]].mean(axis=0)
        out[i] = mean / (float(np.linalg.norm(mean)) or 1.0)
    return out


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
        known = {d.doc_id: d for d in self.store.list_documents()}
        sizes = [f.stat().st_size for f in files]
        total_bytes, done_bytes = sum(sizes), 0
        changed = False
        for i, (path, size) in enumerate(zip(files, sizes)):
            result = self._ingest_one(path, known)
            results.append(result)
            changed |= result.status in ("added", "replaced")
            done_bytes += size
            if progress:
                progress(i + 1, len(files), done_bytes, total_bytes, path.name)
        if changed or any(not d.story_id for d in known.values()):
            self.update_stories()
        return IngestReport(results=results, seconds=time.perf_counter() - started)

    def ingest_documents(self, docs: Iterable[Document]) -> IngestReport:
        """Store documents already read (reindexing, evaluation stores)."""
        started = time.perf_counter()
        known = {d.doc_id: d for d in self.store.list_documents()}
        results = [self._store(doc, known, path=doc.source) for doc in docs]
        self.update_stories()
        return IngestReport(results=results, seconds=time.perf_counter() - started)

    def _ingest_one(self, path: Path, known: dict[str, DocumentInfo]) -> IngestResult:
        try:
            doc = read_document(path, self.settings)
            return self._store(doc, known, path=str(path))
        except StoreUnavailableError:
            raise  # the server is gone: every further file would fail the same way
        except AssistantError as exc:
            return IngestResult(path=str(path), status="failed", error=exc.message)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run; say what it was
            return IngestResult(path=str(path), status="failed", error=f"{path.name}: {type(exc).__name__}: {exc}")

    def _store(self, doc: Document, known: dict[str, DocumentInfo], path: str) -> IngestResult:
        if doc.doc_id in known:
            return IngestResult(path=path, status="unchanged", doc_id=doc.doc_id, n_chunks=known[doc.doc_id].n_chunks)
        chunks, sentences = segment_document(
            doc.doc_id, doc.text, doc.lang, self.settings.chunk_tokens, self.settings.chunk_overlap
        )
        sentence_vectors = self.embedder.embed_passages([s.text for s in sentences])
        chunk_vectors = chunk_vectors_from(chunks, sentences, sentence_vectors)
        doc.n_chunks = len(chunks)
        doc.ingested_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        old = [d for d in known.values() if d.source == doc.source]
        self.store.add_document(doc, chunks, chunk_vectors, sentences, sentence_vectors)  # committed from here on
        for previous in old:
            self.store.delete_document(previous.doc_id)
            known.pop(previous.doc_id, None)
        known[doc.doc_id] = DocumentInfo(**doc.model_dump(exclude={"text"}))
        return IngestResult(
            path=path,
            status="replaced" if old else "added",
            doc_id=doc.doc_id,
            n_chunks=len(chunks),
            tokens=sum(c.tokens for c in chunks),
        )

    def update_stories(self) -> dict[str, str]:
        """Regroup all documents into stories and record the story ids that changed."""
        docs = self.store.story_docs()
        story_of = group_stories(docs, self.settings.story_threshold, self.store.sentence_vectors)
        current = {d.doc_id: d.story_id for d in self.store.list_documents()}
        self.store.set_story_ids({k: v for k, v in story_of.items() if current.get(k) != v})
        return story_of
