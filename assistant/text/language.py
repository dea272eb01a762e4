"""Offline language detection with ``lingua`` (its n-gram models are bundled in the wheel).

The detector chooses between the configured languages only (``ASSISTANT_LANGUAGES``). Documents are judged
in lingua's low-accuracy mode (trigram models): on article-length text it is as accurate as the full mode,
at a fraction of the memory, which matters because the server keeps it loaded beside the LLM. Sentences,
questions and words are judged with the full models, which short texts need; lingua loads each language's
models once for every detector.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from assistant.text.langdata import language_name, reading_languages, sister_languages
from assistant.text.words import WORD

UNKNOWN = "und"  # ISO 639 "undetermined"

#: Languages an answer or a brief may be written in, by ISO 639-1 code, with their English names (CLDR).
LANGUAGE_NAMES = {code: language_name(code) for code in reading_languages()}


@lru_cache(maxsize=32)
def _detector(codes: tuple[str, ...], high_accuracy: bool = False):
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = []
    for code in codes:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            isos.append(iso)
    if len(isos) < 2:
        isos = [IsoCode639_1.EN, IsoCode639_1.DE]  # lingua needs at least two candidates
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*isos)
    return (builder if high_accuracy else builder.with_low_accuracy_mode()).build()


def detect_language(text: str, codes: tuple[str, ...], sample_chars: int = 3000) -> str:
    """ISO 639-1 code of the main language of ``text``, or ``"und"`` when it cannot tell."""
    sample = text[:sample_chars]
    if sum(ch.isalpha() for ch in sample) < 3:
        return UNKNOWN
    language = _detector(codes).detect_language_of(sample)
    if language is None:
        return UNKNOWN
    return language.iso_code_639_1.name.lower()


#: A sentence with fewer ordinary words than this is mostly names and numbers: its language is not judged.
MIN_JUDGED_WORDS = 4


def written_in(text: str, lang: str, alternatives: Sequence[str], min_words: int = MIN_JUDGED_WORDS) -> bool | None:
    """Whether ``text`` reads as ``lang`` rather than as one of ``alternatives``; None when it cannot tell.

    Verification asks this of what a model wrote: a tiny model asked for Vietnamese often answers in
    English, or copies its German source, and either can sit close to the source and keep every fact.
    Only ordinary words are judged — capitalised words and acronyms are left out, because "Nguyen Manh
    Hung met Lee Jong-ho in Seoul" reads as Vietnamese by its names — and only between the languages in
    play (the one asked for, the sources' languages, English), which short texts need. Fewer than
    ``min_words`` ordinary words are not judged.
    """
    words = [w for w in WORD.findall(text) if not w[0].isupper()]
    candidates = tuple(sorted({lang, *alternatives}))
    if len(words) < min_words or len(candidates) < 2:
        return None
    from lingua import IsoCode639_1

    if any(getattr(IsoCode639_1, code.upper(), None) is None for code in candidates):
        return None  # a language lingua does not know: no judgement rather than a wrong one
    # The full models: a sentence is too short for trigrams alone ("is often viewed as the first modern
    # geologist" reads as German to them, 0.96), and questions and words load these models anyway.
    language = _detector(candidates, high_accuracy=True).detect_language_of(" ".join(words))
    if language is None:
        return None
    return language.iso_code_639_1.name.lower() == lang


#: Two languages whose confidences for a question are this close are a tie (Indonesian and Malay share
#: most words; a short English question may look Portuguese): the tie goes to a preferred language.
QUESTION_TIE = 0.15
#: Languages the quick trigram pass keeps for the full models to decide between.
SHORTLIST = 3
#: How sure lingua must be of a single word to take its language (:func:`word_language`, and a question's only
#: ordinary word): "siapakah" is Indonesian or Malay (0.99 together), "how" reads as Polish at 0.51.
SURE_WORD = 0.8


def question_language(question: str, codes: Sequence[str], preferred: Sequence[str] = ("en",)) -> str:
    """The language ``question`` is asked in, among ``codes``; ``preferred[0]`` when it cannot tell.

    Names are left out (capitalised words after the first): "Who is Nguyen Manh Hung?" is an English
    question about a Vietnamese name; the first word stays, lower-cased, as it says most ("What", "Wer",
    "Qu'"). Questions are short, so near-ties are common: among languages within ``QUESTION_TIE`` of the
    best, the first of ``preferred`` (the library's languages and English) wins. A sister language
    (``sister_languages``: Indonesian and Malay share most words) counts for a preferred sister: "Dimanakah
    letak Manchuria?" reads as Malay by 0.64 to 0.30, and one Indonesian question in nine was answered in
    Malay from Indonesian sources. A question of one ordinary word ("Siapakah R.L. Stine?") is judged by that
    word when lingua is sure of it (``SURE_WORD``), else it goes to ``preferred[0]``.
    """
    found = WORD.findall(question)
    words = [w.lower() if i == 0 else w for i, w in enumerate(found) if i == 0 or not w[0].isupper()]
    if not words:
        return preferred[0]
    text = " ".join(words)
    preferred = list(dict.fromkeys(preferred))
    everyone = tuple(sorted(set(codes) | set(preferred)))
    values = _detector(everyone).compute_language_confidence_values(text)
    if not values:
        return preferred[0]
    # The few likeliest by trigrams, then the full models (1- to 5-grams) among them only: lingua loads a
    # language's full models the first time they are needed, so memory grows with the languages readers
    # actually use, not with all configured ones.
    shortlist = tuple(sorted({v.language.iso_code_639_1.name.lower() for v in values[:SHORTLIST]} | set(preferred)))
    scores = _with_sisters(
        {v.language.iso_code_639_1.name.lower(): v.value
         for v in _detector(shortlist, high_accuracy=True).compute_language_confidence_values(text)},
        preferred,
    )
    ranked = sorted(scores, key=lambda lang: -scores[lang])
    best = scores[ranked[0]]
    if len(words) < 2:
        return ranked[0] if best >= SURE_WORD else preferred[0]
    near = [lang for lang in ranked if scores[lang] >= best - QUESTION_TIE]
    for lang in preferred:
        if lang in near:
            return lang
    return near[0]


def _with_sisters(scores: dict[str, float], preferred: Sequence[str]) -> dict[str, float]:
    """``scores`` with each language that is not preferred but has a preferred sister counted for that
    sister (the first such), so two near-identical written standards do not split one reader's vote."""
    merged: dict[str, float] = {}
    for lang, value in scores.items():
        into = lang if lang in preferred else next((s for s in sister_languages(lang) if s in preferred), lang)
        merged[into] = merged.get(into, 0.0) + value
    return merged


def word_language(word: str, candidates: Sequence[str], confidence: float = SURE_WORD) -> str | None:
    """The one of ``candidates`` a single word reads as, when lingua's full models are at least
    ``confidence`` sure; None otherwise ("international" is English, French and German alike)."""
    values = _detector(tuple(sorted(set(candidates))), high_accuracy=True).compute_language_confidence_values(word)
    if not values or values[0].value < confidence:
        return None
    return values[0].language.iso_code_639_1.name.lower()
