"""What kind of answer a question asks for, and whether a sentence states one the question does not.

When nothing the model wrote verifies, the answer quotes the evidence. The evidence sentence most similar
to the question is often the one that restates it: for "Which Korean minister did Nguyen Manh Hung meet
during his August 2024 trip?" it is "Minister … Nguyen Manh Hung paid a working trip to the Republic of
Korea (RoK) in early August …", while the one that answers ("At a working session with Minister of
Science and ICT Lee Jong-ho, …") comes next. Question-answering systems have long checked the expected
answer type; here it only chooses among the few best evidence sentences which to quote: for a question
asking who, how many or when, the quotes that name a person, a number or a date the question does not
already hold come first.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.grounding.facts import months_in, names_in, numbers_in
from assistant.grounding.titles import person_names
from assistant.text.folding import fold
from assistant.text.lexicon import NUMBER_WORDS, QUESTION_WORDS, closed_class_words

AnswerKind = Literal["number", "date", "person", "name"]

_NUMBER = re.compile(r"^(how (many|much|long|old|far|big|large|high)|what (percentage|share|number|amount|proportion))\b")
_DATE = re.compile(r"^((since|until) )?when\b|^((in|since|from) )?(what|which) (year|month|date|day)\b")
_PERSON_NOUNS = (
    "minister|ambassador|president|prime minister|official|leader|person|people|consul|director|chairman|"
    "chairwoman|mayor|governor|secretary|spokesperson|spokesman|ceo|founder|head|envoy|deputy"
)
#: Up to two words between "which" and its noun ("which Korean minister"), but no verb or article:
#: "what did the ambassador propose" asks for a proposal, not a person.
_MODIFIERS = r"((?!(?:did|does|do|is|are|was|were|has|have|had|will|can|could|would|should|the|a|an)\b)[\w-]+ ){0,2}"
_PERSON = re.compile(rf"^(who|whom|whose)\b|^(which|what) {_MODIFIERS}({_PERSON_NOUNS})\b")
_NAME = re.compile(
    rf"^(which|what) {_MODIFIERS}(university|company|companies|firm|institute|institution|organi[sz]ation|agency|"
    r"country|countries|city|province|policy|policies|program|programme|project|group|school|ministry|bank|"
    r"forum|event|brand|product|platform|technology|technologies)\b"
)


def expected_answer(question: str, lang: str = "en") -> AnswerKind | None:
    """The kind of answer ``question``, asked in ``lang``, asks for, when it is one of these four.

    English is read by the patterns above; other languages by their question words (``[question_words]``
    of ``data/lexicon.toml``): a date or a number, which any language writes in digits and month names the
    checks read, not a person or a "which university" name (see that file for why)."""
    if lang == "en":
        q = " ".join(question.casefold().split())
        for kind, pattern in (("number", _NUMBER), ("date", _DATE), ("person", _PERSON), ("name", _NAME)):
            if pattern.search(q):
                return kind  # type: ignore[return-value]
        return None
    asking = QUESTION_WORDS.get(lang)
    if not asking:
        return None
    words = tuple(closed_class_words(question, lang))
    for kind in ("date", "number"):  # "tahun berapa" (what year) before "berapa" (how many)
        if any(_asks(words, phrase, opening) for opening, phrase in asking.get(kind, ())):
            return kind  # type: ignore[return-value]
    return None


def _asks(words: tuple[str, ...], phrase: tuple[str, ...], opening: bool) -> bool:
    """Whether ``words`` hold ``phrase``: as their first words when ``opening``, else anywhere."""
    if opening:
        return words[: len(phrase)] == phrase
    return any(words[i : i + len(phrase)] == phrase for i in range(len(words) - len(phrase) + 1))


def number_words_in(text: str, lang: str) -> set[str]:
    """The numbers ``text`` writes as words in ``lang`` ("three", "zwei", "ribu"), in their compared form."""
    return set(closed_class_words(text, lang)) & NUMBER_WORDS.get(lang, frozenset())


def states_answer(sentence: str, lang: str, question: str, kind: AnswerKind) -> bool:
    """Whether ``sentence`` (in ``lang``) names a ``kind`` of thing that ``question`` does not."""
    asked = set(fold(question).replace("-", " ").split())
    if kind in ("number", "date"):
        if numbers_in(sentence) - numbers_in(question):
            return True
        if kind == "number" and number_words_in(sentence, lang) - set(closed_class_words(question, lang)):  # "for three plays"
            return True
        return kind == "date" and bool(months_in(sentence, loose=False) - months_in(question, loose=False))
    if kind == "person":
        return any(set(name.replace("-", " ").split()) - asked for name in person_names(sentence))
    return any(name not in asked for name in names_in(sentence, lang))
