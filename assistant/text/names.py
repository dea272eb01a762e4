"""Whether a word can be part of a person's name — asked by the title check and by query translation.

A capitalised word inside a sentence is a name part unless it is an acronym ("ICT"), a title or
institution word ("Minister"), a nationality ("Korean") or a word of a country's name ("Korea", "Hàn").
The title check also rules out generic capitalised words ("The", "Forum"); query translation does not,
because after a question's first word a capital marks a name even on a common word ("You Young Min").
"""

from __future__ import annotations

from assistant.text.countries import COUNTRY_WORDS
from assistant.text.folding import fold
from assistant.text.lexicon import GENERIC_WORDS, INSTITUTION_WORDS, NATIONALITIES
from assistant.text.words import without_possessive

_NEVER_NAMES = INSTITUTION_WORDS | NATIONALITIES | COUNTRY_WORDS


def folded_word(word: str) -> str:
    """``word`` folded, a possessive "’s" dropped ("Vietnam’s" is the country)."""
    return without_possessive(fold(word))


def is_name_part(word: str, *, generic_words_count: bool = False) -> bool:
    """``word`` may be part of a person's name (see the module docstring); ``generic_words_count`` lets a
    generic capitalised word ("You", "Young") count."""
    if not word or not word[0].isupper() or (len(word) > 1 and word.isupper()):
        return False
    folded = folded_word(word)
    return folded not in _NEVER_NAMES and (generic_words_count or folded not in GENERIC_WORDS)
