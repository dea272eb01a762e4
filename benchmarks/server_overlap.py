"""A/B: server-mode hybrid search with and without the overlapped chunk query, same store, same process.

``python benchmarks/server_overlap.py [CHUNKS]`` (default 100000): starts a real ``chroma run``, loads the
synthetic records of the scale benchmark, then times 4 rounds x 100 hybrid searches alternating the two
ways (order swapped each round). Prints p50/p95 of each.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import EVAL, queries  # noqa: E402

from assistant.backends.embedder import HashingEmbedder  # noqa: E402
from assistant.backends.store import VectorStore  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.evaluation.retrieval import percentile  # noqa: E402
from assistant.service import NewsAssistant  # noqa: E402
from tests.support.servers import chroma_server  # noqa: E402
from tests.support.synthetic import synthetic_records  # noqa: E402

ROUNDS = 4


def load(store: VectorStore, n_chunks: int) -> None:
    loaded = 0
    for batch in synthetic_records(EVAL, n_chunks, batch_docs=100):
        store.add_documents(batch)
        loaded += sum(len(chunks) for _, chunks, *_ in batch)
        if loaded >= n_chunks:
            return


def main(n_chunks: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ab-"))
    server = chroma_server(tmp / "chroma", log=tmp / "chroma.log").start()
    try:
        load(VectorStore(embedder_name="hashing-bow-v1", dim=384, path=tmp / "store", url=server.base_url, prefix="scale"), n_chunks)
        settings = Settings(store_dir=tmp / "unused", chroma_url=server.base_url, collection="scale", embedder="hash")
        assistant = NewsAssistant(settings, embedder=HashingEmbedder(dim=384))
        texts = queries()
        vectors = assistant.embedder.embed_queries(texts)
        assistant.retriever.search(texts[0], 5)  # warm up: BM25 built, connections open
        times: dict[bool, list[float]] = {True: [], False: []}
        for round_ in range(ROUNDS):
            for overlapped in ([True, False] if round_ % 2 == 0 else [False, True]):
                assistant.store.remote = overlapped  # the search overlaps its two queries only against a server
                for text, vector in zip(texts, vectors):
                    started = time.perf_counter()
                    assistant.retriever.search(text, 5, query_vector=vector)
                    times[overlapped].append((time.perf_counter() - started) * 1000)
        for overlapped, ms in times.items():
            print(json.dumps({"overlap": overlapped, "n": len(ms), "p50": round(statistics.median(ms), 1), "p95": round(percentile(ms, 95), 1)}))
    finally:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
