"""The assistant as one object: what the CLI commands and the UI handlers call.

It wires settings → embedder → store → retriever → ingestor lazily, so that a command only loads what it
uses (``assistant docs`` opens the store but never loads the embedding model).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Sequence

from assistant.backends.chat import ChatModel, get_chat_model
from assistant.backends.conversations import LOCAL_USER, ConversationStore
from assistant.backends.embedder import Embedder, get_embedder
from assistant.backends.fetcher import Fetcher
from assistant.backends.queueing import ModelQueue, QueuedChatModel
from assistant.backends.store import VectorStore, open_store
from assistant.config import Settings, get_settings
from assistant.errors import ConfigError, InputError, ModelError, NotFoundError
from assistant.generation.answer import AnswerPipeline, SentenceCallback, TokenCallback
from assistant.generation.brief import BriefPipeline
from assistant.generation.conversation import conversation_markdown, export_conversation, history_of
from assistant.generation.query_translation import QueryTranslator
from assistant.generation.timeline import TimelineBuilder
from assistant.generation.translation import cache_key
from assistant.ingest.pipeline import Ingestor, ProgressCallback
from assistant.ingest.subscriptions import FeedReader, FeedRefresh, SubscriptionBook
from assistant.models import (
    Answer,
    Brief,
    Document,
    DocumentInfo,
    Hit,
    IngestReport,
    SearchFilters,
    SentenceRendering,
    Story,
    Timeline,
    date_key,
)
from assistant.retrieval.retriever import Retriever, cache_dir_for
from assistant.retrieval.translations import Translation
from assistant.text.when import TimeScope, time_scope

log = logging.getLogger(__name__)

#: "latest": the relevant documents dated within this many days of the newest relevant one.
LATEST_DAYS = 30


class NewsAssistant:
    """Library, search and answers over one store."""

    def __init__(
        self, settings: Settings | None = None, embedder: Embedder | None = None, model: ChatModel | None = None
    ) -> None:
        self.settings = settings or get_settings()
        self._embedder = embedder
        self._model = model
        #: Model calls of every request (answers and briefs) take turns here; see :mod:`assistant.backends.queueing`.
        self.queue = ModelQueue()
        #: Sentences translated ahead of questions by `serve` while idle: done of total (for the app).
        self.pretranslation: dict[str, int] = {"done": 0, "total": 0}
        #: The address `serve` listens on (None for the CLI): whether fetching private addresses is allowed
        #: by default depends on it (see :mod:`assistant.backends.fetcher`).
        self.serving_host: str | None = None
        #: When `serve` last refreshed the subscribed feeds, and what came of it (for the app).
        self.feed_refresh: dict[str, str | None] = {"last": None, "outcome": None}

    @cached_property
    def model(self) -> ChatModel:
        """The language model, loaded on first use (once per process for a local GGUF), behind the queue."""
        model = self._model or get_chat_model(self.settings)
        return model if isinstance(model, QueuedChatModel) else QueuedChatModel(model, self.queue)

    @cached_property
    def answers(self) -> AnswerPipeline:
        return AnswerPipeline(self.retriever, self.store, self.embedder, self.model, self.settings, translate=self.translations)

    @cached_property
    def briefs(self) -> BriefPipeline:
        return BriefPipeline(
            self.retriever, self.store, self.embedder, self.model, self.settings, translator=self.answers.translator
        )

    @cached_property
    def embedder(self) -> Embedder:
        return self._embedder or get_embedder(self.settings.embedder, self.settings.embed_batch_size)

    @cached_property
    def store(self) -> VectorStore:
        return open_store(self.settings, self.embedder.name, self.embedder.dim)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.store, self.embedder, self.settings, cache_dir=cache_dir_for(self.settings))

    @cached_property
    def fetcher(self) -> Fetcher:
        return Fetcher.from_settings(self.settings, serving_host=self.serving_host)

    @cached_property
    def ingestor(self) -> Ingestor:
        return Ingestor(self.store, self.embedder, self.settings, fetcher=self.fetcher)

    @cached_property
    def conversations(self) -> ConversationStore:
        """Saved conversations (SQLite in the data folder)."""
        return ConversationStore(self.settings.data_path)

    @cached_property
    def feeds(self) -> FeedReader:
        """Feed subscriptions (kept in the data folder) and their refreshes."""
        return FeedReader(SubscriptionBook(self.settings.data_path), self.ingestor)

    # --- library ----------------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[str | Path], progress: ProgressCallback | None = None) -> IngestReport:
        try:
            report = self.ingestor.ingest(paths, progress)
        finally:
            self.retriever.invalidate()
        if report.count("replaced"):
            self.prune_translations()  # an edited article's old sentences
        if self.settings.translate_at_ingest:
            changed = [r.doc_id for r in report.results if r.status in ("added", "replaced") and r.doc_id]
            if changed:
                self.pretranslate(self.pretranslation_lang, changed)
        return report

    def prune_translations(self) -> int:
        """Remove cached translations no answer can use any more: of sentences no document holds, or made
        under translation instructions or a glossary since changed (their keys are never looked up again);
        returns how many."""
        candidates = self.settings.translation_candidates
        return self.store.prune_translations(
            current_key=lambda original, original_lang, lang, model: cache_key(original, original_lang, lang, model, candidates)
        )

    @property
    def pretranslation_lang(self) -> str:
        """The language translated into ahead of questions: the configured answer language, or English."""
        lang = self.settings.answer_lang
        return "en" if lang in ("", "auto") else lang

    def documents(self) -> list[DocumentInfo]:
        return self.store.list_documents()

    def document(self, ref: str) -> Document:
        """One stored document with its text, named by doc id (or a unique prefix) or source."""
        found = self.store.resolve(ref)
        if len(found) > 1:
            raise InputError(f"{ref!r} names {len(found)} documents", hint="give one of their doc ids: " + ", ".join(d.doc_id for d in found[:5]))
        doc = self.store.get_document(found[0].doc_id)
        if doc is None:
            raise NotFoundError(f"no document with id or source {ref!r}", hint="`assistant docs` lists them")
        return doc

    def read_translated(self, ref: str, lang: str) -> tuple[Document, list[SentenceRendering]]:
        """A stored document sentence by sentence, each with its verified translation into ``lang`` (from the
        same cache and checks as answers; a sentence whose translation fails a check keeps only its original)."""
        from assistant.retrieval.evidence import MIN_SENTENCE_CHARS
        from assistant.text.sentences import trimmed_sentence

        doc = self.document(ref)
        texts = [trimmed_sentence(doc.text, 0, s.start, s.end)[0] for s in self.store.document_sentences(doc.doc_id)]
        wanted = [t for t in texts if len(t) >= MIN_SENTENCE_CHARS and doc.lang != lang]
        with self.queue.serving_reader():
            rendered = {r.original: r for r in self.answers.translator.render([(t, doc.lang) for t in wanted], lang)} if wanted else {}
        out = []
        for t in texts:
            r = rendered.get(t)
            out.append(SentenceRendering(
                original=t, lang=lang, text=t if doc.lang == lang else (r.text if r and r.verified else None),
                kind="original" if doc.lang == lang else "translation" if r and r.verified else "untranslated",
                note=None if doc.lang == lang or (r and r.verified) else (r.reason if r else "too short to translate"),
            ))
        return doc, out

    def refresh_feeds(self, url: str | None = None) -> list[FeedRefresh]:
        """Fetch what is new in the subscribed feeds (or one of them) and ingest it."""
        try:
            reports = self.feeds.refresh(url)
        finally:
            self.retriever.invalidate()
        if any(r.status == "replaced" for report in reports for r in report.results):
            self.prune_translations()
        return reports

    def subscribe(self, url: str) -> FeedRefresh:
        """Subscribe to a feed and ingest its current entries."""
        try:
            return self.feeds.add(url)
        finally:
            self.retriever.invalidate()

    def remove(self, ref: str) -> list[DocumentInfo]:
        """Remove the documents named by a doc id or a source name; returns what was removed."""
        targets = self.store.resolve(ref)
        for doc in targets:
            self.store.delete_document(doc.doc_id)
        if targets:
            self.prune_translations()
        self.ingestor.update_stories()
        self.retriever.invalidate()
        return targets

    def reindex(self) -> IngestReport:
        """Re-embed every document with the current embedder (after changing ASSISTANT_EMBEDDER)."""
        from assistant.backends.store import rebuild

        docs = rebuild(self.settings, self.embedder)
        report = self.ingestor.ingest_documents(docs)
        self.retriever.invalidate()
        return report

    def stories(self) -> list[Story]:
        return self.retriever.stories()

    # --- retrieval --------------------------------------------------------------------------------------

    def scoped(self, filters: SearchFilters | None) -> SearchFilters | None:
        """``filters`` with a story turned into its documents' ids (what the store can filter on)."""
        if filters is None or not filters.story:
            return filters
        members = [d.doc_id for d in self.documents() if (d.story_id or f"story-{d.doc_id[:12]}") == filters.story]
        if not members:
            raise NotFoundError(f"no story {filters.story!r}", hint="`assistant stories` lists them")
        doc_ids = [d for d in filters.doc_ids if d in members] if filters.doc_ids else members
        if not doc_ids:
            raise InputError(f"none of the documents asked for is in story {filters.story!r}")
        return filters.model_copy(update={"doc_ids": doc_ids, "story": None})

    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None, **kwargs) -> list[Hit]:
        """Passages for ``query``. Search needs no model, so when the model that translates the query
        cannot be loaded or reached, the query is searched untranslated (with a warning in the log)."""
        filters = self.scoped(filters)
        if "translations" not in kwargs and kwargs.get("mode", "hybrid") != "lexical":
            try:
                kwargs["translations"] = self.translations(query, filters)
            except (ConfigError, ModelError) as exc:
                log.warning("searching without query translation: %s", exc)
                kwargs["translations"] = []
        return self.retriever.search(query, k or self.settings.top_k, filters, **kwargs)

    @cached_property
    def translation_model(self) -> ChatModel:
        """The model that translates queries: the one loaded model (one copy of the weights in memory),
        taking turns in the same queue."""
        return self.model

    @cached_property
    def translator(self) -> QueryTranslator:
        return QueryTranslator(self.translation_model, self.embedder)

    def translations(self, query: str, filters: SearchFilters | None = None) -> list[Translation]:
        """``query`` in the store's languages that ASSISTANT_TRANSLATE_QUERIES lists (none when it is empty)."""
        wanted = self.settings.translate_query_codes
        if not wanted or not query.strip() or self.settings.translation_weight == 0:  # 0: they would count for nothing
            return []
        langs = [lang for lang in self.retriever.languages() if lang in wanted]
        if not langs:  # nothing to translate into: the model is not even loaded
            return []
        return self.translator.for_store(query, langs, self.settings.language_codes, filters.langs if filters else ())

    def warm_up(self) -> None:
        """Load everything the first question needs, so that it is not slower than the next ones: the
        embedder and lexical index (a search), the model, lingua's models (a question's language), and the
        answer prompt's fixed instructions, the answer judge's and the translation prompt's, from each of the
        library's languages into the reader's, into the model's kept prompt states (one-token replies)."""
        from assistant.backends.chat import ChatMessage
        from assistant.generation.translation import translation_messages
        from assistant.retrieval.answer_judge import AnswerJudge

        self.search("warm up", k=1)
        self.answers.answer_language("What did the minister announce?", "auto")
        messages = self.answers.messages({1: "The minister opened the bridge."}, "Who opened the bridge?", "en")
        prompts = [messages[:1] + [ChatMessage("user", messages[1].content)]]
        prompts.append(AnswerJudge.messages("Who opened the bridge?", "The minister opened the bridge.", "en"))
        target = self.pretranslation_lang
        prompts += [translation_messages("2024.", lang, target) for lang in self.retriever.languages() if lang != target]
        for prompt in prompts:
            for _ in self.model.stream(prompt, max_tokens=1):
                pass

    # --- translations ahead of questions ------------------------------------------------------------------

    def library_sentences(self, lang: str = "en", refs: Sequence[str] = ()) -> list[tuple[str, str]]:
        """(sentence, its language) of the stored documents not in ``lang`` (or of ``refs``), in library
        order: the sentences answers and briefs may need translated into ``lang``."""
        from assistant.retrieval.evidence import MIN_SENTENCE_CHARS
        from assistant.text.sentences import trimmed_sentence

        docs = [d for ref in refs for d in self.store.resolve(ref)] if refs else self.documents()
        wanted: list[tuple[str, str]] = []
        for info in docs:
            if info.lang == lang:
                continue
            doc = self.store.get_document(info.doc_id)
            if doc is None:
                continue
            for s in self.store.document_sentences(doc.doc_id):
                text = trimmed_sentence(doc.text, 0, s.start, s.end)[0]
                if len(text) >= MIN_SENTENCE_CHARS:
                    wanted.append((text, info.lang))
        return list(dict.fromkeys(wanted))

    def untranslated(self, lang: str = "en", refs: Sequence[str] = ()) -> list[tuple[str, str]]:
        """The :meth:`library_sentences` that have no cached translation into ``lang`` yet: what
        :meth:`pretranslate` would translate."""
        wanted = self.library_sentences(lang, refs)
        keys = [self.answers.translator.key(t, tl, lang) for t, tl in wanted]
        have = set()
        for i in range(0, len(keys), 500):
            have |= set(self.store.get_translations(keys[i : i + 500]))
        return [w for w, k in zip(wanted, keys) if k not in have]

    def refused(self, lang: str = "en", refs: Sequence[str] = ()) -> list[tuple[str, str]]:
        """The :meth:`library_sentences` whose cached translation into ``lang`` the checks refuse today:
        shown in their original language until translated again (``pretranslate(retry_refused=True)``)."""
        wanted = self.library_sentences(lang, refs)
        return [w for w, no in zip(wanted, self.answers.translator.refused(wanted, lang)) if no]

    def pretranslate(
        self,
        lang: str | None = None,
        refs: Sequence[str] = (),
        *,
        batch: int = 4,
        on_progress=None,
        should_stop=None,
        retry_refused: bool = False,
        sentences: Sequence[tuple[str, str]] | None = None,
    ) -> int:
        """Translate (and check) every sentence of the stored documents not in ``lang`` that has no cached
        translation yet (and, with ``retry_refused``, each whose cached translation the checks refuse: it
        gets new sampled drafts), ``batch`` sentences per step, so that answers over them pay nothing at
        question time; returns how many were translated. ``should_stop()`` is asked between steps (the
        server stops when a reader is waiting for the model). ``sentences`` gives that list when the caller
        has already made it (the CLI counts them first), so the library and its cache are not read twice."""
        lang = lang or self.pretranslation_lang
        todo = list(sentences) if sentences is not None else (
            self.untranslated(lang, refs) + (self.refused(lang, refs) if retry_refused else [])
        )
        for i in range(0, len(todo), batch):
            if should_stop and should_stop():
                return i
            self.answers.translator.render(todo[i : i + batch], lang, retry_refused=retry_refused)
            if on_progress:
                on_progress(min(i + batch, len(todo)), len(todo))
        return len(todo)

    # --- answers ----------------------------------------------------------------------------------------

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
        session: str | None = None,
        user: str = LOCAL_USER,
        today: date | None = None,
    ) -> Answer:
        """A cited, verified answer in ``answer_lang`` (None: ASSISTANT_ANSWER_LANG; 'auto': the question's
        language); see :mod:`assistant.generation.answer`. With ``session`` (a saved conversation's id or
        name; a new name starts one), follow-ups are read against that conversation and the turn is saved
        to it once answered."""
        filters = self.scoped(filters)
        scope = None
        if not (filters and (filters.date_from or filters.date_to)):
            scope = time_scope(question, today or date.today())
        conversation = None
        if session is not None:
            conversation = self.conversations.find_or_create(session, user)
            _, turns = self.conversations.turns(conversation.id, user)
            history = [*history_of(turns), *history]
        def run(scoped: SearchFilters | None) -> Answer:
            return self.answers.ask(
                question, history=history, answer_lang=answer_lang, filters=scoped, k=k, on_token=on_token,
                on_sentence=on_sentence,
            )

        with self.queue.serving_reader():
            answer = run(self.in_time(scope, question, filters)) if scope else run(filters)
            retry = bool(scope and scope.date_from and not answer.answerable)
            if retry:
                answer = run(filters)
        if retry:
            answer.notes.append(f"nothing in the library is dated {scope.date_from} to {scope.date_to} (“{scope.phrase}”); answered from all dates")
        elif scope:
            answer.notes.append(f"read as a question about {scope.describe()}")
        covered = sorted({s.date for s in answer.sources if s.date})
        if scope and answer.sources:
            undated = sum(1 for s in answer.sources if not s.date)
            span = (covered[0] if covered[0] == covered[-1] else f"{covered[0]} to {covered[-1]}") if covered else "no dated source"
            answer.notes.append(f"covers sources dated {span}" + (f" ({undated} undated)" if undated else ""))
        if conversation is not None:
            self.conversations.add_turn(conversation.id, answer, user)
        return answer

    def timeline(
        self, *, story: str | None = None, topic: str | None = None, lang: str | None = None, on_progress=None
    ) -> Timeline:
        """The documents of a story, a topic or the library in date order, each with one key sentence in
        ``lang`` (default: the configured answer language, English when it is 'auto')."""
        with self.queue.serving_reader():
            return TimelineBuilder(self.briefs).timeline(
                lang or self.pretranslation_lang, story=story, topic=topic, on_progress=on_progress
            )

    def in_time(self, scope: TimeScope, question: str, filters: SearchFilters | None) -> SearchFilters | None:
        """The filters a time-aware question implies: its period, or for "latest" the most recently dated
        documents among the relevant ones (within ``LATEST_DAYS`` of the newest)."""
        base = filters or SearchFilters()
        if scope.date_from:
            return base.model_copy(update={"date_from": scope.date_from, "date_to": scope.date_to})
        infos = {d.doc_id: d for d in self.documents()}
        hits = self.search(question, k=max(10, self.settings.top_k), filters=filters)
        dated = [(infos[h.doc_id].date, h.doc_id) for h in hits if h.doc_id in infos and infos[h.doc_id].date]
        if not dated:
            return filters
        newest = max(date_key(d) for d, _ in dated)
        newest_day = date(newest // 10000, newest // 100 % 100, newest % 100)
        floor = int((newest_day - timedelta(days=LATEST_DAYS)).strftime("%Y%m%d"))
        recent = list(dict.fromkeys(doc_id for d, doc_id in dated if date_key(d, end=True) >= floor))
        return base.model_copy(update={"doc_ids": recent})

    def export_conversation(self, ref: str, fmt: str = "md", user: str = LOCAL_USER) -> str:
        """A saved conversation as Markdown or JSON, for a reader to check every claim from the file alone."""
        conversation, turns = self.conversations.turns(ref, user)
        export = export_conversation(conversation, turns)
        if fmt == "json":
            return export.model_dump_json(indent=2, exclude={"turns": {"__all__": {"answer": {"draft"}}}}) + "\n"
        if fmt == "md":
            return conversation_markdown(export)
        raise InputError(f"unknown export format {fmt!r}", hint="md or json")

    def brief(
        self,
        refs: Sequence[str] = (),
        *,
        story: str | None = None,
        topic: str | None = None,
        langs: Sequence[str] = (),
        on_progress=None,
    ) -> Brief:
        """A bilingual brief with verified citations (see :mod:`assistant.generation.brief`)."""
        with self.queue.serving_reader():
            return self.briefs.brief(refs, story=story, topic=topic, langs=langs, on_progress=on_progress)
