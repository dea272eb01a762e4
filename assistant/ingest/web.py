"""A fetched response as a document, or as a feed's entries.

A web document's identity (its ``source``) is its canonical URL: the page's own ``<link rel=canonical>``
(or ``og:url``) when it points to the same site, else the address it was finally fetched from, without the
fragment. A canonical URL on *another* site is not trusted as the identity: a re-publisher that names the
agency's page as canonical would otherwise replace the agency's own copy.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

from assistant.backends.fetcher import Fetched
from assistant.errors import InputError
from assistant.ingest.feeds import FeedEntry

#: Media types read as pages, and the loader (by extension) each goes to.
PAGE_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "application/pdf": ".pdf",
}


def page_kind(fetched: Fetched) -> str:
    """The loader extension for a fetched page; an ``InputError`` for anything that is not a page."""
    kind = PAGE_TYPES.get(fetched.content_type)
    if kind is None and not fetched.content_type and fetched.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        kind = ".html"
    if kind is None:
        raise InputError(
            f"{fetched.url}: not a web page or a feed (content type {fetched.content_type or 'not given'})",
            hint="pages (HTML, text, PDF) and RSS/Atom feeds can be ingested",
        )
    return kind


def without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _site(netloc: str) -> str:
    host = netloc.lower().split("@")[-1].split(":")[0]
    return host[4:] if host.startswith("www.") else host


def canonical_source(final_url: str, canonical: str | None) -> str:
    """The URL that names a fetched page (see the module docstring)."""
    if canonical:
        resolved = urljoin(final_url, canonical)
        if urlsplit(resolved).scheme in ("http", "https") and _site(urlsplit(resolved).netloc) == _site(urlsplit(final_url).netloc):
            return without_fragment(resolved)
    return without_fragment(final_url)


def site_name(url: str) -> str:
    """A site's host as a fallback name ("vnexpress.net")."""
    return _site(urlsplit(url).netloc)


def entry_fallbacks(entry: FeedEntry | None) -> tuple[str | None, str | None]:
    """(title, date) a feed entry offers for a page that states neither."""
    return (entry.title, entry.date) if entry else (None, None)
