"""A/B: server-mode hybrid search with and without the overlapped chunk query, same store, same process.

``python benchmarks/server_overlap.py [CHUNKS]`` (default 100000): starts a real ``chroma run``, loads the
synthetic records of the scale benchmark, then times 4 rounds x 100 hybrid searches alternating the two
ways (order swapped each round). Prints p50/p95 of each.
"""
import json, statistics, sys, tempfile, time
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "benchmarks"))
from assistant.servers import chroma_server
from assistant.store import VectorStore
from assistant.synthetic import synthetic_records
from assistant.config import Settings
from assistant.embedder import HashingEmbedder
from assistant.service import NewsAssistant
from assistant.evaluation import percentile
from scale import queries, EVAL
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
tmp = Path(tempfile.mkdtemp(prefix='ab-'))
server = chroma_server(tmp / 'chroma', log=tmp / 'chroma.log').start()
try:
    store = VectorStore(embedder_name='hashing-bow-v1', dim=384, path=tmp / 'store', url=server.base_url, prefix='scale')
    loaded = 0
    for batch in synthetic_records(EVAL, N, batch_docs=100):
        store.add_documents(batch); loaded += sum(len(c) for _, c, *_ in batch)
        if loaded >= N: break
    s = Settings(store_dir=tmp / 'unused', chroma_url=server.base_url, collection='scale', embedder='hash')
    a = NewsAssistant(s, embedder=HashingEmbedder(dim=384))
    qs = queries(); vs = a.embedder.embed_queries(qs)
    a.retriever.search(qs[0], 5)
    times = {True: [], False: []}
    for rnd in range(4):
        for remote in ([True, False] if rnd % 2 == 0 else [False, True]):
            a.store.remote = remote
            for q, v in zip(qs, vs):
                t = time.perf_counter(); a.retriever.search(q, 5, query_vector=v); times[remote].append((time.perf_counter() - t) * 1000)
    for k, v in times.items():
        print(json.dumps({'overlap': k, 'n': len(v), 'p50': round(statistics.median(v), 1), 'p95': round(percentile(v, 95), 1)}))
finally:
    server.stop()
