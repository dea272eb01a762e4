"""A number said of the wrong one of two parallel statements.

"… Edison received one of 38 possible nominations in 1915 and Tesla received one of 38 possible nominations in
1937": every name and number of "Tesla received a Nobel Prize bid in 1915" stands in that sentence and the two
mean nearly the same, so the checks of facts and of meaning pass it — yet the source says 1915 of Edison. A small
model writes this when one sentence states the same thing of two names, each with its own number.

Only that parallel shape is read, because it says who a number belongs to without parsing: the words that tie
the first name to its number ("received one of 38 possible nominations in") tie the second name to its own
number too. A sentence that gives the first number to the second name, naming neither the first name nor the
second number, has swapped them. Word order alone ("In 1915 Tesla …", "1915 erhielt Edison …") is not trusted:
without the repeated words between name and number no claim is made. Any language, since the shape is
compared within the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.grounding.facts import numbers_in
from assistant.text.folding import fold
from assistant.text.names import is_name_part
from assistant.text.sentences import split_sentences
from assistant.text.stopwords import common_words
from assistant.text.words import WORD

#: A number with its separators ("6,000", "1.5"), or a word of prose (:data:`assistant.text.words.WORD`).
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|" + WORD.pattern)
#: Letters a name is compared by (a possessive or an inflection may follow: "Tesla's", "Teslas").
NAME_PREFIX = 4
#: Share of the words between name and number the two statements must have in common (Jaccard).
PARALLEL = 0.5


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name" or "word"
    keys: frozenset[str]  # a number's canonical forms, a name's first letters, a word folded


@dataclass(frozen=True)
class Misattribution:
    """``number`` belongs to ``owner`` in the source; the sentence gives it to ``said_of``."""

    number: str
    owner: str
    said_of: str

    def reason(self) -> str:
        return f"the source says {self.number} of {self.owner}, not of {self.said_of}"


def _tokens(text: str, lang: str) -> list[tuple[_Token, str]]:
    """Numbers, names and other words in reading order. A first word capitalised only because it opens the
    sentence, one of the language's common words ("Although", "Nevertheless"), is no name."""
    out = []
    common = common_words(lang)
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        if word[0].isdigit():
            out.append((_Token("number", frozenset(numbers_in(word))), word))
        elif (
            is_name_part(word)
            and len(word) >= NAME_PREFIX
            and not (m.start() == 0 and word.casefold() in common)
        ):
            out.append((_Token("name", frozenset({fold(word)[:NAME_PREFIX]})), word))
        else:
            out.append((_Token("word", frozenset({fold(word)})), word))
    return out


def _is_year(keys: frozenset[str]) -> bool:
    return any(k.isdigit() and len(k) == 4 and 1000 <= int(k) <= 2100 for k in keys)


def _words(tokens: list[tuple[_Token, str]]) -> set[str]:
    return {k for t, _ in tokens for k in t.keys}


def misattributed(sentence: str, source: str, lang: str = "en", source_lang: str | None = None) -> list[Misattribution]:
    """The numbers ``sentence`` (in ``lang``) gives to a name other than the one ``source`` (in ``source_lang``,
    default ``lang``) gives them to, where the source states the same thing of both (see the module docstring)."""
    claim = [t for t, _ in _tokens(sentence, lang)]
    names = {k for t in claim if t.kind == "name" for k in t.keys}
    numbers = {k for t in claim if t.kind == "number" for k in t.keys}
    out: list[Misattribution] = []
    for span in split_sentences(source):
        tokens = _tokens(source[span.start : span.end], source_lang or lang)
        for number in sorted(numbers):
            year = _is_year(frozenset({number}))
            at = [i for i, (t, _) in enumerate(tokens) if t.kind == "number" and number in t.keys]
            if len(at) != 1:
                continue
            i = at[0]
            owner = next((j for j in range(i - 1, -1, -1) if tokens[j][0].kind == "name"), None)
            if owner is None or tokens[owner][0].keys & names:
                continue
            for x in range(i + 1, len(tokens)):
                token, written = tokens[x]
                if token.kind != "name" or not token.keys & names:
                    continue
                # its own number: the next of the same kind (a year for a year), before any other name
                other = next(
                    (j for j in range(x + 1, len(tokens))
                     if tokens[j][0].kind == "name" or (tokens[j][0].kind == "number" and _is_year(tokens[j][0].keys) == year)),
                    None,
                )
                if other is None or tokens[other][0].kind != "number" or tokens[other][0].keys & numbers:
                    break
                first, second = _words(tokens[owner + 1 : i]), _words(tokens[x + 1 : other])
                if first and second and len(first & second) / len(first | second) >= PARALLEL:
                    out.append(Misattribution(number, tokens[owner][1], written))
                break
    return out
