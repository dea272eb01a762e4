"""A story over time: its documents in date order, each with one key sentence in the reader's language.

The key sentence is the one a one-point brief would choose (:func:`assistant.generation.brief.rank`: the
most central sentence, with the lead's bonus). In the reader's language it is the document's own sentence,
or its translation verified as every translation is (same translator, same checks, same cache); when none
verifies, the original is shown labelled with its language. Undated documents come after the dated ones.
"""

from __future__ import annotations

from typing import Callable

from assistant.generation.brief import BriefPipeline, rank
from assistant.grounding.disagreements import Claim, conflicts
from assistant.models import Disagreement, DocumentInfo, Timeline, TimelineEntry, date_key
from assistant.text.sentences import trimmed_sentence
from assistant.text.words import anchors


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
        found = self.disagreements(docs) if (story or topic) else []
        return Timeline(lang=lang, story=story, topic=topic, entries=entries, disagreements=found)

    def disagreements(self, docs: list[DocumentInfo]) -> list[Disagreement]:
        """Sentences of different documents of the timeline stating the same thing with other numbers
        (documents in one language: re-published copies, follow-ups, another outlet's report)."""
        store = self.briefs.store
        claims, groups = [], []
        for doc in docs:
            full = store.get_document(doc.doc_id)
            if full is None:
                continue
            for s in store.document_sentences(doc.doc_id):
                text = trimmed_sentence(full.text, 0, s.start, s.end)[0]
                if anchors(text) and s.embedding is not None:
                    claims.append(Claim(doc.doc_id, text, doc.lang, s.embedding))
                    groups.append(doc.doc_id)
        sources = {d.doc_id: d.source for d in docs}
        out = []
        for c in conflicts(claims, groups):
            note = (f"the documents differ: {sources[c.a.ref]} gives {', '.join(c.only_a)} where {sources[c.b.ref]} gives "
                    f"{', '.join(c.only_b)} (“{c.a.text}” / “{c.b.text}”); check which is right")
            out.append(Disagreement(refs=[c.a.ref, c.b.ref], texts=[c.a.text, c.b.text], values=[list(c.only_a), list(c.only_b)], note=note))
        return out

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
