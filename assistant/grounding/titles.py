"""Who holds which title: a person's title in a sentence must be the one the cited source gives them.

Every word of "Minister of Information and Communications Lee Jong-ho (Photo: VNA)" occurs in its source,
the caption "Minister of Information and Communications Nguyen Manh Hung and Korean Minister of Science and
ICT Lee Jong-ho (Photo: VNA)", and the sentence sits close to it in e5; yet it gives Lee Jong-ho the other
minister's office. A tiny model builds such sentences from the words in front of it, and a reader who
trusts the citation is misled about who is who. So, for each person named with a title in an English
sentence, the title words in front of the name (institution words, acronyms, nationalities) must be among
the title words in front of the same name in the source:

* in a source in English, the title phrase is read the same way as in the sentence;
* in a source in another language, the English title words are looked up through their translations
  (:data:`assistant.text.lexicon.INSTITUTION_TRANSLATIONS`) in the few words before the name; words without a
  translation entry, and nationalities, are not checked across languages.

A source that names the person without a title in front (or with the title after the name) cannot
contradict the sentence, so the check passes: it refuses a title only when the source gives the person a
different one.

Who acts is checked too (:func:`replaced_actor`). Asked "What did the ambassador propose?", the model wrote
"The ambassador proposed a more intense cooperation … [1]" from "The Minister is convinced that there will
be a more intense cooperation … during the ambassador's tenure": every word is in the source and e5 puts the
two close, but the source says what the minister expects, not what the ambassador proposed. When the
sentence and its source both open with an office holder ("The ambassador …", "Minister … Nguyen Manh Hung,
hopes …"), they must share one, unless the sentence still names the source's one elsewhere ("Prime Minister
Abe met President Obama" for "President Obama met Prime Minister Abe"). English only: the opening is read up
to the first lower-case word that is not a common one (stopwords-iso), past names, nationalities, numbers
and the words that join a title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.lexicon import (
    INSTITUTION_TRANSLATIONS,
    INSTITUTION_WORDS,
    NATIONALITIES,
    PERSON_TITLES,
)
from assistant.text.names import folded_word, is_name_part
from assistant.text.stopwords import common_words
from assistant.text.words import WORD

#: Words and the punctuation that ends a title phrase.
_TOKEN = re.compile(rf"{WORD.pattern}|\d+|[^\w\s]")
#: Words that join the parts of a title: "Minister of Science and ICT", "Ministry for Digital Affairs".
_CONNECTORS = {"of", "and", "for", "the", "&"}
#: Words before a name searched for the title in a source in another language.
_WINDOW = 8
_ALL_VARIANTS = [v for forms in INSTITUTION_TRANSLATIONS.values() for v in forms]
#: Words read at most at the opening of a sentence for the office holder it speaks of.
_OPENING_WORDS = 16
#: Marks that end a sentence's opening (a comma or a bracket does not: "Minister …, Nguyen Manh Hung, hopes").
_OPENING_ENDS = set(".;:!?")


@dataclass(frozen=True)
class _Token:
    text: str
    folded: str

    @property
    def word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def acronym(self) -> bool:
        return self.word and len(self.text) >= 2 and self.text.isupper()

    @property
    def name_part(self) -> bool:
        """Part of a person's name (see :func:`assistant.text.names.is_name_part`)."""
        return self.word and is_name_part(self.text)

    @property
    def title_part(self) -> bool:
        return self.word and (
            self.acronym or self.folded in INSTITUTION_WORDS or self.folded in NATIONALITIES or self.folded in _CONNECTORS
        )


def _tokens(text: str) -> list[_Token]:
    """Words (folded, a possessive "’s" dropped: "Vietnam’s" is the country) and punctuation marks."""
    return [_Token(m.group(0), folded_word(m.group(0))) for m in _TOKEN.finditer(text)]


def _names(tokens: list[_Token]) -> list[tuple[int, int]]:
    """Spans [start, end) of runs of name parts."""
    spans, i = [], 0
    while i < len(tokens):
        if tokens[i].name_part:
            j = i
            while j < len(tokens) and tokens[j].name_part:
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def _title_before(tokens: list[_Token], start: int) -> set[str]:
    """The title words (folded) of the phrase right before ``tokens[start]``: institution words, acronyms and
    nationalities, with the connectors between them; empty when the phrase holds no institution word."""
    i = start
    while i > 0 and tokens[i - 1].title_part:
        i -= 1
    words = {t.folded for t in tokens[i:start] if t.folded not in _CONNECTORS}
    return words if words & INSTITUTION_WORDS else set()


def _occurrences(tokens: list[_Token], name: tuple[str, ...], extend: bool) -> list[int]:
    """Where ``name`` occurs in ``tokens``; with ``extend``, where the whole name run around it begins
    ("Hung" in "Nguyen Manh Hung" starts at "Nguyen"). Not across languages: a German noun before a name
    ("… und Kommunikation Nguyen Manh Hung") looks like a name part."""
    out = []
    for i in range(len(tokens) - len(name) + 1):
        if tuple(t.folded for t in tokens[i : i + len(name)]) == name:
            while extend and i > 0 and tokens[i - 1].name_part:
                i -= 1
            out.append(i)
    return out


def _same_language_ok(title: set[str], source: list[_Token], at: int) -> bool | None:
    """Whether the title phrase in front of the name in the source holds ``title``; None when there is none."""
    found = _title_before(source, at)
    return None if not found else title <= found


def _other_language_ok(title: set[str], source: list[_Token], at: int, names: set[str]) -> bool | None:
    """The title words in the few words before the name, up to a punctuation mark or another person the
    sentence names ("Minister Nguyen Manh Hung empfing Botschafter Choi Youngsam": Choi's title is
    "Botschafter" alone)."""
    window: list[str] = []
    for t in reversed(source[max(0, at - _WINDOW) : at]):
        if (not t.word and t.text not in "-–") or t.folded in names:  # a comma or a full stop ends the phrase
            break
        window.insert(0, t.folded)
    text = " " + " ".join(window) + " "
    if not any(" " + v in text for v in _ALL_VARIANTS):
        return None  # no title words before the name: the source cannot contradict the sentence
    for word in title:
        variants = INSTITUTION_TRANSLATIONS.get(word) or INSTITUTION_TRANSLATIONS.get(word.removesuffix("s"))
        if variants and not any(" " + v in text for v in variants):
            return False
    return True


def miscast_titles(sentence: str, source_text: str, *, same_language: bool) -> list[str]:
    """The persons of an English ``sentence`` whose title the source gives differently, as
    "Lee Jong-ho as Minister of Information and Communications"."""
    tokens = _tokens(sentence)
    source = _tokens(source_text)
    spans = _names(tokens)
    named = {t.folded for a, b in spans for t in tokens[a:b]}
    out = []
    for start, end in spans:
        title = _title_before(tokens, start)
        if not title:
            continue
        name = tuple(t.folded for t in tokens[start:end])
        verdicts = [
            _same_language_ok(title, source, at) if same_language else _other_language_ok(title, source, at, named)
            for at in _occurrences(source, name, extend=same_language)
        ]
        if verdicts and not any(v is None or v for v in verdicts):
            phrase_start = start
            while phrase_start > 0 and tokens[phrase_start - 1].title_part:
                phrase_start -= 1
            while tokens[phrase_start].folded in _CONNECTORS:
                phrase_start += 1
            title_text = " ".join(t.text for t in tokens[phrase_start:start])
            out.append(f"{' '.join(t.text for t in tokens[start:end])} as {title_text}")
    return out


def person_names(text: str) -> list[str]:
    """Runs of two or more capitalised words that are no title, country or generic word: "Lee Jong-ho",
    "Choi Youngsam" (folded). In German, two capitalised nouns in a row can pass for one. A run that a
    capitalised institution word follows names the institution, not a person: "Seoul Cyber University",
    "Da Nang University"."""
    tokens = _tokens(text)
    return [
        " ".join(t.folded for t in tokens[a:b])
        for a, b in _names(tokens)
        if b - a >= 2 and not (b < len(tokens) and tokens[b].word and tokens[b].text[0].isupper()
                               and tokens[b].folded in INSTITUTION_WORDS)
    ]


def _office(token: _Token) -> str | None:
    """The English person title ``token`` is ("minister", "Ambassadors" → "ambassador"), if any."""
    if not token.word:
        return None
    word = token.folded
    return word if word in PERSON_TITLES else word[:-1] if word.endswith("s") and word[:-1] in PERSON_TITLES else None


def opening_offices(text: str) -> set[str]:
    """The person titles at the opening of an English ``text``, its subject as far as words tell without a
    parser: read up to the first lower-case word that is not a common one ("The Minister is convinced" →
    minister; "Minister for Information and Communication, Nguyen Manh Hung, hopes" → minister; "In 2000, the
    ambassador said the minister …" → both, "said" being common)."""
    common = common_words("en")
    found: set[str] = set()
    for token in _tokens(text)[:_OPENING_WORDS]:
        if not token.word:
            if token.text in _OPENING_ENDS:
                break
            continue
        office = _office(token)
        if office:
            found.add(office)
        elif not (token.text[0].isupper() or token.folded in common or token.folded in NATIONALITIES
                  or token.folded in _CONNECTORS):
            break
    return found


def replaced_actor(sentence: str, source_text: str) -> tuple[str, str] | None:
    """(the source's office holder, the sentence's) when an English ``sentence`` opens with another office
    holder than its English source does and no longer names the source's one anywhere: the source's
    statement handed to someone else. None when either opening names no office, or they share one."""
    said, source = opening_offices(sentence), opening_offices(source_text)
    if not said or not source or said & source:
        return None
    if any(_office(t) in source for t in _tokens(sentence)):
        return None
    return min(source), min(said)
