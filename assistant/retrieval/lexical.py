"""Lexical retrieval: BM25 over the stored chunks, with ``bm25s``.

Across languages, BM25 matches what translation leaves unchanged: names, numbers, acronyms ("Choi
Youngsam", "6.000", "OpenRAN", "VKIST"). Tokens are folded (lower case, no accents) so "Nguyễn" matches
"Nguyen"; the stop words of each text's own language are dropped (:mod:`assistant.text.stopwords`).

The index is derived data: it is rebuilt from the store whenever the store's set of documents changes
(:meth:`VectorStore.fingerprint`) and cached on disk under that fingerprint, so that opening a large store
loads it instead of re-tokenising every chunk.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import numpy as np

from assistant.models import SearchFilters, date_key, sentence_id
from assistant.text.folding import fold
from assistant.text.stopwords import stopwords
from assistant.text.words import NAMING_WORD, TOKEN

#: Version of the tokenisation: part of the on-disk cache key, so a cached index tokenised otherwise is rebuilt.
TOKENIZER_VERSION = 2


def tokenize(text: str, lang: str | None) -> list[str]:
    """Folded word tokens without the stop words of ``lang``; single letters dropped, single digits kept."""
    stop = stopwords(lang)
    return [t for t in TOKEN.findall(fold(text)) if (len(t) > 1 or t.isdigit()) and t not in stop]


def anchor_query(query: str) -> str:
    """The words of ``query`` that name something: capitalised words after the first, acronyms, numbers.

    These are what survive translation ("Choi Youngsam", "VKIST", "6.000", "Harvard"); the hybrid search
    scores BM25 on them alone, because an English question's common words match words of other languages
    by accident ("war", "die", "also"). On XQuAD en→de, BM25 over every word lowered the hybrid's recall@1
    from dense's 0.904 to 0.898; over the anchors, to 0.902 (weight 0.01). A query without any (typed in
    lower case) is used whole.
    """
    words = NAMING_WORD.findall(query)
    anchors = [
        w for i, w in enumerate(words)
        if any(ch.isdigit() for ch in w) or (len(w) > 1 and w.isupper()) or (i > 0 and w[0].isupper())
    ]
    return " ".join(anchors) if anchors else query


class LexicalMatch(NamedTuple):
    """A chunk BM25 found, with its score."""

    chunk_id: str
    score: float


@dataclass(frozen=True)
class LexicalEntry:
    chunk_id: str
    doc_id: str
    source: str
    lang: str
    date_key: int
    sentences: str | None = None  # ordinals of the chunk's own sentences (None: not recorded, older store)

    def sentence_ids(self) -> list[str] | None:
        if self.sentences is None:
            return None
        return [sentence_id(self.doc_id, int(o)) for o in self.sentences.split()]


class LexicalIndex:
    """BM25 over a fixed list of chunks, with metadata for filtering."""

    def __init__(self, entries: Sequence[LexicalEntry], retriever) -> None:
        self.entries = list(entries)
        self._retriever = retriever
        self._row_of = {e.chunk_id: i for i, e in enumerate(self.entries)}
        self._langs: np.ndarray | None = None  # every chunk's language, for languages_with

    @classmethod
    def build(cls, items: Iterable[tuple[LexicalEntry, str]]) -> "LexicalIndex":
        import bm25s

        entries: list[LexicalEntry] = []
        corpus: list[list[str]] = []
        for entry, text in items:
            entries.append(entry)
            corpus.append(tokenize(text, entry.lang) or ["\u2205"])  # an empty chunk still takes a row
        if not entries:
            return cls([], None)
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index(corpus, show_progress=False)
        return cls(entries, retriever)

    def __len__(self) -> int:
        return len(self.entries)

    def scores(self, query: str, lang: str | None = None) -> np.ndarray:
        """BM25 score of every chunk for ``query``, written in ``lang`` (zeros where no term matches)."""
        if not self.entries:
            return np.zeros(0, dtype=np.float32)
        vocab = self._retriever.vocab_dict
        terms = [t for t in tokenize(query, lang) if t in vocab]
        if not terms:
            return np.zeros(len(self.entries), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(terms), dtype=np.float32)

    def languages_with(self, word: str) -> set[str]:
        """The languages of the chunks that contain ``word`` (one word; folded like the index)."""
        scores = self.scores(word)
        if not scores.size:
            return set()
        if self._langs is None:
            self._langs = np.array([e.lang for e in self.entries])
        return set(self._langs[scores > 0].tolist())

    def allowed(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Boolean mask of the chunks the filters admit (None when there are no filters)."""
        if filters is None or filters.is_empty():
            return None
        lo = date_key(filters.date_from) if filters.date_from else None
        hi = date_key(filters.date_to, end=True) if filters.date_to else None
        mask = np.ones(len(self.entries), dtype=bool)
        for i, e in enumerate(self.entries):
            if (
                (filters.langs and e.lang not in filters.langs)
                or (filters.doc_ids and e.doc_id not in filters.doc_ids)
                or (filters.sources and e.source not in filters.sources)
                or ((lo is not None or hi is not None) and e.date_key == 0)
                or (lo is not None and e.date_key < lo)
                or (hi is not None and e.date_key > hi)
            ):
                mask[i] = False
        return mask

    def search(
        self, query: str, n: int, filters: SearchFilters | None = None, lang: str | None = None
    ) -> list[LexicalMatch]:
        """The top ``n`` chunks with a positive score, best first."""
        scores = self.scores(query, lang)
        if scores.size == 0:
            return []
        mask = self.allowed(filters)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, int((scores > 0).sum()))
        if n == 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [LexicalMatch(self.entries[i].chunk_id, float(scores[i])) for i in top]

    def entry(self, chunk_id: str) -> LexicalEntry | None:
        row = self._row_of.get(chunk_id)
        return None if row is None else self.entries[row]

    def score_of(self, scores: np.ndarray, chunk_id: str) -> float:
        row = self._row_of.get(chunk_id)
        return float(scores[row]) if row is not None and scores.size else 0.0

    # --- persistence ------------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` atomically (a temporary folder renamed into place)."""
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / "entries.json").write_text(json.dumps([e.__dict__ for e in self.entries]), encoding="utf-8")
        if self._retriever is not None:
            self._retriever.save(str(tmp / "bm25"))
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        entries = [LexicalEntry(**e) for e in json.loads((folder / "entries.json").read_text(encoding="utf-8"))]
        retriever = bm25s.BM25.load(str(folder / "bm25")) if entries else None
        return cls(entries, retriever)
