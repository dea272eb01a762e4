"""Hybrid retrieval: dense (Chroma, e5) + lexical (BM25), fused, with stories collapsed and diversity.

Steps of :meth:`Retriever.search`, each a method of its own that fills typed objects
(:class:`~assistant.retrieval.ranking.Candidates`, then :class:`~assistant.retrieval.ranking.Ranking`; the
score arithmetic is in :mod:`assistant.retrieval.ranking`):

1. candidates — ``_dense``: the chunks of the nearest sentences in Chroma and the nearest chunks by their
   own vectors; ``_translated``: with query translation on, the nearest sentences and chunks of each
   translation within its own language, lifted by part of its lead (see
   :mod:`assistant.retrieval.translations`); ``rendered``: where documents were translated ahead into the
   answer language, the sentences whose renderings are nearest the question (a sentence scores as its
   rendering, see :func:`rendered_cosines`); ``_bm25``: the best BM25 chunks, under the same filters;
2. ``_score_the_rest`` and ``_whole_chunks``: every candidate gets both scores exactly (BM25 scores come
   for all chunks at once; dense scores of the other candidates from their stored vectors), so fusion never
   guesses a missing score;
3. fusion (:meth:`~assistant.retrieval.ranking.Ranking.fuse`): the dense score (cosine of the best-matching sentence or of the whole
   chunk, whichever is higher: XQuAD en→de recall@1 0.892 → 0.904 with dense alone, see BENCHMARKS.md) plus
   a small BM25 bonus (``ASSISTANT_LEXICAL_WEIGHT`` × BM25 / the query's best BM25, BM25 over the query's
   names, acronyms and numbers, see :func:`~assistant.retrieval.lexical.anchor_query`): on XQuAD en→de,
   BM25 alone reaches recall@1 0.41 and any larger weight lowers the hybrid's recall@1, while on names and
   numbers ("You Young Min", "37") it settles near-ties correctly (BENCHMARKS.md);
4. ``_one_version_per_story``: a story contributes passages from one language version only, the
   best-ranked one; the hit lists the other languages in ``also_in``;
5. ``_with_feedback``: among the best-ranked, each passage gains ``ASSISTANT_FEEDBACK_WEIGHT`` × its cosine
   to the top passage (see :func:`~assistant.retrieval.ranking.with_feedback`);
6. ``_diverse``: MMR over the chunk vectors, with at most ``max_chunks_per_doc`` passages per document and
   never more than a third of the list from one document while others match.

Only committed documents (see :mod:`assistant.backends.store`) are returned.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from assistant.backends.embedder import Embedder
from assistant.backends.store import VectorStore
from assistant.backends.store_records import StoredChunk, StoredSentence
from assistant.config import Settings
from assistant.models import DocumentInfo, Hit, SearchFilters, Story, date_key
from assistant.retrieval.lexical import TOKENIZER_VERSION, LexicalEntry, LexicalIndex, anchor_query
from assistant.retrieval.ranking import Candidates, Ranking, mmr, per_document_cap, with_feedback
from assistant.retrieval.translations import Translation, lifted
from assistant.text.language import question_language

#: MMR chooses among the best MMR_POOL × k candidates (after stories are collapsed).
MMR_POOL = 6
#: Renderings (cached translations into the answer language) a question is compared with: the nearest of
#: them bring their original sentences in as candidates.
RENDERINGS_SEARCHED = 12
#: What a rendering's cosine to the question (query against query) is lowered by to compare with a
#: sentence's (query against passage). Below zero since originals in another language than the question's
#: are lifted (``other_language_lift``): a rendering is compared with them as a sentence in the question's
#: own language, which e5 puts a little nearer as a passage than as a query. Chosen on XQuAD's tune half with
#: the lift in place; see BENCHMARKS.md, retrieval over renderings.
RENDERING_DISCOUNT = -0.02


def _in_language(filters: SearchFilters | None, lang: str) -> SearchFilters | None:
    """``filters`` narrowed to ``lang``, or None when they exclude that language."""
    if filters is None:
        return SearchFilters(langs=[lang])
    if filters.langs and lang not in filters.langs:
        return None
    return filters.model_copy(update={"langs": [lang]})


_OVERLAP: ThreadPoolExecutor | None = None
_OVERLAP_LOCK = threading.Lock()


def _overlap() -> ThreadPoolExecutor:
    """The threads that overlap a search's Chroma round trips (created on first use, shared)."""
    global _OVERLAP
    with _OVERLAP_LOCK:
        if _OVERLAP is None:
            _OVERLAP = ThreadPoolExecutor(max_workers=4, thread_name_prefix="chroma-query")
        return _OVERLAP


@dataclass
class _Snapshot:
    """What retrieval derives from the store, rebuilt when its documents change."""

    fingerprint: str
    docs: dict[str, DocumentInfo]
    story_langs: dict[str, list[str]]
    lexical: LexicalIndex
    #: (story id, language) → names (site, else source) of the documents in it: wire copies of each other.
    copies: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)


class Retriever:
    """Hybrid search over a :class:`VectorStore`. Safe to share between threads."""

    #: How long a snapshot is trusted before the store is asked whether its documents changed (another
    #: process may ingest into the same store).
    REFRESH_SECONDS = 2.0

    def __init__(self, store: VectorStore, embedder: Embedder, settings: Settings, cache_dir: Path | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.cache_dir = cache_dir
        self._snapshot: _Snapshot | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    # --- derived state ----------------------------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget the snapshot (called after this process changed the store)."""
        with self._lock:
            self._checked = 0.0

    def snapshot(self) -> _Snapshot:
        with self._lock:
            now = time.monotonic()
            if self._snapshot is not None and now - self._checked < self.REFRESH_SECONDS:
                return self._snapshot
            fingerprint = self.store.fingerprint()
            self._checked = now
            if self._snapshot is None or self._snapshot.fingerprint != fingerprint:
                self._snapshot = self._build(fingerprint)
            return self._snapshot

    def _build(self, fingerprint: str) -> _Snapshot:
        docs = {d.doc_id: d for d in self.store.list_documents()}
        story_langs: dict[str, list[str]] = {}
        for d in docs.values():
            if d.story_id:
                story_langs.setdefault(d.story_id, [])
                if d.lang not in story_langs[d.story_id]:
                    story_langs[d.story_id].append(d.lang)
        copies: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for d in docs.values():
            if d.story_id:
                copies.setdefault((d.story_id, d.lang), []).append((d.doc_id, d.site or d.source))
        return _Snapshot(fingerprint, docs, story_langs, self._lexical(fingerprint, docs), copies)

    def _lexical(self, fingerprint: str, docs: dict[str, DocumentInfo]) -> LexicalIndex:
        folder = self.cache_dir / _cache_name(fingerprint) if self.cache_dir else None
        if folder is not None and folder.exists():
            try:
                return LexicalIndex.load(folder)
            except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, never trusted
                shutil.rmtree(folder, ignore_errors=True)
        dates = {d.doc_id: d.date for d in docs.values()}

        index = LexicalIndex.build(
            (LexicalEntry(c.chunk_id, c.doc_id, docs[c.doc_id].source, c.lang, date_key(dates[c.doc_id]),
                          None if c.sentence_ids is None else " ".join(s.rsplit("-s", 1)[1] for s in c.sentence_ids)),
             c.text)
            for c in self.store.iter_chunks()
            if c.doc_id in docs
        )
        if folder is not None:
            folder.parent.mkdir(parents=True, exist_ok=True)
            for old in folder.parent.iterdir():
                if old.name != folder.name:
                    shutil.rmtree(old, ignore_errors=True)
            index.save(folder)
        return index

    # --- search -----------------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        *,
        mode: str = "hybrid",
        diversify: bool = True,
        query_vector: np.ndarray | None = None,
        translations: Sequence[Translation] = (),
        rendered: dict[str, tuple[StoredSentence, float]] | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``. ``mode`` is hybrid, dense or lexical (for evaluation).

        ``translations`` (see :mod:`assistant.generation.query_translation`) search the documents of their own language: a
        passage they find is lifted by part of the translation's lead over the question
        (:func:`assistant.retrieval.translations.lifted`, ``translation_weight``). ``rendered`` (see
        :func:`rendered_cosines`) are sentences found through their renderings, with their scores.
        """
        k = k or self.settings.top_k
        snap = self.snapshot()
        if not query.strip() or not snap.docs:
            return []
        n_candidates = max(4 * k, 24)
        # Callers that score sentences against the query themselves pass its vector, so it is embedded once.
        qvec = query_vector if query_vector is not None else self.embedder.embed_queries([query])[0]
        found = Candidates()
        query_lang = self.query_language(query)
        if mode in ("hybrid", "dense"):
            self._dense(qvec, n_candidates, filters, found)
            self._translated(qvec, translations, n_candidates, filters, found)
            for sentence, cosine in (rendered or {}).values():
                # A rendering is in the reader's language already: its chunk's language lift is taken back.
                doc = snap.docs.get(sentence.doc_id)
                found.consider(sentence, cosine - (self.lift(doc.lang, query_lang) if doc is not None else 0.0))
        lex_scores = self._bm25(snap, query, query_lang, mode, n_candidates, filters, found)
        self._score_the_rest(snap, qvec, found)
        ranking = self._fused(snap, found, lex_scores, query_lang)
        if ranking is None:
            return []
        if mode != "lexical":
            self._whole_chunks(qvec, found, ranking)
        ranking.fuse(self.settings.lexical_weight if mode == "hybrid" else 0.0, lexical_only=mode == "lexical")
        # MMR picks k among the best-ranked; beyond the top MMR_POOL × k it never reaches in practice.
        kept = self._one_version_per_story(snap, ranking)[: max(MMR_POOL * k, k)]
        feedback = self.settings.feedback_weight if mode != "lexical" else 0.0
        chunks = {
            c.chunk_id: c
            for c in self.store.get_chunks([ranking.ids[i] for i in kept], with_embeddings=diversify or feedback > 0)
        }
        kept = [i for i in kept if ranking.ids[i] in chunks]
        if not kept:
            return []
        if feedback > 0:
            kept = self._with_feedback(ranking, kept, chunks, feedback)
        selected = self._diverse(ranking, kept, chunks, k) if diversify else kept[:k]
        return [self._hit(chunks[ranking.ids[i]], snap, ranking, i) for i in selected]

    # --- the steps of a search ------------------------------------------------------------------------

    def _dense(self, qvec: np.ndarray, n: int, filters: SearchFilters | None, found: Candidates) -> None:
        """Nearest sentences (a chunk scores as its best sentence) and nearest whole chunks, where the store
        has embedded chunk texts."""
        # Against a server the chunk query runs while the sentence query waits for its reply (at 100k
        # chunks each round trip is 4-8 ms); embedded, both are CPU work and run one after the other.
        pending = (
            _overlap().submit(self.store.query_chunks, qvec, 3 * n, filters)
            if self.store.chunk_vectors_embedded and self.store.remote
            else None
        )
        for sentence in self.store.query(qvec, 3 * n, filters):
            found.consider(sentence, 1.0 - float(sentence.distance or 0.0))
        if self.store.chunk_vectors_embedded:
            chunks = pending.result() if pending else self.store.query_chunks(qvec, 3 * n, filters)
            found.chunk_cosine = {match.chunk_id: match.cosine for match in chunks}
            if len(chunks) == 3 * n:  # every chunk the query did not return is at most this similar
                found.chunk_floor = min(found.chunk_cosine.values())
            found.other += [match.chunk_id for match in chunks[:n]]

    def _translated(
        self, qvec: np.ndarray, translations: Sequence[Translation], n: int, filters: SearchFilters | None,
        found: Candidates,
    ) -> None:
        """Each translation searches its own language; what it finds is lifted by part of its lead."""
        translated_sentence: dict[str, float] = {}
        for translation in translations:
            restricted = _in_language(filters, translation.lang)
            if restricted is None:
                continue
            for sentence in self.store.query(translation.vector, n, restricted):
                cosine = 1.0 - float(sentence.distance or 0.0)
                translated_sentence[sentence.sentence_id] = max(cosine, translated_sentence.get(sentence.sentence_id, -2.0))
            if self.store.chunk_vectors_embedded:
                for match in self.store.query_chunks(translation.vector, n, restricted):
                    found.translated_chunk[match.chunk_id] = max(match.cosine, found.translated_chunk.get(match.chunk_id, -2.0))
                    found.other.append(match.chunk_id)
        if translated_sentence:  # the question's own cosines of what the translations found
            for sentence in self.store.get_sentences(list(translated_sentence)):
                direct = float(sentence.embedding @ qvec)
                found.consider(sentence, lifted(direct, translated_sentence[sentence.sentence_id], self.settings.translation_weight))

    def _bm25(
        self, snap: _Snapshot, query: str, query_lang: str, mode: str, n: int, filters: SearchFilters | None,
        found: Candidates,
    ) -> np.ndarray:
        """BM25 scores of every chunk, and the best BM25 chunks as candidates. The hybrid's BM25 counts the
        query's names and numbers only (see :func:`anchor_query`); BM25 alone, all words."""
        if mode not in ("hybrid", "lexical"):
            return np.zeros(0)
        lexical_query = anchor_query(query) if mode == "hybrid" else query
        found.other += [match.chunk_id for match in snap.lexical.search(lexical_query, n, filters, query_lang)]
        return snap.lexical.scores(lexical_query, query_lang)

    def _score_the_rest(self, snap: _Snapshot, qvec: np.ndarray, found: Candidates) -> None:
        """Exact sentence scores for the candidates that no sentence brought in (chunk vectors, BM25), so
        fusion never guesses a missing score."""
        missing = list(dict.fromkeys(cid for cid in found.other if cid not in found.best))
        if not missing:
            return
        known = [snap.lexical.entry(c) for c in missing]
        if all(e is not None and e.sentences is not None for e in known):
            sentences = self.store.get_sentences([sid for e in known for sid in e.sentence_ids()])
        else:  # an index built before sentence ordinals were recorded
            sentences = self.store.sentences_of(missing)
        for sentence in sentences:
            found.consider(sentence, float(sentence.embedding @ qvec))

    def _fused(self, snap: _Snapshot, found: Candidates, lex_scores: np.ndarray, query_lang: str) -> Ranking | None:
        """The committed candidates with their scores (None when there are none), each in another language
        than ``query_lang`` lifted by ``other_language_lift``."""
        ids = [cid for cid, best in found.best.items() if best.doc_id in snap.docs]
        if not ids:
            return None
        lexical = np.array([snap.lexical.score_of(lex_scores, c) for c in ids], dtype=np.float32)
        lifts = np.array([self.lift(snap.docs[found.best[c].doc_id].lang, query_lang) for c in ids], dtype=np.float32)
        return Ranking(ids, [found.best[c] for c in ids], lexical, lifts)

    def _whole_chunks(self, qvec: np.ndarray, found: Candidates, ranking: Ranking) -> None:
        """A chunk's dense score is the better of its best sentence and its whole text. A chunk the chunk
        query did not return is at most ``chunk_floor`` similar: its exact vector is read only when that
        could beat its sentence."""
        if not self.store.chunk_vectors_embedded:
            return
        unsure = [
            c for c, best in zip(ranking.ids, ranking.best)
            if c not in found.chunk_cosine and (best.cosine < found.chunk_floor or c in found.translated_chunk)
        ]
        for cid, vector in self.store.chunk_embeddings(unsure).items():
            found.chunk_cosine[cid] = float(vector @ qvec)
        for c, best in zip(ranking.ids, ranking.best):
            whole = found.chunk_cosine.get(c, -2.0)
            if c in found.translated_chunk:
                whole = lifted(whole, found.translated_chunk[c], self.settings.translation_weight)
            best.cosine = max(best.cosine, whole)

    @staticmethod
    def _one_version_per_story(snap: _Snapshot, ranking: Ranking) -> list[int]:
        """Ranked positions, keeping of each story only one language version: the first to appear ranked
        without the language lift, so that of two versions saying the same the question's own language (the
        one e5 puts nearer) is kept and needs no translation."""
        claimed: dict[str, str] = {}
        for i in np.argsort(-(ranking.fused - ranking.lift), kind="stable"):
            doc = snap.docs[ranking.best[i].doc_id]
            claimed.setdefault(doc.story_id or doc.doc_id, doc.doc_id)
        return [
            int(i) for i in np.argsort(-ranking.fused, kind="stable")
            if claimed[(doc := snap.docs[ranking.best[i].doc_id]).story_id or doc.doc_id] == doc.doc_id
        ]

    @staticmethod
    def _with_feedback(ranking: Ranking, kept: list[int], chunks: dict[str, StoredChunk], weight: float) -> list[int]:
        """Relevance feedback from the top passage (see :func:`~assistant.retrieval.ranking.with_feedback`), re-ranked."""
        vectors = np.stack([chunks[ranking.ids[i]].embedding for i in kept])
        ranking.fused[kept] = with_feedback(ranking.fused[kept], vectors, weight)
        return sorted(kept, key=lambda i: -ranking.fused[i])

    def _diverse(self, ranking: Ranking, kept: list[int], chunks: dict[str, StoredChunk], k: int) -> list[int]:
        """MMR over the chunk vectors, with a per-document cap."""
        rel = ranking.fused[kept]
        span = rel.max() - rel.min()
        rel = (rel - rel.min()) / span if span > 0 else np.ones_like(rel)
        picks = mmr(
            rel,
            np.stack([chunks[ranking.ids[i]].embedding for i in kept]),
            k,
            self.settings.mmr_lambda,
            [ranking.best[i].doc_id for i in kept],
            per_document_cap(k, self.settings.max_chunks_per_doc),
        )
        return [kept[p] for p in picks]

    def _hit(self, chunk: StoredChunk, snap: _Snapshot, ranking: Ranking, i: int) -> Hit:
        doc = snap.docs[chunk.doc_id]
        langs = snap.story_langs.get(doc.story_id or "", [])
        siblings = snap.copies.get((doc.story_id or "", doc.lang), [])
        copies = [name for doc_id, name in siblings if doc_id != doc.doc_id] + doc.also_published_at
        return Hit(
            doc_id=doc.doc_id,
            source=doc.source,
            title=doc.title,
            lang=doc.lang,
            date=doc.date,
            chunk_id=chunk.chunk_id,
            text=chunk.text,
            start=chunk.start,
            end=chunk.end,
            score=round(float(ranking.fused[i]), 6),
            sentence_start=ranking.best[i].start,
            sentence_end=ranking.best[i].end,
            dense_score=round(float(ranking.dense[i]), 6),
            lexical_score=round(float(ranking.lexical[i]), 6),
            story_id=doc.story_id,
            also_in=sorted(lang for lang in langs if lang != doc.lang),
            also_published_by=list(dict.fromkeys(copies)),
            url=doc.url,
        )

    def lift(self, lang: str, query_lang: str) -> float:
        """What a passage or sentence in ``lang`` gains over its cosine for a question in ``query_lang``:
        ``other_language_lift`` across languages, nothing within one (e5 puts the question's language nearer)."""
        return self.settings.other_language_lift if lang != query_lang else 0.0

    def languages_writing(self, word: str) -> set[str]:
        """The languages of the store's documents in which ``word`` occurs as it is written."""
        return self.snapshot().lexical.languages_with(word)

    def languages(self) -> list[str]:
        """The languages of the store's documents."""
        return sorted({d.lang for d in self.snapshot().docs.values()})

    def query_language(self, query: str) -> str:
        """The language of ``query`` among the store's languages and English, for its stop words and the
        language lift.

        A query's words count in BM25 only where the store's documents hold them, so only the store's
        languages (and English, the language most questions come in) are candidates. Chosen among all the
        configured languages, lingua took 7 % of XQuAD's short English questions for another language, kept
        their English stop words ("was" is a German word) and lowered BM25's recall@1 there from 0.405 to
        0.398 (BENCHMARKS.md). The detection is the answer language's
        (:func:`~assistant.text.language.question_language`: names left out, the full models, a near-tie goes
        to English): lingua's quick trigrams alone took "What did the ambassador propose?" for French.
        """
        store_langs = self.languages()
        codes = tuple(c for c in self.settings.language_codes if c in {*store_langs, "en"}) or ("en",)
        return question_language(query, codes, ["en", *store_langs]) if len(codes) > 1 else codes[0]

    # --- stories ----------------------------------------------------------------------------------------

    def stories(self) -> list[Story]:
        groups: dict[str, list[DocumentInfo]] = {}
        for d in self.snapshot().docs.values():
            groups.setdefault(d.story_id or f"story-{d.doc_id[:12]}", []).append(d)
        out = []
        for story_id, members in groups.items():
            members.sort(key=lambda d: d.source)
            out.append(
                Story(
                    story_id=story_id,
                    doc_ids=[d.doc_id for d in members],
                    sources=[d.source for d in members],
                    langs=sorted({d.lang for d in members}),
                    title=members[0].title,
                )
            )
        return sorted(out, key=lambda s: (-len(s.doc_ids), s.sources))


def rendered_cosines(
    store: VectorStore, qvec: np.ndarray, renderings: tuple[str, str] | None, filters: SearchFilters | None,
    n: int = RENDERINGS_SEARCHED,
) -> dict[str, tuple[StoredSentence, float]]:
    """sentence id → (the sentence, its rendering's cosine to the question) for the ``n`` renderings into
    ``renderings = (language, model)`` nearest to ``qvec``, where their originals stand in the library under
    ``filters`` (nothing when ``renderings`` is None or nothing was translated ahead).

    Renderings are embedded as e5 queries and compared to the question as one, a little higher than a
    passage scores for the same text; the sentence gets the rendering's cosine less ``RENDERING_DISCOUNT``.
    """
    if renderings is None:
        return {}
    lang, model = renderings
    out: dict[str, tuple[StoredSentence, float]] = {}
    for match in store.query_translations(qvec, lang, model, n):
        if filters is not None and filters.langs and match.original_lang not in filters.langs:
            continue
        for sentence in store.sentences_containing(match.original, filters):
            cosine = match.cosine - RENDERING_DISCOUNT
            if sentence.sentence_id not in out or out[sentence.sentence_id][1] < cosine:
                out[sentence.sentence_id] = (sentence, cosine)
    return out


def _cache_name(fingerprint: str) -> str:
    """The cached lexical index's folder: the store's fingerprint and the tokenisation's version."""
    return f"{fingerprint}-t{TOKENIZER_VERSION}"


def cache_dir_for(settings: Settings) -> Path:
    """Where derived indexes of this store live: inside an embedded store, else in the user's cache."""
    if settings.chroma_url:
        key = hashlib.sha256(f"{settings.chroma_url}|{settings.collection}".encode()).hexdigest()[:12]
        return Path.home() / ".cache" / "news-assistant" / key / "lexical"
    return Path(settings.store_dir) / f".lexical-{settings.collection}"
