"""Synthetic corpora for scale tests and benchmarks, made from the public evaluation paragraphs.

* :func:`write_news_corpus` writes N news-like files (title line + text) from the XQuAD (en, de), TyDi QA
  (id) and PIAF (fr) paragraphs in ``eval/``: first each paragraph alone, then pairs of paragraphs of the
  same language as longer "digest" articles, so any N up to ~100k gives distinct documents with real
  multilingual text. Deterministic: the same N writes the same files.
* :func:`synthetic_records` builds store records (documents, chunks, sentences and hashed vectors) without
  the embedding model, to measure the store side at 1k–100k chunks in minutes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from assistant.backends.embedder import HashingEmbedder
from assistant.ingest.metadata import content_id
from assistant.models import Chunk, Document, Sentence, sentence_id

#: The evaluation files that hold paragraphs (``context``), relative to the eval folder.
PARAGRAPH_FILES = (
    "xquad/xquad.paragraphs.jsonl",
    "tydiqa_id/tydiqa_goldp.dev.id.jsonl",
    "piaf_fr_sample/piaf_sample.fr.jsonl",
)


@dataclass(frozen=True)
class Paragraph:
    lang: str
    title: str
    text: str


def load_paragraphs(eval_dir: Path) -> list[Paragraph]:
    """The distinct paragraphs of the evaluation sets, in file order."""
    seen: set[str] = set()
    out: list[Paragraph] = []
    for name in PARAGRAPH_FILES:
        path = eval_dir / name
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = " ".join(str(record["context"]).split())
            if text in seen:
                continue
            seen.add(text)
            out.append(Paragraph(record.get("lang", "und"), str(record.get("title", "")).replace("_", " "), text))
    return out


def news_texts(paragraphs: list[Paragraph], n: int) -> Iterator[tuple[str, str]]:
    """``n`` distinct (file stem, text) pairs: single paragraphs first, then same-language pairs."""
    by_lang: dict[str, list[Paragraph]] = {}
    for p in paragraphs:
        by_lang.setdefault(p.lang, []).append(p)
    made = 0
    for i, p in enumerate(paragraphs):
        if made == n:
            return
        yield f"{p.lang}-{i:05d}", f"{p.title}\n\n{p.text}\n"
        made += 1
    step = 1
    while made < n:
        for lang, group in by_lang.items():
            for i, first in enumerate(group):
                if made == n:
                    return
                second = group[(i + step) % len(group)]
                if second is first:
                    continue
                yield f"{lang}-digest{step:03d}-{i:05d}", f"{first.title} / {second.title}\n\n{first.text}\n\n{second.text}\n"
                made += 1
        step += 1


def write_news_corpus(eval_dir: Path, folder: Path, n: int) -> list[Path]:
    """Write ``n`` ``.txt`` articles into ``folder`` (created); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, text in news_texts(load_paragraphs(eval_dir), n):
        path = folder / f"{stem}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def synthetic_records(
    eval_dir: Path, n_chunks: int, chunks_per_doc: int = 10, dim: int = 384, batch_docs: int = 200
) -> Iterator[list[tuple[Document, list[Chunk], np.ndarray, list[Sentence], np.ndarray]]]:
    """Batches of documents for :meth:`VectorStore.add_documents`, ``n_chunks`` chunks in all.

    Each chunk is one real sentence of the evaluation paragraphs (so BM25 sees real multilingual words) with
    a hashed bag-of-words vector of ``dim`` dimensions standing in for e5 (no model needed); each chunk holds
    one sentence record. Ids and texts are distinct across the whole corpus.
    """
    sentences = [
        (p.lang, s)
        for p in load_paragraphs(eval_dir)
        for s in _SENTENCE.split(p.text)
        if len(s) >= 30
    ]
    embedder = HashingEmbedder(dim=dim)
    batch = []
    made = 0
    d = 0
    while made < n_chunks:
        count = min(chunks_per_doc, n_chunks - made)
        picked = [sentences[(made + j) % len(sentences)] for j in range(count)]
        texts = [f"{s} (item {made + j})" for j, (_, s) in enumerate(picked)]  # distinct texts, distinct ids
        full = "\n".join(texts)
        doc_id = content_id(full)
        lang = picked[0][0]
        doc = Document(doc_id=doc_id, source=f"synthetic-{d:06d}.txt", title=texts[0][:80], lang=lang, text=full,
                       n_chunks=count)
        chunks, sents, offset = [], [], 0
        for j, text in enumerate(texts):
            chunk_id = f"{doc_id}-{j:04d}"
            chunks.append(Chunk(chunk_id=chunk_id, doc_id=doc_id, ordinal=j, text=text, start=offset,
                                end=offset + len(text), lang=lang, tokens=len(text.split()),
                                sentence_ids=[sentence_id(doc_id, j)]))
            sents.append(Sentence(sentence_id=sentence_id(doc_id, j), doc_id=doc_id, chunk_id=chunk_id, ordinal=j,
                                  text=text, start=offset, end=offset + len(text), tokens=len(text.split())))
            offset += len(text) + 1
        vectors = embedder.embed_passages(texts)
        batch.append((doc, chunks, vectors, sents, vectors))
        made += count
        d += 1
        if len(batch) == batch_docs:
            yield batch
            batch = []
    if batch:
        yield batch
