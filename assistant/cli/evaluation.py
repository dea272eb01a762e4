"""`assistant eval`: retrieval, answers, briefs and the translation verifier on a dataset, printed as a
summary or as JSON (the figures BENCHMARKS.md quotes)."""

from __future__ import annotations

import argparse

from assistant.cli.common import console, print_json
from assistant.config import Settings


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.retrieval import evaluate_retrieval_file

    if args.mode == "qa":
        return _eval_qa(args, settings)
    if args.mode == "brief":
        return _eval_brief(args, settings)
    if args.mode == "faithfulness":
        return _eval_faithfulness(args, settings)
    report = evaluate_retrieval_file(args.dataset, settings, mode=args.retriever, limit=args.limit, split=args.split)
    if args.json:
        print_json(report.as_json())
    else:
        console().print(
            f"{report.dataset} ({report.mode}, n={report.n}): recall@1 {report.recall_at_1:.3f}  "
            f"recall@5 {report.recall_at_5:.3f}  MRR {report.mrr:.3f}  "
            f"latency p50 {report.latency_ms_p50:.1f} ms  p95 {report.latency_ms_p95:.1f} ms"
        )
    return 0


def _eval_qa(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.qa import evaluate_qa_file

    report = evaluate_qa_file(args.dataset, settings, limit=args.limit, split=args.split, store_dir=args.store_dir)
    if args.json:
        print_json(report.as_json())
        return 0
    out = console()

    def pct(value) -> str:
        return "n/a" if value is None else f"{value:.0%}"

    out.print(f"{report.dataset} · {report.model} · n={report.n}", markup=False)
    out.print(
        f"  correct in the answer language {report.correct}/{report.answerable} ({pct(report.answer_accuracy)})  "
        f"found in any language {report.found_any_language}/{report.answerable}  "
        f"source hit {report.source_hits}/{report.answerable}  refusal {pct(report.refusal_accuracy)} of {report.unanswerable}  "
        f"mean answer {report.mean_answer_words} words",
        markup=False,
    )
    out.print(
        f"  citation precision (model) {pct(report.citation_precision)}  displayed citations verified "
        f"{pct(report.displayed_citations_verified)}  quote fallbacks {report.quote_fallbacks}",
        markup=False,
    )
    if report.evidence_hit_at_3 is not None:
        out.print(f"  evidence hit@3 {report.evidence_hit_at_3:.3f} (n={report.evidence_n})", markup=False)
    out.print(f"  first token p50 {report.first_token_ms_p50} ms  total p50 {report.total_ms_p50} ms", markup=False)
    return 0


def _eval_faithfulness(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.faithfulness import evaluate_faithfulness_file

    report = evaluate_faithfulness_file(
        args.dataset, settings, split=args.split, limit=args.limit, calibrate_thresholds=args.calibrate
    )
    if args.json:
        print_json(report.model_dump())
        return 0
    console().print(
        f"{report.dataset} ({report.model}, n={report.n}, thresholds cosine {report.translation_threshold:.2f} / "
        f"judge {report.faithfulness_threshold:.2f} / confidence {report.confidence_threshold} / contradiction "
        f"{report.contradiction_threshold}): faithful accepted {report.faithful_accepted}, corrupted "
        f"rejected {report.corrupted_rejected}, precision {report.precision}, recall {report.recall}\n"
        f"  rejected by kind: {report.rejected_by_kind}"
    )
    return 0


def _eval_brief(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.briefs import evaluate_brief_file

    report = evaluate_brief_file(args.dataset, settings, limit=args.limit)
    if args.json:
        print_json(report.model_dump())
        return 0
    out = console()
    out.print(f"{report.dataset} · {report.model} · n={report.n}", markup=False)
    if report.must_mention is not None:
        out.print(
            f"  must-mention in English text {report.must_mention_found}/{report.must_mention_total} ({report.must_mention:.0%}; "
            f"anywhere in the English column {report.must_mention_any_language:.0%})  "
            f"written points verified {report.written_points_verified}  displayed points verified {report.displayed_points_verified}",
            markup=False,
        )
    if report.rouge_l is not None:
        out.print(f"  ROUGE-L {report.rouge_l:.3f}  keyword recall {report.keyword_recall:.3f}", markup=False)
    out.print(f"  time per brief p50 {report.seconds_per_brief_p50} s", markup=False)
    return 0
