"""Rule-based sentence splitting for news text in any script.

Why rules and not a model: the splitter must be offline, fast, deterministic and return exact character
spans (chunks, citations and highlights all point into the original text). The rules cover what breaks
naive splitting in news text: abbreviations and titles ("Dr.", "z.B.", "M.", "Tp."), initials ("B."),
German ordinals ("am 10. Mai", "im 18. Jahrhundert"), decimals ("6.000"), quotes after the full stop, and sentences
glued together without a space ("… teil.Minister …"). Scripts with their own sentence marks end a
sentence there: the ideographic full stop and full-width marks of Chinese and Japanese (。！？, no space
after them), the Arabic question mark (؟) and the Devanagari danda (।, ॥); and where the next word is in a
script without letter case (Arabic, Hindi, Thai, CJK), the case test that guards abbreviations in Latin
text does not apply.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant.text.folding import fold
from assistant.text.lexicon import ORDINAL_NOUNS, SUBJECT_PRONOUNS, closed_class_words
from assistant.text.months import MONTHS


class Span(NamedTuple):
    start: int
    end: int


_ABBREVIATIONS = {
    # English
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "corp", "no",
    "gen", "gov", "sen", "rep", "capt", "col", "lt", "sgt", "rev", "fig", "approx", "dept", "est", "u.s",
    "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    # German
    "nr", "z.b", "bzw", "ca", "hr", "fr", "dipl", "mio", "mrd", "jh", "abs", "vgl", "usw", "u.a", "d.h",
    "s.o", "s.u", "inkl", "evtl", "ggf", "bzgl", "str", "tel",
    # French
    "mme", "mlle", "mm", "cf", "env", "av", "bd", "hab",
    # Indonesian / Malay
    "bpk", "jl", "dll", "dsb", "dkk", "sdr", "no", "hlm", "tsb",
    # Vietnamese (titles and "thành phố")
    "tp", "ts", "ths", "pgs", "gs", "ths", "bs", "ks", "q", "p",
}

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then white space.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_NEWLINE = re.compile(r"\n")
# Sentence marks that end a sentence whatever follows: CJK full stops and full-width marks (no space is
# written after them), the Arabic question mark and full stop, the Devanagari danda and double danda.
_SCRIPT_BOUNDARY = re.compile(r"[。．！？｡]+[」』”’）)\]]*|[؟۔।॥]+[\"'”’»)\]]*")
# Two sentences glued without a space, as scraped news often has them ("… Kommunikation teil.Minister
# Nguyen …", "… 5G OpenRAN.Menteri …"): a full stop between a word and a capitalised one.
_GLUED = re.compile(r"(?<=[^\W\d_]{3})[.!?](?=[^\W\d_]{2})")
_OPENERS = "\"'„“«‘(¿¡[-–—•*#"


def _word_before(text: str, pos: int) -> str:
    """The word (letters, digits and inner dots) that ends right before ``pos``."""
    i = pos
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in ".-"):
        i -= 1
    return text[i:pos].strip(".-")


def _word_after(text: str, pos: int) -> str:
    match = re.match(r"\s*([^\s]+)", text[pos:])
    return match.group(1) if match else ""


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    punct = match.group(0)
    after = _word_after(text, match.end())
    if not after:
        return True
    first = after[0]
    caseless = first.isalpha() and not first.isupper() and not first.islower()  # Arabic, Devanagari, CJK, Thai
    if not (first.isupper() or first.isdigit() or first in _OPENERS or caseless):
        return False  # "… etc. and more", "(z.B. mit)": the sentence goes on in lower case
    if punct.startswith(".") and len(punct.rstrip("\"'”’»)]")) == 1:
        word = _word_before(text, match.start())
        low = word.lower()
        if low in _ABBREVIATIONS:
            return False
        if len(word) == 1 and word.isalpha():
            return False  # an initial: "B. TT&TT", "J. Smith"
        if word.isdigit() and len(word) <= 2:
            following = fold(re.sub(r"\W", "", after))
            if following in MONTHS or following in ORDINAL_NOUNS:
                return False  # German ordinals: "am 10. Mai", "im 18. Jahrhundert"
    return True


def _is_glued_boundary(text: str, match: re.Match[str]) -> bool:
    before, after = text[match.start() - 1], text[match.end() : match.end() + 2]
    if not (before.isalpha() and after[0].isupper() and after[1].islower()):
        return False  # "z.B.", "U.S.A", "ASP.NET", "example.com": not two sentences ("… 5G OpenRAN.Menteri …" is)
    return _word_before(text, match.start()).lower() not in _ABBREVIATIONS  # "Prof.Dr", "Tp.Hồ"


def _continues(text: str, newline: int) -> bool:
    """True when the sentence runs on across this line break (hard-wrapped text, a stray blank line):
    the line before ends without terminal punctuation and the next line starts in lower case."""
    before = text[:newline].rstrip()
    after = text[newline:].lstrip()
    if not before or not after:
        return False
    return before[-1] not in ".!?…:;\"'”’»)]" and after[0].islower()


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentence spans.

    Every non-white-space character of ``text`` lies in exactly one span; spans are ordered, do not
    overlap, and start and end on non-white-space characters. Line breaks end a sentence (news text puts
    headlines, captions and paragraphs on lines of their own) unless the text plainly runs on: no
    terminal punctuation before the break and a lower-case letter after it.
    """
    cuts: set[int] = set()
    for match in _BOUNDARY.finditer(text):
        if _is_boundary(text, match):
            cuts.add(match.end())
    for match in _SCRIPT_BOUNDARY.finditer(text):
        quoted = match.group(0)[-1] in "」』”’）)]\"'»"
        if not (quoted and text[match.end() : match.end() + 1].isalpha()):  # 「…。」と述べた: the quote goes on
            cuts.add(match.end())
    for match in _GLUED.finditer(text):
        if _is_glued_boundary(text, match):
            cuts.add(match.end())
    for match in _NEWLINE.finditer(text):
        if not _continues(text, match.start()):
            cuts.add(match.start())
    spans: list[Span] = []
    prev = 0
    for cut in sorted(cuts) + [len(text)]:
        if cut <= prev:
            continue
        segment = text[prev:cut]
        stripped = segment.strip()
        if stripped:
            lead = len(segment) - len(segment.lstrip())
            spans.append(Span(prev + lead, prev + lead + len(stripped)))
        prev = cut
    return spans


def trimmed_sentence(text: str, text_offset: int, start: int, end: int) -> tuple[str, int, int]:
    """The sentence at document offsets ``[start, end)``, read from ``text`` (a passage that begins at
    document offset ``text_offset``), without surrounding whitespace, with its exact document offsets."""
    raw = text[start - text_offset : end - text_offset]
    stripped = raw.strip()
    begin = start + len(raw) - len(raw.lstrip())
    return stripped, begin, begin + len(stripped)


#: An opening phrase of at most four words set off by a comma ("However,", "In 2000,", "At 39 years old,").
_OPENING_PHRASE = re.compile(r"^\W*(?:[^\s,.;:!?]+\s+){0,3}[^\s,.;:!?]+,\s*")


def opens_with_pronoun(sentence: str, lang: str | None) -> bool:
    """Does ``sentence`` (in ``lang``) open with a pronoun whose referent the sentence before names ("He
    is 39 years old …", "Sie stammen aus …"), also after a short opening phrase set off by a comma
    ("However, they were able to win the title in 2000" names the club only in the sentence before)?"""
    pronouns = SUBJECT_PRONOUNS.get(lang or "", frozenset())
    head = sentence[:80]
    opening = _OPENING_PHRASE.match(head)
    for text in (head, head[opening.end() :] if opening else ""):
        words = closed_class_words(text, lang)
        if words and words[0] in pronouns:
            return True
    return False


def sentence_before(text: str, offset: int) -> str | None:
    """The last sentence of ``text`` that ends before ``offset`` (None when there is none)."""
    head = text[: max(0, offset)]
    spans = split_sentences(head)
    return head[spans[-1].start : spans[-1].end] if spans else None
