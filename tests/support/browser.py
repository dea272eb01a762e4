"""Run the served app and drive it in a real headless browser: for the end-to-end tests and `make bench`.

``ServedApp`` starts ``assistant serve`` as its own process on a free loopback port (exactly what a user
runs) and stops it afterwards; ``open_browser`` starts Debian's Chromium through Playwright's Python
package (never Playwright's own browser download, which cannot work offline). The page helpers know the
app's element ids, so a test reads as what a user does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx

from tests.support.servers import free_port

#: Flags for Chromium in a sandboxed, offline machine: without the background-networking ones, Chromium
#: keeps trying (and failing) to reach Google's services.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> Path:
    return Path(os.environ.get("ASSISTANT_CHROMIUM", "/usr/bin/chromium"))


def require_chromium() -> None:
    """Fail in CI (`make test` installs Debian's chromium), skip elsewhere, when the browser is missing."""
    import pytest

    if not chromium_path().exists():
        if os.environ.get("CI"):
            pytest.fail(f"{chromium_path()} missing in CI: `make test` installs it (make browser)")
        pytest.skip("Debian chromium not installed (make browser)")


@dataclass
class ServedApp:
    url: str
    process: subprocess.Popen
    log: Path
    started: float
    ready_seconds: float

    @property
    def pid(self) -> int:
        return self.process.pid


@contextmanager
def served_app(env: dict[str, str], log: Path, timeout: float = 120.0) -> Iterator[ServedApp]:
    """``assistant serve`` on a free loopback port with ``env`` added to the environment."""
    port = free_port()
    full_env = {**os.environ, "PYTHONFAULTHANDLER": "1", **env, "ASSISTANT_HOST": "127.0.0.1", "ASSISTANT_PORT": str(port)}
    log.parent.mkdir(parents=True, exist_ok=True)
    out = log.open("w")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve"], env=full_env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"assistant serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(url, timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"assistant serve not ready after {timeout:.0f} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield ServedApp(url, process, log, started, time.perf_counter() - started)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        out.close()


@contextmanager
def open_browser() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright (a ``playwright.sync_api.Browser``)."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: `make browser` installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- what a user does -----------------------------------------------------------------------------------


def open_app(browser, url: str, timeout_ms: int = 60_000):
    """A new page (its own session) with the app loaded and the library table filled."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector("#question textarea", timeout=timeout_ms)
    return page


def ask(page, question: str, timeout_ms: int = 600_000) -> dict[str, float]:
    """Ask in the chat; seconds from the click to the first streamed token and to the checked answer. The
    timeout guards against a hang, not a slow machine: a fresh `serve` translating the library ahead while idle
    shares its one model with the question (a fresh clone on a slower machine took over 180 s)."""
    page.fill("#question textarea", question)
    start = time.perf_counter()
    page.click("#ask-button")
    page.wait_for_function(
        """() => {
            const d = document.querySelector('#chat p.draft');
            const s = document.querySelector('#chat-status');
            return (d && d.innerText.trim() && d.innerText.trim() !== '…') ||
                   (s && (s.innerText.startsWith('Done') || s.innerText.startsWith('Error')));
        }""",
        timeout=timeout_ms,
        polling=20,
    )
    first = time.perf_counter() - start
    page.wait_for_function(
        "() => { const s = document.querySelector('#chat-status'); return s && s.innerText.startsWith('Done'); }",
        timeout=timeout_ms,
        polling=50,
    )
    return {"first_token": first, "total": time.perf_counter() - start}


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def choose(page, elem_id: str, text: str) -> None:
    """Pick the option containing ``text`` in a Gradio dropdown."""
    page.click(f"#{elem_id} input")
    page.keyboard.type(text)
    page.locator("ul.option-list li[role=option]", has_text=text).first.click()
    page.keyboard.press("Escape")
