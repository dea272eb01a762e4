"""Numbers written out in words, in any language num2words knows: the one place that reads them.

A translation may write a number of its original in words: Vietnamese "đối tác thương mại lớn thứ 3" is
"the third largest trading partner" and "37 cơ sở" may be "thirty-seven institutions"; German "drei
Spiele" may come back as "3 games". Compared as digits only, each of these is a number dropped or invented,
and a right translation is refused. num2words spells a value in each language, cardinal and ordinal; the
words are compared in their closed-class form (:func:`assistant.text.lexicon.closed_class_words`), so
Vietnamese "ba" (three) is not "bà" (Mrs).

Only this module imports num2words.
"""

from __future__ import annotations

from functools import lru_cache

from num2words import num2words

from assistant.text.lexicon import NUMBER_WORD_HOMONYMS, NUMBER_WORDS, closed_class_words

#: Whole numbers up to this are looked for in words; news copy writes larger ones in digits.
LARGEST_SPELLED = 1000
#: The numbers a text is read for as number words of its own (:func:`number_words_in`): from three (one and
#: two are also articles and idioms: "ein", "a", "twice", "both") to a hundred.
WORDED = range(3, 101)


@lru_cache(maxsize=8192)
def spellings(value: int, lang: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """How ``lang`` writes ``value`` in words: each a sequence of compared words, and whether it is an
    ordinal (whose last word inflects: German "dritte", "dritten"; French "troisièmes"). Empty when
    num2words does not know the language."""
    out: list[tuple[tuple[str, ...], bool]] = []
    for kind in ("cardinal", "ordinal"):
        try:
            written = num2words(value, lang=lang, to=kind)
        except (NotImplementedError, OverflowError, TypeError, ValueError):
            continue
        words = tuple(closed_class_words(written, lang))
        if words and (words, kind == "ordinal") not in out:
            out.append((words, kind == "ordinal"))
    return tuple(out)


def spelled_in(number: str, text: str, lang: str) -> bool:
    """Does ``text`` (in ``lang``) write ``number`` (as :func:`assistant.grounding.facts.numbers_in` gives it:
    "37", "6000", "0.5") out in words? Only whole numbers from 1 to :data:`LARGEST_SPELLED` are looked for."""
    if not number.isdigit() or not 0 < int(number) <= LARGEST_SPELLED:
        return False
    words = closed_class_words(text, lang)
    for spelled, ordinal in spellings(int(number), lang):
        head, last = list(spelled[:-1]), spelled[-1]
        for i in range(len(words) - len(spelled) + 1):
            end = words[i + len(head)]
            if words[i : i + len(head)] == head and (end == last or (ordinal and end.startswith(last))):
                return True
    return False


def number_words_in(text: str, lang: str) -> set[str]:
    """The whole numbers of :data:`WORDED` that ``text`` (in ``lang``) writes as one of its number words
    ("sechs" in "die sechs-malige Grammy-Gewinnerin", "trois"), as digit strings. A number word beside another
    word of a spelled number is part of a larger one ("twenty-one", "vingt et un") and is not read alone, and
    one that is as often another word (``[number_word_homonyms]``: French "neuf", new) is not read at all."""
    listed = NUMBER_WORDS.get(lang, frozenset()) - NUMBER_WORD_HOMONYMS.get(lang, frozenset())
    words = closed_class_words(text, lang)
    if not set(words) & listed:
        return set()
    values = _one_word_values(lang)
    vocabulary = _number_vocabulary(lang)
    out = set()
    for i, word in enumerate(words):
        if word not in listed or word not in values:
            continue
        if (i > 0 and words[i - 1] in vocabulary) or (i + 1 < len(words) and words[i + 1] in vocabulary):
            continue
        out.add(values[word])
    return out


@lru_cache(maxsize=None)
def _one_word_values(lang: str) -> dict[str, str]:
    """The number words of ``lang`` that alone write a number of :data:`WORDED`, to its digits."""
    out: dict[str, str] = {}
    for value in WORDED:
        for spelled, ordinal in spellings(value, lang):
            if not ordinal and len(spelled) == 1:
                out.setdefault(spelled[0], str(value))
    return out


@lru_cache(maxsize=None)
def _number_vocabulary(lang: str) -> frozenset[str]:
    """Every word ``lang`` writes a whole number up to a hundred with (cardinals): "one", "et", "vingt"."""
    return frozenset(w for value in range(1, 101) for spelled, ordinal in spellings(value, lang) if not ordinal for w in spelled)


def worded_in(number: str, text: str, lang: str) -> bool:
    """Does ``text`` (in ``lang``) write ``number`` in words, also as the head of a compound ("des
    Siebenjährigen Krieges" for "the Seven Years' War", "dreifach")? Looser than :func:`spelled_in` ("zehn" heads
    "zehntausend" too): it says a number was kept, never that one was stated."""
    if spelled_in(number, text, lang):
        return True
    if not number.isdigit() or not 0 < int(number) <= LARGEST_SPELLED:
        return False
    heads = [spelled[0] for spelled, ordinal in spellings(int(number), lang) if not ordinal and len(spelled) == 1]
    return any(word.startswith(head) for word in closed_class_words(text, lang) for head in heads)
