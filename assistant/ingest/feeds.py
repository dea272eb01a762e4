"""RSS and Atom feeds: the only module that imports feedparser.

A feed is a list of entries, each naming an article page (its ``link``) with a title, a date and an id
(``guid``/``id``, else the link). The page is what gets ingested; the entry's title and date are fallbacks
for pages that state none.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from assistant.errors import InputError

FEED_EXTENSIONS = (".xml", ".rss", ".atom")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
)
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)


@dataclass(frozen=True)
class FeedEntry:
    id: str  #: the entry's guid/id, else its link: what marks it as seen
    link: str | None
    title: str | None = None
    date: str | None = None  #: ISO YYYY-MM-DD
    summary: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """Whether a response or file is a feed: by its media type, or by its first element."""
    if content_type in FEED_TYPES and content_type not in ("application/xml", "text/xml"):
        return True
    return bool(_FEED_START.match(body[:4096].lstrip(b"\xef\xbb\xbf")))


def parse_feed(name: str, body: bytes, base_url: str | None = None) -> ParsedFeed:
    """Entries of an RSS/Atom document; a document that is not a readable feed is an ``InputError``."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": base_url} if base_url else None)
    version = parsed.get("version") or ""
    if not parsed.entries and (not version or parsed.get("bozo")):
        reason = parsed.get("bozo_exception")
        detail = f" ({type(reason).__name__}: {str(reason)[:80]})" if reason else ""
        raise InputError(f"{name}: malformed feed, no RSS or Atom entries could be read{detail}")
    entries = []
    for raw in parsed.entries:
        link = raw.get("link") or None
        ident = raw.get("id") or raw.get("guid") or link
        if not ident:
            continue  # nothing to fetch and nothing to remember it by
        stamp = raw.get("published_parsed") or raw.get("updated_parsed")
        entries.append(
            FeedEntry(
                id=str(ident),
                link=str(link) if link else None,
                title=" ".join(str(raw.get("title", "")).split()) or None,
                date=time.strftime("%Y-%m-%d", stamp) if stamp else None,
                summary=raw.get("summary") or None,
            )
        )
    title = " ".join(str(parsed.feed.get("title", "")).split()) or None
    return ParsedFeed(title=title, entries=entries)
