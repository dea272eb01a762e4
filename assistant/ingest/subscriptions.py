"""Feed subscriptions, kept as one JSON file in the data folder (``ASSISTANT_DATA_DIR``).

A subscription remembers what a refresh needs to fetch only what is new: the server's ETag and
Last-Modified (a conditional GET answered 304 costs nothing), and the ids of the entries already ingested.
The file is rewritten whole, atomically (a temporary file renamed over it), under an exclusive lock, so a
CLI refresh and the server's timer never interleave their writes, and a killed process leaves either the old
file or the new one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from pydantic import BaseModel, Field

from assistant.backends.fetcher import is_url
from assistant.errors import AssistantError, InputError, NotFoundError
from assistant.ingest.feeds import looks_like_feed, parse_feed
from assistant.models import IngestResult

if TYPE_CHECKING:
    from assistant.ingest.pipeline import Ingestor

#: Ids remembered per feed: a feed lists its latest entries, so older ids can be forgotten.
MAX_SEEN = 5000


class Subscription(BaseModel):
    url: str
    title: str | None = None
    entries: int = Field(0, description="Entries ingested from this feed so far.")
    last_refresh: str | None = Field(None, description="When it was last fetched (ISO, UTC).")
    last_error: str | None = Field(None, description="What went wrong at the last refresh, if anything.")
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = Field(default_factory=list, description="Ids of the entries already ingested.")

    def public(self) -> dict:
        """What ``feeds list --json`` shows."""
        return self.model_dump(include={"url", "title", "entries", "last_refresh", "last_error"})


class SubscriptionBook:
    """The subscriptions file: read, changed and written back under one lock."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / "feeds.json"

    def list(self) -> list[Subscription]:
        if not self.path.exists():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [Subscription.model_validate(item) for item in data]
        except (ValueError, TypeError) as exc:
            raise InputError(f"{self.path}: the subscriptions file is damaged ({exc})", hint="fix or delete the file") from None

    def find(self, url: str) -> Subscription:
        for sub in self.list():
            if sub.url == url:
                return sub
        raise NotFoundError(f"not subscribed to {url}", hint="`assistant feeds list` shows the subscriptions")

    @contextlib.contextmanager
    def editing(self) -> Iterator[list[Subscription]]:
        """The subscriptions, to change in place; written back when the block ends without an error."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                subs = self.list()
                yield subs
                self._write(subs)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, subs: list[Subscription]) -> None:
        for sub in subs:
            sub.seen = sub.seen[-MAX_SEEN:]
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps([s.model_dump() for s in subs], ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)


class FeedRefresh(BaseModel):
    """What one refresh of one feed did."""

    url: str
    title: str | None = None
    not_modified: bool = Field(False, description="The server said nothing changed (HTTP 304).")
    new_entries: int = Field(0, description="Entries not seen before.")
    results: list[IngestResult] = Field(default_factory=list, description="One per new entry.")
    error: str | None = Field(None, description="Why the feed itself could not be read.")

    @property
    def failed(self) -> list[IngestResult]:
        return [r for r in self.results if r.status == "failed"]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class FeedReader:
    """Subscribing to feeds and refreshing them into the store through an :class:`Ingestor`."""

    def __init__(self, book: SubscriptionBook, ingestor: "Ingestor") -> None:
        self.book = book
        self.ingestor = ingestor

    def add(self, url: str) -> FeedRefresh:
        """Subscribe to ``url`` (which must be a readable feed) and ingest its current entries."""
        if not is_url(url):
            raise InputError(f"{url}: a feed subscription needs an http(s) address")
        fetched = self.ingestor.fetcher.fetch(url)
        if not looks_like_feed(fetched.content_type, fetched.body):
            raise InputError(f"{url}: not an RSS or Atom feed (content type {fetched.content_type or 'not given'})",
                             hint="`assistant ingest URL` reads a single page")
        feed = parse_feed(url, fetched.body, fetched.final_url)
        with self.book.editing() as subs:
            if not any(s.url == url for s in subs):
                subs.append(Subscription(url=url, title=feed.title))
        return self.refresh(url)[0]

    def remove(self, url: str) -> Subscription:
        with self.book.editing() as subs:
            for i, sub in enumerate(subs):
                if sub.url == url:
                    return subs.pop(i)
        raise NotFoundError(f"not subscribed to {url}", hint="`assistant feeds list` shows the subscriptions")

    def refresh(self, url: str | None = None) -> list[FeedRefresh]:
        """Fetch what is new in one feed or in all: a conditional GET, then only entries not seen before."""
        with self.book.editing() as subs:
            chosen = [s for s in subs if url is None or s.url == url]
            if url is not None and not chosen:
                raise NotFoundError(f"not subscribed to {url}", hint="`assistant feeds add URL` subscribes")
            return [self._refresh_one(sub) for sub in chosen]

    def _refresh_one(self, sub: Subscription) -> FeedRefresh:
        report = FeedRefresh(url=sub.url, title=sub.title)
        sub.last_refresh = _now()
        try:
            fetched = self.ingestor.fetcher.fetch(sub.url, etag=sub.etag, last_modified=sub.last_modified)
            if fetched.not_modified:
                report.not_modified = True
                sub.last_error = None
                return report
            feed = parse_feed(sub.url, fetched.body, fetched.final_url)
        except AssistantError as exc:
            sub.last_error = report.error = exc.message
            return report
        sub.etag, sub.last_modified = fetched.etag, fetched.last_modified
        sub.title = feed.title or sub.title
        report.title = sub.title
        seen = set(sub.seen)
        new = [e for e in feed.entries if e.id not in seen]
        report.new_entries = len(new)
        for entry, result in self.ingestor.ingest_entries(new):
            report.results.append(result)
            if result.status != "failed":
                sub.seen.append(entry.id)  # a failed entry is tried again at the next refresh
                sub.entries += 1
        failed = report.failed
        sub.last_error = f"{len(failed)} of {len(new)} new entries failed: {failed[0].error}" if failed else None
        return report
