"""Bilingual briefs: extract the key sentences, write each as a point in every language, verify, fall back.

* **Input**: documents (doc id or source), a story (all its language versions) or a topic (retrieve first,
  then brief what was found). Translations are not briefed twice: of a story, one version is read (the one
  in a requested language, else the first), and the others are listed as the same story.
* **Extract** (map-reduce): the sentences of each window of ``WINDOW_TOKENS`` are ranked by centrality
  (mean e5 similarity to the other sentences, with the news lead favoured, and a bonus for each number,
  date or name a sentence adds to those already chosen) and the best of each window are
  ranked again together. A key sentence keeps its document and offsets through both steps, so its
  citation survives the reduce. Every model call then sees one sentence, so nothing is ever truncated to
  fit the context, however long the input. Longer inputs get more points (see :func:`point_count`).
* **Write**: a key sentence already in a target language is used as it is; otherwise it is translated and
  the translation checked against it (:mod:`assistant.generation.translation`, the answers' translator and
  cache); when the translation fails its checks, the model restates the sentence as one point in that
  language under a grammar that makes it cite that sentence (English dates in plain form, see
  :mod:`assistant.generation.style`).
* **Condense**: a checked translation longer than ``brief_condense_words`` is shortened by the model into one
  point, verified against the translation within its language (its translation stays in the point's
  ``translations``); when it fails, the translation is shown.
* **Verify** the written point like an answer sentence (numbers, months, names; e5 similarity; written in
  the language asked for), and check that it keeps the names of its sentence that other languages in the
  store write the same way (see :func:`assistant.grounding.facts.dropped_names`). A draft that fails is followed by
  up to ``brief_drafts`` − 1 sampled drafts (fixed seeds); a point none of whose drafts passes shows the
  key sentence quoted instead, and the first rejected draft is kept with its reason.
* **Stand in**: before a point is left quoting its sentence, up to ``MAX_STAND_INS`` sentences of the same
  document that say nearly the same (see :func:`stand_ins`) are tried in its place; the first whose point
  needs no quote replaces it, and the point says which sentence it stands in for.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Sequence

import numpy as np

from assistant.backends.chat import ChatMessage, ChatModel
from assistant.backends.embedder import Embedder
from assistant.backends.store import VectorStore
from assistant.config import Settings
from assistant.errors import InputError, NotFoundError
from assistant.generation.answer import language_name
from assistant.generation.style import plain_dates
from assistant.generation.translation import SentenceTranslator
from assistant.grounding.citations import citation_grammar, parse_cited
from assistant.grounding.facts import facts_in, kept_names, names_as_written
from assistant.grounding.verifier import Verifier
from assistant.ingest.metadata import is_caption
from assistant.models import Brief, BriefPoint, DocumentInfo, Source
from assistant.retrieval.retriever import Retriever
from assistant.templates import render
from assistant.text.injection import is_instruction
from assistant.text.language import LANGUAGE_NAMES
from assistant.text.sentences import trimmed_sentence
from assistant.text.tokens import count_tokens

#: Weight of the lead bonus: the first sentence of a document gets this much more than the last.
LEAD_WEIGHT = 0.03
#: Bonus per fact (number, month, name) that a sentence adds to those the already chosen sentences state,
#: counting at most ``MAX_NEW_FACTS``: a brief should say who, when and how many, not restate the lead
#: six times (centralities of one article's sentences lie within a few hundredths of each other).
FACT_WEIGHT = 0.005
MAX_NEW_FACTS = 4
#: Two key sentences more similar than this say the same thing; the second is skipped.
REDUNDANCY = 0.95
#: At most this many other sentences are tried in place of a key sentence whose point could only be quoted.
MAX_STAND_INS = 2
#: Tokens of sentences ranked together in the map step.
WINDOW_TOKENS = 1500
#: A brief has one point per this many candidate sentences (between ``brief_points`` and
#: ``brief_max_points``): six points were 60 % of a ten-sentence article but left out what the second half
#: of a 24-sentence one proposes (seed 001's "OpenRAN, KI und Halbleiter" ranked 11th).
SENTENCES_PER_POINT = 3
#: A condensed point must have fewer words than this share of its translation's, or the translation is shown.
CONDENSED_SHARE = 0.85
#: Shorter sentences are headings, credits or debris (captions are recognised by their credit).
MIN_KEY_CHARS = 40

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Draft:
    """A written point as checked: its text, and why it fails (None when it passed)."""

    text: str
    reason: str | None


@dataclass(frozen=True)
class _PointSources:
    """What checking any point of one brief needs: the key sentences by number, their vectors, and which
    languages of the store write a word (asked once per brief, though every draft may ask again)."""

    count: int
    texts: dict[int, str]
    vectors: dict[int, np.ndarray]
    languages_writing: Callable[[str], set[str]]


@dataclass(eq=False)
class KeySentence:
    doc: DocumentInfo
    text: str
    start: int
    end: int
    vector: np.ndarray
    position: float  # 0 = first sentence of its document, 1 = last
    relevance: float = 0.0  # to the topic, when there is one

    @property
    def tokens(self) -> int:
        return count_tokens(self.text)

    @cached_property
    def facts(self) -> set[str]:
        return facts_in(self.text, self.doc.lang)


def rank(candidates: list[KeySentence], n: int, topic_weight: float = 0.0) -> list[KeySentence]:
    """The ``n`` most central sentences that add the most new facts and repeat none, in reading order.

    Chosen greedily: each step takes the best of centrality (or topic relevance), the lead bonus and the
    bonus for facts not yet stated, skipping near-duplicates of what was already chosen.
    """
    if not candidates:
        return []
    vectors = np.stack([c.vector for c in candidates])
    sims = vectors @ vectors.T
    m = len(candidates)
    centrality = (sims.sum(axis=1) - 1.0) / max(1, m - 1)
    lead = np.array([LEAD_WEIGHT * (1.0 - c.position) for c in candidates])
    relevance = np.array([c.relevance for c in candidates])
    base = (1 - topic_weight) * centrality + topic_weight * relevance + lead
    chosen: list[int] = []
    stated: set[str] = set()
    while len(chosen) < min(n, m):
        best, best_score = -1, -np.inf
        for i in range(m):
            if i in chosen or any(sims[i, j] >= REDUNDANCY for j in chosen):
                continue
            score = base[i] + FACT_WEIGHT * min(MAX_NEW_FACTS, len(candidates[i].facts - stated))
            if score > best_score:
                best, best_score = i, score
        if best < 0:
            break
        chosen.append(best)
        stated |= candidates[best].facts
    return [candidates[i] for i in sorted(chosen, key=lambda i: (candidates[i].doc.source, candidates[i].start))]


def point_count(candidates: int, least: int, most: int) -> int:
    """How many points a brief of ``candidates`` sentences gets: one per ``SENTENCES_PER_POINT``, at least
    ``least`` and at most ``max(least, most)``; never more than there are sentences."""
    return min(candidates, max(least, min(most, math.ceil(candidates / SENTENCES_PER_POINT))))


def map_reduce(candidates: list[KeySentence], n: int, window_tokens: int = WINDOW_TOKENS, topic_weight: float = 0.0) -> list[KeySentence]:
    """Rank within windows of ``window_tokens``, then rank the windows' picks together."""
    windows: list[list[KeySentence]] = [[]]
    used = 0
    for c in candidates:
        if windows[-1] and used + c.tokens > window_tokens:
            windows.append([])
            used = 0
        windows[-1].append(c)
        used += c.tokens
    if len(windows) == 1:
        return rank(candidates, n, topic_weight)
    picks = [k for w in windows for k in rank(w, n, topic_weight)]
    return rank(picks, n, topic_weight)


def stand_ins(key: KeySentence, candidates: list[KeySentence], keys: list[KeySentence]) -> list[KeySentence]:
    """Sentences of ``key``'s document that say nearly what it says (more similar than ``REDUNDANCY``, the
    ranking's test for a repeat), most similar first, at most ``MAX_STAND_INS``, repeating no other key.

    A point that can only quote its key sentence gives the reader a sentence in a language they may not
    read; a news article often states its lead twice (a summary line, then the body's first sentence, or
    a caption), and the other wording may translate where the first did not: the Indonesian seed's lead
    was translated with "the Ambassador of the United States" and refused, while the line under its photo,
    naming the ambassador and the date, translated cleanly."""
    others = [k for k in keys if k is not key]
    near = [
        (float(c.vector @ key.vector), c) for c in candidates
        if c.doc.doc_id == key.doc.doc_id and c is not key and c not in others
        and all(float(c.vector @ k.vector) < REDUNDANCY for k in others)
    ]
    near = [(sim, c) for sim, c in near if sim >= REDUNDANCY]
    return [c for _, c in sorted(near, key=lambda x: -x[0])[:MAX_STAND_INS]]


class BriefPipeline:
    def __init__(
        self, retriever: Retriever, store: VectorStore, embedder: Embedder, model: ChatModel, settings: Settings,
        translator: SentenceTranslator | None = None,
    ) -> None:
        self.retriever = retriever
        self.store = store
        self.embedder = embedder
        self.model = model
        self.settings = settings
        self.verifier = Verifier(embedder, settings.brief_support_threshold)
        #: Key sentences are translated with the answers' translator (same checks, same cache).
        self.translator = translator or SentenceTranslator.from_settings(
            model, embedder, store, settings, retriever.languages_writing
        )

    # --- what to brief ----------------------------------------------------------------------------------

    def documents_for(self, refs: Sequence[str], story: str | None) -> list[DocumentInfo]:
        docs: dict[str, DocumentInfo] = {}
        for ref in refs:
            found = self.store.resolve(ref)
            if not found:
                raise NotFoundError(f"no document matches {ref!r}", hint="see `assistant docs` for ids and sources")
            docs.update((d.doc_id, d) for d in found)
        if story:
            members = [d for d in self.store.list_documents() if (d.story_id or f"story-{d.doc_id[:12]}") == story]
            if not members:
                raise NotFoundError(f"no story {story!r}", hint="see `assistant stories` for story ids")
            docs.update((d.doc_id, d) for d in members)
        return sorted(docs.values(), key=lambda d: d.source)

    @staticmethod
    def read_versions(docs: list[DocumentInfo], langs: list[str]) -> tuple[list[DocumentInfo], list[str]]:
        """One version per story: the one in a requested language other than English, else the first."""
        groups: dict[str, list[DocumentInfo]] = {}
        for d in docs:
            groups.setdefault(d.story_id or d.doc_id, []).append(d)
        chosen, notes = [], []
        for members in groups.values():
            preferred = [d for d in members if d.lang in langs and d.lang != "en"] or [d for d in members if d.lang in langs] or members
            pick = preferred[0]
            chosen.append(pick)
            others = [d for d in members if d is not pick]
            if others:
                notes.append(
                    f"{pick.source} is read for its story; the same story in {', '.join(sorted({d.lang for d in others}))} "
                    f"({', '.join(d.source for d in others)}) is not briefed twice"
                )
        return chosen, notes

    def candidates(self, docs: list[DocumentInfo]) -> list[KeySentence]:
        out: list[KeySentence] = []
        for info in docs:
            doc = self.store.get_document(info.doc_id)
            sentences = self.store.document_sentences(info.doc_id)
            for i, s in enumerate(sentences):
                text, start, end = trimmed_sentence(doc.text, 0, s.start, s.end)
                if len(text) < MIN_KEY_CHARS or is_instruction(text) or is_caption(text):
                    continue
                out.append(KeySentence(info, text, start, end, s.embedding, i / max(1, len(sentences) - 1)))
        return out

    def topic_candidates(self, topic: str) -> tuple[list[DocumentInfo], list[KeySentence]]:
        qvec = self.embedder.embed_queries([topic])[0]
        hits = self.retriever.search(topic, max(8, self.settings.top_k), query_vector=qvec)
        if not hits:
            return [], []
        infos = {d.doc_id: d for d in self.store.list_documents()}
        by_chunk = {h.chunk_id: h for h in hits}
        out: list[KeySentence] = []
        for s in self.store.sentences_of(list(by_chunk)):
            hit = by_chunk[s.chunk_id]
            text, start, end = trimmed_sentence(hit.text, hit.start, s.start, s.end)
            if len(text) < MIN_KEY_CHARS or is_instruction(text) or is_caption(text):
                continue
            doc_len = max(1, infos[hit.doc_id].chars)
            out.append(KeySentence(infos[hit.doc_id], text, start, end, s.embedding, start / doc_len, float(s.embedding @ qvec)))
        docs = sorted({k.doc.doc_id: k.doc for k in out}.values(), key=lambda d: d.source)
        return docs, out

    # --- the whole pipeline -----------------------------------------------------------------------------

    def brief(
        self,
        refs: Sequence[str] = (),
        *,
        story: str | None = None,
        topic: str | None = None,
        langs: Sequence[str] = (),
        on_progress: ProgressCallback | None = None,
    ) -> Brief:
        started = time.perf_counter()
        if not refs and not story and not (topic and topic.strip()):
            raise InputError("nothing to brief", hint="name documents (doc id or source), --story ID or --topic TEXT")
        langs = list(dict.fromkeys(langs))
        if len(langs) > 2:
            raise InputError("a brief has at most two languages", hint="give --lang at most twice")
        for lang in langs:
            language_name(lang)
        notes: list[str] = []
        if topic and not refs and not story:
            docs, candidates = self.topic_candidates(topic)
            if not candidates:
                raise NotFoundError(f"nothing in the store matches the topic {topic!r}")
            topic_weight = 0.7
            read = docs
        else:
            docs = self.documents_for(refs, story)
            topic_weight = 0.0
            read, notes = self.read_versions(docs, langs or ["en"] + [d.lang for d in docs])
            candidates = self.candidates(read)
        if not langs:
            langs = ["en"] + ([read[0].lang] if read and read[0].lang != "en" and len({d.lang for d in read}) == 1 else [])
        n_points = point_count(len(candidates), self.settings.brief_points, self.settings.brief_max_points)
        keys = map_reduce(candidates, n_points, WINDOW_TOKENS, topic_weight)
        if not keys:
            raise InputError("the documents have no sentences long enough to brief")
        extract_ms = (time.perf_counter() - started) * 1000

        sources = [
            Source(
                n=i, doc_id=k.doc.doc_id, source=k.doc.source, title=k.doc.title, lang=k.doc.lang, date=k.doc.date,
                chunk_id="", quote=k.text, start=k.start, end=k.end, story_id=k.doc.story_id,
            )
            for i, k in enumerate(keys, start=1)
        ]
        context = _PointSources(
            count=len(keys),
            texts={s.n: s.quote for s in sources},
            vectors={i: k.vector for i, k in enumerate(keys, start=1)},
            languages_writing=functools.lru_cache(maxsize=None)(self.retriever.languages_writing),
        )
        points: list[BriefPoint] = []
        total = len(keys) * len(langs)
        for n, key in enumerate(keys, start=1):
            point = self.point(n, key, langs, context)
            if "quote" in point.kinds.values():
                for stand_in in stand_ins(key, candidates, keys):
                    context.texts[n], context.vectors[n] = stand_in.text, stand_in.vector
                    other = self.point(n, stand_in, langs, context)
                    if "quote" not in other.kinds.values():
                        other.stands_in_for = key.text
                        point, keys[n - 1] = other, stand_in
                        sources[n - 1] = sources[n - 1].model_copy(
                            update={"quote": stand_in.text, "start": stand_in.start, "end": stand_in.end}
                        )
                        break
                context.texts[n], context.vectors[n] = keys[n - 1].text, keys[n - 1].vector
            points.append(point)
            if on_progress:
                on_progress(n * len(langs), total)
        return Brief(
            langs=langs,
            documents=docs,
            topic=topic,
            points=points,
            sources=sources,
            model=self.model.name,
            notes=notes,
            timings={"extract_ms": round(extract_ms, 1), "total_ms": round((time.perf_counter() - started) * 1000, 1)},
        )

    def point(self, n: int, key: KeySentence, langs: list[str], context: _PointSources) -> BriefPoint:
        """Point ``n`` of a brief: ``key`` in each of ``langs`` — itself, its checked translation (condensed
        when long), the model's checked restatement, or, when none passes, the sentence quoted."""
        point = BriefPoint(texts={}, kinds={}, citations=[n], supported=True, quote=key.text)
        for lang in langs:
            if lang == key.doc.lang:
                point.texts[lang], point.kinds[lang] = key.text, "original"
                continue
            rendering = (
                self.translator.render([(key.text, key.doc.lang)], lang)[0] if self.settings.translate_evidence else None
            )
            if rendering is not None and rendering.verified:
                point.texts[lang], point.kinds[lang] = rendering.text, "translation"
                if 0 < self.settings.brief_condense_words < len(rendering.text.split()):
                    condensed = self.condense(n, key, rendering.text, lang, context)
                    if condensed.reason is None:
                        point.texts[lang], point.kinds[lang] = condensed.text, "generated"
                        point.translations[lang] = rendering.text
                    else:
                        point.rejected[lang] = f"condensed {condensed.text!r}: {condensed.reason}"
                continue
            draft = self.write_point(n, key, lang, context)
            if draft.reason is None:
                point.texts[lang], point.kinds[lang] = draft.text, "generated"
                if rendering is not None:
                    point.rejected[lang] = f"translation {rendering.text!r}: {rendering.reason}"
            else:
                point.texts[lang], point.kinds[lang] = key.text, "quote"
                point.rejected[lang] = f"{draft.text!r}: {draft.reason}" if draft.text else draft.reason
        return point

    def write_point(self, n: int, key: KeySentence, lang: str, context: _PointSources) -> Draft:
        """The model's point for ``key`` in ``lang`` and, if no draft passes verification, why (else None).

        A tiny model restating a long sentence often adds one wrong word ("the President of the Republic"),
        and greedy decoding repeats the same mistake. So a failed draft is followed by up to
        ``brief_drafts`` − 1 sampled ones (fixed seeds: the same brief every run); each is verified the same
        way and the first that passes is kept. When none does, the first draft and its reason are reported.
        """
        messages = [
            ChatMessage("system", render("brief_system")),
            ChatMessage("user", render("brief_point", n=n, sentence=" ".join(key.text.split()), language=language_name(lang))),
        ]
        grammar = citation_grammar(context.count, max_sentences=1, max_chars=240, only=[n])
        first: Draft | None = None
        for attempt in range(self.settings.brief_drafts):
            sampled = attempt > 0
            draft = "".join(
                self.model.stream(
                    messages,
                    max_tokens=self.settings.max_answer_tokens,
                    grammar=grammar,
                    stop=["\n"],
                    temperature=self.settings.brief_draft_temperature if sampled else None,
                    seed=self.settings.seed + attempt if sampled else None,
                )
            )
            checked = self._check_draft(draft, n, key, lang, context)
            if checked.reason is None:
                return checked
            first = first or checked
        assert first is not None  # brief_drafts >= 1
        return first

    def condense(self, n: int, key: KeySentence, translation: str, lang: str, context: _PointSources) -> Draft:
        """The model's shorter point for a long checked ``translation`` of ``key`` into ``lang``, and why it
        fails (None when it passes). One greedy draft: when it fails the translation is shown, which is
        already verified, so a retry would only buy a shorter line with another model call.

        The point is verified against the translation (one language: its facts must be there, it must stay
        close) and must keep the key sentence's names that other languages write the same way; the
        translation was verified against the key sentence, so each step a reader can check holds. The names
        it must keep are named in the prompt, as the translation writes them: told only to keep "every name",
        the model dropped them from every condensed point of the seed briefs (BENCHMARKS.md).
        """
        def shared(word: str) -> bool:
            return bool(context.languages_writing(word) - {key.doc.lang})

        names = names_as_written(translation, kept_names(key.text, key.doc.lang, shared))
        keep = render("brief_condense_keep", names=", ".join(names)) + "\n" if names else ""
        messages = [
            ChatMessage("system", render("brief_condense_system")),
            ChatMessage("user", render("brief_condense", n=n, sentence=translation, keep=keep, language=language_name(lang))),
        ]
        grammar = citation_grammar(context.count, max_sentences=1, max_chars=min(240, len(translation)), only=[n])
        draft = "".join(self.model.stream(messages, max_tokens=self.settings.max_answer_tokens, grammar=grammar, stop=["\n"]))
        parsed = [p for p in parse_cited(draft, context.count) if p.citations]
        if not parsed:
            return Draft(draft.strip(), "no cited point")
        text = " ".join(p.text for p in parsed)
        if lang == "en":
            text = plain_dates(text)
        if len(text.split()) >= CONDENSED_SHARE * len(translation.split()):
            return Draft(text, "no shorter than the translation")
        vector = self.embedder.embed_passages([translation])[0]
        verdict = self.verifier.check_restatement(
            text, n, key.text, key.doc.lang, lang, {n: translation}, {n: vector}, shared, text_lang=lang
        )
        return Draft(text, verdict.reason)

    def _check_draft(self, draft: str, n: int, key: KeySentence, lang: str, context: _PointSources) -> Draft:
        """The draft's cited text and why it fails (None when it passes); ``lang`` is never the key's own."""
        parsed = [p for p in parse_cited(draft, context.count) if p.citations]
        if not parsed:
            return Draft(draft.strip(), "no cited point")
        text = " ".join(p.text for p in parsed)
        if lang == "en":
            text = plain_dates(text)
        def shared(word: str) -> bool:  # written so in another language of the store
            return bool(context.languages_writing(word) - {key.doc.lang})

        verdict = self.verifier.check_restatement(
            text, n, key.text, key.doc.lang, lang, context.texts, context.vectors, shared
        )
        return Draft(text, verdict.reason)


def brief_markdown(brief: Brief) -> str:
    """A readable bilingual brief with a sources list, for export."""
    title = f"Brief: {brief.topic}" if brief.topic else "Brief: " + "; ".join(d.title for d in brief.documents[:3])
    lines = [f"# {title}", ""]
    lines.append("Documents: " + ", ".join(f"{d.source} ({d.lang}{', ' + d.date if d.date else ''})" for d in brief.documents))
    lines.append("")
    header = [LANGUAGE_NAMES.get(lang, lang) for lang in brief.langs] + ["Original"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))

    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    for p in brief.points:
        marks = "".join(f"[{n}]" for n in p.citations)
        row = []
        for lang in brief.langs:
            text = cell(p.texts[lang])
            row.append(f"“{text}” {marks} *(quote)*" if p.kinds.get(lang) == "quote" else f"{text} {marks}")
        row.append(cell(p.quote))
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Sources", ""]
    for s in brief.sources:
        lines.append(f"{s.n}. {s.title} — `{s.source}` ({s.lang}{', ' + s.date if s.date else ''}), characters {s.start}–{s.end}")
    if brief.notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in brief.notes]
    stood_in = [(i, p.stands_in_for) for i, p in enumerate(brief.points, start=1) if p.stands_in_for]
    if stood_in:
        lines += ["", "## Sentences written in place of others", ""]
        lines += [f"- point {i} says nearly what “{cell(text)}” says, which could only be quoted" for i, text in stood_in]
    rejected = [(i, lang, why) for i, p in enumerate(brief.points, start=1) for lang, why in p.rejected.items()]
    if rejected:
        lines += ["", "## Not shown (failed verification)", ""]
        lines += [f"- point {i} ({lang}): {cell(why)}" for i, lang, why in rejected]
    lines += ["", f"*{brief.model}; every point cites the sentence it restates, checked for numbers, dates, names and meaning.*", ""]
    return "\n".join(lines)
