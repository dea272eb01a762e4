"""Words as the pipeline sees them: the patterns that find them and the anchors that survive translation.

Three patterns, each for one job, defined once:

* :data:`WORD` — a word of prose: a letter, then letters, digits, apostrophes and hyphens ("Jong-ho",
  "Vietnam’s", "i-Korea"). Names, facts, the language check and the loop check read words with it.
* :data:`TOKEN` — an index token: a run of letters and digits ("6", "000", "vkist"), for BM25 and hashing.
* :data:`NAMING_WORD` — a word that may name something in a query: inner dots and hyphens kept ("6.000",
  "U.S.", "Jong-ho"), for the anchors of a query.
"""

from __future__ import annotations

import re

from assistant.text.folding import fold

WORD = re.compile(r"[^\W\d_][\w'’-]*")
TOKEN = re.compile(r"\w+")
NAMING_WORD = re.compile(r"\w[\w'’.-]*\w|\w")
_NUMBER = re.compile(r"\d+")
_POSSESSIVE_MARK = r"['’]s"
_POSSESSIVE = re.compile(_POSSESSIVE_MARK + "$")
_POSSESSIVE_AFTER = re.compile(_POSSESSIVE_MARK + r"\b")


def bare(word: str) -> str:
    """``word`` (a match of :data:`WORD`) without the apostrophes and hyphens that close it ("Botschafters’" in
    "the Botschafters’ tenure"), or open it."""
    return word.strip("'’-")


def bare_words(text: str) -> list[str]:
    """The :data:`WORD` words of ``text``, each :func:`bare`, in reading order."""
    return [bare(w) for w in WORD.findall(text)]


def without_possessive(word: str) -> str:
    """``word`` without a possessive's "'s" ("Youngsam's" → "Youngsam"): the name a possessive holds."""
    return _POSSESSIVE.sub("", word)


def is_possessor(text: str, end: int) -> bool:
    """Whether the word of ``text`` that ends at ``end`` owns what follows ("Vietnam" in "Vietnam's largest
    investor")."""
    return bool(_POSSESSIVE_AFTER.match(text, end))


def anchors(text: str) -> frozenset[str]:
    """Language-independent anchors of a text: its numbers, without leading zeros."""
    return frozenset(n.lstrip("0") or "0" for n in _NUMBER.findall(text))


def written_as(text: str, folded: str) -> list[str]:
    """The runs of words of ``text`` that fold to ``folded`` (a phrase of folded words), as ``text`` writes
    them, a possessive's "'s" left off: "Poland" for "poland" in "Poland's rivals". What a check found
    folded, put back in the writer's spelling (a retry of a translation is asked to avoid the words it
    refused, :func:`assistant.generation.translation.translate_one`)."""
    wanted = folded.split()
    if not wanted:
        return []
    found = list(WORD.finditer(text))
    bare = [without_possessive(fold(m.group(0))) for m in found]
    out = []
    for i in range(len(found) - len(wanted) + 1):
        if bare[i : i + len(wanted)] == wanted:
            last = found[i + len(wanted) - 1]
            end = last.start() + len(without_possessive(last.group(0)))
            out.append(text[found[i].start() : end])
    return list(dict.fromkeys(out))
