"""Saved conversations (issue 23): writing a turn and listing 1,000 conversations, p50/p95 in ms.

    .venv/bin/python -m benchmarks.conversations

Each turn is a realistic answer (three sentences, five sources with passages and translations, ~5.5 KB of JSON), written in
its own transaction as the app does; the listing is what the history panel and ``assistant history`` ask for.
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

from assistant.backends.conversations import ConversationStore  # noqa: E402
from assistant.models import Answer, AnswerSentence, Source  # noqa: E402


def _answer(i: int) -> Answer:
    passage = "The ministry said the new data centre in Hanoi will open in 2025 and serve 63 provinces. " * 6
    return Answer(
        question=f"What did the ministry say about the data centre, question {i}?", answer_lang="en",
        answer="The centre opens in 2025 [1]. It serves 63 provinces [2]. It cost 48 million euros [3].",
        answerable=True, model="qwen2.5-coder-1.5b",
        sentences=[AnswerSentence(text=t, citations=[n], supported=True, lang="en") for n, t in
                   enumerate(["The centre opens in 2025.", "It serves 63 provinces.", "It cost 48 million euros."], 1)],
        sources=[Source(n=n, doc_id=f"d{n}", source=f"https://news.example/{i}/{n}", title="Data centre", lang="de",
                        chunk_id=f"d{n}-0000", quote="Das Zentrum öffnet 2025.", start=0, end=24, passage=passage,
                        translation="The centre opens in 2025.", translation_lang="en") for n in range(1, 6)],
    )


def _pcts(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2), "n": len(values)}


def bench_conversations(conversations: int = 1000, listings: int = 50) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = ConversationStore(Path(tmp))
        writes = []
        for i in range(conversations):
            c = store.create(f"conversation {i}")
            started = time.perf_counter()
            store.add_turn(c.id, _answer(i))
            writes.append(1000 * (time.perf_counter() - started))
        lists = []
        for _ in range(listings):
            started = time.perf_counter()
            listed = store.list()
            lists.append(1000 * (time.perf_counter() - started))
        assert len(listed) == conversations
        size = (Path(tmp) / "conversations.sqlite3").stat().st_size
    return {"write_turn": _pcts(writes), "list": _pcts(lists), "conversations": conversations,
            "turn_json_kb": round(len(_answer(0).model_dump_json()) / 1024, 1), "db_mb": round(size / 2**20, 1)}


def render(r: dict) -> list[str]:
    return [
        "## Saved conversations (issue 23)",
        "",
        f"`.venv/bin/python -m benchmarks.conversations`: SQLite (WAL) in a temporary folder; {r['conversations']} "
        f"conversations with one turn each (~{r['turn_json_kb']} KB of answer JSON per turn; {r['db_mb']} MB in all).",
        "WAL with `synchronous=NORMAL`: a commit survives a killed process (the test kills one inside a turn); "
        "only a power cut can lose the last turns, never half of one.",
        "",
        "| operation | p50 | p95 | n |",
        "|---|---|---|---|",
        f"| write a turn (one transaction) | {r['write_turn']['p50_ms']} ms | {r['write_turn']['p95_ms']} ms | {r['write_turn']['n']} |",
        f"| list {r['conversations']} conversations | {r['list']['p50_ms']} ms | {r['list']['p95_ms']} ms | {r['list']['n']} |",
        "",
    ]


if __name__ == "__main__":
    results = bench_conversations()
    print(json.dumps(results))
    print("\n".join(render(results)))
