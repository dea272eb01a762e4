"""Sources that give different numbers or dates for the same thing.

Two sentences from different documents are taken to state the same thing when they are close in meaning
(e5 cosine at least :data:`SAME_THING_COSINE`) and share most of their ordinary words (folded, stop words
and numbers aside: at least :data:`SAME_WORDS` of the smaller set). If they then give different numbers (a
figure, a day, a year), the reader is told, with both citations: one of the sources is wrong, or they speak
of different moments, and only the reader can check which. Sentences in different languages are compared
through the verified translations the answer already has (what the reader sees).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.text.folding import fold
from assistant.text.stopwords import stopwords
from assistant.text.words import WORD, anchors

SAME_THING_COSINE = 0.85
SAME_WORDS = 0.6


@dataclass(frozen=True)
class Claim:
    """A sentence as compared: who cites it (a source number or a document), its text and language."""

    ref: str
    text: str
    lang: str
    vector: np.ndarray


@dataclass(frozen=True)
class Conflict:
    a: Claim
    b: Claim
    only_a: tuple[str, ...]  # numbers the first gives and the second does not
    only_b: tuple[str, ...]

    def describe(self) -> str:
        return (
            f"the sources differ: {self.a.ref} gives {', '.join(self.only_a)} where {self.b.ref} gives "
            f"{', '.join(self.only_b)} (“{self.a.text}” / “{self.b.text}”); check which is right"
        )


def _words(claim: Claim) -> set[str]:
    stop = stopwords(claim.lang)
    return {w for w in (fold(x) for x in WORD.findall(claim.text)) if w not in stop and len(w) > 2}


#: Most claims compared at once (the cosine matrix is claims × claims).
MAX_CLAIMS = 3000


def conflicts(claims: list[Claim], groups: list[str]) -> list[Conflict]:
    """Pairs of claims from different ``groups`` (documents) stating the same thing with other numbers."""
    claims, groups = claims[:MAX_CLAIMS], groups[:MAX_CLAIMS]
    if len(claims) < 2:
        return []
    vectors = np.stack([c.vector for c in claims])
    close = np.triu(vectors @ vectors.T >= SAME_THING_COSINE, k=1)
    found: list[Conflict] = []
    for i, j in zip(*np.nonzero(close)):
        a, b = claims[i], claims[j]
        if groups[i] == groups[j] or a.lang != b.lang:
            continue
        numbers_a, numbers_b = anchors(a.text), anchors(b.text)
        if not numbers_a - numbers_b or not numbers_b - numbers_a:
            continue  # no numbers, the same ones, or one only adds a detail (a date) to the other
        wa, wb = _words(a), _words(b)
        if not wa or not wb or len(wa & wb) / min(len(wa), len(wb)) < SAME_WORDS:
            continue
        found.append(Conflict(a, b, tuple(sorted(numbers_a - numbers_b)), tuple(sorted(numbers_b - numbers_a))))
    return found
