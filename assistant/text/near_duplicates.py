"""Near-duplicate texts (wire copies): MinHash over word 5-shingles; the only module that imports datasketch.

An agency story re-published by several sites differs by a headline, a byline, a sentence cut or a
paragraph added. Word 5-shingles of the folded text keep those edits local: copies with light edits share
most shingles, while two different articles on the same topic share almost none. The MinHash signature
(:data:`PERMUTATIONS` values) estimates the Jaccard similarity of two shingle sets from a short string that
fits in a document's metadata, so grouping never re-reads the texts.
"""

from __future__ import annotations

import numpy as np

from assistant.text.folding import fold
from assistant.text.words import TOKEN

PERMUTATIONS = 64
SHINGLE_WORDS = 5
_SEED = 7


def shingles(text: str) -> set[bytes]:
    words = TOKEN.findall(fold(text))
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> str:
    """The text's MinHash signature as a hex string ("" for a text without words)."""
    from datasketch import MinHash

    grams = shingles(text)
    if not grams:
        return ""
    minhash = MinHash(num_perm=PERMUTATIONS, seed=_SEED)
    minhash.update_batch(list(grams))
    return np.asarray(minhash.hashvalues, dtype=np.uint32).astype(">u4").tobytes().hex()


def similarity(a: str, b: str) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures (0 when either is empty)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    va = np.frombuffer(bytes.fromhex(a), dtype=">u4")
    vb = np.frombuffer(bytes.fromhex(b), dtype=">u4")
    return float(np.mean(va == vb))
