"""Does a cited passage speak of what the question asks, when the answer sentence is built on the question?

A small model answering "What Panther defender was called for holding on third down?" writes "Kawann Short
was called for holding on third down [5]": the question's own words around a name it found in a source about
something else ("Kawann Short led the team with 11 sacks"). The name is in the source, so the check of facts
passes; the sentence and the source are about one team, so e5 puts them close. What gives it away is that
the words the sentence took from the question ("called", "holding") are nowhere in the passage it cites.

So a sentence that takes two or more of the question's content words must find at least a third of them in
the cited passage (or in the sentence before it, when the passage opens with a pronoun). Words are compared
folded and by a shared stem of at least four letters ("settlers" ~ "settlement", "called" ~ "call"), so a
change of ending is not a change of topic; stopwords-iso's common words ("gave", "third", "known") are not
counted, as they say nothing about the topic. Only a passage written in the sentence's language is judged:
across languages the words cannot be compared, and the other checks stand alone. Vietnamese writes words as
syllables, where the stem rule joins distinct ones ("nghiep" ~ "nghiem"): there it errs towards keeping.
"""

from __future__ import annotations

from os.path import commonprefix

from assistant.text.folding import fold
from assistant.text.stopwords import common_words
from assistant.text.words import WORD

#: Least number of question words a sentence must borrow before the passage is asked to hold them.
MIN_BORROWED = 2
#: Least share of the borrowed words the cited passage must hold. A half also refused true sentences that
#: word the question's way what the passage says in its own ("function problems can typically be restated"
#: for "… can be reformulated"); chosen on XQuAD's tune half (BENCHMARKS.md, eighteenth update).
MIN_SHARE = 1 / 3
#: Shortest stem two forms of a word share.
MIN_STEM = 4


def content_words(text: str, lang: str) -> set[str]:
    """The folded words of ``text`` that say what it is about: three letters or more, not one of ``lang``'s
    common words (stopwords-iso), not a number."""
    common = common_words(lang)
    words = (w.group(0) for w in WORD.finditer(text))
    return {fold(w) for w in words if len(w) > 2 and w.casefold() not in common and not w.isdigit()}


def same_stem(a: str, b: str) -> bool:
    """Two folded words are forms of one word: equal, or sharing a stem of at least ``MIN_STEM`` letters that
    leaves at most three letters of the shorter one ("holding" ~ "hold", not "third" ~ "three")."""
    if a == b:
        return True
    shared = len(commonprefix([a, b]))
    return shared >= MIN_STEM and shared >= min(len(a), len(b)) - 3


def borrowed_words(sentence: str, question: str, lang: str) -> set[str]:
    """The content words of ``sentence`` that it took from ``question`` (folded)."""
    asked = content_words(question, lang)
    return {w for w in content_words(sentence, lang) if any(same_stem(w, q) for q in asked)}


def unspoken_question_words(sentence: str, question: str, passage: str, lang: str) -> list[str]:
    """The question's words that ``sentence`` borrows and ``passage`` lacks, when too many are lacking to
    call the passage a statement about what was asked; otherwise an empty list."""
    borrowed = borrowed_words(sentence, question, lang)
    if len(borrowed) < MIN_BORROWED:
        return []
    held = content_words(passage, lang)
    lacking = sorted(w for w in borrowed if not any(same_stem(w, h) for h in held))
    return lacking if len(borrowed) - len(lacking) < MIN_SHARE * len(borrowed) else []
