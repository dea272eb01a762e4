"""Checks that a translation keeps its original's structure, where no shared word could tell.

The checks of :mod:`assistant.grounding.facts` ask whether each fact of a sentence is in its source. A
translation can keep every fact and still change the claim: a negation added or lost, two names or two
numbers changed round ("the coach praised the player" → "the player praised the coach"), a word left in
the original language. These checks compare the two texts as wholes; each is language data plus a rule,
nothing fitted to an article:

* negations: the translation negates as often as the original (``[negations]`` in ``data/lexicon.toml``);
* order: names and numbers that both texts hold come in the same order (translators keep who comes
  first; a swap of roles usually swaps the order);
* untranslated words: a word of the translation that stands verbatim in the original and reads as the
  original's language, not the translation's;

A check that every capitalised word of an English translation starts like a word of the original
("British" / "britische") was tried and dropped: English capitalises what it translates ("Stock Exchange"
for "Börse", "Jews" for "Juden"), and on XQuAD's held-out questions it refused more right translations
than the labelled set showed it catching wrong ones (BENCHMARKS.md).
"""

from __future__ import annotations

import re

from assistant.grounding.facts import numbers_in
from assistant.text.countries import COUNTRY_WORDS
from assistant.text.folding import fold
from assistant.text.lexicon import GENERIC_WORDS, INSTITUTION_WORDS, NATIONALITIES, NEGATIONS
from assistant.text.months import MONTHS
from assistant.text.names import is_name_part
from assistant.text.words import TOKEN, WORD

_CONTRACTED = {"en": re.compile(r"n['’]t\b"), "fr": re.compile(r"\bn['’]")}
#: Letters two spellings of a name share at the start in any language ("Brit-ish", "brit-ische").
PREFIX = 4
#: Words shorter than this are too often the same in two languages to say a word was left untranslated.
MIN_FOREIGN_CHARS = 5
#: Languages that capitalise every noun: a capitalised word says nothing about names there.
CAPITALISED_NOUNS = frozenset({"de", "lb"})
_TRANSLATED = GENERIC_WORDS | INSTITUTION_WORDS | NATIONALITIES | COUNTRY_WORDS | set(MONTHS)


def negations_in(text: str, lang: str) -> int | None:
    """How many negations ``text`` (in ``lang``) holds; None for a language without the data."""
    words = NEGATIONS.get(lang)
    if words is None:
        return None
    count = sum(1 for w in TOKEN.findall(fold(text)) if w in words)
    contracted = _CONTRACTED.get(lang)
    return count + (len(contracted.findall(text.casefold())) if contracted else 0)


def negation_changed(original: str, original_lang: str, text: str, lang: str) -> bool:
    a, b = negations_in(original, original_lang), negations_in(text, lang)
    return a is not None and b is not None and (a > 0) != (b > 0)


def _anchors(text: str) -> list[str]:
    """Numbers and name words in reading order (folded; names by their first letters)."""
    out = []
    for m in re.finditer(r"\d+(?:[.,]\d+)*|\w+", text):
        word = m.group(0)
        if word[0].isdigit():
            out.extend(sorted(numbers_in(word)))
        elif m.start() > 0 and is_name_part(word) and fold(word) not in _TRANSLATED and len(word) >= PREFIX:
            out.append(fold(word)[:PREFIX])
    return out


def order_changed(original: str, text: str) -> list[tuple[str, str]]:
    """Pairs of names, or of numbers, that both texts hold, in the opposite order in ``text``. A name and a
    number may change places: "am 3. Juni von Anna Berg eröffnet" is "Anna Berg opened … on 3 June"."""
    a, b = _anchors(original), _anchors(text)
    shared = [x for x in dict.fromkeys(a) if x in b and a.count(x) == 1 and b.count(x) == 1]
    first = {x: a.index(x) for x in shared}
    second = {x: b.index(x) for x in shared}
    flipped = []
    for i, x in enumerate(shared):
        for y in shared[i + 1 :]:
            if x[0].isdigit() == y[0].isdigit() and (first[x] - first[y]) * (second[x] - second[y]) < 0:
                flipped.append((x, y))
    return flipped


def untranslated_words(original: str, original_lang: str, text: str, lang: str) -> list[str]:
    """Words of ``text`` copied from ``original`` that read as the original's language, not ``lang``."""
    from assistant.text.language import word_language

    theirs = {fold(w) for w in WORD.findall(original)}
    # Names are copied, not translated: a word capitalised in an original whose language capitalises
    # only names, or one of a run of capitalised words ("Thorstein Veblen", "Chesterfield County").
    names = set()
    if original_lang not in CAPITALISED_NOUNS:
        names |= {fold(w) for w in WORD.findall(original) if w[0].isupper()}
    for m in re.finditer(r"\b[A-Z]\w+(?:\s+[A-Z]\w+)+", text):
        names |= {fold(w) for w in m.group(0).split()}
    out = []
    for word in dict.fromkeys(WORD.findall(text)):
        folded = fold(word)
        if len(word) < MIN_FOREIGN_CHARS or folded not in theirs or folded in _TRANSLATED or word.isupper():
            continue
        if folded in names:
            continue
        if word[0].isupper() and lang not in CAPITALISED_NOUNS:
            continue  # capitalised in a language that capitalises names only: a name kept as written
        if word_language(word, (original_lang, lang)) == original_lang:
            out.append(word)
    return out
