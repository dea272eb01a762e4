"""Generation: what the model writes — answers, briefs, translated queries — each checked by ``grounding``
before it is shown.

``answer`` (retrieve, prompt, generate, verify, fall back to quotes), ``brief`` (extract key sentences,
restate each, verify), ``query_translation`` (the question in the store's other languages), ``style``
(house style of dates). May import every stage below it: text, backends, ingest, retrieval, grounding.
"""
