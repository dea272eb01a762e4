"""The Chroma server going away mid-session: a clear error while it is down, recovery when it is back, and
nothing lost (a real ``chroma run``, stopped, killed and restarted on the same port and data)."""

from pathlib import Path

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.config import Settings
from assistant.errors import StoreError, StoreUnavailableError
from assistant.service import NewsAssistant
from tests.support.servers import chroma_server

pytestmark = [pytest.mark.server, pytest.mark.integration]


@pytest.fixture
def server(tmp_path: Path):
    process = chroma_server(tmp_path / "chroma", log=tmp_path / "chroma.log").start()
    yield process
    process.stop()


def test_server_down_then_back(server, seed_copy: Path, tmp_path: Path):
    settings = Settings(store_dir=tmp_path / "unused", chroma_url=server.base_url, embedder="hash")
    assistant = NewsAssistant(settings, embedder=HashingEmbedder())
    assert assistant.ingest([seed_copy / "004_9162929b01fb154b.txt"]).count("added") == 1
    before = [d.doc_id for d in assistant.documents()]
    assert assistant.search("37 établissements", k=1)

    server.kill()  # a crash, not a clean shutdown
    for call in (lambda: assistant.search("établissements", k=1), assistant.documents,
                 lambda: assistant.ingest([seed_copy])):
        with pytest.raises(StoreError) as err:
            call()
        assert f"cannot reach the Chroma server at {server.base_url}" in err.value.message
        assert "chroma run" in err.value.hint

    server.start()  # same port, same data: the same assistant object carries on
    assert [d.doc_id for d in assistant.documents()] == before
    assert assistant.search("37 établissements", k=1)[0].doc_id == before[0]
    report = assistant.ingest([seed_copy])
    assert report.count("unchanged") == 1 and report.count("added") == 4 and not report.failed

    server.stop()  # a clean restart loses nothing either
    server.start()
    fresh = NewsAssistant(settings, embedder=HashingEmbedder())
    assert len(fresh.documents()) == 5
    assert fresh.store.count_chunks() == sum(d.n_chunks for d in fresh.documents())


def test_server_killed_during_an_ingest_loses_no_committed_document(server, seed_copy: Path, tmp_path: Path, monkeypatch):
    settings = Settings(store_dir=tmp_path / "unused", chroma_url=server.base_url, embedder="hash")
    assistant = NewsAssistant(settings, embedder=HashingEmbedder())
    assistant.ingest([seed_copy / "004_9162929b01fb154b.txt"])
    committed = {d.doc_id for d in assistant.documents()}

    # The server dies in the middle of the run's write: its sentences are in, its chunks are not.
    calls = {"n": 0}
    original = assistant.store._upsert

    def dying_upsert(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            server.kill()
        return original(*args, **kwargs)

    monkeypatch.setattr(assistant.store, "_upsert", dying_upsert)
    with pytest.raises(StoreUnavailableError) as err:  # the run stops at once, not with one failure per file
        assistant.ingest(sorted(seed_copy.iterdir()))
    assert "cannot reach the Chroma server" in err.value.message
    assert calls["n"] == 2
    monkeypatch.undo()

    server.start()
    reopened = NewsAssistant(settings, embedder=HashingEmbedder())
    after = {d.doc_id for d in reopened.documents()}
    assert committed <= after  # nothing committed before was lost
    rerun = reopened.ingest([seed_copy])
    assert not rerun.failed and len(reopened.documents()) == 5
    assert reopened.store.count_chunks() == sum(d.n_chunks for d in reopened.documents())
