"""The serving process's background work: translating the library while no one waits for the model."""

from __future__ import annotations

import threading

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.fake_chat import FakeChatModel
from assistant.config import Settings
from assistant.service import NewsAssistant
from assistant.ui import background
from tests.support.paths import SEEDS
from tests.test_service import echo_translator


def test_serve_translates_while_idle_and_stops_when_asked(tmp_path, monkeypatch):
    model = FakeChatModel(replies=echo_translator)
    settings = Settings(store_dir=tmp_path / "store", embedder="hash", translation_attempts=1)
    assistant = NewsAssistant(settings, embedder=HashingEmbedder(), model=model)
    assistant.ingest([SEEDS / "004_9162929b01fb154b.txt"])
    monkeypatch.setattr(background, "IDLE_CHECK_SECONDS", 0.01)
    stop = threading.Event()
    worker = threading.Thread(target=background.translate_when_idle, args=(assistant, stop))
    worker.start()
    try:
        for _ in range(500):
            if assistant.pretranslation["total"] and assistant.pretranslation["done"] == assistant.pretranslation["total"]:
                break
            threading.Event().wait(0.02)
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive()
    assert assistant.pretranslation["done"] == assistant.pretranslation["total"] > 0
    assert assistant.untranslated("en") == []
