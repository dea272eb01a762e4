"""`assistant watch`: a real watcher (watchfiles) on a temporary folder."""

from __future__ import annotations

import threading
import time

from assistant.ingest.watching import watch_folders
from assistant.service import NewsAssistant

TEXT = "The provincial council approved a new budget of 120 million dollars for schools and hospitals on Monday."


def _wait(predicate, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_new_and_changed_files_are_ingested_as_they_appear(fast: NewsAssistant, tmp_path):
    folder = tmp_path / "inbox"
    (folder / "older").mkdir(parents=True)
    (folder / "older" / "first.txt").write_text(TEXT, encoding="utf-8")
    reports = []
    stop = threading.Event()
    thread = threading.Thread(target=watch_folders, args=(fast.ingestor, [folder], reports.append, stop), kwargs={"debounce_ms": 300}, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: len(reports) >= 1)
        assert [d.source for d in fast.documents()] == ["older/first.txt"]

        (folder / "second.md").write_text("# Port reopens\n\nThe port of Haiphong reopened after the storm, officials said on Tuesday.", encoding="utf-8")
        (folder / "ignored.exe").write_bytes(b"MZ\x00\x00")
        (folder / ".hidden.txt").write_text(TEXT + " Hidden.", encoding="utf-8")
        assert _wait(lambda: len(fast.documents()) == 2)
        assert sorted(d.source for d in fast.documents()) == ["older/first.txt", "second.md"]

        (folder / "older" / "first.txt").write_text(TEXT + " The vote was 31 to 4.", encoding="utf-8")
        assert _wait(lambda: any(r.status == "replaced" for rep in reports for r in rep.results))
        assert len(fast.documents()) == 2
        assert "31 to 4" in fast.document("older/first.txt").text
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert not any(r.status == "failed" for rep in reports for r in rep.results)
