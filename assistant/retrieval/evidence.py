"""Evidence: from retrieved passages to the few sentences that answer the question, numbered as sources.

Small models read short contexts best and cite best when each number names one sentence. So the prompt
does not hold whole chunks: the sentences of the documents of the top passages (all of each document,
see :func:`document_passages`) are scored against the question (e5 cosine across languages, plus a small
bonus for sharing the question's rare words, which helps names and numbers, plus part of the lead of the
sentence just before it, because an answer often follows the sentence that restates the question) and
the best few become sources [1]..[n], best first. Sentences that address the model (prompt injection, see
:mod:`assistant.text.injection`) are withheld and named in the answer's notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from assistant.backends.embedder import Embedder
from assistant.backends.store import VectorStore
from assistant.backends.store_records import StoredChunk
from assistant.models import Hit, SearchFilters, Source, chunk_id
from assistant.retrieval.lexical import tokenize
from assistant.retrieval.retriever import Retriever, rendered_cosines
from assistant.retrieval.translations import TRANSLATION_WEIGHT, Translation, lifted
from assistant.text.injection import is_instruction
from assistant.text.sentences import opens_with_pronoun, sentence_before, trimmed_sentence

#: Weight of the shared-words bonus (fraction of the question's content words found in the sentence).
LEXICAL_BONUS = 0.02
#: Share of the lead of the sentence just before a sentence that it inherits: a sentence right after one
#: that matches the question better scores cosine + FOLLOWER_WEIGHT × (previous cosine − its cosine).
#: XQuAD en→de, 1190 questions, answer in the top 3 sentences: 0.845 without, 0.862 with 0.7 (0.6–0.9
#: tuned on the even questions: 0.867–0.869; held out on the odd ones: 0.854–0.859).
FOLLOWER_WEIGHT = 0.7
#: At most this many passages of one document are searched for evidence (the nearest to its hits): a news
#: article has 5-30 at the default chunk size.
PASSAGES_PER_DOCUMENT = 40
#: Sentences shorter than this many characters are headings or debris, not evidence.
MIN_SENTENCE_CHARS = 20


@dataclass
class Evidence:
    """The numbered sources of one question, with what verification needs alongside them."""

    question: str
    sources: list[Source] = field(default_factory=list)
    vectors: dict[int, np.ndarray] = field(default_factory=dict)  # n → e5 passage vector of the quote
    hits: list[Hit] = field(default_factory=list)
    best_cosine: float = 0.0  # question ↔ best sentence, without the lexical bonus
    withheld: list[str] = field(default_factory=list)  # sources of sentences that read as instructions
    question_lang: str = "en"  # the language the question is asked in: what its question words ask for

    def source(self, n: int) -> Source:
        return self.sources[n - 1]


@dataclass(eq=False)
class Candidate:
    """An evidence sentence before numbering: its score, the passage it is in, its text and offsets."""

    score: float
    hit: Hit
    text: str
    start: int
    end: int
    vector: np.ndarray
    lift: float = 0.0  # what the score gained for standing in another language than the question's


def _lexical_terms(text: str, lang: str | None) -> set[str]:
    """The words the shared-words bonus compares: BM25's tokens (its short stopword lists), three letters or
    more. Not :func:`assistant.grounding.framing` content words, which leave out stopwords-iso's long lists."""
    return {t for t in tokenize(text, lang) if len(t) > 2}


def select_evidence(
    question: str,
    retriever: Retriever,
    store: VectorStore,
    embedder: Embedder,
    *,
    k: int,
    n_sentences: int,
    filters: SearchFilters | None = None,
    translations: Sequence[Translation] = (),
    translation_weight: float = TRANSLATION_WEIGHT,
    renderings: tuple[str, str] | None = None,
) -> Evidence:
    """Retrieve ``k`` passages (stories collapsed), then keep the ``n_sentences`` best sentences in them.

    A sentence in another language than the question's scores its cosine plus ``other_language_lift`` (see
    :class:`~assistant.config.Settings`): e5 puts a sentence in the question's own language nearer than an
    equally relevant one in another, and the sentence that answers may be the foreign one.

    With ``translations`` (see :mod:`assistant.generation.query_translation`), a sentence of a translation's language is
    lifted by ``translation_weight`` of that translation's lead over the question; whether anything
    relevant was found at all (``best_cosine``, which the refusal is calibrated on) still uses the
    question's cosine alone.

    With ``renderings`` — ``(answer language, model)`` — a sentence whose cached translation into the answer
    language is near the question scores as that translation (:func:`~assistant.retrieval.retriever.rendered_cosines`):
    documents translated ahead are searched in the reader's language too (``best_cosine``, the refusal's
    measure, still reads the originals: see BENCHMARKS.md on a gate over renderings).
    """
    qvec = embedder.embed_queries([question])[0]
    rendered = rendered_cosines(store, qvec, renderings, filters)
    hits = retriever.search(question, k, filters, query_vector=qvec, translations=translations, rendered=rendered)
    evidence = Evidence(question=question, hits=hits)
    if not hits:
        return evidence
    query_lang = retriever.query_language(question)
    qwords = _lexical_terms(question, query_lang)
    retrieved = {h.chunk_id for h in hits}
    by_chunk, chunks = document_passages(hits, retriever, store)
    candidates: list[Candidate] = []
    seen: set[str] = set()
    sentences = store.sentences_of(list(by_chunk), chunks)
    direct = {(s.doc_id, s.ordinal): float(s.embedding @ qvec) for s in sentences}
    translated = {t.lang: t.vector for t in translations}
    gained = {(s.doc_id, s.ordinal): retriever.lift(by_chunk[s.chunk_id].lang, query_lang) for s in sentences}
    cosines = {
        (s.doc_id, s.ordinal): (
            lifted(direct[(s.doc_id, s.ordinal)], float(s.embedding @ translated[lang]), translation_weight)
            if (lang := by_chunk[s.chunk_id].lang) in translated
            else direct[(s.doc_id, s.ordinal)]
        ) + gained[(s.doc_id, s.ordinal)]
        for s in sentences
    }
    for sentence, cosine in rendered.values():
        key = (sentence.doc_id, sentence.ordinal)
        if key in cosines and cosine > cosines[key]:
            cosines[key] = cosine
            gained[key] = 0.0  # a rendering is in the reader's language: its score holds no lift to take back
    for s in sentences:
        hit = by_chunk[s.chunk_id]
        text, start, end = trimmed_sentence(hit.text, hit.start, s.start, s.end)
        key = " ".join(text.split()).casefold()
        if len(text) < MIN_SENTENCE_CHARS or key in seen:
            continue
        seen.add(key)
        if is_instruction(text):  # a document talking to the model is never evidence (see injection.py)
            evidence.withheld.append(hit.source)
            continue
        cosine = cosines[(s.doc_id, s.ordinal)]
        overlap = len(qwords & _lexical_terms(text, hit.lang)) / len(qwords) if qwords else 0.0
        lead = max(0.0, cosines.get((s.doc_id, s.ordinal - 1), cosine) - cosine)
        score = cosine + LEXICAL_BONUS * overlap + FOLLOWER_WEIGHT * lead
        candidates.append(Candidate(score, hit, text, start, end, s.embedding, gained[(s.doc_id, s.ordinal)]))
        if s.chunk_id in retrieved:
            evidence.best_cosine = max(evidence.best_cosine, direct[(s.doc_id, s.ordinal)])
    candidates.sort(key=lambda c: -c.score)
    for n, candidate in enumerate(hedged(candidates, n_sentences), start=1):
        hit = candidate.hit
        evidence.sources.append(
            Source(
                n=n,
                doc_id=hit.doc_id,
                source=hit.source,
                title=hit.title,
                lang=hit.lang,
                date=hit.date,
                chunk_id=hit.chunk_id,
                quote=candidate.text,
                start=candidate.start,
                end=candidate.end,
                passage=hit.text,
                passage_start=hit.start,
                score=round(candidate.score, 6),
                story_id=hit.story_id,
                also_in=hit.also_in,
                also_published_by=hit.also_published_by,
                url=hit.url,
            )
        )
        evidence.vectors[n] = candidate.vector
    return evidence


def hedged(candidates: list[Candidate], n: int) -> list[Candidate]:
    """The ``n`` best ``candidates`` (sorted by score), where the best sentence in the question's language
    that would be among them without the language lift keeps its place.

    The lift corrects e5's pull towards the question's language by one constant; near the cut it can push
    out the one sentence in the reader's language that answers (which then needs no translation either).
    The last chosen sentence gives way to it. Measured at the product's six sentences (BENCHMARKS.md, sources
    across languages): a small gain, nothing lost; at three it costs the foreign answers more than it gains.
    """
    chosen = candidates[:n]
    if n < 2 or len(candidates) <= n:
        return chosen
    own = next((c for c in candidates if c.lift == 0.0), None)
    if own is None or own in chosen:
        return chosen
    unlifted = sorted(candidates, key=lambda c: -(c.score - c.lift))[:n]
    if own not in unlifted:
        return chosen
    return chosen[:-1] + [own]


def referent_context(source: Source) -> str | None:
    """The sentence before ``source``'s quote in its passage, when the quote (or its translation) opens
    with a pronoun: "He is 39 years old and the oldest quarterback …" says who only in the sentence
    before, and a reader checking the citation reads that one too. None otherwise, or when the quote opens
    its passage."""
    read = [(source.quote, source.lang), (source.translation or "", source.translation_lang)]
    if not any(opens_with_pronoun(text, lang) for text, lang in read):
        return None
    return sentence_before(source.passage, source.start - source.passage_start)


def document_passages(
    hits: Sequence[Hit], retriever: Retriever, store: VectorStore
) -> tuple[dict[str, Hit], list[StoredChunk]]:
    """The hits, and every other passage of their documents as a hit of its document, by chunk id; with
    their stored chunks (which name the sentences each owns), fetched in one call.

    Retrieval lets one document fill at most a third of its list, so an article that matches on a name
    ("Minister You Young Min") fills its share with the passages that carry the name, and the one that
    answers ("… Hàn Quốc đã xây dựng chính sách i-Korea 4.0 …", which names no one) is left out, though it
    is the best-matching sentence of all the seeds once the question is in Vietnamese. The cap is there to
    vary the passages; evidence is chosen by sentence, so it looks through the whole of each document
    retrieval picked. XQuAD en→de evidence hit@3: 0.862 → 0.861 (1 question of 1190 lost; BENCHMARKS.md).
    """
    docs = retriever.snapshot().docs
    by_doc: dict[str, list[Hit]] = {}
    for h in hits:
        by_doc.setdefault(h.doc_id, []).append(h)
    wanted: dict[str, Hit] = {h.chunk_id: h for h in hits}  # other chunks → their document's best hit
    for doc_id, doc_hits in by_doc.items():
        info = docs.get(doc_id)
        near = [int(h.chunk_id.rsplit("-", 1)[1]) for h in doc_hits]
        # A long document contributes the passages nearest its hits.
        ordinals = sorted(range(info.n_chunks if info else 0), key=lambda o: min(abs(o - f) for f in near))
        for ordinal in ordinals[:PASSAGES_PER_DOCUMENT]:
            wanted.setdefault(chunk_id(doc_id, ordinal), doc_hits[0])
    chunks = store.get_chunks(list(wanted))
    passages = {
        c.chunk_id: wanted[c.chunk_id]
        if wanted[c.chunk_id].chunk_id == c.chunk_id
        else wanted[c.chunk_id].model_copy(
            update={"chunk_id": c.chunk_id, "text": c.text, "start": c.start, "end": c.end,
                    "sentence_start": None, "sentence_end": None}
        )
        for c in chunks
    }
    return passages, chunks


def keep_sources(evidence: Evidence, numbers: Sequence[int]) -> Evidence:
    """Only the sources ``numbers`` (in that order), renumbered from 1."""
    sources, vectors = [], {}
    for new, old in enumerate(numbers, 1):
        sources.append(evidence.source(old).model_copy(update={"n": new}))
        vectors[new] = evidence.vectors[old]
    return Evidence(
        question=evidence.question,
        sources=sources,
        vectors=vectors,
        hits=evidence.hits,
        best_cosine=evidence.best_cosine,
        withheld=evidence.withheld,
        question_lang=evidence.question_lang,
    )


def renumber(evidence: Evidence, keep: int) -> Evidence:
    """The first ``keep`` sources only (to fit a context window)."""
    return Evidence(
        question=evidence.question,
        sources=evidence.sources[:keep],
        vectors={n: v for n, v in evidence.vectors.items() if n <= keep},
        hits=evidence.hits,
        best_cosine=evidence.best_cosine,
        withheld=evidence.withheld,
        question_lang=evidence.question_lang,
    )
