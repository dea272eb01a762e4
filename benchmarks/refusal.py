"""Questions the library cannot answer: how many are refused, and what refusing costs answerable ones.

    .venv/bin/python -m benchmarks.refusal [--output .bench/refusal.json] [--limit N]

XQuAD's German articles are split in two stores by ``article_idx`` parity (even: tune, odd: report). Each
English question is asked, through the product's retrieval and evidence selection, once over the store of
its own half (answerable) and once over the other half's store (nothing there answers it: other articles,
other topics). For each, the best evidence cosine (what ``ASSISTANT_MIN_RELEVANCE`` gates) and, when it
lies in the doubtful band, the answer judge's probabilities for the best ``judge_evidence`` sentences (the
same calls the answer pipeline makes). Rates are then read for a grid of thresholds: answerable questions
refused, unanswerable questions refused, per half. Thresholds are chosen on the tune half, reported on the
other. The judge is the loaded default model: a full run judges about 580 questions in the band (~22 min here).
"""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.evaluation.retrieval import load_jsonl, temporary_assistant
from assistant.generation.answer import doubt_refuses
from assistant.retrieval.answer_judge import AnswerJudge
from assistant.retrieval.evidence import select_evidence
from benchmarks.output import command_line, publish

ROOT = Path(__file__).resolve().parents[1]
#: The band judged: every doubtful-band top considered below lies under its top.
BAND = (0.775, 0.795)
GATES = (0.775, 0.78, 0.785, 0.79, 0.795)
JUDGE = (0.0, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)


def collect(limit: int | None = None) -> list[dict]:
    """Per question and side (answerable over its own half, unanswerable over the other): best cosine and,
    in :data:`BAND`, the judge's probabilities."""
    settings = Settings()
    records = load_jsonl(ROOT / "eval/xquad/xquad.de.jsonl")
    halves = {p: [r for r in records if r["article_idx"] % 2 == p] for p in (0, 1)}
    made = {p: temporary_assistant(halves[p], settings) for p in (0, 1)}
    judge = AnswerJudge(made[0][0].model)
    rows = []
    try:
        for parity in (0, 1):
            for r in halves[parity][:limit] if limit else halves[parity]:
                question = r["question_en"]
                row = {"qid": r["qid"], "half": "tune" if parity == 0 else "report"}
                for side, store in (("answerable", parity), ("unanswerable", 1 - parity)):
                    assistant = made[store][0]
                    ev = select_evidence(
                        question, assistant.retriever, assistant.store, assistant.embedder,
                        k=settings.top_k, n_sentences=settings.evidence_sentences,
                    )
                    best = sorted(ev.sources, key=lambda s: -s.score)[: settings.judge_evidence]
                    judged = BAND[0] <= ev.best_cosine < BAND[1]
                    row[side] = {
                        "best": round(ev.best_cosine, 4),
                        "judge": [round(judge.p_answers(question, s.quote, s.lang), 4) for s in best] if judged else None,
                    }
                rows.append(row)
    finally:
        for _, cleanup in made.values():
            cleanup()
    return rows


def refused(side: dict, gate: float, doubtful: float, judge: float) -> bool:
    """The answer pipeline's decision: the relevance gate, then :func:`~assistant.generation.answer.doubt_refuses`."""
    return side["best"] < gate or doubt_refuses(side["best"], side["judge"] or [], doubtful, judge)


def rates(rows: list[dict]) -> list[dict]:
    """Refusal rates per half for each (relevance gate, doubtful band top, judge threshold)."""
    out = []
    for gate in GATES:
        for doubtful in [g for g in GATES if g >= gate]:
            for judge in JUDGE if doubtful > gate else (0.0,):
                cell = {"gate": gate, "doubtful": doubtful, "judge": judge}
                for half in ("tune", "report"):
                    mine = [r for r in rows if r["half"] == half]
                    for side in ("answerable", "unanswerable"):
                        n = sum(refused(r[side], gate, doubtful, judge) for r in mine)
                        cell[f"{half}_{side}"] = round(n / len(mine), 4)
                out.append(cell)
    return out


def render(results: dict) -> list[str]:
    lines = [
        "| relevance gate | doubtful below | judge at least | tune: answerable refused | unanswerable refused "
        "| report: answerable refused | unanswerable refused |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in results["rates"]:
        lines.append(
            f"| {c['gate']} | {c['doubtful'] if c['doubtful'] > c['gate'] else '—'} | {c['judge'] or '—'} "
            f"| {c['tune_answerable']:.3f} | {c['tune_unanswerable']:.3f} "
            f"| {c['report_answerable']:.3f} | {c['report_unanswerable']:.3f} |"
        )
    return lines


def main() -> None:
    args = command_line(__doc__, "refusal", "only the first N questions of each half").parse_args()
    rows = collect(args.limit)
    results = {"rows": rows, "rates": rates(rows)}
    publish(render(results), results, args.output)


if __name__ == "__main__":
    main()
