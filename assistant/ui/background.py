"""Work a serving process does besides answering: warming up, translating ahead while idle, refreshing feeds.

Each runs in a thread of its own that :func:`assistant.ui.app.serve` starts, and stops at the ``stop`` event
it is given; none of them imports gradio, so each is tested without a browser or a server.
"""

from __future__ import annotations

import logging
import os
import threading

from assistant.backends.queueing import ahead_of_time
from assistant.service import NewsAssistant
from assistant.ui.handlers import describe

log = logging.getLogger(__name__)


def warm_up(assistant: NewsAssistant) -> None:
    """Load the embedder, the lexical index and the model before the first question needs them, at a lower
    CPU priority than the threads serving pages (Linux applies a thread id's nice value to that thread)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass
    try:
        assistant.warm_up()
    except Exception:  # the first real request reports the problem to the user
        pass


#: Seconds between looks for sentences to translate ahead of questions.
IDLE_CHECK_SECONDS = 15.0


def translate_when_idle(assistant: NewsAssistant, stop: threading.Event | None = None) -> None:
    """Translate the library's sentences ahead of questions while no one is waiting for the model.

    One sentence at a time (a translation, its judgement, perhaps one retry), and only while no reader's
    request is under way: its model calls give way to a reader's (:func:`~assistant.backends.queueing.ahead_of_time`),
    so a question waits at most for the one model call under way. Progress is kept in ``assistant.pretranslation`` for the app.
    First the cache loses what no answer can use (:meth:`NewsAssistant.prune_translations`): after an edit
    of the translation instructions, the translations made under the old ones.
    """
    stop = stop or threading.Event()
    try:
        pruned = assistant.prune_translations()  # entries made under instructions since changed
        if pruned:
            log.info("removed %d cached translations no answer can use any more", pruned)
    except Exception:  # noqa: BLE001 - the store is unavailable: translating ahead reports it below
        log.warning("pruning the translation cache failed", exc_info=True)
    while not stop.wait(IDLE_CHECK_SECONDS):
        if assistant.queue.busy:
            continue
        try:
            def progress(done: int, total: int) -> None:
                assistant.pretranslation.update(done=done, total=total)

            with ahead_of_time():
                assistant.pretranslate(batch=1, on_progress=progress, should_stop=lambda: assistant.queue.busy or stop.is_set())
        except Exception:  # noqa: BLE001 - the store or model is unavailable: try again later
            log.warning("translating ahead of questions failed", exc_info=True)


def refresh_feeds_periodically(assistant: NewsAssistant, stop: threading.Event | None = None, first_wait: float = 60.0) -> None:
    """Refresh the subscribed feeds every ``ASSISTANT_FEED_INTERVAL`` minutes (the first time shortly after
    start-up, once the model has warmed up); the outcome is kept in ``assistant.feed_refresh`` for the app."""
    from datetime import datetime, timezone

    stop = stop or threading.Event()
    wait = first_wait
    while not stop.wait(wait):
        wait = assistant.settings.feed_interval * 60.0
        if not assistant.feeds.book.list():
            continue
        try:
            reports = assistant.refresh_feeds()
            added = sum(1 for r in reports for x in r.results if x.status in ("added", "replaced"))
            failed = [r for r in reports if r.error or r.failed]
            outcome = f"{len(reports)} feeds, {added} new documents" + (f", {len(failed)} with errors" if failed else "")
        except Exception as exc:  # noqa: BLE001 - the store is unavailable: try again at the next interval
            log.warning("refreshing feeds failed", exc_info=True)
            outcome = f"failed: {describe(exc)}"
        assistant.feed_refresh.update(last=datetime.now(timezone.utc).isoformat(timespec="seconds"), outcome=outcome)
