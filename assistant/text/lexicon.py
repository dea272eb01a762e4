"""Word lists shared by verification, the title check and query translation: what a capitalised word is
when it is not a person's name (country names: :mod:`assistant.text.countries`).

Loaded once from ``data/lexicon.toml`` by :mod:`assistant.text.langdata`; folded (lower case, no
diacritics), the form they are compared in. Kept apart from the checks that use them so that the lists can
grow (another language, another institution) without touching the logic.
"""

from __future__ import annotations

from assistant.text.langdata import data_file

_LEXICON = data_file("lexicon")

#: Capitalised English words that are not names to check: function words, titles, generic institutions.
GENERIC_WORDS = frozenset(_LEXICON["generic_words"])

#: Words of institutions and titles: capitalised inside a sentence they are part of a name and are checked.
INSTITUTION_WORDS = frozenset(_LEXICON["institution_words"])

#: An English institution word → how the languages we read write it (folded prefixes).
INSTITUTION_TRANSLATIONS: dict[str, list[str]] = dict(_LEXICON["institution_translations"])

#: Nationality adjectives: part of a title ("Korean Minister of Science and ICT"), never a person's name.
NATIONALITIES = frozenset(_LEXICON["nationalities"])


def _per_language(table: str) -> dict[str, frozenset[str]]:
    """A table of ``lexicon.toml`` that lists words per language code."""
    return {lang: frozenset(words) for lang, words in _LEXICON[table].items()}


#: Words that negate, per language (folded); see :func:`assistant.grounding.rendering.negations_in`.
NEGATIONS = _per_language("negations")

#: Nouns counted with a numeric ordinal ("18. Jahrhundert"): the full stop before them ends no sentence.
ORDINAL_NOUNS = frozenset(_LEXICON["ordinal_nouns"])

#: Numbers written as words, per language (folded): "three plays" states a number.
NUMBER_WORDS = _per_language("number_words")

#: Words that open a sentence whose subject the sentence before names ("He is 39 …"), per language (folded).
SUBJECT_PRONOUNS = _per_language("subject_pronouns")
