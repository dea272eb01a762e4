"""A kill -9 in the middle of an ingest (embedded store and Chroma server): the store stays consistent and
the next ingest completes it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.store import open_store
from assistant.config import Settings
from assistant.service import NewsAssistant
from tests.support.paths import ROOT, eval_file, read_jsonl

pytestmark = pytest.mark.slow


def write_corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    records = read_jsonl(eval_file("xquad.de.jsonl"))
    contexts = list(dict.fromkeys(r["context"] for r in records))[:n]
    for i, text in enumerate(contexts):
        (folder / f"doc{i:04d}.txt").write_text(text, encoding="utf-8")


def consistent(assistant: NewsAssistant) -> None:
    """Every committed document has exactly its chunks; search sees committed documents only."""
    docs = {d.doc_id: d for d in assistant.documents()}
    per_doc: dict[str, int] = {}
    for c in assistant.store.iter_chunks():
        per_doc[c.doc_id] = per_doc.get(c.doc_id, 0) + 1
    for doc_id, doc in docs.items():
        assert per_doc.get(doc_id) == doc.n_chunks, doc.source
    for hit in assistant.search("Super Bowl", k=10):
        assert hit.doc_id in docs


def some_documents_landed(settings: Settings) -> bool:
    """Whether the ingest under test has committed some documents (without disturbing it)."""
    if settings.chroma_url:  # the server serves a second client fine
        return len(open_store(settings, HashingEmbedder.name, HashingEmbedder().dim).list_documents()) >= 20
    sqlite = settings.store_dir / "chroma.sqlite3"  # embedded: the SQLite file grows as records land
    return sqlite.exists() and sqlite.stat().st_size >= 1_500_000


def test_kill_during_ingest_then_resume(tmp_path: Path, store_settings: Settings):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 150)
    settings = store_settings
    env = {
        **os.environ,
        "ASSISTANT_STORE_DIR": str(settings.store_dir),
        "ASSISTANT_COLLECTION": settings.collection,
        "ASSISTANT_EMBEDDER": "hash",
    }
    if settings.chroma_url:
        env["ASSISTANT_CHROMA_URL"] = settings.chroma_url
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", "-q", str(corpus)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not some_documents_landed(settings):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    after_kill = NewsAssistant(settings, embedder=HashingEmbedder())
    n_before = len(after_kill.documents())
    assert 0 < n_before < 150, "the kill should land in the middle of the run"
    consistent(after_kill)

    report = after_kill.ingest([corpus])
    assert report.count("unchanged") == n_before
    assert report.count("added") == 150 - n_before and not report.failed
    consistent(after_kill)
    assert after_kill.store.count_chunks() == sum(d.n_chunks for d in after_kill.documents())
