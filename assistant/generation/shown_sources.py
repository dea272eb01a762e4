"""The sources as the reader is shown them: each as its verified translation (the original beside it) or as a
quote, labelled; which of them an answer falls back on when no sentence of the model's verifies.

A quote in a language the reader did not ask for is the last resort: among sentences that score nearly as
well, those the reader can read come first, and for a who / how many / when / which question the sentences
that state such a thing (:mod:`assistant.grounding.answer_type`) come before those that only restate it.
"""

from __future__ import annotations

from typing import Sequence

from assistant.grounding.answer_type import expected_answer, states_answer
from assistant.grounding.citations import format_cited
from assistant.grounding.framing import content_words, same_stem
from assistant.models import AnswerSentence, Source
from assistant.retrieval.answer_judge import by_standing, standing
from assistant.retrieval.evidence import Evidence
from assistant.text.langdata import language_name_in_phrase, message
from assistant.text.words import anchors

#: How many evidence sentences the quote fallback shows at most, and how close to the best one (in score)
#: a second one must be to be shown too.
QUOTES_IN_FALLBACK = 2
QUOTE_MARGIN = 0.01
#: For a question that asks who, how many, when or which, the quote is chosen among this many best evidence
#: sentences: the first that states such an answer (see :mod:`assistant.grounding.answer_type`).
QUOTE_POOL = 4


def readable_by(source: Source, answer_lang: str) -> bool:
    """Can a reader of ``answer_lang`` read ``source``: is it in that language, or verified translated?"""
    return source.lang == answer_lang or bool(source.translation)


def readable_text(source) -> str:
    """A source's text in the answer language: its verified translation, or the quote itself."""
    return source.translation or source.quote


def states_it(source: Source, question: str, kind: str, judged: float | None = None) -> bool:
    """Does ``source``, as the reader reads it, state the ``kind`` of answer ``question`` asks for?

    For a number, a source the answer judge found at least ``judged`` likely to state the answer does,
    whatever words it has: a quantity is often said in words no lexicon lists. For "How much has a Lama
    agreed to be reborn?" the sentence that answers ("… bewusst zur Wiedergeburt, häufig mehrere Male,
    entschlossen hat …", judged likely) writes no number, and an unjudged sentence about a marriage at 16
    was shown first in its place. Not for the other kinds: a sentence that names no one the question does
    not can restate a who-question and still be judged likely to answer it (two restating sentences of the
    seeds then led in place of the one naming the minister met; BENCHMARKS.md, fifteenth update)."""
    if kind == "number" and judged is not None and source.answers is not None and source.answers >= judged:
        return True
    return states_answer(readable_text(source), source.translation_lang or source.lang, question, kind)


def quotes(evidence: Evidence, answer_lang: str, weight: float = 0.0, judged: float | None = None) -> list[AnswerSentence]:
    """The best evidence sentence, and the next ones only when they score nearly as well: each as its
    verified translation into ``answer_lang`` (the original beside it), or, without one, as a quote in
    its own language.

    When the question asks for a person, a number, a date or a name, only the sentences among the
    first ``QUOTE_POOL`` that state one the question does not hold are candidates (if any does): the
    sentence most similar to a question often restates it rather than answering it. Among the
    candidates in the first ``QUOTE_POOL``, those the reader can read come first: a quote in a language
    the reader did not ask for is the last resort, shown after them (when it scores nearly as well as
    the first) or alone when none of them can be read. For a number, a sentence the answer judge found
    at least ``judged`` likely to answer is a candidate whatever its words (:func:`states_it`).
    """
    ranked = by_standing(evidence.sources, weight)
    pool = ranked
    kind = expected_answer(evidence.question, evidence.question_lang)
    if kind:
        stating = [
            s for s in ranked[:QUOTE_POOL]
            if states_it(s, evidence.question, kind, judged)
        ]
        pool = stating or pool
    readable = [s for s in pool[:QUOTE_POOL] if readable_by(s, answer_lang)]
    pool = readable + [s for s in pool if s not in readable]
    best = standing(pool[0], weight)
    return [
        as_sentence(s, answer_lang) for s in pool[:QUOTES_IN_FALLBACK] if standing(s, weight) >= best - QUOTE_MARGIN
    ]


def as_sentence(source: Source, answer_lang: str) -> AnswerSentence:
    """A source shown as an answer sentence: its verified translation (the original beside it), or itself."""
    if source.translation:
        return AnswerSentence(
            text=source.translation, citations=[source.n], supported=True, kind="translation", cited_by_model=[],
            lang=answer_lang, original=source.quote, original_lang=source.lang,
        )
    return AnswerSentence(text=source.quote, citations=[source.n], supported=True, kind="quote", cited_by_model=[], lang=source.lang)


def plain(text: str) -> str:
    """A sentence compared as words: spacing and the final stop aside (the citation grammar drops it)."""
    return " ".join(text.split()).rstrip(".!?。")


def repeats(text: str, shown: Sequence[str], lang: str) -> bool:
    """Does ``text`` (in ``lang``) say nothing that one of the ``shown`` sentences does not: every content word
    of it a form of one of that sentence's words and every number one of its numbers? The model often copies
    the sentence that leads the answer with a clause dropped ("Currently, Dà Nang has 37 institutions …
    with approximately 6,000 graduates each year [1]." after the translation it cites): shown again, the
    reader reads the same thing twice."""
    words, numbers = content_words(text, lang), anchors(text)
    if not words:
        return any(plain(text) == plain(other) for other in shown)
    for other in shown:
        held = content_words(other, lang)
        if numbers <= anchors(other) and all(any(same_stem(w, h) for h in held) for w in words):
            return True
    return False


def displayed(sentence: AnswerSentence, answer_lang: str) -> str:
    """A sentence as the answer's text shows it: a quote in quotation marks (labelled with its language
    when that is not the answer's); a translation with the language it was translated from. Labels are in
    the answer language (``data/messages.toml``, language names from CLDR)."""
    n = sentence.citations[0] if sentence.citations else None
    text = f"{sentence.context} {sentence.text}" if sentence.context else sentence.text
    from_lang = sentence.original_lang if sentence.kind == "translation" else sentence.lang
    label = provenance(sentence.kind, from_lang, answer_lang)
    if sentence.kind == "quote":
        return f"“{text}” [{n}]" + (f" ({label})" if label else "")
    if sentence.kind == "translation":
        return f"{text} [{n}] ({label})"
    return format_cited(sentence.text, sentence.citations)


def provenance(kind: str, from_lang: str | None, answer_lang: str) -> str | None:
    """What a reader of ``answer_lang`` is told of a sentence that is not the assistant's own words, in their
    language: "translated from German" for a ``translation`` from ``from_lang``, "German original, not
    translated" for a ``quote`` in another language than theirs; None for anything else. The one wording of
    these labels for the answer text, the CLI, the browser, timelines and saved conversations."""
    name = language_name_in_phrase(from_lang or "", answer_lang)
    if kind == "translation":
        return message("translated_from", answer_lang, language=name)
    if kind == "quote" and from_lang != answer_lang:
        return message("original_untranslated", answer_lang, language=name)
    return None
