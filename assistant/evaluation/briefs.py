"""``assistant eval --mode brief``: do briefs mention what matters, and do their points verify?

* ``seeds_briefs.jsonl`` (``sources``, ``langs``, ``must_mention`` groups) on the current store: the share of
  must-mention groups found in the English side of the brief; the share of the model's written points that
  passed verification; and every displayed point re-checked here (a quote or original must be its source
  sentence verbatim; a written point must keep the facts of, and stay close to, its sentence).
* HistSumm (``source`` German text, ``reference`` English summary — the references may be machine
  translations; their origin is not stated): each text is briefed in English from a temporary store;
  ROUGE-L F1 and keyword recall (the reference's content words found in the brief), and time per brief.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from assistant.backends.chat import ChatModel
from assistant.config import Settings
from assistant.evaluation.retrieval import load_jsonl
from assistant.evaluation.scoring import contains, reads_as
from assistant.grounding.facts import missing_facts
from assistant.grounding.verifier import Verifier
from assistant.ingest.metadata import content_id
from assistant.models import Brief, Document
from assistant.retrieval.lexical import tokenize
from assistant.text.language import written_in


class BriefReport(BaseModel):
    dataset: str
    model: str
    n: int
    must_mention: float | None = None  # in English text: cells of the English column that read as English
    must_mention_found: int = 0
    must_mention_total: int = 0
    must_mention_any_language: float | None = None  # the older figure: anywhere in the English column
    written_points_verified: float | None = None
    displayed_points_verified: float | None = None
    rouge_l: float | None = None
    keyword_recall: float | None = None
    seconds_per_brief_p50: float | None = None
    items: list[dict[str, Any]] = Field(default_factory=list)


def _english(brief: Brief) -> str:
    """The English column of a brief as shown, whatever language each cell is in (a quote fallback)."""
    return " ".join(p.texts.get("en", "") for p in brief.points)


def _english_read(brief: Brief) -> str:
    """The English column's cells that a reader of English reads: those that read as English (a quote of
    the German original in the English column does not; see :mod:`assistant.evaluation.scoring`)."""
    langs = sorted({d.lang for d in brief.documents} | {"en"})
    return " ".join(t for p in brief.points if (t := p.texts.get("en", "")) and reads_as(t, "en", langs))


def rouge_l(candidate: str, reference: str, lang: str = "en") -> float:
    """ROUGE-L F1 over folded word tokens of two texts in ``lang``, without its stop words."""
    a, b = tokenize(candidate, lang), tokenize(reference, lang)
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, start=1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    lcs = prev[-1]
    if lcs == 0:
        return 0.0
    p, r = lcs / len(a), lcs / len(b)
    return 2 * p * r / (p + r)


def keyword_recall(candidate: str, reference: str, lang: str = "en") -> float:
    keys = {t for t in tokenize(reference, lang) if len(t) > 3}
    if not keys:
        return 0.0
    have = set(tokenize(candidate, lang))
    return len(keys & have) / len(keys)


def displayed_verified(brief: Brief, assistant, threshold: float) -> tuple[int, int]:
    """(points shown, points whose every shown text re-checks against its cited sentence)."""
    ok = 0
    for p in brief.points:
        source = brief.sources[p.citations[0] - 1]
        good = source.quote == p.quote
        for lang, text in p.texts.items():
            if p.kinds.get(lang) in ("original", "quote"):
                good &= text == source.quote
            elif p.kinds.get(lang) == "translation":  # re-checked as a translation (all but the model's judgement)
                vectors = assistant.embedder.embed_queries([text, source.quote])
                checker = Verifier(assistant.embedder, threshold, translation_threshold=assistant.settings.translation_threshold)
                verdict = checker.check_translation(
                    source.quote, source.lang, text, lang, float(vectors[0] @ vectors[1])
                )
                good &= verdict.supported
            else:  # restated from the key sentence, or condensed from its translation (then checked as one)
                basis, basis_lang = source.quote, source.lang
                if lang in p.translations:
                    basis, basis_lang = p.translations[lang], lang
                    vectors = assistant.embedder.embed_queries([basis, source.quote])
                    checker = Verifier(assistant.embedder, threshold, translation_threshold=assistant.settings.translation_threshold)
                    good &= checker.check_translation(source.quote, source.lang, basis, lang, float(vectors[0] @ vectors[1])).supported
                vec = assistant.embedder.embed_queries([text])[0]
                ref = assistant.embedder.embed_passages([basis])[0]
                good &= not missing_facts(text, basis, lang, same_language=basis_lang == lang) and float(vec @ ref) >= threshold - 0.01
                good &= written_in(text, lang, [source.lang, "en"]) is not False
        ok += int(good)
    return len(brief.points), ok


def evaluate_brief_file(dataset: str | Path, settings: Settings, *, limit: int | None = None, model: ChatModel | None = None, current=None) -> BriefReport:
    from assistant.service import NewsAssistant

    records = load_jsonl(dataset)[: limit or None]
    name = Path(dataset).name
    if "must_mention" in records[0]:
        assistant = current or NewsAssistant(settings, model=model)
        return _seeds(name, records, assistant, settings)
    if "reference" in records[0]:
        with tempfile.TemporaryDirectory(prefix="assistant-brief-eval-") as tmp:
            temp = settings.model_copy(update={"store_dir": Path(tmp), "chroma_url": None})
            assistant = NewsAssistant(temp, model=model or (current.model if current else None))
            docs = [
                Document(doc_id=content_id(r["source"]), source=f"{r['id']}.txt", title=r.get("publication", r["id"])[:120],
                         lang=r.get("src_lang", "de"), date=r.get("date"), text=r["source"])
                for r in records
            ]
            assistant.ingestor.ingest_documents(docs)
            assistant.retriever.invalidate()
            return _histsumm(name, records, assistant)
    from assistant.errors import InputError

    raise InputError(f"{name}: records need `must_mention` (seeds_briefs) or `reference` (HistSumm) fields")


def _seeds(name: str, records, assistant, settings: Settings) -> BriefReport:
    found = found_any = total = written = written_ok = shown = shown_ok = 0
    times, items = [], []
    for r in records:
        started = time.perf_counter()
        brief = assistant.brief(r["sources"], langs=r.get("langs") or [])
        times.append(time.perf_counter() - started)
        read = _english_read(brief)
        hits = [contains(read, group) for group in r["must_mention"]]
        found += sum(hits)
        found_any += sum(contains(_english(brief), group) for group in r["must_mention"])
        total += len(hits)
        for p in brief.points:
            for lang, kind in p.kinds.items():
                if kind == "generated" or lang in p.rejected:
                    written += 1
                    written_ok += int(kind == "generated")
        n, ok = displayed_verified(brief, assistant, settings.brief_support_threshold)
        shown += n
        shown_ok += ok
        items.append({"id": r.get("id"), "must_mention": hits, "english": _english(brief)[:600], "seconds": round(times[-1], 1)})
    return BriefReport(
        dataset=name, model=assistant.model.name, n=len(records),
        must_mention=round(found / total, 4) if total else None, must_mention_found=found, must_mention_total=total,
        must_mention_any_language=round(found_any / total, 4) if total else None,
        written_points_verified=round(written_ok / written, 4) if written else None,
        displayed_points_verified=round(shown_ok / shown, 4) if shown else None,
        seconds_per_brief_p50=round(statistics.median(times), 1) if times else None, items=items,
    )


def _histsumm(name: str, records, assistant) -> BriefReport:
    rouge, recall, times, items = [], [], [], []
    for r in records:
        started = time.perf_counter()
        brief = assistant.brief([f"{r['id']}.txt"], langs=["en"])
        times.append(time.perf_counter() - started)
        english = _english(brief)
        rouge.append(rouge_l(english, r["reference"]))
        recall.append(keyword_recall(english, r["reference"]))
        items.append({"id": r["id"], "rouge_l": round(rouge[-1], 3), "keyword_recall": round(recall[-1], 3), "english": english[:400]})
    return BriefReport(
        dataset=name, model=assistant.model.name, n=len(records),
        rouge_l=round(statistics.mean(rouge), 4) if rouge else None,
        keyword_recall=round(statistics.mean(recall), 4) if recall else None,
        seconds_per_brief_p50=round(statistics.median(times), 1) if times else None, items=items,
    )
