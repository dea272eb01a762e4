"""The answer pipeline: retrieve → ground → generate → verify, with an honest fallback at each step.

0. The answer language is the question's own (detected) unless the reader chose one.
1. Evidence: retrieve passages and keep the best few sentences, numbered as sources (``evidence.py``).
   When even the best sentence is not close to the question, the documents do not answer it: say so,
   with no citation. When it is only somewhat close (``doubtful_relevance``), e5 alone cannot tell: over a
   library that holds nothing on the question, the nearest sentence is that close about half the time.
   Then the answer judge decides: unless it reads one of the best sentences as stating the answer, the
   documents do not answer it either.
2. Translate: the best ``translate_evidence`` sources not in the answer language are translated one by
   one and each translation is checked against its original (:mod:`assistant.generation.translation`).
   Sources in the answer language and verified translations go on; the others stay sources (shown, and
   quotable as a last resort) but are not given to the model.
3. Prompt: render ``prompts/system.txt`` and ``prompts/answer.txt`` over those texts, all in the answer
   language, fitted with the model's own tokenizer to ``n_ctx`` minus the answer budget.
4. Generate, streaming, under a grammar that makes every sentence end with markers naming real sources.
5. Verify each sentence against the text it cites, in the same language (the translation, itself
   checked against its original). Failing sentences are kept in the result, marked unsupported, and left
   out of the displayed answer. So are the supported ones when, for a who / how many / when / which
   question, none of them names such a thing (:func:`assistant.grounding.verifier.answers_the_question`).
6. If nothing generated survives, answer with the evidence itself (``shown_sources.py``): the best
   sentences' verified translations, labelled "translated from …" with the original beside them; only a
   sentence with no verified translation is quoted in its own language, labelled so (for "who", "how
   many", "when" and "which" questions, the best that names such a thing the question does not, see
   ``answer_type.py``).

With ``lead_with_evidence`` the first of those evidence sentences, when the reader can read it (a verified
translation, or a sentence in the answer language), leads every answer. It is found translating as few
sources as that takes and shown before the other sources are translated and before the model reads its
prompt: the reader has the source's own statement in seconds, and the model's shorter sentences follow
when they verify. A quote in a language the reader did not ask for never leads. A second source the
answer judge found likely to state the answer follows it (:meth:`AnswerPipeline.seconding`), as source 2.
"""

from __future__ import annotations

import re
import time
from typing import Callable, Sequence

from assistant.backends.chat import ChatMessage, ChatModel
from assistant.backends.embedder import Embedder
from assistant.backends.store import VectorStore
from assistant.config import Settings
from assistant.errors import InputError
from assistant.generation.shown_sources import (
    QUOTE_POOL,
    as_sentence,
    displayed,
    plain,
    quotes,
    readable_by,
    readable_text,
    repeats,
    states_it,
)
from assistant.generation.translation import SentenceTranslator
from assistant.grounding.answer_type import expected_answer
from assistant.grounding.citations import citation_grammar
from assistant.grounding.disagreements import Claim, conflicts
from assistant.grounding.verifier import Verifier
from assistant.models import Answer, AnswerSentence, Disagreement, SearchFilters, Source, Timings
from assistant.retrieval.answer_judge import AnswerJudge, by_standing, judged
from assistant.retrieval.evidence import Evidence, keep_sources, referent_context, renumber, select_evidence
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.translations import Translation
from assistant.templates import load, render
from assistant.text.injection import neutralise
from assistant.text.langdata import message
from assistant.text.language import LANGUAGE_NAMES, question_language
from assistant.text.words import anchors

TokenCallback = Callable[[str], None]
SentenceCallback = Callable[[AnswerSentence], None]
#: Receives a source with its greedy, verified translation, before the translation is chosen.
DraftCallback = Callable[[Source], None]
#: The end of a cited sentence as the citation grammar writes it: markers, then a full stop.
_SENTENCE_END = re.compile(r"\]\.")


NOT_ANSWERED = message("not_answered", "en")


def doubt_refuses(best_cosine: float, judgements: Sequence[float], doubtful_relevance: float, doubt_judge: float) -> bool:
    """Whether a match the relevance gate let through is refused all the same: doubtful (its best cosine
    below ``doubtful_relevance``) and no judged sentence at least ``doubt_judge`` likely to state the answer.
    Nothing judged (the judge off): not refused."""
    return best_cosine < doubtful_relevance and bool(judgements) and max(judgements) < doubt_judge
#: Longest answer sentence the citation grammar allows, in characters: a cap that cuts a sentence short
#: leaves a fragment ("… particularly in the areas of information, communication, [1].").
ANSWER_SENTENCE_CHARS = 260


def language_name(code: str) -> str:
    try:
        return LANGUAGE_NAMES[code]
    except KeyError:
        raise InputError(
            f"unknown answer language {code!r}", hint=f"use one of: {', '.join(sorted(LANGUAGE_NAMES))}"
        ) from None


def format_sources(texts: dict[int, str]) -> str:
    return "\n".join(f"[{n}] {' '.join(neutralise(text).split())}" for n, text in sorted(texts.items()))


class AnswerPipeline:
    """Answers questions over one store with one model. Safe to share: it keeps no per-request state."""

    def __init__(
        self,
        retriever: Retriever,
        store: VectorStore,
        embedder: Embedder,
        model: ChatModel,
        settings: Settings,
        translate: Callable[[str, SearchFilters | None], list[Translation]] | None = None,
        translator: SentenceTranslator | None = None,
    ) -> None:
        #: The question in the store's other languages, for retrieval (see :mod:`assistant.generation.query_translation`).
        self.translate = translate
        self.retriever = retriever
        self.store = store
        self.embedder = embedder
        self.model = model
        self.settings = settings
        self.verifier = Verifier(embedder, settings.support_threshold)
        self.judge = AnswerJudge(model)
        self.translator = translator or SentenceTranslator.from_settings(
            model, embedder, store, settings, retriever.languages_writing
        )

    # --- steps ------------------------------------------------------------------------------------------

    def standalone(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        """A follow-up rewritten to stand alone, from the conversation (``(question, answer)`` pairs)."""
        if not history:
            return question
        turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in history[-3:])
        messages = [ChatMessage("user", render("rewrite", history=turns, question=question))]
        text = "".join(self.model.stream(messages, max_tokens=48, stop=["\n"])).strip().strip('"')
        # A tiny model may echo or ramble; then retrieval falls back on the last question plus this one.
        words = text.split()
        if 3 <= len(words) <= 40 and text.casefold() != question.casefold():
            return text
        return f"{history[-1][0]} {question}"

    def asked_in(self, question: str) -> str:
        """The language ``question`` is asked in (see :func:`assistant.text.language.question_language`)."""
        return question_language(question, tuple(LANGUAGE_NAMES), ["en", *self.retriever.languages()])

    def answer_language(self, question: str, answer_lang: str | None) -> str:
        """``answer_lang`` when the reader chose one, else the question's language."""
        chosen = answer_lang or self.settings.answer_lang
        if chosen in (None, "", "auto"):
            return self.asked_in(question)
        language_name(chosen)
        return chosen

    def messages(self, texts: dict[int, str], question: str, answer_lang: str) -> list[ChatMessage]:
        """The instructions, a worked example as a request and its reply, then the sources and the question.

        The example (``prompts/answer_example.txt``: sources, question and answer) is a request and a reply of
        their own, not text in the instructions: given it inside the system message, the model often began
        its draft with a line shaped like the request ("Sources: None. [1][2].", "Sources: 1, 2, 3 [1].")."""
        sources, asked, reply = (part.strip() for part in load("answer_example").split("\n---\n"))
        return [
            ChatMessage("system", render("system")),
            ChatMessage("user", render("answer", sources=sources, question=asked, language=language_name("en")), fixed=True),
            ChatMessage("assistant", reply, fixed=True),
            ChatMessage(
                "user",
                render("answer", sources=format_sources(texts), question=question, language=language_name(answer_lang)),
            ),
        ]

    def to_translate(self, evidence: Evidence, answer_lang: str) -> list[Source]:
        """The best ``translate_evidence`` sources not in ``answer_lang`` (none when that is 0)."""
        if self.settings.translate_evidence == 0:  # the model reads every source in its own language
            return []
        return [s for s in evidence.sources if s.lang != answer_lang][: self.settings.translate_evidence]

    def read_cached_translations(self, evidence: Evidence, answer_lang: str) -> None:
        """Give the sources beyond the ``translate_evidence`` best their cached, still verified translations
        (no model call): a sentence translated for an earlier question or ahead of questions is as readable
        as the best three. Left out of the prompt, "Sie gewannen auch … zwei Mal den Pokal" went unread for
        "How many times has Polonia won the cup?" though its translation was in the cache."""
        wanted = {s.n for s in self.to_translate(evidence, answer_lang)}
        rest = [s for s in evidence.sources if s.lang != answer_lang and s.n not in wanted and not s.translation]
        if not rest or self.settings.translate_evidence == 0:
            return
        for source, rendering in zip(rest, self.translator.cached([(s.quote, s.lang) for s in rest], answer_lang)):
            if rendering is not None:
                source.translation, source.translation_lang = rendering.text, answer_lang

    def referent_contexts(self, evidence: Evidence, answer_lang: str) -> dict[int, str]:
        """The sentence before each source that opens with a pronoun (:func:`referent_context`), as the
        verifier reads it beside that source: for a translated source, the cached and still verified
        translation of that sentence (no model call), else the sentence as written. "She was restored … in
        April 1991" (for "Sie wurde …") names the Warsaw Stock Exchange only in the sentence before; read in
        German, "The Warsaw Stock Exchange was restored … in April 1991 [2]" failed as "not in the cited
        passage: warsaw, stock, exchange" though that sentence's English translation was in the cache.
        Each source keeps its context (``Source.context``), so the reader's card shows what the check read."""
        before = {s.n: text for s in evidence.sources if (text := referent_context(s))}
        langs = {n: evidence.source(n).lang for n in before}
        translated = [n for n in before if evidence.source(n).translation]
        if translated:
            items = [(before[n], evidence.source(n).lang) for n in translated]
            for n, rendering in zip(translated, self.translator.cached(items, answer_lang)):
                if rendering is not None:
                    before[n], langs[n] = rendering.text, answer_lang
        for source in evidence.sources:
            source.context, source.context_lang = before.get(source.n), langs.get(source.n)
        return before

    def with_contexts(self, sentences: list[AnswerSentence], sources: Sequence[Source], answer_lang: str) -> list[AnswerSentence]:
        """``sentences`` (source sentences shown as they stand, each citing one of ``sources``), those that
        open with a pronoun given the sentence before them in their document (:func:`referent_context`) to
        show first, in the sentence's own language: as written beside a quote or a sentence in the answer
        language, its verified translation beside a translation (translated now when not cached; without a
        verified one the sentence is shown alone). "Dès 1987, il abandonne ses principes marxistes …" shown
        alone answered "Who gave up his Marxist principles in 1987?" without the name the sentence before
        holds. A context that is itself one of the sentences shown is not repeated."""
        by_n = {s.n: s for s in sources}
        shown = {s.original or s.text for s in sentences}
        out = []
        for sentence in sentences:
            source = by_n.get(sentence.citations[0]) if sentence.citations else None
            before = referent_context(source) if source else None
            if not before or before in shown:
                out.append(sentence)
                continue
            context = before
            if sentence.kind == "translation":
                rendering = self.translator.render([(before, source.lang)], answer_lang)[0]
                context = rendering.text if rendering.verified else None
            out.append(sentence.model_copy(update={"context": context, "context_original": before}) if context else sentence)
        return out

    def translate_sources(self, sources: Sequence[Source], answer_lang: str) -> None:
        """Give each of ``sources`` its verified translation into ``answer_lang``, or the reason there is none
        (cached ones cost no model call)."""
        renderings = self.translator.render([(s.quote, s.lang) for s in sources], answer_lang)
        for source, rendering in zip(sources, renderings):
            if rendering.verified:
                source.translation, source.translation_lang = rendering.text, answer_lang
            else:
                source.translation_note = f"{rendering.text!r} not used: {rendering.reason}" if rendering.text else rendering.reason

    def leading(self, evidence: Evidence, answer_lang: str, on_draft: DraftCallback | None = None) -> Source | None:
        """The source :func:`~assistant.generation.shown_sources.quotes` would show first, when the reader can
        read it; found translating as few sources as that takes (one, mostly), so that it can be shown before
        the others are translated (and, before any is, the first greedy draft that states the answer given
        to ``on_draft``: :meth:`show_draft`)."""
        wanted = {s.n for s in self.to_translate(evidence, answer_lang)}
        ranked = by_standing(evidence.sources, self.settings.judge_weight)
        if on_draft is not None:
            self.show_draft(ranked[:QUOTE_POOL], wanted, evidence, answer_lang, on_draft)
        kind = expected_answer(evidence.question, evidence.question_lang)
        stating = False
        for s in ranked[:QUOTE_POOL]:
            states = self.stating(s, evidence, answer_lang, translate=s.n in wanted)
            if states and readable_by(s, answer_lang):
                return s
            stating = stating or states
        if kind and not stating:  # none of them states the answer: the best the reader can read, as the quotes do
            return next((s for s in ranked[:QUOTE_POOL] if readable_by(s, answer_lang)), None)
        return None

    def show_draft(self, ranked: Sequence[Source], wanted: set[int], evidence: Evidence, answer_lang: str,
                   on_draft: DraftCallback) -> bool:
        """Give ``on_draft`` the first of ``ranked`` whose greedy translation (or cached one) states the answer
        (:meth:`drafted`; only sources due for translation, ``wanted``, are drafted), unless a source the reader
        can already read and that states it comes first: that one leads at once. False when neither was found.

        The drafts come before any translation is chosen among its variants: when the best sources do not
        state the answer in the reader's words, the lead is otherwise found only after each of them was
        translated in full (an English question over Vietnamese, German and Indonesian sources waited for
        three translations; BENCHMARKS.md). A draft the translation then takes costs nothing more."""
        for source in ranked:
            if source.n in wanted and not source.translation and not source.translation_note:
                draft = self.drafted(source, evidence, answer_lang)
                if draft is not None:
                    on_draft(draft)
                    return True
            elif readable_by(source, answer_lang) and self.stating(source, evidence, answer_lang, translate=False):
                return True
        return False

    def stating(self, source: Source, evidence: Evidence, answer_lang: str, *, translate: bool) -> bool:
        """Does ``source`` state the kind of answer the question of ``evidence`` asks for (any source does when
        the question asks for no particular kind), as the reader reads it: translated first when ``translate``."""
        if translate and not source.translation and not source.translation_note:
            self.translate_sources([source], answer_lang)
        kind = expected_answer(evidence.question, evidence.question_lang)
        return not kind or states_it(source, evidence.question, kind, self.settings.judge_second)

    def drafted(self, source: Source, evidence: Evidence, answer_lang: str) -> Source | None:
        """A copy of ``source`` with its greedy translation into ``answer_lang``
        (:meth:`~assistant.generation.translation.SentenceTranslator.draft`), when that passes the checks and
        states the kind of answer the question asks for: a verified sentence the reader can be shown while the
        translation is chosen (the greedy translation costs a fraction of the choice). The answer then
        shows the chosen translation, which may read otherwise."""
        rendering = self.translator.draft(source.quote, source.lang, answer_lang)
        if rendering is None or not rendering.verified:
            return None
        draft = source.model_copy(update={"translation": rendering.text, "translation_lang": answer_lang})
        kind = expected_answer(evidence.question, evidence.question_lang)
        return draft if not kind or states_it(draft, evidence.question, kind, self.settings.judge_second) else None

    def settled_lead(self, source: Source, evidence: Evidence, answer_lang: str,
                     on_draft: DraftCallback | None = None) -> bool:
        """Will ``source``, sure to stand first (see :func:`~assistant.retrieval.answer_judge.settled_first`),
        lead the answer? It does when it states the answer and the reader can read it: then :meth:`leading`
        returns it whatever the judge says of the others, and it can be shown before they are judged.

        With ``on_draft``, its greedy draft is given there before its translation is chosen; a draft that does not
        state the answer leaves the lead to :meth:`leading`, which reads the other sources' drafts before any
        translation is chosen (this one's would be chosen first, in vain when it states nothing either)."""
        foreign = source.lang != answer_lang and self.settings.translate_evidence > 0
        if foreign and on_draft is not None:
            if not self.show_draft([source], {source.n}, evidence, answer_lang, on_draft):
                return False
        return self.stating(source, evidence, answer_lang, translate=foreign) and readable_by(source, answer_lang)

    def seconding(self, evidence: Evidence, first: Source, answer_lang: str) -> Source | None:
        """Another source the answer judge read and found likely to state the answer (``Source.answers`` at
        least ``judge_second``), when the reader can read it: shown right after the one that leads.

        Two sentences that each state the answer are worth the reader's eye before the model's summary:
        the judge's first choice is sometimes the sentence that restates the question, and the second
        holds the answer ("They also won the cup twice"). Only a source already due for translation (or
        with a cached one) is considered, so it costs no extra model call.
        """
        ranked = by_standing(evidence.sources, self.settings.judge_weight)
        likely = next(
            (s for s in ranked if s.n != first.n and s.answers is not None and s.answers >= self.settings.judge_second),
            None,
        )
        if likely is None:
            return None
        wanted = {s.n for s in self.to_translate(evidence, answer_lang)}
        if likely.n in wanted and not likely.translation and not likely.translation_note:
            self.translate_sources([likely], answer_lang)
        return likely if readable_by(likely, answer_lang) else None

    def translated(self, evidence: Evidence, answer_lang: str, leads: Sequence[Source] = ()) -> tuple[Evidence, int]:
        """The sources with their verified translations into ``answer_lang``, those readable in it first
        (``leads`` before all: numbers 1, 2, …), renumbered; and how many are readable (in the answer
        language, or translated and verified)."""
        wanted = self.to_translate(evidence, answer_lang)
        self.translate_sources([s for s in wanted if not s.translation and not s.translation_note], answer_lang)
        if self.settings.translate_evidence == 0:  # the model reads every source in its own language
            readable = [s.n for s in evidence.sources]
        else:
            readable = [s.n for s in evidence.sources if s.lang == answer_lang or s.translation]
        if leads:
            numbers = [s.n for s in leads]
            readable = numbers + [n for n in readable if n not in numbers]
        rest = [s.n for s in evidence.sources if s.n not in readable]
        return keep_sources(evidence, readable + rest), len(readable)

    def fit(self, evidence: Evidence, question: str, answer_lang: str) -> tuple[Evidence, list[ChatMessage], int]:
        """The most sources whose prompt fits ``n_ctx`` minus the answer budget; how many were left out."""
        budget = self.model.n_ctx - self.settings.max_answer_tokens
        for keep in range(len(evidence.sources), 0, -1):
            fitted = renumber(evidence, keep)
            messages = self.messages({s.n: readable_text(s) for s in fitted.sources}, question, answer_lang)
            if self.model.count_tokens(messages) <= budget:
                return fitted, messages, len(evidence.sources) - keep
        raise InputError(
            "the question and a single source do not fit the model's context window",
            hint="ask a shorter question, or raise ASSISTANT_N_CTX",
        )

    # --- the whole pipeline -----------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        *,
        history: Sequence[tuple[str, str]] = (),
        answer_lang: str | None = None,
        filters: SearchFilters | None = None,
        k: int | None = None,
        on_token: TokenCallback | None = None,
        on_sentence: SentenceCallback | None = None,
    ) -> Answer:
        """A checked answer to ``question`` in ``answer_lang`` (None: the question's language).

        ``on_token`` receives the model's draft as it is written; ``on_sentence`` each sentence the reader
        may see, as soon as it is verified (the answer's ``first_answer_ms`` is when the first came).
        """
        question = " ".join(question.split())
        if not question:
            raise InputError("the question is empty")
        answer_lang = self.answer_language(question, answer_lang)
        started = time.perf_counter()
        query = self.standalone(question, history)
        evidence = select_evidence(
            query, self.retriever, self.store, self.embedder,
            k=k or self.settings.top_k, n_sentences=self.settings.evidence_sentences, filters=filters,
            translations=self.translate(query, filters) if self.translate else (),
            translation_weight=self.settings.translation_weight,
            renderings=(answer_lang, self.model.name) if self.settings.search_renderings else None,
        )
        evidence.question_lang = self.asked_in(question)
        timings = Timings(retrieve_ms=round((time.perf_counter() - started) * 1000, 1))
        result = Answer(
            question=question,
            standalone_question=query if query != question else None,
            answer_lang=answer_lang,
            answer=message("not_answered", answer_lang),
            answerable=False,
            model=self.model.name,
            timings=timings,
        )
        if evidence.withheld:
            result.notes.append(
                f"{len(evidence.withheld)} sentence(s) that read as instructions to the model were not used as "
                f"sources (in {', '.join(sorted(set(evidence.withheld)))})"
            )
        def refused(note: str) -> Answer:
            result.notes.append(note)
            timings.total_ms = round((time.perf_counter() - started) * 1000, 1)
            return result

        if not evidence.sources or evidence.best_cosine < self.settings.min_relevance:
            return refused(
                f"best evidence similarity {evidence.best_cosine:.3f} is below ASSISTANT_MIN_RELEVANCE "
                f"({self.settings.min_relevance:g})"
            )
        doubtful = evidence.best_cosine < self.settings.doubtful_relevance

        for source in evidence.sources:
            source.instructions_withheld = source.source in evidence.withheld
        shown: list[AnswerSentence] = []

        def show(sentence: AnswerSentence) -> None:
            if timings.first_answer_ms is None:
                timings.first_answer_ms = round((time.perf_counter() - started) * 1000, 1)
            shown.append(sentence)
            if on_sentence:
                on_sentence(sentence)

        early: list[Source] = []  # shown as source 1 before the judge had read all it reads, or as a draft
        leading_ms = 0.0

        def show_first(source: Source) -> None:
            if all(s.quote != source.quote for s in early):
                early.append(source)
                show(as_sentence(source.model_copy(update={"n": 1}), answer_lang))

        def draft_first(source: Source) -> None:  # a lead's greedy translation, while nothing else is shown
            if not shown:
                show_first(source)

        def lead_at_once(source: Source) -> None:
            nonlocal leading_ms
            began = time.perf_counter()
            if self.settings.lead_with_evidence and self.settled_lead(source, evidence, answer_lang, draft_first):
                show_first(source)
            leading_ms += (time.perf_counter() - began) * 1000

        # a doubtful match may yet be refused when the judge has read all it reads: nothing is shown before
        evidence = judged(evidence, self.judge, self.settings.judge_evidence, self.settings.judge_weight,
                          None if doubtful else lead_at_once)
        timings.judge_ms = round((time.perf_counter() - started) * 1000 - timings.retrieve_ms - leading_ms, 1)
        judgements = [s.answers for s in evidence.sources if s.answers is not None]
        if doubt_refuses(evidence.best_cosine, judgements, self.settings.doubtful_relevance, self.settings.doubt_judge):
            return refused(
                f"best evidence similarity {evidence.best_cosine:.3f} is below ASSISTANT_DOUBTFUL_RELEVANCE "
                f"({self.settings.doubtful_relevance:g}) and the answer judge found no sentence that states the "
                f"answer (at most {max(judgements):.2f}, below ASSISTANT_DOUBT_JUDGE {self.settings.doubt_judge:g})"
            )

        self.read_cached_translations(evidence, answer_lang)
        first = self.leading(evidence, answer_lang, draft_first) if self.settings.lead_with_evidence else None
        leads = [first] if first else []
        lead: list[AnswerSentence] = []
        if first:  # before the other sources are translated: it will be source 1
            lead.append(as_sentence(first.model_copy(update={"n": 1}), answer_lang))
            show_first(first)  # unless shown while the judge read the others, or as its draft
            second = self.seconding(evidence, first, answer_lang)
            if second:  # source 2
                leads.append(second)
                lead.append(as_sentence(second.model_copy(update={"n": 2}), answer_lang))
                show(lead[-1])
        evidence, readable = self.translated(evidence, answer_lang, leads)
        timings.translate_ms = round((time.perf_counter() - started) * 1000 - timings.retrieve_ms - timings.judge_ms, 1)
        result.sources = evidence.sources
        result.answerable = True
        untranslated = [s for s in evidence.sources[readable:] if s.translation_note]
        if untranslated:
            result.notes.append(
                f"{len(untranslated)} source sentence(s) could not be translated reliably into "
                f"{language_name(answer_lang)} and were not given to the model"
            )
        fallback = quotes(evidence, answer_lang, self.settings.judge_weight, self.settings.judge_second)
        led = [s.text for s in lead]  # a sentence the model copied or shortened from the lead is not shown twice

        def new(sentence: AnswerSentence) -> bool:
            return not repeats(sentence.text, led, answer_lang)

        if readable:
            self.compose(renumber(evidence, readable), query, answer_lang, result, started, on_token,
                         lambda s: show(s) if new(s) else None)
        if any(s.supported for s in result.sentences):
            lead = self.with_contexts(lead, result.sources, answer_lang)
            result.sentences = lead + [s for s in result.sentences if new(s)]
        else:
            quoted = {plain(text) for text in led}  # a source sentence is shown once
            as_they_stand = lead + [s for s in fallback if plain(s.text) not in quoted]
            result.sentences += self.with_contexts(as_they_stand, result.sources, answer_lang)
            if readable:
                result.notes.append("no generated sentence was supported by its sources; showing the sources instead")
            # a source shown already (its draft translation, maybe worded otherwise) is not shown again
            seen = {plain(x.original or x.text) for x in shown}
            for sentence in result.sentences:
                if sentence.supported and plain(sentence.original or sentence.text) not in seen:
                    show(sentence)
        result.answer = " ".join(displayed(s, answer_lang) for s in result.sentences if s.supported)
        result.disagreements = self.disagreements(result.sources)
        result.notes += [d.note for d in result.disagreements]
        timings.total_ms = round((time.perf_counter() - started) * 1000, 1)
        return result

    def disagreements(self, sources: Sequence[Source]) -> list[Disagreement]:
        """Sources of different documents giving other numbers for the same thing, compared as the reader
        reads them (verified translations where there are some)."""
        readable = [(s, s.translation or s.quote, s.translation_lang if s.translation else s.lang) for s in sources]
        readable = [r for r in readable if anchors(r[1])]
        if len(readable) < 2:
            return []
        vectors = self.embedder.embed_passages([text for _, text, _ in readable])
        claims = [Claim(f"[{s.n}]", text, lang, v) for (s, text, lang), v in zip(readable, vectors)]
        found = conflicts(claims, [s.doc_id for s, _, _ in readable])
        return [
            Disagreement(refs=[c.a.ref, c.b.ref], texts=[c.a.text, c.b.text], values=[list(c.only_a), list(c.only_b)], note=c.describe())
            for c in found
        ]

    def compose(self, evidence: Evidence, query: str, answer_lang: str, result: Answer, started: float,
                on_token: TokenCallback | None, on_sentence: SentenceCallback | None = None) -> None:
        """The model's answer over ``evidence`` (every source readable in ``answer_lang``), verified sentence
        by sentence against the texts it was given, each as soon as the model has finished it."""
        timings = result.timings
        evidence, messages, left_out = self.fit(evidence, query, answer_lang)
        if left_out:
            result.notes.append(f"{left_out} lower-ranked sources left out to fit the model's context window")
        texts = {s.n: readable_text(s) for s in evidence.sources}
        translated = [n for n, s in enumerate(evidence.sources, 1) if s.translation]
        vectors = dict(evidence.vectors)
        if translated:  # a translation is checked as the passage it stands for
            vectors.update(zip(translated, self.embedder.embed_passages([texts[n] for n in translated])))
        langs = {s.n: answer_lang if s.translation else s.lang for s in evidence.sources}
        contexts = self.referent_contexts(evidence, answer_lang)

        def check(text: str) -> list[AnswerSentence]:
            return self.verifier.check_answer(
                text, evidence.question, texts, vectors, langs, answer_lang, contexts, evidence.question_lang
            )

        draft, checked = "", 0
        for piece in self.model.stream(
            messages,
            max_tokens=self.settings.max_answer_tokens,
            grammar=citation_grammar(len(evidence.sources), max_chars=ANSWER_SENTENCE_CHARS),
            stop=["\n"],
        ):
            if timings.first_token_ms is None:
                timings.first_token_ms = round((time.perf_counter() - started) * 1000, 1)
            draft += piece
            if on_token:
                on_token(piece)
            # A sentence just finished: the reader may see it now if it passes on its own (passing alone,
            # it also passes with the sentences after it).
            for end in _SENTENCE_END.finditer(draft, checked):
                for sentence in check(draft[checked : end.end()]):
                    if sentence.supported:
                        if timings.first_answer_ms is None:
                            timings.first_answer_ms = round((time.perf_counter() - started) * 1000, 1)
                        if on_sentence:
                            sentence.lang = answer_lang
                            on_sentence(sentence)
                checked = end.end()
        result.draft = draft
        result.sentences = check(draft)
        for sentence in result.sentences:
            sentence.lang = answer_lang

