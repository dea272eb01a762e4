"""Grouping documents that tell the same story in different languages (translations of one article).

Topic similarity is not enough: the seeds are five articles about Vietnam–Korea ICT cooperation, and their
mean embeddings are all about equally close (cosine 0.88–0.94 with e5-small). What sets a translation
apart is that it says the *same things in the same order*:

* sentence alignment: nearly every sentence of one has a near-identical sentence (in meaning) in the other;
* anchors: the numbers (dates, amounts, counts) are the same, whatever the language;
* length: a translation is about as long as its original.

The score mixes the first two; pairs whose length ratio is off are never grouped. Groups are the connected
components of the pairs above ``threshold`` (default 0.5).

Documents in the *same* language join one story when they are copies of one wire story (an agency text
re-published with light edits): their word-shingle MinHash signatures (:mod:`assistant.text.near_duplicates`)
estimate a Jaccard similarity of at least ``wire_threshold``. Retrieval then collapses them like
translations, and a source card names the other sites that published it.

Calibration (``benchmarks/story_calibration.py``, XQuAD's parallel en/de paragraphs): translation pairs
have a mean best-match sentence cosine of 0.904 (min 0.843), other paragraphs of the same article 0.788
(max 0.851). With the scale below and threshold 0.5, 79 of 80 translation pairs group and none of 320
same-article pairs does. On the seeds, 000+001 scores about 0.93 and the best non-pair about 0.28.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from assistant.models import StoryDoc
from assistant.text.near_duplicates import similarity

#: Alignment (mean best-match cosine between sentences) that maps to 0 and to 1 on the score's scale.
ALIGN_FLOOR, ALIGN_CEIL = 0.84, 0.90
MAX_LENGTH_RATIO = 2.0
#: Pairs whose mean document vectors are further apart than this are not compared chunk by chunk.
PREFILTER_COSINE = 0.80


def alignment(a: np.ndarray, b: np.ndarray) -> float:
    """Symmetric mean best-match cosine between two sets of unit sentence vectors."""
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
    assert a.sentence_vectors is not None and b.sentence_vectors is not None
    align = float(np.clip((alignment(a.sentence_vectors, b.sentence_vectors) - ALIGN_FLOOR) / (ALIGN_CEIL - ALIGN_FLOOR), 0, 1))
    union = a.anchors | b.anchors
    if len(union) < 3:
        return align  # too few numbers to tell: alignment alone decides
    jaccard = len(a.anchors & b.anchors) / len(union)
    return 0.5 * align + 0.5 * jaccard


def is_wire_copy(a: StoryDoc, b: StoryDoc, wire_threshold: float) -> bool:
    """Whether two documents in one language are copies of the same text (light edits allowed)."""
    return a.lang == b.lang and similarity(a.wire, b.wire) >= wire_threshold


def group_stories(
    docs: list[StoryDoc],
    threshold: float,
    sentence_vectors: Callable[[str], np.ndarray] | None = None,
    wire_threshold: float = 0.6,
) -> dict[str, str]:
    """Story id of every document: connected components of the pairs scoring above ``threshold``.

    Only pairs in different languages whose mean vectors are close are scored; their sentence vectors are
    fetched through ``sentence_vectors(doc_id)`` when a ``StoryDoc`` does not carry them, so a large store
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
        if d.sentence_vectors is None:
            if sentence_vectors is None:
                raise ValueError(f"no chunk vectors for {d.doc_id}")
            d.sentence_vectors = sentence_vectors(d.doc_id)
        return d

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(docs):
        for j in range(i + 1, len(docs)):
            b = docs[j]
            if not close[i, j]:
                continue
            if is_wire_copy(a, b, wire_threshold) or (a.lang != b.lang and pair_score(load(a), load(b)) >= threshold):
                ra, rb = find(a.doc_id), find(b.doc_id)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for d in docs:
        members.setdefault(find(d.doc_id), []).append(d.doc_id)
    return {doc_id: f"story-{min(group)[:12]}" for group in members.values() for doc_id in group}
