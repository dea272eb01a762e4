"""The facts a sentence states and whether its source holds them: numbers, months, names, institution
words, titles; and the form checks (a loop, a restated question). The checks a citation must pass are put
together by :class:`assistant.grounding.verifier.Verifier`.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Sequence

from assistant.grounding.titles import miscast_titles
from assistant.text.countries import (
    COUNTRY_ALIASES,
    COUNTRY_NAMING_WORDS,
    COUNTRY_WORDS,
    QUALIFIED_COUNTRIES,
    countries_named,
    country_aliases,
)
from assistant.text.folding import fold
from assistant.text.lexicon import (
    COMPASS_DIRECTIONS,
    GENERIC_WORDS,
    INSTITUTION_TRANSLATIONS,
    INSTITUTION_WORDS,
    PERSON_TITLES,
    titles_named,
)
from assistant.text.months import MONTHS, dated, needs_number, numbered_months, ordinary_in_lower_case
from assistant.text.stopwords import common_words
from assistant.text.words import TOKEN, WORD, bare, bare_words, without_possessive

# --- numbers --------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})+(?![\d])|\d+(?:[.,]\d+)?")


def numbers_in(text: str) -> set[str]:
    """Numbers as canonical strings: thousands separators removed, decimal comma → point."""
    out: set[str] = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(0)
        groups = re.split(r"[.,\u00a0\u202f ]", raw)
        if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
            value = "".join(groups)  # 6.000 / 6,000 / 6 000
        else:
            value = raw.replace(",", ".")
        value = value.lstrip("0") or "0"
        if "." in value:
            whole, frac = value.split(".", 1)
            frac = frac.rstrip("0")
            value = f"{whole or '0'}.{frac}" if frac else (whole or "0")
        out.add(value)
    return out


#: Roman numerals of two letters or more, of I, V and X, after a capitalised word number a ruler, a pope or a
#: war ("Wilhelm II", "Louis XIV", "World War II"). One letter is left alone ("I" is the English pronoun, "X"
#: or "V" alone as often a letter: "Generation X"), and so are C, D, L and M, which write acronyms ("Washington
#: DC", "John Smith MD") more often than numbers after a name.
_ROMAN_AFTER_NAME = re.compile(r"\b[A-Z][\w'’.-]*\s+([IVX]{2,})(?![\w-])")
_ROMAN_NUMERAL = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"X": 10, "V": 5, "I": 1}


def roman_numbers_in(text: str) -> dict[str, str]:
    """The Roman numerals ``text`` numbers someone or something by, value (as :func:`numbers_in` writes
    numbers) → as written ("Kaiser Wilhelm II" → {"2": "II"})."""
    out: dict[str, str] = {}
    for match in _ROMAN_AFTER_NAME.finditer(text):
        roman = match.group(1)
        if _ROMAN_NUMERAL.fullmatch(roman):
            values = [_ROMAN_VALUES[c] for c in roman]
            out[str(sum(-v if v < after else v for v, after in zip(values, values[1:] + [0])))] = roman
    return out


def number_forms(text: str) -> set[str]:
    """The ways a translation may write the numbers of ``text``: as written there, and each value with its
    thousands grouped by a comma, a full stop or not at all, its decimals after a point or a comma ("711.988"
    → "711,988", "711988"; "56,2" → "56.2"). Each form is one that :func:`numbers_in` reads as the same
    number, so a translation decoded to these forms states no number its original does not."""
    return set().union(*number_sequence(text))


def number_sequence(text: str) -> list[set[str]]:
    """The numbers of ``text`` in reading order, each as the set of its :func:`number_forms`."""
    sequence: list[set[str]] = []
    for match in _NUMBER.finditer(text):
        raw = re.sub(r"[\u00a0\u202f]", " ", match.group(0))
        forms = {raw}
        for value in numbers_in(raw):
            whole, _, frac = value.partition(".")
            grouped = [whole]
            if len(whole) > 3:
                groups = [whole[max(0, i - 3) : i] for i in range(len(whole), 0, -3)][::-1]
                grouped += [",".join(groups), ".".join(groups)]
            for w in grouped:
                forms |= {f"{w}.{frac}", f"{w},{frac}"} if frac else {w}
        forms = {f for f in forms if numbers_in(f) <= numbers_in(text)}
        if forms:
            sequence.append(forms)
    return sequence

# --- months ---------------------------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\s*[/.]\s*(\d{1,2})(?:\s*[/.]\s*(\d{2,4}))?\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def months_in(text: str, *, loose: bool, certain: bool = False) -> set[int]:
    """Months mentioned. ``loose`` also reads numeric dates (10/5, 10.5.2024, 2024-05-10), for sources;
    ``certain`` reads a name only capitalised or beside a number ("They march" names no March; "en mai",
    French, is left unread too)."""
    folded = fold(text)
    written = TOKEN.findall(text)
    words = [fold(w) for w in written]
    out: set[int] = set()
    for i, word in enumerate(words):
        month = MONTHS.get(word)
        if month is None:
            continue
        if needs_number(word):  # "May 10", "10 Mei", "set 2024"; not "the set {0,1}" nor "may 0"
            if not dated(words, i, before_only=ordinary_in_lower_case(written[i])):
                continue
        elif certain and not written[i][:1].isupper() and not dated(words, i):
            continue
        out.add(month)
    out.update(numbered_months(folded))
    if loose:
        for day, month, _ in _NUMERIC_DATE.findall(folded):
            if 1 <= int(day) <= 31 and 1 <= int(month) <= 12:
                out.add(int(month))
        for _, month, _ in _ISO_DATE.findall(folded):
            if 1 <= int(month) <= 12:
                out.add(int(month))
    return out


# --- names ----------------------------------------------------------------------------------------------

#: A country's formal name states nothing its short name does not: "the Republic of Korea" is "Korea", and
#: a source that says "Korea" (or "Hàn Quốc") supports it. Without this, "Republic" was an institution word
#: missing from the source and a correct written point was refused.
_FORMAL_COUNTRY = re.compile(
    r"\b(?:(?:Socialist|Federal|Democratic|Islamic|Arab|People's|People’s)\s+)*Republic\s+of\s+(?:the\s+)?"
    r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
)


def short_country_names(text: str) -> str:
    """``text`` with formal country names in their short form ("the Republic of Korea" → "the Korea")."""
    def short(match: re.Match[str]) -> str:
        is_country = any(w in COUNTRY_ALIASES for w in TOKEN.findall(fold(match.group(1))))
        return match.group(1) if is_country else match.group(0)

    return _FORMAL_COUNTRY.sub(short, text)


def _variant_in(variant: str, folded_source: str) -> bool:
    """An institution word's translation in the source: at the start of a word, or for a long variant also
    as the head of a compound ("technolog" in "Digitaltechnologie", "kommunikation" in
    "Telekommunikation"); a short variant ("plan", "bo ") inside a word would match unrelated words."""
    if re.search(r"(?<!\w)" + re.escape(variant), folded_source):
        return True
    return len(variant) >= 7 and variant in folded_source


def names_in(text: str, lang: str = "en") -> list[str]:
    """Proper names (folded) a sentence asserts: capitalised words that are not generic, and acronyms.

    For English every capitalised non-generic word counts. In languages that capitalise nouns (German) or
    that we have no word list for, only acronyms and runs of two or more capitalised words count.

    A first word capitalised only because it opens the sentence is no name: one of the language's common
    words there ("Another term for it …", "Die Stadt …") is read as written in lower case. Counted as a name,
    it failed a right sentence whose source does not happen to use that word ("not in the cited passage:
    another").
    """
    words = bare_words(text)
    common = common_words(lang)
    capitalised = [
        bool(w) and w[0].isupper() and not (i == 0 and not w.isupper() and w.casefold() in common)
        for i, w in enumerate(words)
    ]
    out: list[str] = []
    for i, word in enumerate(words):
        if len(word) < 2 or not capitalised[i]:
            continue
        folded = fold(word)
        if word.isupper():  # acronym: ICT, CMC, VKIST
            if folded not in GENERIC_WORDS:
                out.append(folded)
            continue
        if lang == "en":
            if folded not in GENERIC_WORDS and folded not in MONTHS:
                out.append(folded)
        elif i > 0 and any(capitalised[max(0, i - 1) : i] + capitalised[i + 1 : i + 2]):
            out.append(folded)
    return list(dict.fromkeys(out))


def facts_in(text: str, lang: str = "en") -> set[str]:
    """The checkable facts a sentence states: its numbers, months ("month 5") and names."""
    return numbers_in(text) | {f"month {m}" for m in months_in(text, loose=False)} | set(names_in(text, lang))


#: Folded words that are translated rather than carried over between languages: countries and cities in
#: their local forms, institution words and their translations, months.
_TRANSLATED = (
    GENERIC_WORDS
    | INSTITUTION_WORDS
    | set(MONTHS)
    | COUNTRY_WORDS
    | {part for forms in INSTITUTION_TRANSLATIONS.values() for form in forms for part in form.split()}
)


def dropped_names(point: str, sentence: str, sentence_lang: str, carried: Callable[[str], bool]) -> list[str]:
    """The names of ``sentence`` that a restatement of it (``point``) leaves out.

    Only names that are written the same in every language count: the words of ``sentence``'s names that
    ``carried`` confirms (the brief asks whether documents in other languages write the word the same way:
    "Choi Youngsam" and "OpenRAN" yes, the Indonesian title "Duta Besar Luar Biasa" no), minus countries,
    institution words and months, which a restatement translates. "Minister Hung received ambassador Choi
    Youngsam" restated as "Minister Hung received the information" is faithful as far as it goes, but a
    reader of the brief would never learn whom he met.
    """
    folded = fold(point)
    return [w for w in kept_names(sentence, sentence_lang, carried) if not re.search(r"(?<!\w)" + re.escape(w), folded)]


def kept_names(sentence: str, sentence_lang: str, carried: Callable[[str], bool]) -> list[str]:
    """The words (folded) of ``sentence``'s names that every restatement of it must keep (see :func:`dropped_names`)."""
    candidates = dict.fromkeys(
        part
        for name in names_in(sentence, sentence_lang)
        for part in name.split("-")
        if len(part) >= 3 and part not in _TRANSLATED
    )
    return [w for w in candidates if carried(w)]


def names_as_written(text: str, words: Sequence[str]) -> list[str]:
    """The names of ``text`` that hold one of ``words`` (folded), as ``text`` writes them: runs of capitalised
    words ("Dà Nang", "Nguyen Manh Hung", "Choi Youngsam"), without titles, countries and other words a
    restatement translates at their ends ("Ambassador", "Vietnam")."""
    wanted = set(words)
    runs: list[list[str]] = []
    last_end = None
    for m in WORD.finditer(text):
        word = without_possessive(bare(m.group(0)))  # "Youngsam's"
        if not word[:1].isupper():
            last_end = None
            continue
        if last_end is not None and not text[last_end : m.start()].strip():
            runs[-1].append(word)
        else:
            runs.append([word])
        last_end = m.end()

    def translated(word: str) -> bool:
        return len(word) >= 3 and fold(word) in _TRANSLATED and fold(word) not in wanted

    out = []
    for run in runs:
        while run and translated(run[0]):
            run = run[1:]
        while run and translated(run[-1]):
            run = run[:-1]
        if any(fold(w) in wanted for w in run):
            out.append(" ".join(run))
    return list(dict.fromkeys(out))


_RE_ER = re.compile(r"\b(\w{4,})(re|er)\b")


def spellings(name: str) -> tuple[str, ...]:
    """``name`` and its other English spelling of a final "-re"/"-er": the model writes "Summer Theatre" as
    the question does while the source's translation (and German) writes "theater"; "Centre"/"Center",
    "Metre"/"Meter" alike. The other spelling must still stand in the source, so "Peter" read as "Petre"
    finds nothing new."""
    swapped = _RE_ER.sub(lambda m: m.group(1) + ("er" if m.group(2) == "re" else "re"), name)
    return (name, swapped) if swapped != name else (name,)


def _name_found(name: str, folded_text: str, squashed_text: str, aliases: tuple[str, ...] | None = None) -> bool:
    for alias in aliases or COUNTRY_ALIASES.get(name, spellings(name)):
        if alias in folded_text or alias.replace(" ", "") in squashed_text:
            return True
    # Possessive or inflected forms: "Korea's", "Koreas" — compare the stem.
    stem = re.sub(r"('s|’s|s)$", "", name)
    if len(stem) >= 4 and stem in folded_text:
        return True
    # Names joined by a hyphen, each in the text: "the Vietnam-Korea relationship" for "… between Vietnam and
    # Korea" (parts of four letters or more: "ho" of "Jong-ho" stands in too many words to count as found).
    parts = name.split("-")
    return len(parts) > 1 and all(len(p) >= 4 and _name_found(p, folded_text, squashed_text) for p in parts)


# --- the verifier ---------------------------------------------------------------------------------------


def restates(sentence: str, question: str) -> bool:
    """True when ``sentence`` only repeats words of ``question``: "The Korean ambassador to Vietnam mentioned
    in the articles [4]." for "Who is the Korean ambassador to Vietnam mentioned in the articles?". Such a
    sentence is close to every passage about the topic and names no fact that could fail, yet answers
    nothing; it would stand in the way of quoting the sentence that does answer."""
    def words(text: str) -> set[str]:
        return {fold(w.group(0)) for w in WORD.finditer(text)} | set(re.findall(r"\d+", text))

    said = {w for w in words(sentence) if len(w) > 2 or w.isdigit()}
    return bool(said) and said <= words(question)


def is_repetitive(text: str) -> bool:
    """Degenerate output: a word or a phrase of up to four words three times in a row, or under 40 %
    distinct words in 8 or more.

    A tiny model sometimes loops ("… des anderen anderen anderen anden, anden, …", "(Photo: VNA) (Photo:
    VNA) (Photo: VNA)"); such a sentence can still sit close to its source in e5 and name no fact that
    could fail, so it is refused by form.
    """
    words = [fold(w.group(0)) for w in WORD.finditer(text)]
    for size in range(1, 5):
        for i in range(len(words) - 3 * size + 1):
            if words[i : i + size] == words[i + size : i + 2 * size] == words[i + 2 * size : i + 3 * size]:
                return True
    return len(words) >= 8 and len(set(words)) < 0.4 * len(words)


def institution_words_in(text: str) -> list[str]:
    """Institution and title words (folded) capitalised inside ``text``, where they belong to a name.

    The first word is capitalised anyway ("Development of …", "State funding …" name no office), so it counts
    only when it is a person's title and a capitalised word follows: "Ambassador Nguyen Manh Hung stated …"
    for "Minister Nguyen Manh Hung teilte mit …" put the minister in another office at the one place the
    check did not look."""
    words = [m.group(0) for m in WORD.finditer(text)]
    capitalised = [bool(w[0].isupper() and not w.isupper()) for w in words]
    out = [fold(w) for w, cap in zip(words[1:], capitalised[1:]) if cap and fold(w) in INSTITUTION_WORDS]
    if len(words) > 1 and capitalised[0] and words[1][0].isupper() and fold(words[0]) in PERSON_TITLES:
        out.insert(0, fold(words[0]))
    return list(dict.fromkeys(out))


def institutions_not_in(english: str, folded_source: str) -> list[str]:
    """The institution and title words capitalised in ``english`` whose translations (the lexicon's
    table) ``folded_source``, in another language, does not hold: "Minister of Industry" or "the
    Ambassador" where the source names the Ministry of Information or the minister. Words without an entry
    in the table are not checked."""
    out = []
    for word in institution_words_in(english):
        variants = INSTITUTION_TRANSLATIONS.get(word) or INSTITUTION_TRANSLATIONS.get(word.removesuffix("s"))
        if variants and not any(_variant_in(v, folded_source) for v in variants):
            out.append(word)
    return out


def titles_not_in(text: str, folded_source: str) -> list[str]:
    """A person's titles ``text`` writes in another form than the English one (:func:`titles_named`:
    "Bộ trưởng", "Botschafter", "ambassadeur") whose English title no form in ``folded_source`` names:
    "Bürgermeister" (mayor) for "Menteri" (minister). The other languages' side of :func:`institutions_not_in`,
    from the same table; a form that names several titles ("Chủ tịch": chairman or president) is not read."""
    return [
        written for written, title in titles_named(text)
        if not any(_variant_in(v, folded_source) for v in INSTITUTION_TRANSLATIONS[title])
    ]


def countries_not_in(text: str, source_text: str, source_lang: str | None = None, lang: str = "en") -> list[str]:
    """The countries ``text`` (written in ``lang``) names that ``source_text``,
    in any language read, does not name (CLDR's names, see :mod:`assistant.text.countries`): "China has
    become an important strategic partner of Vietnam" for "Hàn Quốc đã trở thành … đối tác chiến lược …"
    (Korea) keeps every number and passes for close. A country's ISO code in the source names it ("VN").
    A compass word that tells one country of a word from another must be the source's too: "North Korea"
    for a source saying only "Korea" (or "Hàn Quốc", South Korea) names a country the source does not; so
    must a name of words that name other things too ("the United States", "Sri Lanka"), or its code
    ("USA", "UK"). With ``source_lang``, another language's name of the country standing as written is a
    name, not the country (:func:`_names_country`): "Poland" is not in "Polonia Warschau".

    A sentence in another language names a country by that language's name of it
    (:func:`~assistant.text.countries.countries_named`): "Yoweri Kaguta est né au Rwanda, dans le sud-ouest
    de l'Ouganda" passed for a source naming only l'Ouganda, since French names of one capitalised word are
    not read as names. The names of several words are read in English only (no country is left unread:
    "Corée" of "Corée du Nord" is still Korea)."""
    folded = fold(short_country_names(source_text))
    squashed = folded.replace(" ", "")
    folded_text = fold(text)
    named = countries_named(text, lang)
    codes = set(re.findall(r"\b[A-Z]{2}\b", source_text))
    missing = [
        w for w in named
        if not _names_country(w, folded, squashed, source_lang)
        and not codes.intersection(COUNTRY_NAMING_WORDS[w])
    ]
    if lang != "en":
        return missing
    acronyms = re.findall(r"\b[A-Z]{2,4}\b", source_text)
    missing += [
        name for name, (names, code) in QUALIFIED_COUNTRIES.items()
        if name.split()[1] not in missing and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded_text)
        and not _inflected_country(names).search(folded) and not _abbreviated(name, code, acronyms)
    ]
    return missing + [name for name in _compass_added(folded_text, folded) if name.split()[1] not in missing]


#: English words of a direction ("north", "northern", "northeast", "southwestern") → the direction they start
#: with; not a word that only begins like one ("Southampton").
_DIRECTION_WORDS = {
    first + second + ending: first
    for first in COMPASS_DIRECTIONS
    for second in (("", "east", "west") if first in ("north", "south") else ("",))
    for ending in ("", "ern")
}


def _compass_added(folded_text: str, folded_source: str) -> list[str]:
    """The countries a (folded) English text qualifies by a direction its (folded) source does not write in
    any language read: "the ambassador of North Vietnam in Vietnam" for "des Botschafters Koreas in Vietnam".
    A direction that makes a country of its own ("North Korea", "South Sudan") is the qualified countries'
    check; "Northern", "north-east" count as north."""
    tokens = TOKEN.findall(folded_text)
    out = []
    for word, country in zip(tokens, tokens[1:]):
        direction = _DIRECTION_WORDS.get(word)
        if direction is None or country not in COUNTRY_NAMING_WORDS or f"{direction} {country}" in QUALIFIED_COUNTRIES:
            continue
        if not any(re.search(rf"(?<!\w){form}", folded_source) for form in COMPASS_DIRECTIONS[direction]):
            out.append(f"{direction} {country}")
    return list(dict.fromkeys(out))


def _names_country(word: str, folded: str, squashed: str, source_lang: str | None) -> bool:
    """Whether a (folded) source names the country an English ``word`` names. Any language's name of it
    counts (a sentence quotes, a language borrows), inflected or inside a compound ("norwegischen",
    "Nordafrikas"), except that a name only other languages than ``source_lang`` and English give the country,
    standing exactly as they write it, is the name of something else: German "Polonia Warschau" is a football
    club (Spanish and Italian write Poland "Polonia", German "Polen") — see
    :func:`~assistant.text.countries.country_aliases`."""
    own = country_aliases(word, source_lang)
    if _name_found(word, folded, squashed, own) or _inflected_country(own).search(folded):
        return True
    foreign = tuple(a for a in COUNTRY_ALIASES[word] if a not in own)
    if not foreign:
        return False
    rest = _as_written(foreign).sub(" ", folded)
    return _name_found(word, rest, rest.replace(" ", ""), foreign) or bool(_inflected_country(foreign).search(rest))


@functools.lru_cache(maxsize=None)
def _as_written(names: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``names`` standing exactly as written, a whole word (or words)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in names) + r")(?!\w)")


def _abbreviated(name: str, code: str, acronyms: list[str]) -> bool:
    """Whether one of a source's upper-case ``acronyms`` stands for the country ``name`` (folded English,
    ISO ``code``): its code or its initials, or one of them lengthened ("US", "USA"; "UK"; "UAE")."""
    initials = "".join(word[0] for word in name.split()).upper()
    return any(a.startswith((code, initials)) for a in acronyms)


#: Scripts written without spaces between words, where a name is found inside a run of letters.
_UNSPACED_SCRIPT = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@functools.lru_cache(maxsize=None)
def _inflected_country(names: tuple[str, ...]) -> re.Pattern[str]:
    """Any of a country's ``names`` standing as words, each word inflected: CLDR writes "Vereinigte
    Staaten", a sentence "der Vereinigten Staaten" (or "HoaKỳ" run together). A word of five letters or more
    may change its last letter and take an ending, one of four an ending of up to two letters ("Irans"),
    a shorter one none: "USA" must not be read inside "Berkuasa" or "usaha" (Indonesian "business"), which
    let "the Ambassador of the United States" pass for "Duta Besar Luar Biasa dan Berkuasa Penuh Republik
    Korea". Names in scripts written without spaces (Chinese, Japanese, Thai) are found anywhere."""
    def inflected(word: str) -> str:
        if len(word) >= 5:
            return re.escape(word[:-1]) + r"\w*"
        return re.escape(word) + (r"\w{0,2}" if len(word) == 4 else "")

    def pattern(name: str) -> str:
        if _UNSPACED_SCRIPT.search(name):
            return re.escape(name.replace(" ", ""))
        return r"(?<!\w)" + r"\s*".join(inflected(w) for w in name.split()) + r"(?!\w)"

    return re.compile("|".join(pattern(a) for a in names))



def missing_with_context(
    sentence: str, source_text: str, context: str | None, lang: str = "en", *, same_language: bool = False
) -> list[str]:
    """:func:`missing_facts` of ``sentence`` in ``source_text``, or, where some are missing and the source
    opens with a pronoun, in ``context`` (the sentence before it, where "he" or "it" is named) and the source
    read together."""
    missing = missing_facts(sentence, source_text, lang, same_language=same_language)
    if missing and context:
        missing = missing_facts(sentence, f"{context} {source_text}", lang, same_language=same_language)
    return missing


def missing_facts(sentence: str, source_text: str, lang: str = "en", *, same_language: bool = False) -> list[str]:
    """The numbers, months, names and countries of ``sentence`` that ``source_text`` does not contain.

    The institution words of names count too: "the Ministry of Industry and Trade" fails against a source
    that names the Ministry of Information and Communications — word for word when sentence and source
    share a language (``same_language``), through a small table of their translations when an English
    sentence cites a source in another language. When all of that is in the source, a person's title must
    still be the one the source gives that person (see :mod:`assistant.grounding.titles`).
    """
    missing: list[str] = []
    sentence = short_country_names(sentence)
    have_numbers = numbers_in(source_text)
    missing += [n for n in sorted(numbers_in(sentence)) if n not in have_numbers]
    have_months = months_in(source_text, loose=True)
    missing += [f"month {m}" for m in sorted(months_in(sentence, loose=False)) if m not in have_months]
    folded = fold(source_text)
    squashed = folded.replace(" ", "")
    missing += [n for n in names_in(sentence, lang) if not _name_found(n, folded, squashed)]
    if same_language:
        missing += [w for w in institution_words_in(sentence) if not _name_found(w, folded, squashed)]
    elif lang == "en":
        missing += institutions_not_in(sentence, folded)
    # the translation check's country test: "North Korea" for a source naming only "Korea"
    missing += [c for c in countries_not_in(sentence, source_text, lang=lang) if c not in {fold(m) for m in missing}]
    if lang == "en" and not missing:  # every word is in the source: are the titles on the right persons?
        missing += miscast_titles(sentence, source_text, same_language=same_language)
    return missing
