"""A bounded concurrency soak through the HTTP API: 8 parallel clients × 20 questions, twice.

The app runs on loopback with the scripted model (the soak is about the server: queue, sessions, retrieval,
Chroma, verification; the real model's throughput is in BENCHMARKS.md). Every request must be answered
without an error, and the second round must not grow the process's memory the way a per-request leak would.
"""

from __future__ import annotations

import statistics
import threading
import time

import psutil
import pytest

from tests.ui.test_app import served  # noqa: F401 - the fixture: the app on a free loopback port

pytestmark = pytest.mark.slow

CLIENTS = 8
QUESTIONS = 20
QUESTION_POOL = [
    "Who visited Korea?",
    "How many IT training establishments does Da Nang have?",
    "What did the ambassador propose?",
    "Wer besuchte Korea?",
    "Apa yang dibahas dalam pertemuan itu?",
]


def soak_round(url: str) -> tuple[list[float], list[str]]:
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []

    def client(i: int) -> None:
        c = Client(url, verbose=False)
        for j in range(QUESTIONS):
            started = time.perf_counter()
            try:
                answer = c.predict(QUESTION_POOL[(i + j) % len(QUESTION_POOL)], "en", 0, api_name="/ask")
                if not (answer["answerable"] and any(s["supported"] and s["citations"] for s in answer["sentences"])):
                    errors.append(f"client {i}: unanswered: {answer['answer'][:80]}")
            except Exception as exc:  # noqa: BLE001 - every failure is collected and shown
                errors.append(f"client {i}: {type(exc).__name__}: {exc}")
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)  # bounded: a hung request fails the test instead of hanging the suite
    assert not any(t.is_alive() for t in threads), "a client did not finish within 300 s"
    return latencies, errors


def test_eight_clients_times_twenty_questions_twice_without_errors_or_growth(served):  # noqa: F811
    url, _ = served
    process = psutil.Process()
    first, errors = soak_round(url)
    assert errors == [] and len(first) == CLIENTS * QUESTIONS
    after_first = process.memory_info().rss
    second, errors = soak_round(url)
    assert errors == [] and len(second) == CLIENTS * QUESTIONS
    growth_mib = (process.memory_info().rss - after_first) / 2**20
    assert growth_mib < 48, f"memory grew by {growth_mib:.0f} MiB over {CLIENTS * QUESTIONS} more requests"
    assert statistics.median(second) < 10 * max(statistics.median(first), 0.05)  # no slowdown as it runs
