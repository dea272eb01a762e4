"""Retrieval: from a question to the passages and sentences that may answer it.

``retriever`` is the hybrid search (dense e5 in Chroma, BM25 in ``lexical``, the lift of a translated
query, fusion, feedback, diversity, stories collapsed); ``evidence`` chooses the few sentences that become
an answer's numbered sources. May import ``text``, ``backends`` and ``ingest``'s data, never a model
adapter's generation: a query translation reaches it as a typed object.
"""
