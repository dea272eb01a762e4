"""Evaluation on QA files in JSON Lines (XQuAD/TyDi format with ``context``, or ``seeds_qa`` format).

``--mode retrieval``: did the passage that holds the answer come back? For files with ``context`` fields,
a temporary store is built with one document per distinct context, and each question (``question_en``
when present: an English question over a German passage) is asked; for files with ``gold_sources`` the
current store is used and a hit counts when its source is a gold source.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from pydantic import BaseModel, Field

from assistant.backends.embedder import Embedder
from assistant.config import Settings
from assistant.errors import InputError
from assistant.ingest.metadata import content_id
from assistant.models import Document

if TYPE_CHECKING:
    from assistant.service import NewsAssistant


class RetrievalReport(BaseModel):
    """Retrieval quality and speed on one dataset."""

    dataset: str
    mode: str = Field(description="hybrid, dense or lexical")
    n: int
    recall_at_1: float = Field(alias="recall@1")
    recall_at_5: float = Field(alias="recall@5")
    mrr: float
    latency_ms_p50: float
    latency_ms_p95: float

    model_config = {"populate_by_name": True}

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)


#: The halves of a public set: tune (and calibrate) on one, report on the other.
SPLITS = ("tune", "report")


def half(records: list[dict[str, Any]], split: str | None) -> list[dict[str, Any]]:
    """The records of one half, in file order: XQuAD by article (even ``article_idx`` to tune, odd to
    report), other files by position (even lines to tune, odd to report). ``None``: every record."""
    if split is None:
        return records
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}", hint=f"use one of: {', '.join(SPLITS)}")
    parity = SPLITS.index(split)
    if all("article_idx" in r for r in records):
        return [r for r in records if int(r["article_idx"]) % 2 == parity]
    return [r for i, r in enumerate(records) if i % 2 == parity]


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such dataset file")
    records = []
    for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{p.name}, line {number}: not JSON ({exc.msg})") from None
    if not records:
        raise InputError(f"{p.name}: no records")
    return records


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def context_documents(records: list[dict[str, Any]]) -> list[Document]:
    """One document per distinct context of a QA file (XQuAD, TyDi QA, PIAF)."""
    docs: dict[str, Document] = {}
    for r in records:
        text = r["context"]
        doc_id = content_id(text)
        if doc_id not in docs:
            docs[doc_id] = Document(
                doc_id=doc_id,
                source=f"{r.get('para_id') or r.get('id')}.txt",
                title=str(r.get("title", "")).replace("_", " ")[:120] or "untitled",
                lang=r.get("lang", "und"),
                text=text,
            )
    return list(docs.values())


def _rank_metrics(ranks: list[int | None], latencies: list[float], dataset: str, mode: str) -> RetrievalReport:
    n = len(ranks)
    return RetrievalReport(
        dataset=dataset,
        mode=mode,
        n=n,
        recall_at_1=round(sum(1 for r in ranks if r == 1) / n, 4),
        recall_at_5=round(sum(1 for r in ranks if r is not None and r <= 5) / n, 4),
        mrr=round(sum(1 / r for r in ranks if r is not None) / n, 4),
        latency_ms_p50=round(statistics.median(latencies), 2),
        latency_ms_p95=round(percentile(latencies, 95), 2),
    )


def evaluate_retrieval(
    dataset: str | Path,
    assistant: "NewsAssistant",
    *,
    mode: str = "hybrid",
    limit: int | None = None,
    depth: int = 10,
    split: str | None = None,
) -> RetrievalReport:
    """Recall@1, recall@5 and MRR of ``mode`` retrieval on a QA file.

    Ranks count distinct documents (several passages of one document take one rank), over the first
    ``depth`` documents.
    """
    records = half(load_jsonl(dataset), split)
    if "context" in records[0]:
        queries = [(r.get("question_en") or r["question"], {content_id(r["context"])}, "doc_id") for r in records]
    elif "gold_sources" in records[0]:
        queries = [(r["question"], set(r["gold_sources"]), "source") for r in records if not r.get("unanswerable")]
    else:
        raise InputError(f"{Path(dataset).name}: records need `context` or `gold_sources` fields")
    if limit:
        queries = queries[:limit]
    ranks: list[int | None] = []
    latencies: list[float] = []
    for question, gold, key in queries:
        started = time.perf_counter()
        hits = assistant.search(question, k=3 * depth, mode=mode, diversify=False)
        latencies.append((time.perf_counter() - started) * 1000)
        ranked = list(dict.fromkeys(getattr(h, key) for h in hits))[:depth]
        rank = next((i for i, value in enumerate(ranked, start=1) if value in gold), None)
        ranks.append(rank)
    return _rank_metrics(ranks, latencies, Path(dataset).name, mode)


def temporary_assistant(
    records: list[dict[str, Any]], settings: Settings, embedder: Embedder | None = None, store_dir: Path | None = None
) -> tuple["NewsAssistant", Callable[[], None]]:
    """An assistant over a fresh temporary store holding the records' contexts; returns it and a cleanup.

    With ``store_dir`` the store is kept there (and reused: contents already stored are left as they are),
    so that translations cached by one run serve the next."""
    from assistant.service import NewsAssistant

    tmp = tempfile.TemporaryDirectory(prefix="assistant-eval-") if store_dir is None else None
    temp_settings = settings.model_copy(update={"store_dir": Path(tmp.name) if tmp else Path(store_dir), "chroma_url": None})
    assistant = NewsAssistant(temp_settings, embedder=embedder)
    assistant.ingestor.ingest_documents(context_documents(records))
    assistant.retriever.invalidate()
    return assistant, (tmp.cleanup if tmp else (lambda: None))


def evaluate_retrieval_file(
    dataset: str | Path, settings: Settings, *, mode: str = "hybrid", limit: int | None = None,
    embedder: Embedder | None = None, current: "NewsAssistant | None" = None, split: str | None = None,
) -> RetrievalReport:
    """Evaluate a file: on a temporary store of its contexts, or on the current store for seeds files.

    With ``split``, only the questions of that half are asked (see :func:`half`); the store holds every
    context of the file either way, so both halves search the same haystack."""
    records = load_jsonl(dataset)
    if "context" in records[0]:
        assistant, cleanup = temporary_assistant(records, settings, embedder)
        try:
            return evaluate_retrieval(dataset, assistant, mode=mode, limit=limit, split=split)
        finally:
            cleanup()
    from assistant.service import NewsAssistant

    assistant = current or NewsAssistant(settings, embedder=embedder)
    return evaluate_retrieval(dataset, assistant, mode=mode, limit=limit, split=split)
