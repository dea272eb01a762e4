"""The answer pipeline: retrieve → ground → generate → verify, with an honest fallback at each step.

1. Evidence: retrieve passages and keep the best few sentences, numbered as sources (``evidence.py``).
   When even the best sentence is not close to the question, the documents do not answer it: say so,
   with no citation.
2. Prompt: render ``prompts/system.txt`` and ``prompts/answer.txt``, fitted with the model's own tokenizer
   to ``n_ctx`` minus the answer budget. Sources that do not fit are left out whole, and the answer says so.
3. Generate, streaming, under a grammar that makes every sentence end with markers naming real sources.
4. Verify each sentence against what it cites (``verify.py``). Failing sentences are kept in the result,
   marked unsupported, and left out of the displayed answer. So are the supported ones when, for a who /
   how many / when / which question, none of them names such a thing (:func:`assistant.grounding.verifier.answers_the_question`).
5. If nothing generated survives, answer with the evidence itself: the best sentences quoted in their
   own language with their [n], labelled as quotes (for "who", "how many", "when" and "which" questions,
   the best that names such a thing the question does not, see ``answer_type.py``).
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

from assistant.backends.embedder import Embedder
from assistant.backends.llm import ChatMessage, ChatModel
from assistant.backends.store import VectorStore
from assistant.config import Settings
from assistant.errors import InputError
from assistant.grounding.answer_type import expected_answer, states_answer
from assistant.grounding.citations import citation_grammar, format_cited
from assistant.grounding.verifier import Verifier
from assistant.models import Answer, AnswerSentence, SearchFilters, Timings
from assistant.retrieval.evidence import Evidence, renumber, select_evidence
from assistant.retrieval.retriever import Retriever
from assistant.retrieval.translations import Translation
from assistant.templates import render
from assistant.text.injection import neutralise
from assistant.text.language import LANGUAGE_NAMES

TokenCallback = Callable[[str], None]


NOT_ANSWERED = "The documents do not answer this question."
#: How many evidence sentences the quote fallback shows at most, and how close to the best one (in score)
#: a second one must be to be shown too.
QUOTES_IN_FALLBACK = 2
QUOTE_MARGIN = 0.01
#: For a question that asks who, how many, when or which, the quote is chosen among this many best evidence
#: sentences: the first that states such an answer (see :mod:`assistant.grounding.answer_type`).
QUOTE_POOL = 4


def language_name(code: str) -> str:
    try:
        return LANGUAGE_NAMES[code]
    except KeyError:
        raise InputError(
            f"unknown answer language {code!r}", hint=f"use one of: {', '.join(sorted(LANGUAGE_NAMES))}"
        ) from None


def format_sources(evidence: Evidence) -> str:
    return "\n".join(f"[{s.n}] {' '.join(neutralise(s.quote).split())}" for s in evidence.sources)


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
    ) -> None:
        #: The question in the store's other languages, for retrieval (see :mod:`assistant.generation.query_translation`).
        self.translate = translate
        self.retriever = retriever
        self.store = store
        self.embedder = embedder
        self.model = model
        self.settings = settings
        self.verifier = Verifier(embedder, settings.support_threshold)

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

    def messages(self, evidence: Evidence, question: str, answer_lang: str) -> list[ChatMessage]:
        return [
            ChatMessage("system", render("system")),
            ChatMessage(
                "user",
                render("answer", sources=format_sources(evidence), question=question, language=language_name(answer_lang)),
            ),
        ]

    def fit(self, evidence: Evidence, question: str, answer_lang: str) -> tuple[Evidence, list[ChatMessage], int]:
        """The most sources whose prompt fits ``n_ctx`` minus the answer budget; how many were left out."""
        budget = self.model.n_ctx - self.settings.max_answer_tokens
        for keep in range(len(evidence.sources), 0, -1):
            fitted = renumber(evidence, keep)
            messages = self.messages(fitted, question, answer_lang)
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
        answer_lang: str = "en",
        filters: SearchFilters | None = None,
        k: int | None = None,
        on_token: TokenCallback | None = None,
    ) -> Answer:
        question = " ".join(question.split())
        if not question:
            raise InputError("the question is empty")
        language_name(answer_lang)
        started = time.perf_counter()
        query = self.standalone(question, history)
        evidence = select_evidence(
            query, self.retriever, self.store, self.embedder,
            k=k or self.settings.top_k, n_sentences=self.settings.evidence_sentences, filters=filters,
            translations=self.translate(query, filters) if self.translate else (),
            translation_weight=self.settings.translation_weight,
        )
        timings = Timings(retrieve_ms=round((time.perf_counter() - started) * 1000, 1))
        result = Answer(
            question=question,
            standalone_question=query if query != question else None,
            answer_lang=answer_lang,
            answer=NOT_ANSWERED,
            answerable=False,
            model=self.model.name,
            timings=timings,
        )
        if evidence.withheld:
            result.notes.append(
                f"{len(evidence.withheld)} sentence(s) that read as instructions to the model were not used as "
                f"sources (in {', '.join(sorted(set(evidence.withheld)))})"
            )
        if not evidence.sources or evidence.best_cosine < self.settings.min_relevance:
            result.notes.append(
                f"best evidence similarity {evidence.best_cosine:.2f} is below ASSISTANT_MIN_RELEVANCE "
                f"({self.settings.min_relevance:.2f})"
            )
            timings.total_ms = round((time.perf_counter() - started) * 1000, 1)
            return result

        evidence, messages, left_out = self.fit(evidence, query, answer_lang)
        if left_out:
            result.notes.append(f"{left_out} lower-ranked sources left out to fit the model's context window")
        draft: list[str] = []
        for piece in self.model.stream(
            messages,
            max_tokens=self.settings.max_answer_tokens,
            grammar=citation_grammar(len(evidence.sources)),
            stop=["\n"],
        ):
            if timings.first_token_ms is None:
                timings.first_token_ms = round((time.perf_counter() - started) * 1000, 1)
            draft.append(piece)
            if on_token:
                on_token(piece)
        result.draft = "".join(draft)
        result.sentences = self.verifier.check_answer(
            result.draft,
            evidence.question,
            {s.n: s.quote for s in evidence.sources},
            evidence.vectors,
            {s.n: s.lang for s in evidence.sources},
            answer_lang,
        )
        if not any(s.supported for s in result.sentences):
            result.sentences += self.quotes(evidence)
            result.notes.append("no generated sentence was supported by its sources; showing quotes instead")
        result.sources = evidence.sources
        result.answerable = True
        result.answer = " ".join(
            (f"“{s.text}” [{s.citations[0]}]" if s.kind == "quote" else format_cited(s.text, s.citations))
            for s in result.sentences
            if s.supported
        )
        timings.total_ms = round((time.perf_counter() - started) * 1000, 1)
        return result

    @staticmethod
    def quotes(evidence: Evidence) -> list[AnswerSentence]:
        """The best evidence sentence, and the next ones only when they score nearly as well.

        When the question asks for a person, a number, a date or a name, only the sentences among the
        first ``QUOTE_POOL`` that state one the question does not hold are candidates (if any does): the
        sentence most similar to a question often restates it rather than answering it.
        """
        pool = evidence.sources
        kind = expected_answer(evidence.question)
        if kind:
            stating = [s for s in pool[:QUOTE_POOL] if states_answer(s.quote, s.lang, evidence.question, kind)]
            pool = stating or pool
        best = pool[0].score
        return [
            AnswerSentence(text=s.quote, citations=[s.n], supported=True, kind="quote", cited_by_model=[])
            for s in pool[:QUOTES_IN_FALLBACK]
            if s.score >= best - QUOTE_MARGIN
        ]
