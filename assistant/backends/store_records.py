"""What the vector store reads and writes, apart from Chroma itself: the records it returns, the metadata
each record is written with and read back from, the translation cache's key, a document's vector.

Kept out of :mod:`assistant.backends.store` (the one importer of ``chromadb``) so that the shapes of the
stored data can be read, and tested, on their own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from assistant.models import Chunk, Document, DocumentInfo, Sentence, date_key, sentence_id, sentence_ordinal
from assistant.text.near_duplicates import signature
from assistant.text.words import anchors


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as the store returns it: text, metadata, and optionally its vector and query distance."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    lang: str
    ordinal: int
    embedding: np.ndarray | None = None
    distance: float | None = None
    sentence_ids: tuple[str, ...] | None = None  # the sentences it owns (None in stores from before 0.6)


class ChunkMatch(NamedTuple):
    """A chunk found by its own vector."""

    chunk_id: str
    doc_id: str
    cosine: float


@dataclass(frozen=True)
class StoredSentence:
    """A sentence as dense search returns it."""

    sentence_id: str
    chunk_id: str
    doc_id: str
    start: int
    end: int
    embedding: np.ndarray | None = None
    distance: float | None = None

    @property
    def ordinal(self) -> int:
        """Its place in the document (from the id): ordinal − 1 is the sentence before it."""
        return sentence_ordinal(self.sentence_id)


@dataclass(frozen=True)
class CachedTranslation:
    """A model's translation of one sentence, as cached: the model's outputs, not a decision.

    Whether a translation may be used is decided from ``judge`` (the model's probability that it is
    faithful), ``confidence`` (the log-probability of the translation's least likely token),
    ``contradiction`` (how much the original speaks against its words, see
    :func:`assistant.generation.translation.contradiction`) and the checks of
    :class:`assistant.grounding.verifier.Verifier` at the current thresholds, so a recalibration needs no new
    model calls.
    """

    key: str
    original: str
    original_lang: str
    lang: str
    model: str
    text: str
    judge: float | None = None
    vector: np.ndarray | None = None
    confidence: float | None = None
    contradiction: float | None = None


@dataclass(frozen=True)
class RenderingMatch:
    """A cached translation near a query: its original sentence and how close the translation is."""

    original: str
    original_lang: str
    cosine: float


def translation_key(original: str, lang: str, model: str, glossary: str = "", prompt: str = "") -> str:
    """The cache key of ``original`` translated into ``lang`` by ``model``, prompted with ``glossary`` (the
    English of words the prompt named) under the instructions ``prompt`` names (a digest of their text):
    a translation made under other instructions or another glossary is made again, not reused."""
    text = f"{model}\x1f{lang}\x1f{original}" + (f"\x1f{glossary}" if glossary else "") + (f"\x1e{prompt}" if prompt else "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def document_vector(chunks: Sequence[Chunk], sentences: Sequence[Sentence], sentence_vectors: np.ndarray) -> np.ndarray:
    """A document's vector: the unit mean of its chunks' sentence means (what story grouping compares).

    Made from sentence vectors, not the chunk embeddings, so that the similarity of two language versions
    does not depend on where the chunker cut them.
    """
    row = {s.sentence_id: i for i, s in enumerate(sentences)}
    dim = sentence_vectors.shape[1] if sentence_vectors.ndim == 2 else 0
    means = []
    for chunk in chunks:
        rows = [row[sid] for sid in chunk.sentence_ids if sid in row]
        if rows:
            mean = sentence_vectors[rows].mean(axis=0)
            means.append(mean / (float(np.linalg.norm(mean)) or 1.0))
    if not means:
        return np.zeros(dim, dtype=np.float32)
    mean = np.mean(means, axis=0)
    return (mean / (float(np.linalg.norm(mean)) or 1.0)).astype(np.float32)


def sentence_from(record_id: str, meta: dict[str, Any], embedding=None, distance=None) -> StoredSentence:
    """A sentence record read back from its Chroma metadata."""
    return StoredSentence(
        sentence_id=record_id,
        chunk_id=str(meta["chunk_id"]),
        doc_id=str(meta["doc_id"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32),
        distance=distance,
    )


def chunk_from(record_id: str, text: str, meta: dict[str, Any], embedding=None, distance=None) -> StoredChunk:
    """A chunk record read back from its Chroma metadata (and text)."""
    owned = meta.get("sentences")
    return StoredChunk(
        sentence_ids=None if owned is None else tuple(sentence_id(str(meta["doc_id"]), int(o)) for o in str(owned).split()),
        chunk_id=record_id,
        doc_id=str(meta["doc_id"]),
        text=text,
        start=int(meta["start"]),
        end=int(meta["end"]),
        lang=str(meta["lang"]),
        ordinal=int(meta["ordinal"]),
        embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32),
        distance=distance,
    )


def info_from(meta: dict[str, Any]) -> DocumentInfo:
    """A document's listing read back from its Chroma metadata."""
    return DocumentInfo(
        doc_id=str(meta["doc_id"]),
        source=str(meta["source"]),
        title=str(meta.get("title", "")),
        lang=str(meta.get("lang", "und")),
        date=meta.get("date") or None,
        chars=int(meta.get("chars", 0)),
        n_chunks=int(meta.get("n_chunks", 0)),
        story_id=meta.get("story_id") or None,
        ingested_at=meta.get("ingested_at") or None,
        url=meta.get("url") or None,
        author=meta.get("author") or None,
        site=meta.get("site") or None,
        also_published_at=json.loads(meta.get("also_at") or "[]"),
    )


def chunk_meta(doc: Document, chunk: Chunk, owned: Sequence[int] = ()) -> dict[str, Any]:
    """The metadata a chunk is stored with: where it stands, its language and date (for filters), the
    ordinals of the sentences it owns."""
    return {
        "sentences": " ".join(str(o) for o in owned),  # ordinals: sentence ids without a metadata scan
        "doc_id": doc.doc_id,
        "source": doc.source,
        "lang": chunk.lang,
        "ordinal": chunk.ordinal,
        "start": chunk.start,
        "end": chunk.end,
        "tokens": chunk.tokens,
        "date_key": date_key(doc.date),
    }

def sentence_meta(doc: Document, sentence: Sentence) -> dict[str, Any]:
    """The metadata a sentence is stored with: its chunk, its span, language and date (for filters)."""
    return {
        "doc_id": doc.doc_id,
        "chunk_id": sentence.chunk_id,
        "source": doc.source,
        "lang": doc.lang,
        "start": sentence.start,
        "end": sentence.end,
        "date_key": date_key(doc.date),
    }

def doc_meta(doc: Document) -> dict[str, Any]:
    """The metadata of a document's record (its commit marker): its listing, the words that anchor story
    grouping and its wire-copy signature."""
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "title": doc.title,
        "lang": doc.lang,
        "date": doc.date or "",
        "date_key": date_key(doc.date),
        "chars": doc.chars,
        "n_chunks": doc.n_chunks,
        "story_id": doc.story_id or "",
        "ingested_at": doc.ingested_at or "",
        "anchors": " ".join(sorted(anchors(doc.text))),
        "url": doc.url or "",
        "author": doc.author or "",
        "site": doc.site or "",
        "also_at": json.dumps(doc.also_published_at, ensure_ascii=False),
        "wire": signature(doc.text),
    }
