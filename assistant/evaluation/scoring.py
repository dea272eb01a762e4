"""What the reader gets: an accepted string counts only where it stands in displayed text written in the
language the reader asked for.

A German quote that holds the name does not answer an English reader, so a QA answer is *correct in the
answer language* when every group of accepted strings has one inside the first two displayed sentences,
in a sentence that reads as the answer language (lingua on its ordinary words, between that language, the
sources' languages and English); a sentence of fewer than three ordinary words — names, numbers — has no
language to judge and counts in any. The same rule scores briefs on their points in the brief's language.
"""

from __future__ import annotations

import re
from typing import Sequence

from assistant.models import Answer
from assistant.text.folding import fold
from assistant.text.language import written_in

#: Displayed sentences an accepted string may stand in: what a reader reads first.
FIRST_SENTENCES = 2
_MARKERS = re.compile(r"\[\d+(?:\s*[,;]\s*\d+)*\]")
_READ_WORD = re.compile(r"\w[\w'’.,-]*\w|\w")
#: Fewer ordinary words than this: the sentence has no language to judge (names and numbers).
MIN_WORDS_JUDGED = 3


def _comparable(text: str) -> str:
    """``text`` folded, punctuation read as a space, words separated by single spaces and padded: SQuAD's
    answer normalisation (case and punctuation aside) but for articles, so "20–18" is found in "won
    20-18" and "two." in "two interceptions"."""
    return " " + " ".join(re.sub(r"[^\w\s]|_", " ", fold(text)).split()) + " "


def contains(text: str, accepted: Sequence[str]) -> bool:
    """``text`` holds one of ``accepted`` from the start of a word (case, accents and punctuation aside):
    "38" is not found in "138"."""
    said = _comparable(text)
    for wanted in (_comparable(a).rstrip() for a in accepted):
        # A word may go on ("semiconductor" in "semiconductors", "May 10" in "May 10th"), a number may not
        # run into more digits ("38" in "380").
        if wanted.strip() and re.search(re.escape(wanted) + (r"(?!\d)" if wanted[-1].isdigit() else ""), said):
            return True
    return False


def reads_as(text: str, lang: str, alternatives: Sequence[str]) -> bool:
    """``text`` reads as ``lang``, or is too short in ordinary words to be judged."""
    return written_in(text, lang, [a for a in alternatives if a != lang] or ["en"], MIN_WORDS_JUDGED) is not False


def readable_sentences(answer: Answer) -> list[str]:
    """The first displayed sentences of ``answer`` that read as its answer language."""
    shown = [s for s in answer.sentences if s.supported][:FIRST_SENTENCES]
    langs = sorted({s.lang for s in answer.sources} | {"en"})
    return [
        f"{s.context} {s.text}" if s.context else s.text  # the sentence before is shown with it
        for s in shown if reads_as(s.text, answer.answer_lang, langs)
    ]


def correct_in_language(answer: Answer, groups: Sequence[Sequence[str]]) -> bool:
    """Every group of accepted strings stands in a first displayed sentence in the answer language."""
    readable = readable_sentences(answer)
    return answer.answerable and all(any(contains(s, group) for s in readable) for group in groups)


def found_anywhere(answer: Answer, groups: Sequence[Sequence[str]]) -> bool:
    """The older, looser figure: every group appears somewhere in the displayed answer, in any language."""
    return answer.answerable and all(contains(answer.answer, group) for group in groups)


def words_in(text: str) -> int:
    """Words a reader reads in ``text``: words and numbers, citation markers left out."""
    return len(_READ_WORD.findall(_MARKERS.sub(" ", text)))
