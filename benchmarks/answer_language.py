"""Answers in the reader's language: the figures issue 21 asks for, in one run, on this machine.

    .venv/bin/python -m benchmarks.answer_language --output .bench/answer_language.json

* time to the first sentence the reader sees (``first_answer_ms``: verified, not the draft), p50 over the
  seeds' answerable questions: first with no translation cached (a fresh copy of the seeds store), then
  the same questions again with their translations cached;
* the first question after start-up (``warm_up``, what ``serve`` does) against the same question asked
  later, from a copy of the store as it was at start (so both translate the same sentences);
* peak PSS of the process (sampled every 0.2 s) while it answers: the weights are mapped once;
* the translation check on ``eval/faithfulness/pairs.jsonl``: thresholds calibrated on the tune half,
  precision and recall on the report half (every pair judged by the model once).

QA accuracy (seeds, XQuAD held out) and briefs come from ``assistant eval`` (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from assistant.config import Settings
from assistant.evaluation.faithfulness import calibrate, report, score_pairs
from assistant.evaluation.retrieval import load_jsonl
from assistant.grounding.faithfulness import FaithfulnessJudge
from assistant.service import NewsAssistant

ROOT = Path(__file__).resolve().parents[1]


class PssSampler:
    """Peak proportional set size of this process, read from /proc every ``interval`` seconds."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval, self.peak_kib, self._stop = interval, 0, threading.Event()

    @staticmethod
    def pss_kib() -> int:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
        return 0

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_kib = max(self.peak_kib, self.pss_kib())

    def __enter__(self) -> "PssSampler":
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.peak_kib = max(self.peak_kib, self.pss_kib())


def p50(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def bench_latency(model: str) -> dict:
    questions = [r["question"] for r in load_jsonl(ROOT / "eval" / "seeds_qa.jsonl") if not r.get("unanswerable")]
    with tempfile.TemporaryDirectory(prefix="bench-answer-language-") as tmp:
        store = Path(tmp) / "store"
        setup = NewsAssistant(Settings(store_dir=store, model=model))
        setup.ingest([ROOT / "seeds"])
        del setup
        shutil.copytree(store, Path(tmp) / "pristine")
        with PssSampler() as pss:
            assistant = NewsAssistant(Settings(store_dir=store, model=model))
            started = time.perf_counter()
            assistant.warm_up()
            warm_up_s = time.perf_counter() - started
            uncached = [assistant.ask(q) for q in questions]
            # The same questions again: their translations come from the cache, but the model must compose
            # again (a reply it remembers would be replayed, timing nothing).
            assistant.model.inner.forget_replies()
            cached = [assistant.ask(q) for q in questions]
            # The first question once more, later (the model loaded and used), on another copy of the
            # store as it was at start (nothing translated): the same work as when it came first, so the
            # two times differ only by what start-up left undone.
            shutil.copytree(Path(tmp) / "pristine", Path(tmp) / "again")
            assistant.model.inner.forget_replies()
            later_first = NewsAssistant(Settings(store_dir=Path(tmp) / "again", model=model)).ask(questions[0])
    first = [a.timings.first_answer_ms for a in uncached if a.timings.first_answer_ms is not None]
    again = [a.timings.first_answer_ms for a in cached if a.timings.first_answer_ms is not None]
    return {
        "model": model,
        "questions": len(questions),
        "warm_up_s": round(warm_up_s, 1),
        "first_answer_ms_p50_uncached": p50(first),
        "first_answer_ms_p50_cached": p50(again),
        "first_question_after_start_ms": first[0] if first else None,
        "first_question_asked_later_ms": later_first.timings.first_answer_ms,
        "first_question_after_start_total_ms": uncached[0].timings.total_ms,
        "first_question_asked_later_total_ms": later_first.timings.total_ms,
        "later_questions_uncached_ms_p50": p50(first[1:]),
        "first_question_cached_ms": again[0] if again else None,
        "later_questions_cached_ms_p50": p50(again[1:]),
        "total_ms_p50_uncached": p50([a.timings.total_ms for a in uncached]),
        "total_ms_p50_cached": p50([a.timings.total_ms for a in cached]),
        "peak_pss_mib": round(pss.peak_kib / 1024, 1),
    }


def bench_faithfulness(model: str) -> dict:
    from assistant.backends.chat import get_chat_model
    from assistant.backends.embedder import get_embedder
    from assistant.grounding.verifier import Verifier

    settings = Settings(model=model)
    pairs = load_jsonl(ROOT / "eval" / "faithfulness" / "pairs.jsonl")
    embedder = get_embedder(settings.embedder, settings.embed_batch_size)
    chat = get_chat_model(settings)
    started = time.perf_counter()
    scored = score_pairs(pairs, Verifier(embedder, settings.support_threshold), FaithfulnessJudge(chat))
    seconds = time.perf_counter() - started
    tune = [p for p in scored if p.split == "tune"]
    held = [p for p in scored if p.split == "report"]
    c, j, s, a = calibrate(tune)
    return {
        "pairs": len(scored),
        "seconds_per_pair": round(seconds / len(scored), 2),
        "calibrated": {"translation_threshold": c, "faithfulness_threshold": j, "confidence_threshold": s,
                       "contradiction_threshold": a},
        "configured": {"translation_threshold": settings.translation_threshold, "faithfulness_threshold": settings.faithfulness_threshold,
                       "confidence_threshold": settings.confidence_threshold,
                       "contradiction_threshold": settings.contradiction_threshold},
        "tune": report(tune, "pairs.jsonl", chat.name, c, j, s, a).model_dump(),
        "report": report(held, "pairs.jsonl", chat.name, c, j, s, a).model_dump(),
        "configured_report": report(held, "pairs.jsonl", chat.name, settings.translation_threshold,
                                    settings.faithfulness_threshold, settings.confidence_threshold,
                                    settings.contradiction_threshold).model_dump(),
        # Every pair's scores, so that other thresholds can be tried without asking the model again.
        "scored": [p.model_dump() for p in scored],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / ".bench" / "answer_language.json"))
    parser.add_argument("--model", default=Settings().model)
    parser.add_argument("--skip-faithfulness", action="store_true")
    args = parser.parse_args()
    results = {"latency": bench_latency(args.model)}
    print(json.dumps(results["latency"]), flush=True)
    if not args.skip_faithfulness:
        results["faithfulness"] = bench_faithfulness(args.model)
        print(json.dumps({k: v for k, v in results["faithfulness"].items() if k in ("calibrated", "seconds_per_pair")}))
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
