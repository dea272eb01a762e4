"""The main text and metadata of a news page: the only module that imports trafilatura.

News sites put the article inside ``<div>``s between navigation, cookie banners, newsletter boxes, share
bars, "related articles" lists, reader comments and footers. Cutting by tag (``<article>``, ``<main>``)
keeps all of that whenever a site does not use those tags; trafilatura scores the page's blocks by text
and link density instead, and reads the title, author, site name, canonical URL and publication date
(``<meta>`` tags, JSON-LD, bylines; dates through htmldate). BENCHMARKS.md compares it with the old
tag-based extractor on the fixture pages of ``tests/fixtures/web``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

#: A page whose main text has fewer letters than this is reported (paywall, JavaScript-only page), not stored.
#: A one-sentence news flash has about 120-200 letters; a paywall's teaser line and headline fewer.
MIN_LETTERS = 120


@dataclass(frozen=True)
class PageText:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  #: ISO YYYY-MM-DD, publication date as the page states it
    site: str | None = None
    url: str | None = None  #: the canonical URL the page names for itself


def extract_page(html: str, url: str | None = None) -> PageText:
    """Main text (paragraphs on their own lines) and metadata of an HTML page; text is "" when none is found."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        # Precision over recall: a paragraph that is only a link ("Read also: …") is a teaser, not article
        # text (BENCHMARKS.md: more clutter removed, no article paragraph lost on the fixture pages).
        favor_precision=True,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d"},
    )
    if result is None:
        return PageText("")
    get = result.get if isinstance(result, dict) else (lambda key: getattr(result, key, None))
    date = get("date")
    return PageText(
        text=_tidy(get("text") or ""),
        title=_clean(get("title")),
        author=_clean(get("author")),
        date=date if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None,
        site=_clean(get("sitename")),
        url=_clean(get("url")),
    )


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
