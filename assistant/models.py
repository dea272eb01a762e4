"""The typed objects the pipeline passes between its steps: ingest → chunk → embed → store → retrieve.

They are plain pydantic models so that the CLI's ``--json`` output, the UI and the tests all see the same
shapes, validated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from typing import Literal, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def date_key(value: str | None, *, end: bool = False) -> int:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as a sortable integer ``YYYYMMDD``.

    A partial date stands for its whole period: its first day, or its last when ``end`` is true, so that a
    range filter ``2024-08-01..2024-08-31`` includes a document dated just ``2024-08``.
    """
    if not value:
        return 0
    parts = value.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
    day = int(parts[2]) if len(parts) > 2 else (31 if end else 1)
    return year * 10000 + month * 100 + day


class Document(BaseModel):
    """One article as stored: its cleaned text and what we know about it."""

    model_config = ConfigDict(frozen=False)

    doc_id: str = Field(description="Stable id derived from the normalised content.")
    source: str = Field(
        description="What the document is: a web page's canonical URL, or a file's path relative to the folder "
        "it was ingested or watched from."
    )
    title: str
    lang: str = Field(description="ISO 639-1 code from the offline detector.")
    date: str | None = Field(None, description="ISO date stated in the text (YYYY[-MM[-DD]]).")
    text: str = Field(description="Cleaned main text; chunk offsets point into it.")
    story_id: str | None = Field(None, description="Group of documents telling the same story.")
    n_chunks: int = 0
    ingested_at: str | None = None
    url: str | None = Field(None, description="The web address it was read from (canonical when the page names one).")
    author: str | None = None
    site: str | None = Field(None, description="The publishing site's name (or host).")
    also_published_at: list[str] = Field(
        default_factory=list, description="Other URLs or files where the same text was found (re-publications)."
    )

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None and not _DATE_RE.match(value):
            raise ValueError(f"not an ISO date: {value!r}")
        return value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def chars(self) -> int:
        return len(self.text)


class DocumentInfo(BaseModel):
    """A document's metadata without its text: what ``assistant docs`` lists."""

    doc_id: str
    source: str
    title: str
    lang: str
    date: str | None = None
    chars: int
    n_chunks: int
    story_id: str | None = None
    ingested_at: str | None = None
    url: str | None = None
    author: str | None = None
    site: str | None = None
    also_published_at: list[str] = Field(default_factory=list)


class Chunk(BaseModel):
    """A passage of a document, small enough to embed and to quote."""

    chunk_id: str
    doc_id: str
    ordinal: int = Field(ge=0)
    text: str
    start: int = Field(ge=0, description="Offset of the first character in the document text.")
    end: int = Field(ge=0, description="Offset after the last character in the document text.")
    lang: str
    tokens: int = Field(ge=0, description="Length in cl100k_base tokens.")
    sentence_ids: list[str] = Field(default_factory=list, description="The sentences it is made of.")


def chunk_id(doc_id: str, ordinal: int) -> str:
    """A chunk's id: its document and its place in it, so the passages of a document can be named."""
    return f"{doc_id}-{ordinal:04d}"


def sentence_id(doc_id: str, ordinal: int) -> str:
    """A sentence's id: its document and its place in it, so ids are stable and neighbours can be named."""
    return f"{doc_id}-s{ordinal:05d}"


def sentence_ordinal(sentence_id_: str) -> int:
    """The place in its document of the sentence with this id (the inverse of :func:`sentence_id`)."""
    return int(sentence_id_.rsplit("-s", 1)[1])


class Sentence(BaseModel):
    """A sentence (or a piece of an overlong one): the unit that is embedded and searched densely."""

    sentence_id: str
    doc_id: str
    chunk_id: str = Field(description="The chunk it belongs to (the first one, where chunks overlap).")
    ordinal: int = Field(ge=0)
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    tokens: int = Field(ge=0)


class Hit(BaseModel):
    """A retrieved passage with everything needed to cite it."""

    doc_id: str
    source: str
    title: str
    lang: str
    date: str | None = None
    chunk_id: str
    text: str
    start: int
    end: int
    score: float = Field(description="Fused relevance score (higher is better).")
    sentence_start: int | None = Field(None, description="Offset of the best-matching sentence in the document.")
    sentence_end: int | None = None
    dense_score: float | None = None
    lexical_score: float | None = None
    story_id: str | None = None
    also_in: list[str] = Field(
        default_factory=list, description="Other languages the same passage is available in (its story)."
    )
    also_published_by: list[str] = Field(
        default_factory=list,
        description="Other sites (or sources) that published the same text or a wire copy of it in this language.",
    )
    url: str | None = Field(None, description="The web address of its document, for pages.")


class SearchFilters(BaseModel):
    """Restrictions on what a search may return."""

    langs: list[str] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    story: str | None = Field(None, description="Only the documents of this story (resolved to their doc ids by the service).")

    @field_validator("date_from", "date_to")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _DATE_RE.match(value):
            raise ValueError(f"dates are YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
        _date(*(int(p) for p in (value.split("-") + ["01", "01"])[:3]))  # rejects 2024-13-40
        return value

    def is_empty(self) -> bool:
        return not (self.langs or self.doc_ids or self.sources or self.date_from or self.date_to or self.story)


class Story(BaseModel):
    """Documents that tell the same story in different languages."""

    story_id: str
    doc_ids: list[str]
    sources: list[str]
    langs: list[str]
    title: str


#: "republished": the same text was already stored under another source; this one is recorded beside it.
IngestStatus = Literal["added", "unchanged", "replaced", "republished", "failed"]


class IngestResult(BaseModel):
    """What happened to one file."""

    path: str
    status: IngestStatus
    doc_id: str | None = None
    n_chunks: int = 0
    tokens: int = 0
    error: str | None = None


def summarize_results(results: Sequence[IngestResult]) -> str:
    """"added 2, unchanged 1, replaced 0, failed 1" (and re-publications when there are any)."""
    counts = {s: sum(1 for r in results if r.status == s) for s in ("added", "unchanged", "replaced", "republished", "failed")}
    text = f"added {counts['added']}, unchanged {counts['unchanged']}, replaced {counts['replaced']}, failed {counts['failed']}"
    return text + (f", also published elsewhere {counts['republished']}" if counts["republished"] else "")


class IngestReport(BaseModel):
    """What happened to every file of one ``ingest`` call."""

    results: list[IngestResult] = Field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: IngestStatus) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[IngestResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def tokens(self) -> int:
        return sum(r.tokens for r in self.results)

    def summary(self) -> str:
        return summarize_results(self.results)


# --- answers ------------------------------------------------------------------------------------------


class Source(BaseModel):
    """One numbered source of an answer: an evidence sentence, with the passage it comes from."""

    n: int = Field(ge=1, description="The number that [n] markers refer to.")
    doc_id: str
    source: str
    title: str
    lang: str
    date: str | None = None
    chunk_id: str
    quote: str = Field(description="The supporting sentence, verbatim from the document.")
    start: int = Field(ge=0, description="Offset of the quote in the document text.")
    end: int = Field(ge=0)
    passage: str = Field("", description="The passage (chunk) the quote belongs to, for display.")
    passage_start: int = Field(0, ge=0, description="Offset of the passage in the document text.")
    score: float = Field(0.0, description="Relevance of the quote to the question (e5 cosine + lexical bonus).")
    answers: float | None = Field(
        None, ge=0.0, le=1.0,
        description="The model's probability that the quote states the answer (the answer judge); None when not judged.",
    )
    story_id: str | None = None
    also_in: list[str] = Field(default_factory=list)
    also_published_by: list[str] = Field(default_factory=list, description="Other sites that published it (wire copies).")
    url: str | None = Field(None, description="The web address of its document, for pages.")
    translation: str | None = Field(
        None, description="The quote in the answer language: a model translation that passed every check."
    )
    translation_lang: str | None = None
    translation_note: str | None = Field(
        None, description="Why the model's translation of the quote is not used (when it failed a check)."
    )
    context: str | None = Field(
        None,
        description="For a quote that opens with a pronoun: the sentence before it, where 'he' or 'it' is named, "
        "as the verifier read it beside the quote (its verified translation when one was cached).",
    )
    context_lang: str | None = None
    instructions_withheld: bool = Field(
        False,
        description="Its document holds text addressed to an AI assistant (prompt injection); that text was "
        "withheld from the sources and the prompt.",
    )


SentenceKind = Literal["generated", "translation", "quote"]


class AnswerSentence(BaseModel):
    """One sentence of an answer with the sources it cites and the verdict of the verifier."""

    text: str = Field(description="The sentence without its [n] markers.")
    citations: list[int] = Field(default_factory=list, description="Source numbers that support it.")
    supported: bool
    kind: SentenceKind = Field(
        "generated",
        description="'generated' (written by the model over the sources in the answer language, verified), "
        "'translation' (a source sentence's verified translation; ``original`` beside it) or 'quote' (a source "
        "sentence itself, in its own language, when no translation verified).",
    )
    lang: str | None = Field(None, description="The language the sentence is written in.")
    original: str | None = Field(None, description="For a translation: the source sentence it renders.")
    original_lang: str | None = None
    context: str | None = Field(
        None,
        description="For a source sentence shown as it stands (a translation or a quote) that opens with a "
        "pronoun: the sentence before it in its document, in the language of ``text`` (as written, or its "
        "verified translation), shown before it — \"He is also the oldest quarterback …\" says who only there.",
    )
    context_original: str | None = Field(None, description="That sentence as its document writes it.")
    reason: str | None = Field(None, description="Why it failed verification (for unsupported sentences).")
    cited_by_model: list[int] = Field(
        default_factory=list, description="What the model cited, before verification removed failing citations."
    )


class Timings(BaseModel):
    retrieve_ms: float = 0.0
    judge_ms: float = Field(0.0, description="The answer judge reading the best evidence sentences.")
    translate_ms: float = 0.0
    first_token_ms: float | None = Field(None, description="The model's first draft token (not yet checked).")
    first_answer_ms: float | None = Field(
        None, description="The first sentence the reader sees: verified, or the sources when nothing generated is."
    )
    total_ms: float = 0.0


class Disagreement(BaseModel):
    """Two sources (an answer's numbered sources, or a timeline's documents) stating the same thing with
    different numbers or dates."""

    refs: list[str] = Field(description="The two sources: '[n]' for an answer's sources, doc ids for a timeline.")
    texts: list[str] = Field(description="The two sentences as compared (in the reader's language where translated).")
    values: list[list[str]] = Field(description="The numbers each gives that the other does not.")
    note: str


class Answer(BaseModel):
    """The result of ``ask``: a checked answer and its numbered sources."""

    question: str
    standalone_question: str | None = Field(None, description="The follow-up rewritten to stand alone.")
    answer_lang: str
    answer: str = Field(description="The displayed answer: supported sentences with their [n] markers.")
    answerable: bool
    sentences: list[AnswerSentence] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    model: str
    draft: str = Field("", description="The model's raw output, before verification.")
    notes: list[str] = Field(default_factory=list, description="What the pipeline did that a reader should know.")
    disagreements: list[Disagreement] = Field(
        default_factory=list, description="Sources that give different numbers or dates for the same thing."
    )
    timings: Timings = Field(default_factory=Timings)

    def public(self) -> dict:
        """The JSON shape of ``assistant ask --json``."""
        data = self.model_dump(exclude={"draft"})
        data["timings"] = {
            "retrieve": self.timings.retrieve_ms,
            "judge": self.timings.judge_ms,
            "translate": self.timings.translate_ms,
            "first_token": self.timings.first_token_ms,
            "first_answer": self.timings.first_answer_ms,
            "total": self.timings.total_ms,
        }
        return data


# --- conversations ------------------------------------------------------------------------------------


class Conversation(BaseModel):
    """A saved conversation (``assistant history --json`` lists these)."""

    id: str
    name: str = Field(description="Unique among the user's conversations.")
    turns: int = Field(0, ge=0)
    started: str = Field(description="ISO time, UTC.")
    updated: str = Field(description="ISO time of the last turn, UTC.")


class ConversationTurn(BaseModel):
    """One question and its checked answer, as saved."""

    n: int = Field(ge=1)
    asked: str = Field(description="ISO time the answer was saved, UTC.")
    answer: Answer


class ConversationExport(BaseModel):
    """A conversation as exported: every question, the checked answer with its sentences (translations with
    their originals) and its numbered sources (quotes, source names, titles, dates, URLs)."""

    format: Literal["news-assistant.conversation/1"] = "news-assistant.conversation/1"
    exported: str
    conversation: Conversation
    turns: list[ConversationTurn]


class SentenceRendering(BaseModel):
    """A document's sentence in the reader's language (``assistant show --translate``)."""

    original: str
    lang: str = Field(description="The reader's language.")
    text: str | None = Field(None, description="The sentence in ``lang``: itself, or its verified translation.")
    kind: Literal["original", "translation", "untranslated"]
    note: str | None = Field(None, description="Why no translation is shown.")


# --- timelines ----------------------------------------------------------------------------------------


class TimelineEntry(BaseModel):
    """One document of a timeline with its key sentence in the reader's language."""

    doc_id: str
    date: str | None = None
    lang: str
    source: str
    title: str
    url: str | None = None
    story_id: str | None = None
    sentence: str | None = Field(None, description="The key sentence as shown to the reader.")
    kind: Literal["original", "translation", "quote", "none"] = Field(
        description="'original' (the document is in the reader's language), 'translation' (verified; ``original`` "
        "beside it), 'quote' (no translation verified: the original, in ``original_lang``), 'none' (no sentence)."
    )
    original: str | None = None
    original_lang: str | None = None
    note: str | None = Field(None, description="Why the translation was not used, for a quote.")


class Timeline(BaseModel):
    lang: str = Field(description="The reader's language.")
    story: str | None = None
    topic: str | None = None
    entries: list[TimelineEntry] = Field(default_factory=list, description="Dated documents in date order, then undated ones.")
    disagreements: list[Disagreement] = Field(
        default_factory=list, description="Documents of the timeline that give different numbers or dates for the same thing."
    )


# --- briefs -------------------------------------------------------------------------------------------

PointKind = Literal["generated", "translation", "original", "quote"]


class BriefPoint(BaseModel):
    """One point of a brief, in every requested language, resting on one key sentence."""

    texts: dict[str, str] = Field(description="The point in each language of the brief.")
    kinds: dict[str, PointKind] = Field(
        default_factory=dict,
        description="Per language: 'original' (the key sentence itself, already in that language), "
        "'translation' (the key sentence translated by the model, checked against it), "
        "'generated' (restated by the model, or condensed from the translation, and verified) or 'quote' (the model's text failed verification; "
        "the key sentence is quoted instead).",
    )
    citations: list[int] = Field(description="Source numbers the point rests on.")
    supported: bool = Field(description="Every displayed text is verified against, or is, the cited sentence.")
    quote: str = Field(description="The key sentence, verbatim, in the document's language.")
    rejected: dict[str, str] = Field(
        default_factory=dict, description="Per language: why the model's text was not shown."
    )
    translations: dict[str, str] = Field(
        default_factory=dict,
        description="Per language: the checked translation a 'generated' point was condensed from (the point is "
        "verified against it, and it against the key sentence).",
    )
    stands_in_for: str | None = Field(
        None,
        description="The key sentence first chosen, when its point could only have been quoted in some language "
        "and this point's sentence, of the same document and saying nearly the same, was written instead.",
    )


class Brief(BaseModel):
    """A bilingual (or one-language) brief of documents, a story or a topic."""

    langs: list[str]
    documents: list[DocumentInfo]
    topic: str | None = None
    points: list[BriefPoint] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    model: str
    notes: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)


@dataclass
class StoryDoc:
    """What story grouping needs of a document."""

    doc_id: str
    lang: str
    chars: int
    anchors: frozenset[str]
    vector: np.ndarray = field(repr=False)  # unit mean of the document's chunk vectors
    sentence_vectors: np.ndarray | None = field(default=None, repr=False)
    wire: str = field(default="", repr=False)  # MinHash signature of its text (text/near_duplicates.py)
