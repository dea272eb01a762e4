"""The one verifier of answers and briefs: does the passage a sentence cites really support it?

Small local models cite badly and invent numbers, so nothing they write is shown as a cited fact until it
passes these checks against the sources it cites:

1. Facts: every number, month and proper name in the sentence occurs in the cited text, compared across
   scripts and formats ("6.000" = "6,000" = "6 000"; "May" = "Mai" = "Mei" = "tháng 5" = "10/5"; "Nguyen"
   = "Nguyễn"), and so does each institution word of a name ("Ministry of Industry and Trade"); a cited
   sentence that opens with a pronoun ("He is 39 …") lends the sentence before it, which says whom. A number
   the model computed or invented fails, even when the sentence sounds right. A person's title must be
   the one the source gives that person ("Minister of Science and ICT Lee Jong-ho", not the other
   minister's office built from the same caption; :mod:`assistant.grounding.titles`). Where the source
   says the same thing of two names, each with its own number, a number must stay with its name ("Tesla
   … in 1915" for "Edison … in 1915 and Tesla … in 1937"; :mod:`assistant.grounding.attribution`).
2. Meaning: the sentence and the cited sentence are close in the multilingual embedding space (e5 cosine
   at least ``support_threshold``, calibrated on XQuAD; see BENCHMARKS.md).
3. Form: the sentence is written in the language asked for (judged on its ordinary words, names left
   out), holds no letters of a script that language is not written in unless its source has them ("… and
   鼓励韩国" ending an English sentence, :mod:`assistant.text.scripts`), and is not a loop of repeated words.

A citation counts when its source alone passes the checks of facts and meaning; a sentence is supported when at least one of
its citations counts, and only the citations that count are shown. Facts are not pooled across sources:
pooled, "Hanoi has 37 IT schools [1][2]" would pass with Hanoi from one source and Da Nang's 37 schools
from the other — a conflation a tiny model writes and a reader checking [1] or [2] alone cannot confirm.

Answers (:meth:`Verifier.check_answer`) add what concerns a reply to a question: a sentence that only
restates the question answers nothing; a sentence built on the question's words cites a passage that holds
them (:mod:`assistant.grounding.framing`: "Kawann Short was called for holding [5]" for a source about his
sacks is a name pasted into the question); a sentence does not hand its source's statement to another
office holder ("The ambassador proposed …" for "The Minister is convinced …",
:func:`assistant.grounding.titles.replaced_actor`); a sentence that fails its citation but passes another
source is re-cited; and an answer to a who / how many / when / which question must state such a thing. Briefs
(:meth:`Verifier.check_restatement`) add that a restatement keeps the names other languages write the same
way and, within English, the office holder who acts. Facts and their comparison live in :mod:`assistant.grounding.facts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from assistant.backends.embedder import Embedder
from assistant.grounding.answer_type import expected_answer, states_answer
from assistant.grounding.attribution import misattributed
from assistant.grounding.citations import parse_cited
from assistant.grounding.facts import (
    countries_not_in,
    dropped_names,
    institutions_not_in,
    is_repetitive,
    missing_with_context,
    months_in,
    numbers_in,
    restates,
    roman_numbers_in,
    titles_not_in,
)
from assistant.grounding.framing import unspoken_question_words
from assistant.grounding.rendering import negation_changed, order_changed, untranslated_words
from assistant.grounding.titles import replaced_actor
from assistant.models import AnswerSentence
from assistant.text.countries import country_mentions
from assistant.text.folding import fold
from assistant.text.language import written_in
from assistant.text.months import numbered_months
from assistant.text.number_words import spelled_in
from assistant.text.places import cities_left_out
from assistant.text.scripts import foreign_script


@dataclass
class Verdict:
    """Whether a sentence is supported, by which of its citations, and if not, why (for the reader)."""

    supported: bool
    citations: list[int] = field(default_factory=list)  # citations that count
    reason: str | None = None
    cosines: dict[int, float] = field(default_factory=dict)
    #: What a refused translation states that its original does not (numbers, months, offices, countries),
    #: or leaves in the original's language, as the checks found them (folded): the offices and countries
    #: also when another check refused it first, so that a retry avoids all of them (a draft refused for a
    #: number may also name a wrong country).
    unfounded: tuple[str, ...] = ()


class Verifier:
    """Checks generated sentences against the sources they cite: one API for answers and briefs."""

    def __init__(
        self,
        embedder: Embedder,
        threshold: float,
        *,
        translation_threshold: float = 0.90,
        faithfulness_threshold: float = 0.44,
        confidence_threshold: float | None = None,
        contradiction_threshold: float | None = None,
    ) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self.translation_threshold = translation_threshold
        self.faithfulness_threshold = faithfulness_threshold
        #: Least log-probability of a translation's least likely token (None: not checked).
        self.confidence_threshold = confidence_threshold
        self.contradiction_threshold = contradiction_threshold

    def embed(self, sentences: list[str]) -> np.ndarray:
        # e5 compares two statements best with the "query:" prefix on the new one against stored passages.
        return self.embedder.embed_queries(sentences) if sentences else np.zeros((0, 0), dtype=np.float32)

    def check(
        self,
        sentence: str,
        vector: np.ndarray,
        cited: list[int],
        texts: dict[int, str],
        vectors: dict[int, np.ndarray],
        lang: str = "en",
        source_langs: dict[int, str] | None = None,
        contexts: dict[int, str] | None = None,
        question: str | None = None,
    ) -> Verdict:
        """Which of ``cited`` support ``sentence``, written in ``lang``; ``source_langs`` maps a source number
        to its language (for the language check, and to check institution words within one language).
        ``contexts`` maps a source that opens with a pronoun to the sentence before it, where its names and
        numbers may be found too ("He is 39 …" after "… Peyton Manning …"); closeness is still to the
        source alone. With the ``question`` it answers, a source in the sentence's language must also hold
        the words the sentence took from the question (:mod:`assistant.grounding.framing`), and an English
        one must not open with another office holder than the sentence (:func:`~assistant.grounding.titles.replaced_actor`)."""
        source_langs, contexts = source_langs or {}, contexts or {}
        cosines = {n: float(vector @ vectors[n]) for n in cited if n in vectors}
        if not cited:
            return Verdict(False, [], "no citation", cosines)
        if is_repetitive(sentence):
            return Verdict(False, [], "repetitive text, not a statement", cosines)
        if written_in(sentence, lang, [*source_langs.values(), "en"]) is False:
            return Verdict(False, [], f"not written in {lang}, the language asked for", cosines)
        if foreign := foreign_script(sentence, lang, [f"{contexts.get(n, '')} {texts[n]}" for n in cited if n in texts]):
            return Verdict(False, [], "written partly in another script: " + " ".join(foreign), cosines)
        close = sorted((n for n in cited if cosines.get(n, -1.0) >= self.threshold), key=lambda n: -cosines[n])
        if not close:
            best = max(cosines.values(), default=0.0)
            return Verdict(False, [], f"the cited passage does not support it (similarity {best:.2f})", cosines)
        missing = {
            n: missing_with_context(sentence, texts[n], contexts.get(n), lang, same_language=source_langs.get(n) == lang)
            for n in close
        }
        counted = [n for n in cited if n in missing and not missing[n]]
        if not counted:  # name what the closest cited passage lacks
            return Verdict(False, [], "not in the cited passage: " + ", ".join(missing[close[0]]), cosines)
        swapped = {n: misattributed(sentence, texts[n], lang, source_langs.get(n, lang)) for n in counted}
        counted = [n for n in counted if not swapped[n]]
        if not counted:  # every fact is there, but a number is given to the other of two names
            return Verdict(False, [], next(iter(swapped.values()))[0].reason(), cosines)
        if question:
            unspoken = {
                n: unspoken_question_words(sentence, question, f"{contexts.get(n, '')} {texts[n]}", lang)
                for n in counted
                if source_langs.get(n, lang) == lang
            }
            counted = [n for n in counted if not unspoken.get(n)]
            if not counted:
                lacking = next(iter(unspoken.values()))
                return Verdict(False, [], "the cited passage does not speak of " + ", ".join(lacking), cosines)
            actors = {
                n: replaced_actor(sentence, texts[n])
                for n in counted
                if lang == "en" and source_langs.get(n, lang) == lang
            }
            counted = [n for n in counted if not actors.get(n)]
            if not counted:
                source_actor, said_actor = next(a for a in actors.values() if a)
                return Verdict(False, [], _handed_over(source_actor, said_actor), cosines)
        return Verdict(True, counted, None, cosines)

    # --- answers ----------------------------------------------------------------------------------------

    def check_answer(
        self,
        draft: str,
        question: str,
        texts: dict[int, str],
        vectors: dict[int, np.ndarray],
        langs: dict[int, str],
        answer_lang: str,
        contexts: dict[int, str] | None = None,
        question_lang: str = "en",
    ) -> list[AnswerSentence]:
        """The sentences of a model's ``draft`` answer to ``question`` (asked in ``question_lang``), each
        checked against the numbered sources it cites (``texts``, their passage ``vectors``, ``langs`` and the
        ``contexts`` of those that open with a pronoun, see :meth:`check`); then, together, against the kind
        of answer the question asks for."""
        parsed = parse_cited(draft, len(texts))
        sentence_vectors = self.embed([p.text for p in parsed])
        out: list[AnswerSentence] = []
        for p, vector in zip(parsed, sentence_vectors):
            if restates(p.text, question):
                out.append(
                    AnswerSentence(
                        text=p.text, citations=[], supported=False, kind="generated",
                        reason="it only repeats the question", cited_by_model=p.citations + p.invalid,
                    )
                )
                continue
            verdict = self.check(p.text, vector, p.citations, texts, vectors, answer_lang, langs, contexts, question)
            if not verdict.supported and p.citations:
                # Tiny models often copy a sentence from one source and cite its neighbour. When another
                # source passes both checks on its own, cite that one instead (cited_by_model keeps what
                # the model wrote, so citation precision is still measured on the model's own choice).
                for n in sorted(texts, key=lambda n: -float(vector @ vectors[n])):
                    if n in p.citations:
                        continue
                    alt = self.check(p.text, vector, [n], texts, vectors, answer_lang, langs, contexts, question)
                    if alt.supported:
                        verdict = alt
                        verdict.reason = f"re-cited: the model cited {p.citations}, which does not support it"
                        break
            out.append(
                AnswerSentence(
                    text=p.text,
                    citations=verdict.citations,
                    supported=verdict.supported,
                    kind="generated",
                    reason=verdict.reason,
                    cited_by_model=p.citations + p.invalid,
                )
            )
        return answers_the_question(out, question, answer_lang, question_lang)

    # --- translations -----------------------------------------------------------------------------------

    def check_translation(
        self, original: str, original_lang: str, text: str, lang: str, cosine: float, judge: float | None = None,
        confidence: float | None = None, carried: Callable[[str], bool] | None = None, against: float | None = None,
    ) -> Verdict:
        """May ``text`` stand for ``original`` in ``lang``? ``cosine`` is their e5 similarity (both embedded
        as queries), ``judge`` the model's probability that it is faithful (see
        :mod:`assistant.grounding.faithfulness`), ``confidence`` the log-probability of the translation's
        least likely token read after the original, ``against`` how much the original speaks against its
        words (:func:`assistant.generation.translation.contradiction`); without them only the checks that need no model are
        made, so a translation that fails those costs no model call. ``carried`` says whether documents in
        other languages write a word of the original the same way: a translation must keep such names
        (see :func:`dropped_names`; "the ambassador's tenure" for "der Amtszeit von Botschafter Choi
        Youngsam" loses whose tenure); without it names left out are not checked."""
        cosines = {0: cosine}
        if not text.strip() or " ".join(text.split()) == " ".join(original.split()):
            return Verdict(False, [], "no translation", cosines)
        if is_repetitive(text):
            return Verdict(False, [], "repetitive text, not a translation", cosines)
        if not 0.3 <= len(text) / max(len(original), 1) <= 3.0:
            return Verdict(False, [], "its length is far from the original's", cosines)
        if written_in(text, lang, [original_lang], min_words=3) is False:
            return Verdict(False, [], f"not written in {lang}", cosines)
        if foreign := foreign_script(text, lang, [original]):
            return Verdict(False, [], "written partly in another script: " + " ".join(foreign), cosines)
        # offices and countries the original does not name: a refusal for any reason carries them, so that
        # the retry avoids them too (the checks below refuse on them only after the number and order checks)
        offices = (institutions_not_in if lang == "en" else titles_not_in)(text, fold(original))
        countries = countries_not_in(text, original, original_lang, lang)
        named = (*offices, *_as_written(countries, text, lang))
        months = months_in(text, loose=False, certain=True)  # "they march" invents no March
        # a number one side writes in words is stated by both ("thứ 3" / "third"; "drei" / "3"), and a month
        # the translation writes by its number, the original by its name ("tháng 5" / "Mei", "May")
        stated = numbers_in(original) | {
            str(m) for m in set(numbered_months(fold(text))) & months_in(original, loose=True)
        }
        invented = [n for n in sorted(numbers_in(text) - stated) if not spelled_in(n, original, original_lang)]
        # a ruler's number ("the wife of Kaiser Wilhelm II" for "Kayserin Elisabetha Christina") is a number too
        stated |= set(roman_numbers_in(original))
        invented += [
            roman for n, roman in sorted(roman_numbers_in(text).items(), key=lambda item: int(item[0]))
            if n not in stated and not spelled_in(n, original, original_lang)
        ]
        invented += [f"month {m}" for m in sorted(months - months_in(original, loose=True))]
        if invented:
            return Verdict(False, [], "not in the original: " + ", ".join(invented), cosines, (*invented, *named))
        dropped = [
            n for n in sorted(numbers_in(original) - numbers_in(text))
            if not (n.isdigit() and int(n) in months)  # "22/12/1992" rendered "December 22, 1992"
            and not spelled_in(n, text, lang)
        ]
        # a month the original names by its name, lost ("vào tháng Ảo" for "in early August")
        dropped += [
            f"month {m}" for m in sorted(months_in(original, loose=False, certain=True) - months_in(text, loose=True))
        ]
        if dropped:
            return Verdict(False, [], "it drops " + ", ".join(dropped), cosines, named)
        if negation_changed(original, original_lang, text, lang):
            return Verdict(False, [], "a negation was added or lost", cosines, named)
        flipped = order_changed(original, text, original_lang, lang)
        if flipped:
            return Verdict(False, [], "order changed: " + ", ".join(f"{a}/{b}" for a, b in flipped), cosines, named)
        if named:
            return Verdict(False, [], "not in the original: " + ", ".join(offices or countries), cosines, named)
        if cities := cities_left_out(original, original_lang, text):
            return Verdict(False, [], "it leaves out " + ", ".join(cities), cosines)
        if carried is not None and (left_out := dropped_names(text, original, original_lang, carried)):
            return Verdict(False, [], "it leaves out " + ", ".join(left_out), cosines)
        foreign = untranslated_words(original, original_lang, text, lang)
        if foreign:
            # the retry writes them in the translation's words, not again as the original (or garbled: "Botchafter")
            return Verdict(False, [], "left untranslated: " + ", ".join(foreign), cosines, tuple(map(fold, foreign)))
        if cosine < self.translation_threshold:
            return Verdict(False, [], f"too far from the original (similarity {cosine:.2f})", cosines)
        if confidence is not None and self.confidence_threshold is not None and confidence < self.confidence_threshold:
            return Verdict(False, [], f"the model was unsure of a word (log-probability {confidence:.1f})", cosines)
        if against is not None and self.contradiction_threshold is not None and against < self.contradiction_threshold:
            return Verdict(False, [], f"the original speaks against some of its words (by {against:.1f})", cosines)
        if judge is not None and judge < self.faithfulness_threshold:
            return Verdict(False, [], f"judged unfaithful (p = {judge:.2f})", cosines)
        return Verdict(True, [0], None, cosines)

    # --- briefs -----------------------------------------------------------------------------------------

    def check_restatement(
        self,
        text: str,
        n: int,
        key_text: str,
        key_lang: str,
        lang: str,
        texts: dict[int, str],
        vectors: dict[int, np.ndarray],
        carried: Callable[[str], bool],
        *,
        text_lang: str | None = None,
    ) -> Verdict:
        """Does ``text``, written in ``lang``, faithfully restate source ``n`` (``key_text``, in
        ``key_lang``)? Checked as an answer sentence citing it, and it must keep the names of the source
        that ``carried`` confirms other languages write the same way (see :func:`dropped_names`).
        ``texts[n]`` is the key sentence itself, or (``text_lang``: its language) the key sentence's checked
        translation, which a condensed point is checked against within one language."""
        vector = self.embed([text])[0]
        verdict = self.check(text, vector, [n], texts, vectors, lang, {n: text_lang or key_lang})
        if not verdict.supported:
            return verdict
        # words copied from the key sentence that read as its language ("Menteri meyakini that …")
        if key_lang != lang and (foreign := untranslated_words(key_text, key_lang, text, lang)):
            return Verdict(False, [], "left untranslated: " + ", ".join(foreign), verdict.cosines)
        left_out = dropped_names(text, key_text, key_lang, carried)
        if left_out:
            return Verdict(False, [], f"it leaves out {', '.join(left_out)}, named in [{n}]", verdict.cosines)
        # a point condensed within English keeps the office holder who acts (as an answer sentence must)
        if lang == "en" and (text_lang or key_lang) == "en" and (actors := replaced_actor(text, texts[n])):
            source_actor, said_actor = actors
            return Verdict(False, [], _handed_over(source_actor, said_actor), verdict.cosines)
        return verdict


def _handed_over(source_actor: str, said_actor: str) -> str:
    """Why a sentence that hands its source's statement to another office holder is refused."""
    return f"the cited passage says it of the {source_actor}, not the {said_actor}"


#: What a question of each kind asks for, in the reason a non-answer is given.
_ASKED_FOR = {"number": "a number", "date": "a date", "person": "who", "name": "which one"}


def answers_the_question(
    sentences: list[AnswerSentence], question: str, answer_lang: str, question_lang: str = "en"
) -> list[AnswerSentence]:
    """``sentences`` with the supported generated ones marked unsupported when, together, they do not
    state the kind of answer the question asks for (see :mod:`assistant.grounding.answer_type`).

    A tiny model answers "Who is the Korean ambassador to Vietnam?" with "The Korean ambassador to Vietnam
    … is the Minister of Information and Communications …": every word is in the German source it cites
    ("… des … Botschafters Koreas in Vietnam durch den Minister für Information und Kommunikation"), so it
    verifies, yet it names nobody and equates two people. An answer to a who / how many / when / which
    question that names no person, number, date or name the question does not already hold is no
    answer; the quotes, chosen by the same test, are shown instead.
    """
    kind = expected_answer(question, question_lang)
    generated = [s for s in sentences if s.supported and s.kind == "generated"]
    if kind is None or not generated or any(states_answer(s.text, answer_lang, question, kind) for s in generated):
        return sentences
    for s in generated:
        s.supported = False
        s.reason = f"it does not say {_ASKED_FOR[kind]}, which the question asks"
    return sentences


def _as_written(countries: list[str], text: str, lang: str) -> list[str]:
    """The folded words ``text`` names ``countries`` (English naming words, as the country check reports
    them) by: in another language than English its own ("trung quoc" for "china"), so that a retry can
    avoid them as the text writes them."""
    if lang == "en":
        return countries
    return list(dict.fromkeys(m.words for m in country_mentions(text, lang) if m.english in countries))
