"""The assistant as one object: what the CLI commands and the UI handlers call.

It wires settings → embedder → store → retriever → ingestor lazily, so that a command only loads what it
uses (``assistant docs`` opens the store but never loads the embedding model).
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import Sequence

from assistant.backends.embedder import Embedder, get_embedder
from assistant.backends.llm import ChatModel, get_chat_model
from assistant.backends.queueing import ModelQueue, QueuedChatModel
from assistant.backends.store import VectorStore, open_store
from assistant.config import Settings, get_settings
from assistant.errors import ConfigError, ModelError
from assistant.generation.answer import AnswerPipeline, TokenCallback
from assistant.generation.brief import BriefPipeline
from assistant.generation.query_translation import QueryTranslator
from assistant.ingest.pipeline import Ingestor, ProgressCallback
from assistant.models import Answer, Brief, DocumentInfo, Hit, IngestReport, SearchFilters, Story
from assistant.retrieval.retriever import Retriever, cache_dir_for
from assistant.retrieval.translations import Translation

log = logging.getLogger(__name__)


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
        return BriefPipeline(self.retriever, self.store, self.embedder, self.model, self.settings)

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
    def ingestor(self) -> Ingestor:
        return Ingestor(self.store, self.embedder, self.settings)

    # --- library ----------------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[str | Path], progress: ProgressCallback | None = None) -> IngestReport:
        try:
            return self.ingestor.ingest(paths, progress)
        finally:
            self.retriever.invalidate()

    def documents(self) -> list[DocumentInfo]:
        return self.store.list_documents()

    def remove(self, ref: str) -> list[DocumentInfo]:
        """Remove the documents named by a doc id or a source name; returns what was removed."""
        targets = self.store.resolve(ref)
        for doc in targets:
            self.store.delete_document(doc.doc_id)
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

    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None, **kwargs) -> list[Hit]:
        """Passages for ``query``. Search needs no model, so when the model that translates the query
        cannot be loaded or reached, the query is searched untranslated (with a warning in the log)."""
        if "translations" not in kwargs and kwargs.get("mode", "hybrid") != "lexical":
            try:
                kwargs["translations"] = self.translations(query, filters)
            except (ConfigError, ModelError) as exc:
                log.warning("searching without query translation: %s", exc)
                kwargs["translations"] = []
        return self.retriever.search(query, k or self.settings.top_k, filters, **kwargs)

    @cached_property
    def translation_model(self) -> ChatModel:
        """The model that translates queries: the local GGUF in a llama.cpp context of its own (see
        :func:`assistant.backends.llm.get_chat_model`), taking turns in the same queue; a given model or an endpoint
        as it is."""
        if self._model is not None or self.settings.llm_url:
            return self.model
        return QueuedChatModel(get_chat_model(self.settings, context="translate"), self.queue)

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

    # --- answers ----------------------------------------------------------------------------------------

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
        """A cited, verified answer (see :mod:`assistant.generation.answer`)."""
        return self.answers.ask(question, history=history, answer_lang=answer_lang, filters=filters, k=k, on_token=on_token)

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
        return self.briefs.brief(refs, story=story, topic=topic, langs=langs, on_progress=on_progress)
