"""A story over time: its documents in date order, each with one key sentence in the reader's language.

The key sentence is the one a one-point brief would choose (:func:`assistant.generation.brief.rank`: the
most central sentence, with the lead's bonus). In the reader's language it is the document's own sentence,
or its translation verified as every translation is (same translator, same checks, same cache); when none
verifies, the original is shown labelled with its language. Undated documents come after the dated ones.
"""

from __future__ import annotations

from typing import Callable

from assistant.generation.brief import BriefPipeline, rank
from assistant.models import DocumentInfo, Timeline, TimelineEntry, date_key


class TimelineBuilder:
    """Timelines over the documents a brief would read (a story, a topic, or the whole library)."""

    def __init__(self, briefs: BriefPipeline) -> None:
        self.briefs = briefs

    def documents(self, story: str | None, topic: str | None) -> list[DocumentInfo]:
        if story:
            return self.briefs.documents_for([], story)
        if topic:
            docs, _ = self.briefs.topic_candidates(topic)
            return docs
        return self.briefs.store.list_documents()

    def timeline(
        self, lang: str, *, story: str | None = None, topic: str | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Timeline:
        docs = sorted(self.documents(story, topic), key=lambda d: (date_key(d.date) == 0, date_key(d.date), d.source))
        entries: list[TimelineEntry] = []
        for i, doc in enumerate(docs, start=1):
            entries.append(self.entry(doc, lang))
            if on_progress:
                on_progress(i, len(docs))
        return Timeline(lang=lang, story=story, topic=topic, entries=entries)

    def entry(self, doc: DocumentInfo, lang: str) -> TimelineEntry:
        base = dict(doc_id=doc.doc_id, date=doc.date, lang=doc.lang, source=doc.source, title=doc.title, url=doc.url,
                    story_id=doc.story_id)
        chosen = rank(self.briefs.candidates([doc]), 1)
        if not chosen:
            return TimelineEntry(**base, sentence=None, kind="none")
        key = chosen[0]
        if doc.lang == lang:
            return TimelineEntry(**base, sentence=key.text, kind="original")
        rendering = self.briefs.translator.render([(key.text, doc.lang)], lang)[0]
        if rendering.verified:
            return TimelineEntry(**base, sentence=rendering.text, kind="translation", original=key.text, original_lang=doc.lang)
        return TimelineEntry(**base, sentence=key.text, kind="quote", original_lang=doc.lang, note=rendering.reason)
