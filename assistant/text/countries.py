"""Country names in every language the assistant reads, from CLDR (via Babel): "Korea" in an English
sentence is supported by "Hàn Quốc", "Südkorea", "Corée" or "Korea Selatan" in its source.

For each word of a country's English name that names it ("korea", "vietnam", "zealand"; not "south" or
"republic", which are generic words), the aliases are the country's names in every language read, folded,
plus the short form a language uses for it when CLDR's name is longer: a word of those names that, in that
language, belongs to the names of exactly the countries the English word names ("Corée" of "Corée du Sud"
and "Corée du Nord", as "Korea" of "South Korea" and "North Korea"). So no list is written by hand, and no
city or seed-specific spelling stands in for a country.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from assistant.text.folding import fold
from assistant.text.langdata import data_file, reading_languages, sister_languages
from assistant.text.words import TOKEN

#: Shortest word of a name that may name a country on its own ("Iran", "Peru"; not "St", "Is").
MIN_WORD = 4


def _country_codes(territories: dict[str, str]) -> list[str]:
    """ISO 3166 alpha-2 codes of countries and territories (CLDR also names regions: "001", "EU", "ZZ")."""
    return sorted(code for code in territories if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "ZZ"})


class _Tables(NamedTuple):
    aliases: dict[str, tuple[str, ...]]
    by_language: dict[str, dict[str, tuple[str, ...]]]
    whole: frozenset[str]
    words: frozenset[str]
    naming: dict[str, tuple[str, ...]]
    qualified: dict[str, tuple[tuple[str, ...], str]]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    from babel import Locale

    generic = frozenset(data_file("lexicon")["generic_words"])
    english = Locale.parse("en").territories
    codes = _country_codes(english)
    named_by: dict[str, set[str]] = defaultdict(set)  # English word → the countries whose name holds it
    for code in codes:
        for word in TOKEN.findall(fold(english[code])):
            if len(word) >= MIN_WORD and word not in generic:
                named_by[word].add(code)
    names: dict[str, dict[str, str]] = {}  # language → country → folded name
    for lang in reading_languages():
        territories = Locale.parse(lang).territories
        names[lang] = {code: fold(territories[code]) for code in codes if code in territories}
    aliases: dict[str, set[str]] = {word: {word} for word in named_by}
    by_language: dict[str, dict[str, set[str]]] = {}  # language → English word → that language's names
    for lang, by_code in names.items():
        holders: dict[str, set[str]] = defaultdict(set)  # word of this language's names → countries
        for code, name in by_code.items():
            for word in TOKEN.findall(name):
                holders[word].add(code)
        own = by_language[lang] = {}
        for word, countries in named_by.items():
            own[word] = {by_code[c] for c in countries if c in by_code}
            own[word].update(w for w, held in holders.items() if held == countries and len(w) >= MIN_WORD)
            aliases[word].update(own[word])
    words = frozenset(w for forms in aliases.values() for form in forms for w in form.split())
    english_names = [TOKEN.findall(fold(english[code])) for code in codes if code[0] not in "QX"]  # Q*, X*: not countries
    naming = {
        word: tuple(sorted(countries)) for word, countries in named_by.items()
        if any(name == [word] for name in english_names)
        or all(len(name) == 2 and name[1] == word and name[0] in generic for name in english_names if word in name)
    }
    qualified = {  # "north korea", "united states" → that country's names in every language read, its code
        " ".join(name): (tuple(sorted({by_code[code] for by_code in names.values() if code in by_code})), code)
        for code in codes
        if code[0] not in "QX" and len(name := TOKEN.findall(fold(english[code]))) >= 2
        and (
            (len(name) == 2 and name[0] in generic and len(naming.get(name[1], ())) > 1)
            or not any(word in naming for word in name)  # no word of it names the country alone
        )
    }
    standard = dict(by_language)  # a sister language's names are a language's own (Malay "Perancis")
    for lang, own in standard.items():
        sisters = [standard[s] for s in sister_languages(lang) if s in standard]
        by_language[lang] = {word: forms.union(*(s.get(word, set()) for s in sisters)) for word, forms in own.items()}
    return _Tables(
        {word: tuple(sorted(forms)) for word, forms in aliases.items()},
        {lang: {word: tuple(sorted(forms | {word})) for word, forms in own.items()} for lang, own in by_language.items()},
        frozenset(name[0] for name in english_names if len(name) == 1),
        words, naming, qualified,
    )


def country_aliases(word: str, lang: str | None = None) -> tuple[str, ...]:
    """The folded names of the country an English ``word`` names (a key of :data:`COUNTRY_ALIASES`) — in
    every language read, or with ``lang``, when ``word`` is a country's whole English name ("Poland", not
    "Korea" or "Africa"), only in that language and English. A sentence names a country as its own language
    does: German "Polonia Warschau" is a football club (Spanish and Italian write Poland "Polonia", German
    "Polen"), and its translation "Poland Warsaw" names a country the sentence does not. A word that is only
    part of country names keeps every language's short forms: "Nordafrikas" holds Indonesian "Afrika"."""
    if lang is None or lang not in _tables().by_language or word not in _tables().whole:
        return COUNTRY_ALIASES[word]
    english = _tables().by_language.get("en", {}).get(word, (word,))
    return tuple(sorted(set(english) | set(_tables().by_language[lang].get(word, ()))))


#: A folded English word of a country's name → every folded name of that country in the languages read.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = _tables().aliases
#: Every word of a country's names in any language read ("han", "quoc", "korea"): never a person's name.
COUNTRY_WORDS: frozenset[str] = _tables().words
#: English words that name a country by themselves — a one-word name ("China", "Germany"), or the word after
#: a compass word in every name that holds it ("Korea" of "South Korea" and "North Korea"); not "United",
#: "Western" or "Territory", which a sentence uses of other things — and the ISO codes of their countries,
#: which news copy also writes ("VN").
COUNTRY_NAMING_WORDS: dict[str, tuple[str, ...]] = _tables().naming
#: An English country name of several words that no single word names: one a compass word tells from another
#: country of the same word ("north korea", "south sudan"), or one of words that name other things too
#: ("united states", "sri lanka") → (that country's names in every language read, its ISO code). "North
#: Korea" for a source that says only "Korea", "the United States" for a source naming no such country
#: (a garbled Indonesian title), name a country the source does not.
QUALIFIED_COUNTRIES: dict[str, tuple[tuple[str, ...], str]] = _tables().qualified


#: Shortest name (letters, spaces aside) by which a sentence in another language than English is read as
#: naming a country: Vietnamese "Ý" (Italy) is also the common word "ý" ("ý kiến", an opinion), "Úc"
#: (Australia) too short to tell from a syllable.
MIN_FORM = 3


@lru_cache(maxsize=None)
def _forms_of(lang: str) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """For a language read: the first folded word of each of its names of a country an English naming word
    names → (the name's words, that English word), longest names first."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for word, forms in _tables().by_language.get(lang, {}).items():
        if word not in COUNTRY_NAMING_WORDS:
            continue
        for form in forms:
            words = tuple(TOKEN.findall(form))
            if words and len("".join(words)) >= MIN_FORM:
                by_first[words[0]].append((words, word))
    return {first: tuple(sorted(set(names), key=lambda n: -len(n[0]))) for first, names in by_first.items()}


def countries_named(text: str, lang: str = "en") -> list[str]:
    """The English naming words (keys of :data:`COUNTRY_NAMING_WORDS`) of the countries ``text``, written
    in ``lang``, names: in English by those words themselves ("Korea"); in another language read, by that
    language's own names of the country (CLDR's and the short forms above: French "Rwanda", "Ouganda",
    "Corée", Vietnamese "Hàn Quốc"), written with a capital as names are, so a common word spelled like a
    name is not read as one. A sentence of a language not read names none."""
    return list(dict.fromkeys(m.english for m in country_mentions(text, lang)))


class CountryMention(NamedTuple):
    """A country named in a text: its English naming word, the folded words that name it ("korea", "han
    quoc") and where they stand in the text."""

    english: str
    words: str
    start: int
    end: int


def country_mentions(text: str, lang: str = "en") -> list[CountryMention]:
    """Each country ``text`` names (see :func:`countries_named`), in reading order: which words name it, so
    that a check that refused the country can say which words of the text were wrong (a retry avoids them
    as written), and where, so that two countries' order can be compared across languages."""
    tokens = list(TOKEN.finditer(text))
    folded = [fold(t.group(0)) for t in tokens]
    if lang == "en":
        return [CountryMention(w, w, t.start(), t.end()) for t, w in zip(tokens, folded) if w in COUNTRY_NAMING_WORDS]
    forms = _forms_of(lang)
    named: list[CountryMention] = []
    for i, token in enumerate(tokens):
        if not token.group(0)[0].isupper():
            continue
        for words, english in forms.get(folded[i], ()):
            if tuple(folded[i : i + len(words)]) == words:
                named.append(CountryMention(english, " ".join(words), token.start(), tokens[i + len(words) - 1].end()))
                break
    return named
