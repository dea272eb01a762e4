"""Stop words per language: the short lists of ``data/stopwords.toml`` that retrieval drops (folded as the
words they are compared with), and stopwords-iso's long lists of common words (the only importer of
stopwordsiso), which tell a sentence's first word from a name."""

from __future__ import annotations

from functools import lru_cache

import stopwordsiso

from assistant.text.folding import fold
from assistant.text.langdata import data_file


@lru_cache(maxsize=None)
def stopwords(lang: str | None) -> frozenset[str]:
    """The folded stop words of ``lang``; none for a language without a list or an unknown one."""
    words = data_file("stopwords").get(lang or "", "")
    return frozenset(fold(w) for w in words.split())


@lru_cache(maxsize=None)
def common_words(lang: str | None) -> frozenset[str]:
    """The common words of ``lang`` from stopwords-iso (1,298 for English), lower-cased but keeping their
    marks (Vietnamese "bà" is not "ba"); none for a language it does not cover.

    Kept apart from :func:`stopwords`: retrieval drops those from every text, and a list this long would drop
    content words ("world", "home") from BM25. Here it only answers whether a capitalised first word is an
    ordinary word ("Another", "Although", "Several") rather than a name ("Paris", "Amazon")."""
    if not lang or not stopwordsiso.has_lang(lang):
        return frozenset()
    return frozenset(w.casefold() for w in stopwordsiso.stopwords(lang))
