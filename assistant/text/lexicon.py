"""Word lists shared by verification, the title check and query translation: what a capitalised word is
when it is not a person's name (country names: :mod:`assistant.text.countries`).

Loaded once from ``data/lexicon.toml`` by :mod:`assistant.text.langdata`, each entry in the form it is
compared in: folded (lower case, no diacritics), except the closed classes of a language whose marks tell
words apart (:func:`closed_class_key`). Kept apart from the checks that use them so that the lists can
grow (another language, another institution) without touching the logic.
"""

from __future__ import annotations

import unicodedata

from assistant.text.folding import fold
from assistant.text.langdata import data_file
from assistant.text.words import TOKEN, bare_words

_LEXICON = data_file("lexicon")

#: Capitalised English words that are not names to check: function words, titles, generic institutions.
GENERIC_WORDS = frozenset(_LEXICON["generic_words"])

#: Words of institutions and titles: capitalised inside a sentence they are part of a name and are checked.
INSTITUTION_WORDS = frozenset(_LEXICON["institution_words"])

#: An English institution word → how the languages we read write it (folded prefixes).
INSTITUTION_TRANSLATIONS: dict[str, list[str]] = dict(_LEXICON["institution_translations"])

#: The English words of that table that are a person's title (see :data:`TITLE_GLOSSARY`).
PERSON_TITLES = frozenset(_LEXICON["person_titles"])


def _title_glossary() -> dict[tuple[str, ...], str]:
    """Other languages' forms of a person's title (as folded words) → the one English title they name;
    forms listed under several titles ("thu tuong": minister, prime, chancellor) are left out."""
    named: dict[tuple[str, ...], set[str]] = {}
    for title in PERSON_TITLES:
        for form in INSTITUTION_TRANSLATIONS[title]:
            words = tuple(form.split())
            if form.strip() in GENERIC_WORDS or form.strip() in _LEXICON["ambiguous_titles"] or any(t.startswith(form.strip()) or form.startswith(t) for t in PERSON_TITLES):
                continue
            named.setdefault(words, set()).add(title)
    return {words: next(iter(titles)) for words, titles in named.items() if len(titles) == 1}


#: See :func:`_title_glossary`; read by :func:`titles_named`.
TITLE_GLOSSARY = _title_glossary()


def titles_named(sentence: str) -> list[tuple[str, str]]:
    """(the words as ``sentence`` writes them, the English title) for each person's title in another
    language's form ("Duta Besar" → "ambassador", "Bộ trưởng" → "minister"). The last word of a form is a
    prefix, as in the table ("Botschafters"). In reading order, so a prompt is the same every run."""
    words = bare_words(sentence)  # "the Botschafters’ tenure"
    folded = [fold(w) for w in words]

    def at(i: int, form: tuple[str, ...]) -> bool:
        n = len(form)
        return i + n <= len(words) and list(form[:-1]) == folded[i : i + n - 1] and folded[i + n - 1].startswith(form[-1])

    found: list[tuple[int, str, str]] = []
    for form, title in TITLE_GLOSSARY.items():
        for i in range(len(words)):
            # not part of a longer name of something else: "đại sứ quán" is the embassy, not the ambassador
            if at(i, form) and not any(len(f) > len(form) and at(i, f) for f in _INSTITUTION_FORMS):
                found.append((i, " ".join(words[i : i + len(form)]), title))
    return list(dict.fromkeys((written, title) for _, written, title in sorted(found)))  # in reading order


_INSTITUTION_FORMS = [tuple(f.split()) for forms in INSTITUTION_TRANSLATIONS.values() for f in forms]


#: Nationality adjectives: part of a title ("Korean Minister of Science and ICT"), never a person's name.
NATIONALITIES = frozenset(_LEXICON["nationalities"])


#: Languages whose diacritics tell words apart: their closed classes are compared with the marks kept.
MARKED_LANGUAGES = frozenset(_LEXICON["marked_languages"])


def closed_class_key(text: str, lang: str | None) -> str:
    """``text`` in the form ``lang``'s closed classes (negations, number words, pronouns) are compared in:
    folded, as every comparison of words is, except in a language whose marks tell words apart — folded,
    Vietnamese "dùng" (use) would be "đừng" (don't) and "sau" (after) "sáu" (six)."""
    if lang in MARKED_LANGUAGES:
        return unicodedata.normalize("NFC", text.casefold())
    return fold(text)


def closed_class_words(text: str, lang: str | None) -> list[str]:
    """The words of ``text`` as ``lang``'s closed classes are compared, in reading order."""
    return TOKEN.findall(closed_class_key(text, lang))


def _per_language(table: str) -> dict[str, frozenset[str]]:
    """A table of ``lexicon.toml`` that lists words per language code, each in its compared form."""
    return {lang: frozenset(closed_class_key(w, lang) for w in words) for lang, words in _LEXICON[table].items()}


#: Words that negate, per language; see :func:`assistant.grounding.rendering.negations_in`.
NEGATIONS = _per_language("negations")

#: Phrases that hold a negation word and negate nothing ("hàng không", aviation), per language.
NEGATION_IDIOMS = _per_language("negation_idioms")

#: Nouns counted with a numeric ordinal ("18. Jahrhundert"): the full stop before them ends no sentence.
ORDINAL_NOUNS = frozenset(_LEXICON["ordinal_nouns"])

#: Numbers written as words, per language: "three plays" states a number.
NUMBER_WORDS = _per_language("number_words")

#: Words that open a sentence whose subject the sentence before names ("He is 39 …"), per language.
SUBJECT_PRONOUNS = _per_language("subject_pronouns")

#: Per language, per kind of answer ("date", "number"), the phrases that ask for it, as compared words,
#: each marked whether it counts only where the question opens with it; see
#: :func:`assistant.grounding.answer_type.expected_answer`.
QUESTION_WORDS: dict[str, dict[str, tuple[tuple[bool, tuple[str, ...]], ...]]] = {
    lang: {
        kind: tuple((p.startswith("^"), tuple(closed_class_words(p.removeprefix("^"), lang))) for p in phrases)
        for kind, phrases in kinds.items()
    }
    for lang, kinds in _LEXICON["question_words"].items()
}

#: Words that join two numbers into one range, score or ratio ("0,3 bis 0,6"), per language.
NUMBER_JOINERS = _per_language("number_joiners")

#: Each English direction of the compass → how the languages read write it (folded, a word's start).
COMPASS_DIRECTIONS: dict[str, tuple[str, ...]] = {d: tuple(forms) for d, forms in _LEXICON["compass_directions"].items()}
