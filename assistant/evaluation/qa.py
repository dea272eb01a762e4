"""``assistant eval --mode qa``: how good are the answers, and can their citations be trusted?

Per file:
* answer accuracy — correct *in the answer language*: every group of accepted strings (``answers``; for
  XQuAD the English ``answers_en`` of an English question) stands in the first two displayed sentences, in
  a sentence that reads as the answer language (see :mod:`assistant.evaluation.scoring`); beside it, named
  for what it is, the older figure "found in any language" (anywhere in the displayed answer, a foreign
  quote included), and the answers' mean length in words;
* source hit — a displayed citation names a gold source (``gold_sources``, or the question's own context);
* citation precision — of the citations the *model* wrote, the share that passed verification as written
  (re-cited or failed ones do not count);
* displayed citations verified — every displayed citation re-checked here independently of the pipeline:
  a quote must be its source's sentence verbatim; a generated sentence's facts must be in the source and
  its e5 similarity at least the threshold, and it must not read as another language than the one asked for;
* refusal accuracy on ``unanswerable`` items; median time to first token and total;
* for files with ``context`` (XQuAD): evidence hit@3 over *all* questions (the gold answer inside the top 3
  evidence sentences — no model needed), while model answers run on the first ``limit`` questions.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from assistant.backends.chat import ChatModel
from assistant.config import Settings
from assistant.evaluation.retrieval import half, load_jsonl, temporary_assistant
from assistant.evaluation.scoring import contains, correct_in_language, found_anywhere, readable_sentences, words_in
from assistant.grounding.facts import missing_with_context
from assistant.ingest.metadata import content_id
from assistant.models import Answer, Timings
from assistant.retrieval.evidence import select_evidence
from assistant.text.language import written_in


class QAItem(BaseModel):
    id: str
    question: str
    answer: str
    answerable_expected: bool
    answered: bool
    correct: bool | None = None  # in the answer language, in the first displayed sentences
    found_any_language: bool | None = None  # anywhere in the displayed answer, any language
    read: list[str] = Field(default_factory=list)  # what ``correct`` was judged on, kept for re-scoring
    accepted: list[list[str]] = Field(default_factory=list)
    words: int = 0
    source_hit: bool | None = None
    model_citations: int = 0
    model_citations_verified: int = 0
    displayed_citations: int = 0
    displayed_verified: int = 0
    kinds: list[str] = Field(default_factory=list)
    first_token_ms: float | None = None  # the first sentence the reader sees (verified), not the draft
    total_ms: float = 0.0
    stages: Timings | None = None  # where the answer's time went (retrieval, the judge, translation, …)


class QAReport(BaseModel):
    dataset: str
    model: str
    n: int
    answerable: int
    answer_accuracy: float | None  # correct in the answer language
    correct: int
    accuracy_any_language: float | None = None  # accepted string anywhere in the displayed answer
    found_any_language: int = 0
    mean_answer_words: float | None = None
    source_hit: float | None
    source_hits: int
    citation_precision: float | None
    displayed_citations_verified: float | None
    refusal_accuracy: float | None
    unanswerable: int
    quote_fallbacks: int
    first_token_ms_p50: float | None
    total_ms_p50: float | None
    evidence_hit_at_3: float | None = None
    evidence_n: int | None = None
    items: list[QAItem] = Field(default_factory=list)

    def as_json(self, with_items: bool = True) -> dict[str, Any]:
        return self.model_dump(exclude=None if with_items else {"items"})


def _groups(record: dict[str, Any], question_lang_is_english: bool) -> list[list[str]]:
    """Groups of accepted strings. XQuAD/TyDi give one group of alternatives; for an English question
    (``question_en``) over a passage in another language, the English gold answers (``answers_en``)."""
    groups = record.get("answers") or []
    if groups and isinstance(groups[0], str):
        english = list(record.get("answers_en") or [])
        groups = [english if question_lang_is_english and english else list(groups)]
    return groups


def check_displayed(
    answer: Answer, verifier_threshold: float, embedder, translation_threshold: float | None = None
) -> tuple[int, int]:
    """(displayed citations, of which verified), re-checked from the answer's own fields: a generated
    sentence against the text it was written from (the source's verified translation, or its quote, read
    with the sentence before it when it opens with a pronoun), a translation against its original (every
    check but the model's judgement), a quote verbatim."""
    from assistant.grounding.verifier import Verifier

    by_n = {s.n: s for s in answer.sources}
    total = verified = 0
    generated = [s for s in answer.sentences if s.supported and s.kind == "generated"]
    vectors = embedder.embed_queries([s.text for s in generated]) if generated else []
    needed = sorted({n for s in generated for n in s.citations if n in by_n})
    read = {n: by_n[n].translation or by_n[n].quote for n in needed}
    read_lang = {n: by_n[n].translation_lang or by_n[n].lang for n in needed}
    source_vectors = dict(zip(needed, embedder.embed_passages([read[n] for n in needed]))) if needed else {}

    for s, vector in zip(generated, vectors):
        for n in s.citations:
            total += 1
            if (
                n in read
                and not missing_with_context(
                    s.text, read[n], by_n[n].context, answer.answer_lang, same_language=read_lang[n] == answer.answer_lang
                )
                and float(vector @ source_vectors[n]) >= verifier_threshold - 0.01
                and written_in(s.text, answer.answer_lang, [by_n[n].lang, "en"]) is not False
            ):
                verified += 1
    checker = Verifier(embedder, verifier_threshold, **(
        {"translation_threshold": translation_threshold} if translation_threshold is not None else {}
    ))
    for s in answer.sentences:
        if not s.supported:
            continue
        if s.kind == "quote":
            for n in s.citations:
                total += 1
                verified += int(n in by_n and by_n[n].quote == s.text and s.context == s.context_original)
        elif s.kind == "translation":
            for n in s.citations:
                total += 1
                src = by_n.get(n)
                if src is None or src.quote != s.original or src.translation != s.text:
                    continue
                pair = embedder.embed_queries([s.text, src.quote])
                verdict = checker.check_translation(src.quote, src.lang, s.text, answer.answer_lang, float(pair[0] @ pair[1]))
                if verdict.supported and s.context:  # the sentence before, shown with it: translated as faithfully
                    pair = embedder.embed_queries([s.context, s.context_original or ""])
                    verdict = checker.check_translation(
                        s.context_original or "", src.lang, s.context, answer.answer_lang, float(pair[0] @ pair[1])
                    )
                verified += int(verdict.supported)
    return total, verified


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def evaluate_qa_file(
    dataset: str | Path,
    settings: Settings,
    *,
    limit: int | None = None,
    model: ChatModel | None = None,
    current=None,
    split: str | None = None,
    store_dir: Path | None = None,
) -> QAReport:
    """Answer every question of the file (of one ``split`` half; the first ``limit``) and score the answers.
    A file with contexts gets a store of all of them; only the half's questions are asked."""
    from assistant.service import NewsAssistant

    records = load_jsonl(dataset)
    cleanup = None
    if current is not None:  # a store the caller built (for XQuAD: one holding the file's contexts)
        assistant = current
    elif "context" in records[0]:
        assistant, cleanup = temporary_assistant(records, settings, store_dir=store_dir)
        assistant._model = model
    else:
        assistant = NewsAssistant(settings, model=model)
    try:
        asked = half(records, split)
        evidence_hits = None
        if "context" in records[0]:
            evidence_hits = 0
            for r in asked:
                ev = select_evidence(
                    r.get("question_en") or r["question"], assistant.retriever, assistant.store, assistant.embedder,
                    k=settings.top_k, n_sentences=3,
                )
                evidence_hits += int(any(contains(s.quote, list(r.get("answers") or [])) for s in ev.sources[:3]))
        items = [_score(r, assistant, settings) for r in (asked[:limit] if limit else asked)]
    finally:
        if cleanup:
            cleanup()
    answerable = [i for i in items if i.answerable_expected]
    unanswerable = [i for i in items if not i.answerable_expected]
    firsts = [i.first_token_ms for i in items if i.first_token_ms is not None]
    answered = [i for i in items if i.answered]
    return QAReport(
        dataset=Path(dataset).name,
        model=assistant.model.name if items else "",
        n=len(items),
        answerable=len(answerable),
        answer_accuracy=_ratio(sum(bool(i.correct) for i in answerable), len(answerable)),
        correct=sum(bool(i.correct) for i in answerable),
        accuracy_any_language=_ratio(sum(bool(i.found_any_language) for i in answerable), len(answerable)),
        found_any_language=sum(bool(i.found_any_language) for i in answerable),
        mean_answer_words=round(statistics.mean(i.words for i in answered), 1) if answered else None,
        source_hit=_ratio(sum(bool(i.source_hit) for i in answerable), len(answerable)),
        source_hits=sum(bool(i.source_hit) for i in answerable),
        citation_precision=_ratio(sum(i.model_citations_verified for i in items), sum(i.model_citations for i in items)),
        displayed_citations_verified=_ratio(sum(i.displayed_verified for i in items), sum(i.displayed_citations for i in items)),
        refusal_accuracy=_ratio(sum(not i.answered for i in unanswerable), len(unanswerable)),
        unanswerable=len(unanswerable),
        quote_fallbacks=sum("quote" in i.kinds for i in items),
        first_token_ms_p50=round(statistics.median(firsts), 1) if firsts else None,
        total_ms_p50=round(statistics.median(i.total_ms for i in items), 1) if items else None,
        evidence_hit_at_3=_ratio(evidence_hits, len(asked)) if evidence_hits is not None else None,
        evidence_n=len(asked) if evidence_hits is not None else None,
        items=items,
    )


def _score(record: dict[str, Any], assistant, settings: Settings) -> QAItem:
    question = record.get("question_en") or record["question"]
    expected = not record.get("unanswerable", False)
    started = time.perf_counter()
    answer = assistant.ask(question)
    total_ms = (time.perf_counter() - started) * 1000
    if "context" in record:
        gold = {content_id(record["context"])}
        cited_keys = {s.doc_id for s in answer.sources if any(s.n in x.citations for x in answer.sentences if x.supported)}
    else:
        gold = set(record.get("gold_sources") or [])
        cited_keys = {s.source for s in answer.sources if any(s.n in x.citations for x in answer.sentences if x.supported)}
    generated = [s for s in answer.sentences if s.kind == "generated"]
    model_cites = sum(len([n for n in s.cited_by_model if 1 <= n <= len(answer.sources)]) for s in generated)
    model_ok = sum(
        len([n for n in s.cited_by_model if n in s.citations]) for s in generated if s.supported
    )
    shown, shown_ok = check_displayed(answer, settings.support_threshold, assistant.embedder, settings.translation_threshold)
    groups = _groups(record, question_lang_is_english=bool(record.get("question_en")) or record.get("lang", "en") == "en")
    return QAItem(
        id=str(record.get("id", "")),
        question=question,
        answer=answer.answer,
        answerable_expected=expected,
        answered=answer.answerable,
        correct=correct_in_language(answer, groups) if expected else None,
        found_any_language=found_anywhere(answer, groups) if expected else None,
        read=readable_sentences(answer),
        accepted=groups if expected else [],
        words=words_in(answer.answer),
        source_hit=bool(cited_keys & gold) if expected else None,
        model_citations=model_cites,
        model_citations_verified=model_ok,
        displayed_citations=shown,
        displayed_verified=shown_ok,
        kinds=sorted({s.kind for s in answer.sentences if s.supported}),
        first_token_ms=answer.timings.first_answer_ms,
        total_ms=round(total_ms, 1),
        stages=answer.timings,
    )
