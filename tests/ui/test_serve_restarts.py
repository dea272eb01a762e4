"""A `serve` process stopped and started again, or killed mid-answer, driven in a real headless Chromium: what
survives it. Each test starts its own `serve` on a copy of the real seeds store; they are a module of their own
so that test_browser.py's app (which translates the library ahead while idle) has stopped by then and does not
share the two cores with them."""

from __future__ import annotations

import shutil

import pytest

from tests.support.browser import ask, choose, open_app, open_browser, require_chromium, served_app
from tests.support.paths import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    with open_browser() as b:
        yield b


def test_a_conversation_survives_a_restart_of_serve_and_is_reopened_and_exported(real, browser, tmp_path):
    """Ask in one `serve` process, stop it, start another on the same data: the conversation is listed,
    reopens with its answer, and downloads as Markdown."""
    store = tmp_path / "store"
    shutil.copytree(real.settings.store_dir, store)
    # One translated source is enough to answer with the figure; what is tested is what survives the restart.
    env = {"ASSISTANT_STORE_DIR": str(store), "TMPDIR": str(tmp_path), "ASSISTANT_TRANSLATE_EVIDENCE": "1"}
    question = "How many IT training establishments does Da Nang have?"
    with served_app(env, ARTIFACTS / "serve-first.log") as first:
        page = open_app(browser, first.url)
        ask(page, question)
        assert "37" in page.locator("#chat .message-content").last.inner_text()
    assert first.process.returncode == 0
    with served_app(env, ARTIFACTS / "serve-second.log") as second:
        page = open_app(browser, second.url)
        page.click("#saved-panel button, #saved-panel .label-wrap")
        choose(page, "saved-conversations", "Da Nang")
        page.click("#open-conversation")
        page.wait_for_function("(q) => document.querySelector('#chat').innerText.includes(q)", arg=question, timeout=60_000)
        assert "37" in page.locator("#chat .message-content").last.inner_text()
        page.click("#export-md")
        page.wait_for_function("() => document.querySelector('#conversation-file').innerText.includes('.md')", timeout=60_000)
        with page.expect_download() as download:
            page.locator("#conversation-file a").first.click()
        text = download.value.path().read_text(encoding="utf-8")
        assert text.startswith("# How many IT training") and question in text and "Sources:" in text
        page.screenshot(path=str(ARTIFACTS / "conversations.png"), full_page=True)


def test_a_server_killed_mid_answer_leaves_no_partial_turn(real, browser, tmp_path):
    import sqlite3

    from assistant.backends.conversations import ConversationStore

    store = tmp_path / "store"
    shutil.copytree(real.settings.store_dir, store)
    # No translation first: the model starts writing at once, and the kill lands while it writes.
    env = {"ASSISTANT_STORE_DIR": str(store), "TMPDIR": str(tmp_path), "ASSISTANT_TRANSLATE_EVIDENCE": "0"}
    with served_app(env, ARTIFACTS / "serve-killed.log") as served:
        page = open_app(browser, served.url)
        page.fill("#question textarea", "What did the ambassador propose?")
        page.click("#ask-button")
        page.wait_for_function("() => document.querySelector('#chat-status').innerText.startsWith('Writing')", timeout=300_000)
        served.process.kill()  # SIGKILL while the answer is being written
        served.process.wait(timeout=30)
    database = store / "conversations.sqlite3"
    if database.exists():
        assert sqlite3.connect(database).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conversations = ConversationStore(store)
    assert all(c.turns == 0 for c in conversations.list())  # nothing half-written was kept
    # The database is whole and writable after the kill (what the next `serve` does with it).
    from tests.backends.test_conversations import answer

    kept = conversations.create("after the kill")
    conversations.add_turn(kept.id, answer("Still writable?"))
    assert conversations.find("after the kill").turns == 1
