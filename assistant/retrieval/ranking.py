"""The arithmetic of hybrid search, apart from where the scores come from: the typed objects a search
fills (:class:`Candidates`, then :class:`Ranking`) and the functions that turn scores into an order —
dense and BM25 fused (:func:`fuse`), pseudo-relevance feedback (:func:`with_feedback`), maximal marginal
relevance (:func:`mmr`) and the share of a list one document may take (:func:`per_document_cap`).

:class:`~assistant.retrieval.retriever.Retriever` runs the steps; everything here is plain numpy over what it
found, so it is tested without a store or an embedder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from assistant.backends.store_records import StoredSentence


def fuse(dense: np.ndarray, lexical: np.ndarray, lexical_weight: float) -> np.ndarray:
    """Dense cosine plus ``lexical_weight`` × BM25 scaled by the best BM25 score among the candidates.

    With ``lexical_weight`` = 0 this is dense ranking; a weight of 1 or more lets BM25 dominate (dense
    then only breaks ties among equal lexical scores).
    """
    if dense.size == 0:
        return dense
    top = float(lexical.max()) if lexical.size else 0.0
    lex = lexical / top if top > 0 else np.zeros_like(dense)
    return dense + lexical_weight * lex


def with_feedback(scores: np.ndarray, vectors: np.ndarray, weight: float) -> np.ndarray:
    """``scores`` plus ``weight`` × each candidate's cosine to the best-scored one (pseudo-relevance feedback).

    The best passage is usually relevant, and passages like it more often are than the question's
    similarity alone says (the cluster hypothesis), so an answer just below the first few can move up. On
    XQuAD en→de recall@5 rose 1177 → 1180 of 1190 at weight 0.15 (0.1: 1179, 0.2: 1178, 0.3: 1176; both
    halves gain), recall@1 unchanged; see BENCHMARKS.md.
    The weight was chosen on those questions, so the gain is a small, tuned one.
    """
    if scores.size < 2:
        return scores
    top = int(np.argmax(scores))
    return scores + weight * (vectors @ vectors[top])


def mmr(relevance: np.ndarray, vectors: np.ndarray, k: int, lam: float, groups: list[str], per_group: int) -> list[int]:
    """Maximal marginal relevance: pick ``k`` indices balancing relevance and novelty.

    ``groups[i]`` names the document of candidate ``i``; at most ``per_group`` picks per document, unless
    there are not enough other candidates to fill ``k``.
    """
    n = len(relevance)
    chosen: list[int] = []
    counts: dict[str, int] = {}
    sims = vectors @ vectors.T if n else np.zeros((0, 0))
    for relax in (False, True):
        while len(chosen) < min(k, n):
            best, best_score = -1, -np.inf
            for i in range(n):
                if i in chosen or (not relax and counts.get(groups[i], 0) >= per_group):
                    continue
                redundancy = max((sims[i, j] for j in chosen), default=0.0)
                score = lam * relevance[i] - (1 - lam) * redundancy
                if score > best_score:
                    best, best_score = i, score
            if best < 0:
                break
            chosen.append(best)
            counts[groups[best]] = counts.get(groups[best], 0) + 1
    return chosen


def per_document_cap(k: int, maximum: int) -> int:
    """Passages one document may take in a list of ``k``: a third of the list, at least 1, at most ``maximum``."""
    return max(1, min(maximum, math.ceil(k / 3)))


@dataclass
class BestSentence:
    """A candidate chunk's dense score and the sentence that earned it (offsets in the document)."""

    cosine: float
    start: int
    end: int
    doc_id: str


@dataclass
class Candidates:
    """What the candidate steps of a search find, filled in step by step."""

    best: dict[str, BestSentence] = field(default_factory=dict)  # chunk → its best-scoring sentence
    chunk_cosine: dict[str, float] = field(default_factory=dict)  # chunk → cosine of its whole text
    translated_chunk: dict[str, float] = field(default_factory=dict)  # chunks a translation found, its cosine
    chunk_floor: float = -1.0  # every chunk the chunk query did not return is at most this similar
    other: list[str] = field(default_factory=list)  # chunks found by the chunk vectors or BM25 only

    def consider(self, sentence: StoredSentence, cosine: float) -> None:
        """Let ``sentence`` score its chunk when it beats the chunk's best sentence so far."""
        held = self.best.get(sentence.chunk_id)
        if held is None or cosine > held.cosine:
            self.best[sentence.chunk_id] = BestSentence(cosine, sentence.start, sentence.end, sentence.doc_id)


class Ranking:
    """The committed candidates, position by position: ids, best sentences, dense, lexical and fused scores."""

    def __init__(
        self, ids: list[str], best: list[BestSentence], lexical: np.ndarray, lift: np.ndarray | None = None
    ) -> None:
        self.ids = ids
        self.best = best
        self.lexical = lexical
        #: What each candidate's dense score gains for standing in another language than the question's.
        self.lift = lift if lift is not None else np.zeros(len(ids), dtype=np.float32)
        self.dense = np.zeros(len(ids), dtype=np.float32)
        self.fused = np.zeros(len(ids), dtype=np.float32)

    def fuse(self, lexical_weight: float, *, lexical_only: bool = False) -> None:
        """Dense scores from the best sentences, fused with BM25 (see :func:`fuse`) after the language lift;
        BM25 alone ranks by BM25 with dense breaking ties, and keeps only the chunks it scores."""
        self.dense = np.array([b.cosine for b in self.best], dtype=np.float32)
        if lexical_only:
            self.lift = np.zeros_like(self.dense)
            self.fused = fuse(self.dense * 1e-3, self.lexical, 1.0)
            keep = self.lexical > 0
            self.ids = [c for c, ok in zip(self.ids, keep) if ok]
            self.best = [b for b, ok in zip(self.best, keep) if ok]
            self.dense, self.lexical, self.fused = self.dense[keep], self.lexical[keep], self.fused[keep]
            self.lift = self.lift[keep]
        else:
            self.fused = fuse(self.dense + self.lift, self.lexical, lexical_weight)
