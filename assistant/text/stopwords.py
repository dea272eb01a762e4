"""Stop words per language (``data/stopwords.toml``), folded as the words they are compared with."""

from __future__ import annotations

from functools import lru_cache

from assistant.text.folding import fold
from assistant.text.langdata import data_file


@lru_cache(maxsize=None)
def stopwords(lang: str | None) -> frozenset[str]:
    """The folded stop words of ``lang``; none for a language without a list or an unknown one."""
    words = data_file("stopwords").get(lang or "", "")
    return frozenset(fold(w) for w in words.split())
