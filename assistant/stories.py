"""Grouping documents that tell the same story in different languages (translations of one article).

Topic similarity is not enough: the seeds are five articles about Vietnam–Korea ICT cooperation, and their
mean embeddings are all about equally close (cosine 0.88–0.94 with e5-small). What sets a translation
apart is that it says the *same things in the same order*:

* passage alignment: nearly every chunk of one has a near-identical chunk (in meaning) in the other;
* anchors: the numbers (dates, amounts, counts) are the same, whatever the language;
* length: a translation is about as long as its original.

The score mixes the first two; pairs whose length ratio is off are never grouped. Groups are the connected
components of the pairs above ``threshold``. On the seeds, the translation pair 000+001 scores 0.77 and the
best non-pair 0.25 (see ``tests/test_stories.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

_NUMBER = re.compile(r"\d+")

#: Alignment (mean best-match cosine between chunks) that maps to 0 and to 1 on the score's scale.
ALIGN_FLOOR, ALIGN_CEIL = 0.85, 0.95
MAX_LENGTH_RATIO = 2.0
#: Pairs whose mean document vectors are further apart than this are not compared chunk by chunk.
PREFILTER_COSINE = 0.85


def anchors(text: str) -> frozenset[str]:
    """Language-independent anchors of a text: its numbers, without leading zeros."""
    return frozenset(n.lstrip("0") or "0" for n in _NUMBER.findall(text))


@dataclass
class StoryDoc:
    """What story grouping needs of a document."""

    doc_id: str
    lang: str
    chars: int
    anchors: frozenset[str]
    vector: np.ndarray = field(repr=False)  # unit mean of the chunk vectors
    chunk_vectors: np.ndarray | None = field(default=None, repr=False)


def alignment(a: np.ndarray, b: np.ndarray) -> float:
    """Symmetric mean best-match cosine between two sets of unit chunk vectors."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    sims = a @ b.T
    return float((sims.max(axis=1).mean() + sims.max(axis=0).mean()) / 2)


def pair_score(a: StoryDoc, b: StoryDoc) -> float:
    """How sure we are that ``a`` and ``b`` are the same article in two languages (0..1)."""
    if a.lang == b.lang:
        return 0.0  # same language: a duplicate or an update, not a translation
    shorter, longer = sorted((max(a.chars, 1), max(b.chars, 1)))
    if longer / shorter > MAX_LENGTH_RATIO:
        return 0.0
    assert a.chunk_vectors is not None and b.chunk_vectors is not None
    align = float(np.clip((alignment(a.chunk_vectors, b.chunk_vectors) - ALIGN_FLOOR) / (ALIGN_CEIL - ALIGN_FLOOR), 0, 1))
    union = a.anchors | b.anchors
    if len(union) < 3:
        return align  # too few numbers to tell: alignment alone decides
    jaccard = len(a.anchors & b.anchors) / len(union)
    return 0.5 * align + 0.5 * jaccard


def group_stories(
    docs: list[StoryDoc], threshold: float, chunk_vectors: Callable[[str], np.ndarray] | None = None
) -> dict[str, str]:
    """Story id of every document: connected components of the pairs scoring above ``threshold``.

    Only pairs in different languages whose mean vectors are close are scored; their chunk vectors are
    fetched through ``chunk_vectors(doc_id)`` when a ``StoryDoc`` does not carry them, so a large store
    is not read whole. A story's id is ``story-`` plus the smallest doc id in it, so it is stable while its
    members are.
    """
    parent = {d.doc_id: d.doc_id for d in docs}
    if len(docs) > 1:
        means = np.stack([d.vector for d in docs])
        close = means @ means.T >= PREFILTER_COSINE
    else:
        close = np.ones((len(docs), len(docs)), dtype=bool)

    def load(d: StoryDoc) -> StoryDoc:
        if d.chunk_vectors is None:
            if chunk_vectors is None:
                raise ValueError(f"no chunk vectors for {d.doc_id}")
            d.chunk_vectors = chunk_vectors(d.doc_id)
        return d

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(docs):
        for j in range(i + 1, len(docs)):
            b = docs[j]
            if a.lang == b.lang or not close[i, j]:
                continue
            if pair_score(load(a), load(b)) >= threshold:
                ra, rb = find(a.doc_id), find(b.doc_id)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for d in docs:
        members.setdefault(find(d.doc_id), []).append(d.doc_id)
    return {doc_id: f"story-{min(group)[:12]}" for group in members.values() for doc_id in group}
