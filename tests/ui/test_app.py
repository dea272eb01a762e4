"""The Gradio app as a real server on loopback (fake model, hashed embedder): the named API endpoints
that gradio_client uses, and the launch options (loopback, login)."""

from __future__ import annotations

import pytest

from assistant.backends.embedder import HashingEmbedder
from assistant.backends.fake_chat import FakeChatModel
from assistant.config import Settings
from assistant.service import NewsAssistant
from tests.generation.test_answer import sources_in
from tests.support.paths import SEEDS
from tests.support.servers import free_port


def echo_first_source(messages) -> str:
    """Copies the first numbered source of any prompt (answer or brief point) and cites it."""
    n, text = min(sources_in(messages).items())
    return f"{text.rstrip('.')} [{n}]."

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path):
    from assistant.ui.app import build_app, launch_options

    settings = Settings(store_dir=tmp_path / "store", embedder="hash", min_relevance=0.0, support_threshold=0.5,
                        brief_points=2, brief_max_points=2, brief_support_threshold=0.5, port=free_port(),
                        translate_queries="", translate_evidence=0)  # the scripted model echoes sources; it does not translate
    assistant = NewsAssistant(settings, embedder=HashingEmbedder(), model=FakeChatModel(replies=echo_first_source))
    assistant.ingest([SEEDS])
    app = build_app(assistant)
    app.launch(prevent_thread_lock=True, **launch_options(settings))
    try:
        yield f"http://127.0.0.1:{settings.port}/", assistant
    finally:
        app.close()


def test_gradio_client_uses_the_named_ask_brief_and_ingest_endpoints(served, tmp_path):
    from gradio_client import Client, handle_file

    url, assistant = served
    client = Client(url, verbose=False)
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/ask", "/brief", "/ingest"} <= set(endpoints)
    assert len(endpoints) == 3  # the UI's own events are private

    answer = client.predict("Who visited Korea?", "en", 0, api_name="/ask")
    # The scripted model echoes source 1; when that is not English it is refused and quoted instead.
    shown = [s for s in answer["sentences"] if s["supported"]]
    assert answer["answerable"] and answer["sources"] and shown and shown[0]["citations"] == [1]

    german = next(d for d in assistant.documents() if d.source.startswith("001_"))
    brief = client.predict([german.doc_id], "", "", ["en", "de"], api_name="/brief")
    assert brief["langs"] == ["en", "de"] and len(brief["points"]) == 2

    note = tmp_path / "lyon.txt"
    note.write_text("Tram news\n\nThe city council of Lyon approved a new tram line on Monday.\n", encoding="utf-8")
    report = client.predict([handle_file(str(note))], api_name="/ingest")
    assert [(r["file"], r["status"]) for r in report["results"]] == [("lyon.txt", "added")]
    assert any(d.source == "lyon.txt" for d in assistant.documents())

    with pytest.raises(Exception, match="the question is empty"):
        client.predict("   ", "en", 0, api_name="/ask")


def test_the_ingest_api_reads_only_uploaded_files(served, tmp_path):
    """A client that names a server-side path instead of uploading a file gets nothing from it."""
    import httpx

    url, assistant = served
    secret = tmp_path / "secret.txt"
    secret.write_text("Confidential: the editor's private notes about the minister and the ambassador.", encoding="utf-8")
    before = {d.doc_id for d in assistant.documents()}
    for path in (str(secret), f"{tmp_path}/../{tmp_path.name}/secret.txt"):
        payload = {"data": [[{"path": path, "meta": {"_type": "gradio.FileData"}}]]}
        started = httpx.post(url + "gradio_api/call/ingest", json=payload, timeout=30)
        if started.status_code == 200:  # accepted for processing: the result stream must be an error
            event_id = started.json()["event_id"]
            events = httpx.get(url + f"gradio_api/call/ingest/{event_id}", timeout=30).text
            assert "event: error" in events and "added" not in events
        else:
            assert started.status_code in (400, 403, 422)
    assert {d.doc_id for d in assistant.documents()} == before


def test_loopback_by_default_and_a_login_when_configured():
    from assistant.backends.fetcher import is_loopback
    from assistant.ui.app import launch_options

    plain = launch_options(Settings())
    assert plain["server_name"] == "127.0.0.1" and plain["server_port"] == 7860 and "auth" not in plain
    guarded = launch_options(Settings(host="0.0.0.0", ui_username="desk", ui_password="s3cret"))
    assert guarded["auth"]("desk", "s3cret") and not guarded["auth"]("desk", "wrong") and guarded["server_name"] == "0.0.0.0"
    assert is_loopback("127.0.0.1") and is_loopback("127.0.1.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    with pytest.raises(ValueError, match="both"):
        Settings(ui_username="desk")
