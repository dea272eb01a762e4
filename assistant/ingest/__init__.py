"""Ingest: files, web pages and feeds become stored documents — read, cleaned, dated, chunked, embedded,
written, grouped into stories.

``loaders`` reads formats (``pages`` a news page's article and metadata, through trafilatura), ``web`` names
a fetched page by its canonical URL, ``feeds`` reads RSS/Atom and ``subscriptions`` keeps and refreshes the
user's feeds, ``watching`` follows folders, ``metadata`` cleans text and finds dates and titles,
``chunking`` makes token-aware chunks of whole sentences, ``stories`` groups translations and wire copies of
one article, and ``pipeline`` (:class:`Ingestor`) runs them all-or-nothing per document. May import
``text`` and ``backends``.
"""
