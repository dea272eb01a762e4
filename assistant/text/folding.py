"""Folding: the one way text is compared across spellings — lower case, without accents.

Names cross languages with and without diacritics ("Nguyễn" in Vietnamese, "Nguyen" in English copy), and
every comparison of words (BM25 tokens, the verifier's facts, the title check, stop words, month names)
goes through :func:`fold`, so two modules can never disagree about whether two words are the same.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Every code point with a non-zero combining class, for ``str.translate`` (built once, ~0.3 s)."""
    return {cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))}


def fold(text: str) -> str:
    """Lower case without accents: "Nguyễn" and "nguyen" fold to the same word.

    ``translate`` with a table instead of a per-character test: building BM25 over 100k chunks spent 14 of
    its 49 s here."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold())
    return text.translate(_combining_marks()).replace("đ", "d")
