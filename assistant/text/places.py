"""City names in every language the assistant reads, from CLDR (via Babel): German "Warschau", French
"Varsovie" and Indonesian "Warsawa" are Warsaw; Vietnamese "Mát-xcơ-va" is Moscow.

The small translation model keeps a city in its source's form ("Warschau was a multi-cultural city"), and
a reader of English does not know where that is; worse, a translation that put another city in its place
passed every check, since nothing compared places. So a sentence's cities written in another form than
the English one are named to the translation prompt with the English name, and any translation must write
each such city in one of its forms (one that keeps the source's form is not refused for it: a reader still
finds the city, and the sentence is not lost).

CLDR names a city for each time zone (its "exemplar city"): about 400, the capitals and the large cities
news is datelined from, each in every language and curated, so no form needs guessing (GeoNames' alternate
names carry no language: German "Namen" and "Liga" are forms of Namur and Riga there). Cities without a
time zone of their own (Kraków, Munich) are not covered.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from assistant.text.folding import fold
from assistant.text.langdata import reading_languages
from assistant.text.stopwords import common_words
from assistant.text.words import WORD

#: Shortest form read as a city ("Rom" is not; "Wien", "Prag" are).
MIN_CHARS = 4
#: Longest form in words ("TP Hồ Chí Minh", "Ho-Chi-Minh-Stadt" is one).
MAX_WORDS = 4


class _Tables(NamedTuple):
    by_language: dict[str, dict[str, str]]  # language → its folded form of a city → the English name
    forms: dict[str, frozenset[str]]  # English name → its folded forms in every language read


def _english_names() -> dict[str, str]:
    """Time zone → the English name of its city, for the zones any language read names a city for (CLDR
    leaves out a name the zone's id already spells: "Europe/Warsaw" is Warsaw). Not "Etc/Unknown", not the
    stations of Antarctica."""
    from babel import Locale

    english = Locale.parse("en").time_zones
    zones = {z for lang in reading_languages() for z, names in Locale.parse(lang).time_zones.items() if names.get("city")}
    return {
        z: english.get(z, {}).get("city") or z.rsplit("/", 1)[-1].replace("_", " ")
        for z in sorted(zones) if not z.startswith(("Etc/", "Antarctica/"))
    }


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    from babel import Locale

    english = _english_names()
    forms: dict[str, set[str]] = defaultdict(set)
    by_language: dict[str, dict[str, str]] = {}
    for lang in reading_languages():
        names = Locale.parse(lang).time_zones
        common = {fold(w) for w in common_words(lang)}
        table: dict[str, str] = {}
        for zone in english:
            city = english[zone]
            written = names.get(zone, {}).get("city") or city
            forms[city] |= {fold(written), fold(city)}
            folded = fold(written)
            if folded != fold(city) and len(folded) >= MIN_CHARS and folded not in common:
                table[folded] = city
        by_language[lang] = table
    return _Tables(by_language, {city: frozenset(f) for city, f in forms.items()})


def exonyms_in(sentence: str, lang: str) -> list[tuple[str, str]]:
    """(the words as ``sentence``, in ``lang``, writes them, the English name) for each city it writes in
    another form than the English one, in reading order: ``"Die Börse in Warschau"`` → ``[("Warschau",
    "Warsaw")]``. A genitive ("Warschaus") is read as the city."""
    table = _tables().by_language.get(lang, {})
    if not table:
        return []
    words = list(WORD.finditer(sentence))
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            run = words[i : i + n]
            if not run[0].group(0)[0].isupper():
                continue
            written = sentence[run[0].start() : run[-1].end()]
            folded = fold(written)
            city = table.get(folded) or (table.get(folded[:-1]) if folded.endswith("s") else None)
            if city:
                found.append((written, city))
                i += n
                break
        else:
            i += 1
    return list(dict.fromkeys(found))


def city_written(city: str, text: str) -> bool:
    """Whether ``text`` writes ``city`` (an English name :func:`exonyms_in` gave) in any language's form."""
    folded = fold(text)
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", folded) for form in _tables().forms.get(city, ()))


def cities_left_out(original: str, original_lang: str, text: str) -> list[str]:
    """The cities ``original`` writes in another form than the English one that ``text`` (its translation)
    writes in no language's form: "Paris" for "Wien" leaves out Vienna."""
    return [city for _, city in exonyms_in(original, original_lang) if not city_written(city, text)]
