"""Ingest: files become stored documents — read, cleaned, dated, chunked, embedded, written, grouped into
stories.

``loaders`` reads formats, ``metadata`` cleans text and finds dates and titles, ``chunking`` makes
token-aware chunks of whole sentences, ``stories`` groups translations of one article, and ``pipeline``
(:class:`Ingestor`) runs them all-or-nothing per document. May import ``text`` and ``backends``.
"""
