"""Answer benchmarks (issue 3), used by ``benchmarks/run.py``; also runnable alone:
``python benchmarks/answers.py [--models gemma-3-270m,smollm2-135m] [--xquad-answers N]``.

* seeds_qa.jsonl with every bundled model: answer accuracy, source hit, refusal, citation precision,
  displayed citations verified, time to first token and total (medians);
* XQuAD en→de: evidence hit@3 over all questions, and model answers on the first N;
* generation overhead: the pipeline's streaming adapter against raw llama-cpp-python on the same prompt
  (same tokens), alternating rounds; and the extra cost of the citation grammar.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.backends.chat import get_chat_model
from assistant.backends.embedder import E5Embedder  # noqa: E402
from assistant.backends.model_files import BUNDLED_MODELS  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation.qa import evaluate_qa_file  # noqa: E402
from assistant.generation.answer import AnswerPipeline  # noqa: E402
from assistant.grounding.citations import citation_grammar  # noqa: E402
from assistant.retrieval.evidence import select_evidence  # noqa: E402
from assistant.service import NewsAssistant  # noqa: E402

EVAL = ROOT / "eval"


def seeds_assistant(store: Path, embedder: E5Embedder) -> NewsAssistant:
    assistant = NewsAssistant(Settings(store_dir=store), embedder=embedder)
    assistant.ingest([ROOT / "seeds"])
    return assistant


def bench_seeds_qa(embedder: E5Embedder, models: list[str]) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = seeds_assistant(Path(tmp), embedder)
        for name in models:
            settings = base.settings.model_copy(update={"model": name})
            assistant = NewsAssistant(settings, embedder=embedder)
            assistant.ask("warm up: what is VKIST?")  # load the model; not measured
            report = evaluate_qa_file(EVAL / "seeds_qa.jsonl", settings, current=assistant)
            out[name] = report.as_json(with_items=True)
            print(name, json.dumps(report.as_json(with_items=False)), flush=True)
    return out


def bench_xquad_answers(embedder: E5Embedder, n_answers: int) -> dict:
    report = evaluate_qa_file(EVAL / "xquad" / "xquad.de.jsonl", Settings(), limit=n_answers)
    return report.as_json(with_items=False)


def bench_generation(embedder: E5Embedder, rounds: int = 9, tokens: int = 64, grammar_rounds: int = 3) -> dict:
    """Adapter vs raw llama-cpp-python on the same prompt; then the same with the citation grammar.

    The two are timed in pairs whose order alternates (raw first, then ours first), and the overhead is the
    median of the pairs' ratios: this VM's host takes a varying share of the CPU, and a slow minute then
    falls on both sides of a pair instead of on whichever side happened to run in it.
    """
    settings = Settings()
    model = get_chat_model(settings)
    with tempfile.TemporaryDirectory() as tmp:
        assistant = seeds_assistant(Path(tmp), embedder)
        pipeline = AnswerPipeline(assistant.retriever, assistant.store, embedder, model, settings)
        question = "How many IT training establishments does Da Nang have?"
        evidence = select_evidence(question, assistant.retriever, assistant.store, embedder, k=5, n_sentences=6)
        _, messages, _ = pipeline.fit(evidence, question, "en")
    prompt = model._completion_prompt(messages) if not model.chat else None

    def timed(stream) -> tuple[float, int]:
        model.reset()  # every run evaluates the whole prompt
        started = time.perf_counter()
        n = sum(1 for _ in stream)
        return time.perf_counter() - started, n

    raw, ours, constrained = [], [], []
    for i in range(rounds):
        if i % 2 == 0:
            raw.append(timed(model.raw_completion(prompt, tokens)))
            ours.append(timed(model.stream(messages, max_tokens=tokens)))
        else:
            ours.append(timed(model.stream(messages, max_tokens=tokens)))
            raw.append(timed(model.raw_completion(prompt, tokens)))
    for _ in range(grammar_rounds):
        constrained.append(timed(model.stream(messages, max_tokens=tokens, grammar=citation_grammar(len(evidence.sources)))))
    raw_s = statistics.median(t for t, _ in raw)
    ours_s = statistics.median(t for t, _ in ours)
    con_s = statistics.median(t for t, _ in constrained)
    ratios = [o / r for (o, _), (r, _) in zip(ours, raw)]
    return {
        "model": model.name,
        "rounds": rounds,
        "max_tokens": tokens,
        "pieces_raw": raw[0][1],
        "pieces_pipeline": ours[0][1],
        "raw_seconds": round(raw_s, 3),
        "pipeline_seconds": round(ours_s, 3),
        "overhead": round(statistics.median(ratios) - 1, 4),
        "overhead_of_medians": round(ours_s / raw_s - 1, 4),
        "pair_ratios": [round(x, 3) for x in ratios],
        "grammar_seconds": round(con_s, 3),
        "grammar_pieces": constrained[0][1],
        "prompt_tokens": model.count_tokens(messages),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=",".join(BUNDLED_MODELS))
    parser.add_argument("--xquad-answers", type=int, default=20)
    parser.add_argument("--only-generation", action="store_true", help="time the adapter against raw llama-cpp-python only")
    args = parser.parse_args()
    embedder = E5Embedder()
    print(json.dumps(bench_generation(embedder), indent=2))
    if args.only_generation:
        return
    seeds = bench_seeds_qa(embedder, args.models.split(","))
    print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "items"} for k, v in seeds.items()}, indent=2))


if __name__ == "__main__":
    main()
