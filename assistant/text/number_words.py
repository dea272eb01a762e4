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

from assistant.text.lexicon import closed_class_words

#: Whole numbers up to this are looked for in words; news copy writes larger ones in digits.
LARGEST_SPELLED = 1000


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
