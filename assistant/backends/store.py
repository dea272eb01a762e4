"""The vector store: Chroma, embedded (``PersistentClient``) or a server (``HttpClient``).

Only this module imports ``chromadb``. Four collections (and a one-record ``<prefix>_state``, see
:meth:`VectorStore.fingerprint`):

* ``<prefix>_sentences``: one record per sentence: its embedding, the finer unit of dense search (a
  question usually matches one sentence; whole-chunk vectors alone blur it: recall@1 on XQuAD en→de rises
  from 0.85 to 0.89 with sentence vectors, see BENCHMARKS.md);
* ``<prefix>_chunks``: one record per chunk, the unit of context and citation: the embedding of its whole
  text (the coarser unit of dense search: an answer that needs two sentences, or a pronoun's antecedent,
  matches the chunk better than any one sentence), its text, filterable metadata;
* ``<prefix>_docs``: one record per document (its mean vector, full text and metadata);
* ``<prefix>_translations``: the sentence translations cache (see :class:`~assistant.backends.store_records.CachedTranslation`): one record
  per (sentence, target language, model), its vector the translation's. In the store, so that a Chroma
  server shares translations between app instances and they survive restarts.

Stores written before chunk texts were embedded hold the mean of the sentence vectors as chunk vector,
which is no use for search; their chunk collection lacks the ``chunk_vectors: text`` mark, and
:attr:`VectorStore.chunk_vectors_embedded` tells search to use sentences only there.

The document record is written *last* and removed *first*, so it is the commit marker of a document. A
document is in the store exactly when its record is; sentences and chunks without one (left by a crash or a
kill in the middle of an ingest) are invisible to search and deleted by :meth:`VectorStore.repair`. Each
document is therefore all-or-nothing, without transactions.

Both collections record the embedder that built them; opening them with another is refused, because
vectors of two models are not comparable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import urlparse

import httpx
import numpy as np

from assistant.backends.store_records import (
    CachedTranslation,
    ChunkMatch,
    RenderingMatch,
    StoredChunk,
    StoredSentence,
    chunk_from,
    chunk_meta,
    doc_meta,
    document_vector,
    info_from,
    sentence_from,
    sentence_meta,
)
from assistant.errors import EmbedderMismatchError, NotFoundError, StoreError, StoreUnavailableError
from assistant.models import Chunk, Document, DocumentInfo, SearchFilters, Sentence, StoryDoc, date_key

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402  (telemetry must be off before import)
from chromadb.config import Settings as ChromaSettings  # noqa: E402

logging.getLogger("chromadb").setLevel(logging.ERROR)
log = logging.getLogger(__name__)

_GENERATION = "generation"  # the one record of the state collection
_CHUNK_VECTORS = "chunk_vectors"  # collection mark: "text" when chunk vectors embed the chunk's text
_WRITE_BATCH = 1000  # records per Chroma call; well under its max batch size
_GET_PAGE = 5000


def _rows(blocks: list[np.ndarray], dim: int) -> np.ndarray:
    """Stack per-document vector blocks into one matrix (empty blocks allowed)."""
    blocks = [np.asarray(b, dtype=np.float32).reshape(-1, dim) for b in blocks]
    return np.concatenate(blocks) if blocks else np.zeros((0, dim), dtype=np.float32)


def _is_connection_failure(exc: BaseException) -> bool:
    """Whether a client error means "no server there" (refused, reset, timed out), not a refused request."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError)):
            return True
        if "could not connect" in str(exc).lower():
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class VectorStore:
    """Chroma behind the few operations the assistant needs."""

    def __init__(
        self,
        *,
        embedder_name: str,
        dim: int,
        path: str | os.PathLike[str] | None = None,
        url: str | None = None,
        prefix: str = "news",
    ) -> None:
        self.embedder_name = embedder_name
        self.dim = dim
        self.location = url or str(path)
        #: A Chroma server over HTTP: each query is a round trip, worth overlapping with another.
        self.remote = bool(url)
        self._client = self._connect(path, url)
        meta = {"embedder": embedder_name, "dim": dim, "hnsw:space": "cosine"}
        try:
            self._sentences = self._open(f"{prefix}_sentences", meta)
            self._chunks = self._open(f"{prefix}_chunks", {**meta, _CHUNK_VECTORS: "text"})
            self._docs = self._open(f"{prefix}_docs", meta)
            self._translations = self._open(f"{prefix}_translations", meta)
            self._state = self._client.get_or_create_collection(name=f"{prefix}_state", embedding_function=None)
        except EmbedderMismatchError:
            raise
        except Exception as exc:  # noqa: BLE001 - any client failure is a store failure for the user
            raise self._unreachable(exc) from exc
        #: Whether chunk vectors embed the chunk's text (and can be searched); see the module docstring.
        self.chunk_vectors_embedded = (self._chunks.metadata or {}).get(_CHUNK_VECTORS) == "text"
        if not self.chunk_vectors_embedded:
            log.warning(
                "the store at %s was built before chunk texts were embedded: search uses sentence vectors "
                "only; run `assistant reindex` to rebuild it", self.location,
            )

    # --- connection -------------------------------------------------------------------------------------

    def _connect(self, path, url):
        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if url:
                parsed = urlparse(url)
                if parsed.scheme not in ("http", "https") or not parsed.hostname:
                    raise StoreError(f"bad Chroma URL {url!r}", hint="use e.g. http://127.0.0.1:8000")
                return chromadb.HttpClient(
                    host=parsed.hostname,
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=settings,
                )
            os.makedirs(path, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=settings)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._unreachable(exc) from exc

    def _unreachable(self, exc: Exception) -> StoreError:
        if isinstance(exc, StoreError):
            return exc
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        if self.location.startswith("http"):
            if _is_connection_failure(exc):
                return StoreUnavailableError(
                    f"cannot reach the Chroma server at {self.location}: {detail}",
                    hint="start it with `chroma run --path DIR --port PORT`, or unset ASSISTANT_CHROMA_URL",
                )
            return StoreError(f"the Chroma server at {self.location} refused the request: {detail}")
        return StoreError(f"cannot use the store at {self.location}: {detail}")

    def _open(self, name: str, meta: dict[str, Any]):
        collection = self._client.get_or_create_collection(name=name, metadata=meta, embedding_function=None)
        found = collection.metadata or {}
        if found.get("embedder") != self.embedder_name or int(found.get("dim", -1)) != self.dim:
            raise EmbedderMismatchError(
                f"the store at {self.location} was built with embedder {found.get('embedder')!r} "
                f"(dim {found.get('dim')}), not {self.embedder_name!r} (dim {self.dim})",
                hint="run `assistant reindex` to rebuild it with the current embedder, or set "
                "ASSISTANT_EMBEDDER back",
            )
        return collection

    def _call(self, fn, *args, **kwargs):
        """Run a Chroma call, turning client failures into a StoreError with a hint."""
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            raise self._unreachable(exc) from exc

    # --- documents --------------------------------------------------------------------------------------

    def list_documents(self) -> list[DocumentInfo]:
        infos: list[DocumentInfo] = []
        for _, _, meta in self._iter(self._docs, include=["metadatas"]):
            infos.append(info_from(meta))
        return sorted(infos, key=lambda d: (d.source, d.doc_id))

    def get_document(self, doc_id: str) -> Document | None:
        got = self._call(self._docs.get, ids=[doc_id], include=["metadatas", "documents"])
        if not got["ids"]:
            return None
        meta = got["metadatas"][0]
        info = info_from(meta)
        return Document(**info.model_dump(exclude={"chars"}), text=got["documents"][0])

    def document_vectors(self) -> dict[str, np.ndarray]:
        return {
            record_id: np.asarray(emb, dtype=np.float32)
            for record_id, emb, _ in self._iter(self._docs, include=["embeddings"])
        }

    def resolve(self, ref: str) -> list[DocumentInfo]:
        """Documents named by a ``doc_id`` (or a unique prefix of one) or a ``source`` file name."""
        docs = self.list_documents()
        exact = [d for d in docs if d.doc_id == ref or d.source == ref]
        if exact:
            return exact
        prefixed = [d for d in docs if len(ref) >= 6 and d.doc_id.startswith(ref)]
        if prefixed:
            return prefixed
        raise NotFoundError(f"no document with id or source {ref!r}", hint="`assistant docs` lists them")

    def add_document(
        self,
        doc: Document,
        chunks: Sequence[Chunk],
        chunk_vectors: np.ndarray,
        sentences: Sequence[Sentence],
        sentence_vectors: np.ndarray,
    ) -> None:
        """Write a document's sentences, then its chunks, then its record (the commit marker)."""
        self.add_documents([(doc, chunks, chunk_vectors, sentences, sentence_vectors)])

    def add_documents(
        self, batch: Sequence[tuple[Document, Sequence[Chunk], np.ndarray, Sequence[Sentence], np.ndarray]]
    ) -> None:
        """Write many documents in large Chroma calls: all their sentences, then all chunks, then the document
        records (the commit markers) last, so each document is still all-or-nothing."""
        for doc, chunks, chunk_vectors, sentences, sentence_vectors in batch:
            if len(chunks) != len(chunk_vectors) or len(sentences) != len(sentence_vectors):
                raise ValueError(f"{doc.source}: one vector per chunk and per sentence")
        self._upsert(
            self._sentences,
            [s.sentence_id for _, _, _, sentences, _ in batch for s in sentences],
            _rows([vectors for *_, vectors in batch], self.dim),
            [s.text for _, _, _, sentences, _ in batch for s in sentences],
            [sentence_meta(doc, s) for doc, _, _, sentences, _ in batch for s in sentences],
        )
        owned: dict[str, list[int]] = {}
        for _, _, _, sentences, _ in batch:
            for sentence in sentences:
                owned.setdefault(sentence.chunk_id, []).append(sentence.ordinal)
        self._upsert(
            self._chunks,
            [c.chunk_id for _, chunks, _, _, _ in batch for c in chunks],
            _rows([vectors for _, _, vectors, _, _ in batch], self.dim),
            [c.text for _, chunks, _, _, _ in batch for c in chunks],
            [chunk_meta(doc, c, owned.get(c.chunk_id, [])) for doc, chunks, _, _, _ in batch for c in chunks],
        )
        # The generation changes before the commit as well as after it: a writer killed between its commit
        # and the second change still leaves a generation that no reader has cached its view under.
        self._changed()
        self._upsert(
            self._docs,
            [doc.doc_id for doc, *_ in batch],
            np.asarray([document_vector(chunks, sentences, vectors) for _, chunks, _, sentences, vectors in batch]).reshape(-1, self.dim),
            [doc.text for doc, *_ in batch],
            [doc_meta(doc) for doc, *_ in batch],
        )
        self._changed()

    def _upsert(self, collection, ids, vectors, texts, metas) -> None:
        for i in range(0, len(ids), _WRITE_BATCH):
            self._call(
                collection.upsert,
                ids=ids[i : i + _WRITE_BATCH],
                embeddings=np.asarray(vectors[i : i + _WRITE_BATCH], dtype=np.float32).tolist(),
                documents=texts[i : i + _WRITE_BATCH],
                metadatas=metas[i : i + _WRITE_BATCH],
            )

    def delete_document(self, doc_id: str) -> None:
        """Remove the record first (the document is gone at once), then its chunks and sentences."""
        self._changed()  # before and after the commit, as in add_documents
        self._call(self._docs.delete, ids=[doc_id])
        self._changed()
        self._call(self._chunks.delete, where={"doc_id": doc_id})
        self._call(self._sentences.delete, where={"doc_id": doc_id})

    def set_story_ids(self, story_of: dict[str, str]) -> None:
        """Record each document's story id (only the small documents collection changes)."""
        if not story_of:
            return
        ids = list(story_of)
        got = self._call(self._docs.get, ids=ids, include=["metadatas"])
        metas = []
        for record_id, meta in zip(got["ids"], got["metadatas"]):
            meta = dict(meta)
            meta["story_id"] = story_of[record_id]
            metas.append(meta)
        if got["ids"]:
            self._changed()  # before and after the commit, as in add_documents
            self._call(self._docs.update, ids=got["ids"], metadatas=metas)
            self._changed()

    def add_publication(self, doc_id: str, where: str) -> bool:
        """Record that the document's text was also found at ``where`` (a URL or a file); False if known."""
        got = self._call(self._docs.get, ids=[doc_id], include=["metadatas"])
        if not got["ids"]:
            return False
        meta = dict(got["metadatas"][0])
        places = json.loads(meta.get("also_at") or "[]")
        if where == meta.get("source") or where in places:
            return False
        meta["also_at"] = json.dumps([*places, where], ensure_ascii=False)
        self._changed()
        self._call(self._docs.update, ids=[doc_id], metadatas=[meta])
        self._changed()
        return True

    def story_docs(self) -> list[StoryDoc]:
        """Every document as story grouping sees it (sentence vectors are fetched later, if needed)."""
        out = []
        for record_id, emb, meta in self._iter(self._docs, include=["embeddings", "metadatas"]):
            out.append(
                StoryDoc(
                    doc_id=record_id,
                    lang=str(meta.get("lang", "und")),
                    chars=int(meta.get("chars", 0)),
                    anchors=frozenset(str(meta.get("anchors", "")).split()),
                    vector=np.asarray(emb, dtype=np.float32),
                    wire=str(meta.get("wire", "")),
                )
            )
        return out

    def chunk_vectors(self, doc_id: str) -> np.ndarray:
        return self._vectors(self._chunks, doc_id)

    def sentence_vectors(self, doc_id: str) -> np.ndarray:
        return self._vectors(self._sentences, doc_id)

    def _vectors(self, collection, doc_id: str) -> np.ndarray:
        got = self._call(collection.get, where={"doc_id": doc_id}, include=["embeddings"])
        if not len(got["ids"]):
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(got["embeddings"], dtype=np.float32)

    def repair(self) -> int:
        """Finish what an interrupted ingest left: chunks of documents that were never committed, and the
        old version of a document whose replacement was committed but not yet cleaned up.

        Returns how many chunks were removed.
        """
        newest: dict[str, tuple[str, str]] = {}
        for record_id, _, meta in self._iter(self._docs, include=["metadatas"]):
            source, stamp = str(meta["source"]), str(meta.get("ingested_at", ""))
            if source in newest:
                other_id, other_stamp = newest[source]
                older = other_id if (other_stamp, other_id) < (stamp, record_id) else record_id
                self._call(self._docs.delete, ids=[older])
                self._changed()
                if older == other_id:
                    newest[source] = (record_id, stamp)
            else:
                newest[source] = (record_id, stamp)
        committed = {record_id for record_id, _ in newest.values()}
        state = self._call(self._state.get, ids=[_GENERATION], include=["metadatas"])
        if not state["ids"] or state["metadatas"][0].get("docs") != len(committed):
            self._changed()  # a writer died between committing a document and recording the change
        removed = 0
        for collection in (self._chunks, self._sentences):
            orphans = [
                record_id
                for record_id, _, meta in self._iter(collection, include=["metadatas"])
                if meta["doc_id"] not in committed
            ]
            for i in range(0, len(orphans), _WRITE_BATCH):
                self._call(collection.delete, ids=orphans[i : i + _WRITE_BATCH])
            if collection is self._chunks:
                removed = len(orphans)
        return removed

    # --- chunks -----------------------------------------------------------------------------------------

    def count_chunks(self) -> int:
        return int(self._call(self._chunks.count))

    def iter_chunks(self) -> Iterable[StoredChunk]:
        """Every committed chunk's text and metadata (for the lexical index)."""
        for record_id, text, meta in self._iter(self._chunks, include=["documents", "metadatas"]):
            yield chunk_from(record_id, text, meta)

    def get_chunks(self, chunk_ids: Sequence[str], with_embeddings: bool = False) -> list[StoredChunk]:
        if not chunk_ids:
            return []
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        got = self._call(self._chunks.get, ids=list(chunk_ids), include=include)
        embeddings = got.get("embeddings") if with_embeddings else None
        by_id = {
            record_id: chunk_from(
                record_id, text, meta, None if embeddings is None else embeddings[i]
            )
            for i, (record_id, text, meta) in enumerate(zip(got["ids"], got["documents"], got["metadatas"]))
        }
        return [by_id[c] for c in chunk_ids if c in by_id]

    def _nearest(self, collection, vector: np.ndarray, n: int, filters: SearchFilters | None):
        """(id, metadata, distance) of the ``n`` records of ``collection`` nearest to ``vector``, best first."""
        got = self._call(
            collection.query,
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=n,  # fewer come back when the store holds fewer
            where=self.where(filters),
            include=["metadatas", "distances"],
        )
        return zip(got["ids"][0], got["metadatas"][0], got["distances"][0])

    def query(self, vector: np.ndarray, n: int, filters: SearchFilters | None = None) -> list[StoredSentence]:
        """Nearest sentences to ``vector`` (cosine), best first."""
        return [
            sentence_from(record_id, meta, None, float(dist))
            for record_id, meta, dist in self._nearest(self._sentences, vector, n, filters)
        ]

    def query_chunks(self, vector: np.ndarray, n: int, filters: SearchFilters | None = None) -> list[ChunkMatch]:
        """Nearest chunks to ``vector`` by their own embedding, best first."""
        return [
            ChunkMatch(record_id, str(meta["doc_id"]), 1.0 - float(dist))
            for record_id, meta, dist in self._nearest(self._chunks, vector, n, filters)
        ]

    def chunk_embeddings(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of the given chunks (nothing else is read)."""
        if not chunk_ids:
            return {}
        got = self._call(self._chunks.get, ids=list(chunk_ids), include=["embeddings"])
        return {record_id: np.asarray(e, dtype=np.float32) for record_id, e in zip(got["ids"], got["embeddings"])}

    def sentences_of(self, chunk_ids: Sequence[str], chunks: Sequence[StoredChunk] | None = None) -> list[StoredSentence]:
        """The sentences (with vectors) that belong to the given chunks.

        Fetched by id from the chunks' records (pass ``chunks`` when they are at hand): a ``chunk_id $in``
        filter scans the sentence metadata and took 30 ms at 100k chunks, a get by ids ~5 ms.
        """
        if not chunk_ids:
            return []
        known = {c.chunk_id: c for c in (chunks or ())}
        missing = [c for c in chunk_ids if c not in known]
        if missing:
            got = self._call(self._chunks.get, ids=missing, include=["metadatas"])
            known.update({i: chunk_from(i, "", m) for i, m in zip(got["ids"], got["metadatas"])})
        if all(known[c].sentence_ids is not None for c in chunk_ids if c in known):
            return self.get_sentences([sid for c in chunk_ids if c in known for sid in known[c].sentence_ids])
        got = self._call(
            self._sentences.get, where={"chunk_id": {"$in": list(chunk_ids)}}, include=["metadatas", "embeddings"]
        )
        return [sentence_from(i, m, e) for i, m, e in zip(got["ids"], got["metadatas"], got["embeddings"])]

    def get_sentences(self, sentence_ids: Sequence[str]) -> list[StoredSentence]:
        """Sentences (with vectors) by id."""
        if not sentence_ids:
            return []
        got = self._call(self._sentences.get, ids=list(sentence_ids), include=["metadatas", "embeddings"])
        return [sentence_from(i, m, e) for i, m, e in zip(got["ids"], got["metadatas"], got["embeddings"])]

    def document_sentences(self, doc_id: str) -> list[StoredSentence]:
        """Every sentence of a document, with its vector, in reading order."""
        got = self._call(self._sentences.get, where={"doc_id": doc_id}, include=["metadatas", "embeddings"])
        sentences = [sentence_from(i, m, e) for i, m, e in zip(got["ids"], got["metadatas"], got["embeddings"])]
        return sorted(sentences, key=lambda s: s.start)

    @staticmethod
    def where(filters: SearchFilters | None) -> dict[str, Any] | None:
        """Chroma ``where`` clause for the filters (None when there are none)."""
        if filters is None or filters.is_empty():
            return None
        clauses: list[dict[str, Any]] = []
        if filters.langs:
            clauses.append({"lang": {"$in": list(filters.langs)}})
        if filters.doc_ids:
            clauses.append({"doc_id": {"$in": list(filters.doc_ids)}})
        if filters.sources:
            clauses.append({"source": {"$in": list(filters.sources)}})
        if filters.date_from or filters.date_to:
            clauses.append({"date_key": {"$gt": 0}})  # undated documents never match a date range
        if filters.date_from:
            clauses.append({"date_key": {"$gte": date_key(filters.date_from)}})
        if filters.date_to:
            clauses.append({"date_key": {"$lte": date_key(filters.date_to, end=True)}})
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def fingerprint(self) -> str:
        """Changes whenever the set of committed documents or their story groups change (keys caches such
        as BM25 and the stories).

        Every write that commits, removes or regroups a document stores a new random *generation* in the
        one-record ``<prefix>_state`` collection, so checking for changes costs one small read however large
        the store is (scanning 10k document records took ~0.4 s at 100k chunks). A store written before
        generations existed gets its first one from a full scan.
        """
        got = self._call(self._state.get, ids=[_GENERATION], include=["metadatas"])
        if got["ids"]:
            return str(got["metadatas"][0]["generation"])
        ids = sorted(f"{record_id}:{(meta or {}).get('story_id', '')}" for record_id, _, meta in self._iter(self._docs, include=["metadatas"]))
        generation = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16]
        self._call(self._state.upsert, ids=[_GENERATION], embeddings=[[0.0]], metadatas=[{"generation": generation}])
        return generation

    def _changed(self) -> None:
        """Record that the committed documents changed (readers in any process rebuild their caches)."""
        count = int(self._call(self._docs.count))
        self._call(self._state.upsert, ids=[_GENERATION], embeddings=[[0.0]],
                   metadatas=[{"generation": uuid.uuid4().hex[:16], "docs": count}])

    # --- translations -----------------------------------------------------------------------------------

    def get_translations(self, keys: Sequence[str]) -> dict[str, CachedTranslation]:
        if not keys:
            return {}
        got = self._call(self._translations.get, ids=list(dict.fromkeys(keys)), include=["metadatas", "documents", "embeddings"])
        out = {}
        for record_id, meta, text, emb in zip(got["ids"], got["metadatas"], got["documents"], got["embeddings"]):
            judge, confidence, against = meta.get("judge"), meta.get("confidence"), meta.get("contradiction")
            out[record_id] = CachedTranslation(
                key=record_id, original=str(meta["original"]), original_lang=str(meta["original_lang"]),
                lang=str(meta["lang"]), model=str(meta["model"]), text=text,
                judge=None if judge is None or judge < 0 else float(judge),
                vector=np.asarray(emb, dtype=np.float32),
                confidence=None if confidence is None or confidence > 0 else float(confidence),
                contradiction=None if against is None or against > 0 else float(against),
            )
        return out

    def put_translations(self, items: Sequence[CachedTranslation]) -> None:
        items = [t for t in items if t.vector is not None]
        if not items:
            return
        self._call(
            self._translations.upsert,
            ids=[t.key for t in items],
            embeddings=[np.asarray(t.vector, dtype=np.float32).tolist() for t in items],
            documents=[t.text for t in items],
            metadatas=[
                {"original": t.original, "original_lang": t.original_lang, "lang": t.lang, "model": t.model,
                 "judge": -1.0 if t.judge is None else float(t.judge),
                 "confidence": 1.0 if t.confidence is None else float(t.confidence),
                 "contradiction": 1.0 if t.contradiction is None else float(t.contradiction)}
                for t in items
            ],
        )

    def query_translations(self, vector: np.ndarray, lang: str, model: str, n: int) -> list[RenderingMatch]:
        """The cached translations into ``lang`` by ``model`` nearest to ``vector``, best first: retrieval
        over the renderings of documents translated ahead (see :mod:`assistant.retrieval.retriever`)."""
        if n <= 0:
            return []
        got = self._call(
            self._translations.query,
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=n,
            where={"$and": [{"lang": lang}, {"model": model}]},
            include=["metadatas", "distances"],
        )
        return [
            RenderingMatch(str(meta["original"]), str(meta["original_lang"]), 1.0 - float(dist))
            for meta, dist in zip(got["metadatas"][0], got["distances"][0])
        ]

    def sentences_containing(self, text: str, filters: SearchFilters | None = None) -> list[StoredSentence]:
        """The stored sentences whose text holds ``text`` (with vectors): where a cached translation's
        original stands in the library. A full-text filter on the chunks, then the sentence at that place."""
        if not text.strip():
            return []
        got = self._call(
            self._chunks.get, where=self.where(filters), where_document={"$contains": text}, include=["documents", "metadatas"]
        )
        chunks = [chunk_from(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
        places = {c.chunk_id: c.start + c.text.find(text) for c in chunks if text in c.text}
        return [
            s for s in self.sentences_of(list(places), chunks)
            if s.start <= places[s.chunk_id] < s.end
        ]

    def count_translations(self) -> int:
        return int(self._call(self._translations.count))

    def prune_translations(self, current_key: Callable[[str, str, str, str], str] | None = None) -> int:
        """Remove cached translations no answer can use any more; returns how many.

        A sentence is live while some document's text contains it. With ``current_key`` (the key a
        translation of ``(original, original_lang, lang, model)`` is looked up under today), an entry cached
        under another key is removed too: it was made under instructions or a glossary since changed, and
        no lookup reaches it again. One pass over the documents' texts and the cache's records: run after
        documents are removed or replaced, and when translating ahead begins, not per question.
        """
        texts = "\x00".join(text or "" for _, text, _ in self._iter(self._docs, include=["documents"]))

        def unused(record_id: str, meta: dict) -> bool:
            original = str(meta.get("original", ""))
            if original not in texts:
                return True
            return current_key is not None and record_id != current_key(
                original, str(meta.get("original_lang", "")), str(meta.get("lang", "")), str(meta.get("model", ""))
            )

        dead = [record_id for record_id, _, meta in self._iter(self._translations, include=["metadatas"]) if unused(record_id, meta)]
        for i in range(0, len(dead), _WRITE_BATCH):
            self._call(self._translations.delete, ids=dead[i : i + _WRITE_BATCH])
        return len(dead)

    # --- helpers ----------------------------------------------------------------------------------------

    def _iter(self, collection, include: list[str]):
        """Page through a collection: yields (id, first included field or None, metadata or None)."""
        offset = 0
        while True:
            got = self._call(collection.get, include=include, limit=_GET_PAGE, offset=offset)
            ids = got["ids"]
            if not ids:
                return
            metas = got.get("metadatas") if "metadatas" in include else None
            field = next((f for f in include if f != "metadatas"), None)
            values = got.get(field) if field else None
            for i, record_id in enumerate(ids):
                yield (
                    record_id,
                    None if values is None else values[i],
                    None if metas is None else metas[i],
                )
            if len(ids) < _GET_PAGE:
                return
            offset += len(ids)


def open_store(settings, embedder_name: str, dim: int) -> VectorStore:
    """The store the settings name: the Chroma server at ``chroma_url`` if set, else the embedded one."""
    return VectorStore(
        embedder_name=embedder_name,
        dim=dim,
        path=settings.store_dir,
        url=settings.chroma_url,
        prefix=settings.collection,
    )


def rebuild(settings, embedder) -> list[Document]:
    """Read every document out of a store built by any embedder and drop its collections.

    The caller re-ingests the returned documents with the current embedder (``assistant reindex``). The
    documents' texts are kept in memory meanwhile; nothing is lost unless the process dies in between.
    """
    location = settings.chroma_url or str(settings.store_dir)
    probe = VectorStore.__new__(VectorStore)
    probe.location = location
    client = probe._connect(settings.store_dir, settings.chroma_url)
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    docs_name = f"{settings.collection}_docs"
    derived = [f"{settings.collection}_{name}" for name in ("chunks", "sentences", "state", "translations")]
    docs: list[Document] = []
    if docs_name in names:
        collection = client.get_collection(docs_name, embedding_function=None)
        got = collection.get(include=["metadatas", "documents"])
        for meta, text in zip(got["metadatas"], got["documents"]):
            info = info_from(meta)
            docs.append(Document(**info.model_dump(exclude={"chars", "story_id", "n_chunks"}), text=text))
    for name in [docs_name, *derived]:
        if name in names:
            client.delete_collection(name)
    return docs
